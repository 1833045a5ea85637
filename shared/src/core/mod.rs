//! Organizations, members and the audit log: who owns the data and who may touch it.

pub mod events;
pub mod geo;
pub mod model;
pub mod service;

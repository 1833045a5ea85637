//! Organizations, members and the audit log: who owns the data and who may touch it.

pub mod audit;
pub mod events;
pub mod geo;
pub mod members;
pub mod model;
pub mod orgs;
pub mod service;

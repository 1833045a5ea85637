//! Buildings and units. Occupancy is not stored here: it is derived from leases.

pub mod buildings;
pub mod events;
pub mod model;
pub mod pattern;
pub mod service;
pub mod units;
pub(crate) mod writes;

//! Tenants, leases with roommates, and occupancy derived from leases (never stored as a flag).

pub mod events;
pub mod leases;
pub mod model;
pub mod occupancy;
pub mod service;
pub mod tenants;
pub mod terms;

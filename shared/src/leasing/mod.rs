//! Tenants, leases with roommates, and occupancy derived from leases (never stored as a flag).

pub mod compliance;
pub mod events;
pub mod leases;
pub mod model;
pub mod obligations;
pub mod occupancy;
pub mod service;
pub mod tenants;
pub mod terms;

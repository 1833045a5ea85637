//! Maintenance requests on units: open → assigned (a vendor, a day) → in progress → completed
//! (its cost booked as an expense on the unit, Repairs or Cleaning and maintenance, in the same
//! transaction) or cancelled. The number still open is a live figure of the KPI mart that each
//! write moves, so the dashboard shows it at once; an `emergency` request texts the owner.

pub mod events;
pub mod model;
pub mod service;

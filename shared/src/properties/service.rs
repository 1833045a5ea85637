//! Properties' use cases, one file each (`buildings`, `units`); this façade keeps callers' paths.
//! Unit labels are unique per building through a label item written in the same transaction as
//! the unit; the building's unit counter moves with them.

pub use super::buildings::{create_building, delete_building, get_building, list_buildings, update_building};
pub use super::units::{bulk_create_units, create_unit, delete_unit, get_unit, list_units, update_unit};

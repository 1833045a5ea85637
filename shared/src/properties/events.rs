//! The events of buildings and units.

use super::model::Address;
use crate::events::EventSpec;
use crate::ids::{BuildingId, UnitId};

crate::domain_event! {
    /// A building was added.
    BuildingCreated = "building.created", version 1, subject "building" by building_id {
        building_id: BuildingId,
        name: String,
        address: Address,
        archived: bool,
    }

    /// A building's name or address changed.
    BuildingUpdated = "building.updated", version 1, subject "building" by building_id {
        building_id: BuildingId,
        name: String,
        address: Address,
        archived: bool,
    }

    /// A building was archived (hidden from lists; its history stays).
    BuildingArchived = "building.archived", version 1, subject "building" by building_id {
        building_id: BuildingId,
        name: String,
        address: Address,
        archived: bool,
    }

    /// An archived building is active again.
    BuildingUnarchived = "building.unarchived", version 1, subject "building" by building_id {
        building_id: BuildingId,
        name: String,
        address: Address,
        archived: bool,
    }

    /// A building without units or history was deleted.
    BuildingDeleted = "building.deleted", version 1, subject "building" by building_id {
        building_id: BuildingId,
        name: String,
        address: Address,
        archived: bool,
    }

    /// A unit was added to a building.
    UnitCreated = "unit.created", version 1, subject "unit" by unit_id {
        unit_id: UnitId,
        building_id: BuildingId,
        label: String,
    }

    /// A unit's label or details changed.
    UnitUpdated = "unit.updated", version 1, subject "unit" by unit_id {
        unit_id: UnitId,
        building_id: BuildingId,
        label: String,
    }

    /// A unit without history was deleted.
    UnitDeleted = "unit.deleted", version 1, subject "unit" by unit_id {
        unit_id: UnitId,
        building_id: BuildingId,
        label: String,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<BuildingCreated>(),
    EventSpec::of::<BuildingUpdated>(),
    EventSpec::of::<BuildingArchived>(),
    EventSpec::of::<BuildingUnarchived>(),
    EventSpec::of::<BuildingDeleted>(),
    EventSpec::of::<UnitCreated>(),
    EventSpec::of::<UnitUpdated>(),
    EventSpec::of::<UnitDeleted>(),
];

macro_rules! from_building {
    ($($t:ident),*) => {$(
        impl From<&super::model::Building> for $t {
            fn from(b: &super::model::Building) -> Self {
                $t { building_id: b.id.clone(), name: b.name.clone(), address: b.address.clone(), archived: b.archived }
            }
        }
    )*};
}
from_building!(BuildingCreated, BuildingUpdated, BuildingArchived, BuildingUnarchived, BuildingDeleted);

macro_rules! from_unit {
    ($($t:ident),*) => {$(
        impl From<&super::model::UnitRecord> for $t {
            fn from(u: &super::model::UnitRecord) -> Self {
                $t { unit_id: u.id.clone(), building_id: u.building_id.clone(), label: u.label.clone() }
            }
        }
    )*};
}
from_unit!(UnitCreated, UnitUpdated, UnitDeleted);

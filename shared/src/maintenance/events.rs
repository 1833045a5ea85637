//! The events of maintenance requests.

use super::model::{MaintenanceStatus, Priority};
use crate::events::EventSpec;
use crate::ids::{BuildingId, ExpenseId, MaintenanceId, UnitId, VendorId};
use crate::money::MoneyDto;
use chrono::NaiveDate;

crate::domain_event! {
    /// A request was made on a unit (an `emergency` one texts the owner at once).
    MaintenanceRequested = "maintenance.requested", version 1, subject "maintenance" by request_id {
        request_id: MaintenanceId,
        unit_id: UnitId,
        building_id: BuildingId,
        title: String,
        priority: Priority,
    }

    /// A request's title, description, priority or reporter changed.
    MaintenanceUpdated = "maintenance.updated", version 1, subject "maintenance" by request_id {
        request_id: MaintenanceId,
        title: String,
        priority: Priority,
        status: MaintenanceStatus,
    }

    /// A vendor was assigned (and a day scheduled).
    MaintenanceAssigned = "maintenance.assigned", version 1, subject "maintenance" by request_id {
        request_id: MaintenanceId,
        vendor_id: VendorId,
        scheduled_for: Option<NaiveDate>,
    }

    /// Work started.
    MaintenanceStarted = "maintenance.started", version 1, subject "maintenance" by request_id {
        request_id: MaintenanceId,
    }

    /// The job is done; its cost, if any, is the expense named.
    MaintenanceCompleted = "maintenance.completed", version 1, subject "maintenance" by request_id {
        request_id: MaintenanceId,
        unit_id: UnitId,
        completed_on: NaiveDate,
        cost: Option<MoneyDto>,
        expense_id: Option<ExpenseId>,
    }

    /// The request was cancelled.
    MaintenanceCancelled = "maintenance.cancelled", version 1, subject "maintenance" by request_id {
        request_id: MaintenanceId,
        reason: Option<String>,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<MaintenanceRequested>(),
    EventSpec::of::<MaintenanceUpdated>(),
    EventSpec::of::<MaintenanceAssigned>(),
    EventSpec::of::<MaintenanceStarted>(),
    EventSpec::of::<MaintenanceCompleted>(),
    EventSpec::of::<MaintenanceCancelled>(),
];

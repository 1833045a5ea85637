//! The events of tenant notifications.

use crate::events::EventSpec;
use crate::ids::{ChargeId, LeaseId};
use crate::money::MoneyDto;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which reminder: rent due in the org's reminder days, or rent still open after its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    DueSoon,
    Overdue,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "due_soon",
            ReminderKind::Overdue => "overdue",
        }
    }
}

crate::domain_event! {
    /// A rent reminder was made for a charge (once per charge and kind); the notifier sends it.
    ReminderCreated = "reminder.created", version 1, subject "charge" by charge_id {
        charge_id: ChargeId,
        lease_id: LeaseId,
        kind: ReminderKind,
        due_date: NaiveDate,
        amount: MoneyDto,
        open: MoneyDto,
    }
}

pub const CATALOG: &[EventSpec] = &[EventSpec::of::<ReminderCreated>()];

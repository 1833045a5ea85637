//! Maintenance requests: a unit's repair or cleaning job from report to completion, its input
//! rules and its lifecycle.

use crate::ids::{BuildingId, ExpenseId, MaintenanceId, UnitId, VendorId};
use crate::money::MoneyDto;
use crate::validation::{check_opt_text, check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAINTENANCE_ENTITY: &str = "MaintenanceRequest";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    Urgent,
    /// The owner is told by SMS at once.
    Emergency,
}

/// open → assigned → in_progress → completed; open, assigned or in progress → cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceStatus {
    Open,
    Assigned,
    InProgress,
    Completed,
    Cancelled,
}

impl MaintenanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceStatus::Open => "open",
            MaintenanceStatus::Assigned => "assigned",
            MaintenanceStatus::InProgress => "in_progress",
            MaintenanceStatus::Completed => "completed",
            MaintenanceStatus::Cancelled => "cancelled",
        }
    }

    /// Still to be done (counts as open maintenance).
    pub fn is_open(self) -> bool {
        !matches!(self, MaintenanceStatus::Completed | MaintenanceStatus::Cancelled)
    }
}

/// Which expense account a completed job's cost is booked to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CostCategory {
    /// 5140 Repairs (Schedule E line 14).
    #[default]
    Repairs,
    /// 5070 Cleaning and maintenance (Schedule E line 7).
    Cleaning,
}

impl CostCategory {
    pub fn account_code(self) -> &'static str {
        match self {
            CostCategory::Repairs => "5140",
            CostCategory::Cleaning => "5070",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceRequest {
    pub id: MaintenanceId,
    pub unit_id: UnitId,
    pub building_id: BuildingId,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub priority: Priority,
    pub status: MaintenanceStatus,
    /// Who reported it (a tenant's name, a phone call…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<VendorId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<NaiveDate>,
    /// What the job cost, booked as `expenseId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<MoneyDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expense_id: Option<ExpenseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    #[schema(ignore)]
    pub v: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateMaintenanceRequest {
    #[schema(value_type = UnitId)]
    pub unit_id: String,
    #[schema(value_type = crate::validation::schema::Text200)]
    pub title: String,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub description: Option<String>,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub reported_by: Option<String>,
}

impl Validate for CreateMaintenanceRequest {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if UnitId::parse(&self.unit_id).is_none() {
            e.push(FieldError::new("unitId", "not a unit id"));
        }
        check_text(&mut e, "title", &self.title, 200);
        check_opt_text(&mut e, "description", self.description.as_deref(), 500);
        check_opt_text(&mut e, "reportedBy", self.reported_by.as_deref(), 200);
        e
    }
}

/// Changes to a request not yet completed or cancelled.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateMaintenanceRequest {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub description: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub reported_by: Option<String>,
}

impl Validate for UpdateMaintenanceRequest {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(t) = &self.title {
            check_text(&mut e, "title", t, 200);
        }
        check_opt_text(&mut e, "description", self.description.as_deref(), 500);
        check_opt_text(&mut e, "reportedBy", self.reported_by.as_deref(), 200);
        e
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignMaintenance {
    #[schema(value_type = VendorId)]
    pub vendor_id: String,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub scheduled_for: Option<NaiveDate>,
}

impl Validate for AssignMaintenance {
    fn validate(&self) -> Vec<FieldError> {
        match VendorId::parse(&self.vendor_id) {
            Some(_) => Vec::new(),
            None => vec![FieldError::new("vendorId", "not a vendor id")],
        }
    }
}

/// `:complete`: with a `cost`, the job is booked as an expense on the unit — paid from
/// `paidFrom` (a bank or cash account), or else an unpaid bill of the vendor due in 30 days.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompleteMaintenance {
    #[serde(default)]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub cost: Option<MoneyDto>,
    #[serde(default)]
    pub category: CostCategory,
    /// Default: today in the org's time zone.
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub completed_on: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<crate::ids::AccountId>)]
    pub paid_from: Option<String>,
}

impl Validate for CompleteMaintenance {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(c) = &self.cost {
            match c.to_money("cost") {
                Ok(m) if m.minor <= 0 => e.push(FieldError::new("cost.amount", "must be more than zero")),
                Ok(_) => {}
                Err(err) => e.push(err),
            }
        }
        if self.paid_from.is_some() && self.cost.is_none() {
            e.push(FieldError::new("paidFrom", "only with a cost"));
        }
        e
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelMaintenance {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub reason: Option<String>,
}

impl Validate for CancelMaintenance {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "reason", self.reason.as_deref(), 200);
        e
    }
}

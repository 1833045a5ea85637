//! Expenses and bills as stored, answered and requested.

use crate::ids::check_id;
use crate::ids::{AccountId, BuildingId, ExpenseId, UnitId, VendorId};
use crate::money::{Money, MoneyDto, StoredMoney};
use crate::validation::{check_opt_text, Validate};
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const EXPENSE_ENTITY: &str = "Expense";
pub const EXPENSE_POINTER_ENTITY: &str = "ExpensePointer";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseStatus {
    /// Filled from a receipt, not booked until confirmed.
    Draft,
    /// A bill: booked to Accounts payable, paid later.
    Unpaid,
    Paid,
    /// Cancelled by a reversing entry (or rejected before it was booked).
    Void,
    /// Held for an approval workflow: booked (as paid or a bill) once approved.
    PendingApproval,
}

impl ExpenseStatus {
    /// Whether the books hold it (drafts and expenses awaiting approval are not booked).
    pub fn is_booked(self) -> bool {
        !matches!(self, ExpenseStatus::Draft | ExpenseStatus::PendingApproval)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeType {
    Portfolio,
    Building,
    Unit,
}

/// What an expense is for: the whole portfolio, one building or one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpenseScope {
    #[serde(rename = "type")]
    pub type_: ScopeType,
    /// The building's or unit's id (none for the portfolio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^(bld|unt)_[0-7][0-9A-HJKMNP-TV-Z]{25}$")]
    pub id: Option<String>,
}

/// One part of a split expense (a building, a unit, or — with neither — the portfolio).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<BuildingId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<UnitId>,
    pub minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpenseRecord {
    pub id: ExpenseId,
    pub date: NaiveDate,
    pub amount: StoredMoney,
    pub account_id: AccountId,
    pub account_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<VendorId>,
    /// As requested (absent for splits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ExpenseScope>,
    /// Always at least one; the parts sum exactly to `amount`.
    pub parts: Vec<PartRecord>,
    pub split: bool,
    pub status: ExpenseStatus,
    /// The bank or cash account it was paid from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_from: Option<AccountId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_from_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Booked by a recurring expense (its id and the occurrence's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_id: Option<String>,
    /// How many re-classifications were posted (each a correcting entry).
    #[serde(default)]
    pub revision: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voided_on: Option<NaiveDate>,
    /// The rate into the base currency on its date, and on the day a bill was paid (foreign
    /// expenses are valued at these; none when no rate was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fx: Option<crate::billing::model::Fx>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_fx: Option<crate::billing::model::Fx>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub v: i64,
}

/// A split part as the API shows it and takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Split {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BuildingId>)]
    pub building_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<UnitId>)]
    pub unit_id: Option<String>,
    #[schema(value_type = crate::money::MoneyInput)]
    pub amount: MoneyDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Expense {
    pub id: ExpenseId,
    pub date: NaiveDate,
    pub amount: MoneyDto,
    pub account_id: AccountId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<VendorId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<ExpenseScope>,
    /// The parts of a split expense.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splits: Option<Vec<Split>>,
    pub status: ExpenseStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_from: Option<AccountId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voided_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ExpenseRecord> for Expense {
    fn from(r: ExpenseRecord) -> Self {
        let c = r.amount.currency;
        let splits = r.split.then(|| {
            r.parts
                .iter()
                .map(|p| Split {
                    building_id: p.building_id.as_ref().map(|b| b.to_string()),
                    unit_id: p.unit_id.as_ref().map(|u| u.to_string()),
                    amount: Money::new(p.minor, c).into(),
                })
                .collect()
        });
        Expense {
            id: r.id,
            date: r.date,
            amount: Money::from(r.amount).into(),
            account_id: r.account_id,
            vendor_id: r.vendor_id,
            scope: r.scope,
            splits,
            status: r.status,
            paid_from: r.paid_from,
            paid_on: r.paid_on,
            due_date: r.due_date,
            memo: r.memo,
            reference: r.reference,
            recurring_id: r.recurring_id,
            voided_on: r.voided_on,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SplitBy {
    Units,
    Area,
}

/// `"split": {"by": "units" | "area", "buildingIds": [...]}`: parts by unit count or floor area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SplitRule {
    pub by: SplitBy,
    #[schema(value_type = Vec<BuildingId>, min_items = 1, max_items = 50)]
    pub building_ids: Vec<String>,
}

/// `paid` (default, with `paidFrom`) or `unpaid` (a bill, with `dueDate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NewStatus {
    Paid,
    Unpaid,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateExpense {
    #[serde(deserialize_with = "crate::validation::date::strict")]
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    #[schema(value_type = crate::money::MoneyInput)]
    pub amount: MoneyDto,
    /// An expense account, or a fixed-asset account for a capital improvement.
    #[schema(value_type = AccountId)]
    pub account_id: String,
    #[serde(default)]
    #[schema(value_type = Option<VendorId>)]
    pub vendor_id: Option<String>,
    /// Default: the portfolio.
    #[serde(default)]
    pub scope: Option<ExpenseScope>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 50)]
    pub splits: Option<Vec<Split>>,
    #[serde(default)]
    pub split: Option<SplitRule>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub paid_from: Option<String>,
    #[serde(default)]
    pub status: Option<NewStatus>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub memo: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub reference: Option<String>,
}

/// The ids an expense names, checked for their form (what they name is checked when booked).
pub fn check_refs(
    e: &mut Vec<FieldError>,
    (account, vendor, paid_from): (Option<&str>, Option<&str>, Option<&str>),
    scope: &Option<ExpenseScope>,
    splits: &Option<Vec<Split>>,
    rule: &Option<SplitRule>,
) {
    check_id(e, "accountId", account, AccountId::parse, "an account id");
    check_id(e, "vendorId", vendor, VendorId::parse, "a vendor id");
    check_id(e, "paidFrom", paid_from, AccountId::parse, "an account id");
    if let Some(s) = scope {
        check_id(e, "scope.id", s.id.as_deref(), crate::ids::building_or_unit, "a building or unit id");
    }
    for (i, s) in splits.iter().flatten().enumerate() {
        check_id(e, &format!("splits[{i}].buildingId"), s.building_id.as_deref(), BuildingId::parse, "a building id");
        check_id(e, &format!("splits[{i}].unitId"), s.unit_id.as_deref(), UnitId::parse, "a unit id");
    }
    for (i, b) in rule.iter().flat_map(|r| &r.building_ids).enumerate() {
        check_id(e, &format!("split.buildingIds[{i}]"), Some(b), BuildingId::parse, "a building id");
    }
}

impl Validate for CreateExpense {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "memo", self.memo.as_deref(), 500);
        check_opt_text(&mut e, "reference", self.reference.as_deref(), 100);
        let ids = (Some(self.account_id.as_str()), self.vendor_id.as_deref(), self.paid_from.as_deref());
        check_refs(&mut e, ids, &self.scope, &self.splits, &self.split);
        e
    }
}

/// Memo, vendor, reference; account or scope (a re-classification, posted as a correcting
/// entry). Money changes are a void and a new expense.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateExpense {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub memo: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<VendorId>)]
    pub vendor_id: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub reference: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub scope: Option<ExpenseScope>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 50)]
    pub splits: Option<Vec<Split>>,
}

impl Validate for UpdateExpense {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "memo", self.memo.as_deref(), 500);
        check_opt_text(&mut e, "reference", self.reference.as_deref(), 100);
        check_refs(
            &mut e,
            (self.account_id.as_deref(), self.vendor_id.as_deref(), None),
            &self.scope,
            &self.splits,
            &None,
        );
        e
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayBill {
    #[serde(deserialize_with = "crate::validation::date::strict")]
    #[schema(value_type = String, format = Date)]
    pub paid_on: NaiveDate,
    #[schema(value_type = AccountId)]
    pub paid_from: String,
}

impl Validate for PayBill {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_id(&mut e, "paidFrom", Some(&self.paid_from), AccountId::parse, "an account id");
        e
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VoidExpense {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub reason: Option<String>,
    /// The reversing entry's date (default: the later of today and the expense's date); not
    /// before the expense.
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    #[schema(value_type = Option<String>, format = Date)]
    pub voided_on: Option<NaiveDate>,
}

impl Validate for VoidExpense {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "reason", self.reason.as_deref(), 500);
        e
    }
}

//! Tenant and lease types, their input rules, and the lease-term arithmetic activation uses.

use crate::core::model::{check_email, check_phone, EMAIL_MAX, NAME_MAX};
use crate::ids::{BuildingId, LeaseId, TenantId, UnitId};
use crate::money::{Money, MoneyDto, StoredMoney};
use crate::validation::{check_opt_text, check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const TENANT_ENTITY: &str = "Tenant";
pub const TENANT_EMAIL_ENTITY: &str = "TenantEmail";
pub const LEASE_ENTITY: &str = "Lease";
pub const PARTY_ENTITY: &str = "LeaseParty";
/// Most people on one lease (the primary tenant and roommates).
pub const MAX_TENANTS: usize = 10;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub id: TenantId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing)]
    #[schema(ignore)]
    pub v: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTenant {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub first_name: String,
    #[schema(value_type = crate::validation::schema::Text200)]
    pub last_name: String,
    /// Unique per organization (case-insensitive).
    #[schema(value_type = crate::core::model::Email)]
    pub email: String,
    #[schema(value_type = Option<crate::validation::schema::Phone>)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateTenant {
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub first_name: Option<String>,
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub last_name: Option<String>,
    #[schema(value_type = Option<crate::core::model::Email>)]
    pub email: Option<String>,
    #[schema(value_type = Option<crate::validation::schema::Phone>)]
    pub phone: Option<String>,
}

impl Validate for CreateTenant {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "firstName", &self.first_name, NAME_MAX);
        check_text(&mut e, "lastName", &self.last_name, NAME_MAX);
        check_email(&mut e, &self.email);
        if let Some(p) = &self.phone {
            check_phone(&mut e, p);
        }
        e
    }
}

impl Validate for UpdateTenant {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "firstName", self.first_name.as_deref(), NAME_MAX);
        check_opt_text(&mut e, "lastName", self.last_name.as_deref(), NAME_MAX);
        if let Some(v) = &self.email {
            check_email(&mut e, v);
        }
        if let Some(p) = &self.phone {
            check_phone(&mut e, p);
        }
        e
    }
}

/// The key an email is unique under.
pub fn email_key(email: &str) -> String {
    let key = email.trim().to_lowercase();
    debug_assert!(key.len() <= EMAIL_MAX);
    key
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LeaseStatus {
    Draft,
    Active,
    Ended,
}

impl LeaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LeaseStatus::Draft => "draft",
            LeaseStatus::Active => "active",
            LeaseStatus::Ended => "ended",
        }
    }
}

/// How late fees are assessed on this lease (applied by the billing jobs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LateFeePolicy {
    /// Days after the due date before a fee applies.
    #[schema(maximum = 60)]
    pub grace_days: u8,
    /// A flat fee per late charge…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub flat: Option<MoneyDto>,
    /// …or a percentage of the overdue rent (`"5"` = 5 %).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validation::amount::unsigned_decimal_opt"
    )]
    #[schema(value_type = Option<String>, example = "5", pattern = "^(100(\\.0+)?|[1-9][0-9]?(\\.[0-9]+)?|0\\.[0-9]*[1-9][0-9]*)$")]
    pub percent: Option<Decimal>,
    /// At most this much in late fees per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub cap_per_month: Option<MoneyDto>,
}

impl LateFeePolicy {
    pub(crate) fn check(&self, e: &mut Vec<FieldError>) {
        if self.grace_days > 60 {
            e.push(FieldError::new("lateFeePolicy.graceDays", "must be from 0 to 60"));
        }
        match (&self.flat, self.percent) {
            (Some(f), None) => positive(e, "lateFeePolicy.flat", f),
            (None, Some(p)) if p > Decimal::ZERO && p <= Decimal::from(100) => {}
            (None, Some(_)) => e.push(FieldError::new("lateFeePolicy.percent", "must be more than 0 and at most 100")),
            _ => e.push(FieldError::new("lateFeePolicy", "give exactly one of flat or percent")),
        }
        if let Some(c) = &self.cap_per_month {
            positive(e, "lateFeePolicy.capPerMonth", c);
        }
    }
}

fn positive(e: &mut Vec<FieldError>, field: &str, m: &MoneyDto) {
    match m.to_money(field) {
        Ok(m) if m.minor <= 0 => e.push(FieldError::new(format!("{field}.amount"), "must be more than zero")),
        Ok(_) => {}
        Err(err) => e.push(err),
    }
}

fn non_negative(e: &mut Vec<FieldError>, field: &str, m: &MoneyDto) {
    match m.to_money(field) {
        Ok(m) if m.minor < 0 => e.push(FieldError::new(format!("{field}.amount"), "must not be negative")),
        Ok(_) => {}
        Err(err) => e.push(err),
    }
}

/// A lease as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Lease {
    pub id: LeaseId,
    pub unit_id: UnitId,
    pub building_id: BuildingId,
    /// The primary tenant first, then roommates.
    pub tenant_ids: Vec<TenantId>,
    pub status: LeaseStatus,
    pub start_date: NaiveDate,
    /// None: month-to-month.
    pub end_date: Option<NaiveDate>,
    pub rent: MoneyDto,
    pub due_day: u8,
    pub deposit: Option<MoneyDto>,
    /// The deposit is charged in this many monthly instalments (the first at the start, the
    /// others with the next rents); absent: at once.
    pub deposit_instalments: Option<u8>,
    pub late_fee_policy: Option<LateFeePolicy>,
    pub move_out_date: Option<NaiveDate>,
    /// The lease this one renews.
    pub renewal_of: Option<LeaseId>,
    /// The lease that renews this one.
    pub renewed_by: Option<LeaseId>,
    pub activated_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A lease as stored (absent options are absent attributes, so conditions can test them).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaseRecord {
    pub id: LeaseId,
    pub unit_id: UnitId,
    pub building_id: BuildingId,
    pub tenant_ids: Vec<TenantId>,
    pub status: LeaseStatus,
    pub start_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    pub rent: StoredMoney,
    pub due_day: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit: Option<StoredMoney>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_instalments: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_fee_policy: Option<LateFeePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub move_out_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_of: Option<LeaseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewed_by: Option<LeaseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub v: i64,
}

impl From<LeaseRecord> for Lease {
    fn from(r: LeaseRecord) -> Self {
        Lease {
            id: r.id,
            unit_id: r.unit_id,
            building_id: r.building_id,
            tenant_ids: r.tenant_ids,
            status: r.status,
            start_date: r.start_date,
            end_date: r.end_date,
            rent: Money::from(r.rent).into(),
            due_day: r.due_day,
            deposit: r.deposit.map(|d| Money::from(d).into()),
            deposit_instalments: r.deposit_instalments,
            late_fee_policy: r.late_fee_policy,
            move_out_date: r.move_out_date,
            renewal_of: r.renewal_of,
            renewed_by: r.renewed_by,
            activated_at: r.activated_at,
            ended_at: r.ended_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLease {
    #[schema(value_type = crate::ids::UnitId)]
    pub unit_id: String,
    /// 1–10 tenants; the first is the primary tenant, the rest are roommates.
    #[schema(value_type = Vec<crate::ids::TenantId>, min_items = 1, max_items = 10)]
    pub tenant_ids: Vec<String>,
    #[serde(deserialize_with = "crate::validation::date::strict")]
    pub start_date: NaiveDate,
    /// Omit for month-to-month.
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub end_date: Option<NaiveDate>,
    #[schema(value_type = crate::money::MoneyInput)]
    pub rent: MoneyDto,
    /// Day of the month rent is due (1–28).
    #[schema(minimum = 1, maximum = 28)]
    pub due_day: u8,
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub deposit: Option<MoneyDto>,
    /// Charge the deposit in this many monthly instalments (1–12; Germany allows 3).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 12)]
    pub deposit_instalments: Option<u8>,
    pub late_fee_policy: Option<LateFeePolicy>,
}

fn check_instalments(e: &mut Vec<FieldError>, n: Option<u8>) {
    if n.is_some_and(|n| !(1..=12).contains(&n)) {
        e.push(FieldError::new("depositInstalments", "must be from 1 to 12"));
    }
}

fn check_terms(e: &mut Vec<FieldError>, start: NaiveDate, end: Option<NaiveDate>) {
    if end.is_some_and(|end| end <= start) {
        e.push(FieldError::new("endDate", "must be after startDate"));
    }
}

fn check_due_day(e: &mut Vec<FieldError>, d: u8) {
    if !(1..=28).contains(&d) {
        e.push(FieldError::new("dueDay", "must be from 1 to 28"));
    }
}

fn check_deposit(e: &mut Vec<FieldError>, deposit: Option<&MoneyDto>, rent: Option<&MoneyDto>) {
    if let Some(d) = deposit {
        non_negative(e, "deposit", d);
        if rent.is_some_and(|r| r.currency != d.currency) {
            e.push(FieldError::new("deposit.currency", "must be the rent's currency"));
        }
    }
}

impl Validate for CreateLease {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.tenant_ids.is_empty() || self.tenant_ids.len() > MAX_TENANTS {
            e.push(FieldError::new("tenantIds", format!("must name 1 to {MAX_TENANTS} tenants")));
        }
        for (i, t) in self.tenant_ids.iter().enumerate() {
            if TenantId::parse(t).is_none() {
                e.push(FieldError::new(format!("tenantIds[{i}]"), "not a tenant id"));
            } else if self.tenant_ids[..i].contains(t) {
                e.push(FieldError::new(format!("tenantIds[{i}]"), "names a tenant twice"));
            }
        }
        if UnitId::parse(&self.unit_id).is_none() {
            e.push(FieldError::new("unitId", "not a unit id"));
        }
        check_terms(&mut e, self.start_date, self.end_date);
        positive(&mut e, "rent", &self.rent);
        check_due_day(&mut e, self.due_day);
        check_deposit(&mut e, self.deposit.as_ref(), Some(&self.rent));
        check_instalments(&mut e, self.deposit_instalments);
        if let Some(p) = &self.late_fee_policy {
            p.check(&mut e);
        }
        e
    }
}

/// Changes to a lease. Terms (dates, rent, due day, deposit) change only while it is a draft.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateLease {
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub start_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub end_date: Option<NaiveDate>,
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub rent: Option<MoneyDto>,
    #[schema(minimum = 1, maximum = 28)]
    pub due_day: Option<u8>,
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub deposit: Option<MoneyDto>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 12)]
    pub deposit_instalments: Option<u8>,
    pub late_fee_policy: Option<LateFeePolicy>,
}

impl UpdateLease {
    pub fn changes_terms(&self) -> bool {
        self.start_date.is_some()
            || self.end_date.is_some()
            || self.rent.is_some()
            || self.due_day.is_some()
            || self.deposit.is_some()
            || self.deposit_instalments.is_some()
    }
}

/// The rules of optional new terms (an update or a renewal).
fn check_new_terms(
    e: &mut Vec<FieldError>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    rent: Option<&MoneyDto>,
    due_day: Option<u8>,
) {
    if let Some(s) = start {
        check_terms(e, s, end);
    }
    if let Some(r) = rent {
        positive(e, "rent", r);
    }
    if let Some(d) = due_day {
        check_due_day(e, d);
    }
}

impl Validate for UpdateLease {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_new_terms(&mut e, self.start_date, self.end_date, self.rent.as_ref(), self.due_day);
        check_deposit(&mut e, self.deposit.as_ref(), self.rent.as_ref());
        check_instalments(&mut e, self.deposit_instalments);
        if let Some(p) = &self.late_fee_policy {
            p.check(&mut e);
        }
        e
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndLease {
    /// The last day the tenants occupy the unit.
    #[serde(deserialize_with = "crate::validation::date::strict")]
    pub move_out_date: NaiveDate,
}

impl Validate for EndLease {
    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

/// The next lease's terms; anything omitted continues the current lease.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenewLease {
    /// Default: the day after the current lease ends.
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub start_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub end_date: Option<NaiveDate>,
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub rent: Option<MoneyDto>,
    #[schema(minimum = 1, maximum = 28)]
    pub due_day: Option<u8>,
}

impl Validate for RenewLease {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_new_terms(&mut e, self.start_date, self.end_date, self.rent.as_ref(), self.due_day);
        e
    }
}

// The occupancy record is kept on the unit item (`properties`), so its types live there.
pub use crate::properties::model::{Term, UnitTerm};

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str, e: Option<&str>) -> Term {
        Term { start: d(s), end: e.map(d) }
    }

    #[test]
    fn terms_overlap_inclusively_and_open_ends_run_forever() {
        assert!(t("2026-01-01", Some("2026-06-30")).overlaps(&t("2026-06-30", None)));
        assert!(!t("2026-01-01", Some("2026-06-30")).overlaps(&t("2026-07-01", None)));
        assert!(t("2026-01-01", None).overlaps(&t("2030-01-01", Some("2030-02-01"))));
        assert!(!t("2026-03-01", Some("2026-03-31")).overlaps(&t("2026-01-01", Some("2026-02-28"))));
        assert!(t("2026-03-01", Some("2026-03-31")).overlaps(&t("2026-03-15", Some("2026-03-16"))));
    }

    #[test]
    fn a_term_covers_its_first_and_last_day() {
        let term = t("2026-01-17", Some("2026-03-05"));
        assert!(term.covers(d("2026-01-17")) && term.covers(d("2026-03-05")));
        assert!(!term.covers(d("2026-01-16")) && !term.covers(d("2026-03-06")));
    }

    #[test]
    fn leases_reject_bad_terms_naming_fields() {
        let input = CreateLease {
            unit_id: "nope".into(),
            tenant_ids: (0..11).map(|_| TenantId::new().to_string()).collect(),
            start_date: d("2026-02-01"),
            end_date: Some(d("2026-01-01")),
            rent: MoneyDto { amount: "0".into(), currency: "USD".into() },
            due_day: 29,
            deposit: Some(MoneyDto { amount: "5".into(), currency: "EUR".into() }),
            deposit_instalments: None,
            late_fee_policy: None,
        };
        let fields: Vec<String> = input.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["tenantIds", "unitId", "endDate", "rent.amount", "dueDay", "deposit.currency"]);
    }
}

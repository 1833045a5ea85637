//! Jurisdiction rules: where and when a rule applies, what it says (area-specific terms), and
//! the input rules of an org's own rules.

use crate::money::MoneyDto;
use crate::validation::Validate;
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const POLICY_ENTITY: &str = "Policy";

/// What a rule governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyArea {
    /// The most a security deposit may be, and whether it may be paid in instalments.
    Deposit,
    /// When a late fee may be charged and how much.
    LateFee,
    /// How long before a lease ends a rise or a non-renewal must be announced.
    Notice,
    /// Limits on raising the rent.
    RentIncrease,
    /// How soon after move-out the deposit must be returned.
    DepositReturn,
}

impl PolicyArea {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyArea::Deposit => "deposit",
            PolicyArea::LateFee => "late_fee",
            PolicyArea::Notice => "notice",
            PolicyArea::RentIncrease => "rent_increase",
            PolicyArea::DepositReturn => "deposit_return",
        }
    }

    pub fn parse(s: &str) -> Option<PolicyArea> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// Whose rule it is: the built-in pack's, or the org's own (which outranks the pack).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Org,
    Pack,
}

/// Facts beyond place and date a rule may depend on; a rule applies only when every fact it
/// names is known and as stated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// The landlord is a natural person (or an LLC of natural persons) owning at most two
    /// residential rental properties with at most four units in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_landlord: Option<bool>,
    /// The tenant is a service member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_member_tenant: Option<bool>,
}

/// The facts known when resolving (unknown facts meet no condition).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub small_landlord: Option<bool>,
    pub service_member_tenant: Option<bool>,
}

impl Condition {
    /// `None` when met, else why not.
    pub fn unmet(&self, f: &Facts) -> Option<String> {
        let mut why = Vec::new();
        let mut check = |want: Option<bool>, have: Option<bool>, yes: &str, no: &str| match (want, have) {
            (Some(w), Some(h)) if w == h => {}
            (Some(w), Some(_)) => why.push(format!("it applies only when {}", if w { yes } else { no })),
            (Some(w), None) => why.push(format!("it applies only when {} (not known)", if w { yes } else { no })),
            (None, _) => {}
        };
        check(
            self.small_landlord,
            f.small_landlord,
            "the landlord is a small landlord",
            "the landlord is not a small landlord",
        );
        check(
            self.service_member_tenant,
            f.service_member_tenant,
            "the tenant is a service member",
            "the tenant is not a service member",
        );
        (!why.is_empty()).then(|| why.join("; "))
    }
}

/// One tier of a tenure-tiered notice period: from `minTenureMonths` of tenancy on, `days` or
/// `months` of notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoticeTier {
    #[schema(maximum = 1200)]
    pub min_tenure_months: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 730)]
    pub days: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 24)]
    pub months: Option<u8>,
}

/// What a rule says. Which fields an area takes: `deposit`: `maxMonths`, `maxMonthsFurnished`,
/// `maxWeeks`, `highRentWeeks` with `highRentAnnualThreshold`, `instalments`; `late_fee`:
/// `graceDays`, `maxFlat`, `maxPercentOfRent`, `interestOverBaseRate`, `reasonableOnly`;
/// `notice`: `tiers`, `byWorkingDayOfMonth`; `rent_increase`: `maxPercent`;
/// `deposit_return`: `returnWithinDays`. Percentages are strings (`"5"` = 5 %).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleTerms {
    /// The deposit is at most this many months' rent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validation::amount::unsigned_decimal_opt"
    )]
    #[schema(value_type = Option<String>, example = "1", pattern = "^[0-9]{1,6}(\\.[0-9]{1,6})?$")]
    pub max_months: Option<Decimal>,
    /// …or this many for a furnished unit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validation::amount::unsigned_decimal_opt"
    )]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,6}(\\.[0-9]{1,6})?$")]
    pub max_months_furnished: Option<Decimal>,
    /// The deposit is at most this many weeks' rent (a week is a year's rent over 52)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 52)]
    pub max_weeks: Option<u8>,
    /// …or this many when the annual rent is at least `highRentAnnualThreshold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 52)]
    pub high_rent_weeks: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub high_rent_annual_threshold: Option<MoneyDto>,
    /// The tenant may pay the deposit in up to this many monthly instalments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 12)]
    pub instalments: Option<u8>,
    /// No late fee until rent is more than this many days overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 366)]
    pub grace_days: Option<u16>,
    /// A late fee is at most this much…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub max_flat: Option<MoneyDto>,
    /// …and at most this percentage of the month's rent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validation::amount::unsigned_decimal_opt"
    )]
    #[schema(value_type = Option<String>, example = "5", pattern = "^[0-9]{1,6}(\\.[0-9]{1,6})?$")]
    pub max_percent_of_rent: Option<Decimal>,
    /// A late fee is interest at most this many points above the bank base rate (a billing
    /// setting), per day outstanding.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validation::amount::unsigned_decimal_opt"
    )]
    #[schema(value_type = Option<String>, example = "3", pattern = "^[0-9]{1,6}(\\.[0-9]{1,6})?$")]
    pub interest_over_base_rate: Option<Decimal>,
    /// No numeric limit: a fee must be a reasonable estimate of the landlord's damages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasonable_only: Option<bool>,
    /// Notice periods by length of tenancy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_items = 1, max_items = 10)]
    pub tiers: Option<Vec<NoticeTier>>,
    /// Notice counts for a month only when it arrives by this working day of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 20)]
    pub by_working_day_of_month: Option<u8>,
    /// A rent increase is at most this percentage.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validation::amount::unsigned_decimal_opt"
    )]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,6}(\\.[0-9]{1,6})?$")]
    pub max_percent: Option<Decimal>,
    /// The deposit is returned within this many days of move-out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 366)]
    pub return_within_days: Option<u16>,
}

/// A rule, built-in or the org's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// A pack rule's readable id (`us-ny-late-fee`), or an org rule's `pol_…`.
    pub id: String,
    pub origin: Origin,
    pub name: String,
    pub area: PolicyArea,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// A state or region code (`NY`, `ENG`); absent: the whole country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Only for this kind of entity (`lease`); absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// Only for this action (`activate`); absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub effective_from: NaiveDate,
    /// The last day the rule is in effect; absent: open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<NaiveDate>,
    /// Higher wins among rules of the same origin and specificity.
    pub priority: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    pub rule: RuleTerms,
    /// Where the rule comes from (statute, guidance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Policy {
    pub fn in_effect(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|t| date <= t)
    }

    /// How specific the rule's scope is: a region, an entity type, an action.
    pub fn specificity(&self) -> u8 {
        4 * u8::from(self.region.is_some()) + 2 * u8::from(self.entity_type.is_some()) + u8::from(self.action.is_some())
    }
}

/// An org's own rule (`POST …/policies`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePolicy {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    pub area: PolicyArea,
    #[schema(value_type = crate::core::geo::Country)]
    pub country: String,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text40>)]
    pub region: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text40>)]
    pub entity_type: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text40>)]
    pub action: Option<String>,
    #[serde(deserialize_with = "crate::validation::date::strict")]
    pub effective_from: NaiveDate,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub effective_to: Option<NaiveDate>,
    #[serde(default)]
    #[schema(minimum = -1000, maximum = 1000)]
    pub priority: i32,
    #[serde(default)]
    pub when: Option<Condition>,
    pub rule: RuleTerms,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub notes: Option<String>,
}

/// Changes to an org's rule (`PATCH`): the fields given replace the rule's; `effectiveTo`
/// and `region` may be set, not cleared (delete and create again).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdatePolicy {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub effective_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub effective_to: Option<NaiveDate>,
    #[serde(default)]
    #[schema(minimum = -1000, maximum = 1000)]
    pub priority: Option<i32>,
    #[serde(default)]
    pub when: Option<Condition>,
    #[serde(default)]
    pub rule: Option<RuleTerms>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub notes: Option<String>,
}

impl Validate for UpdatePolicy {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(n) = &self.name {
            crate::validation::check_text(&mut e, "name", n, 200);
        }
        if let Some(n) = &self.notes {
            crate::validation::check_text(&mut e, "notes", n, 200);
        }
        if self.priority.is_some_and(|p| !(-1000..=1000).contains(&p)) {
            e.push(FieldError::new("priority", "must be from -1000 to 1000"));
        }
        e
    }
}

/// `GET …/policies:resolve`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ResolveQuery {
    /// `deposit`, `late_fee`, `notice`, `rent_increase` or `deposit_return`.
    #[param(value_type = PolicyArea)]
    pub area: String,
    /// ISO 3166-1 alpha-2.
    #[param(value_type = crate::core::geo::Country)]
    pub country: String,
    /// A state or region (`NY`, `New York`, `ENG`).
    #[param(max_length = 40)]
    pub region: Option<String>,
    /// As of this day (default: today).
    pub date: Option<NaiveDate>,
    #[param(max_length = 40)]
    pub entity_type: Option<String>,
    #[param(max_length = 40)]
    pub action: Option<String>,
    /// The landlord is a small landlord (California's deposit exception).
    pub small_landlord: Option<bool>,
    /// The tenant is a service member.
    pub service_member: Option<bool>,
}

/// Why a candidate did not win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// In effect and applicable, but outranked by the winner.
    Outranked,
    /// Not in effect on the date asked about.
    NotInEffect,
    /// Its condition is not met by the facts.
    ConditionNotMet,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub policy: Policy,
    pub outcome: Outcome,
    pub reason: String,
}

/// The rule that applies, and every other rule of the place and area with why it did not.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    pub area: PolicyArea,
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub date: NaiveDate,
    /// None: no rule applies (nothing limits the product here).
    pub winner: Option<Policy>,
    pub reason: String,
    pub candidates: Vec<Candidate>,
}

impl Validate for CreatePolicy {
    fn validate(&self) -> Vec<FieldError> {
        use crate::validation::{check_opt_text, check_text};
        let mut e = Vec::new();
        if let Some(n) = &self.name {
            check_text(&mut e, "name", n, 200);
        }
        check_opt_text(&mut e, "notes", self.notes.as_deref(), 200);
        if !crate::core::geo::is_country(&self.country) {
            e.push(FieldError::new("country", "must be an ISO 3166-1 alpha-2 country code"));
        }
        for (field, v, max) in
            [("region", &self.region, 40), ("entityType", &self.entity_type, 40), ("action", &self.action, 40)]
        {
            if let Some(v) = v {
                check_text(&mut e, field, v, max);
            }
        }
        if self.effective_to.is_some_and(|t| t < self.effective_from) {
            e.push(FieldError::new("effectiveTo", "must not be before effectiveFrom"));
        }
        if !(-1000..=1000).contains(&self.priority) {
            e.push(FieldError::new("priority", "must be from -1000 to 1000"));
        }
        self.rule.check(self.area, &mut e);
        e
    }
}

impl RuleTerms {
    /// The fields `area` takes, each in range; at least one given.
    pub fn check(&self, area: PolicyArea, e: &mut Vec<FieldError>) {
        let given = self.given();
        let allowed: &[&str] = match area {
            PolicyArea::Deposit => &[
                "maxMonths",
                "maxMonthsFurnished",
                "maxWeeks",
                "highRentWeeks",
                "highRentAnnualThreshold",
                "instalments",
            ],
            PolicyArea::LateFee => {
                &["graceDays", "maxFlat", "maxPercentOfRent", "interestOverBaseRate", "reasonableOnly"]
            }
            PolicyArea::Notice => &["tiers", "byWorkingDayOfMonth"],
            PolicyArea::RentIncrease => &["maxPercent"],
            PolicyArea::DepositReturn => &["returnWithinDays"],
        };
        for g in &given {
            if !allowed.contains(g) {
                e.push(FieldError::new(format!("rule.{g}"), format!("is not a term of a {} rule", area.as_str())));
            }
        }
        if given.is_empty() {
            e.push(FieldError::new("rule", format!("give at least one of {}", allowed.join(", "))));
        }
        self.check_ranges(e);
    }

    fn given(&self) -> Vec<&'static str> {
        let mut g = Vec::new();
        let mut add = |set: bool, name: &'static str| {
            if set {
                g.push(name);
            }
        };
        add(self.max_months.is_some(), "maxMonths");
        add(self.max_months_furnished.is_some(), "maxMonthsFurnished");
        add(self.max_weeks.is_some(), "maxWeeks");
        add(self.high_rent_weeks.is_some(), "highRentWeeks");
        add(self.high_rent_annual_threshold.is_some(), "highRentAnnualThreshold");
        add(self.instalments.is_some(), "instalments");
        add(self.grace_days.is_some(), "graceDays");
        add(self.max_flat.is_some(), "maxFlat");
        add(self.max_percent_of_rent.is_some(), "maxPercentOfRent");
        add(self.interest_over_base_rate.is_some(), "interestOverBaseRate");
        add(self.reasonable_only.is_some(), "reasonableOnly");
        add(self.tiers.is_some(), "tiers");
        add(self.by_working_day_of_month.is_some(), "byWorkingDayOfMonth");
        add(self.max_percent.is_some(), "maxPercent");
        add(self.return_within_days.is_some(), "returnWithinDays");
        g
    }

    fn check_ranges(&self, e: &mut Vec<FieldError>) {
        let pct = |e: &mut Vec<FieldError>, f: &str, v: Option<Decimal>, max: i64| {
            if v.is_some_and(|v| v < Decimal::ZERO || v > Decimal::from(max)) {
                e.push(FieldError::new(format!("rule.{f}"), format!("must be from 0 to {max}")));
            }
        };
        pct(e, "maxMonths", self.max_months, 12);
        pct(e, "maxMonthsFurnished", self.max_months_furnished, 12);
        pct(e, "maxPercentOfRent", self.max_percent_of_rent, 100);
        pct(e, "interestOverBaseRate", self.interest_over_base_rate, 100);
        pct(e, "maxPercent", self.max_percent, 100);
        for (f, w) in [("maxWeeks", self.max_weeks), ("highRentWeeks", self.high_rent_weeks)] {
            if w.is_some_and(|w| w > 52) {
                e.push(FieldError::new(format!("rule.{f}"), "must be from 0 to 52"));
            }
        }
        if self.high_rent_weeks.is_some() != self.high_rent_annual_threshold.is_some() {
            e.push(FieldError::new("rule.highRentWeeks", "give highRentWeeks and highRentAnnualThreshold together"));
        }
        for (f, m) in [("highRentAnnualThreshold", &self.high_rent_annual_threshold), ("maxFlat", &self.max_flat)] {
            match m.as_ref().map(|m| m.to_money(&format!("rule.{f}"))) {
                Some(Ok(m)) if m.minor < 0 => {
                    e.push(FieldError::new(format!("rule.{f}.amount"), "must not be negative"))
                }
                Some(Err(err)) => e.push(err),
                _ => {}
            }
        }
        if self.instalments.is_some_and(|n| !(1..=12).contains(&n)) {
            e.push(FieldError::new("rule.instalments", "must be from 1 to 12"));
        }
        for (f, d) in [("graceDays", self.grace_days), ("returnWithinDays", self.return_within_days)] {
            if d.is_some_and(|d| d > 366) {
                e.push(FieldError::new(format!("rule.{f}"), "must be at most 366"));
            }
        }
        if self.by_working_day_of_month.is_some_and(|d| !(1..=20).contains(&d)) {
            e.push(FieldError::new("rule.byWorkingDayOfMonth", "must be from 1 to 20"));
        }
        self.check_tiers(e);
    }

    fn check_tiers(&self, e: &mut Vec<FieldError>) {
        let Some(tiers) = &self.tiers else { return };
        if tiers.is_empty() || tiers.len() > 10 {
            e.push(FieldError::new("rule.tiers", "give from 1 to 10 tiers"));
        }
        for (i, t) in tiers.iter().enumerate() {
            if t.days.is_some() == t.months.is_some() {
                e.push(FieldError::new(format!("rule.tiers[{i}]"), "give exactly one of days or months"));
            }
            if t.days.is_some_and(|d| d > 730)
                || t.months.is_some_and(|m| !(1..=24).contains(&m))
                || t.min_tenure_months > 1200
            {
                e.push(FieldError::new(
                    format!("rule.tiers[{i}]"),
                    "at most 730 days or 1 to 24 months, from at most 1200 months of tenure",
                ));
            }
            if i > 0 && tiers[i - 1].min_tenure_months >= t.min_tenure_months {
                e.push(FieldError::new(format!("rule.tiers[{i}].minTenureMonths"), "tiers must rise in tenure"));
            }
        }
    }
}

//! Bank rules: conditions on a bank transaction (which account, words in its description or a
//! regular expression, an amount range, the direction) → how it is booked (an expense account,
//! a vendor, a building or unit). A new transaction the matcher could not place is booked by the
//! first rule that fits it (oldest first): an expense paid from the bank account, matched to the
//! transaction. A rule made with `applyTo: past_and_future` is also run over the unmatched
//! transactions already there. Rules book money going out (expenses); `direction: in` is refused.

use super::events::BankRuleChanged;
use super::model::*;
use super::reconcile::{self, ExpenseFromBank};
use crate::books::expense_model::{ExpenseScope, ScopeType};
use crate::core::audit::audit;
use crate::ids::BankRuleId;
use crate::money::{Currency, Money};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, Query, Tx};
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest regular expression a rule may hold.
const MAX_REGEX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplyTo {
    #[default]
    Future,
    PastAndFuture,
}

/// All the conditions given must hold (at least one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Conditions {
    /// The chart's bank account the transaction is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Case-insensitive, in the description or merchant name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub description_contains: Option<String>,
    /// A regular expression over the description and merchant name (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub description_regex: Option<String>,
    /// The amount's size (positive), from and to, inclusive: `"50.00"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[0-9]{1,12}(\\.[0-9]{1,2})?$", example = "50.00")]
    pub amount_min: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[0-9]{1,12}(\\.[0-9]{1,2})?$", example = "500.00")]
    pub amount_max: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
}

/// How a transaction it fits is booked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Actions {
    /// The expense account.
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankRule {
    pub id: BankRuleId,
    pub name: Option<String>,
    pub conditions: Conditions,
    pub actions: Actions,
    pub apply_to: ApplyTo,
    /// How many transactions it booked when it was saved with `past_and_future`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_to_past: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST …/bank-rules`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateBankRule {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    pub conditions: Conditions,
    pub actions: Actions,
    #[serde(default)]
    pub apply_to: ApplyTo,
}

/// `PATCH …/bank-rules/{ruleId}`: what is given replaces what was.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateBankRule {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    #[serde(default)]
    pub conditions: Option<Conditions>,
    #[serde(default)]
    pub actions: Option<Actions>,
    #[serde(default)]
    pub apply_to: Option<ApplyTo>,
}

fn amount(field: &str, v: &Option<String>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let usd = Currency::parse("USD").expect("USD");
    let text = v.as_deref()?;
    match Money::parse(text, usd) {
        Ok(m) if m.minor >= 0 => Some(m.minor),
        _ => {
            errors.push(FieldError::new(field, "a positive amount with at most 2 decimals, e.g. \"50.00\""));
            None
        }
    }
}

fn regex(pattern: &str) -> std::result::Result<regex_lite::Regex, String> {
    if pattern.len() > MAX_REGEX {
        return Err(format!("at most {MAX_REGEX} characters"));
    }
    regex_lite::RegexBuilder::new(pattern).case_insensitive(true).build().map_err(|e| e.to_string())
}

/// What is wrong with `c` (the account ids are checked against the chart by the caller).
fn check_conditions(c: &Conditions, errors: &mut Vec<FieldError>) {
    let any = c.account_id.is_some()
        || c.description_contains.as_deref().is_some_and(|s| !s.trim().is_empty())
        || c.description_regex.is_some()
        || c.amount_min.is_some()
        || c.amount_max.is_some()
        || c.direction.is_some();
    if !any {
        errors.push(FieldError::new("conditions", "give at least one condition"));
    }
    crate::validation::check_opt_text(errors, "conditions.descriptionContains", c.description_contains.as_deref(), 200);
    if let Some(p) = &c.description_regex {
        if let Err(e) = regex(p) {
            errors.push(FieldError::new("conditions.descriptionRegex", format!("not a valid regular expression: {e}")));
        }
    }
    let min = amount("conditions.amountMin", &c.amount_min, errors);
    let max = amount("conditions.amountMax", &c.amount_max, errors);
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            errors.push(FieldError::new("conditions.amountMax", "must not be below amountMin"));
        }
    }
    if c.direction == Some(Direction::In) {
        errors.push(FieldError::new("conditions.direction", "rules book expenses: money going out (\"out\")"));
    }
}

/// Whether `rule` fits `t` (pure).
pub fn fits(c: &Conditions, t: &TransactionRecord) -> bool {
    let size = t.amount.minor.abs();
    let text = format!("{} {}", t.description, t.merchant_name.as_deref().unwrap_or(""));
    // The bounds are amounts of the transaction's own currency, compared as decimals.
    let bound = |v: &Option<String>| v.as_deref().and_then(|a| a.parse::<rust_decimal::Decimal>().ok());
    let size = crate::money::Money::new(size, t.amount.currency).to_decimal();
    t.amount.minor < 0
        && c.account_id.as_deref().is_none_or(|a| t.account_id.as_str() == a)
        && c.description_contains.as_deref().is_none_or(|w| text.to_lowercase().contains(&w.trim().to_lowercase()))
        && c.description_regex.as_deref().is_none_or(|p| regex(p).is_ok_and(|r| r.is_match(&text)))
        && bound(&c.amount_min).is_none_or(|lo| size >= lo)
        && bound(&c.amount_max).is_none_or(|hi| size <= hi)
        && c.direction.is_none_or(|d| d == Direction::Out)
}

fn scope_of(a: &Actions) -> Option<ExpenseScope> {
    match (&a.unit_id, &a.building_id) {
        (Some(u), _) => Some(ExpenseScope { type_: ScopeType::Unit, id: Some(u.clone()) }),
        (None, Some(b)) => Some(ExpenseScope { type_: ScopeType::Building, id: Some(b.clone()) }),
        (None, None) => None,
    }
}

fn expense_of(a: &Actions) -> ExpenseFromBank {
    ExpenseFromBank {
        account_id: a.account_id.clone(),
        amount: None,
        vendor_id: a.vendor_id.clone(),
        scope: scope_of(a),
        memo: None,
    }
}

/// Checks the rule's accounts, vendor, building and unit the way booking it would: an expense
/// of 1.00 today from the operating account, decided and thrown away.
async fn check(cx: &Ctx<'_>, c: &Conditions, a: &Actions) -> Result<()> {
    let mut errors = Vec::new();
    check_conditions(c, &mut errors);
    if let Some(id) = c.account_id.as_deref().filter(|id| crate::ids::AccountId::parse(id).is_none()) {
        errors.push(FieldError::new("conditions.accountId", format!("{id:.40} is not an account id")));
    }
    if let Some(id) = &c.account_id {
        let chart = crate::books::accounts::chart(cx).await?;
        if crate::books::accounts::find(&chart, id).is_none() {
            errors.push(FieldError::new("conditions.accountId", "no such account in this org"));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let input = crate::books::expense_model::CreateExpense {
        date: cx.now.date_naive(),
        amount: crate::money::MoneyDto { amount: "1.00".into(), currency: "USD".into() },
        account_id: a.account_id.clone(),
        vendor_id: a.vendor_id.clone(),
        scope: scope_of(a),
        splits: None,
        split: None,
        paid_from: Some(crate::ids::AccountId::of(cx.scope.org_id(), crate::books::chart::code::OPERATING).to_string()),
        status: None,
        due_date: None,
        memo: None,
        reference: None,
    };
    let rename = |f: String| match f.as_str() {
        "accountId" | "vendorId" => format!("actions.{f}"),
        "scope.id" | "scope" => "actions.buildingId".to_owned(),
        _ => format!("actions.{f}"),
    };
    match crate::books::expenses::decide_new(cx, &input, crate::ids::ExpenseId::new()).await {
        Ok(_) => Ok(()),
        Err(Error::Invalid(errs)) => {
            Err(Error::Invalid(errs.into_iter().map(|e| FieldError::new(rename(e.field), e.message)).collect()))
        }
        Err(e) => Err(e),
    }
}

impl crate::validation::Validate for CreateBankRule {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_conditions(&self.conditions, &mut errors);
        check_actions(&self.actions, &mut errors);
        check_name(&self.name, &mut errors);
        errors
    }
}

impl crate::validation::Validate for UpdateBankRule {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(c) = &self.conditions {
            check_conditions(c, &mut errors);
        }
        if let Some(a) = &self.actions {
            check_actions(a, &mut errors);
        }
        check_name(&self.name, &mut errors);
        errors
    }
}

fn check_name(name: &Option<String>, errors: &mut Vec<FieldError>) {
    crate::validation::check_opt_text(errors, "name", name.as_deref(), 200);
}

/// The ids an action names are checked for their shape here (what they name, when booked).
fn check_actions(a: &Actions, errors: &mut Vec<FieldError>) {
    let mut id = |field: &str, v: Option<&str>, ok: fn(&str) -> bool| {
        if v.is_some_and(|v| !ok(v)) {
            errors.push(FieldError::new(format!("actions.{field}"), "not an id of this kind"));
        }
    };
    id("accountId", Some(&a.account_id), |v| crate::ids::AccountId::parse(v).is_some());
    id("vendorId", a.vendor_id.as_deref(), |v| crate::ids::VendorId::parse(v).is_some());
    id("buildingId", a.building_id.as_deref(), |v| crate::ids::BuildingId::parse(v).is_some());
    id("unitId", a.unit_id.as_deref(), |v| crate::ids::UnitId::parse(v).is_some());
}

fn rule_item(cx: &Ctx<'_>, r: &BankRule) -> db::Item {
    ItemBuilder::new(RULE_ENTITY, &keys::bank_rule(cx.scope, r.id.as_str()), r).build()
}

pub async fn create(cx: &Ctx<'_>, input: CreateBankRule) -> Result<BankRule> {
    check(cx, &input.conditions, &input.actions).await?;
    let mut rule = BankRule {
        id: BankRuleId::new(),
        name: input.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        conditions: input.conditions,
        actions: input.actions,
        apply_to: input.apply_to,
        applied_to_past: None,
        created_at: cx.now,
        updated_at: cx.now,
    };
    save(cx, None, &rule, "created").await?;
    if rule.apply_to == ApplyTo::PastAndFuture {
        rule.applied_to_past = Some(apply_to_past(cx, &rule).await?);
    }
    Ok(rule)
}

async fn save(cx: &Ctx<'_>, before: Option<&BankRule>, after: &BankRule, change: &str) -> Result<()> {
    let mut tx = Tx::new();
    let cond = match before {
        None => Expr::not_exists(),
        Some(b) => Expr::new("#u = :u")
            .name("#u", "updatedAt")
            .value(":u", db::s(b.updated_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))),
    };
    tx.put(rule_item(cx, after), Some(cond));
    let json = |r: &BankRule| serde_json::to_value(r).ok();
    audit(
        &mut tx,
        cx,
        &format!("bank_rule.{change}"),
        ("bank_rule", after.id.as_str()),
        before.and_then(json),
        json(after),
    );
    crate::events::emit(&mut tx, cx.scope, &BankRuleChanged { rule_id: after.id.to_string(), change: change.into() });
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the rule changed meanwhile; read it again".into()),
        false => e.into(),
    })
}

pub async fn get(cx: &Ctx<'_>, id: &str) -> Result<BankRule> {
    let id = BankRuleId::parse(id).ok_or(Error::NotFound("bank rule"))?;
    cx.db.get_as(&keys::bank_rule(cx.scope, id.as_str())).await?.ok_or(Error::NotFound("bank rule"))
}

/// Every rule, oldest first (the order they are tried in).
pub async fn list(cx: &Ctx<'_>) -> Result<Vec<BankRule>> {
    let (pk, prefix) = keys::bank_rules(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    let mut rules = items.into_iter().map(db::from_item::<BankRule>).collect::<std::result::Result<Vec<_>, _>>()?;
    rules.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.as_str().cmp(b.id.as_str())));
    Ok(rules)
}

pub async fn update(cx: &Ctx<'_>, id: &str, input: UpdateBankRule) -> Result<BankRule> {
    let before = get(cx, id).await?;
    let mut after = BankRule {
        name: input.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).or(before.name.clone()),
        conditions: input.conditions.unwrap_or_else(|| before.conditions.clone()),
        actions: input.actions.unwrap_or_else(|| before.actions.clone()),
        apply_to: input.apply_to.unwrap_or(before.apply_to),
        applied_to_past: None,
        updated_at: cx.now,
        ..before.clone()
    };
    check(cx, &after.conditions, &after.actions).await?;
    save(cx, Some(&before), &after, "updated").await?;
    if after.apply_to == ApplyTo::PastAndFuture {
        after.applied_to_past = Some(apply_to_past(cx, &after).await?);
    }
    Ok(after)
}

pub async fn delete(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let before = get(cx, id).await?;
    let mut tx = Tx::new();
    tx.delete(keys::bank_rule(cx.scope, before.id.as_str()), Some(Expr::exists()));
    audit(
        &mut tx,
        cx,
        "bank_rule.deleted",
        ("bank_rule", before.id.as_str()),
        serde_json::to_value(&before).ok(),
        None,
    );
    crate::events::emit(
        &mut tx,
        cx.scope,
        &BankRuleChanged { rule_id: before.id.to_string(), change: "deleted".into() },
    );
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() {
        true => Error::NotFound("bank rule"),
        false => e.into(),
    })
}

/// Books `t` by `rule`: an expense paid from its bank account, matched to it, in one
/// transaction. False when `t` changed meanwhile (someone else placed it).
pub async fn book(cx: &Ctx<'_>, rule: &BankRule, t: &TransactionRecord) -> Result<bool> {
    let expense = reconcile::expense_from(
        cx,
        t,
        &expense_of(&rule.actions),
        &Money::new(-t.amount.minor, t.amount.currency).amount_string(),
    )
    .await?;
    let mut tx = Tx::new();
    crate::books::expenses::write_new(&mut tx, cx, &expense);
    let line = super::events::MatchedLine {
        kind: "expense".into(),
        id: expense.id.to_string(),
        amount: t.money().into(),
        from_account_code: expense.paid_from_code.clone().unwrap_or_default(),
    };
    reconcile::write_match(&mut tx, cx, t, vec![line], &format!("rule:{}", rule.id));
    match cx.db.transact(tx).await {
        Ok(()) => Ok(true),
        Err(e) if e.failed_conditions().is_some() || e.is_conflict() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The first rule (oldest first) that fits `t`.
pub fn first_fit<'a>(rules: &'a [BankRule], t: &TransactionRecord) -> Option<&'a BankRule> {
    rules.iter().find(|r| fits(&r.conditions, t))
}

/// Runs `rule` over the unmatched, posted transactions there already; answers how many it booked.
async fn apply_to_past(cx: &Ctx<'_>, rule: &BankRule) -> Result<u32> {
    let q = Query::partition(db::Index::Gsi1, keys::bank_transactions_in(cx.scope, BankStatus::Unmatched.as_str()));
    let mut booked = 0;
    for item in cx.db.query_all(q).await? {
        let t: TransactionRecord = db::from_item(item)?;
        if !t.pending && fits(&rule.conditions, &t) && book(cx, rule, &t).await? {
            booked += 1;
        }
    }
    Ok(booked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txn(minor: i64, currency: &str, text: &str) -> TransactionRecord {
        crate::banking::model::sample(minor, currency, "2026-11-12", text)
    }

    #[test]
    fn conditions_hold_together_on_money_going_out_in_its_own_currency() {
        let water = Conditions {
            description_contains: Some(" City Water ".into()),
            amount_min: Some("50.00".into()),
            amount_max: Some("100".into()),
            ..Conditions::default()
        };
        assert!(fits(&water, &txn(-8_640, "USD", "CITY WATER DEPT")));
        assert!(!fits(&water, &txn(8_640, "USD", "CITY WATER DEPT")), "money in");
        assert!(!fits(&water, &txn(-4_999, "USD", "CITY WATER DEPT")), "below the minimum");
        assert!(fits(&water, &txn(-10_000, "USD", "CITY WATER DEPT")), "the maximum is inclusive");
        assert!(!fits(&water, &txn(-10_001, "USD", "CITY WATER DEPT")));
        assert!(!fits(&water, &txn(-8_640, "USD", "COUNTY WATER")));
        assert!(fits(&water, &txn(-80, "JPY", "city water")), "80 yen is within 50–100 yen");
        let regex = Conditions { description_regex: Some(r"^ace\s+plumb".into()), ..Conditions::default() };
        assert!(fits(&regex, &txn(-1, "USD", "ACE  PLUMBING INC")));
        assert!(!fits(&regex, &txn(-1, "USD", "THE ACE PLUMBING")));
    }

    #[test]
    fn a_rule_needs_a_condition_a_pattern_that_compiles_and_min_below_max() {
        let mut errors = Vec::new();
        check_conditions(&Conditions::default(), &mut errors);
        assert_eq!(errors[0].field, "conditions");
        let mut errors = Vec::new();
        let bad = Conditions {
            description_regex: Some("(".into()),
            amount_min: Some("10.00".into()),
            amount_max: Some("9.99".into()),
            direction: Some(Direction::In),
            ..Conditions::default()
        };
        check_conditions(&bad, &mut errors);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["conditions.descriptionRegex", "conditions.amountMax", "conditions.direction"]);
    }
}

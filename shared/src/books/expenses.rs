//! Expenses and bills: booked for the portfolio, a building, a unit, or split exactly across
//! buildings and units (by hand, or by unit count or floor area with largest remainders); paid
//! from a bank or cash account, or owed as a bill and paid later. Every change that moves money
//! emits the event the books post from; a void is a reversing entry and a re-classification a
//! correcting one, never an edit of what was posted.

use super::accounts::{chart, find};
use super::chart::{code, AccountSubtype, AccountType};
use super::events::{
    ExpenseApprovalRequested, ExpensePaid, ExpensePart, ExpenseReclassified, ExpenseRecorded, ExpenseRejected,
    ExpenseVoided,
};
use super::expense_model::*;
use super::model::Account;
use super::split::largest_remainder;
use crate::core::audit::audit;
use crate::events;
use crate::ids::{BuildingId, ExpenseId, UnitId, VendorId};
use crate::money::{Currency, Money, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::idempotency::Claim;
use crate::{Error, FieldError, Result};
use chrono::NaiveDate;
use std::collections::BTreeMap;

type Chart = BTreeMap<String, Account>;

/// A named account the org does not have: the request answers 404.
const MISSING: &str = "no such account in this org";

/// 404 when a named account does not exist; 400 for every other problem.
fn refused(errors: Vec<FieldError>) -> Error {
    match errors.iter().any(|e| e.message == MISSING) {
        true => Error::NotFound("account"),
        false => Error::Invalid(errors),
    }
}

/// The account an expense is booked to: an open expense account or fixed-asset account.
fn expense_account<'a>(chart: &'a Chart, id: &str) -> std::result::Result<&'a Account, FieldError> {
    match find(chart, id) {
        Some(a) if a.archived => Err(FieldError::new("accountId", "the account is archived")),
        Some(a) if a.type_ == AccountType::Expense || a.subtype == Some(AccountSubtype::FixedAsset) => Ok(a),
        Some(_) => Err(FieldError::new("accountId", "must be an expense or fixed-asset account")),
        None => Err(FieldError::new("accountId", MISSING)),
    }
}

/// The account money leaves from: an open bank or cash account in the expense's currency.
fn paying_account<'a>(
    chart: &'a Chart,
    field: &str,
    id: &str,
    c: Currency,
) -> std::result::Result<&'a Account, FieldError> {
    match find(chart, id) {
        Some(a) if a.archived => Err(FieldError::new(field, "the account is archived")),
        Some(a) if !matches!(a.subtype, Some(AccountSubtype::Bank | AccountSubtype::Cash)) => {
            Err(FieldError::new(field, "must be a bank or cash account"))
        }
        Some(a) if a.currency.as_deref().is_some_and(|ac| ac != c.code()) => {
            Err(FieldError::new(field, format!("the account holds {}", a.currency.as_deref().unwrap_or_default())))
        }
        Some(a) => Ok(a),
        None => Err(FieldError::new(field, MISSING)),
    }
}

/// Where a building or unit id points: the unit's building for a unit.
async fn place(
    cx: &Ctx<'_>,
    field: &str,
    building: Option<&str>,
    unit: Option<&str>,
) -> Result<(Option<BuildingId>, Option<UnitId>)> {
    let missing = |_: &str| Error::NotFound("building or unit");
    match (building, unit) {
        (_, Some(u)) => {
            let id = UnitId::parse(u).ok_or_else(|| missing("unitId"))?;
            let item = cx.db.get(&keys::unit(cx.scope, &id)).await?.ok_or_else(|| missing("unitId"))?;
            let b = item.get("buildingId").and_then(|v| v.as_s().ok()).and_then(|s| BuildingId::parse(s));
            if let (Some(want), Some(have)) = (building, &b) {
                if want != have.as_str() {
                    return Err(Error::invalid(format!("{field}.unitId"), "the unit is not in that building"));
                }
            }
            Ok((b, Some(id)))
        }
        (Some(b), None) => {
            let id = BuildingId::parse(b).ok_or_else(|| missing("buildingId"))?;
            cx.db.get(&keys::building(cx.scope, &id)).await?.ok_or_else(|| missing("buildingId"))?;
            Ok((Some(id), None))
        }
        (None, None) => Ok((None, None)),
    }
}

/// The parts of an expense of `total` minor units in `c`: one for a scope, the given splits
/// (which must sum exactly to the total), or a split by unit count or area.
async fn parts_of(
    cx: &Ctx<'_>,
    total: i64,
    c: Currency,
    scope: &Option<ExpenseScope>,
    splits: &Option<Vec<Split>>,
    rule: &Option<SplitRule>,
) -> Result<(Vec<PartRecord>, bool)> {
    match (scope, splits, rule) {
        (_, Some(_), Some(_)) | (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            Err(Error::invalid("scope", "give one of scope, splits or split"))
        }
        (_, Some(list), None) => Ok((exact_splits(cx, total, c, list).await?, true)),
        (None, None, Some(r)) => Ok((split_by(cx, total, r).await?, true)),
        (s, None, None) => {
            let s = s.clone().unwrap_or(ExpenseScope { type_: ScopeType::Portfolio, id: None });
            let (b, u) = match (s.type_, s.id.as_deref()) {
                (ScopeType::Portfolio, None) => (None, None),
                (ScopeType::Building, Some(id)) => place(cx, "scope", Some(id), None).await?,
                (ScopeType::Unit, Some(id)) => place(cx, "scope", None, Some(id)).await?,
                _ => {
                    return Err(Error::invalid("scope.id", "a building or unit scope names its id; the portfolio none"))
                }
            };
            Ok((vec![PartRecord { building_id: b, unit_id: u, minor: total }], false))
        }
    }
}

async fn exact_splits(cx: &Ctx<'_>, total: i64, c: Currency, list: &[Split]) -> Result<Vec<PartRecord>> {
    if list.is_empty() || list.len() > 50 {
        return Err(Error::invalid("splits", "give 1–50 parts"));
    }
    let mut out = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let field = format!("splits[{i}]");
        let m = s.amount.to_money(&format!("{field}.amount")).map_err(|e| Error::Invalid(vec![e]))?;
        if m.currency != c {
            return Err(Error::invalid(format!("{field}.amount.currency"), format!("the expense is in {c}")));
        }
        if m.minor <= 0 {
            return Err(Error::invalid(format!("{field}.amount.amount"), "must be more than zero"));
        }
        if s.building_id.is_none() && s.unit_id.is_none() {
            return Err(Error::invalid(field, "names a buildingId or a unitId"));
        }
        let (b, u) = place(cx, &field, s.building_id.as_deref(), s.unit_id.as_deref()).await?;
        out.push(PartRecord { building_id: b, unit_id: u, minor: m.minor });
    }
    let sum: i64 = out.iter().map(|p| p.minor).sum();
    if sum != total {
        let (s, t) = (Money::new(sum, c).amount_string(), Money::new(total, c).amount_string());
        return Err(Error::invalid("splits", format!("the parts sum to {s}, not the amount {t}")));
    }
    Ok(out)
}

/// Parts by unit count or floor area of each building, with largest remainders.
async fn split_by(cx: &Ctx<'_>, total: i64, rule: &SplitRule) -> Result<Vec<PartRecord>> {
    if rule.building_ids.is_empty() || rule.building_ids.len() > 50 {
        return Err(Error::invalid("split.buildingIds", "name 1–50 buildings"));
    }
    let mut weights = Vec::new();
    let mut ids = Vec::new();
    for (i, b) in rule.building_ids.iter().enumerate() {
        let (Some(id), _) = place(cx, &format!("split.buildingIds[{i}]"), Some(b), None).await? else { unreachable!() };
        if ids.contains(&id) {
            return Err(Error::invalid(format!("split.buildingIds[{i}]"), "is named twice"));
        }
        let units = cx.db.query_all(Query::partition(db::Index::Gsi1, keys::units_of_building(cx.scope, &id))).await?;
        let w: u64 = match rule.by {
            SplitBy::Units => units.len() as u64,
            SplitBy::Area => units
                .iter()
                .filter_map(|u| u.get("areaSqft").and_then(|v| v.as_n().ok()).and_then(|v| v.parse::<u64>().ok()))
                .sum(),
        };
        weights.push(w);
        ids.push(id);
    }
    let shares = largest_remainder(total, &weights).map_err(|e| Error::invalid("split", e.to_string()))?;
    Ok(ids
        .into_iter()
        .zip(shares)
        .map(|(b, minor)| PartRecord { building_id: Some(b), unit_id: None, minor })
        .collect())
}

fn event_parts(e: &ExpenseRecord) -> Vec<ExpensePart> {
    e.parts
        .iter()
        .map(|p| ExpensePart {
            building_id: p.building_id.as_ref().map(|b| b.to_string()),
            unit_id: p.unit_id.as_ref().map(|u| u.to_string()),
            amount: Money::new(p.minor, e.amount.currency).into(),
        })
        .collect()
}

/// What the booking credited: Accounts payable for a bill (it has a due date), else the bank
/// it was paid from.
fn credit_account(e: &ExpenseRecord) -> String {
    match (&e.due_date, &e.paid_from_code) {
        (None, Some(bank)) => bank.clone(),
        _ => code::PAYABLE.to_owned(),
    }
}

pub fn recorded_event(e: &ExpenseRecord) -> ExpenseRecorded {
    ExpenseRecorded {
        expense_id: e.id.clone(),
        date: e.date,
        amount: Money::from(e.amount).into(),
        account_code: e.account_code.clone(),
        vendor_id: e.vendor_id.clone(),
        parts: event_parts(e),
        credit_account: credit_account(e),
        status: e.status,
        fx: e.fx.clone(),
    }
}

fn item(cx: &Ctx<'_>, e: &ExpenseRecord) -> db::Item {
    ItemBuilder::new(EXPENSE_ENTITY, &keys::expense(cx.scope, e.date, &e.id), e).version(e.v).build()
}

/// A new expense (booked, or a draft), its pointer, the vendor's counter and its event, in `tx`.
pub fn write_new(tx: &mut Tx, cx: &Ctx<'_>, e: &ExpenseRecord) {
    tx.put(item(cx, e), Some(Expr::not_exists()));
    let pointer = serde_json::json!({"date": e.date});
    tx.put(
        ItemBuilder::new(EXPENSE_POINTER_ENTITY, &keys::expense_pointer(cx.scope, &e.id), &pointer).build(),
        Some(Expr::not_exists()),
    );
    if let Some(v) = &e.vendor_id {
        let add = Expr::new("ADD expenseCount :one").value(":one", n(1));
        tx.update(keys::vendor(cx.scope, v), add, Some(Expr::exists()));
    }
    match e.status {
        ExpenseStatus::Draft => {}
        ExpenseStatus::PendingApproval => {
            events::emit(tx, cx.scope, &approval_requested(e));
        }
        _ => {
            events::emit(tx, cx.scope, &recorded_event(e));
        }
    }
}

/// What an expense held for approval is announced with (the payload `expense.recorded` will
/// carry once it is approved).
pub fn approval_requested(e: &ExpenseRecord) -> ExpenseApprovalRequested {
    let r = recorded_event(e);
    ExpenseApprovalRequested {
        expense_id: r.expense_id,
        date: r.date,
        amount: r.amount,
        account_code: r.account_code,
        vendor_id: r.vendor_id,
        parts: r.parts,
        credit_account: r.credit_account,
        fx: r.fx,
    }
}

/// The writes that settle an expense held for approval: approved, it is booked as it was
/// entered (a bill when it has a due date, else paid) with `expense.recorded`; rejected, it is
/// void and was never booked (`expense.rejected`).
pub fn settle_held(
    tx: &mut Tx,
    cx: &Ctx<'_>,
    before: &ExpenseRecord,
    approved: bool,
    reason: Option<String>,
) -> Result<()> {
    if before.status != ExpenseStatus::PendingApproval {
        return Err(Error::Conflict(
            format!("the expense is {:?}, not awaiting approval", before.status).to_lowercase(),
        ));
    }
    let mut e = before.clone();
    e.status = match (approved, e.due_date.is_some()) {
        (false, _) => ExpenseStatus::Void,
        (true, true) => ExpenseStatus::Unpaid,
        (true, false) => ExpenseStatus::Paid,
    };
    if !approved {
        e.voided_on = Some(cx.today_utc().max(e.date));
    } else if e.status == ExpenseStatus::Paid {
        e.paid_on = Some(e.date);
    }
    e.updated_at = cx.now;
    e.v += 1;
    rewrite(tx, cx, before, &e, if approved { "expense.approved" } else { "expense.rejected" });
    if approved {
        events::emit(tx, cx.scope, &recorded_event(&e));
    } else {
        events::emit(tx, cx.scope, &ExpenseRejected { expense_id: e.id.clone(), reason });
    }
    Ok(())
}

/// How a new expense is paid: from a bank or cash account (`paidFrom`), or later as a bill
/// (`status: unpaid` with a `dueDate`); what is wrong goes to `errors`.
fn paid_from<'a>(
    chart: &'a BTreeMap<String, Account>,
    input: &CreateExpense,
    currency: Option<Currency>,
    errors: &mut Vec<FieldError>,
) -> Option<&'a Account> {
    let unpaid = input.status == Some(NewStatus::Unpaid);
    let account = match (&input.paid_from, unpaid, currency) {
        (Some(p), false, Some(c)) => paying_account(chart, "paidFrom", p, c).map_err(|e| errors.push(e)).ok(),
        (Some(_), true, _) => {
            errors.push(FieldError::new("paidFrom", "an unpaid bill is paid later with :pay"));
            None
        }
        (None, false, _) => {
            errors.push(FieldError::new("paidFrom", "required (or \"status\": \"unpaid\" with a dueDate for a bill)"));
            None
        }
        _ => None,
    };
    if unpaid && input.due_date.is_none() {
        errors.push(FieldError::new("dueDate", "a bill needs its due date"));
    }
    if !unpaid && input.due_date.is_some() {
        errors.push(FieldError::new("dueDate", "only a bill (\"status\": \"unpaid\") has a due date"));
    }
    account
}

/// Checks a create request against the chart and the org; answers the record to write.
pub async fn decide_new(cx: &Ctx<'_>, input: &CreateExpense, id: ExpenseId) -> Result<ExpenseRecord> {
    let chart = chart(cx).await?;
    let mut errors = Vec::new();
    let amount = match input.amount.to_money("amount") {
        Ok(m) if m.minor > 0 && m.minor <= crate::billing::model::MAX_MINOR => Some(m),
        Ok(_) => {
            errors.push(FieldError::new("amount.amount", "must be more than zero"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let account = expense_account(&chart, &input.account_id).map_err(|e| errors.push(e)).ok();
    let unpaid = input.status == Some(NewStatus::Unpaid);
    let paid_from = paid_from(&chart, input, amount.map(|m| m.currency), &mut errors);
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    let (amount, account) = (amount.expect("checked"), account.expect("checked"));
    let vendor_id = vendor(cx, input.vendor_id.as_deref()).await?;
    let (parts, split) = parts_of(cx, amount.minor, amount.currency, &input.scope, &input.splits, &input.split).await?;
    let e = ExpenseRecord {
        id,
        date: input.date,
        amount: StoredMoney::from(amount),
        account_id: account.id.clone(),
        account_code: account.code.clone(),
        vendor_id,
        scope: if split {
            None
        } else {
            Some(input.scope.clone().unwrap_or(ExpenseScope { type_: ScopeType::Portfolio, id: None }))
        },
        parts,
        split,
        status: if unpaid { ExpenseStatus::Unpaid } else { ExpenseStatus::Paid },
        paid_from: paid_from.map(|a| a.id.clone()),
        paid_from_code: paid_from.map(|a| a.code.clone()),
        paid_on: (!unpaid).then_some(input.date),
        due_date: input.due_date,
        memo: input.memo.clone(),
        reference: input.reference.clone(),
        recurring_id: None,
        revision: 0,
        voided_on: None,
        fx: rate(cx, amount.minor, amount.currency, input.date).await?,
        paid_fx: None,
        created_at: cx.now,
        updated_at: cx.now,
        v: 1,
    };
    held_for_approval(cx, e).await
}

/// `e`, held (`pending_approval`, not booked) when an enabled approval workflow's trigger
/// matches it.
async fn held_for_approval(cx: &Ctx<'_>, mut e: ExpenseRecord) -> Result<ExpenseRecord> {
    let payload = serde_json::to_value(approval_requested(&e)).expect("events serialize");
    if crate::workflows::service::holds_expense(cx, &payload).await? {
        e.status = ExpenseStatus::PendingApproval;
        e.paid_on = None;
    }
    Ok(e)
}

/// The rate into the org's base currency on `date` (the latest recorded on or before it).
async fn rate(cx: &Ctx<'_>, minor: i64, c: Currency, date: NaiveDate) -> Result<Option<crate::billing::model::Fx>> {
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    crate::billing::common::fx_for(cx.db, cx.scope, base, minor, c, date).await
}

/// An open vendor of this org, when named.
async fn vendor(cx: &Ctx<'_>, id: Option<&str>) -> Result<Option<VendorId>> {
    let Some(id) = id else { return Ok(None) };
    match super::vendors::vendor_record(cx, id).await {
        Ok(v) if v.archived => Err(Error::invalid("vendorId", "the vendor is archived")),
        Ok(v) => Ok(Some(v.id)),
        Err(Error::NotFound(_)) => Err(Error::NotFound("vendor")),
        Err(e) => Err(e),
    }
}

pub async fn create_expense(cx: &Ctx<'_>, input: CreateExpense, claim: Option<&Claim>) -> Result<Expense> {
    let e = decide_new(cx, &input, ExpenseId::new()).await?;
    let mut tx = Tx::new();
    write_new(&mut tx, cx, &e);
    let out = Expense::from(e.clone());
    if let Some(claim) = claim {
        claim.complete_in(&mut tx, 201, &serde_json::to_string(&out).expect("serializes"));
    }
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|err| match err.failed_conditions() {
        Some(_) if e.vendor_id.is_some() => Error::NotFound("vendor"),
        _ => err.into(),
    })?;
    Ok(out)
}

/// The expense through its id → date pointer. A re-dated expense (a receipt's date, a confirmed
/// draft) moves in one transaction with its pointer: a read between the two gets sees the old
/// date's item gone, so it follows the pointer again.
pub async fn expense_record(cx: &Ctx<'_>, id: &str) -> Result<ExpenseRecord> {
    let id = ExpenseId::parse(id).ok_or(Error::NotFound("expense"))?;
    let mut seen = None;
    for _ in 0..3 {
        let pointer = cx.db.get(&keys::expense_pointer(cx.scope, &id)).await?.ok_or(Error::NotFound("expense"))?;
        let date = pointer.get("date").and_then(|d| d.as_s().ok()).and_then(|d| d.parse::<NaiveDate>().ok());
        let date = date.ok_or(Error::NotFound("expense"))?;
        if seen == Some(date) {
            break;
        }
        if let Some(e) = cx.db.get_as(&keys::expense(cx.scope, date, &id)).await? {
            return Ok(e);
        }
        seen = Some(date);
    }
    Err(Error::NotFound("expense"))
}

pub async fn get_expense(cx: &Ctx<'_>, id: &str) -> Result<Expense> {
    Ok(expense_record(cx, id).await?.into())
}

/// List filters: `from`, `to`, `buildingId`, `vendorId`, `accountId`, `status`.
#[derive(Debug, Clone, Default)]
pub struct ExpenseFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub building_id: Option<String>,
    pub vendor_id: Option<String>,
    pub account_id: Option<String>,
    pub status: Option<ExpenseStatus>,
}

impl ExpenseFilter {
    fn keeps(&self, e: &ExpenseRecord) -> bool {
        self.building_id
            .as_ref()
            .is_none_or(|b| e.parts.iter().any(|p| p.building_id.as_ref().is_some_and(|x| x.as_str() == b)))
            && self.vendor_id.as_ref().is_none_or(|v| e.vendor_id.as_ref().is_some_and(|x| x.as_str() == v))
            && self.account_id.as_ref().is_none_or(|a| e.account_id.as_str() == a)
            && self.status.is_none_or(|s| e.status == s)
    }
}

/// Every expense dated on or before `to` (one partition, read whole: a small portfolio books a
/// few thousand a year).
pub async fn expenses_through(cx: &Ctx<'_>, to: NaiveDate) -> Result<Vec<ExpenseRecord>> {
    let q = Query::partition(db::Index::Primary, keys::expenses(cx.scope)).between("0", format!("{to}#~"));
    let items = cx.db.query_all(q).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

/// Newest first; dates bound the query, the other filters apply within each page.
pub async fn list_expenses(cx: &Ctx<'_>, f: &ExpenseFilter, page: PageRequest) -> Result<PageOf<Expense>> {
    let lo = f.from.map_or_else(|| "0".to_owned(), |d| d.to_string());
    let hi = f.to.map_or_else(|| "9".to_owned(), |d| format!("{d}#~"));
    let q = Query::partition(db::Index::Primary, keys::expenses(cx.scope)).between(lo, hi).descending();
    let got: PageOf<ExpenseRecord> = cx.db.page_of(q, page).await?;
    Ok(PageOf {
        items: got.items.into_iter().filter(|e| f.keeps(e)).map(Expense::from).collect(),
        last_key: got.last_key,
    })
}

/// Writes `after` over `before` under a condition on its version, with its audit entry.
fn rewrite(tx: &mut Tx, cx: &Ctx<'_>, before: &ExpenseRecord, after: &ExpenseRecord, action: &str) {
    let cond = Expr::new("#v = :v").name("#v", "v").value(":v", n(before.v));
    tx.put(item(cx, after), Some(cond));
    let json = |e: &ExpenseRecord| serde_json::to_value(Expense::from(e.clone())).expect("expenses serialize");
    audit(tx, cx, action, ("expense", after.id.as_str()), Some(json(before)), Some(json(after)));
    tx.guard_membership(cx.scope);
}

async fn commit(cx: &Ctx<'_>, tx: Tx) -> Result<()> {
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the expense changed meanwhile; read it again".into()),
        false => e.into(),
    })
}

async fn check_open(cx: &Ctx<'_>, date: NaiveDate, what: &str) -> Result<()> {
    let closed = super::poster::read_closed(cx).await?;
    let month = format!("{}", date.format("%Y-%m"));
    if closed.contains(&month) {
        return Err(Error::Conflict(format!("{month} is closed: {what} only while its period is open")));
    }
    Ok(())
}

pub async fn update_expense(cx: &Ctx<'_>, id: &str, input: UpdateExpense) -> Result<Expense> {
    let before = expense_record(cx, id).await?;
    if before.status == ExpenseStatus::Void {
        return Err(Error::Conflict("the expense is void".into()));
    }
    check_open(cx, before.date, "an expense is changed").await?;
    let mut e = before.clone();
    if input.memo.is_some() {
        e.memo = input.memo;
    }
    if input.reference.is_some() {
        e.reference = input.reference;
    }
    if input.vendor_id.is_some() {
        e.vendor_id = vendor(cx, input.vendor_id.as_deref()).await?;
    }
    if let Some(a) = &input.account_id {
        let chart = chart(cx).await?;
        let acct = expense_account(&chart, a).map_err(|f| refused(vec![f]))?;
        e.account_id = acct.id.clone();
        e.account_code = acct.code.clone();
    }
    if input.scope.is_some() || input.splits.is_some() {
        let (parts, split) =
            parts_of(cx, e.amount.minor, e.amount.currency, &input.scope, &input.splits, &None).await?;
        e.scope = if split { None } else { input.scope.clone() };
        e.parts = parts;
        e.split = split;
    }
    let reclassified = e.account_code != before.account_code || e.parts != before.parts;
    if reclassified {
        e.revision += 1;
    }
    e.updated_at = cx.now;
    e.v += 1;
    let mut tx = Tx::new();
    rewrite(&mut tx, cx, &before, &e, "expense.updated");
    if let (Some(old), Some(new)) = (&before.vendor_id, &e.vendor_id) {
        if old != new {
            tx.update(keys::vendor(cx.scope, old), Expr::new("ADD expenseCount :m").value(":m", n(-1)), None);
            tx.update(
                keys::vendor(cx.scope, new),
                Expr::new("ADD expenseCount :one").value(":one", n(1)),
                Some(Expr::exists()),
            );
        }
    }
    if reclassified && e.status.is_booked() {
        let r = ExpenseReclassified {
            expense_id: e.id.clone(),
            date: e.date,
            revision: e.revision,
            before_account_code: before.account_code.clone(),
            before_parts: event_parts(&before),
            account_code: e.account_code.clone(),
            parts: event_parts(&e),
            fx: e.fx.clone(),
            payable: e.status == ExpenseStatus::Unpaid,
        };
        events::emit(&mut tx, cx.scope, &r);
    }
    commit(cx, tx).await?;
    Ok(e.into())
}

/// Voids an expense: a reversing entry dated `voidedOn`, or the later of today and its date.
pub async fn void_expense(cx: &Ctx<'_>, id: &str, input: VoidExpense) -> Result<Expense> {
    let VoidExpense { reason, voided_on } = input;
    let before = expense_record(cx, id).await?;
    if before.status == ExpenseStatus::Void {
        return Err(Error::Conflict("the expense is already void".into()));
    }
    if voided_on.is_some_and(|d| d < before.date) {
        return Err(Error::invalid("voidedOn", "must not be before the expense's date"));
    }
    let date = voided_on.unwrap_or_else(|| cx.today_utc().max(before.date));
    let mut e = before.clone();
    e.status = ExpenseStatus::Void;
    e.voided_on = Some(date);
    e.updated_at = cx.now;
    e.v += 1;
    let mut tx = Tx::new();
    rewrite(&mut tx, cx, &before, &e, "expense.voided");
    if before.status.is_booked() {
        let bill_paid = before.due_date.is_some() && before.status == ExpenseStatus::Paid;
        let voided = ExpenseVoided {
            expense_id: e.id.clone(),
            date,
            account_code: before.account_code.clone(),
            parts: event_parts(&before),
            credit_account: credit_account(&before),
            paid_from_code: if bill_paid { before.paid_from_code.clone() } else { None },
            reason,
            fx: before.fx.clone(),
            paid_fx: if bill_paid { before.paid_fx.clone() } else { None },
        };
        events::emit(&mut tx, cx.scope, &voided);
    }
    commit(cx, tx).await?;
    Ok(e.into())
}

/// Pays a bill from a bank or cash account.
pub async fn pay_bill(cx: &Ctx<'_>, id: &str, input: PayBill) -> Result<Expense> {
    let before = expense_record(cx, id).await?;
    if before.status != ExpenseStatus::Unpaid {
        return Err(Error::Conflict(
            format!("only an unpaid bill is paid; this one is {:?}", before.status).to_lowercase(),
        ));
    }
    let chart = chart(cx).await?;
    let bank =
        paying_account(&chart, "paidFrom", &input.paid_from, before.amount.currency).map_err(|f| refused(vec![f]))?;
    if input.paid_on < before.date {
        return Err(Error::invalid("paidOn", "a bill is paid on or after its date"));
    }
    let mut e = before.clone();
    e.status = ExpenseStatus::Paid;
    e.paid_on = Some(input.paid_on);
    e.paid_from = Some(bank.id.clone());
    e.paid_from_code = Some(bank.code.clone());
    e.paid_fx = rate(cx, before.amount.minor, before.amount.currency, input.paid_on).await?;
    e.updated_at = cx.now;
    e.v += 1;
    let mut tx = Tx::new();
    rewrite(&mut tx, cx, &before, &e, "expense.paid");
    let paid = ExpensePaid {
        expense_id: e.id.clone(),
        paid_on: input.paid_on,
        paid_from_code: bank.code.clone(),
        parts: event_parts(&e),
        account_code: Some(e.account_code.clone()),
        fx: e.fx.clone(),
        paid_fx: e.paid_fx.clone(),
    };
    events::emit(&mut tx, cx.scope, &paid);
    commit(cx, tx).await?;
    Ok(e.into())
}

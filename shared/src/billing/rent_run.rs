//! The rent run for one org: every rent charge (and deposit) due up to the run date plus the
//! org's lead time, for every active or ended lease. Each charge has a deterministic id and is
//! written under `attribute_not_exists` with its `charge.created` event, so re-running, running
//! late (catching up missed months) or two runs at once never duplicate or skip a charge.
//!
//! Leases are packed into transactions of up to 100 actions. A per-lease watermark (the last
//! month generated) spares later runs the months already done; it is an optimization only. When
//! a packed transaction fails (another run wrote some of its charges first), each of its leases
//! is written charge by charge, counting the ones that exist.

use super::model::*;
use super::rent::{schedule, RentTerms};
use super::rent_credit::Prepaid;
use super::service::{get_org, get_settings, org_today};
use super::store::{charge_event, charge_item};
use crate::ids::ChargeId;
use crate::leasing::model::{LeaseRecord, LeaseStatus};
use crate::leasing::service::billable_leases;
use crate::money::{Currency, Money, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, s, DbError, Decision, Expr, ItemBuilder, Key, Query, Retry, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::Datelike;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
#[cfg(feature = "fault-injection")]
use std::sync::atomic::{AtomicUsize, Ordering};

/// How a run behaves. Test hooks (the `fault-injection` feature, never in Lambda builds): fail
/// (as a crash would) once this many transactions have been committed.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    #[cfg(feature = "fault-injection")]
    pub fail_after_writes: Option<std::sync::Arc<AtomicUsize>>,
}

impl RunOptions {
    #[cfg(feature = "fault-injection")]
    pub fn failing_after(writes: usize) -> RunOptions {
        RunOptions { fail_after_writes: Some(std::sync::Arc::new(AtomicUsize::new(writes))) }
    }

    fn before_write(&self) -> Result<()> {
        #[cfg(feature = "fault-injection")]
        if let Some(left) = &self.fail_after_writes {
            if left.load(Ordering::SeqCst) == 0 {
                return Err(Error::Store(DbError::Invalid("fault injected: the run stopped mid-batch".into())));
            }
        }
        Ok(())
    }

    fn written(&self) {
        #[cfg(feature = "fault-injection")]
        if let Some(left) = &self.fail_after_writes {
            let _ = left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1));
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Watermark {
    /// The last rent month generated (`YYYY-MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    #[serde(default)]
    deposit: bool,
    /// How many of the deposit's instalments are charged (a deposit charged at once leaves
    /// this 0 and sets `deposit`).
    #[serde(default, skip_serializing_if = "is_zero")]
    deposit_parts: u8,
    /// An ended lease's rent has been trued up to its move-out date.
    #[serde(default)]
    trued_up: bool,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl Watermark {
    /// Deposit charges already made.
    fn deposit_charged(&self) -> u8 {
        self.deposit_parts.max(u8::from(self.deposit))
    }
}

/// Up to this many charges of one lease per transaction (2 actions each, plus the watermark).
const CHARGES_PER_CHUNK: usize = 45;

/// One lease's share of a transaction.
struct Chunk {
    lease: usize,
    charges: Vec<ChargeRecord>,
    before: Option<Watermark>,
    after: Watermark,
    /// The lease's prepaid money applied to these charges in the same transaction: the charges
    /// as written then, the payments as read (the counters' conditions) and the allocations.
    credited: Option<(Vec<ChargeRecord>, super::ledger::LedgerItems, super::store::Plan)>,
}

impl Chunk {
    fn actions(&self) -> usize {
        // Allocations, the money's counters (payments', credits'), their event.
        let credit = self.credited.as_ref().map_or(0, |(_, _, plan)| plan.actions() + 1);
        self.charges.len() * 2 + 1 + credit
    }
}

/// Applies each lease's prepaid money (unapplied payments, open credits) to the charges its
/// chunks create, in order (a later chunk of the same lease sees what the earlier ones left).
/// Only leases that get charges read their money.
async fn attach_credit(cx: &Ctx<'_>, leases: &[LeaseRecord], chunks: &mut [Chunk]) -> Result<()> {
    let mut left: HashMap<usize, Vec<Prepaid>> = HashMap::new();
    for c in chunks.iter_mut().filter(|c| !c.charges.is_empty()) {
        if let std::collections::hash_map::Entry::Vacant(slot) = left.entry(c.lease) {
            slot.insert(prepaid(cx, &leases[c.lease].id).await?);
        }
        let money = left.get_mut(&c.lease).expect("read above");
        c.credited = super::rent_credit::apply(&c.charges, money, cx.now);
    }
    Ok(())
}

/// A lease's money the run may apply, read from its ledger partition.
async fn prepaid(cx: &Ctx<'_>, lease: &crate::ids::LeaseId) -> Result<Vec<Prepaid>> {
    let read = |prefix: &'static str| {
        let q = Query::partition(db::Index::Primary, keys::lease_partition(cx.scope, lease)).begins_with(prefix);
        cx.db.query_all(q.consistent())
    };
    let payments = read("PAY#").await?.into_iter().map(db::from_item::<PaymentRecord>);
    let charges = read("CHG#").await?.into_iter().map(db::from_item::<ChargeRecord>);
    let payments = payments.collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(super::rent_credit::usable(payments, charges.collect::<std::result::Result<Vec<_>, _>>()?))
}

/// After the slow path: the chunk's charges still open meet the lease's prepaid money, in one
/// transaction decided on the ledger as read (as the batched path does in its own).
async fn credit_after(cx: &Ctx<'_>, l: &LeaseRecord, c: &Chunk) -> Result<()> {
    let ids: std::collections::HashSet<&ChargeId> = c.charges.iter().map(|c| &c.id).collect();
    let read = || super::store::read_ledger(cx.db, cx.scope, &l.id);
    let decide = |ledger: &super::ledger::LedgerItems| {
        let open: Vec<ChargeRecord> = ledger
            .charges
            .iter()
            .filter(|x| ids.contains(&x.id) && x.status == ChargeStatus::Open && x.open > 0)
            .cloned()
            .collect();
        let mut money = super::rent_credit::usable(ledger.payments.clone(), ledger.charges.clone());
        let Some((_, _, plan)) = super::rent_credit::apply(&open, &mut money, cx.now) else {
            return Ok(Decision::Done(()));
        };
        let mut tx = Tx::new();
        plan.write(&mut tx, cx.scope, ledger, None, &[])?;
        crate::events::emit(&mut tx, cx.scope, &super::common::allocation_created(&l.id, &plan.allocations));
        Ok::<_, Error>(Decision::Commit(tx, ()))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// Rates into the base currency, loaded once per run.
struct RateBook {
    base: Currency,
    rates: Vec<FxRate>,
}

impl RateBook {
    fn fx(&self, minor: i64, c: Currency, date: NaiveDate) -> Option<Fx> {
        if c == self.base {
            return Some(Fx::same_currency(c, minor, date));
        }
        let r = self.rates.iter().filter(|r| r.currency == c && r.date <= date).max_by_key(|r| r.date)?;
        Fx::convert(minor, c, r.rate, r.date, self.base)
    }
}

fn watermark_key(scope: &OrgScope, l: &LeaseRecord) -> Key {
    keys::rent_watermark(scope, &l.id)
}

/// Most rent months one run writes for one lease. A lease back-dated years (a start in 1990)
/// is caught up over several runs instead of one unbounded one: past the bound the report says
/// `complete: false`, the watermark records how far it got, and the next run (the generator
/// sends itself a continuation message) goes on from there.
pub const BACKFILL_MONTHS_PER_RUN: usize = 60;

/// Runs rent for one org through `run_date` (default: today in the org's time zone) plus lead.
pub async fn run_org(cx: &Ctx<'_>, run_date: Option<NaiveDate>, opts: &RunOptions) -> Result<RentRunReport> {
    let org = get_org(cx).await?;
    let settings = get_settings(cx).await?;
    let through = run_date
        .unwrap_or_else(|| org_today(&org, cx.now))
        .checked_add_days(chrono::Days::new(settings.rent_lead_days.into()))
        .ok_or_else(|| Error::invalid("throughDate", "out of range"))?;
    let leases = billable_leases(cx).await?;
    let mut report =
        RentRunReport { through_date: Some(through), leases: leases.len(), complete: true, ..Default::default() };
    if leases.is_empty() {
        return Ok(report);
    }
    let marks = watermarks(cx, &leases).await?;
    let book = rate_book(cx, org.base_currency, &leases).await?;
    let (mut chunks, bounded) = plan_chunks(cx.scope, &leases, &marks, through, &book, cx.now);
    attach_credit(cx, &leases, &mut chunks).await?;
    report.complete = !bounded;
    write_chunks(cx, &leases, chunks, opts, &mut report).await?;
    true_up_ended(cx, &leases, opts).await?;
    tracing::info!(org_id = %cx.scope.org_id(), %through, leases = report.leases, created = report.charges_created,
        existing = report.charges_existing, complete = report.complete, "rent run done");
    Ok(report)
}

/// The leases' watermarks, by partition key.
async fn watermarks(cx: &Ctx<'_>, leases: &[LeaseRecord]) -> Result<HashMap<String, Watermark>> {
    let wkeys: Vec<Key> = leases.iter().map(|l| watermark_key(cx.scope, l)).collect();
    let mut marks = HashMap::new();
    for item in cx.db.batch_get(&wkeys).await? {
        if let Some(aws_sdk_dynamodb::types::AttributeValue::S(pk)) = item.get("PK") {
            marks.insert(pk.clone(), db::from_item(item)?);
        }
    }
    Ok(marks)
}

/// The org's FX rates, read only when some lease is billed in another currency.
async fn rate_book(cx: &Ctx<'_>, base: Currency, leases: &[LeaseRecord]) -> Result<RateBook> {
    if leases.iter().all(|l| l.rent.currency == base) {
        return Ok(RateBook { base, rates: Vec::new() });
    }
    let items = cx.db.query_all(Query::partition(db::Index::Primary, keys::fx_partition(cx.scope))).await?;
    let rates = items.into_iter().map(db::from_item::<FxRate>).collect::<Result<Vec<_>, _>>()?;
    Ok(RateBook { base, rates })
}

/// Each lease's due charges (at most `BACKFILL_MONTHS_PER_RUN` months) cut into chunks that fit
/// a transaction, each chunk moving the lease's watermark from what the last one left. Answers
/// whether some lease was cut short by the bound.
fn plan_chunks(
    scope: &OrgScope,
    leases: &[LeaseRecord],
    marks: &HashMap<String, Watermark>,
    through: NaiveDate,
    book: &RateBook,
    now: DateTime<Utc>,
) -> (Vec<Chunk>, bool) {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut bounded = false;
    for (i, l) in leases.iter().enumerate() {
        let before = marks.get(&watermark_key(scope, l).pk).cloned();
        let mut charges = due_charges(l, before.as_ref(), through, book, now);
        let rent_months = charges.iter().filter(|c| c.period.is_some()).count();
        if rent_months > BACKFILL_MONTHS_PER_RUN {
            bounded = true;
            charges.truncate(charges.len() - (rent_months - BACKFILL_MONTHS_PER_RUN));
        }
        let mut mark = before.clone().unwrap_or_default();
        while !charges.is_empty() {
            let rest = charges.split_off(charges.len().min(CHARGES_PER_CHUNK));
            let mut after = mark.clone();
            for c in &charges {
                match &c.period {
                    Some(p) => after.period = Some(p.clone()),
                    None => {
                        after.deposit_parts = after.deposit_charged() + 1;
                        after.deposit = true;
                    }
                }
            }
            let prev =
                if chunks.last().is_some_and(|c: &Chunk| c.lease == i) { Some(mark.clone()) } else { before.clone() };
            chunks.push(Chunk { lease: i, charges, before: prev, after: after.clone(), credited: None });
            mark = after;
            charges = rest;
        }
    }
    (chunks, bounded)
}

/// Packs chunks of different leases into transactions; a lease's later chunks wait for the
/// transaction after its earlier one. A transaction that fails (another run wrote some of its
/// charges first) is redone lease by lease, charge by charge.
async fn write_chunks(
    cx: &Ctx<'_>,
    leases: &[LeaseRecord],
    chunks: Vec<Chunk>,
    opts: &RunOptions,
    report: &mut RentRunReport,
) -> Result<()> {
    let mut pending = chunks;
    while !pending.is_empty() {
        let (batch, rest) = next_batch(pending);
        pending = rest;
        opts.before_write()?;
        let mut tx = Tx::new();
        for c in &batch {
            add_chunk(&mut tx, cx.scope, &leases[c.lease], c);
        }
        match cx.db.transact(tx).await {
            Ok(()) => {
                opts.written();
                report.charges_created += batch.iter().map(|c| c.charges.len()).sum::<usize>();
            }
            // A charge some other run made, or a watermark it moved: go one by one.
            Err(DbError::AlreadyExists) | Err(DbError::Canceled(_)) => {
                for c in &batch {
                    let (created, existing) = write_one_by_one(cx, &leases[c.lease], c, opts).await?;
                    report.charges_created += created;
                    report.charges_existing += existing;
                    if c.credited.is_some() {
                        credit_after(cx, &leases[c.lease], c).await?;
                    }
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The chunks that fit one transaction (at most one per lease), and the rest.
fn next_batch(pending: Vec<Chunk>) -> (Vec<Chunk>, Vec<Chunk>) {
    let mut batch: Vec<Chunk> = Vec::new();
    let mut rest: Vec<Chunk> = Vec::new();
    let mut actions = 0;
    for c in pending {
        let lease_waits = batch.iter().chain(&rest).any(|b| b.lease == c.lease);
        if lease_waits || actions + c.actions() > db::MAX_TRANSACTION_ACTIONS {
            rest.push(c);
        } else {
            actions += c.actions();
            batch.push(c);
        }
    }
    (batch, rest)
}

/// Leases that ended inside rent already generated: void the months after move-out and credit
/// the move-out month down to its prorated amount (once per lease).
async fn true_up_ended(cx: &Ctx<'_>, leases: &[LeaseRecord], opts: &RunOptions) -> Result<()> {
    for l in leases.iter().filter(|l| l.status == LeaseStatus::Ended && l.move_out_date.is_some()) {
        let mark = cx.db.get_as::<Watermark>(&watermark_key(cx.scope, l)).await?.unwrap_or_default();
        if mark.trued_up {
            continue;
        }
        opts.before_write()?;
        true_up(cx, l).await?;
        let done = Watermark { trued_up: true, ..mark.clone() };
        let cond = match &mark.period {
            Some(p) => Expr::new("#p = :old").name("#p", "period").value(":old", s(p.clone())),
            None => Expr::new("attribute_not_exists(#p)").name("#p", "period"),
        };
        match cx.db.put_if(watermark_item(cx.scope, l, &done), cond).await {
            Ok(()) | Err(DbError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn add_chunk(tx: &mut Tx, scope: &OrgScope, l: &LeaseRecord, c: &Chunk) {
    let charges = c.credited.as_ref().map_or(&c.charges, |(charges, _, _)| charges);
    for charge in charges {
        tx.create(charge_item(scope, charge));
        crate::events::emit(tx, scope, &charge_event(charge));
    }
    if let Some((charges, payments, plan)) = &c.credited {
        let ids: Vec<&ChargeId> = charges.iter().map(|c| &c.id).collect();
        plan.write(tx, scope, payments, None, &ids).expect("the plan names only the payments it was given");
        crate::events::emit(tx, scope, &super::common::allocation_created(&l.id, &plan.allocations));
    }
    let cond = match c.before.as_ref().and_then(|b| b.period.clone()) {
        Some(p) => Expr::new("#p = :old").name("#p", "period").value(":old", s(p)),
        None => Expr::new("attribute_not_exists(#p)").name("#p", "period"),
    };
    tx.put(watermark_item(scope, l, &c.after), Some(cond));
}

fn watermark_item(scope: &OrgScope, l: &LeaseRecord, w: &Watermark) -> db::Item {
    let mut rec = serde_json::to_value(w).expect("serializes");
    rec["leaseId"] = serde_json::json!(l.id);
    ItemBuilder::new(WATERMARK_ENTITY, &watermark_key(scope, l), &rec).build()
}

/// The slow, always-safe path: each charge alone with its event; existing ones are counted.
async fn write_one_by_one(cx: &Ctx<'_>, l: &LeaseRecord, c: &Chunk, opts: &RunOptions) -> Result<(usize, usize)> {
    let (mut created, mut existing) = (0, 0);
    for charge in &c.charges {
        opts.before_write()?;
        let mut tx = Tx::new();
        tx.create(charge_item(cx.scope, charge));
        crate::events::emit(&mut tx, cx.scope, &charge_event(charge));
        match cx.db.transact(tx).await {
            Ok(()) => {
                opts.written();
                created += 1;
            }
            Err(DbError::AlreadyExists) => existing += 1,
            Err(e) => return Err(e.into()),
        }
    }
    // Move the watermark forward only (a concurrent run may have moved it further).
    let cond = match &c.after.period {
        Some(p) => Expr::new("attribute_not_exists(#p) OR #p < :new").name("#p", "period").value(":new", s(p.clone())),
        None => Expr::new("attribute_not_exists(#p)").name("#p", "period"),
    };
    match cx.db.put_if(watermark_item(cx.scope, l, &c.after), cond).await {
        Ok(()) | Err(DbError::ConditionFailed) => {}
        Err(e) => return Err(e.into()),
    }
    Ok((created, existing))
}

/// The lease's charges due by `through` not yet covered by its watermark: the deposit (once)
/// and each month's rent.
fn due_charges(
    l: &LeaseRecord,
    mark: Option<&Watermark>,
    through: NaiveDate,
    book: &RateBook,
    now: DateTime<Utc>,
) -> Vec<ChargeRecord> {
    let currency = l.rent.currency;
    let record = |id: ChargeId, kind: ChargeKind, minor: i64, due: NaiveDate, period: Option<String>, memo: String| {
        ChargeRecord {
            id,
            lease_id: l.id.clone(),
            unit_id: l.unit_id.clone(),
            kind,
            amount: StoredMoney { minor, currency },
            due_date: due,
            memo: Some(memo),
            source: ChargeSource::RentRun,
            period,
            fee_for: None,
            grace_days: None,
            open: minor,
            status: ChargeStatus::Open,
            fx: book.fx(minor, currency, due),
            created_at: now,
            voided_at: None,
            void_reason: None,
            v: 1,
        }
    };
    let mut out = Vec::new();
    let charged = mark.map_or(0, Watermark::deposit_charged);
    for (i, (id, due, minor, memo)) in deposit_parts(l).into_iter().enumerate() {
        if i >= usize::from(charged) && due <= through {
            out.push(record(id, ChargeKind::Deposit, minor, due, None, memo));
        }
    }
    let terms = RentTerms {
        lease_id: l.id.clone(),
        start: l.start_date,
        last_day: l.move_out_date.or(l.end_date),
        rent: l.rent.minor,
        due_day: l.due_day,
    };
    for r in schedule(&terms, mark.and_then(|m| m.period.as_deref()), through) {
        let memo = if r.covered == r.days {
            format!("rent {}", r.period)
        } else {
            format!("rent {} ({} of {} days)", r.period, r.covered, r.days)
        };
        out.push(record(r.id, ChargeKind::Rent, r.amount, r.due, Some(r.period), memo));
    }
    out
}

/// The deposit's charges: one on the start date, or `depositInstalments` equal parts (the
/// remainder on the first) due on the start date and with the next rents.
fn deposit_parts(l: &LeaseRecord) -> Vec<(ChargeId, NaiveDate, i64, String)> {
    let Some(d) = l.deposit.filter(|d| d.minor > 0) else { return Vec::new() };
    let n = l.deposit_instalments.unwrap_or(1).max(1);
    if n == 1 {
        return vec![(ChargeId::deposit(&l.id), l.start_date, d.minor, "security deposit".into())];
    }
    let terms = RentTerms {
        lease_id: l.id.clone(),
        start: l.start_date,
        last_day: None,
        rent: l.rent.minor,
        due_day: l.due_day,
    };
    let far = l.start_date + chrono::Days::new(31 * u64::from(n) + 62);
    let rents: Vec<NaiveDate> = schedule(&terms, None, far).into_iter().map(|r| r.due).collect();
    let part = d.minor / i64::from(n);
    (0..n)
        .map(|i| {
            let due = if i == 0 { l.start_date } else { rents.get(usize::from(i)).copied().unwrap_or(l.start_date) };
            let minor = if i == 0 { d.minor - part * i64::from(n - 1) } else { part };
            let id = if i == 0 { ChargeId::deposit(&l.id) } else { ChargeId::deposit_part(&l.id, i + 1) };
            (id, due, minor, format!("security deposit, instalment {} of {n}", i + 1))
        })
        .collect()
}

/// Rent generated past an ended lease's move-out date: months after it are voided (dated their
/// due date: they were never owed) and the move-out month is credited down to its prorated
/// amount with a deterministic credit. Safe to repeat.
async fn true_up(cx: &Ctx<'_>, l: &LeaseRecord) -> Result<()> {
    use super::service::{create_charge_as, is_existing_charge, void_charge_in};
    let Some(move_out) = l.move_out_date else { return Ok(()) };
    let last = format!("{:04}-{:02}", move_out.year(), move_out.month());
    let terms = RentTerms {
        lease_id: l.id.clone(),
        start: l.start_date,
        last_day: Some(move_out),
        rent: l.rent.minor,
        due_day: l.due_day,
    };
    let owed: HashMap<String, i64> =
        schedule(&terms, None, move_out).into_iter().map(|r| (r.period, r.amount)).collect();
    let ledger = super::store::read_ledger(cx.db, cx.scope, &l.id).await?;
    for c in ledger
        .charges
        .iter()
        .filter(|c| c.source == ChargeSource::RentRun && c.kind == ChargeKind::Rent && c.status != ChargeStatus::Void)
    {
        let Some(period) = &c.period else { continue };
        if period.as_str() > last.as_str() {
            let reason = VoidCharge { reason: Some(format!("after move-out on {move_out}")) };
            match void_charge_in(cx, &l.id, &c.id, reason, Some(c.due_date)).await {
                Ok(_) => {}
                Err(Error::Conflict(_)) => {} // voided meanwhile
                Err(e) => return Err(e),
            }
        } else if period == &last {
            let diff = c.amount.minor - owed.get(period).copied().unwrap_or(c.amount.minor);
            if diff > 0 {
                let input = CreateCharge {
                    kind: ChargeKind::Credit,
                    amount: Money::new(diff, c.amount.currency).into(),
                    due_date: move_out,
                    memo: Some(format!("rent {period} after move-out on {move_out}")),
                };
                match create_charge_as(
                    cx,
                    l.id.as_str(),
                    input,
                    None,
                    ChargeId::move_out_credit(&l.id),
                    ChargeSource::RentRun,
                )
                .await
                {
                    Ok(_) => {}
                    Err(e) if is_existing_charge(&e) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BuildingId, LeaseId, OrgId, UnitId, UserId};
    use crate::platform::scope::Principal;

    fn lease_from(start: NaiveDate) -> LeaseRecord {
        let usd = Currency::parse("USD").expect("USD");
        LeaseRecord {
            id: LeaseId::new(),
            unit_id: UnitId::new(),
            building_id: BuildingId::new(),
            tenant_ids: Vec::new(),
            status: LeaseStatus::Active,
            start_date: start,
            end_date: None,
            rent: StoredMoney { minor: 100_000, currency: usd },
            due_day: 1,
            deposit: Some(StoredMoney { minor: 100_000, currency: usd }),
            deposit_instalments: None,
            late_fee_policy: None,
            move_out_date: None,
            renewal_of: None,
            renewed_by: None,
            activated_at: None,
            ended_at: None,
            created_at: crate::platform::clock::now(),
            updated_at: crate::platform::clock::now(),
            v: 1,
        }
    }

    /// A lease back-dated to 1990 would owe 443 months at once; one run writes a bounded share,
    /// in order, and says it is not complete; the next run starts where the watermark stopped.
    #[test]
    fn a_back_dated_lease_is_caught_up_over_bounded_runs() {
        let principal = Principal { user_id: UserId::parse("u-1").expect("id"), email: None };
        let scope = OrgScope::founding(OrgId::new(), principal);
        let l = lease_from(NaiveDate::from_ymd_opt(1990, 1, 1).expect("date"));
        let through = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let book = RateBook { base: l.rent.currency, rates: Vec::new() };
        let mut marks = HashMap::new();
        let mut months = Vec::new();
        for run in 0.. {
            let (chunks, bounded) =
                plan_chunks(&scope, std::slice::from_ref(&l), &marks, through, &book, crate::platform::clock::now());
            let written: Vec<&ChargeRecord> = chunks.iter().flat_map(|c| &c.charges).collect();
            let rent = written.iter().filter(|c| c.kind == ChargeKind::Rent).count();
            assert!(rent <= BACKFILL_MONTHS_PER_RUN, "run {run} wrote {rent} months");
            months.extend(written.iter().filter_map(|c| c.period.clone()));
            if let Some(last) = chunks.last() {
                marks.insert(watermark_key(&scope, &l).pk, last.after.clone());
            }
            if !bounded {
                assert!(run > 0, "443 months cannot fit one run");
                break;
            }
        }
        assert_eq!(months.len(), 443, "every month from 1990-01 to 2026-11, once");
        assert_eq!(months.first().map(String::as_str), Some("1990-01"));
        assert_eq!(months.last().map(String::as_str), Some("2026-11"));
        assert!(months.windows(2).all(|w| w[0] < w[1]), "in order, none twice");
    }

    /// A deposit in 3 instalments: the first on the start date, the others with the next two
    /// rents, each charged once across runs; the cents left over go on the first.
    #[test]
    fn a_deposit_in_instalments_is_charged_with_the_first_three_rents() {
        let principal = Principal { user_id: UserId::parse("u-1").expect("id"), email: None };
        let scope = OrgScope::founding(OrgId::new(), principal);
        let mut l = lease_from(NaiveDate::from_ymd_opt(2026, 1, 15).expect("date"));
        l.deposit = Some(StoredMoney { minor: 10_000, currency: l.rent.currency });
        l.deposit_instalments = Some(3);
        let book = RateBook { base: l.rent.currency, rates: Vec::new() };
        let mut marks = HashMap::new();
        let mut deposits = Vec::new();
        for month in 1..=5 {
            let through = NaiveDate::from_ymd_opt(2026, month, 20).expect("date");
            let (chunks, _) =
                plan_chunks(&scope, std::slice::from_ref(&l), &marks, through, &book, crate::platform::clock::now());
            for c in chunks.iter().flat_map(|c| &c.charges).filter(|c| c.kind == ChargeKind::Deposit) {
                deposits.push((c.id.to_string(), c.due_date.to_string(), c.amount.minor));
            }
            if let Some(last) = chunks.last() {
                marks.insert(watermark_key(&scope, &l).pk, last.after.clone());
            }
        }
        let ulid = l.id.as_str().trim_start_matches("lse_").to_owned();
        assert_eq!(
            deposits,
            [
                (format!("chg_{ulid}_deposit"), "2026-01-15".to_owned(), 3_334),
                (format!("chg_{ulid}_deposit2"), "2026-02-01".to_owned(), 3_333),
                (format!("chg_{ulid}_deposit3"), "2026-03-01".to_owned(), 3_333),
            ]
        );
    }
}

//! Payments: recording one (with allocation), reversing one (a bounced check), clearing a
//! pending one, and applying a payment's unapplied credit later. Each use case reads the
//! lease's ledger, decides purely (`decide_*`), and commits through the one commit loop.

use super::allocation;
use super::common::{
    alloc_error, allocation_created, allocations_made, billable_lease, fx_for, in_currency, open_charges,
};
use super::common::{AllocationRequest, LedgerState};
use super::events::{PaymentCleared, PaymentReceived, PaymentReversed};
use super::ledger::LedgerItems;
use super::model::*;
use super::store::{self, money_dto, payment_item, Plan, ALLOCATIONS_PER_TX};
use super::voids::write_void;
use crate::ids::{ChargeId, LeaseId, PaymentId};
use crate::money::{Currency, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, n, s, DbError, Decision, Expr, ItemBuilder, PageOf, PageRequest, Retry, Tx};
use crate::platform::db::{Index, Query};
use crate::platform::idempotency::Claim;
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// Most late fees one payment voids in its first transaction (each void is three actions).
const FEE_VOIDS_PER_TX: usize = 5;

/// The id of the payment a request with `key` creates: the same key always names the same
/// payment, so a retry after a crash finds it instead of making a second one.
pub fn payment_id_for_key(scope: &OrgScope, lease: &str, key: &str) -> PaymentId {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("{}\n{lease}\n{key}", scope.org_id()).as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    PaymentId::from_ulid(ulid::Ulid::from_bytes(b))
}

/// A payment to record, already checked against the lease (amounts in its minor units).
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub id: PaymentId,
    pub lease_id: LeaseId,
    pub currency: Currency,
    pub amount: i64,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub pending: bool,
    pub allocate: AllocationRequest,
    pub fx: Option<Fx>,
    /// The keyed request's body hash: one key names one payment forever.
    pub request_hash: Option<String>,
    /// Who took the money, when a processor did.
    pub processor: Option<Processor>,
}

/// One transaction's worth of a payment: the record after it, the allocations it makes, the
/// late fees it voids, and whether more allocations remain for a further transaction.
#[derive(Debug, Clone)]
pub struct PaymentStep {
    pub after: PaymentRecord,
    /// The payment item is written by this step (not yet stored).
    pub fresh: bool,
    pub plan: Plan,
    pub voids: Vec<ChargeRecord>,
    pub more: bool,
}

fn new_record(req: &PaymentRequest, now: DateTime<Utc>) -> PaymentRecord {
    PaymentRecord {
        id: req.id.clone(),
        lease_id: req.lease_id.clone(),
        amount: StoredMoney { minor: req.amount, currency: req.currency },
        received_on: req.received_on,
        method: req.method,
        reference: req.reference.as_ref().map(|r| r.trim().to_owned()),
        unapplied: req.amount,
        status: if req.pending { PaymentStatus::Pending } else { PaymentStatus::Cleared },
        fx: req.fx.clone(),
        created_at: now,
        reversed_on: None,
        reversal_reason: None,
        request_hash: req.request_hash.clone(),
        processor: req.processor,
        refunded: 0,
        v: 1,
    }
}

/// Late fees this payment makes void: unpaid fees on a charge it settles in full, when it was
/// received within that charge's grace period.
fn fees_to_void<'a>(l: &'a LedgerItems, received_on: NaiveDate, settled: &[(String, i64)]) -> Vec<&'a ChargeRecord> {
    l.charges
        .iter()
        .filter(|f| f.kind == ChargeKind::LateFee && f.status == ChargeStatus::Open && f.open == f.amount.minor)
        .filter(|f| {
            let Some(base) = f.fee_for.as_ref().and_then(|b| l.charge(b)) else { return false };
            let grace = u64::from(f.grace_days.unwrap_or(0));
            let in_grace = received_on <= base.due_date + chrono::Days::new(grace);
            let paid = settled.iter().any(|(id, amt)| id == base.id.as_str() && *amt >= base.open);
            in_grace && base.open > 0 && paid
        })
        .collect()
}

fn pairs(list: Vec<allocation::Allocation>) -> Vec<(String, i64)> {
    list.into_iter().map(|a| (a.charge_id, a.amount)).collect()
}

/// Auto allocation of `p`'s credit: first without candidate late fees; the fees whose charge
/// this settles in time are voided (on the first write only), the others allocated like any
/// charge.
fn auto_with_fee_voids(l: &LedgerItems, p: &PaymentRecord, fresh: bool) -> (Vec<(String, i64)>, Vec<ChargeRecord>) {
    let candidates: Vec<&ChargeId> =
        l.charges.iter().filter(|c| c.kind == ChargeKind::LateFee).map(|c| &c.id).collect();
    let first = pairs(allocation::auto(p.unapplied, &open_charges(l, &candidates)));
    let voided: Vec<ChargeRecord> = match fresh {
        true => fees_to_void(l, p.received_on, &first).into_iter().take(FEE_VOIDS_PER_TX).cloned().collect(),
        false => Vec::new(),
    };
    let skip: Vec<&ChargeId> = voided.iter().map(|c| &c.id).collect();
    (pairs(allocation::auto(p.unapplied, &open_charges(l, &skip))), voided)
}

/// The pure decision behind recording a payment: what this transaction writes, given the
/// ledger as read. Called again after each transaction until `more` is false; explicit
/// allocations are only planned on the first write, auto allocation continues where the last
/// transaction stopped.
pub fn decide_payment(l: &LedgerState, req: &PaymentRequest, now: DateTime<Utc>) -> Result<PaymentStep> {
    let existing = l.payments.iter().find(|p| p.id == req.id);
    if let Some(e) = existing {
        if e.amount.minor != req.amount || e.request_hash != req.request_hash {
            // The key named this payment for another request: that request's answer stands.
            return Err(DbError::KeyTaken.into());
        }
    }
    let fresh = existing.is_none();
    let p = existing.cloned().unwrap_or_else(|| new_record(req, now));
    let (wanted, voids) = match &req.allocate {
        AllocationRequest::Explicit(list) if fresh => {
            let got = allocation::explicit(p.unapplied, &open_charges(l, &[]), list).map_err(alloc_error)?;
            (pairs(got), Vec::new())
        }
        AllocationRequest::Auto if p.status != PaymentStatus::Reversed => auto_with_fee_voids(l, &p, fresh),
        _ => (Vec::new(), Vec::new()),
    };
    let more = wanted.len() > ALLOCATIONS_PER_TX;
    let mut plan = Plan::at(now);
    plan.fund_payment(&p);
    for (cid, amount) in wanted.iter().take(ALLOCATIONS_PER_TX) {
        let c = stored_charge(l, cid)?;
        plan.allocate(
            &p.lease_id,
            AllocationSource::Payment,
            Some(p.id.as_str()),
            c,
            *amount,
            p.received_on.max(c.due_date),
        );
    }
    let mut after = p;
    after.unapplied += plan.payment_delta(&after.id);
    Ok(PaymentStep { after, fresh, plan, voids, more })
}

/// A charge an allocation engine named (it only names charges it was given).
fn stored_charge<'a>(l: &'a LedgerItems, id: &str) -> Result<&'a ChargeRecord> {
    ChargeId::parse(id).and_then(|id| l.charge(&id)).ok_or(Error::NotFound("charge"))
}

/// The payment as answered: its record and every allocation it has made so far.
fn answer(l: &LedgerItems, step: &PaymentStep) -> Payment {
    let earlier = l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(&step.after.id));
    let all = earlier.chain(&step.plan.allocations).cloned().map(Allocation::from).collect();
    Payment::from_record(step.after.clone(), all)
}

/// The writes of one payment step (the payment item on the first, allocations and counters,
/// fee voids, its event, and on the last step the idempotency record).
fn payment_writes(
    scope: &OrgScope,
    l: &LedgerItems,
    step: PaymentStep,
    claim: Option<&Claim>,
) -> Result<Decision<Payment>> {
    let mut tx = Tx::new();
    let p = &step.after;
    if step.fresh {
        tx.put(payment_item(scope, p), Some(Expr::not_exists()));
    }
    step.plan.write(&mut tx, scope, l, step.fresh.then_some(&p.id), &[])?;
    for f in &step.voids {
        let why = (Some("paid within the grace period".to_owned()), Some(&p.id));
        write_void(&mut tx, scope, (f, &[]), f.due_date, why, step.plan.now);
    }
    if step.fresh {
        let received = PaymentReceived {
            payment_id: p.id.clone(),
            lease_id: p.lease_id.clone(),
            amount: money_dto(p.amount.minor, p.amount.currency),
            received_on: p.received_on,
            method: p.method,
            status: p.status,
            allocations: allocations_made(&step.plan.allocations),
            fx: p.fx.clone(),
            processor: p.processor,
        };
        crate::events::emit(&mut tx, scope, &received);
    } else if !step.plan.allocations.is_empty() {
        crate::events::emit(&mut tx, scope, &allocation_created(&p.lease_id, &step.plan.allocations));
    }
    if step.more {
        return Ok(Decision::Continue(tx));
    }
    let out = answer(l, &step);
    if let Some(claim) = claim {
        claim.complete_in(&mut tx, 201, &serde_json::to_string(&out).expect("serializes"));
    }
    Ok(Decision::Commit(tx, out))
}

/// Records a payment and allocates it (auto: oldest due first, rent before fees; or explicit).
/// What is not allocated stays unapplied credit. More allocations than fit one transaction
/// continue in further transactions, each applying the payment's remaining credit.
pub async fn record_payment(
    cx: &Ctx<'_>,
    lease_id: &str,
    input: CreatePayment,
    id: PaymentId,
    claim: Option<&Claim>,
) -> Result<Payment> {
    record(cx, lease_id, input, (id, None), claim).await
}

/// `record_payment`, for money a processor took (`online`).
pub(crate) async fn record(
    cx: &Ctx<'_>,
    lease_id: &str,
    input: CreatePayment,
    (id, processor): (PaymentId, Option<Processor>),
    claim: Option<&Claim>,
) -> Result<Payment> {
    let (lease, org) = billable_lease(cx.db, cx.scope, lease_id).await?;
    let currency = lease.rent.currency;
    let amount = in_currency(&input.amount, "amount", currency)?;
    let allocate = AllocationRequest::from_input(&input.allocate, currency)?;
    let fx = fx_for(cx.db, cx.scope, org.base_currency, amount, currency, input.received_on).await?;
    let req = PaymentRequest {
        id,
        lease_id: lease.id.clone(),
        currency,
        amount,
        received_on: input.received_on,
        method: input.method,
        reference: input.reference,
        pending: input.pending,
        allocate,
        fx,
        request_hash: claim.map(|c| c.hash().to_owned()),
        processor,
    };
    let now = cx.now;
    let read = || store::read_ledger(cx.db, cx.scope, &lease.id);
    let decide = |l: &LedgerItems| payment_writes(cx.scope, l, decide_payment(l, &req, now)?, claim);
    match cx.db.commit_loop(Retry::CONTENDED, read, decide).await {
        // Recorded, but the rest could not be allocated under contention: it stays credit.
        Err(Error::Store(DbError::Busy)) => recorded(cx, &lease.id, &req.id).await,
        other => other,
    }
}

async fn recorded(cx: &Ctx<'_>, lease: &LeaseId, id: &PaymentId) -> Result<Payment> {
    let l = store::read_ledger(cx.db, cx.scope, lease).await?;
    let Some(p) = l.payments.iter().find(|p| &p.id == id) else { return Err(DbError::Busy.into()) };
    let made = l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(id)).cloned().map(Allocation::from);
    Ok(Payment::from_record(p.clone(), made.collect()))
}

pub async fn list_payments(cx: &Ctx<'_>, lease_id: &str, page: PageRequest) -> Result<PageOf<Payment>> {
    let lease = crate::leasing::service::get_lease_record(cx, lease_id).await?;
    let q = Query::partition(Index::Primary, keys::lease_partition(cx.scope, &lease.id)).begins_with("PAY#");
    let p: PageOf<PaymentRecord> = cx.db.page_of(q, page).await?;
    Ok(PageOf {
        items: p.items.into_iter().map(|r| Payment::from_record(r, Vec::new())).collect(),
        last_key: p.last_key,
    })
}

async fn payment_lease(cx: &Ctx<'_>, payment_id: &str) -> Result<(PaymentId, LeaseId)> {
    let id = PaymentId::parse(payment_id).ok_or(Error::NotFound("payment"))?;
    let (g1pk, _) = keys::payment_gsi1(cx.scope, &id);
    let lease = store::lease_of(cx.db, g1pk, "payment").await?;
    Ok((id, lease))
}

fn find_payment<'a>(l: &'a LedgerItems, id: &PaymentId) -> Result<&'a PaymentRecord> {
    l.payments.iter().find(|p| &p.id == id).ok_or(Error::NotFound("payment"))
}

/// One transaction of a reversal: reversing allocations for what the payment still pays (at
/// most a transaction's worth), and whether more remain for a further transaction.
#[derive(Debug, Clone)]
pub struct ReversalStep {
    pub payment: PaymentRecord,
    pub plan: Plan,
    pub more: bool,
    pub on: NaiveDate,
}

/// The pure decision behind reversing a payment (a bounced check).
pub fn decide_reversal(l: &LedgerState, id: &PaymentId, on: NaiveDate, now: DateTime<Utc>) -> Result<ReversalStep> {
    let p = find_payment(l, id)?.clone();
    if p.status == PaymentStatus::Reversed {
        return Err(Error::Conflict("the payment is already reversed".into()));
    }
    if on < p.received_on {
        return Err(Error::invalid("reversedOn", "must not be before the payment was received"));
    }
    let mut net: std::collections::BTreeMap<ChargeId, (i64, NaiveDate)> = Default::default();
    for a in l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(id)) {
        let e = net.entry(a.charge_id.clone()).or_insert((0, a.date));
        e.0 += a.amount.minor;
        e.1 = e.1.max(a.date);
    }
    let owed: Vec<_> = net.into_iter().filter(|(_, (amount, _))| *amount != 0).collect();
    let mut plan = Plan::at(now);
    plan.fund_payment(&p);
    for (cid, (amount, last)) in owed.iter().take(ALLOCATIONS_PER_TX) {
        let c = l.charge(cid).ok_or(Error::NotFound("charge"))?;
        if c.status != ChargeStatus::Void {
            plan.allocate(&p.lease_id, AllocationSource::Payment, Some(id.as_str()), c, -amount, on.max(*last));
        }
    }
    Ok(ReversalStep { payment: p, plan, more: owed.len() > ALLOCATIONS_PER_TX, on })
}

fn reversal_writes(
    scope: &OrgScope,
    l: &LedgerItems,
    step: ReversalStep,
    reason: &Option<String>,
) -> Result<Decision<Payment>> {
    let mut tx = Tx::new();
    let p = &step.payment;
    step.plan.write(&mut tx, scope, l, Some(&p.id), &[])?;
    let delta = step.plan.payment_delta(&p.id);
    if step.more {
        store::update_payment_unapplied(&mut tx, scope, p, delta);
        return Ok(Decision::Continue(tx));
    }
    let after = PaymentRecord {
        status: PaymentStatus::Reversed,
        reversed_on: Some(step.on),
        reversal_reason: reason.clone(),
        unapplied: 0,
        v: p.v + 1,
        ..p.clone()
    };
    write_reversal(&mut tx, scope, p, step.on, reason, step.plan.now);
    for fee in reinstated_fees(l, p, step.on, step.plan.now) {
        tx.create(store::charge_item(scope, &fee));
        crate::events::emit(&mut tx, scope, &store::charge_event(&fee));
    }
    let reversed = PaymentReversed {
        payment_id: p.id.clone(),
        lease_id: p.lease_id.clone(),
        // What is left of it after partial refunds.
        amount: money_dto(p.amount.minor - p.refunded, p.amount.currency),
        reversed_on: step.on,
        reason: reason.clone(),
        allocations: allocations_made(&step.plan.allocations),
        fx: p.fx.clone(),
        processor: p.processor,
    };
    crate::events::emit(&mut tx, scope, &reversed);
    let made = step.plan.allocations.into_iter().map(Allocation::from).collect();
    Ok(Decision::Commit(tx, Payment::from_record(after, made)))
}

/// The late fees `p` waived by arriving within the grace period, charged again (a bounced
/// payment did not pay in time after all), due the day of the reversal.
fn reinstated_fees(l: &LedgerItems, p: &PaymentRecord, on: NaiveDate, now: DateTime<Utc>) -> Vec<ChargeRecord> {
    l.voids
        .iter()
        .filter(|v| v.waived_by.as_ref() == Some(&p.id))
        .filter_map(|v| l.charge(&v.charge_id))
        .filter(|fee| l.charge(&ChargeId::reinstated(&fee.id)).is_none())
        .map(|fee| ChargeRecord {
            id: ChargeId::reinstated(&fee.id),
            due_date: on.max(fee.due_date),
            memo: Some(format!(
                "{} (reinstated: the payment that waived it was reversed)",
                fee.memo.clone().unwrap_or_default()
            )),
            open: fee.amount.minor,
            status: ChargeStatus::Open,
            created_at: now,
            voided_at: None,
            void_reason: None,
            v: 1,
            ..fee.clone()
        })
        .collect()
}

/// The payment becomes reversed (its counter from the value read) and its reversing entry.
fn write_reversal(
    tx: &mut Tx,
    scope: &OrgScope,
    p: &PaymentRecord,
    on: NaiveDate,
    reason: &Option<String>,
    now: DateTime<Utc>,
) {
    let update = Expr::set([
        ("status", s("reversed")),
        ("unapplied", n(0)),
        ("reversedOn", s(on.to_string())),
        ("reversalReason", s(reason.clone().unwrap_or_default())),
    ]);
    let cond = Expr::new("#u = :old AND #st <> :rev")
        .name("#u", "unapplied")
        .name("#st", "status")
        .value(":old", n(p.unapplied))
        .value(":rev", s("reversed"));
    tx.update(keys::payment(scope, &p.lease_id, p.received_on, &p.id), update, Some(cond));
    let rev = PaymentReversalRecord {
        payment_id: p.id.clone(),
        amount: StoredMoney { minor: -(p.amount.minor - p.refunded), currency: p.amount.currency },
        date: on,
        reason: reason.clone(),
        created_at: now,
    };
    let key = keys::payment_reversal(scope, &p.lease_id, &p.id);
    tx.put(ItemBuilder::new(PAYMENT_REVERSAL_ENTITY, &key, &rev).build(), Some(Expr::not_exists()));
}

/// Reverses a payment (a bounced check): reversing allocations give every charge it settled
/// back its open amount, and a reversing entry takes the payment out of the balance.
pub async fn reverse_payment(cx: &Ctx<'_>, payment_id: &str, input: ReversePayment) -> Result<Payment> {
    let (id, lease_id) = payment_lease(cx, payment_id).await?;
    reverse(cx, &lease_id, &id, input).await
}

/// `reverse_payment` of a payment whose lease the caller knows (no index lookup).
pub(crate) async fn reverse(
    cx: &Ctx<'_>,
    lease_id: &LeaseId,
    id: &PaymentId,
    input: ReversePayment,
) -> Result<Payment> {
    let (id, lease_id) = (id.clone(), lease_id.clone());
    let now = cx.now;
    let on = input.reversed_on.unwrap_or_else(|| now.date_naive());
    let read = || store::read_ledger(cx.db, cx.scope, &lease_id);
    let decide = |l: &LedgerItems| reversal_writes(cx.scope, l, decide_reversal(l, &id, on, now)?, &input.reason);
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// A pending payment has cleared.
/// A payment a processor took is cleared by the processor's word (`online`), not by hand: 409.
pub async fn clear_payment(cx: &Ctx<'_>, payment_id: &str) -> Result<Payment> {
    let (id, lease_id) = payment_lease(cx, payment_id).await?;
    let l = store::read_ledger(cx.db, cx.scope, &lease_id).await?;
    if find_payment(&l, &id)?.processor.is_some() {
        return Err(Error::Conflict(
            "Stripe clears this payment when the money arrives; it cannot be cleared by hand".into(),
        ));
    }
    clear(cx, &lease_id, &id).await
}

/// `clear_payment` of a payment whose lease the caller knows.
pub(crate) async fn clear(cx: &Ctx<'_>, lease_id: &LeaseId, id: &PaymentId) -> Result<Payment> {
    let (id, lease_id) = (id.clone(), lease_id.clone());
    let read = || store::read_ledger(cx.db, cx.scope, &lease_id);
    let decide = |l: &LedgerItems| {
        let p = find_payment(l, &id)?;
        if p.status != PaymentStatus::Pending {
            return Err(Error::Conflict("only a pending payment can clear".into()));
        }
        let mut tx = Tx::new();
        let cond = Expr::new("#st = :pending").name("#st", "status").value(":pending", s("pending"));
        let key = keys::payment(cx.scope, &lease_id, p.received_on, &p.id);
        tx.update(key, Expr::set([("status", s("cleared"))]), Some(cond));
        crate::events::emit(
            &mut tx,
            cx.scope,
            &PaymentCleared { payment_id: p.id.clone(), lease_id: lease_id.clone() },
        );
        let after = PaymentRecord { status: PaymentStatus::Cleared, ..p.clone() };
        Ok(Decision::Commit(tx, Payment::from_record(after, Vec::new())))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// The pure decision behind applying a payment's unapplied credit to open charges.
pub fn decide_apply_credit(
    l: &LedgerState,
    id: &PaymentId,
    allocate: &AllocationRequest,
    now: DateTime<Utc>,
) -> Result<(PaymentRecord, Plan)> {
    let p = find_payment(l, id)?;
    if p.status == PaymentStatus::Reversed {
        return Err(Error::Conflict("the payment is reversed".into()));
    }
    if p.unapplied == 0 {
        return Err(Error::Conflict("the payment has no unapplied credit".into()));
    }
    let open = open_charges(l, &[]);
    let got = match allocate {
        AllocationRequest::Explicit(list) => allocation::explicit(p.unapplied, &open, list).map_err(alloc_error)?,
        AllocationRequest::Auto => allocation::auto(p.unapplied, &open),
        AllocationRequest::Nothing => Vec::new(),
    };
    if got.is_empty() {
        return Err(Error::Conflict("nothing is open to apply the credit to".into()));
    }
    let mut plan = Plan::at(now);
    plan.fund_payment(p);
    for a in got.iter().take(ALLOCATIONS_PER_TX) {
        let c = stored_charge(l, &a.charge_id)?;
        plan.allocate(
            &p.lease_id,
            AllocationSource::Payment,
            Some(p.id.as_str()),
            c,
            a.amount,
            p.received_on.max(c.due_date),
        );
    }
    let after = PaymentRecord { unapplied: p.unapplied + plan.payment_delta(&p.id), ..p.clone() };
    Ok((after, plan))
}

/// Applies a payment's unapplied credit to open charges (auto or explicit).
pub async fn apply_credit(cx: &Ctx<'_>, payment_id: &str, input: ApplyCredit) -> Result<Payment> {
    let (id, lease_id) = payment_lease(cx, payment_id).await?;
    apply(cx, &lease_id, &id, input).await
}

/// `apply_credit` of a payment whose lease the caller knows.
pub(crate) async fn apply(cx: &Ctx<'_>, lease_id: &LeaseId, id: &PaymentId, input: ApplyCredit) -> Result<Payment> {
    let (id, lease_id) = (id.clone(), lease_id.clone());
    let now = cx.now;
    let read = || store::read_ledger(cx.db, cx.scope, &lease_id);
    let mut allocate = None;
    let decide = |l: &LedgerItems| {
        let currency = find_payment(l, &id)?.amount.currency;
        let req = match &allocate {
            Some(r) => r,
            None => allocate.insert(AllocationRequest::from_input(&input.allocate, currency)?),
        };
        let (after, plan) = decide_apply_credit(l, &id, req, now)?;
        let mut tx = Tx::new();
        plan.write(&mut tx, cx.scope, l, None, &[])?;
        crate::events::emit(&mut tx, cx.scope, &allocation_created(&lease_id, &plan.allocations));
        Ok(Decision::Commit(
            tx,
            Payment::from_record(after, plan.allocations.into_iter().map(Allocation::from).collect()),
        ))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

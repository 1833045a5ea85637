//! Partial refunds of a payment, through the processor that took it (Stripe's `charge.refunded`
//! for less than the whole charge). The refund comes first out of what the payment left
//! unapplied, then out of the charges it paid, the latest due first (reversing allocations: they
//! are owed again). The payment keeps its status and its `refunded` total grows; the books move
//! the money back out of the processor's clearing account. Idempotent by the refund's id. All
//! that is left of a payment refunded reverses it instead (`payments::reverse`, net of refunds).

use super::common::allocations_made;
use super::events::PaymentRefunded;
use super::ledger::LedgerItems;
use super::model::*;
use super::store::{self, money_dto, Plan, ALLOCATIONS_PER_TX};
use crate::ids::{ChargeId, LeaseId, PaymentId};
use crate::money::StoredMoney;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, n, s, Decision, Expr, ItemBuilder, Retry, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// A partial refund to record: the processor's total refunded of the payment so far (its events
/// carry the total, so a repeated or late one finds nothing left to do).
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub payment_id: PaymentId,
    /// The processor's id of this state of the refunds: one refund is recorded once.
    pub refund_id: String,
    /// All that has been refunded of the payment, this refund included.
    pub total: i64,
    pub on: NaiveDate,
    pub reason: Option<String>,
}

/// What a refund does: the reversing allocations planned, and how much comes out of what the
/// payment had left unapplied.
#[derive(Debug, Clone)]
pub struct RefundStep {
    pub payment: PaymentRecord,
    pub plan: Plan,
    /// This refund's amount (the total less what was refunded before).
    pub amount: i64,
}

/// The payment's net allocations per charge, the latest due first.
fn paid_charges<'a>(l: &'a LedgerItems, id: &PaymentId) -> Vec<(&'a ChargeRecord, i64, NaiveDate)> {
    let mut net: std::collections::BTreeMap<&ChargeId, (i64, NaiveDate)> = Default::default();
    for a in l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(id)) {
        let e = net.entry(&a.charge_id).or_insert((0, a.date));
        e.0 += a.amount.minor;
        e.1 = e.1.max(a.date);
    }
    let mut paid: Vec<_> = net
        .into_iter()
        .filter(|(_, (amount, _))| *amount > 0)
        .filter_map(|(cid, (amount, last))| l.charge(cid).map(|c| (c, amount, last)))
        .filter(|(c, _, _)| c.status != ChargeStatus::Void)
        .collect();
    paid.sort_by(|a, b| (b.0.due_date, &b.0.id).cmp(&(a.0.due_date, &a.0.id)));
    paid
}

/// The pure decision: None when this refund is recorded already.
pub fn decide_refund(l: &LedgerItems, r: &RefundRequest, now: DateTime<Utc>) -> Result<Option<RefundStep>> {
    let p = l.payments.iter().find(|p| p.id == r.payment_id).ok_or(Error::NotFound("payment"))?;
    let amount = r.total - p.refunded;
    if amount <= 0 || l.refunds.iter().any(|x| x.payment_id == p.id && x.refund_id == r.refund_id) {
        return Ok(None);
    }
    match p.status {
        PaymentStatus::Reversed => return Err(Error::Conflict("the payment is reversed".into())),
        PaymentStatus::Pending => return Err(Error::Conflict("a pending payment has nothing to refund yet".into())),
        PaymentStatus::Cleared => {}
    }
    if r.total >= p.amount.minor {
        let what = money_dto(p.amount.minor, p.amount.currency).amount;
        return Err(Error::invalid("amount", format!("a partial refund leaves part of the {what} paid")));
    }
    if r.on < p.received_on {
        return Err(Error::invalid("refundedOn", "must not be before the payment was received"));
    }
    let mut plan = Plan::at(now);
    plan.fund_payment(p);
    let mut rest = amount - amount.min(p.unapplied);
    for (c, paid, last) in paid_charges(l, &p.id) {
        if rest == 0 {
            break;
        }
        let take = paid.min(rest);
        plan.allocate(&p.lease_id, AllocationSource::Payment, Some(p.id.as_str()), c, -take, r.on.max(last));
        rest -= take;
    }
    if rest > 0 || plan.allocations.len() > ALLOCATIONS_PER_TX {
        return Err(Error::Conflict("the payment's allocations do not cover the refund".into()));
    }
    Ok(Some(RefundStep { payment: p.clone(), plan, amount }))
}

/// The writes of a refund: the reversing allocations and the charges they reopen, the payment's
/// unapplied amount and refunded total (under the values read), the refund's entry, the event.
pub fn refund_writes(scope: &OrgScope, l: &LedgerItems, step: RefundStep, r: &RefundRequest) -> Result<Decision<()>> {
    let p = &step.payment;
    let mut tx = Tx::new();
    // The payment's counter is written below, with its refunded total.
    step.plan.write(&mut tx, scope, l, Some(&p.id), &[])?;
    let amount = step.amount;
    let unapplied = p.unapplied + step.plan.payment_delta(&p.id) - amount;
    let set = Expr::new("SET #u = :u, #r = :r, #v = #v + :one")
        .name("#u", "unapplied")
        .name("#r", "refunded")
        .name("#v", "v")
        .value(":u", n(unapplied))
        .value(":r", n(p.refunded + amount))
        .value(":one", n(1));
    let cond = Expr::new("#u = :oldu AND #st = :cleared AND (attribute_not_exists(#r) OR #r = :oldr)")
        .name("#u", "unapplied")
        .name("#st", "status")
        .name("#r", "refunded")
        .value(":oldu", n(p.unapplied))
        .value(":cleared", s("cleared"))
        .value(":oldr", n(p.refunded));
    tx.update(keys::payment(scope, &p.lease_id, p.received_on, &p.id), set, Some(cond));
    let record = PaymentRefundRecord {
        payment_id: p.id.clone(),
        refund_id: r.refund_id.clone(),
        amount: StoredMoney { minor: -amount, currency: p.amount.currency },
        date: r.on,
        reason: r.reason.clone(),
        created_at: step.plan.now,
    };
    let key = keys::payment_refund(scope, &p.lease_id, &p.id, &r.refund_id);
    tx.put(ItemBuilder::new(PAYMENT_REFUND_ENTITY, &key, &record).build(), Some(Expr::not_exists()));
    let event = PaymentRefunded {
        payment_id: p.id.clone(),
        lease_id: p.lease_id.clone(),
        refund_id: r.refund_id.clone(),
        amount: money_dto(amount, p.amount.currency),
        refunded_on: r.on,
        reason: r.reason.clone(),
        allocations: allocations_made(&step.plan.allocations),
        fx: p.fx.clone(),
        processor: p.processor,
    };
    crate::events::emit(&mut tx, scope, &event);
    Ok(Decision::Commit(tx, ()))
}

/// Records a partial refund of a payment of `lease` (nothing when it is recorded already).
pub async fn refund(cx: &Ctx<'_>, lease: &LeaseId, r: &RefundRequest) -> Result<()> {
    let read = || store::read_ledger(cx.db, cx.scope, lease);
    let decide = |l: &LedgerItems| match decide_refund(l, r, cx.now)? {
        Some(step) => refund_writes(cx.scope, l, step, r),
        None => Ok(Decision::Done(())),
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

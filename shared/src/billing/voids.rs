//! Voiding a charge: a reversing entry dated the later of today and its due date; whatever had
//! been allocated to it goes back to the payments (as unapplied credit), credits or deposit it
//! came from. The charge stays in history.

use super::common::LedgerState;
use super::events::ChargeVoided;
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
use std::collections::BTreeMap;

/// Voids a charge found by its id alone.
pub async fn void_charge(cx: &Ctx<'_>, charge_id: &str, input: VoidCharge) -> Result<Charge> {
    let id = ChargeId::parse(charge_id).ok_or(Error::NotFound("charge"))?;
    let (g1pk, _) = keys::charge_gsi1(cx.scope, &id);
    let lease_id = store::lease_of(cx.db, g1pk, "charge").await?;
    void_charge_in(cx, &lease_id, &id, input, None).await
}

/// Voids a charge of a known lease; `on` dates the reversing entry (default: the later of
/// today and the due date).
pub async fn void_charge_in(
    cx: &Ctx<'_>,
    lease_id: &LeaseId,
    id: &ChargeId,
    input: VoidCharge,
    on: Option<NaiveDate>,
) -> Result<Charge> {
    let now = cx.now;
    let today = on.unwrap_or_else(|| now.date_naive());
    let read = || store::read_ledger(cx.db, cx.scope, lease_id);
    let decide = |l: &LedgerItems| {
        let (charge, plan, date) = decide_void(l, id, today, now)?;
        let mut tx = Tx::new();
        plan.write(&mut tx, cx.scope, l, None, &[&charge.id])?;
        write_void(&mut tx, cx.scope, (&charge, &plan.allocations), date, (input.reason.clone(), None), now);
        let out = ChargeRecord {
            status: ChargeStatus::Void,
            open: 0,
            voided_at: Some(now),
            void_reason: input.reason.clone(),
            ..charge
        };
        Ok(Decision::Commit(tx, out.into()))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// The pure decision behind a void: the charge, the reversing allocations that release exactly
/// what is allocated to it (and, for a credit, what it paid), and the void's date.
pub fn decide_void(
    l: &LedgerState,
    id: &ChargeId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(ChargeRecord, Plan, NaiveDate)> {
    let c = l.charge(id).ok_or(Error::NotFound("charge"))?;
    if c.status == ChargeStatus::Void {
        return Err(Error::Conflict("the charge is already void".into()));
    }
    let date = today.max(c.due_date);
    let deposit_paid = l.allocations.iter().any(|a| a.charge_id == c.id && a.source == AllocationSource::Deposit);
    if deposit_paid && l.settlement.is_some() {
        return Err(Error::Conflict("the deposit that paid this charge is settled; record a credit instead".into()));
    }
    let plan = release_allocations(l, c, date, now);
    if plan.allocations.len() > ALLOCATIONS_PER_TX {
        return Err(Error::Conflict(
            "the charge has too many allocations to void at once; reverse some payments first".into(),
        ));
    }
    Ok((c.clone(), plan, date))
}

/// Reversing allocations for everything still allocated to `c`, per source.
fn release_allocations(l: &LedgerItems, c: &ChargeRecord, date: NaiveDate, now: DateTime<Utc>) -> Plan {
    let mut net: BTreeMap<(u8, String), i64> = Default::default();
    for a in l.allocations.iter().filter(|a| a.charge_id == c.id) {
        let key = match (a.source, &a.payment_id, &a.credit_id) {
            (AllocationSource::Payment, Some(p), _) => (0, p.to_string()),
            (AllocationSource::Credit, _, Some(cr)) => (1, cr.to_string()),
            _ => (2, String::new()),
        };
        *net.entry(key).or_default() += a.amount.minor;
    }
    let mut plan = Plan::over(now, l);
    for ((kind, from), amount) in net.into_iter().filter(|(_, a)| *a != 0) {
        let source = [AllocationSource::Payment, AllocationSource::Credit, AllocationSource::Deposit][kind as usize];
        let from = (!from.is_empty()).then_some(from.as_str());
        plan.allocate(&c.lease_id, source, from, c, -amount, date);
    }
    if c.kind == ChargeKind::Credit {
        release_what_a_credit_paid(l, c, date, &mut plan);
    }
    plan
}

/// A voided credit no longer pays anything: the charges it paid are open again.
fn release_what_a_credit_paid(l: &LedgerItems, c: &ChargeRecord, date: NaiveDate, plan: &mut Plan) {
    let mut paid: BTreeMap<&ChargeId, i64> = Default::default();
    for a in l.allocations.iter().filter(|a| a.credit_id.as_ref() == Some(&c.id)) {
        *paid.entry(&a.charge_id).or_default() += a.amount.minor;
    }
    for (target, amount) in paid.into_iter().filter(|(_, a)| *a != 0) {
        if let Some(t) = l.charge(target).filter(|t| t.status != ChargeStatus::Void) {
            plan.allocate(&c.lease_id, AllocationSource::Credit, Some(c.id.as_str()), t, -amount, date);
        }
    }
}

/// The charge becomes void (open 0, out of the open index) and its reversing entry is written.
pub(crate) fn write_void(
    tx: &mut Tx,
    scope: &OrgScope,
    (c, released): (&ChargeRecord, &[AllocationRecord]),
    date: NaiveDate,
    (reason, waived_by): (Option<String>, Option<&PaymentId>),
    now: DateTime<Utc>,
) {
    let reason_set = if reason.is_some() { ", voidReason = :reason" } else { "" };
    let mut update = Expr::new(format!(
        "SET #st = :void, #open = :zero, voidedAt = :at{reason_set}, #v = #v + :one REMOVE GSI2PK, GSI2SK"
    ))
    .name("#st", "status")
    .name("#open", "open")
    .name("#v", "v")
    .value(":void", s("void"))
    .value(":zero", n(0))
    .value(":at", s(now.to_rfc3339()))
    .value(":one", n(1));
    if let Some(r) = &reason {
        update = update.value(":reason", s(r.clone()));
    }
    let cond = Expr::new("#open = :old AND #st <> :void")
        .name("#open", "open")
        .name("#st", "status")
        .value(":old", n(c.open))
        .value(":void", s("void"));
    tx.update(keys::charge(scope, &c.lease_id, c.due_date, &c.id), update, Some(cond));
    let v = ChargeVoidRecord {
        charge_id: c.id.clone(),
        kind: c.kind,
        amount: StoredMoney { minor: -c.amount.minor, currency: c.amount.currency },
        date,
        reason: reason.clone(),
        created_at: now,
        waived_by: waived_by.cloned(),
    };
    let key = keys::charge_void(scope, &c.lease_id, &c.id);
    tx.put(ItemBuilder::new(CHARGE_VOID_ENTITY, &key, &v).build(), Some(Expr::not_exists()));
    let voided = ChargeVoided {
        charge_id: c.id.clone(),
        lease_id: c.lease_id.clone(),
        kind: c.kind,
        amount: money_dto(c.amount.minor, c.amount.currency),
        date,
        reason: reason.clone(),
        allocations: super::common::allocations_made(released),
        fx: c.fx.clone(),
        source: Some(c.source),
    };
    crate::events::emit(tx, scope, &voided);
}

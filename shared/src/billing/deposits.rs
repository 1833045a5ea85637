//! Settling a deposit at move-out: each deduction becomes a charge paid from the deposit, what
//! is left may pay charges still open, and the rest is refunded (an entry on the ledger).

use super::allocation;
use super::common::{allocations_made, in_currency, open_charges, LedgerState};
use super::events::DepositSettled;
use super::ledger::{self, LedgerItems};
use super::model::*;
use super::store::{self, charge_item, money_dto, Plan, ALLOCATIONS_PER_TX};
use crate::ids::{ChargeId, LeaseId, UnitId};
use crate::money::{Currency, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Decision, Expr, ItemBuilder, Retry, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, FieldError, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// A settlement to make, checked against the lease (amounts in its minor units).
#[derive(Debug, Clone)]
pub struct SettlementRequest {
    pub lease_id: LeaseId,
    pub unit_id: UnitId,
    pub currency: Currency,
    pub settled_on: NaiveDate,
    /// (description, amount)
    pub deductions: Vec<(String, i64)>,
    pub apply_to_balance: bool,
    /// The rate into the base currency on the settlement day (the deductions' and the
    /// refund's), when the lease is in a foreign currency and a rate is recorded.
    pub fx: Option<Fx>,
}

/// What a settlement writes: the deduction charges (paid from the deposit), the allocations,
/// and the settlement record.
#[derive(Debug, Clone)]
pub struct SettlementStep {
    pub deduction_charges: Vec<ChargeRecord>,
    pub plan: Plan,
    pub record: SettlementRecord,
    pub fx: Option<Fx>,
}

pub async fn settle_deposit(cx: &Ctx<'_>, lease_id: &str, input: SettleDeposit) -> Result<DepositSettlement> {
    let lease = crate::leasing::service::get_lease_record(cx, lease_id).await?;
    let Some(move_out) = lease.move_out_date else {
        return Err(Error::Conflict("the deposit is settled after move-out; end the lease first".into()));
    };
    let currency = lease.rent.currency;
    let settled_on = input.settled_on.unwrap_or(move_out);
    if settled_on < move_out {
        return Err(Error::invalid("settledOn", "must not be before the move-out date"));
    }
    let deductions = input
        .deductions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok((d.description.trim().to_owned(), in_currency(&d.amount, &format!("deductions[{i}].amount"), currency)?))
        })
        .collect::<Result<_>>()?;
    let req = SettlementRequest {
        lease_id: lease.id.clone(),
        unit_id: lease.unit_id.clone(),
        currency,
        settled_on,
        deductions,
        apply_to_balance: input.apply_to_balance,
        fx: super::common::fx_for(
            cx.db,
            cx.scope,
            super::service::get_org(cx).await?.base_currency,
            0,
            currency,
            settled_on,
        )
        .await?,
    };
    let now = cx.now;
    let ids: Vec<ChargeId> = req.deductions.iter().map(|_| ChargeId::new()).collect();
    let fulfilled = crate::leasing::compliance::fulfilled_deposit_return(cx, &lease.id).await?;
    let read = || store::read_ledger(cx.db, cx.scope, &lease.id);
    let decide =
        |l: &LedgerItems| settlement_writes(cx.scope, l, decide_settlement(l, &req, &ids, now)?, fulfilled.clone());
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

fn deduction_charge(
    req: &SettlementRequest,
    id: ChargeId,
    description: &str,
    amount: i64,
    at: DateTime<Utc>,
) -> ChargeRecord {
    ChargeRecord {
        id,
        lease_id: req.lease_id.clone(),
        unit_id: req.unit_id.clone(),
        kind: ChargeKind::Fee,
        amount: StoredMoney { minor: amount, currency: req.currency },
        due_date: req.settled_on,
        memo: Some(format!("deposit deduction: {description}")),
        source: ChargeSource::DepositSettlement,
        period: None,
        fee_for: None,
        grace_days: None,
        open: 0,
        status: ChargeStatus::Paid,
        fx: req.fx.as_ref().and_then(|f| Fx::convert(amount, req.currency, f.rate, f.rate_date, f.base_currency)),
        created_at: at,
        voided_at: None,
        void_reason: None,
        v: 1,
    }
}

/// The pure decision behind a settlement. `ids` names the deduction charges (one per deduction,
/// the same on every attempt).
pub fn decide_settlement(
    l: &LedgerState,
    req: &SettlementRequest,
    ids: &[ChargeId],
    now: DateTime<Utc>,
) -> Result<SettlementStep> {
    if l.settlement.is_some() {
        return Err(Error::Conflict("the deposit is already settled".into()));
    }
    let held = ledger::totals(l, NaiveDate::MAX).deposit;
    let deducted: i64 = req.deductions.iter().map(|d| d.1).sum();
    if deducted > held {
        let (d, h) = (money_dto(deducted, req.currency).amount, money_dto(held, req.currency).amount);
        let message = format!("deductions total {d} but the deposit held is {h}");
        return Err(Error::Invalid(vec![FieldError::new("deductions", message)]));
    }
    let mut plan = Plan::at(now);
    plan.fund_deposit(held, req.currency, held_worth(l));
    let mut charges = Vec::new();
    for (i, ((description, amount), id)) in req.deductions.iter().zip(ids).enumerate() {
        let c = deduction_charge(req, id.clone(), description, *amount, now + chrono::Duration::microseconds(i as i64));
        plan.allocate(&req.lease_id, AllocationSource::Deposit, None, &c, *amount, req.settled_on);
        charges.push(c);
    }
    let applied = if req.apply_to_balance { apply_rest(l, req, held - deducted, charges.len(), &mut plan) } else { 0 };
    let lines = charges.iter().zip(&req.deductions).map(|(c, (d, a))| (c.id.clone(), d.clone(), *a)).collect();
    let record = SettlementRecord {
        lease_id: req.lease_id.clone(),
        settled_on: req.settled_on,
        held: StoredMoney { minor: held, currency: req.currency },
        deductions: lines,
        applied_to_balance: applied,
        refund: StoredMoney { minor: held - deducted - applied, currency: req.currency },
        created_at: now,
    };
    Ok(SettlementStep { deduction_charges: charges, plan, record, fx: req.fx.clone() })
}

/// What the deposit held is worth in the base currency: the part paid of each deposit charge at
/// that charge's rate (none when one has no rate or the lease is in the base currency).
fn held_worth(l: &LedgerItems) -> Option<StoredMoney> {
    let mut sum: Option<StoredMoney> = None;
    for c in l.charges.iter().filter(|c| c.kind == ChargeKind::Deposit && c.status != ChargeStatus::Void) {
        let fx = c.fx.as_ref()?;
        let paid = fx.worth(c.amount.minor, c.amount.currency)? - fx.worth(c.open, c.amount.currency)?;
        let s = sum.get_or_insert(StoredMoney { minor: 0, currency: fx.base_currency });
        s.minor += paid;
    }
    sum
}

/// What is left of the deposit pays charges still open (never deposits), oldest first.
fn apply_rest(l: &LedgerItems, req: &SettlementRequest, rest: i64, used: usize, plan: &mut Plan) -> i64 {
    let deposit_charges: Vec<&ChargeId> =
        l.charges.iter().filter(|c| c.kind == ChargeKind::Deposit).map(|c| &c.id).collect();
    let mut applied = 0;
    for a in allocation::auto(rest, &open_charges(l, &deposit_charges)).into_iter().take(ALLOCATIONS_PER_TX - used) {
        let Some(c) = ChargeId::parse(&a.charge_id).and_then(|id| l.charge(&id)) else { continue };
        plan.allocate(&req.lease_id, AllocationSource::Deposit, None, c, a.amount, req.settled_on.max(c.due_date));
        applied += a.amount;
    }
    applied
}

/// The settlement's writes; `fulfilled` is the lease's deposit-return obligation, done.
fn settlement_writes(
    scope: &OrgScope,
    l: &LedgerItems,
    step: SettlementStep,
    fulfilled: Option<crate::platform::db::Item>,
) -> Result<Decision<DepositSettlement>> {
    let mut tx = Tx::new();
    if let Some(item) = fulfilled {
        tx.put(item, None);
    }
    for c in &step.deduction_charges {
        tx.put(charge_item(scope, c), Some(Expr::not_exists()));
    }
    let new_ids: Vec<&ChargeId> = step.deduction_charges.iter().map(|c| &c.id).collect();
    step.plan.write(&mut tx, scope, l, None, &new_ids)?;
    let lease_id = step.record.lease_id.clone();
    let key = keys::deposit_settlement(scope, &lease_id);
    tx.put(ItemBuilder::new(SETTLEMENT_ENTITY, &key, &step.record).build(), Some(Expr::not_exists()));
    let out = DepositSettlement::from(step.record);
    let settled = DepositSettled {
        lease_id: lease_id.clone(),
        settled_on: out.settled_on,
        held: out.held.clone(),
        deductions: out.deductions.clone(),
        applied_to_balance: out.applied_to_balance.clone(),
        refund: out.refund.clone(),
        allocations: allocations_made(&step.plan.allocations),
        fx: step.fx.clone(),
        refund_base: step.plan.deposit_left_worth().map(|b| money_dto(b.minor, b.currency)),
    };
    crate::events::emit(&mut tx, scope, &settled);
    Ok(Decision::Commit(tx, out))
}

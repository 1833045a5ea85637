//! Charges: adding one to a lease (a credit is applied at once to what is open), and listing a
//! lease's charges. Generated charges (rent, deposits, late fees) use deterministic ids, so a
//! second attempt answers `is_existing_charge` instead of charging twice.

use super::allocation;
use super::common::{allocation_created, billable_lease, fx_for, in_currency, open_charges, LedgerState};
use super::ledger::LedgerItems;
use super::model::*;
use super::store::{self, charge_item, Plan, ALLOCATIONS_PER_TX};
use crate::ids::ChargeId;
use crate::money::StoredMoney;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, DbError, Decision, Index, PageOf, PageRequest, Query, Retry, Tx};
use crate::platform::idempotency::Claim;
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, Utc};

/// Adds a charge to a lease. A credit is stored negative and applied at once to what is open,
/// oldest first; what it cannot cover stays on it as credit.
pub async fn create_charge(cx: &Ctx<'_>, lease_id: &str, input: CreateCharge, claim: Option<&Claim>) -> Result<Charge> {
    create_charge_as(cx, lease_id, input, claim, ChargeId::new(), ChargeSource::Manual).await
}

/// Whether an error says the charge id is taken (a deterministic charge made before).
pub fn is_existing_charge(e: &Error) -> bool {
    matches!(e, Error::Store(DbError::AlreadyExists))
}

/// As `create_charge`, with the id and source given (generated charges use deterministic ids;
/// a second attempt answers `is_existing_charge`).
pub async fn create_charge_as(
    cx: &Ctx<'_>,
    lease_id: &str,
    input: CreateCharge,
    claim: Option<&Claim>,
    id: ChargeId,
    source: ChargeSource,
) -> Result<Charge> {
    let (lease, org) = billable_lease(cx.db, cx.scope, lease_id).await?;
    let currency = lease.rent.currency;
    let minor = in_currency(&input.amount, "amount", currency)?;
    let signed = if input.kind == ChargeKind::Credit { -minor } else { minor };
    let fx = fx_for(cx.db, cx.scope, org.base_currency, signed, currency, input.due_date).await?;
    let now = cx.now;
    let charge = ChargeRecord {
        id,
        lease_id: lease.id.clone(),
        unit_id: lease.unit_id.clone(),
        kind: input.kind,
        amount: StoredMoney { minor: signed, currency },
        due_date: input.due_date,
        memo: input.memo.map(|m| m.trim().to_owned()),
        source,
        period: None,
        fee_for: None,
        grace_days: None,
        open: signed,
        status: ChargeStatus::Open,
        fx,
        created_at: now,
        voided_at: None,
        void_reason: None,
        v: 1,
    };
    let is_credit = charge.kind == ChargeKind::Credit;
    // Only a credit depends on the ledger (it pays what is open); other charges just add.
    let lease_id = &lease.id;
    let read = || async move {
        match is_credit {
            true => store::read_ledger(cx.db, cx.scope, lease_id).await,
            false => Ok(LedgerItems::default()),
        }
    };
    let decide = |l: &LedgerItems| {
        let (written, plan) = decide_charge(l, &charge, now);
        charge_writes(cx.scope, l, written, &plan, claim)
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// The pure decision behind a new charge: a credit applies itself to what is open (never to
/// deposits: a credit lowers what is owed, it is not cash held), at most a transaction's worth;
/// any other charge is written as it is.
pub fn decide_charge(l: &LedgerState, c: &ChargeRecord, now: DateTime<Utc>) -> (ChargeRecord, Plan) {
    let mut plan = Plan::at(now);
    if c.kind != ChargeKind::Credit {
        return (c.clone(), plan);
    }
    plan.fund_credit(c);
    let deposits: Vec<&ChargeId> = l.charges.iter().filter(|c| c.kind == ChargeKind::Deposit).map(|c| &c.id).collect();
    for a in allocation::auto(-c.amount.minor, &open_charges(l, &deposits)).into_iter().take(ALLOCATIONS_PER_TX) {
        let Some(target) = ChargeId::parse(&a.charge_id).and_then(|id| l.charge(&id)) else { continue };
        plan.allocate(
            &c.lease_id,
            AllocationSource::Credit,
            Some(c.id.as_str()),
            target,
            a.amount,
            c.due_date.max(target.due_date),
        );
    }
    let mut written = c.clone();
    written.open = c.amount.minor + plan.charge_delta(&c.id);
    if written.open == 0 {
        written.status = ChargeStatus::Paid;
    }
    // The new charge is written whole: its own counter is not an update.
    plan.charge_deltas.remove(&c.id);
    (written, plan)
}

fn charge_writes(
    scope: &OrgScope,
    l: &LedgerItems,
    written: ChargeRecord,
    plan: &Plan,
    claim: Option<&Claim>,
) -> Result<Decision<Charge>> {
    let mut tx = Tx::new();
    plan.write(&mut tx, scope, l, None, &[])?;
    tx.create(charge_item(scope, &written));
    crate::events::emit(&mut tx, scope, &store::charge_event(&written));
    if !plan.allocations.is_empty() {
        crate::events::emit(&mut tx, scope, &allocation_created(&written.lease_id, &plan.allocations));
    }
    let out = Charge::from(written);
    if let Some(claim) = claim {
        claim.complete_in(&mut tx, 201, &serde_json::to_string(&out).expect("serializes"));
    }
    Ok(Decision::Commit(tx, out))
}

pub async fn list_charges(cx: &Ctx<'_>, lease_id: &str, page: PageRequest) -> Result<PageOf<Charge>> {
    let lease = crate::leasing::service::get_lease_record(cx, lease_id).await?;
    let q = Query::partition(Index::Primary, keys::lease_partition(cx.scope, &lease.id)).begins_with("CHG#");
    let p: PageOf<ChargeRecord> = cx.db.page_of(q, page).await?;
    Ok(PageOf { items: p.items.into_iter().map(Charge::from).collect(), last_key: p.last_key })
}

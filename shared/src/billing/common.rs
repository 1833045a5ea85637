//! What the ledger's use cases share: the lease a write is billed to, amounts in the lease's
//! currency, the open charges an allocation may draw on, FX rates, and event payloads.

use super::allocation::{self, OpenCharge};
use super::ledger::LedgerItems;
use super::model::*;
use super::store::money_dto;
use crate::core::model::Org;
use crate::ids::{ChargeId, LeaseId};
use crate::leasing::model::{LeaseRecord, LeaseStatus};
use crate::money::{Currency, MoneyDto};
use crate::platform::db::{self, keys, Db, Query};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::NaiveDate;

/// What a ledger decision reads: every entry of one lease's ledger partition.
pub type LedgerState = LedgerItems;

/// A lease that may carry money (not a draft), and its org, in one round trip.
pub(crate) async fn billable_lease(db: &Db, scope: &OrgScope, id: &str) -> Result<(LeaseRecord, Org)> {
    let lease_key = crate::leasing::service::lease_key(scope, id)?;
    let (lease, org) = db.get_pair(&lease_key, &keys::org(scope)).await?;
    let l = crate::leasing::service::lease_from_item(lease)?;
    if l.status == LeaseStatus::Draft {
        return Err(Error::Conflict("the lease is a draft; activate it before recording money on it".into()));
    }
    Ok((l, crate::core::service::org_from_item(org)?))
}

/// `dto` as minor units of the lease's currency (allocations never cross currencies).
pub(crate) fn in_currency(dto: &MoneyDto, field: &str, currency: Currency) -> Result<i64> {
    let m = dto.to_money(field).map_err(|e| Error::Invalid(vec![e]))?;
    if m.currency != currency {
        return Err(Error::invalid(format!("{field}.currency"), format!("the lease is billed in {currency}")));
    }
    Ok(m.minor)
}

/// The charges an allocation may draw on, leaving out `exclude`.
pub(crate) fn open_charges(l: &LedgerItems, exclude: &[&ChargeId]) -> Vec<OpenCharge> {
    l.charges
        .iter()
        .filter(|c| c.status == ChargeStatus::Open && c.open > 0 && !exclude.contains(&&c.id))
        .map(|c| OpenCharge { id: c.id.to_string(), kind: c.kind, due: c.due_date, open: c.open })
        .collect()
}

pub(crate) fn alloc_error(e: allocation::AllocationError) -> Error {
    use allocation::AllocationError::*;
    let field = "allocate";
    match e {
        UnknownCharge(id) => Error::invalid(field, format!("charge {id} is not open on this lease")),
        other => Error::invalid(field, other.to_string()),
    }
}

/// Explicit allocations as (charge id, minor units), checked against the lease's currency.
pub(crate) fn explicit_requests(list: &[ExplicitAllocation], currency: Currency) -> Result<Vec<(String, i64)>> {
    list.iter()
        .enumerate()
        .map(|(i, a)| Ok((a.charge_id.clone(), in_currency(&a.amount, &format!("allocate[{i}].amount"), currency)?)))
        .collect()
}

/// How a request wants money allocated, with amounts already in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationRequest {
    Auto,
    Nothing,
    Explicit(Vec<(String, i64)>),
}

impl AllocationRequest {
    pub(crate) fn from_input(a: &Allocate, currency: Currency) -> Result<AllocationRequest> {
        Ok(match a {
            Allocate::Mode(AllocateMode::Auto) => AllocationRequest::Auto,
            Allocate::Mode(AllocateMode::None) => AllocationRequest::Nothing,
            Allocate::Explicit(list) => AllocationRequest::Explicit(explicit_requests(list, currency)?),
        })
    }
}

/// The rate into the org's base currency on `date` (the latest recorded on or before it).
pub async fn fx_for(
    db: &Db,
    scope: &OrgScope,
    base: Currency,
    minor: i64,
    c: Currency,
    date: NaiveDate,
) -> Result<Option<Fx>> {
    if c == base {
        return Ok(Some(Fx::same_currency(c, minor, date)));
    }
    let next = date.succ_opt().unwrap_or(date);
    let page = db
        .query(
            Query::partition(db::Index::Primary, keys::fx_partition(scope))
                .before(format!("{c}#{next}"))
                .descending()
                .limit(1),
        )
        .await?;
    let Some(item) = page.items.into_iter().next() else { return Ok(None) };
    let rate: FxRate = db::from_item(item)?;
    Ok((rate.currency == c).then(|| Fx::convert(minor, c, rate.rate, rate.date, base)).flatten())
}

/// The allocations of a plan as event data.
pub(crate) fn allocations_made(allocations: &[AllocationRecord]) -> Vec<super::events::AllocationMade> {
    allocations
        .iter()
        .map(|a| super::events::AllocationMade {
            allocation_id: a.id.clone(),
            charge_id: a.charge_id.clone(),
            payment_id: a.payment_id.clone(),
            credit_id: a.credit_id.clone(),
            amount: money_dto(a.amount.minor, a.amount.currency),
            date: a.date,
            source: a.source,
            charge_kind: a.charge_kind.expect("allocations are made by a plan, which records the charge's kind"),
            charge_base: a.charge_base.map(|b| money_dto(b.minor, b.currency)),
            money_base: a.money_base.map(|b| money_dto(b.minor, b.currency)),
        })
        .collect()
}

/// `allocation.created` for the allocations a plan made on a lease.
pub(crate) fn allocation_created(
    lease: &LeaseId,
    allocations: &[AllocationRecord],
) -> super::events::AllocationCreated {
    super::events::AllocationCreated { lease_id: lease.clone(), allocations: allocations_made(allocations) }
}

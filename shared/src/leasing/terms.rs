//! A lease on its unit: activation and ending write its term onto the unit under the unit's
//! terms version, so two overlapping activations can never both commit.

use super::compliance::{check_activation, deposit_return_obligation, lease_obligation_item, ActivateLease};
use super::events::{LeaseActivated, LeaseEnded};
use super::leases::{av, get_lease_record, get_unit, lease_item};
use super::model::*;
use crate::events;
use crate::events::DomainEvent;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, n, Decision, Expr, Retry, Tx};
use crate::platform::scope::OrgScope;
use crate::properties::model::UnitRecord;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// Writes the unit's new terms under a condition on the version that was read.
fn set_terms(tx: &mut Tx, scope: &OrgScope, unit: &UnitRecord, terms: &[UnitTerm]) -> usize {
    let update = Expr::set([("terms", av(&terms)), ("termsVersion", n(unit.terms_version + 1))]);
    let cond = if unit.terms_version == 0 {
        Expr::new("attribute_exists(PK) AND (attribute_not_exists(termsVersion) OR termsVersion = :tv)")
            .value(":tv", n(0))
    } else {
        Expr::new("termsVersion = :tv").value(":tv", n(unit.terms_version))
    };
    tx.update(keys::unit(scope, &unit.id), update, Some(cond))
}

fn overlap_error(other: &UnitTerm) -> Error {
    let until = other.term.end.map(|e| e.to_string()).unwrap_or_else(|| "open-ended".into());
    Error::Conflict(format!("the unit is already leased by {} from {} to {until}", other.lease_id, other.term.start))
}

/// What a lease transition reads: the lease and its unit (with the unit's activated terms).
pub struct TermState {
    pub lease: LeaseRecord,
    pub unit: UnitRecord,
}

async fn read_terms(cx: &Ctx<'_>, id: &str) -> Result<TermState> {
    let lease = get_lease_record(cx, id).await?;
    let unit = get_unit(cx, &lease.unit_id).await?;
    Ok(TermState { lease, unit })
}

/// The pure decision behind activation: draft → active, only if no other activated lease of
/// the unit overlaps this one's term. Answers the lease after and the unit's terms after.
pub fn decide_activation(s: &TermState, now: DateTime<Utc>) -> Result<(LeaseRecord, Vec<UnitTerm>)> {
    let l = &s.lease;
    if l.status != LeaseStatus::Draft {
        return Err(Error::Conflict(format!("the lease is {}, not a draft", l.status.as_str())));
    }
    let term = Term { start: l.start_date, end: l.end_date };
    if let Some(other) = s.unit.terms.iter().find(|t| t.lease_id != l.id && t.term.overlaps(&term)) {
        return Err(overlap_error(other));
    }
    let mut terms = s.unit.terms.clone();
    terms.push(UnitTerm { lease_id: l.id.clone(), term });
    terms.sort_by_key(|t| t.term.start);
    let after =
        LeaseRecord { status: LeaseStatus::Active, activated_at: Some(now), updated_at: now, v: l.v + 1, ..l.clone() };
    Ok((after, terms))
}

/// The pure decision behind ending a lease: active → ended on `move_out` (the last occupied
/// day), the unit's term cut there.
pub fn decide_end(s: &TermState, move_out: NaiveDate, now: DateTime<Utc>) -> Result<(LeaseRecord, Vec<UnitTerm>)> {
    let l = &s.lease;
    if l.status != LeaseStatus::Active {
        return Err(Error::Conflict(format!("the lease is {}, not active", l.status.as_str())));
    }
    if move_out < l.start_date {
        return Err(Error::invalid("moveOutDate", "must not be before the lease's startDate"));
    }
    let cut = Term { start: l.start_date, end: Some(move_out) };
    if let Some(other) = s.unit.terms.iter().find(|t| t.lease_id != l.id && t.term.overlaps(&cut)) {
        return Err(overlap_error(other));
    }
    let terms = s
        .unit
        .terms
        .iter()
        .map(|t| if t.lease_id == l.id { UnitTerm { lease_id: l.id.clone(), term: cut } } else { t.clone() })
        .collect();
    let after = LeaseRecord {
        status: LeaseStatus::Ended,
        move_out_date: Some(move_out),
        ended_at: Some(now),
        updated_at: now,
        v: l.v + 1,
        ..l.clone()
    };
    Ok((after, terms))
}

/// The lease and its unit's terms, each under the version read, the event, and what `extra`
/// adds (an override's audit entry, an obligation).
fn transition_writes<E: DomainEvent + for<'a> From<&'a LeaseRecord>>(
    scope: &OrgScope,
    s: &TermState,
    after: LeaseRecord,
    terms: &[UnitTerm],
    extra: impl FnOnce(&mut Tx),
) -> Decision<Lease> {
    let mut tx = Tx::new();
    set_terms(&mut tx, scope, &s.unit, terms);
    tx.put(lease_item(scope, &after), Some(Expr::at_version(s.lease.v)));
    events::emit(&mut tx, scope, &E::from(&after));
    extra(&mut tx);
    Decision::Commit(tx, after.into())
}

/// The lease must still be the one the rules were checked against.
fn unchanged(s: &TermState, checked: &LeaseRecord) -> Result<()> {
    match s.lease.v == checked.v {
        true => Ok(()),
        false => Err(Error::Conflict("the lease changed while it was being checked; retry".into())),
    }
}

/// draft → active, only if no other activated lease of the unit overlaps this one's term.
pub async fn activate_lease(cx: &Ctx<'_>, id: &str) -> Result<Lease> {
    activate_lease_with(cx, id, ActivateLease::default()).await
}

/// As `activate_lease`, checking the jurisdiction's deposit rule first (an owner's override
/// goes past its cap, audited).
pub async fn activate_lease_with(cx: &Ctx<'_>, id: &str, input: ActivateLease) -> Result<Lease> {
    let now = cx.now;
    let checked = get_lease_record(cx, id).await?;
    let overridden = match checked.status {
        LeaseStatus::Draft => check_activation(cx, &checked, input.override_.as_ref()).await?,
        _ => None,
    };
    let read = || read_terms(cx, id);
    let decide = |s: &TermState| {
        unchanged(s, &checked)?;
        let (after, terms) = decide_activation(s, now)?;
        Ok(transition_writes::<LeaseActivated>(cx.scope, s, after, &terms, |tx| {
            if let Some(o) = &overridden {
                o.write(tx, cx);
            }
        }))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// active → ended on `move_out_date` (the last occupied day); the unit's term is cut there.
pub async fn end_lease(cx: &Ctx<'_>, id: &str, input: EndLease) -> Result<Lease> {
    let now = cx.now;
    let checked = get_lease_record(cx, id).await?;
    let obligation = match checked.status {
        LeaseStatus::Active => deposit_return_obligation(cx, &checked, input.move_out_date).await?,
        _ => None,
    };
    let read = || read_terms(cx, id);
    let decide = |s: &TermState| {
        unchanged(s, &checked)?;
        let (after, terms) = decide_end(s, input.move_out_date, now)?;
        Ok(transition_writes::<LeaseEnded>(cx.scope, s, after, &terms, |tx| {
            if let Some(o) = &obligation {
                tx.put(lease_obligation_item(cx, &checked.id, o), None);
            }
        }))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

//! The obligations board: what is stored (document expiries, deposit-return deadlines opened
//! when a lease ends) and what is computed as it is read (the notice deadline of each active
//! lease with an end date and no renewal yet, from its jurisdiction's notice rule).

use super::model::{LeaseRecord, LeaseStatus};
use crate::documents::model::{DocumentSubject, Obligation, ObligationKind, ObligationStatus, SubjectType};
use crate::platform::ctx::Ctx;
use crate::policies::limits::notice_deadline;
use crate::policies::model::PolicyArea;
use crate::policies::service::{rules, Place, Rules};
use crate::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Everything due before `due_before` (of `kind`, if given): open first, each group by date.
pub async fn board(cx: &Ctx<'_>, due_before: NaiveDate, kind: Option<ObligationKind>) -> Result<Vec<Obligation>> {
    let mut out = crate::documents::service::obligations(cx, due_before).await?;
    if kind.is_none_or(|k| k == ObligationKind::NoticeDeadline) {
        out.extend(notice_deadlines(cx, due_before).await?);
    }
    out.retain(|o| kind.is_none_or(|k| o.kind == k));
    out.sort_by(|a, b| {
        (a.status != ObligationStatus::Open, a.due_on, &a.name).cmp(&(
            b.status != ObligationStatus::Open,
            b.due_on,
            &b.name,
        ))
    });
    Ok(out)
}

async fn notice_deadlines(cx: &Ctx<'_>, due_before: NaiveDate) -> Result<Vec<Obligation>> {
    let today = cx.today_utc();
    let leases: Vec<LeaseRecord> = super::leases::billable_leases(cx)
        .await?
        .into_iter()
        .filter(|l| l.status == LeaseStatus::Active && l.renewed_by.is_none() && l.end_date.is_some_and(|e| e >= today))
        .collect();
    if leases.is_empty() {
        return Ok(Vec::new());
    }
    let rules = rules(cx).await?;
    let places: BTreeMap<_, _> = crate::properties::buildings::all_buildings(cx)
        .await?
        .into_iter()
        .map(|b| (b.id.clone(), Place::of(&b.address)))
        .collect();
    Ok(leases
        .iter()
        .filter_map(|l| notice_obligation(&rules, places.get(&l.building_id)?, l, today))
        .filter(|o| o.due_on < due_before)
        .collect())
}

/// The last day to give notice of a rise or non-renewal before `l` ends, under the notice rule
/// in effect `today`.
pub fn notice_obligation(rules: &Rules, place: &Place, l: &LeaseRecord, today: NaiveDate) -> Option<Obligation> {
    let end = l.end_date?;
    let rule = rules.for_lease(PolicyArea::Notice, place, today, Some("renew")).winner?;
    let (due, period) = notice_deadline(&rule.rule, l.start_date, end)?;
    Some(Obligation {
        kind: ObligationKind::NoticeDeadline,
        document_id: None,
        name: "Give notice of a rent rise or non-renewal".into(),
        subject: DocumentSubject { type_: SubjectType::Lease, id: l.id.to_string() },
        due_on: due,
        status: ObligationStatus::Open,
        fulfilled_by_version: None,
        detail: Some(format!("{period} before the lease ends on {end} ({})", rule.name)),
        policy_id: Some(rule.id),
    })
}

//! The obligations board: what is stored (document expiries — insurance certificates among
//! them —, deposit-return deadlines opened when a lease ends) and what is computed as it is read
//! (each active lease's end and its notice deadline from its jurisdiction's notice rule, open
//! workflow tasks' due dates); and the daily `obligation.due` announcements.

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
    let wants = |k: ObligationKind| kind.is_none_or(|w| w == k);
    if wants(ObligationKind::NoticeDeadline) || wants(ObligationKind::LeaseEnd) {
        out.extend(lease_dates(cx, due_before).await?);
    }
    if wants(ObligationKind::TaskDue) {
        out.extend(task_dues(cx, due_before).await?);
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

/// Open workflow tasks with a due date.
async fn task_dues(cx: &Ctx<'_>, due_before: NaiveDate) -> Result<Vec<Obligation>> {
    use crate::workflows::model::TaskStatus;
    let tasks = crate::workflows::service::list_tasks(cx, false, Some(TaskStatus::Open)).await?;
    Ok(tasks
        .into_iter()
        .filter_map(|t| {
            let due = t.due_on.filter(|d| *d < due_before)?;
            let who = t.assignee_user_id.clone().or_else(|| t.assignee_role.map(|r| r.as_str().to_owned()));
            Some(Obligation {
                kind: ObligationKind::TaskDue,
                document_id: None,
                name: t.name.clone(),
                subject: DocumentSubject { type_: SubjectType::Workflow, id: t.workflow_id.to_string() },
                due_on: due,
                status: ObligationStatus::Open,
                fulfilled_by_version: None,
                detail: Some(format!("task {} for {}", t.id, who.unwrap_or_default())),
                policy_id: None,
                assignee_role: t.assignee_role,
                assignee_user_id: t.assignee_user_id.clone(),
            })
        })
        .collect())
}

/// Active leases' ends and their notice deadlines.
async fn lease_dates(cx: &Ctx<'_>, due_before: NaiveDate) -> Result<Vec<Obligation>> {
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
    let notices = leases.iter().filter_map(|l| notice_obligation(&rules, places.get(&l.building_id)?, l, today));
    Ok(notices.chain(leases.iter().filter_map(lease_end)).filter(|o| o.due_on < due_before).collect())
}

fn lease_end(l: &LeaseRecord) -> Option<Obligation> {
    Some(Obligation {
        kind: ObligationKind::LeaseEnd,
        document_id: None,
        name: "The lease ends".into(),
        subject: DocumentSubject { type_: SubjectType::Lease, id: l.id.to_string() },
        due_on: l.end_date?,
        status: ObligationStatus::Open,
        fulfilled_by_version: None,
        detail: Some("renew it, or end it with the move-out date".into()),
        policy_id: None,
        assignee_role: None,
        assignee_user_id: None,
    })
}

/// How many days ahead `job-obligations` announces what falls due…
pub const REMINDER_LEAD_DAYS: u64 = 7;
/// …and a lease's end (the lease-renewal workflow starts from it).
pub const LEASE_END_LEAD_DAYS: u64 = 90;

fn lead_days(kind: ObligationKind) -> u64 {
    match kind {
        ObligationKind::LeaseEnd => LEASE_END_LEAD_DAYS,
        _ => REMINDER_LEAD_DAYS,
    }
}

/// The daily announcement: every open obligation due within `REMINDER_LEAD_DAYS` of `today`
/// (a lease's end: `LEASE_END_LEAD_DAYS`), or overdue, gets one `obligation.due`, once per obligation and due date (a marker item
/// written with the event under `attribute_not_exists`).
pub async fn announce_due(cx: &Ctx<'_>, today: NaiveDate) -> Result<serde_json::Value> {
    use crate::platform::db::{keys, DbError, ItemBuilder, Tx};
    let horizon = today + chrono::Days::new(LEASE_END_LEAD_DAYS + 1);
    let (mut announced, mut existing) = (0, 0);
    let due = board(cx, horizon, None).await?.into_iter().filter(|o| o.status == ObligationStatus::Open);
    for o in due.filter(|o| o.due_on <= today + chrono::Days::new(lead_days(o.kind))) {
        let key = format!("{}:{}:{}", o.kind.as_str(), o.subject.id, o.due_on);
        let mut tx = Tx::new();
        let marker = keys::obligation_announced(cx.scope, &key);
        tx.create(ItemBuilder::new("ObligationAnnounced", &marker, &serde_json::json!({"on": today})).build());
        let due = super::events::ObligationDue {
            key,
            kind: o.kind,
            name: o.name.clone(),
            subject_type: o.subject.type_.as_str().to_owned(),
            subject_id: o.subject.id.clone(),
            due_on: o.due_on,
            detail: o.detail.clone(),
            assignee_role: o.assignee_role,
            assignee_user_id: o.assignee_user_id.clone(),
        };
        crate::events::emit(&mut tx, cx.scope, &due);
        match cx.db.transact(tx).await {
            Ok(()) => announced += 1,
            Err(DbError::AlreadyExists) => existing += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(serde_json::json!({"announced": announced, "existing": existing}))
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
        assignee_role: None,
        assignee_user_id: None,
    })
}

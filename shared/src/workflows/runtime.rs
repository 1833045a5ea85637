//! What `consumer-workflow-runtime` does with one event: every enabled definition whose
//! trigger it meets starts one instance (its id derived from the definition and the event, so
//! a second delivery finds it and starts nothing), its first task open; and how an instance
//! moves when a task is completed or rejected.

use super::events::*;
use super::model::*;
use super::service::{matching, open_task, workflow_item};
use crate::events::{self, Event};
use crate::ids::WorkflowId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{DbError, Expr, Tx};
use crate::Result;
use chrono::{DateTime, Utc};

const RUNTIME: &str = "system:workflow-runtime";

/// A new instance of `d` for `event`, its first task open.
pub fn new_workflow(d: &WorkflowDefinition, event: &Event, now: DateTime<Utc>) -> (Workflow, WorkflowTaskAssigned) {
    let id = WorkflowId::of(&d.id, &event.id);
    let tasks = d
        .steps
        .iter()
        .enumerate()
        .map(|(n, s)| Task {
            id: format!("{id}.{}", n + 1),
            workflow_id: id.clone(),
            name: s.name.clone(),
            assignee_role: s.assignee_role,
            assignee_user_id: s.assignee_user_id.clone(),
            status: TaskStatus::Pending,
            due_in_days: s.due_in_days,
            due_on: None,
            done_by: None,
            done_at: None,
            comment: None,
        })
        .collect();
    let mut w = Workflow {
        id,
        definition_id: d.id.clone(),
        name: d.name.clone(),
        status: WorkflowStatus::Open,
        subject: event.subject.clone(),
        event_id: event.id.clone(),
        event_type: event.type_.clone(),
        on_complete: d.on_complete,
        tasks,
        timeline: vec![TimelineEntry {
            at: now,
            what: "started".into(),
            by: RUNTIME.into(),
            detail: Some(format!("{} on {} {}", event.type_, event.subject.type_, event.subject.id)),
        }],
        started_at: now,
        closed_at: None,
        v: 1,
    };
    let assigned = open_task(&mut w, 0, now.date_naive(), now);
    (w, assigned)
}

/// Starts an instance of every definition `event` meets; answers how many started now.
pub async fn on_event(cx: &Ctx<'_>, event: &Event) -> Result<usize> {
    if event.type_.starts_with("workflow.") {
        return Ok(0);
    }
    let mut started = 0;
    for d in matching(cx, &event.type_, &event.data).await? {
        let (w, assigned) = new_workflow(&d, event, cx.now);
        let mut tx = Tx::new();
        tx.put(workflow_item(cx, &w), Some(Expr::not_exists()));
        let s = WorkflowStarted {
            workflow_id: w.id.clone(),
            definition_id: d.id.clone(),
            subject_type: w.subject.type_.clone(),
            subject_id: w.subject.id.clone(),
            event_type: event.type_.clone(),
        };
        events::emit(&mut tx, cx.scope, &s);
        events::emit(&mut tx, cx.scope, &assigned);
        match cx.db.transact(tx).await {
            Ok(()) => started += 1,
            Err(DbError::AlreadyExists) => {}
            Err(e) if e.failed_conditions().is_some() => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(started)
}

/// Task `i` completed (`approve`) or rejected by the caller: the next task opens, or the
/// instance closes (completed after the last task, rejected at once); events into `tx`.
pub fn advance(
    cx: &Ctx<'_>,
    w: &mut Workflow,
    tx: &mut Tx,
    i: usize,
    approve: bool,
    comment: Option<String>,
) -> Result<()> {
    let by = cx.scope.actor_id().to_owned();
    let t = &mut w.tasks[i];
    t.status = if approve { TaskStatus::Completed } else { TaskStatus::Rejected };
    (t.done_by, t.done_at, t.comment) = (Some(by.clone()), Some(cx.now), comment.clone());
    let task_id = t.id.clone();
    let what = if approve { "task.completed" } else { "task.rejected" };
    let detail = Some(match &comment {
        Some(c) => format!("{}: {c}", t.name),
        None => t.name.clone(),
    });
    w.timeline.push(TimelineEntry { at: cx.now, what: what.into(), by: by.clone(), detail });
    let (wid, subject_type, subject_id) = (w.id.clone(), w.subject.type_.clone(), w.subject.id.clone());
    if approve {
        events::emit(tx, cx.scope, &WorkflowTaskCompleted { workflow_id: wid.clone(), task_id, by, comment });
    } else {
        events::emit(tx, cx.scope, &WorkflowTaskRejected { workflow_id: wid.clone(), task_id, by, comment });
    }
    if approve && i + 1 < w.tasks.len() {
        let assigned = open_task(w, i + 1, cx.today_utc(), cx.now);
        events::emit(tx, cx.scope, &assigned);
        return Ok(());
    }
    for t in w.tasks.iter_mut().filter(|t| t.status == TaskStatus::Pending) {
        t.status = TaskStatus::Skipped;
    }
    w.status = if approve { WorkflowStatus::Completed } else { WorkflowStatus::Rejected };
    w.closed_at = Some(cx.now);
    let what = if approve { "completed" } else { "rejected" };
    w.timeline.push(TimelineEntry { at: cx.now, what: what.into(), by: RUNTIME.into(), detail: None });
    if approve {
        events::emit(tx, cx.scope, &WorkflowCompleted { workflow_id: wid, subject_type, subject_id });
    } else {
        events::emit(tx, cx.scope, &WorkflowRejected { workflow_id: wid, subject_type, subject_id });
    }
    Ok(())
}

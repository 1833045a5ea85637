//! Definitions (owner's), instances and their tasks: listing, and completing or rejecting a
//! task as its assignee. The last task completing closes the instance and applies its
//! `onComplete` in the same transaction (an approved expense is booked; a rejected one voided).

use super::events::*;
use super::model::*;
use crate::core::audit::audit;
use crate::events;
use crate::ids::{WorkflowDefinitionId, WorkflowId};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::Role;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

fn def_item(cx: &Ctx<'_>, d: &WorkflowDefinition) -> db::Item {
    ItemBuilder::new(DEFINITION_ENTITY, &keys::workflow_definition(cx.scope, &d.id), d).build()
}

pub fn workflow_item(cx: &Ctx<'_>, w: &Workflow) -> db::Item {
    ItemBuilder::new(WORKFLOW_ENTITY, &keys::workflow(cx.scope, &w.id), w).build()
}

pub async fn definitions(cx: &Ctx<'_>) -> Result<Vec<WorkflowDefinition>> {
    let (pk, prefix) = keys::workflow_definitions(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

/// The enabled definitions `event_type` with `payload` meets.
pub async fn matching(cx: &Ctx<'_>, event_type: &str, payload: &serde_json::Value) -> Result<Vec<WorkflowDefinition>> {
    Ok(definitions(cx)
        .await?
        .into_iter()
        .filter(|d| d.enabled && d.trigger.event_type == event_type)
        .filter(|d| match &d.trigger.condition {
            None => true,
            Some(c) => Condition::parse(c).is_ok_and(|c| c.holds(payload)),
        })
        .collect())
}

/// Whether a new expense with `payload` (as `expense.approval_requested` would carry it) must
/// wait for an approval workflow.
pub async fn holds_expense(cx: &Ctx<'_>, payload: &serde_json::Value) -> Result<bool> {
    Ok(!matching(cx, EXPENSE_APPROVAL_EVENT, payload).await?.is_empty())
}

pub async fn list_definitions(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<WorkflowDefinition>> {
    let (pk, prefix) = keys::workflow_definitions(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

pub async fn get_definition(cx: &Ctx<'_>, id: &str) -> Result<WorkflowDefinition> {
    let id = WorkflowDefinitionId::parse(id).ok_or(Error::NotFound("workflow definition"))?;
    cx.db.get_as(&keys::workflow_definition(cx.scope, &id)).await?.ok_or(Error::NotFound("workflow definition"))
}

fn saved(d: &WorkflowDefinition) -> WorkflowDefinitionSaved {
    WorkflowDefinitionSaved {
        definition_id: d.id.clone(),
        name: d.name.clone(),
        event_type: d.trigger.event_type.clone(),
        enabled: d.enabled,
    }
}

async fn save(cx: &Ctx<'_>, before: Option<&WorkflowDefinition>, d: &WorkflowDefinition) -> Result<()> {
    let mut tx = Tx::new();
    let cond = match before {
        None => Expr::not_exists(),
        Some(b) => {
            let stamp = serde_json::to_value(b.updated_at).expect("timestamps serialize");
            Expr::new("updatedAt = :u").value(":u", db::s(stamp.as_str().unwrap_or_default()))
        }
    };
    tx.put(def_item(cx, d), Some(cond));
    let json = |d: &WorkflowDefinition| serde_json::to_value(d).expect("definitions serialize");
    let action = if before.is_some() { "workflow_definition.updated" } else { "workflow_definition.created" };
    audit(&mut tx, cx, action, ("workflow_definition", d.id.as_str()), before.map(json), Some(json(d)));
    events::emit(&mut tx, cx.scope, &saved(d));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the definition changed meanwhile; read it again".into()),
        false => e.into(),
    })
}

pub async fn create_definition(cx: &Ctx<'_>, input: CreateDefinition) -> Result<WorkflowDefinition> {
    let d = WorkflowDefinition {
        id: WorkflowDefinitionId::new(),
        name: input.name.trim().to_owned(),
        trigger: input.trigger,
        steps: input.steps,
        on_complete: input.on_complete,
        enabled: input.enabled,
        created_at: cx.now,
        updated_at: cx.now,
    };
    save(cx, None, &d).await?;
    Ok(d)
}

pub async fn update_definition(cx: &Ctx<'_>, id: &str, input: UpdateDefinition) -> Result<WorkflowDefinition> {
    let before = get_definition(cx, id).await?;
    let mut d = input.apply(&before).map_err(Error::Invalid)?;
    d.updated_at = cx.now;
    save(cx, Some(&before), &d).await?;
    Ok(d)
}

pub async fn get_workflow(cx: &Ctx<'_>, id: &str) -> Result<Workflow> {
    let id = WorkflowId::parse(id).ok_or(Error::NotFound("workflow"))?;
    cx.db.get_as(&keys::workflow(cx.scope, &id)).await?.ok_or(Error::NotFound("workflow"))
}

pub async fn list_workflows(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Workflow>> {
    let (pk, prefix) = keys::workflows(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix).descending(), page).await?)
}

/// Whether the caller may act on `t`: its member, anyone of its role, or an owner.
fn may_act(cx: &Ctx<'_>, t: &Task) -> bool {
    let role = cx.scope.role();
    role == Role::Owner || t.assignee_role == Some(role) || t.assignee_user_id.as_deref() == Some(cx.scope.actor_id())
}

/// Tasks across the org's workflows; `mine`: those the caller may act on; `status`: only those.
pub async fn list_tasks(cx: &Ctx<'_>, mine: bool, status: Option<TaskStatus>) -> Result<Vec<Task>> {
    let (pk, prefix) = keys::workflows(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    let flows: Vec<Workflow> = items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?;
    let mut tasks: Vec<Task> = flows
        .into_iter()
        .flat_map(|w| w.tasks)
        .filter(|t| status.is_none_or(|s| t.status == s))
        .filter(|t| !mine || (t.status == TaskStatus::Open && may_act(cx, t)))
        .collect();
    tasks.sort_by(|a, b| (a.due_on.is_none(), a.due_on, &a.id).cmp(&(b.due_on.is_none(), b.due_on, &b.id)));
    Ok(tasks)
}

/// Opens task `i` of `w` from `today`, with its timeline line and event.
pub fn open_task(w: &mut Workflow, i: usize, today: NaiveDate, at: DateTime<Utc>) -> WorkflowTaskAssigned {
    let t = &mut w.tasks[i];
    t.status = TaskStatus::Open;
    t.due_on = t.due_in_days.map(|d| today + chrono::Days::new(u64::from(d)));
    let who = t.assignee_user_id.clone().or_else(|| t.assignee_role.map(|r| r.as_str().to_owned())).unwrap_or_default();
    w.timeline.push(TimelineEntry {
        at,
        what: "task.assigned".into(),
        by: "system:workflow-runtime".into(),
        detail: Some(format!("{} → {who}{}", t.name, t.due_on.map(|d| format!(", due {d}")).unwrap_or_default())),
    });
    WorkflowTaskAssigned {
        workflow_id: w.id.clone(),
        task_id: t.id.clone(),
        name: t.name.clone(),
        assignee_role: t.assignee_role,
        assignee_user_id: t.assignee_user_id.clone(),
        due_on: t.due_on,
    }
}

async fn task_of(cx: &Ctx<'_>, task_id: &str) -> Result<(Workflow, usize)> {
    let (wid, _) = task_id.rsplit_once('.').ok_or(Error::NotFound("task"))?;
    let w = get_workflow(cx, wid).await.map_err(|_| Error::NotFound("task"))?;
    let i = w.tasks.iter().position(|t| t.id == task_id).ok_or(Error::NotFound("task"))?;
    Ok((w, i))
}

/// Completes (`approve`) or rejects a task as its assignee.
pub async fn act_on_task(cx: &Ctx<'_>, task_id: &str, approve: bool, input: TaskAction) -> Result<Workflow> {
    let (before, i) = task_of(cx, task_id).await?;
    let t = &before.tasks[i];
    if t.status != TaskStatus::Open {
        return Err(Error::Conflict(
            format!("the task is {:?}; only an open task is acted on", t.status).to_lowercase(),
        ));
    }
    if !may_act(cx, t) {
        return Err(Error::Forbidden("the task is assigned to someone else".into()));
    }
    let comment = input.comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    let expense = match (&before.on_complete, before.subject.type_.as_str()) {
        (Some(OnComplete::ApproveExpense), "expense") => {
            Some(crate::books::expenses::expense_record(cx, &before.subject.id).await?)
        }
        _ => None,
    };
    let mut w = before.clone();
    let mut tx = Tx::new();
    super::runtime::advance(cx, &mut w, &mut tx, i, approve, comment)?;
    if !matches!(w.status, WorkflowStatus::Open) {
        if let Some(e) = &expense {
            let reason = (!approve).then(|| format!("rejected in workflow {}", w.id));
            crate::books::expenses::settle_held(&mut tx, cx, e, approve, reason)?;
        }
    }
    w.v = before.v + 1;
    tx.put(workflow_item(cx, &w), Some(Expr::at_version(before.v)));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the workflow changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(w)
}

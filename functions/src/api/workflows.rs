//! `api-workflows`: workflow definitions (owner's), their instances with tasks and timeline,
//! and tasks completed or rejected by their assignees.
//!
//! `…/tasks/{taskId}:complete|:reject` arrive on one route: `{taskId}` carries `wfl_….n:verb`.

use super::route::Call;
use lambda_http::Request;
use portfolio::platform::http::{
    json, json_body, json_body_or_default, principal, query_param, ApiError, ApiResult, Problem,
};
use portfolio::platform::App;
use portfolio::workflows::model::{
    templates, CreateDefinition, Task, TaskAction, TaskStatus, UpdateDefinition, Workflow, WorkflowDefinition,
    WorkflowTemplate,
};
use portfolio::workflows::service;
use portfolio::FieldError;

crate::routes! {
    caller workflow_templates,
    org(OrgRead) list_definitions,
    org(WorkflowManage) create_definition,
    org(OrgRead) get_definition,
    org(WorkflowManage) update_definition,
    org(OrgRead) list_workflows,
    org(OrgRead) get_workflow,
    org(OrgRead) list_tasks,
    org(WorkflowAct) complete_task,
    org(WorkflowAct) reject_task,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct WorkflowTemplates {
    pub items: Vec<WorkflowTemplate>,
}

/// The built-in workflows to start from (expense approval over a threshold, lease renewal 90
/// days before the end, move-out): each a definition body to adjust and POST.
#[utoipa::path(get, path = "/api/v1/workflow-templates", tag = "workflows", responses((status = 200, body = WorkflowTemplates), (status = 401, body = Problem)))]
pub async fn workflow_templates(_: &App, req: &Request) -> ApiResult {
    principal(req)?;
    json(200, &WorkflowTemplates { items: templates() })
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/workflow-definitions", tag = "workflows",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<WorkflowDefinition>)), (status = 404, body = Problem)))]
pub async fn list_definitions(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_definitions(&c.cx, p).await?)
}

/// A definition (owner only, audited): a trigger (`eventType`, `condition` such as
/// `amount > 500.00`), ordered steps, and `onComplete`. With the trigger
/// `expense.approval_requested` and `onComplete: approve_expense`, a matching new expense is
/// held unbooked until its workflow completes (rejected: void).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/workflow-definitions", tag = "workflows", params(("orgId" = String, Path)),
    request_body = CreateDefinition,
    responses((status = 201, body = WorkflowDefinition), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_definition(c: Call<'_>) -> ApiResult {
    let input: CreateDefinition = json_body(c.req)?;
    json(201, &service::create_definition(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/workflow-definitions/{definitionId}", tag = "workflows",
    params(("orgId" = String, Path), ("definitionId" = String, Path)),
    responses((status = 200, body = WorkflowDefinition), (status = 404, body = Problem)))]
pub async fn get_definition(c: Call<'_>) -> ApiResult {
    json(200, &service::get_definition(&c.cx, &c.param("definitionId")?).await?)
}

/// Changes a definition (`enabled: false` stops it starting instances; running ones go on).
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/workflow-definitions/{definitionId}", tag = "workflows",
    params(("orgId" = String, Path), ("definitionId" = String, Path)), request_body = UpdateDefinition,
    responses((status = 200, body = WorkflowDefinition), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_definition(c: Call<'_>) -> ApiResult {
    let input: UpdateDefinition = json_body(c.req)?;
    json(200, &service::update_definition(&c.cx, &c.param("definitionId")?, input).await?)
}

/// Instances, newest first: status, subject, tasks and timeline.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/workflows", tag = "workflows",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Workflow>)), (status = 404, body = Problem)))]
pub async fn list_workflows(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_workflows(&c.cx, p).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/workflows/{workflowId}", tag = "workflows",
    params(("orgId" = String, Path), ("workflowId" = String, Path)),
    responses((status = 200, body = Workflow), (status = 404, body = Problem)))]
pub async fn get_workflow(c: Call<'_>) -> ApiResult {
    json(200, &service::get_workflow(&c.cx, &c.param("workflowId")?).await?)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Tasks {
    /// By due date (undated last).
    pub items: Vec<Task>,
}

/// Tasks of the org's workflows; `assignee=me`: the open ones the caller may act on.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/tasks", tag = "workflows",
    params(("orgId" = String, Path), ("assignee" = Option<String>, Query, pattern = "^me$", description = "me"), ("status" = Option<TaskStatus>, Query)),
    responses((status = 200, body = Tasks), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_tasks(c: Call<'_>) -> ApiResult {
    let mine = match query_param(c.req, "assignee").as_deref() {
        None => false,
        Some("me") => true,
        Some(_) => return Err(ApiError::validation(vec![FieldError::new("assignee", "must be me")])),
    };
    let status = match query_param(c.req, "status") {
        None => None,
        Some(s) => Some(serde_json::from_value(serde_json::Value::String(s)).map_err(|_| {
            ApiError::validation(vec![FieldError::new(
                "status",
                "must be pending, open, completed, rejected or skipped",
            )])
        })?),
    };
    json(200, &Tasks { items: service::list_tasks(&c.cx, mine, status).await? })
}

/// Completes an open task as its assignee (a member of its role, the member named, or an
/// owner; 403 otherwise); the next task opens, or the workflow completes with its `onComplete`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/tasks/{taskId}:complete", tag = "workflows",
    params(("orgId" = String, Path), ("taskId" = String, Path)), request_body = Option<TaskAction>,
    responses((status = 200, body = Workflow), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn complete_task(c: Call<'_>) -> ApiResult {
    let input: TaskAction = json_body_or_default(c.req)?;
    json(200, &service::act_on_task(&c.cx, &c.param("taskId")?, true, input).await?)
}

/// Rejects an open task: the workflow is rejected (a held expense is voided).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/tasks/{taskId}:reject", tag = "workflows",
    params(("orgId" = String, Path), ("taskId" = String, Path)), request_body = Option<TaskAction>,
    responses((status = 200, body = Workflow), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reject_task(c: Call<'_>) -> ApiResult {
    let input: TaskAction = json_body_or_default(c.req)?;
    json(200, &service::act_on_task(&c.cx, &c.param("taskId")?, false, input).await?)
}

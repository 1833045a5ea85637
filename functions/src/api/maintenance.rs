//! `api-maintenance`: maintenance requests on units and their lifecycle (assign a vendor,
//! start, complete — booking the cost as an expense on the unit — or cancel). Photos are
//! documents with the subject `maintenance`.
//!
//! The actions `…/maintenance-requests/{requestId}:assign|:start|:complete|:cancel` arrive on
//! one route: `{requestId}` carries `mnt_…:verb`.

use super::route::Call;
use portfolio::maintenance::model::{
    AssignMaintenance, CancelMaintenance, CompleteMaintenance, CreateMaintenanceRequest, MaintenanceRequest,
    UpdateMaintenanceRequest,
};
use portfolio::maintenance::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiResult, Problem};

crate::routes! {
    org(LeasingRead) list_requests,
    org(MaintenanceWrite) create,
    org(LeasingRead) get,
    org(MaintenanceWrite) update,
    org(MaintenanceWrite) assign,
    org(MaintenanceWrite) start,
    org(MaintenanceWrite) complete,
    org(MaintenanceWrite) cancel,
}

/// Requests, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/maintenance-requests", tag = "maintenance",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<MaintenanceRequest>)), (status = 404, body = Problem)))]
pub async fn list_requests(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_requests(&c.cx, p).await?)
}

/// A request on a unit (`open`); an `emergency` one texts the org's alert phone at once.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/maintenance-requests", tag = "maintenance", params(("orgId" = String, Path)),
    request_body = CreateMaintenanceRequest,
    responses((status = 201, body = MaintenanceRequest), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateMaintenanceRequest = json_body(c.req)?;
    json(201, &service::create_request(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/maintenance-requests/{requestId}", tag = "maintenance",
    params(("orgId" = String, Path), ("requestId" = String, Path)),
    responses((status = 200, body = MaintenanceRequest), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_request(&c.cx, &c.param("requestId")?).await?)
}

/// Changes a request not yet completed or cancelled (409 otherwise).
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/maintenance-requests/{requestId}", tag = "maintenance",
    params(("orgId" = String, Path), ("requestId" = String, Path)), request_body = UpdateMaintenanceRequest,
    responses((status = 200, body = MaintenanceRequest), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateMaintenanceRequest = json_body(c.req)?;
    json(200, &service::update_request(&c.cx, &c.param("requestId")?, input).await?)
}

/// open or assigned → assigned to `vendorId` (on `scheduledFor`).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:assign", tag = "maintenance",
    params(("orgId" = String, Path), ("requestId" = String, Path)), request_body = AssignMaintenance,
    responses((status = 200, body = MaintenanceRequest), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn assign(c: Call<'_>) -> ApiResult {
    let input: AssignMaintenance = json_body(c.req)?;
    json(200, &service::assign(&c.cx, &c.param("requestId")?, input).await?)
}

/// assigned → in progress.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:start", tag = "maintenance",
    params(("orgId" = String, Path), ("requestId" = String, Path)),
    responses((status = 200, body = MaintenanceRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn start(c: Call<'_>) -> ApiResult {
    json(200, &service::start(&c.cx, &c.param("requestId")?).await?)
}

/// assigned or in progress → completed; a `cost` is booked in the same transaction as an
/// expense on the unit (Repairs, or Cleaning and maintenance), paid from `paidFrom` or as the
/// vendor's bill due in 30 days, and named by `expenseId`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:complete", tag = "maintenance",
    params(("orgId" = String, Path), ("requestId" = String, Path)), request_body = Option<CompleteMaintenance>,
    responses((status = 200, body = MaintenanceRequest), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn complete(c: Call<'_>) -> ApiResult {
    let input: CompleteMaintenance = json_body_or_default(c.req)?;
    json(200, &service::complete(&c.cx, &c.param("requestId")?, input).await?)
}

/// open, assigned or in progress → cancelled.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:cancel", tag = "maintenance",
    params(("orgId" = String, Path), ("requestId" = String, Path)), request_body = Option<CancelMaintenance>,
    responses((status = 200, body = MaintenanceRequest), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(c: Call<'_>) -> ApiResult {
    let input: CancelMaintenance = json_body_or_default(c.req)?;
    json(200, &service::cancel(&c.cx, &c.param("requestId")?, input).await?)
}

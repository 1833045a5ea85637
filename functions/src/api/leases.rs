//! `api-leases`: leases (draft → active → ended, renewals) and a unit's lease history.
//!
//! The actions `…/leases/{leaseId}:activate|:end|:renew` arrive on one route: API Gateway path
//! parameters span whole segments, so `{leaseId}` carries `lse_…:verb` and is split here.

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::leasing::model::{CreateLease, EndLease, Lease, RenewLease, UpdateLease};
use portfolio::leasing::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, path_param, ApiError, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/leases";
pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/leases";
pub const GET: &str = "GET /api/v1/orgs/{orgId}/leases/{leaseId}";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}/leases/{leaseId}";
pub const ACTION: &str = "POST /api/v1/orgs/{orgId}/leases/{leaseId}";
pub const UNIT_HISTORY: &str = "GET /api/v1/orgs/{orgId}/units/{unitId}/leases";
pub const ROUTES: &[&str] = &[LIST, CREATE, GET, UPDATE, ACTION, UNIT_HISTORY];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_leases(app, &req).await,
            CREATE => create(app, &req).await,
            GET => get(app, &req).await,
            UPDATE => update(app, &req).await,
            ACTION => action(app, &req).await,
            UNIT_HISTORY => unit_history(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases", tag = "leasing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Lease>)), (status = 404, body = Problem)))]
pub async fn list_leases(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_leases(&app.db, &s, p).await?)
}

/// Creates a draft lease on a unit for 1–10 tenants (the first is primary).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases", tag = "leasing", params(("orgId" = String, Path)), request_body = CreateLease,
    responses((status = 201, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingWrite).await?;
    let input: CreateLease = json_body(req)?;
    json(201, &service::create_lease(&app.db, &s, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)),
    responses((status = 200, body = Lease), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingRead).await?;
    json(200, &service::get_lease(&app.db, &s, &path_param(req, "leaseId")?).await?)
}

/// Edits a draft's terms, or any lease's late-fee policy.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/leases/{leaseId}", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = UpdateLease,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingWrite).await?;
    let input: UpdateLease = json_body(req)?;
    json(200, &service::update_lease(&app.db, &s, &path_param(req, "leaseId")?, input).await?)
}

async fn action(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingWrite).await?;
    let raw = path_param(req, "leaseId")?;
    let Some((id, verb)) = raw.split_once(':') else {
        return Err(ApiError::not_found("route"));
    };
    match verb {
        "activate" => activate(app, &s, id).await,
        "end" => end(app, req, &s, id).await,
        "renew" => renew(app, req, &s, id).await,
        _ => Err(ApiError::not_found("route")),
    }
}

/// draft → active; 409 if another activated lease of the unit overlaps this one's term.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}:activate", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)),
    responses((status = 200, body = Lease), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn activate(app: &App, s: &portfolio::platform::scope::OrgScope, id: &str) -> ApiResult {
    json(200, &service::activate_lease(&app.db, s, id).await?)
}

/// active → ended; the unit is vacant from the day after `moveOutDate`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}:end", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = EndLease,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn end(app: &App, req: &Request, s: &portfolio::platform::scope::OrgScope, id: &str) -> ApiResult {
    let input: EndLease = json_body(req)?;
    json(200, &service::end_lease(&app.db, s, id, input).await?)
}

/// A new draft continuing this lease (same unit and tenants unless changed); answers the new draft.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}:renew", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = Option<RenewLease>,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn renew(app: &App, req: &Request, s: &portfolio::platform::scope::OrgScope, id: &str) -> ApiResult {
    let input: RenewLease = json_body_or_default(req)?;
    json(200, &service::renew_lease(&app.db, s, id, input).await?)
}

/// The unit's leases, oldest start first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/units/{unitId}/leases", tag = "leasing",
    params(("orgId" = String, Path), ("unitId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Lease>)), (status = 404, body = Problem)))]
pub async fn unit_history(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::unit_lease_history(&app.db, &s, &path_param(req, "unitId")?, p).await?)
}

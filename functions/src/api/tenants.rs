//! `api-tenants`: the people who rent (email unique per org).

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::leasing::model::{CreateTenant, Tenant, UpdateTenant};
use portfolio::leasing::service;
use portfolio::platform::http::{json, json_body, path_param, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/tenants";
pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/tenants";
pub const GET: &str = "GET /api/v1/orgs/{orgId}/tenants/{tenantId}";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}/tenants/{tenantId}";
pub const ROUTES: &[&str] = &[LIST, CREATE, GET, UPDATE];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_tenants(app, &req).await,
            CREATE => create(app, &req).await,
            GET => get(app, &req).await,
            UPDATE => update(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/tenants", tag = "leasing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Tenant>)), (status = 404, body = Problem)))]
pub async fn list_tenants(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_tenants(&app.db, &s, p).await?)
}

/// Creates a tenant; an email already used in the org answers 409.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/tenants", tag = "leasing", params(("orgId" = String, Path)), request_body = CreateTenant,
    responses((status = 201, body = Tenant), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingWrite).await?;
    let input: CreateTenant = json_body(req)?;
    json(201, &service::create_tenant(&app.db, &s, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/tenants/{tenantId}", tag = "leasing",
    params(("orgId" = String, Path), ("tenantId" = String, Path)),
    responses((status = 200, body = Tenant), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingRead).await?;
    json(200, &service::get_tenant(&app.db, &s, &path_param(req, "tenantId")?).await?)
}

#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/tenants/{tenantId}", tag = "leasing",
    params(("orgId" = String, Path), ("tenantId" = String, Path)), request_body = UpdateTenant,
    responses((status = 200, body = Tenant), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LeasingWrite).await?;
    let input: UpdateTenant = json_body(req)?;
    json(200, &service::update_tenant(&app.db, &s, &path_param(req, "tenantId")?, input).await?)
}

//! `api-orgs`: the caller (`/me`), creating an organization, reading and updating it.

use super::{route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::core::model::{CreateOrg, Me, Org, UpdateOrg};
use portfolio::core::service;
use portfolio::platform::http::{json, json_body, principal, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const ME: &str = "GET /api/v1/me";
pub const CREATE: &str = "POST /api/v1/orgs";
pub const GET: &str = "GET /api/v1/orgs/{orgId}";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}";
pub const ROUTES: &[&str] = &[ME, CREATE, GET, UPDATE];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            ME => me(app, &req).await,
            CREATE => create(app, &req).await,
            GET => get(app, &req).await,
            UPDATE => update(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// The caller and their memberships.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity", responses((status = 200, body = Me)))]
pub async fn me(app: &App, req: &Request) -> ApiResult {
    let p = principal(req)?;
    json(200, &service::me(&app.db, &p).await?)
}

/// Creates an organization; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "identity", request_body = CreateOrg,
    responses((status = 201, body = Org), (status = 400, body = Problem), (status = 413, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let p = principal(req)?;
    let input: CreateOrg = json_body(req)?;
    json(201, &service::create_org(&app.db, &p, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}", tag = "identity", params(("orgId" = String, Path)),
    responses((status = 200, body = Org), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::OrgRead).await?;
    json(200, &service::get_org(&app.db, &s).await?)
}

/// Updates name, base currency, country or time zone (owner only).
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}", tag = "identity", params(("orgId" = String, Path)), request_body = UpdateOrg,
    responses((status = 200, body = Org), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::OrgUpdate).await?;
    let input: UpdateOrg = json_body(req)?;
    json(200, &service::update_org(&app.db, &s, input).await?)
}

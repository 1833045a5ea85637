//! `api-orgs`: the caller (`/me`), creating an organization, reading and updating it.

use super::route::Call;
use lambda_http::Request;
use portfolio::core::model::{CreateOrg, Me, Org, UpdateOrg};
use portfolio::core::service;
use portfolio::platform::http::{json, json_body, principal, ApiResult, Problem};
use portfolio::platform::App;

crate::routes! {
    caller me,
    caller create,
    org(OrgRead) get,
    org(OrgUpdate) update,
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
    json(
        201,
        &service::create_org(
            &app.db,
            &p,
            input,
            portfolio::platform::clock::now(),
            portfolio::books::accounts::chart_items,
        )
        .await?,
    )
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}", tag = "identity", params(("orgId" = String, Path)),
    responses((status = 200, body = Org), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_org(&c.cx).await?)
}

/// Updates name, base currency, country or time zone (owner only).
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}", tag = "identity", params(("orgId" = String, Path)), request_body = UpdateOrg,
    responses((status = 200, body = Org), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateOrg = json_body(c.req)?;
    json(200, &service::update_org(&c.cx, input).await?)
}

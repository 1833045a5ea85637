//! `api-units`: one unit by id (read, update, delete when it has no lease history).

use super::{route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::platform::http::{json, json_body, no_content, path_param, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;
use portfolio::properties::model::{Unit, UpdateUnit};
use portfolio::properties::service;

pub const GET: &str = "GET /api/v1/orgs/{orgId}/units/{unitId}";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}/units/{unitId}";
pub const DELETE: &str = "DELETE /api/v1/orgs/{orgId}/units/{unitId}";
pub const ROUTES: &[&str] = &[GET, UPDATE, DELETE];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            GET => get(app, &req).await,
            UPDATE => update(app, &req).await,
            DELETE => delete(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/units/{unitId}", tag = "properties",
    params(("orgId" = String, Path), ("unitId" = String, Path)),
    responses((status = 200, body = Unit), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyRead).await?;
    json(200, &service::get_unit(&app.db, &s, &path_param(req, "unitId")?).await?)
}

#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/units/{unitId}", tag = "properties",
    params(("orgId" = String, Path), ("unitId" = String, Path)), request_body = UpdateUnit,
    responses((status = 200, body = Unit), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    let input: UpdateUnit = json_body(req)?;
    json(200, &service::update_unit(&app.db, &s, &path_param(req, "unitId")?, input).await?)
}

/// Deletes a unit that never had a lease (409 otherwise).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/units/{unitId}", tag = "properties",
    params(("orgId" = String, Path), ("unitId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    service::delete_unit(&app.db, &s, &path_param(req, "unitId")?).await?;
    no_content()
}

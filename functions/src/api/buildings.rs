//! `api-buildings`: buildings, and the units of a building (list, create, bulk create).

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::platform::http::{json, json_body, no_content, path_param, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;
use portfolio::properties::model::{
    Building, BulkCreated, BulkUnits, CreateBuilding, CreateUnit, Unit, UpdateBuilding,
};
use portfolio::properties::service;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/buildings";
pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/buildings";
pub const GET: &str = "GET /api/v1/orgs/{orgId}/buildings/{buildingId}";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}/buildings/{buildingId}";
pub const DELETE: &str = "DELETE /api/v1/orgs/{orgId}/buildings/{buildingId}";
pub const LIST_UNITS: &str = "GET /api/v1/orgs/{orgId}/buildings/{buildingId}/units";
pub const CREATE_UNIT: &str = "POST /api/v1/orgs/{orgId}/buildings/{buildingId}/units";
pub const BULK_UNITS: &str = "POST /api/v1/orgs/{orgId}/buildings/{buildingId}/units:bulk";
pub const ROUTES: &[&str] = &[LIST, CREATE, GET, UPDATE, DELETE, LIST_UNITS, CREATE_UNIT, BULK_UNITS];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_buildings(app, &req).await,
            CREATE => create(app, &req).await,
            GET => get(app, &req).await,
            UPDATE => update(app, &req).await,
            DELETE => delete(app, &req).await,
            LIST_UNITS => list_units(app, &req).await,
            CREATE_UNIT => create_unit(app, &req).await,
            BULK_UNITS => bulk_units(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/buildings", tag = "properties",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Building>)), (status = 404, body = Problem)))]
pub async fn list_buildings(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_buildings(&app.db, &s, p).await?)
}

#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/buildings", tag = "properties", params(("orgId" = String, Path)), request_body = CreateBuilding,
    responses((status = 201, body = Building), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    let input: CreateBuilding = json_body(req)?;
    json(201, &service::create_building(&app.db, &s, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)),
    responses((status = 200, body = Building), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyRead).await?;
    json(200, &service::get_building(&app.db, &s, &path_param(req, "buildingId")?).await?)
}

/// Renames, re-addresses, archives (`{"archived": true}`) or unarchives a building.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)), request_body = UpdateBuilding,
    responses((status = 200, body = Building), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    let input: UpdateBuilding = json_body(req)?;
    json(200, &service::update_building(&app.db, &s, &path_param(req, "buildingId")?, input).await?)
}

/// Deletes a building and its units, unless a unit has lease history (409: archive instead).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    service::delete_building(&app.db, &s, &path_param(req, "buildingId")?).await?;
    no_content()
}

/// The building's units, ordered by label.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}/units", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Unit>)), (status = 404, body = Problem)))]
pub async fn list_units(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_units(&app.db, &s, &path_param(req, "buildingId")?, p).await?)
}

#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}/units", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)), request_body = CreateUnit,
    responses((status = 201, body = Unit), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create_unit(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    let input: CreateUnit = json_body(req)?;
    json(201, &service::create_unit(&app.db, &s, &path_param(req, "buildingId")?, input).await?)
}

/// Creates up to 500 units at once, all or nothing; duplicate labels → 409 naming them.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}/units:bulk", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)), request_body = BulkUnits,
    responses((status = 201, body = BulkCreated), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn bulk_units(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyWrite).await?;
    let input: BulkUnits = json_body(req)?;
    let items = service::bulk_create_units(&app.db, &s, &path_param(req, "buildingId")?, input).await?;
    json(201, &BulkCreated { items })
}

//! `api-buildings`: buildings, and the units of a building (list, create, bulk create).

use super::route::Call;
use portfolio::platform::http::{json, json_body, no_content, ApiResult, Problem};
use portfolio::properties::model::{
    Building, BulkCreated, BulkUnits, CreateBuilding, CreateUnit, Unit, UpdateBuilding,
};
use portfolio::properties::service;

crate::routes! {
    org(PropertyRead) list_buildings,
    org(PropertyWrite) create,
    org(PropertyRead) get,
    org(PropertyWrite) update,
    org(PropertyWrite) delete,
    org(PropertyRead) list_units,
    org(PropertyWrite) create_unit,
    org(PropertyWrite) bulk_units,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/buildings", tag = "properties",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Building>)), (status = 404, body = Problem)))]
pub async fn list_buildings(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_buildings(&c.cx, p).await?)
}

#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/buildings", tag = "properties", params(("orgId" = String, Path)), request_body = CreateBuilding,
    responses((status = 201, body = Building), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateBuilding = json_body(c.req)?;
    json(201, &service::create_building(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)),
    responses((status = 200, body = Building), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_building(&c.cx, &c.param("buildingId")?).await?)
}

/// Renames, re-addresses, archives (`{"archived": true}`) or unarchives a building.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)), request_body = UpdateBuilding,
    responses((status = 200, body = Building), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateBuilding = json_body(c.req)?;
    json(200, &service::update_building(&c.cx, &c.param("buildingId")?, input).await?)
}

/// Deletes a building and its units, unless a unit has lease history (409: archive instead).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(c: Call<'_>) -> ApiResult {
    service::delete_building(&c.cx, &c.param("buildingId")?).await?;
    no_content()
}

/// The building's units, ordered by label.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}/units", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Unit>)), (status = 404, body = Problem)))]
pub async fn list_units(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_units(&c.cx, &c.param("buildingId")?, p).await?)
}

#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}/units", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)), request_body = CreateUnit,
    responses((status = 201, body = Unit), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create_unit(c: Call<'_>) -> ApiResult {
    let input: CreateUnit = json_body(c.req)?;
    json(201, &service::create_unit(&c.cx, &c.param("buildingId")?, input).await?)
}

/// Creates up to 500 units at once, all or nothing; duplicate labels → 409 naming them.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/buildings/{buildingId}/units:bulk", tag = "properties",
    params(("orgId" = String, Path), ("buildingId" = String, Path)), request_body = BulkUnits,
    responses((status = 201, body = BulkCreated), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn bulk_units(c: Call<'_>) -> ApiResult {
    let input: BulkUnits = json_body(c.req)?;
    let items = service::bulk_create_units(&c.cx, &c.param("buildingId")?, input).await?;
    json(201, &BulkCreated { items })
}

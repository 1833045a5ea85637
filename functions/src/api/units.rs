//! `api-units`: one unit by id (read, update, delete when it has no lease history).

use super::route::Call;
use portfolio::platform::http::{json, json_body, no_content, ApiResult, Problem};
use portfolio::properties::model::{Unit, UpdateUnit};
use portfolio::properties::service;

crate::routes! {
    org(PropertyRead) get,
    org(PropertyWrite) update,
    org(PropertyWrite) delete,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/units/{unitId}", tag = "properties",
    params(("orgId" = String, Path), ("unitId" = String, Path)),
    responses((status = 200, body = Unit), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_unit(&c.cx, &c.param("unitId")?).await?)
}

#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/units/{unitId}", tag = "properties",
    params(("orgId" = String, Path), ("unitId" = String, Path)), request_body = UpdateUnit,
    responses((status = 200, body = Unit), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateUnit = json_body(c.req)?;
    json(200, &service::update_unit(&c.cx, &c.param("unitId")?, input).await?)
}

/// Deletes a unit that never had a lease (409 otherwise).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/units/{unitId}", tag = "properties",
    params(("orgId" = String, Path), ("unitId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(c: Call<'_>) -> ApiResult {
    service::delete_unit(&c.cx, &c.param("unitId")?).await?;
    no_content()
}

//! `api-tenants`: the people who rent (email unique per org).

use super::route::Call;
use portfolio::leasing::model::{CreateTenant, Tenant, UpdateTenant};
use portfolio::leasing::service;
use portfolio::platform::http::{json, json_body, ApiResult, Problem};

crate::routes! {
    org(LeasingRead) list_tenants,
    org(LeasingWrite) create,
    org(LeasingRead) get,
    org(LeasingWrite) update,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/tenants", tag = "leasing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Tenant>)), (status = 404, body = Problem)))]
pub async fn list_tenants(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_tenants(&c.cx, p).await?)
}

/// Creates a tenant; an email already used in the org answers 409.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/tenants", tag = "leasing", params(("orgId" = String, Path)), request_body = CreateTenant,
    responses((status = 201, body = Tenant), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateTenant = json_body(c.req)?;
    json(201, &service::create_tenant(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/tenants/{tenantId}", tag = "leasing",
    params(("orgId" = String, Path), ("tenantId" = String, Path)),
    responses((status = 200, body = Tenant), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_tenant(&c.cx, &c.param("tenantId")?).await?)
}

#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/tenants/{tenantId}", tag = "leasing",
    params(("orgId" = String, Path), ("tenantId" = String, Path)), request_body = UpdateTenant,
    responses((status = 200, body = Tenant), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateTenant = json_body(c.req)?;
    json(200, &service::update_tenant(&c.cx, &c.param("tenantId")?, input).await?)
}

//! `api-leases`: leases (draft → active → ended, renewals) and a unit's lease history.
//!
//! The actions `…/leases/{leaseId}:activate|:end|:renew` arrive on one route: API Gateway path
//! parameters span whole segments, so `{leaseId}` carries `lse_…:verb` and is split here.

use super::route::Call;
use portfolio::leasing::compliance::ActivateLease;
use portfolio::leasing::model::{CreateLease, EndLease, Lease, RenewLease, UpdateLease};
use portfolio::leasing::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiError, ApiResult, Problem};

crate::routes! {
    org(LeasingRead) list_leases,
    org(LeasingWrite) create,
    org(LeasingRead) get,
    org(LeasingWrite) update,
    org(LeasingWrite) activate,
    org(LeasingWrite) end,
    org(LeasingWrite) renew,
    org(LeasingRead) unit_history,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases", tag = "leasing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Lease>)), (status = 404, body = Problem)))]
pub async fn list_leases(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_leases(&c.cx, p).await?)
}

/// Creates a draft lease on a unit for 1–10 tenants (the first is primary).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases", tag = "leasing", params(("orgId" = String, Path)), request_body = CreateLease,
    responses((status = 201, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateLease = json_body(c.req)?;
    json(201, &service::create_lease(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)),
    responses((status = 200, body = Lease), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_lease(&c.cx, &c.param("leaseId")?).await?)
}

/// Edits a draft's terms, or any lease's late-fee policy.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/leases/{leaseId}", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = UpdateLease,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateLease = json_body(c.req)?;
    json(200, &service::update_lease(&c.cx, &c.param("leaseId")?, input).await?)
}

/// draft → active; 409 if another activated lease of the unit overlaps this one's term, or if
/// the deposit is more than the jurisdiction's cap on the start date (the rule is named). An
/// owner may activate past the cap with `{"override": {"reason": "…"}}` (audited, and
/// `policy.overridden` is emitted); anyone else sending an override gets 403.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}:activate", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = Option<ActivateLease>,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn activate(c: Call<'_>) -> ApiResult {
    let input: ActivateLease = json_body_or_default(c.req)?;
    if input.override_.is_some() && c.cx.scope.role() != portfolio::platform::scope::Role::Owner {
        return Err(ApiError::forbidden("only an owner may override a jurisdiction rule"));
    }
    json(200, &service::activate_lease_with(&c.cx, &c.param("leaseId")?, input).await?)
}

/// active → ended; the unit is vacant from the day after `moveOutDate`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}:end", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = EndLease,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn end(c: Call<'_>) -> ApiResult {
    let input: EndLease = json_body(c.req)?;
    json(200, &service::end_lease(&c.cx, &c.param("leaseId")?, input).await?)
}

/// A new draft continuing this lease (same unit and tenants unless changed); answers the new draft.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}:renew", tag = "leasing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = Option<RenewLease>,
    responses((status = 200, body = Lease), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn renew(c: Call<'_>) -> ApiResult {
    let input: RenewLease = json_body_or_default(c.req)?;
    json(200, &service::renew_lease(&c.cx, &c.param("leaseId")?, input).await?)
}

/// The unit's leases, oldest start first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/units/{unitId}/leases", tag = "leasing",
    params(("orgId" = String, Path), ("unitId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Lease>)), (status = 404, body = Problem)))]
pub async fn unit_history(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::unit_lease_history(&c.cx, &c.param("unitId")?, p).await?)
}

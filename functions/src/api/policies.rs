//! `api-policies`: the built-in jurisdiction pack, the org's own rules that outrank it, and
//! `policies:resolve`, the rule in effect for a place, an area and a day with the candidates it
//! beat.

use super::route::Call;
use lambda_http::Request;
use portfolio::platform::http::{
    json, json_body, opt_date_param, principal, query_param, ApiError, ApiResult, Problem,
};
use portfolio::platform::App;
use portfolio::policies::model::{CreatePolicy, Policy, Resolution, ResolveQuery, UpdatePolicy};
use portfolio::policies::{pack, service};
use portfolio::FieldError;

crate::routes! {
    caller policy_packs,
    org(OrgRead) list_policies,
    org(PolicyManage) create,
    org(OrgRead) resolve,
    org(OrgRead) get,
    org(PolicyManage) update,
    org(PolicyManage) delete,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PolicyPack {
    pub items: Vec<Policy>,
}

/// Every built-in rule, each with its sources and effective dates.
#[utoipa::path(get, path = "/api/v1/policy-packs", tag = "policies", responses((status = 200, body = PolicyPack), (status = 401, body = Problem)))]
pub async fn policy_packs(_: &App, req: &Request) -> ApiResult {
    principal(req)?;
    json(200, &PolicyPack { items: pack::pack().to_vec() })
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/policies", tag = "policies",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Policy>)), (status = 404, body = Problem)))]
pub async fn list_policies(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_policies(&c.cx, p).await?)
}

/// A rule of the org's own (owner only, audited); it outranks the pack wherever it applies.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/policies", tag = "policies", params(("orgId" = String, Path)), request_body = CreatePolicy,
    responses((status = 201, body = Policy), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreatePolicy = json_body(c.req)?;
    json(201, &service::create_policy(&c.cx, input).await?)
}

/// The rule in effect for `area` at `country`/`region` on `date` (default today), and every
/// other candidate in rank order with why it lost: outranked, not in effect, or its condition
/// (`smallLandlord`, `serviceMember`) not met.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/policies:resolve", tag = "policies",
    params(("orgId" = String, Path), ResolveQuery),
    responses((status = 200, body = Resolution), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn resolve(c: Call<'_>) -> ApiResult {
    let required = |name: &str| {
        query_param(c.req, name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ApiError::validation(vec![FieldError::new(name, "required")]))
    };
    let q = ResolveQuery {
        area: required("area")?,
        country: required("country")?,
        region: query_param(c.req, "region"),
        date: opt_date_param(c.req, "date")?,
        entity_type: query_param(c.req, "entityType"),
        action: query_param(c.req, "action"),
        small_landlord: bool_param(c.req, "smallLandlord")?,
        service_member: bool_param(c.req, "serviceMember")?,
    };
    json(200, &service::resolve_query(&c.cx, q).await?)
}

fn bool_param(req: &Request, name: &str) -> Result<Option<bool>, ApiError> {
    match query_param(req, name).as_deref() {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::validation(vec![FieldError::new(name, "must be true or false")])),
    }
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/policies/{policyId}", tag = "policies",
    params(("orgId" = String, Path), ("policyId" = String, Path)),
    responses((status = 200, body = Policy), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_policy(&c.cx, &c.param("policyId")?).await?)
}

#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/policies/{policyId}", tag = "policies",
    params(("orgId" = String, Path), ("policyId" = String, Path)), request_body = UpdatePolicy,
    responses((status = 200, body = Policy), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdatePolicy = json_body(c.req)?;
    json(200, &service::update_policy(&c.cx, &c.param("policyId")?, input).await?)
}

#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/policies/{policyId}", tag = "policies",
    params(("orgId" = String, Path), ("policyId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(c: Call<'_>) -> ApiResult {
    service::delete_policy(&c.cx, &c.param("policyId")?).await?;
    portfolio::platform::http::no_content()
}

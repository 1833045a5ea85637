//! `api-members`: list, add, change role, remove. The last owner stays (409).

use super::route::Call;
use portfolio::core::model::{AddMember, Member, UpdateMember};
use portfolio::core::service;
use portfolio::platform::http::{json, json_body, no_content, ApiResult, Problem};

crate::routes! {
    org(MemberRead) list_members,
    org(MemberManage) add,
    org(MemberManage) update,
    org(MemberManage) remove,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/members", tag = "identity",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Member>)), (status = 404, body = Problem)))]
pub async fn list_members(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_members(&c.cx, p).await?)
}

/// Adds a member (owner only); an audit entry records it.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/members", tag = "identity", params(("orgId" = String, Path)), request_body = AddMember,
    responses((status = 201, body = Member), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn add(c: Call<'_>) -> ApiResult {
    let input: AddMember = json_body(c.req)?;
    let m = service::add_member(&c.cx, input).await?;
    c.app.auth.invalidate(c.cx.scope.org_id(), &m.user_id);
    json(201, &m)
}

/// Changes a member's role; demoting the last owner is refused (409).
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/members/{userId}", tag = "identity",
    params(("orgId" = String, Path), ("userId" = String, Path)), request_body = UpdateMember,
    responses((status = 200, body = Member), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateMember = json_body(c.req)?;
    let m = service::update_member(&c.cx, &c.param("userId")?, input).await?;
    c.app.auth.invalidate(c.cx.scope.org_id(), &m.user_id);
    json(200, &m)
}

/// Removes a member; removing the last owner is refused (409).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/members/{userId}", tag = "identity",
    params(("orgId" = String, Path), ("userId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(c: Call<'_>) -> ApiResult {
    let removed = service::remove_member(&c.cx, &c.param("userId")?).await?;
    c.app.auth.invalidate(c.cx.scope.org_id(), &removed);
    no_content()
}

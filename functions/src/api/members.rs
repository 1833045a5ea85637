//! `api-members`: list, add, change role, remove. The last owner stays (409).

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::core::model::{AddMember, Member, UpdateMember};
use portfolio::core::service;
use portfolio::platform::http::{json, json_body, no_content, path_param, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/members";
pub const ADD: &str = "POST /api/v1/orgs/{orgId}/members";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}/members/{userId}";
pub const REMOVE: &str = "DELETE /api/v1/orgs/{orgId}/members/{userId}";
pub const ROUTES: &[&str] = &[LIST, ADD, UPDATE, REMOVE];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_members(app, &req).await,
            ADD => add(app, &req).await,
            UPDATE => update(app, &req).await,
            REMOVE => remove(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/members", tag = "identity",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Member>)), (status = 404, body = Problem)))]
pub async fn list_members(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::MemberRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_members(&app.db, &s, p).await?)
}

/// Adds a member (owner only); an audit entry records it.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/members", tag = "identity", params(("orgId" = String, Path)), request_body = AddMember,
    responses((status = 201, body = Member), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn add(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::MemberManage).await?;
    let input: AddMember = json_body(req)?;
    let m = service::add_member(&app.db, &s, input).await?;
    app.auth.invalidate(s.org_id(), &m.user_id);
    json(201, &m)
}

/// Changes a member's role; demoting the last owner is refused (409).
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/members/{userId}", tag = "identity",
    params(("orgId" = String, Path), ("userId" = String, Path)), request_body = UpdateMember,
    responses((status = 200, body = Member), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::MemberManage).await?;
    let input: UpdateMember = json_body(req)?;
    let m = service::update_member(&app.db, &s, &path_param(req, "userId")?, input).await?;
    app.auth.invalidate(s.org_id(), &m.user_id);
    json(200, &m)
}

/// Removes a member; removing the last owner is refused (409).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/members/{userId}", tag = "identity",
    params(("orgId" = String, Path), ("userId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::MemberManage).await?;
    let removed = service::remove_member(&app.db, &s, &path_param(req, "userId")?).await?;
    app.auth.invalidate(s.org_id(), &removed);
    no_content()
}

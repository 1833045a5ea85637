//! `api-audit`: the audit log, newest first (owner and accountant).

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::core::model::AuditEntry;
use portfolio::core::service;
use portfolio::platform::http::{ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/audit";
pub const ROUTES: &[&str] = &[LIST];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_audit(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/audit", tag = "identity",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<AuditEntry>)), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_audit(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::AuditRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_audit(&app.db, &s, p).await?)
}

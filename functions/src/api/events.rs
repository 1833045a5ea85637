//! `api-events`: the org's domain events, oldest first, so a client can catch up after downtime
//! (`?after=<last event id seen>`, then follow `nextCursor`).

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::events::Event;
use portfolio::platform::http::{query_param, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/events";
pub const ROUTES: &[&str] = &[LIST];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_events(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// The org's events after `after` (an event id; omit for the oldest kept, 30 days), oldest first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/events", tag = "events",
    params(("orgId" = String, Path), ("after" = Option<String>, Query, description = "an event id", pattern = "^evt_[0-7][0-9A-HJKMNP-TV-Z]{25}$"),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Event>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_events(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::EventRead).await?;
    let p = page(app, req, &s)?;
    let after = query_param(req, "after");
    list(app, req, &s, portfolio::core::service::list_events_after(&app.db, &s, after.as_deref(), p).await?)
}

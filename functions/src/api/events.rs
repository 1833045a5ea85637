//! `api-events`: the org's domain events, oldest first, so a client can catch up after downtime
//! (`?after=<last event id seen>`, then follow `nextCursor`).

use super::route::Call;
use portfolio::events::Event;
use portfolio::platform::http::{query_param, ApiResult, Problem};

crate::routes! {
    org(EventRead) list_events,
}

/// The org's events after `after` (an event id; omit for the oldest kept, 30 days), oldest first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/events", tag = "events",
    params(("orgId" = String, Path), ("after" = Option<String>, Query, description = "an event id", pattern = "^evt_[0-7][0-9A-HJKMNP-TV-Z]{25}$"),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Event>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_events(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    let after = query_param(c.req, "after");
    c.list(portfolio::core::service::list_events_after(&c.cx, after.as_deref(), p).await?)
}

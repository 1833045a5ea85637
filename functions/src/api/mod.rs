//! What every API handler shares: the request span, authorization into an `OrgScope`, paging,
//! and turning any error into problem+json.

pub mod accounts;
pub mod audit;
pub mod bank;
pub mod buildings;
pub mod charges;
pub mod dashboard;
pub mod delinquency;
pub mod documents;
pub mod events;
pub mod expenses;
pub mod exports;
pub mod health;
pub mod idempotent;
pub mod imports;
pub mod integrations;
pub mod journal;
pub mod leases;
pub mod ledger;
pub mod maintenance;
pub mod members;
pub mod occupancy;
pub mod orgs;
pub mod payments;
pub mod policies;
pub mod rent_runs;
pub mod reports;
pub mod route;
pub mod tenants;
pub mod units;
pub mod vendors;
pub mod webhooks;
pub mod workflows;

/// Every API module's routes without their handlers, for the OpenAPI document.
pub static DOCS: &[&[route::RouteDoc]] = &[
    health::DOCS,
    orgs::DOCS,
    members::DOCS,
    audit::DOCS,
    buildings::DOCS,
    units::DOCS,
    occupancy::DOCS,
    tenants::DOCS,
    leases::DOCS,
    documents::DOCS,
    charges::DOCS,
    payments::DOCS,
    ledger::DOCS,
    delinquency::DOCS,
    rent_runs::DOCS,
    events::DOCS,
    webhooks::DOCS,
    accounts::DOCS,
    journal::DOCS,
    maintenance::DOCS,
    policies::DOCS,
    vendors::DOCS,
    workflows::DOCS,
    expenses::DOCS,
    reports::DOCS,
    exports::DOCS,
    dashboard::DOCS,
    integrations::DOCS,
    bank::DOCS,
    imports::DOCS,
    crate::webhooks::stripe::DOCS,
    crate::webhooks::plaid::DOCS,
];

use lambda_http::RequestExt;
use lambda_http::{Body, Request, Response};
use portfolio::platform::db::{cursor, PageOf, PageRequest};
use portfolio::platform::http::{self, ApiError, ApiResult, ListParams, ListResponse};
use portfolio::platform::scope::{Action, OrgScope};
use portfolio::platform::App;
use std::future::Future;
use tracing::Instrument;

/// The matched route key, or "" (which no handler serves).
pub fn route_key(req: &Request) -> &str {
    http::route_key(req).unwrap_or("")
}

pub fn unknown_route(route: &str) -> ApiError {
    tracing::warn!(route, "route not served by this function");
    ApiError::not_found("route")
}

/// Runs one request inside a span carrying request id, route and org id, and answers errors as
/// problem+json (logging server-side failures).
pub async fn serve(req: &Request, work: impl Future<Output = ApiResult>) -> Response<Body> {
    let org = req_org(req);
    let span =
        tracing::info_span!("request", request_id = %http::request_id(req), route = route_key(req), org_id = %org);
    async move {
        let res = work.await;
        let response = res.unwrap_or_else(ApiError::into_response);
        let status = response.status().as_u16();
        if status >= 500 {
            tracing::error!(status, "request failed");
        } else {
            tracing::info!(status, "request handled");
        }
        response
    }
    .instrument(span)
    .await
}

fn req_org(req: &Request) -> String {
    http::path_param(req, "orgId").unwrap_or_default()
}

/// The caller's scope in the path's org, if they are a member allowed to do `action`.
pub async fn scope(app: &App, req: &Request, action: Action) -> Result<OrgScope, ApiError> {
    let principal = http::principal(req)?;
    let org = http::path_param(req, "orgId")?;
    Ok(app.auth.scope(&principal, &org, action).await?)
}

/// Cursors are bound to the org, the route, its path parameters and its filters, so one list's
/// cursor opens no other list.
fn binding(scope: &OrgScope, req: &Request) -> String {
    let mut b = format!("{} {}", scope.org_id(), route_key(req));
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = req.path_parameters_ref() {
        parts.extend(p.iter().map(|(k, v)| format!("{k}={v}")));
    }
    if let Some(q) = req.query_string_parameters_ref() {
        parts.extend(q.iter().filter(|(k, _)| *k != "limit" && *k != "cursor").map(|(k, v)| format!("?{k}={v}")));
    }
    parts.sort();
    for p in parts {
        b.push(' ');
        b.push_str(&p);
    }
    b
}

pub fn page(app: &App, req: &Request, scope: &OrgScope) -> Result<PageRequest, ApiError> {
    let p = ListParams::from_request(req, &app.config.api.cursor_secret, &binding(scope, req))?;
    Ok(PageRequest { limit: p.limit, start: p.start })
}

pub fn list<T: serde::Serialize>(app: &App, req: &Request, scope: &OrgScope, page: PageOf<T>) -> ApiResult {
    let next_cursor = page.last_key.map(|k| cursor::seal(&app.config.api.cursor_secret, &binding(scope, req), &k));
    http::json(200, &ListResponse { items: page.items, next_cursor })
}

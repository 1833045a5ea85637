//! `api-delinquency`: open balances by lease with aging buckets as of a day, and the daily
//! snapshots kept for trends.

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::billing::delinquency::{self, Delinquency};
use portfolio::platform::http::{json, opt_date_param, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const GET: &str = "GET /api/v1/orgs/{orgId}/delinquency";
pub const SNAPSHOTS: &str = "GET /api/v1/orgs/{orgId}/delinquency/snapshots";
pub const ROUTES: &[&str] = &[GET, SNAPSHOTS];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            GET => get(app, &req).await,
            SNAPSHOTS => snapshots(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// Open balances by lease aged `current`, `d1_30`, `d31_60`, `d61_90`, `d90_plus` as of `asOf`
/// (default today), from the open-charges index; a past day with a stored snapshot answers the
/// snapshot (what was open then).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/delinquency", tag = "billing",
    params(("orgId" = String, Path), ("asOf" = Option<chrono::NaiveDate>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = Delinquency), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    let as_of = opt_date_param(req, "asOf")?;
    json(200, &delinquency::delinquency(&app.db, &s, as_of).await?)
}

/// The daily snapshots, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/delinquency/snapshots", tag = "billing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Delinquency>)), (status = 404, body = Problem)))]
pub async fn snapshots(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, delinquency::list_snapshots(&app.db, &s, p).await?)
}

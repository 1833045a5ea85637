//! `api-occupancy`: units, occupied, vacant and rate per building and for the portfolio on a date.

use super::{route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::leasing::occupancy::{self, Occupancy};
use portfolio::platform::http::{date_param, json, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const GET: &str = "GET /api/v1/orgs/{orgId}/occupancy";
pub const ROUTES: &[&str] = &[GET];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            GET => get(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// Occupancy on `date` (past or future), derived from activated leases' terms.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/occupancy", tag = "properties",
    params(("orgId" = String, Path), ("date" = chrono::NaiveDate, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = Occupancy), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::PropertyRead).await?;
    let date = date_param(req, "date")?;
    json(200, &occupancy::occupancy(&app.db, &s, date).await?)
}

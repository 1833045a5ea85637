//! `api-rent-runs`: run rent generation for the org now (the same code as the daily run), and
//! the org's billing settings (rent lead time, default late-fee policy).

use super::{route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::billing::model::{BillingSettings, RentRunReport, RunRent};
use portfolio::billing::{rent_run, service};
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const RUN: &str = "POST /api/v1/orgs/{orgId}/rent-runs";
pub const GET_SETTINGS: &str = "GET /api/v1/orgs/{orgId}/billing-settings";
pub const PUT_SETTINGS: &str = "PUT /api/v1/orgs/{orgId}/billing-settings";
pub const ROUTES: &[&str] = &[RUN, GET_SETTINGS, PUT_SETTINGS];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            RUN => run(app, &req).await,
            GET_SETTINGS => get_settings(app, &req).await,
            PUT_SETTINGS => put_settings(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// Creates every rent (and deposit) charge due through `throughDate` (default today in the
/// org's time zone) plus the org's lead time. Safe to repeat: nothing is created twice.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/rent-runs", tag = "billing", params(("orgId" = String, Path)), request_body = Option<RunRent>,
    responses((status = 200, body = RentRunReport), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn run(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let input: RunRent = json_body_or_default(req)?;
    json(200, &rent_run::run_org(&app.db, &s, input.through_date, &rent_run::RunOptions::default()).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/billing-settings", tag = "billing", params(("orgId" = String, Path)),
    responses((status = 200, body = BillingSettings), (status = 404, body = Problem)))]
pub async fn get_settings(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    json(200, &service::get_settings(&app.db, &s).await?)
}

/// Replaces the billing settings.
#[utoipa::path(put, path = "/api/v1/orgs/{orgId}/billing-settings", tag = "billing", params(("orgId" = String, Path)), request_body = BillingSettings,
    responses((status = 200, body = BillingSettings), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn put_settings(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::BillingConfigure).await?;
    let input: BillingSettings = json_body(req)?;
    json(200, &service::put_settings(&app.db, &s, input).await?)
}

//! `api-ledger`: a lease's ledger as of a day, and the org's FX rates.

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::billing::ledger::Ledger;
use portfolio::billing::model::{FxRate, RecordFxRates};
use portfolio::billing::service;
use portfolio::platform::http::{json, json_body, opt_date_param, path_param, ApiResult, ListResponse, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const GET: &str = "GET /api/v1/orgs/{orgId}/leases/{leaseId}/ledger";
pub const LIST_FX: &str = "GET /api/v1/orgs/{orgId}/fx-rates";
pub const RECORD_FX: &str = "POST /api/v1/orgs/{orgId}/fx-rates";
pub const ROUTES: &[&str] = &[GET, LIST_FX, RECORD_FX];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            GET => get(app, &req).await,
            LIST_FX => list_fx(app, &req).await,
            RECORD_FX => record_fx(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// Every entry up to `asOf` (default today) in order with running balance, unapplied credit
/// and deposit held; the totals and aging as of that day. One partition query.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/ledger", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("asOf" = Option<chrono::NaiveDate>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = Ledger), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    let as_of = opt_date_param(req, "asOf")?;
    json(200, &service::get_ledger(&app.db, &s, &path_param(req, "leaseId")?, as_of).await?)
}

/// Recorded FX rates, by currency then date.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/fx-rates", tag = "billing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<FxRate>)), (status = 404, body = Problem)))]
pub async fn list_fx(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_fx_rates(&app.db, &s, p).await?)
}

/// Records the day's rates into the org's base currency (units of base per unit of currency).
/// Entries dated on or after `date` use them.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/fx-rates", tag = "billing", params(("orgId" = String, Path)), request_body = RecordFxRates,
    responses((status = 201, body = inline(portfolio::platform::http::ListResponse<FxRate>)), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn record_fx(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let input: RecordFxRates = json_body(req)?;
    let items = service::record_fx_rates(&app.db, &s, input).await?;
    json(201, &ListResponse { items, next_cursor: None })
}

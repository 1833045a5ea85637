//! `api-ledger`: a lease's ledger as of a day, and the org's FX rates.

use super::route::Call;
use portfolio::billing::ledger::Ledger;
use portfolio::billing::model::{FxRate, RecordFxRates};
use portfolio::billing::service;
use portfolio::platform::http::{json, json_body, opt_date_param, ApiResult, ListResponse, Problem};

crate::routes! {
    org(LedgerRead) get,
    org(LedgerRead) list_fx,
    org(LedgerWrite) record_fx,
}

/// Every entry up to `asOf` (default today) in order with running balance, unapplied credit
/// and deposit held; the totals and aging as of that day. One partition query.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/ledger", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("asOf" = Option<chrono::NaiveDate>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = Ledger), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    let as_of = opt_date_param(c.req, "asOf")?;
    json(200, &service::get_ledger(&c.cx, &c.param("leaseId")?, as_of).await?)
}

/// Recorded FX rates, by currency then date.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/fx-rates", tag = "billing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<FxRate>)), (status = 404, body = Problem)))]
pub async fn list_fx(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_fx_rates(&c.cx, p).await?)
}

/// Records the day's rates into the org's base currency (units of base per unit of currency).
/// Entries dated on or after `date` use them.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/fx-rates", tag = "billing", params(("orgId" = String, Path)), request_body = RecordFxRates,
    responses((status = 201, body = inline(portfolio::platform::http::ListResponse<FxRate>)), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn record_fx(c: Call<'_>) -> ApiResult {
    let input: RecordFxRates = json_body(c.req)?;
    let items = service::record_fx_rates(&c.cx, input).await?;
    json(201, &ListResponse { items, next_cursor: None })
}

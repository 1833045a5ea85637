//! `api-delinquency`: open balances by lease with aging buckets as of a day, and the daily
//! snapshots kept for trends.

use super::route::Call;
use portfolio::billing::delinquency::{self, Delinquency};
use portfolio::platform::http::{json, opt_date_param, ApiResult, Problem};

crate::routes! {
    org(LedgerRead) get,
    org(LedgerRead) snapshots,
}

/// Open balances by lease aged `current`, `d1_30`, `d31_60`, `d61_90`, `d90_plus` as of `asOf`
/// (default today): today from the open-charges index (`source: live`), a past day exactly from
/// each lease's ledger replayed to it (`source: ledgers`; back-dated entries included).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/delinquency", tag = "billing",
    params(("orgId" = String, Path), ("asOf" = Option<chrono::NaiveDate>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = Delinquency), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    let as_of = opt_date_param(c.req, "asOf")?;
    json(200, &delinquency::delinquency(&c.cx, as_of).await?)
}

/// The daily snapshots, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/delinquency/snapshots", tag = "billing",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Delinquency>)), (status = 404, body = Problem)))]
pub async fn snapshots(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(delinquency::list_snapshots(&c.cx, p).await?)
}

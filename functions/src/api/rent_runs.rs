//! `api-rent-runs`: run rent generation for the org now (the same code as the daily run), and
//! the org's billing settings (rent lead time, default late-fee policy).

use super::route::Call;
use portfolio::billing::model::{BillingSettings, RentRunReport, RunRent};
use portfolio::billing::{rent_run, service};
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiResult, Problem};

crate::routes! {
    org(LedgerWrite) run,
    org(LedgerRead) get_settings,
    org(BillingConfigure) put_settings,
}

/// Creates every rent (and deposit) charge due through `throughDate` (default today in the
/// org's time zone) plus the org's lead time. Safe to repeat: nothing is created twice.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/rent-runs", tag = "billing", params(("orgId" = String, Path)), request_body = Option<RunRent>,
    responses((status = 200, body = RentRunReport), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn run(c: Call<'_>) -> ApiResult {
    let input: RunRent = json_body_or_default(c.req)?;
    json(200, &rent_run::run_org(&c.cx, input.through_date, &rent_run::RunOptions::default()).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/billing-settings", tag = "billing", params(("orgId" = String, Path)),
    responses((status = 200, body = BillingSettings), (status = 404, body = Problem)))]
pub async fn get_settings(c: Call<'_>) -> ApiResult {
    json(200, &service::get_settings(&c.cx).await?)
}

/// Replaces the billing settings.
#[utoipa::path(put, path = "/api/v1/orgs/{orgId}/billing-settings", tag = "billing", params(("orgId" = String, Path)), request_body = BillingSettings,
    responses((status = 200, body = BillingSettings), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn put_settings(c: Call<'_>) -> ApiResult {
    let input: BillingSettings = json_body(c.req)?;
    json(200, &service::put_settings(&c.cx, input).await?)
}

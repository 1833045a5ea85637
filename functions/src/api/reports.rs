//! `api-reports`: reports read from the books — so far the cash flow.

use super::route::Call;
use portfolio::platform::http::{date_param, json, query_param, ApiResult, Problem};
use portfolio::reports::cash_flow::CashFlow;
use portfolio::reports::service;

crate::routes! {
    org(BooksRead) cash_flow,
}

/// Per month and currency: opening cash, money in and out by the account on the other side,
/// net, closing cash (opening + in − out = closing), for one property with `buildingId`.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/cash-flow", tag = "reports",
    params(("orgId" = String, Path),
        ("from" = chrono::NaiveDate, Query, description = "YYYY-MM-DD: its month is the first"),
        ("to" = chrono::NaiveDate, Query, description = "YYYY-MM-DD: its month is the last (at most 60 months)"),
        ("buildingId" = Option<String>, Query, description = "one property's lines only")),
    responses((status = 200, body = CashFlow), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn cash_flow(c: Call<'_>) -> ApiResult {
    let (from, to) = (date_param(c.req, "from")?, date_param(c.req, "to")?);
    let building = query_param(c.req, "buildingId");
    json(200, &service::cash_flow_report(&c.cx, from, to, building.as_deref()).await?)
}

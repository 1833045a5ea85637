//! `api-dashboard`: today's KPIs and their daily series, from the KPI mart (one Query).

use super::route::Call;
use portfolio::platform::http::{json, query_param, ApiError, ApiResult, Problem};
use portfolio::reports::kpi::{self, Dashboard};
use portfolio::FieldError;

crate::routes! {
    org(BooksRead) get,
}

/// Occupancy rate, billed, collected, collection rate, delinquent and NOI month to date: the
/// latest day's values and one row per day for the last `days` days computed (default 30, at
/// most 366), as `job-kpi-rollup` computed them from the books; one Query.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/dashboard", tag = "reports",
    params(("orgId" = String, Path), ("days" = Option<i64>, Query, minimum = 1, maximum = 366)),
    responses((status = 200, body = Dashboard), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    let days = match query_param(c.req, "days") {
        None => None,
        Some(d) => {
            Some(d.parse::<i64>().ok().filter(|_| d.len() <= 3 && !d.starts_with(['+', '-'])).ok_or_else(|| {
                ApiError::validation(vec![FieldError::new("days", "must be a whole number of days, 1 to 366")])
            })?)
        }
    };
    json(200, &kpi::dashboard(&c.cx, days).await?)
}

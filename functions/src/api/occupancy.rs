//! `api-occupancy`: units, occupied, vacant and rate per building and for the portfolio on a date.

use super::route::Call;
use portfolio::leasing::occupancy::{self, Occupancy};
use portfolio::platform::http::{date_param, json, ApiResult, Problem};

crate::routes! {
    org(PropertyRead) get,
}

/// Occupancy on `date` (past or future), derived from activated leases' terms.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/occupancy", tag = "properties",
    params(("orgId" = String, Path), ("date" = chrono::NaiveDate, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = Occupancy), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    let date = date_param(c.req, "date")?;
    json(200, &occupancy::occupancy(&c.cx, date).await?)
}

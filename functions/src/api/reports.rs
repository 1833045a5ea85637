//! `api-reports`: reports read from the books — the cash flow, the P&L, NOI per building,
//! the rent roll, Schedule E, the owner statement and the 1099 vendors.

use super::route::Call;
use portfolio::platform::http::{date_param, json, query_param, year_param, ApiResult, Problem};
use portfolio::reports::cash_flow::CashFlow;
use portfolio::reports::noi::NoiReport;
use portfolio::reports::owner_statement::OwnerStatement;
use portfolio::reports::pnl::{Basis, ProfitAndLoss};
use portfolio::reports::rent_roll::RentRoll;
use portfolio::reports::schedule_e::ScheduleE;
use portfolio::reports::service;
use portfolio::reports::vendors_1099::Vendors1099;

crate::routes! {
    org(BooksRead) cash_flow,
    org(BooksRead) vendors_1099,
    org(BooksRead) owner_statement,
    org(BooksRead) profit_and_loss,
    org(BooksRead) noi,
    org(BooksRead) schedule_e,
    org(BooksRead) rent_roll,
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

/// Vendors flagged `form1099` paid at least the year's reporting threshold (600.00 USD through
/// 2025, 2,000.00 from 2026), counted when paid; each with its masked tax id, if on file.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/vendors-1099", tag = "reports",
    params(("orgId" = String, Path), ("year" = i32, Query, minimum = 2000, maximum = 2100)),
    responses((status = 200, body = Vendors1099), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn vendors_1099(c: Call<'_>) -> ApiResult {
    json(200, &service::vendors_1099_report(&c.cx, year_param(c.req, "year")?).await?)
}

/// Per property (`buildingId`, or each property and what is tagged to none) and currency: cash at
/// the start, every movement with the account it was for, cash at the end (beginning + in − out
/// = ending).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/owner-statement", tag = "reports",
    params(("orgId" = String, Path),
        ("from" = chrono::NaiveDate, Query, description = "YYYY-MM-DD, the first day"),
        ("to" = chrono::NaiveDate, Query, description = "YYYY-MM-DD, the last day (at most 60 months after from)"),
        ("buildingId" = Option<String>, Query, description = "one property only")),
    responses((status = 200, body = OwnerStatement), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn owner_statement(c: Call<'_>) -> ApiResult {
    let (from, to) = (date_param(c.req, "from")?, date_param(c.req, "to")?);
    let building = query_param(c.req, "buildingId");
    json(200, &service::owner_statement_report(&c.cx, from, to, building.as_deref()).await?)
}

/// Income and expenses by account per month and currency (and in the base currency at each
/// entry's stored rate), with NOI (before debt service and depreciation) and net income.
/// `basis=cash` (the default): income when paid (advance rent when received, a kept deposit when
/// kept), expenses when paid; `accrual`: when charged or billed.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/profit-and-loss", tag = "reports",
    params(("orgId" = String, Path),
        ("from" = chrono::NaiveDate, Query, description = "YYYY-MM-DD: its month is the first"),
        ("to" = chrono::NaiveDate, Query, description = "YYYY-MM-DD: its month is the last (at most 60 months)"),
        ("buildingId" = Option<String>, Query, description = "one property's lines only"),
        ("basis" = Option<Basis>, Query, description = "cash (default) or accrual")),
    responses((status = 200, body = ProfitAndLoss), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn profit_and_loss(c: Call<'_>) -> ApiResult {
    let (from, to) = (date_param(c.req, "from")?, date_param(c.req, "to")?);
    let basis = Basis::parse(query_param(c.req, "basis").as_deref())?;
    let building = query_param(c.req, "buildingId");
    json(200, &service::profit_and_loss_report(&c.cx, (from, to), basis, building.as_deref()).await?)
}

/// NOI per building and month of a year in the base currency (operating income less operating
/// expenses: before interest and depreciation), what no building carries, the portfolio; with a
/// building's `marketValue` its cap rate (the year's NOI over the value, in percent).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/noi", tag = "reports",
    params(("orgId" = String, Path), ("year" = i32, Query, minimum = 2000, maximum = 2100),
        ("basis" = Option<Basis>, Query, description = "cash (default) or accrual")),
    responses((status = 200, body = NoiReport), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn noi(c: Call<'_>) -> ApiResult {
    let basis = Basis::parse(query_param(c.req, "basis").as_deref())?;
    json(200, &service::noi_report(&c.cx, year_param(c.req, "year")?, basis).await?)
}

/// Schedule E (Form 1040) Part I per building for a tax year in the base currency: address,
/// property type (1b), fair rental days (2, from the leases), lines 3–19 with the accounts behind
/// each, 20 and 21 (a loss flagged; line 22 needs Form 8582), totals 23a–e; what no building
/// carries and accounts mapped to no line listed apart. `basis=cash` (the default) or `accrual`.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/schedule-e", tag = "reports",
    params(("orgId" = String, Path), ("year" = i32, Query, minimum = 2000, maximum = 2100),
        ("basis" = Option<Basis>, Query, description = "cash (default) or accrual")),
    responses((status = 200, body = ScheduleE), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn schedule_e(c: Call<'_>) -> ApiResult {
    let basis = Basis::parse(query_param(c.req, "basis").as_deref())?;
    json(200, &service::schedule_e_report(&c.cx, year_param(c.req, "year")?, basis).await?)
}

/// Every unit as of `asOf`: the lease that covered it (tenants, dates, rent), the deposit held
/// and the balance owed that day, and its status (`occupied`, `vacant`, `notice`); totals per
/// currency.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/reports/rent-roll", tag = "reports",
    params(("orgId" = String, Path), ("asOf" = chrono::NaiveDate, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = RentRoll), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn rent_roll(c: Call<'_>) -> ApiResult {
    json(200, &service::rent_roll_report(&c.cx, date_param(c.req, "asOf")?).await?)
}

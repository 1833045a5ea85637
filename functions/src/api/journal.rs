//! `api-journal`: the general ledger's entries, manual entries, the trial balance, the
//! verification of the hash chain, and closing months.

use super::route::Call;
use portfolio::books::model::{
    JournalEntry, ManualEntry, Period, PeriodChange, PeriodStatus, TrialBalance, Verification,
};
use portfolio::books::rebuild::{Rebuild, RebuildRequest};
use portfolio::books::{manual, periods, reads, rebuild as rebuilds};
use portfolio::platform::http::{
    json, json_body, json_body_or_default, opt_date_param, query_param, ApiError, ApiResult, ListResponse, Problem,
};

crate::routes! {
    org(BooksRead) list_journal,
    org(BooksWrite) create,
    org(BooksRead) get,
    org(BooksRead) trial_balance,
    org(BooksRead) verify,
    org(BooksRead) list_periods,
    org(PeriodClose) close,
    org(PeriodReopen) reopen,
    org(BooksRebuild) rebuild,
    org(BooksRead) last_rebuild,
}

/// Entries newest first; filters `from`, `to`, `accountId`, `source` (`payment`, `charge`, `manual`, …).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/journal", tag = "books",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query),
        ("from" = Option<chrono::NaiveDate>, Query), ("to" = Option<chrono::NaiveDate>, Query),
        ("accountId" = Option<String>, Query), ("source" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<JournalEntry>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_journal(c: Call<'_>) -> ApiResult {
    let filter = reads::JournalFilter {
        from: opt_date_param(c.req, "from")?,
        to: opt_date_param(c.req, "to")?,
        account_id: query_param(c.req, "accountId"),
        source: query_param(c.req, "source"),
    };
    let p = c.page()?;
    c.list(reads::list_journal(&c.cx, &filter, p).await?)
}

/// A manual entry: every line an account and a debit or a credit, balanced per currency; 409 in
/// a closed month.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/journal", tag = "books", params(("orgId" = String, Path)), request_body = ManualEntry,
    responses((status = 201, body = JournalEntry), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: ManualEntry = json_body(c.req)?;
    json(201, &manual::post_manual(&c.cx, input).await?)
}

/// The entry with its source, `seq`, `hash` and `prevHash`.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/journal/{entryId}", tag = "books",
    params(("orgId" = String, Path), ("entryId" = String, Path)),
    responses((status = 200, body = JournalEntry), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &reads::get_entry(&c.cx, &c.param("entryId")?).await?)
}

/// Every account's balance as of `asOf` (default today); total debits equal total credits.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/trial-balance", tag = "books",
    params(("orgId" = String, Path), ("asOf" = Option<chrono::NaiveDate>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = TrialBalance), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn trial_balance(c: Call<'_>) -> ApiResult {
    let as_of = opt_date_param(c.req, "asOf")?.unwrap_or_else(|| c.cx.today_utc());
    json(200, &reads::trial_balance(&c.cx, as_of).await?)
}

/// Recomputes the hash chain and the totals; names the first entry that breaks it.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/books/verify", tag = "books",
    params(("orgId" = String, Path)),
    responses((status = 200, body = Verification), (status = 404, body = Problem)))]
pub async fn verify(c: Call<'_>) -> ApiResult {
    json(200, &reads::verify(&c.cx).await?)
}

/// Months that were ever closed, with their state.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/periods", tag = "books",
    params(("orgId" = String, Path)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Period>)), (status = 404, body = Problem)))]
pub async fn list_periods(c: Call<'_>) -> ApiResult {
    json(200, &ListResponse { items: periods::list_periods(&c.cx).await?, next_cursor: None })
}

fn month(c: &Call<'_>) -> Result<String, ApiError> {
    c.param("month")
}

/// Closes a month: automatic postings dated in it land on the first open day, manual ones 409.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/periods/{month}:close", tag = "books",
    params(("orgId" = String, Path), ("month" = String, Path, description = "YYYY-MM", pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")), request_body = Option<PeriodChange>,
    responses((status = 200, body = Period), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn close(c: Call<'_>) -> ApiResult {
    let input: PeriodChange = json_body_or_default(c.req)?;
    json(200, &periods::set_period(&c.cx, &month(&c)?, PeriodStatus::Closed, input.reason).await?)
}

/// Reopens a closed month (owner only; audited with the reason).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/periods/{month}:reopen", tag = "books",
    params(("orgId" = String, Path), ("month" = String, Path, description = "YYYY-MM", pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")), request_body = Option<PeriodChange>,
    responses((status = 200, body = Period), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reopen(c: Call<'_>) -> ApiResult {
    let input: PeriodChange = json_body_or_default(c.req)?;
    json(200, &periods::set_period(&c.cx, &month(&c)?, PeriodStatus::Open, input.reason).await?)
}

/// Rebuilds the books from their sources (owner only; audited): queued behind the org's money
/// events, the journal is deleted and every entry re-posted from the source log with the same
/// `seq` and hash. 409 while one is under way; follow it with `GET …/books/rebuild`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/books:rebuild", tag = "books",
    params(("orgId" = String, Path)), request_body = Option<RebuildRequest>,
    responses((status = 202, body = Rebuild), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn rebuild(c: Call<'_>) -> ApiResult {
    let input: RebuildRequest = json_body_or_default(c.req)?;
    json(202, &rebuilds::request(&c.cx, input).await?)
}

/// The last rebuild: `requested`, `running`, `done` (with `entries`, `hash`, `previousHash`,
/// `sameHash`) or `failed` (with `error`; the journal was left as it was).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/books/rebuild", tag = "books",
    params(("orgId" = String, Path)),
    responses((status = 200, body = Rebuild), (status = 404, body = Problem)))]
pub async fn last_rebuild(c: Call<'_>) -> ApiResult {
    json(200, &rebuilds::last(&c.cx).await?)
}

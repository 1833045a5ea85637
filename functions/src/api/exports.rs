//! `api-exports`: files of the books and the reports, asked for here and built by
//! `consumer-exports`; a ready export answers a short presigned download URL.

use super::route::Call;
use portfolio::platform::http::{json, json_body, ApiResult, Problem};
use portfolio::reports::exports::{self, CreateExport, Export};

crate::routes! {
    org(BooksRead) create,
    org(BooksRead) list,
    org(BooksRead) get,
}

/// Asks for an export: `general-ledger-csv`, `hledger`, `beancount` (a `year`, or `from` and
/// `to`) or `year-end` (a ZIP of CSVs for a `year`). Answers `202` with it `pending`; poll
/// `GET …/exports/{exportId}` until `ready` (or `failed`, with the reason).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/exports", tag = "reports", params(("orgId" = String, Path)),
    request_body = CreateExport,
    responses((status = 202, body = Export), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateExport = json_body(c.req)?;
    json(202, &exports::create_export(&c.cx, input).await?)
}

/// The org's exports, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/exports", tag = "reports",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Export>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(exports::list_exports(&c.cx, p).await?)
}

/// An export; when `ready`, `download` is a GET URL of the file valid for a few minutes (a new
/// one on every read).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/exports/{exportId}", tag = "reports",
    params(("orgId" = String, Path), ("exportId" = String, Path)),
    responses((status = 200, body = Export), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &exports::get_export(&c.cx, c.app.blob(), &c.param("exportId")?).await?)
}

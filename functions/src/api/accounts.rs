//! `api-accounts`: the org's chart of accounts and each account's register.

use super::route::Call;
use portfolio::books::assets::{CreateFixedAsset, FixedAsset};
use portfolio::books::model::{Account, CreateAccount, Register, UpdateAccount};
use portfolio::books::{accounts, assets, reads};
use portfolio::platform::http::{json, json_body, opt_date_param, query_param, ApiResult, ListResponse, Problem};

crate::routes! {
    org(BooksRead) list_accounts,
    org(BooksWrite) create,
    org(BooksRead) get,
    org(BooksWrite) update,
    org(BooksRead) register,
    org(BooksRead) list_fixed_assets,
    org(BooksWrite) create_fixed_asset,
}

/// The whole chart by code (seeded on first use for orgs made before the books).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/accounts", tag = "books",
    params(("orgId" = String, Path)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Account>)), (status = 404, body = Problem)))]
pub async fn list_accounts(c: Call<'_>) -> ApiResult {
    json(200, &ListResponse { items: accounts::list_accounts(&c.cx).await?, next_cursor: None })
}

/// A custom account. Income and expense accounts name their Schedule E line or `"none"`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/accounts", tag = "books", params(("orgId" = String, Path)), request_body = CreateAccount,
    responses((status = 201, body = Account), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateAccount = json_body(c.req)?;
    json(201, &accounts::create_account(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/accounts/{accountId}", tag = "books",
    params(("orgId" = String, Path), ("accountId" = String, Path)),
    responses((status = 200, body = Account), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &accounts::get_account(&c.cx, &c.param("accountId")?).await?)
}

/// Renames, re-parents or archives an account; seeded accounts are renamed only.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/accounts/{accountId}", tag = "books",
    params(("orgId" = String, Path), ("accountId" = String, Path)), request_body = UpdateAccount,
    responses((status = 200, body = Account), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateAccount = json_body(c.req)?;
    json(200, &accounts::update_account(&c.cx, &c.param("accountId")?, input).await?)
}

/// The account's postings from `from` to `to` (default today) with running balances.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/accounts/{accountId}/register", tag = "books",
    params(("orgId" = String, Path), ("accountId" = String, Path),
        ("from" = Option<chrono::NaiveDate>, Query), ("to" = Option<chrono::NaiveDate>, Query), ("buildingId" = Option<String>, Query)),
    responses((status = 200, body = Register), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn register(c: Call<'_>) -> ApiResult {
    let from = opt_date_param(c.req, "from")?;
    let to = opt_date_param(c.req, "to")?.unwrap_or_else(|| c.cx.today_utc());
    let building = query_param(c.req, "buildingId");
    json(200, &reads::register(&c.cx, &c.param("accountId")?, from, to, building.as_deref()).await?)
}

/// Fixed assets: buildings' depreciable basis and capital improvements.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/fixed-assets", tag = "books",
    params(("orgId" = String, Path)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<FixedAsset>)), (status = 404, body = Problem)))]
pub async fn list_fixed_assets(c: Call<'_>) -> ApiResult {
    json(200, &ListResponse { items: assets::list_fixed_assets(&c.cx).await?, next_cursor: None })
}

/// A fixed asset, depreciated monthly (mid-month convention) by the depreciation job: 27.5 years
/// residential, 39 commercial, or `straight_line` over `lifeYears`; `landValue` is not depreciated.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/fixed-assets", tag = "books", params(("orgId" = String, Path)), request_body = CreateFixedAsset,
    responses((status = 201, body = FixedAsset), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_fixed_asset(c: Call<'_>) -> ApiResult {
    let input: CreateFixedAsset = json_body(c.req)?;
    json(201, &assets::create_fixed_asset(&c.cx, input).await?)
}

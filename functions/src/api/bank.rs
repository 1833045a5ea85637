//! `api-bank`: the bank feeds' transactions — listed by status with ranked suggestions,
//! matched (to a payment, expense or payout, to several summing exactly to it, or to a new
//! expense or payment made from it), unmatched, ignored — and the org's bank rules.
//! `…/bank-transactions/{id}:match|:unmatch|:ignore` arrive on `POST …/bank-transactions/{id}`.

use super::route::Call;
use portfolio::banking::model::{BankStatus, BankTransaction, ListedStatus};
use portfolio::banking::reconcile::{self, BankFilter, MatchBankTransaction};
use portfolio::banking::rules::{self, BankRule, CreateBankRule, UpdateBankRule};
use portfolio::platform::http::{
    json, json_body, no_content, opt_date_param, query_param, ApiError, ApiResult, Problem,
};
use portfolio::FieldError;

crate::routes! {
    org(BooksRead) list_transactions,
    org(BooksWrite) match_transaction,
    org(BooksWrite) unmatch_transaction,
    org(BooksWrite) ignore_transaction,
    org(BooksRead) list_rules,
    org(BooksWrite) create_rule,
    org(BooksRead) get_rule,
    org(BooksWrite) update_rule,
    org(BooksWrite) delete_rule,
}

fn status_param(c: &Call<'_>) -> Result<Option<BankStatus>, ApiError> {
    let invalid = || ApiError::validation(vec![FieldError::new("status", "one of unmatched, matched, ignored")]);
    match query_param(c.req, "status") {
        None => Ok(None),
        Some(s) => serde_json::from_value::<ListedStatus>(serde_json::Value::String(s))
            .map(|s| Some(s.into()))
            .map_err(|_| invalid()),
    }
}

/// Newest first, one `status` at a time (default `unmatched`; each unmatched one carries its
/// ranked `suggestions`); filters `accountId`, `from`, `to`.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/bank-transactions", tag = "integrations",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query),
        ("status" = inline(Option<ListedStatus>), Query, description = "unmatched (default), matched or ignored"),
        ("accountId" = Option<String>, Query), ("from" = Option<chrono::NaiveDate>, Query), ("to" = Option<chrono::NaiveDate>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<BankTransaction>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_transactions(c: Call<'_>) -> ApiResult {
    let f = BankFilter {
        status: status_param(&c)?,
        account_id: query_param(c.req, "accountId"),
        from: opt_date_param(c.req, "from")?,
        to: opt_date_param(c.req, "to")?,
    };
    let p = c.page()?;
    c.list(reconcile::list(&c.cx, &f, p).await?)
}

/// Reconciles an unmatched bank transaction: `paymentId`, `expenseId`, `payoutId`,
/// `createExpense` (an expense paid from the bank on its date), `createPayment` (a tenant payment
/// on `leaseId`), or `splits` — records or new expenses summing exactly to the bank amount
/// (400 naming both sums otherwise; nothing is written).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/bank-transactions/{id}:match", tag = "integrations",
    params(("orgId" = String, Path), ("id" = String, Path)), request_body = MatchBankTransaction,
    responses((status = 200, body = BankTransaction), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn match_transaction(c: Call<'_>) -> ApiResult {
    let input: MatchBankTransaction = json_body(c.req)?;
    json(200, &reconcile::match_transaction(&c.cx, &c.param("id")?, input).await?)
}

/// Undoes a match (the books move the money back; the records stay) or an ignore.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/bank-transactions/{id}:unmatch", tag = "integrations",
    params(("orgId" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = BankTransaction), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn unmatch_transaction(c: Call<'_>) -> ApiResult {
    json(200, &reconcile::unmatch(&c.cx, &c.param("id")?).await?)
}

/// Sets an unmatched transaction aside (it moves nothing on the books).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/bank-transactions/{id}:ignore", tag = "integrations",
    params(("orgId" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = BankTransaction), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn ignore_transaction(c: Call<'_>) -> ApiResult {
    json(200, &reconcile::ignore(&c.cx, &c.param("id")?).await?)
}

/// The org's bank rules, in the order they are tried (oldest first).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/bank-rules", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<BankRule>)), (status = 404, body = Problem)))]
pub async fn list_rules(c: Call<'_>) -> ApiResult {
    c.list(portfolio::platform::db::PageOf { items: rules::list(&c.cx).await?, last_key: None })
}

/// A rule: conditions → an expense account, vendor, building or unit. `applyTo:
/// past_and_future` also books the unmatched transactions there already (`appliedToPast`).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/bank-rules", tag = "integrations",
    params(("orgId" = String, Path)), request_body = CreateBankRule,
    responses((status = 201, body = BankRule), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_rule(c: Call<'_>) -> ApiResult {
    let input: CreateBankRule = json_body(c.req)?;
    json(201, &rules::create(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/bank-rules/{ruleId}", tag = "integrations",
    params(("orgId" = String, Path), ("ruleId" = String, Path)),
    responses((status = 200, body = BankRule), (status = 404, body = Problem)))]
pub async fn get_rule(c: Call<'_>) -> ApiResult {
    json(200, &rules::get(&c.cx, &c.param("ruleId")?).await?)
}

#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/bank-rules/{ruleId}", tag = "integrations",
    params(("orgId" = String, Path), ("ruleId" = String, Path)), request_body = UpdateBankRule,
    responses((status = 200, body = BankRule), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_rule(c: Call<'_>) -> ApiResult {
    let input: UpdateBankRule = json_body(c.req)?;
    json(200, &rules::update(&c.cx, &c.param("ruleId")?, input).await?)
}

/// Deletes a rule; what it booked stays.
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/bank-rules/{ruleId}", tag = "integrations",
    params(("orgId" = String, Path), ("ruleId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_rule(c: Call<'_>) -> ApiResult {
    rules::delete(&c.cx, &c.param("ruleId")?).await?;
    no_content()
}

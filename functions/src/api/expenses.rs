//! `api-expenses`: expenses and bills. `…/expenses/{expenseId}:void|:pay` arrive on
//! `POST …/expenses/{expenseId}` (path parameters span whole segments), split by the table.

use super::route::Call;
use portfolio::books::expense_model::{CreateExpense, Expense, ExpenseStatus, PayBill, UpdateExpense, VoidExpense};
use portfolio::books::expenses::{self, ExpenseFilter};
use portfolio::books::receipts::{self, ConfirmExpense, CreateReceipt, ExpenseWithReceipts, Receipt, SnappedReceipt};
use portfolio::books::recurring::{self, CreateRecurring, RecurringExpense, UpdateRecurring};
use portfolio::platform::http::{
    json, json_body, json_body_or_default, no_content, opt_date_param, query_param, ApiError, ApiResult, ListResponse,
    Problem,
};
use portfolio::FieldError;

crate::routes! {
    org(BooksRead) list_expenses,
    org(BooksWrite, keyed) create,
    org(BooksRead) get,
    org(BooksWrite) update,
    org(BooksWrite) void,
    org(BooksWrite) pay,
    org(BooksWrite) confirm,
    org(BooksWrite) add_receipt,
    org(BooksWrite) snap_receipt,
    org(BooksRead) list_recurring,
    org(BooksWrite) create_recurring,
    org(BooksRead) get_recurring,
    org(BooksWrite) update_recurring,
    org(BooksWrite) delete_recurring,
}

fn status_param(c: &Call<'_>) -> Result<Option<ExpenseStatus>, ApiError> {
    match query_param(c.req, "status") {
        None => Ok(None),
        Some(s) => serde_json::from_value(serde_json::Value::String(s))
            .map(Some)
            .map_err(|_| ApiError::validation(vec![FieldError::new("status", "one of draft, unpaid, paid, void")])),
    }
}

/// Newest first; filters `from`, `to`, `buildingId`, `vendorId`, `accountId`, `status`.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/expenses", tag = "books",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query),
        ("from" = Option<chrono::NaiveDate>, Query), ("to" = Option<chrono::NaiveDate>, Query), ("buildingId" = Option<String>, Query),
        ("vendorId" = Option<String>, Query), ("accountId" = Option<String>, Query), ("status" = Option<ExpenseStatus>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Expense>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_expenses(c: Call<'_>) -> ApiResult {
    let f = ExpenseFilter {
        from: opt_date_param(c.req, "from")?,
        to: opt_date_param(c.req, "to")?,
        building_id: query_param(c.req, "buildingId"),
        vendor_id: query_param(c.req, "vendorId"),
        account_id: query_param(c.req, "accountId"),
        status: status_param(&c)?,
    };
    let p = c.page()?;
    c.list(expenses::list_expenses(&c.cx, &f, p).await?)
}

/// Books an expense paid from a bank or cash account, or a bill (`"status": "unpaid"` with a
/// `dueDate`). Scope, exact `splits`, or a `split` by units or area. Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/expenses", tag = "books",
    params(("orgId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per expense; a retry with the same key and body answers the first response (`Idempotent-Replayed: true`), another body 422, a request still in flight 409", pattern = "^[!-~]{1,255}$")), request_body = CreateExpense,
    responses((status = 201, body = Expense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateExpense = json_body(c.req)?;
    json(201, &expenses::create_expense(&c.cx, input, Some(&c.keyed().claim)).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/expenses/{expenseId}", tag = "books",
    params(("orgId" = String, Path), ("expenseId" = String, Path)),
    responses((status = 200, body = ExpenseWithReceipts), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &receipts::get_expense_with_receipts(&c.cx, &c.param("expenseId")?).await?)
}

/// Memo, vendor, reference, account or scope, while its month is open (409 after it closes); a
/// new account or scope posts a correcting entry.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/expenses/{expenseId}", tag = "books",
    params(("orgId" = String, Path), ("expenseId" = String, Path)), request_body = UpdateExpense,
    responses((status = 200, body = Expense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateExpense = json_body(c.req)?;
    json(200, &expenses::update_expense(&c.cx, &c.param("expenseId")?, input).await?)
}

/// Voids an expense with a reversing entry.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/expenses/{expenseId}:void", tag = "books",
    params(("orgId" = String, Path), ("expenseId" = String, Path)), request_body = Option<VoidExpense>,
    responses((status = 200, body = Expense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn void(c: Call<'_>) -> ApiResult {
    let input: VoidExpense = json_body_or_default(c.req)?;
    json(200, &expenses::void_expense(&c.cx, &c.param("expenseId")?, input).await?)
}

/// Pays a bill from a bank or cash account.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/expenses/{expenseId}:pay", tag = "books",
    params(("orgId" = String, Path), ("expenseId" = String, Path)), request_body = PayBill,
    responses((status = 200, body = Expense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn pay(c: Call<'_>) -> ApiResult {
    let input: PayBill = json_body(c.req)?;
    json(200, &expenses::pay_bill(&c.cx, &c.param("expenseId")?, input).await?)
}

/// Recurring expenses: each occurrence is booked once by the daily job.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/recurring-expenses", tag = "books",
    params(("orgId" = String, Path)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<RecurringExpense>)), (status = 404, body = Problem)))]
pub async fn list_recurring(c: Call<'_>) -> ApiResult {
    json(200, &ListResponse { items: recurring::all_recurring(&c.cx).await?, next_cursor: None })
}

/// A recurring expense (`monthly`, `quarterly`, `yearly` on `day`) from `startDate` to `endDate`,
/// with the fields of an expense; checked as its first occurrence would be.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/recurring-expenses", tag = "books", params(("orgId" = String, Path)), request_body = CreateRecurring,
    responses((status = 201, body = RecurringExpense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_recurring(c: Call<'_>) -> ApiResult {
    let input: CreateRecurring = json_body(c.req)?;
    json(201, &recurring::create_recurring(&c.cx, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/recurring-expenses/{recurringId}", tag = "books",
    params(("orgId" = String, Path), ("recurringId" = String, Path)),
    responses((status = 200, body = RecurringExpense), (status = 404, body = Problem)))]
pub async fn get_recurring(c: Call<'_>) -> ApiResult {
    json(200, &recurring::get_recurring(&c.cx, &c.param("recurringId")?).await?)
}

/// Changes the end, amount, memo or reference of future occurrences.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/recurring-expenses/{recurringId}", tag = "books",
    params(("orgId" = String, Path), ("recurringId" = String, Path)), request_body = UpdateRecurring,
    responses((status = 200, body = RecurringExpense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_recurring(c: Call<'_>) -> ApiResult {
    let input: UpdateRecurring = json_body(c.req)?;
    json(200, &recurring::update_recurring(&c.cx, &c.param("recurringId")?, input).await?)
}

/// Stops future occurrences (what was booked stays).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/recurring-expenses/{recurringId}", tag = "books",
    params(("orgId" = String, Path), ("recurringId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_recurring(c: Call<'_>) -> ApiResult {
    recurring::delete_recurring(&c.cx, &c.param("recurringId")?).await?;
    no_content()
}

/// Books a draft made from a receipt, with what the receipt did not say given here.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/expenses/{expenseId}:confirm", tag = "books",
    params(("orgId" = String, Path), ("expenseId" = String, Path)), request_body = ConfirmExpense,
    responses((status = 200, body = Expense), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn confirm(c: Call<'_>) -> ApiResult {
    let input: ConfirmExpense = json_body(c.req)?;
    json(200, &receipts::confirm(&c.cx, &c.param("expenseId")?, input).await?)
}

/// A receipt for an expense: answers the presigned upload; once uploaded it is checked and read
/// (`receipts[].extracted` on the expense).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/expenses/{expenseId}/receipts", tag = "books",
    params(("orgId" = String, Path), ("expenseId" = String, Path)), request_body = CreateReceipt,
    responses((status = 201, body = Receipt), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_receipt(c: Call<'_>) -> ApiResult {
    let input: CreateReceipt = json_body(c.req)?;
    json(201, &receipts::add_receipt(&c.cx, c.app.receipts(), &c.param("expenseId")?, input).await?)
}

/// Snap first, book later: a receipt without an expense makes a `draft` expense, filled from the
/// receipt once read and booked only on `:confirm`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/receipts", tag = "books", params(("orgId" = String, Path)), request_body = CreateReceipt,
    responses((status = 201, body = SnappedReceipt), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn snap_receipt(c: Call<'_>) -> ApiResult {
    let input: CreateReceipt = json_body(c.req)?;
    json(201, &receipts::snap_receipt(&c.cx, c.app.receipts(), input).await?)
}

//! `api-payments`: a lease's payments (with allocation), reversing or clearing a payment, and
//! applying a payment's unapplied credit.
//!
//! `…/payments/{paymentId}:reverse|:clear` arrive on `POST …/payments/{paymentId}` (path
//! parameters span whole segments), so `{paymentId}` carries `pay_…:verb` and is split here.

use super::route::Call;
use portfolio::billing::model::{ApplyCredit, CreatePayment, Payment, ReversePayment};
use portfolio::billing::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiResult, Problem};

crate::routes! {
    org(LedgerRead) list_payments,
    org(LedgerWrite, keyed) create,
    org(LedgerWrite) reverse,
    org(LedgerWrite) clear,
    org(LedgerWrite) allocate,
}

/// The lease's payments, by date received.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/payments", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Payment>)), (status = 404, body = Problem)))]
pub async fn list_payments(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_payments(&c.cx, &c.param("leaseId")?, p).await?)
}

/// Records a payment and allocates it: `auto` (oldest due first, rent before fees), explicit
/// `[{"chargeId", "amount"}]`, or `none`; the rest stays unapplied credit. Requires an
/// `Idempotency-Key`: a retry with the same key and body answers the first response.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/payments", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per charge or payment; a retry with the same key and body answers the first response (`Idempotent-Replayed: true`), another body 422, a request still in flight 409", pattern = "^[!-~]{1,255}$")), request_body = CreatePayment,
    responses((status = 201, body = Payment), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreatePayment = json_body(c.req)?;
    let lease = c.param("leaseId")?;
    let keyed = c.keyed();
    // The same key always names the same payment, so a retry after a crash cannot add another.
    let id = service::payment_id_for_key(c.cx.scope, &lease, &keyed.key);
    json(201, &service::record_payment(&c.cx, &lease, input, id, Some(&keyed.claim)).await?)
}

/// Reverses a payment (a bounced check): its allocations are reversed, the charges it paid are
/// open again, and a reversing entry takes it off the ledger.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/payments/{paymentId}:reverse", tag = "billing",
    params(("orgId" = String, Path), ("paymentId" = String, Path)), request_body = Option<ReversePayment>,
    responses((status = 200, body = Payment), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reverse(c: Call<'_>) -> ApiResult {
    let input: ReversePayment = json_body_or_default(c.req)?;
    json(200, &service::reverse_payment(&c.cx, &c.param("paymentId")?, input).await?)
}

/// A pending payment (ACH or card in flight) has cleared.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/payments/{paymentId}:clear", tag = "billing",
    params(("orgId" = String, Path), ("paymentId" = String, Path)),
    responses((status = 200, body = Payment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn clear(c: Call<'_>) -> ApiResult {
    json(200, &service::clear_payment(&c.cx, &c.param("paymentId")?).await?)
}

/// Applies the payment's unapplied credit to open charges (`auto` or explicit); answers the
/// payment with the allocations made.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/payments/{paymentId}/allocations", tag = "billing",
    params(("orgId" = String, Path), ("paymentId" = String, Path)), request_body = Option<ApplyCredit>,
    responses((status = 201, body = Payment), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn allocate(c: Call<'_>) -> ApiResult {
    let input: ApplyCredit = json_body_or_default(c.req)?;
    json(201, &service::apply_credit(&c.cx, &c.param("paymentId")?, input).await?)
}

//! `api-charges`: a lease's charges, voiding a charge, and settling the deposit at move-out.
//!
//! `…/charges/{chargeId}:void` arrives on `POST …/charges/{chargeId}` (API Gateway path
//! parameters span whole segments), so `{chargeId}` carries `chg_…:void` and is split here.

use super::route::Call;
use portfolio::billing::model::{Charge, CreateCharge, DepositSettlement, SettleDeposit, VoidCharge};
use portfolio::billing::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiResult, Problem};

crate::routes! {
    org(LedgerRead) list_charges,
    org(LedgerWrite, keyed) create,
    org(LedgerWrite) void,
    org(LedgerWrite) settle_deposit,
}

/// The lease's charges, by due date.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/charges", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Charge>)), (status = 404, body = Problem)))]
pub async fn list_charges(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_charges(&c.cx, &c.param("leaseId")?, p).await?)
}

/// Adds a charge (rent, late fee, deposit, utility, fee, or a credit, which is applied at once
/// to what is open). Requires an `Idempotency-Key` header.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/charges", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per charge or payment; a retry with the same key and body answers the first response (`Idempotent-Replayed: true`), another body 422, a request still in flight 409", pattern = "^[!-~]{1,255}$")), request_body = CreateCharge,
    responses((status = 201, body = Charge), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateCharge = json_body(c.req)?;
    json(201, &service::create_charge(&c.cx, &c.param("leaseId")?, input, Some(&c.keyed().claim)).await?)
}

/// Voids a charge with a reversing entry; what was allocated to it returns to its payments as
/// unapplied credit. The charge stays in history.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/charges/{chargeId}:void", tag = "billing",
    params(("orgId" = String, Path), ("chargeId" = String, Path)), request_body = Option<VoidCharge>,
    responses((status = 200, body = Charge), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn void(c: Call<'_>) -> ApiResult {
    let input: VoidCharge = json_body_or_default(c.req)?;
    json(200, &service::void_charge(&c.cx, &c.param("chargeId")?, input).await?)
}

/// Settles the deposit after move-out: itemized deductions, what is left applied to open
/// charges (unless `applyToBalance` is false), and the rest refunded.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/deposit-settlement", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = SettleDeposit,
    responses((status = 201, body = DepositSettlement), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn settle_deposit(c: Call<'_>) -> ApiResult {
    let input: SettleDeposit = json_body(c.req)?;
    json(201, &service::settle_deposit(&c.cx, &c.param("leaseId")?, input).await?)
}

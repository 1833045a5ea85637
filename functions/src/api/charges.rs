//! `api-charges`: a lease's charges, voiding a charge, and settling the deposit at move-out.
//!
//! `…/charges/{chargeId}:void` arrives on `POST …/charges/{chargeId}` (API Gateway path
//! parameters span whole segments), so `{chargeId}` carries `chg_…:void` and is split here.

use super::{idempotent, list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::billing::model::{Charge, CreateCharge, DepositSettlement, SettleDeposit, VoidCharge};
use portfolio::billing::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, path_param, ApiError, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/leases/{leaseId}/charges";
pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/leases/{leaseId}/charges";
pub const ACTION: &str = "POST /api/v1/orgs/{orgId}/charges/{chargeId}";
pub const SETTLE_DEPOSIT: &str = "POST /api/v1/orgs/{orgId}/leases/{leaseId}/deposit-settlement";
pub const ROUTES: &[&str] = &[LIST, CREATE, ACTION, SETTLE_DEPOSIT];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_charges(app, &req).await,
            CREATE => create(app, &req).await,
            ACTION => action(app, &req).await,
            SETTLE_DEPOSIT => settle_deposit(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// The lease's charges, by due date.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/charges", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Charge>)), (status = 404, body = Problem)))]
pub async fn list_charges(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_charges(&app.db, &s, &path_param(req, "leaseId")?, p).await?)
}

/// Adds a charge (rent, late fee, deposit, utility, fee, or a credit, which is applied at once
/// to what is open). Requires an `Idempotency-Key` header.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/charges", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per charge or payment; a retry with the same key and body answers the first response (`Idempotent-Replayed: true`), another body 422, a request still in flight 409", pattern = "^[!-~]{1,255}$")), request_body = CreateCharge,
    responses((status = 201, body = Charge), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let key = idempotent::required_key(req)?;
    let input: CreateCharge = json_body(req)?;
    let lease = path_param(req, "leaseId")?;
    let s_ref = &s;
    idempotent::run(app, req, &s, &key, |claim| async move {
        json(201, &service::create_charge(&app.db, s_ref, &lease, input, Some(&claim)).await?)
    })
    .await
}

async fn action(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let raw = path_param(req, "chargeId")?;
    match raw.split_once(':') {
        Some((id, "void")) => void(app, req, &s, id).await,
        _ => Err(ApiError::not_found("route")),
    }
}

/// Voids a charge with a reversing entry; what was allocated to it returns to its payments as
/// unapplied credit. The charge stays in history.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/charges/{chargeId}:void", tag = "billing",
    params(("orgId" = String, Path), ("chargeId" = String, Path)), request_body = Option<VoidCharge>,
    responses((status = 200, body = Charge), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn void(app: &App, req: &Request, s: &portfolio::platform::scope::OrgScope, id: &str) -> ApiResult {
    let input: VoidCharge = json_body_or_default(req)?;
    json(200, &service::void_charge(&app.db, s, id, input).await?)
}

/// Settles the deposit after move-out: itemized deductions, what is left applied to open
/// charges (unless `applyToBalance` is false), and the rest refunded.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/deposit-settlement", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path)), request_body = SettleDeposit,
    responses((status = 201, body = DepositSettlement), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn settle_deposit(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let input: SettleDeposit = json_body(req)?;
    json(201, &service::settle_deposit(&app.db, &s, &path_param(req, "leaseId")?, input).await?)
}

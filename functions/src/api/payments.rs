//! `api-payments`: a lease's payments (with allocation), reversing or clearing a payment, and
//! applying a payment's unapplied credit.
//!
//! `…/payments/{paymentId}:reverse|:clear` arrive on `POST …/payments/{paymentId}` (path
//! parameters span whole segments), so `{paymentId}` carries `pay_…:verb` and is split here.

use super::{idempotent, list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::billing::model::{ApplyCredit, CreatePayment, Payment, ReversePayment};
use portfolio::billing::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, path_param, ApiError, ApiResult, Problem};
use portfolio::platform::scope::{Action, OrgScope};
use portfolio::platform::App;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/leases/{leaseId}/payments";
pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/leases/{leaseId}/payments";
pub const ACTION: &str = "POST /api/v1/orgs/{orgId}/payments/{paymentId}";
pub const ALLOCATE: &str = "POST /api/v1/orgs/{orgId}/payments/{paymentId}/allocations";
pub const ROUTES: &[&str] = &[LIST, CREATE, ACTION, ALLOCATE];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_payments(app, &req).await,
            CREATE => create(app, &req).await,
            ACTION => action(app, &req).await,
            ALLOCATE => allocate(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// The lease's payments, by date received.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/payments", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Payment>)), (status = 404, body = Problem)))]
pub async fn list_payments(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_payments(&app.db, &s, &path_param(req, "leaseId")?, p).await?)
}

/// Records a payment and allocates it: `auto` (oldest due first, rent before fees), explicit
/// `[{"chargeId", "amount"}]`, or `none`; the rest stays unapplied credit. Requires an
/// `Idempotency-Key`: a retry with the same key and body answers the first response.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/payments", tag = "billing",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per charge or payment; a retry with the same key and body answers the first response (`Idempotent-Replayed: true`), another body 422, a request still in flight 409", pattern = "^[!-~]{1,255}$")), request_body = CreatePayment,
    responses((status = 201, body = Payment), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let key = idempotent::required_key(req)?;
    let input: CreatePayment = json_body(req)?;
    let lease = path_param(req, "leaseId")?;
    // The same key always names the same payment, so a retry after a crash cannot add another.
    let id = service::payment_id_for_key(&s, &lease, &key);
    let s_ref = &s;
    idempotent::run(app, req, &s, &key, |claim| async move {
        json(201, &service::record_payment(&app.db, s_ref, &lease, input, id, Some(&claim)).await?)
    })
    .await
}

async fn action(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let raw = path_param(req, "paymentId")?;
    match raw.split_once(':') {
        Some((id, "reverse")) => reverse(app, req, &s, id).await,
        Some((id, "clear")) => clear(app, &s, id).await,
        _ => Err(ApiError::not_found("route")),
    }
}

/// Reverses a payment (a bounced check): its allocations are reversed, the charges it paid are
/// open again, and a reversing entry takes it off the ledger.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/payments/{paymentId}:reverse", tag = "billing",
    params(("orgId" = String, Path), ("paymentId" = String, Path)), request_body = Option<ReversePayment>,
    responses((status = 200, body = Payment), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reverse(app: &App, req: &Request, s: &OrgScope, id: &str) -> ApiResult {
    let input: ReversePayment = json_body_or_default(req)?;
    json(200, &service::reverse_payment(&app.db, s, id, input).await?)
}

/// A pending payment (ACH or card in flight) has cleared.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/payments/{paymentId}:clear", tag = "billing",
    params(("orgId" = String, Path), ("paymentId" = String, Path)),
    responses((status = 200, body = Payment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn clear(app: &App, s: &OrgScope, id: &str) -> ApiResult {
    json(200, &service::clear_payment(&app.db, s, id).await?)
}

/// Applies the payment's unapplied credit to open charges (`auto` or explicit); answers the
/// payment with the allocations made.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/payments/{paymentId}/allocations", tag = "billing",
    params(("orgId" = String, Path), ("paymentId" = String, Path)), request_body = Option<ApplyCredit>,
    responses((status = 201, body = Payment), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn allocate(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::LedgerWrite).await?;
    let input: ApplyCredit = json_body_or_default(req)?;
    json(201, &service::apply_credit(&app.db, &s, &path_param(req, "paymentId")?, input).await?)
}

//! `api-integrations`: the org's connection to Stripe (Connect) and tenant payments started as
//! PaymentIntents on it. Calls to Stripe go through the client's circuit breaker: while it is
//! open the answer is 503 with `Retry-After`, and Stripe is not called.

use super::route::Call;
use portfolio::integrations::stripe::connection::{self, ConnectStripe, StripeConnection};
use portfolio::integrations::stripe::payment_intents::{self, CreatePaymentIntent, PaymentIntentAnswer};
use portfolio::platform::http::{json, json_body, no_content, ApiResult, Problem};

crate::routes! {
    org(IntegrationRead) get_stripe,
    org(IntegrationManage) connect_stripe,
    org(IntegrationManage) disconnect_stripe,
    org(LedgerWrite, keyed) create_payment_intent,
}

/// The org's Stripe connection (`status: not_connected` when there is none).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/integrations/stripe", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 200, body = StripeConnection), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_stripe(c: Call<'_>) -> ApiResult {
    json(200, &connection::get_connection(&c.cx).await?)
}

/// Connects the org's Stripe account (Connect): Stripe must know the account and let the platform
/// act for it (else 400 naming `accountId`). One account belongs to one org (409 otherwise).
#[utoipa::path(put, path = "/api/v1/orgs/{orgId}/integrations/stripe", tag = "integrations",
    params(("orgId" = String, Path)), request_body = ConnectStripe,
    responses((status = 200, body = StripeConnection), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn connect_stripe(c: Call<'_>) -> ApiResult {
    let input: ConnectStripe = json_body(c.req)?;
    json(200, &connection::connect(&c.cx, c.app.stripe(), input).await?)
}

/// Disconnects it: no new payments through it; every payment taken stays on the ledgers.
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/integrations/stripe", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn disconnect_stripe(c: Call<'_>) -> ApiResult {
    connection::disconnect(&c.cx).await?;
    no_content()
}

/// Starts a tenant payment as a PaymentIntent on the org's Stripe account (card, or ACH
/// `us_bank_account` in USD); `Idempotency-Key` is required and passed through to Stripe. Nothing
/// is booked until Stripe's webhook reports the money moving.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/payment-intents", tag = "integrations",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per payment, passed through to Stripe; a retry with the same key and body answers the first response", pattern = "^[!-~]{1,255}$")),
    request_body = CreatePaymentIntent,
    responses((status = 201, body = PaymentIntentAnswer), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn create_payment_intent(c: Call<'_>) -> ApiResult {
    let input: CreatePaymentIntent = json_body(c.req)?;
    let keyed = c.keyed();
    let lease = c.param("leaseId")?;
    let answer =
        payment_intents::create_payment_intent(&c.cx, c.app.stripe(), &lease, input, (&keyed.key, &keyed.claim))
            .await?;
    json(201, &answer)
}

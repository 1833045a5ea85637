//! `webhook-stripe`: Stripe's events for the orgs' connected accounts. A bad or stale signature
//! is a 400 and nothing is written; a verified event is handled once
//! (`portfolio::integrations::stripe::webhook`) and answered 200 with what was done; a failure
//! to handle it is a 500, so Stripe delivers it again.

use lambda_http::Request;
use portfolio::integrations::stripe::{signature, webhook};
use portfolio::platform::http::{body_bytes, json, ApiError, ApiResult, Problem};
use portfolio::platform::{clock, App};

crate::routes! {
    public receive,
}

/// A Stripe event (Connect: `account` names the org's connected account), signed with
/// `Stripe-Signature: t=…,v1=…` (HMAC-SHA256 over `"<t>.<body>"`, 300 s tolerance; any `v1`
/// may match while the signing secret rotates). Idempotent by the event's id.
#[utoipa::path(post, path = "/webhooks/stripe", tag = "integrations", security(()),
    params(("Stripe-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256>")),
    request_body(content = serde_json::Value, description = "A Stripe event", content_type = "application/json"),
    responses((status = 200, body = inline(webhook::Outcome)), (status = 400, body = Problem)))]
pub async fn receive(app: &App, req: &Request) -> ApiResult {
    let header = req.headers().get(signature::HEADER).and_then(|v| v.to_str().ok());
    let now = clock::now();
    let event = webhook::verify(header, body_bytes(req), &app.config.stripe.webhook_secrets, now)
        .map_err(|e| ApiError::validation(vec![portfolio::FieldError::new(signature::HEADER, e.to_string())]))?;
    let outcome = webhook::handle(&app.db, app.stripe(), &event, now).await.map_err(|e| {
        tracing::error!(event = %event.id, error = %e, "a Stripe event could not be handled; Stripe will retry");
        ApiError::from(e)
    })?;
    tracing::info!(event = %event.id, r#type = %event.type_, outcome = ?outcome, "Stripe event");
    json(200, &outcome)
}

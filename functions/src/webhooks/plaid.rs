//! `webhook-plaid`: Plaid's webhooks for the orgs' Items. A missing, forged or stale
//! `Plaid-Verification` JWT, or a body other than the one it was issued for, is a 400 and nothing
//! is written; a verified `SYNC_UPDATES_AVAILABLE` queues a sync (`portfolio::banking::webhook`).

use lambda_http::Request;
use portfolio::banking::webhook::{self, Outcome, WebhookError};
use portfolio::integrations::plaid::verification::{VerifyError, HEADER};
use portfolio::platform::http::{body_bytes, json, ApiError, ApiResult, Problem};
use portfolio::platform::{clock, App};

crate::routes! {
    public receive,
}

/// A Plaid webhook, signed with `Plaid-Verification` (an ES256 JWT: the key fetched by `kid`
/// and cached, `iat` within five minutes, `request_body_sha256` the SHA-256 of the raw body).
#[utoipa::path(post, path = "/webhooks/plaid", tag = "integrations", security(()),
    params(("Plaid-Verification" = String, Header, description = "A JWT (ES256) whose claims are iat and request_body_sha256")),
    request_body(content = serde_json::Value, description = "A Plaid webhook", content_type = "application/json"),
    responses((status = 200, body = inline(Outcome)), (status = 400, body = Problem), (status = 502, body = Problem)))]
pub async fn receive(app: &App, req: &Request) -> ApiResult {
    let header = req.headers().get(HEADER).and_then(|v| v.to_str().ok());
    let handled = webhook::handle(&app.db, app.plaid(), app.plaid_keys(), (header, body_bytes(req)), clock::now())
        .await
        .map_err(|e| match e {
            // Plaid's key server did not answer: not the sender's fault.
            WebhookError::Verification(VerifyError::KeyUnavailable(why)) => {
                ApiError::from(portfolio::Error::Upstream(format!("Plaid's verification key: {why}")))
            }
            e => ApiError::validation(vec![portfolio::FieldError::new(HEADER, e.to_string())]),
        })?;
    let outcome = handled.map_err(|e| {
        tracing::error!(error = %e, "a verified Plaid webhook could not be acted on");
        ApiError::from(e)
    })?;
    tracing::info!(outcome = ?outcome, "Plaid webhook");
    json(200, &outcome)
}

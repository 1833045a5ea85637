//! `Idempotency-Key` for routes that move money: the first request with a key runs and its
//! response is stored in the same transaction as its write; the same key and body replays that
//! response (`Idempotent-Replayed: true`) without a second write; the same key with another body
//! is 422; a duplicate while the first is still running is 409. A failed request releases its
//! claim so the client may retry with the same key.

use lambda_http::{Body, Request, Response};
use portfolio::platform::auth::OrgScope;
use portfolio::platform::http::{body_bytes, ApiError, ApiResult};
use portfolio::platform::idempotency::{self, Begin, Claim};
use portfolio::platform::App;
use std::future::Future;

pub const HEADER: &str = "Idempotency-Key";

/// The request's key, if it sent one (400 when malformed).
pub fn key(req: &Request) -> Result<Option<String>, ApiError> {
    match req.headers().get(HEADER) {
        None => Ok(None),
        Some(v) => {
            let k = v.to_str().map_err(|_| ApiError::bad_request("Idempotency-Key must be visible ASCII"))?;
            if !idempotency::valid_key(k) {
                return Err(ApiError::bad_request("Idempotency-Key must be 1–255 visible ASCII characters"));
            }
            Ok(Some(k.to_owned()))
        }
    }
}

/// Runs `work` at most once per key (see the module docs).
pub async fn run<'a, F, Fut>(app: &'a App, req: &'a Request, scope: &'a OrgScope, work: F) -> ApiResult
where
    F: FnOnce(Option<Claim>) -> Fut,
    Fut: Future<Output = ApiResult>,
{
    let Some(key) = key(req)? else { return work(None).await };
    let route = format!("{} {}", req.method(), req.uri().path());
    let hash = idempotency::request_hash(body_bytes(req));
    let now = chrono::Utc::now().timestamp();
    match idempotency::begin(&app.db, scope, &route, &key, &hash, now).await.map_err(ApiError::from)? {
        Begin::Proceed(claim) => {
            let res = work(Some(claim.clone())).await;
            if res.is_err() {
                if let Err(e) = claim.release(&app.db).await {
                    tracing::warn!(error = %e, "could not release an idempotency claim; it expires on its own");
                }
            }
            res
        }
        Begin::Replay { status, body } => Ok(Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("idempotent-replayed", "true")
            .body(Body::Text(body))
            .expect("valid response")),
        Begin::InFlight => {
            Err(ApiError::conflict("a request with this Idempotency-Key is still being processed; retry shortly"))
        }
        Begin::Mismatch => Err(ApiError::unprocessable("this Idempotency-Key was used with a different request body")),
    }
}

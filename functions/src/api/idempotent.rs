//! `Idempotency-Key` for routes that move money: a request with a key runs and its response is
//! stored in the same transaction as its write, under the condition that the key is still free
//! (no write before the work, so a payment costs no extra round trip); the same key and body
//! replays that response (`Idempotent-Replayed: true`) without a second write; the same key with
//! another body is 422. Duplicates sent at the same time all run, exactly one commits, and the
//! others answer its response; a request that failed wrote nothing, so the client may retry with
//! the same key. POSTs that create money (charges, payments) require a key (`required_key`).

use lambda_http::{Body, Request, Response};
use portfolio::platform::ctx::Ctx;
use portfolio::platform::http::{body_bytes, ApiError, ApiResult};
use portfolio::platform::idempotency::{self, Begin, Claim};
use portfolio::platform::App;
use portfolio::FieldError;
use std::future::Future;

pub const HEADER: &str = "Idempotency-Key";

fn header_error(message: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(HEADER, message)])
}

/// The request's key, which a POST that creates money must send (400 naming the header when it
/// is absent or malformed): without one, a retry after a lost response records the money twice.
pub fn required_key(req: &Request) -> Result<String, ApiError> {
    match req.headers().get(HEADER).map(|v| v.to_str()) {
        None => Err(header_error(
            "required: a unique key per payment or charge (1–255 visible ASCII characters); resend the same key to retry",
        )),
        Some(Ok(k)) if idempotency::valid_key(k) => Ok(k.to_owned()),
        Some(_) => Err(header_error("must be 1–255 visible ASCII characters")),
    }
}

/// Runs `work` at most once for `key` (see the module docs); for routes where the key is
/// required (`required_key`). The claim joins the work's own transaction (no write before the
/// work): when another request with the key completed first, this one's write did not happen
/// and it answers that request's response (or 422 for another body).
pub async fn run<'a, F, Fut>(app: &'a App, req: &'a Request, cx: &Ctx<'a>, key: &str, work: F) -> ApiResult
where
    F: FnOnce(Claim) -> Fut,
    Fut: Future<Output = ApiResult>,
{
    let route = format!("{} {}", req.method(), req.uri().path());
    let hash = idempotency::request_hash(body_bytes(req));
    let claim = Claim::joined(cx.scope, &route, key, &hash, cx.now.timestamp());
    match work(claim.clone()).await {
        Err(e) if e.is_key_taken() => answer(idempotency::lookup(&app.db, &claim).await.map_err(ApiError::from)?),
        res => res,
    }
}

/// The answer to a request whose key another request used.
fn answer(begin: Begin) -> ApiResult {
    match begin {
        Begin::Replay { status, body } => Ok(Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("idempotent-replayed", "true")
            .body(Body::Text(body))
            .expect("valid response")),
        Begin::InFlight | Begin::Proceed(_) => {
            Err(ApiError::conflict("a request with this Idempotency-Key is still being processed; retry shortly"))
        }
        Begin::Mismatch => Err(ApiError::unprocessable("this Idempotency-Key was used with a different request body")),
    }
}

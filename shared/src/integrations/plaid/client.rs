//! The Plaid port and its production adapter: Plaid's JSON wire format (`POST` with `client_id`
//! and `secret` in the body, `{error_type, error_code, error_message, …}` refusals).
//! `PLAID_API_BASE` points it at the local fake (`infra/fakes/plaid_server.py`) in `make dev` and
//! the tests; in AWS it is `https://production.plaid.com`. Calls go through the client's circuit
//! breaker like Stripe's.

use crate::integrations::breaker::{Breaker, BreakerConfig};
use crate::ports::PortFuture;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Why a Plaid call did not give an answer to act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaidError {
    #[error("Plaid is unavailable (circuit open); retry in {retry_after_secs} s")]
    Unavailable { retry_after_secs: u64 },
    #[error("Plaid did not answer: {0}")]
    Failed(String),
    /// Plaid answered and refused the request: its `error_type` and `error_code`.
    #[error("Plaid refused the request ({error_type} {error_code}): {message}")]
    Refused { status: u16, error_type: String, error_code: String, message: String },
}

/// A webhook verification key (a JWK), as `/webhook_verification_key/get` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VerificationKey {
    pub kid: String,
    pub kty: String,
    pub crv: String,
    pub alg: String,
    pub x: String,
    pub y: String,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub expired_at: Option<i64>,
}

/// The calls the product makes to Plaid.
pub trait PlaidApi: Send + Sync {
    /// The key a webhook's JWT names; None when Plaid does not know it.
    fn webhook_verification_key<'a>(
        &'a self,
        kid: &'a str,
    ) -> PortFuture<'a, Result<Option<VerificationKey>, PlaidError>>;
}

#[derive(Debug, Clone)]
pub struct PlaidConfig {
    pub api_base: String,
    pub client_id: String,
    pub secret: String,
    pub timeout: Duration,
    pub breaker: BreakerConfig,
}

pub struct HttpPlaid {
    http: reqwest::Client,
    config: PlaidConfig,
    breaker: Breaker,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error_type: String,
    #[serde(default)]
    error_code: String,
    #[serde(default)]
    error_message: String,
}

#[derive(Deserialize)]
struct KeyAnswer {
    key: VerificationKey,
}

impl HttpPlaid {
    pub fn new(config: PlaidConfig) -> HttpPlaid {
        crate::platform::tls::install_provider();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client builds");
        let breaker = Breaker::new(config.breaker);
        HttpPlaid { http, config, breaker }
    }

    /// `POST <path>` with the credentials added to `body`, through the breaker.
    async fn call<T: serde::de::DeserializeOwned>(&self, path: &str, mut body: Value) -> Result<T, PlaidError> {
        let permit = self
            .breaker
            .admit(Instant::now())
            .map_err(|open| PlaidError::Unavailable { retry_after_secs: open.retry_after_secs() })?;
        body["client_id"] = json!(self.config.client_id);
        body["secret"] = json!(self.config.secret);
        let url = format!("{}{path}", self.config.api_base.trim_end_matches('/'));
        let result = send::<T>(self.http.post(url).json(&body)).await;
        self.breaker.record(permit, !matches!(result, Err(PlaidError::Failed(_))), Instant::now());
        result
    }
}

async fn send<T: serde::de::DeserializeOwned>(req: reqwest::RequestBuilder) -> Result<T, PlaidError> {
    let res = req.send().await.map_err(|e| PlaidError::Failed(e.without_url().to_string()))?;
    let status = res.status().as_u16();
    let body = res.bytes().await.map_err(|e| PlaidError::Failed(e.without_url().to_string()))?;
    if status == 429 || status >= 500 {
        return Err(PlaidError::Failed(format!("HTTP {status}")));
    }
    if status >= 400 {
        let e = serde_json::from_slice::<ErrorBody>(&body).unwrap_or(ErrorBody {
            error_type: String::new(),
            error_code: String::new(),
            error_message: format!("HTTP {status}"),
        });
        return Err(PlaidError::Refused {
            status,
            error_type: e.error_type,
            error_code: e.error_code,
            message: e.error_message,
        });
    }
    serde_json::from_slice(&body).map_err(|e| PlaidError::Failed(format!("an answer we cannot read: {e}")))
}

impl PlaidApi for HttpPlaid {
    fn webhook_verification_key<'a>(
        &'a self,
        kid: &'a str,
    ) -> PortFuture<'a, Result<Option<VerificationKey>, PlaidError>> {
        Box::pin(async move {
            match self.call::<KeyAnswer>("/webhook_verification_key/get", json!({ "key_id": kid })).await {
                Ok(a) => Ok(Some(a.key)),
                Err(PlaidError::Refused { error_type, .. }) if error_type == "INVALID_INPUT" => Ok(None),
                Err(e) => Err(e),
            }
        })
    }
}

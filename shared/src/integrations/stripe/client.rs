//! The Stripe port and its production adapter: Stripe's own wire format (form-encoded requests
//! with bracket notation, `Authorization: Bearer <secret key>`, `Stripe-Account` for the org's
//! connected account, `Idempotency-Key` passed through, JSON answers and `{"error": {…}}`
//! refusals). `STRIPE_API_BASE` points it at the local fake (`infra/fakes/stripe_server.py`) in
//! `make dev` and the tests; in AWS it is `https://api.stripe.com`. Every call goes through the
//! client's circuit breaker (`integrations::breaker`).

use crate::integrations::breaker::{Breaker, BreakerConfig};
use crate::ports::PortFuture;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// Why a Stripe call did not give an answer to act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StripeError {
    /// The breaker is open: no call was made.
    #[error("Stripe is unavailable (circuit open); retry in {retry_after_secs} s")]
    Unavailable { retry_after_secs: u64 },
    /// No usable answer: transport error, timeout, 5xx or 429.
    #[error("Stripe did not answer: {0}")]
    Failed(String),
    /// Stripe answered and refused the request (4xx): its own error.
    #[error("Stripe refused the request ({status}): {message}")]
    Refused { status: u16, code: Option<String>, param: Option<String>, message: String },
}

/// A connected account, as far as we use it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConnectedAccount {
    pub id: String,
    #[serde(default)]
    pub charges_enabled: bool,
    #[serde(default)]
    pub payouts_enabled: bool,
    #[serde(default)]
    pub default_currency: Option<String>,
}

/// What we ask Stripe to create (amounts in minor units, the currency lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPaymentIntent {
    pub amount: i64,
    pub currency: String,
    pub payment_method_types: Vec<String>,
    /// `metadata[...]`: the org, the lease and our payment's id, so each webhook finds its way.
    pub metadata: Vec<(String, String)>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    #[serde(default)]
    pub client_secret: Option<String>,
}

/// One balance transaction of a payout (`GET /v1/balance_transactions?payout=`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BalanceTransaction {
    pub id: String,
    pub amount: i64,
    pub fee: i64,
    pub net: i64,
    pub currency: String,
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// The calls the product makes to Stripe (`account` is the org's connected account).
pub trait StripeApi: Send + Sync {
    fn retrieve_account<'a>(&'a self, account: &'a str) -> PortFuture<'a, Result<ConnectedAccount, StripeError>>;
    fn create_payment_intent<'a>(
        &'a self,
        account: &'a str,
        intent: &'a NewPaymentIntent,
        idempotency_key: &'a str,
    ) -> PortFuture<'a, Result<PaymentIntent, StripeError>>;
    /// Every balance transaction a payout paid out (all pages), the payout's own excluded.
    fn payout_transactions<'a>(
        &'a self,
        account: &'a str,
        payout: &'a str,
    ) -> PortFuture<'a, Result<Vec<BalanceTransaction>, StripeError>>;
}

/// How the adapter reaches Stripe.
#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub api_base: String,
    pub secret_key: String,
    pub timeout: Duration,
    pub breaker: BreakerConfig,
}

/// The production adapter (reqwest, rustls).
pub struct HttpStripe {
    http: reqwest::Client,
    config: StripeConfig,
    breaker: Breaker,
}

const API_VERSION: &str = "2024-06-20";

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    param: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct List<T> {
    data: Vec<T>,
    has_more: bool,
}

impl HttpStripe {
    pub fn new(config: StripeConfig) -> HttpStripe {
        crate::platform::tls::install_provider();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client builds");
        let breaker = Breaker::new(config.breaker);
        HttpStripe { http, config, breaker }
    }

    /// One call through the breaker: the request as built, its JSON answer decoded as `T`.
    async fn call<T: serde::de::DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, StripeError> {
        let permit = self
            .breaker
            .admit(Instant::now())
            .map_err(|open| StripeError::Unavailable { retry_after_secs: open.retry_after_secs() })?;
        let result = send::<T>(req.bearer_auth(&self.config.secret_key).header("Stripe-Version", API_VERSION)).await;
        let ok = !matches!(result, Err(StripeError::Failed(_)));
        self.breaker.record(permit, ok, Instant::now());
        result
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.api_base.trim_end_matches('/'))
    }
}

async fn send<T: serde::de::DeserializeOwned>(req: reqwest::RequestBuilder) -> Result<T, StripeError> {
    let res = req.send().await.map_err(|e| StripeError::Failed(without_url(e).to_string()))?;
    let status = res.status().as_u16();
    let body = res.bytes().await.map_err(|e| StripeError::Failed(without_url(e).to_string()))?;
    if status == 429 || status >= 500 {
        return Err(StripeError::Failed(format!("HTTP {status}")));
    }
    if status >= 400 {
        let detail = serde_json::from_slice::<ErrorBody>(&body).ok().map(|b| b.error);
        return Err(StripeError::Refused {
            status,
            code: detail.as_ref().and_then(|d| d.code.clone()),
            param: detail.as_ref().and_then(|d| d.param.clone()),
            message: detail.and_then(|d| d.message).unwrap_or_else(|| format!("HTTP {status}")),
        });
    }
    serde_json::from_slice(&body).map_err(|e| StripeError::Failed(format!("an answer we cannot read: {e}")))
}

/// reqwest's errors name the URL; the base is configuration, not worth repeating in problems.
fn without_url(e: reqwest::Error) -> reqwest::Error {
    e.without_url()
}

/// A PaymentIntent's form fields in Stripe's bracket notation.
fn intent_form(intent: &NewPaymentIntent) -> Vec<(String, String)> {
    let mut form = vec![
        ("amount".to_owned(), intent.amount.to_string()),
        ("currency".to_owned(), intent.currency.to_lowercase()),
        ("description".to_owned(), intent.description.clone()),
    ];
    form.extend(intent.payment_method_types.iter().map(|t| ("payment_method_types[]".to_owned(), t.clone())));
    form.extend(intent.metadata.iter().map(|(k, v)| (format!("metadata[{k}]"), v.clone())));
    form
}

impl StripeApi for HttpStripe {
    fn retrieve_account<'a>(&'a self, account: &'a str) -> PortFuture<'a, Result<ConnectedAccount, StripeError>> {
        Box::pin(async move { self.call(self.http.get(self.url(&format!("/v1/accounts/{account}")))).await })
    }

    fn create_payment_intent<'a>(
        &'a self,
        account: &'a str,
        intent: &'a NewPaymentIntent,
        idempotency_key: &'a str,
    ) -> PortFuture<'a, Result<PaymentIntent, StripeError>> {
        Box::pin(async move {
            let req = self
                .http
                .post(self.url("/v1/payment_intents"))
                .header("Stripe-Account", account)
                .header("Idempotency-Key", idempotency_key)
                .form(&intent_form(intent));
            self.call(req).await
        })
    }

    fn payout_transactions<'a>(
        &'a self,
        account: &'a str,
        payout: &'a str,
    ) -> PortFuture<'a, Result<Vec<BalanceTransaction>, StripeError>> {
        Box::pin(async move {
            let mut all: Vec<BalanceTransaction> = Vec::new();
            loop {
                let mut query = vec![("payout", payout.to_owned()), ("limit", "100".to_owned())];
                if let Some(last) = all.last() {
                    query.push(("starting_after", last.id.clone()));
                }
                let req = self.http.get(self.url("/v1/balance_transactions")).header("Stripe-Account", account);
                let page: List<BalanceTransaction> = self.call(req.query(&query)).await?;
                let more = page.has_more && !page.data.is_empty();
                all.extend(page.data);
                if !more {
                    break;
                }
            }
            all.retain(|t| t.type_ != "payout");
            Ok(all)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_intent_is_sent_in_brackets() {
        let form = intent_form(&NewPaymentIntent {
            amount: 150_000,
            currency: "USD".into(),
            payment_method_types: vec!["card".into(), "us_bank_account".into()],
            metadata: vec![("lease_id".into(), "lse_1".into())],
            description: "Rent".into(),
        });
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("amount", "150000"),
                ("currency", "usd"),
                ("description", "Rent"),
                ("payment_method_types[]", "card"),
                ("payment_method_types[]", "us_bank_account"),
                ("metadata[lease_id]", "lse_1"),
            ]
        );
    }
}

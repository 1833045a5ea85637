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

/// A Link token for the SPA (`/link/token/create`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LinkToken {
    pub link_token: String,
    pub expiration: String,
}

/// What a public token was exchanged for (`/item/public_token/exchange`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Exchanged {
    pub access_token: String,
    pub item_id: String,
}

/// A depository account of an Item (`/accounts/get`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlaidAccount {
    pub account_id: String,
    pub name: String,
    #[serde(default)]
    pub mask: Option<String>,
    #[serde(default)]
    pub subtype: Option<String>,
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
}

/// An Item's accounts and its institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAccounts {
    pub institution_name: Option<String>,
    pub accounts: Vec<PlaidAccount>,
}

/// A transaction of `/transactions/sync` (the fields the product uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SyncTransaction {
    pub transaction_id: String,
    pub account_id: String,
    /// Plaid's sign: positive when money leaves the account, negative when it comes in. Read
    /// from the JSON number's text, never through a float (`PlaidAmount`).
    pub amount: PlaidAmount,
    #[serde(default)]
    pub iso_currency_code: Option<String>,
    pub date: chrono::NaiveDate,
    pub name: String,
    #[serde(default)]
    pub merchant_name: Option<String>,
    #[serde(default)]
    pub pending: bool,
    #[serde(default)]
    pub pending_transaction_id: Option<String>,
    #[serde(default)]
    pub payment_meta: Option<PaymentMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct PaymentMeta {
    #[serde(default)]
    pub reference_number: Option<String>,
}

/// A JSON number kept as its decimal text (`12.34`): serde_json writes and reads numbers with at
/// most 17 significant digits losslessly as text, and the text is what Plaid sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaidAmount(pub String);

impl<'de> Deserialize<'de> for PlaidAmount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        Ok(PlaidAmount(n.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RemovedTransaction {
    pub transaction_id: String,
}

/// One page of `/transactions/sync`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SyncPage {
    #[serde(default)]
    pub added: Vec<SyncTransaction>,
    #[serde(default)]
    pub modified: Vec<SyncTransaction>,
    #[serde(default)]
    pub removed: Vec<RemovedTransaction>,
    pub next_cursor: String,
    pub has_more: bool,
}

/// Plaid's error code for a sync whose data changed between pages: restart from the run's first
/// cursor.
pub const MUTATION_DURING_PAGINATION: &str = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION";

/// The calls the product makes to Plaid.
pub trait PlaidApi: Send + Sync {
    /// The key a webhook's JWT names; None when Plaid does not know it.
    fn webhook_verification_key<'a>(
        &'a self,
        kid: &'a str,
    ) -> PortFuture<'a, Result<Option<VerificationKey>, PlaidError>>;

    /// A Link token for `client_user_id` (the org), its Items' webhooks sent to `webhook`.
    fn link_token<'a>(
        &'a self,
        client_user_id: &'a str,
        webhook: Option<&'a str>,
    ) -> PortFuture<'a, Result<LinkToken, PlaidError>>;

    /// Exchanges Link's public token for the Item's access token.
    fn exchange_public_token<'a>(&'a self, public_token: &'a str) -> PortFuture<'a, Result<Exchanged, PlaidError>>;

    fn accounts<'a>(&'a self, access_token: &'a str) -> PortFuture<'a, Result<ItemAccounts, PlaidError>>;

    /// One page of changes after `cursor` ("" = from the start).
    fn transactions_sync<'a>(
        &'a self,
        access_token: &'a str,
        cursor: &'a str,
        count: u32,
    ) -> PortFuture<'a, Result<SyncPage, PlaidError>>;

    /// Revokes the access token (the Item is gone at Plaid).
    fn remove_item<'a>(&'a self, access_token: &'a str) -> PortFuture<'a, Result<(), PlaidError>>;
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

#[derive(Deserialize)]
struct AccountsAnswer {
    accounts: Vec<PlaidAccount>,
    #[serde(default)]
    item: Option<ItemAnswer>,
}

#[derive(Deserialize)]
struct ItemAnswer {
    #[serde(default)]
    institution_name: Option<String>,
}

#[derive(Deserialize)]
struct Empty {}

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

    fn link_token<'a>(
        &'a self,
        client_user_id: &'a str,
        webhook: Option<&'a str>,
    ) -> PortFuture<'a, Result<LinkToken, PlaidError>> {
        Box::pin(async move {
            let mut body = json!({
                "client_name": "PortfolioOS",
                "language": "en",
                "country_codes": ["US"],
                "user": {"client_user_id": client_user_id},
                "products": ["transactions"],
            });
            if let Some(url) = webhook {
                body["webhook"] = json!(url);
            }
            self.call("/link/token/create", body).await
        })
    }

    fn exchange_public_token<'a>(&'a self, public_token: &'a str) -> PortFuture<'a, Result<Exchanged, PlaidError>> {
        Box::pin(async move { self.call("/item/public_token/exchange", json!({ "public_token": public_token })).await })
    }

    fn accounts<'a>(&'a self, access_token: &'a str) -> PortFuture<'a, Result<ItemAccounts, PlaidError>> {
        Box::pin(async move {
            let a: AccountsAnswer = self.call("/accounts/get", json!({ "access_token": access_token })).await?;
            Ok(ItemAccounts { institution_name: a.item.and_then(|i| i.institution_name), accounts: a.accounts })
        })
    }

    fn transactions_sync<'a>(
        &'a self,
        access_token: &'a str,
        cursor: &'a str,
        count: u32,
    ) -> PortFuture<'a, Result<SyncPage, PlaidError>> {
        Box::pin(async move {
            let mut body = json!({ "access_token": access_token, "count": count });
            if !cursor.is_empty() {
                body["cursor"] = json!(cursor);
            }
            self.call("/transactions/sync", body).await
        })
    }

    fn remove_item<'a>(&'a self, access_token: &'a str) -> PortFuture<'a, Result<(), PlaidError>> {
        Box::pin(async move {
            self.call::<Empty>("/item/remove", json!({ "access_token": access_token })).await.map(|_| ())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_the_decimal_text_plaid_sent() {
        let t: SyncTransaction = serde_json::from_str(
            r#"{"transaction_id":"t","account_id":"a","amount":-1550.1,"date":"2026-11-02","name":"x"}"#,
        )
        .unwrap();
        assert_eq!(t.amount, PlaidAmount("-1550.1".into()));
        let t: SyncTransaction = serde_json::from_str(
            r#"{"transaction_id":"t","account_id":"a","amount":0.07,"date":"2026-11-02","name":"x"}"#,
        )
        .unwrap();
        assert_eq!(t.amount.0, "0.07");
    }
}

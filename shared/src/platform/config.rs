//! Typed configuration from the environment the template sets on every function, split by the
//! capability that reads it: each part is what one port or one kind of function needs, so a
//! function's settings say what it uses.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub store: StoreConfig,
    pub api: ApiConfig,
    pub events: EventsConfig,
    pub jobs: JobsConfig,
    pub webhooks: WebhooksConfig,
    pub notify: NotifyConfig,
    pub stripe: StripeSettings,
    pub plaid: PlaidSettings,
    pub sftp: SftpSettings,
}

/// The table, the bucket and how to reach AWS.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub table_name: String,
    pub bucket_name: String,
    /// The receipts bucket (expense receipts, read by Textract).
    pub receipts_bucket_name: Option<String>,
    /// The imports bucket (CSV files uploaded for import).
    pub imports_bucket_name: Option<String>,
    /// `TEXTRACT_ENDPOINT_URL`: a local stand-in for Textract (unset in AWS).
    pub textract_endpoint_url: Option<String>,
    /// `AWS_ENDPOINT_URL`: an emulator locally, unset in AWS.
    pub endpoint_url: Option<String>,
    pub region: String,
    /// Path-style S3 URLs (`endpoint/bucket/key`), for S3-compatible endpoints without
    /// virtual-host DNS; AWS itself uses virtual-host style.
    pub s3_force_path_style: bool,
}

/// The HTTP edge.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Key for signing paging cursors (from Secrets Manager/SSM in AWS).
    pub cursor_secret: Vec<u8>,
    /// How long a warm function trusts a membership it looked up (reads only; writes re-check).
    pub membership_cache_ttl: Duration,
}

/// The outbox relay's bus.
#[derive(Debug, Clone)]
pub struct EventsConfig {
    pub bus_name: String,
    /// The books' FIFO queue (one message group per org), fed by the relay.
    pub books_queue_url: Option<String>,
    /// The KMS key vendors' tax ids are encrypted with (api-vendors only).
    pub vendor_tax_id_key_id: Option<String>,
}

/// Per-org jobs.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// The queue a job's scheduler sends one message per org to (the job functions only).
    pub queue_url: Option<String>,
}

/// Webhook endpoints and deliveries.
#[derive(Debug, Clone)]
pub struct WebhooksConfig {
    /// The queue of webhook delivery attempts (the dispatcher only).
    pub delivery_queue_url: Option<String>,
    /// First retry delay of a failed webhook delivery; later ones double.
    pub retry_base_secs: u32,
    /// Let webhooks reach loopback addresses (127.0.0.0/8, ::1) over http: local development
    /// only. Other private, link-local and special addresses stay refused.
    pub allow_private: bool,
    /// The KMS key webhook signing secrets are encrypted with (the webhook functions only).
    pub secrets_key_id: Option<String>,
}

/// Stripe (the functions that call it or take its webhooks). The platform's secret key and
/// webhook signing secrets come from Secrets Manager in AWS (dynamic references in the template).
#[derive(Debug, Clone)]
pub struct StripeSettings {
    /// `STRIPE_API_BASE`: `https://api.stripe.com`, or the local fake.
    pub api_base: String,
    pub secret_key: Option<String>,
    /// `STRIPE_WEBHOOK_SECRETS`: comma-separated `whsec_…`; several while a secret rotates.
    pub webhook_secrets: Vec<String>,
    pub timeout: Duration,
    /// Consecutive failures that open the circuit breaker, and how long it stays open.
    pub breaker_failures: u32,
    pub breaker_open_for: Duration,
}

/// Plaid (the functions that call it or take its webhooks). The platform's client id and secret
/// come from Secrets Manager in AWS; each org's access tokens are encrypted with a KMS key.
#[derive(Debug, Clone)]
pub struct PlaidSettings {
    /// `PLAID_API_BASE`: `https://production.plaid.com`, or the local fake.
    pub api_base: String,
    pub client_id: Option<String>,
    pub secret: Option<String>,
    /// Where Plaid sends the Items' webhooks (our `/webhooks/plaid`), set on each Link token.
    pub webhook_url: Option<String>,
    /// The KMS key the Items' access tokens are encrypted with.
    pub tokens_key_id: Option<String>,
    /// Transactions asked for per `/transactions/sync` page (Plaid allows 1–500).
    pub sync_page_size: u32,
    pub timeout: Duration,
    pub breaker_failures: u32,
    pub breaker_open_for: Duration,
}

/// Orgs' SFTP servers (the functions that configure or poll them). Which hosts may be dialled is
/// the webhooks' rule (`WEBHOOKS_ALLOW_PRIVATE_TARGETS`: loopback in local development only).
#[derive(Debug, Clone)]
pub struct SftpSettings {
    /// The KMS key the orgs' private keys are encrypted with.
    pub keys_key_id: Option<String>,
    /// Each step of a poll (connect, list, one file) must finish within this.
    pub timeout: Duration,
}

/// Tenant notifications.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// The verified sender of tenant email.
    pub from_email: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("missing or invalid environment variable {0}")]
pub struct ConfigError(pub &'static str);

/// A positive number from `k`, or `default` when unset.
fn number<T: std::str::FromStr + PartialOrd + Default>(
    get: &impl Fn(&str) -> Option<String>,
    k: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(k).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v.parse().ok().filter(|n| *n > T::default()).ok_or(ConfigError(k)),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(|k| std::env::var(k).ok())
    }

    /// Reads the same variables from any source (devstack passes a function's resolved
    /// template environment, so the template's names are the ones the code reads).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |k: &'static str| get(k).filter(|v| !v.is_empty()).ok_or(ConfigError(k));
        let opt = |k: &str| get(k).filter(|v| !v.is_empty());
        let flag = |k: &str| get(k).is_some_and(|v| v == "true");
        let ttl = match get("MEMBERSHIP_CACHE_TTL_SECS") {
            Some(s) => s.parse().map_err(|_| ConfigError("MEMBERSHIP_CACHE_TTL_SECS"))?,
            None => 5,
        };
        let secret = var("CURSOR_SECRET")?;
        if secret.len() < 16 {
            return Err(ConfigError("CURSOR_SECRET"));
        }
        Ok(Config {
            store: StoreConfig {
                table_name: var("TABLE_NAME")?,
                bucket_name: var("BUCKET_NAME")?,
                receipts_bucket_name: opt("RECEIPTS_BUCKET_NAME"),
                imports_bucket_name: opt("IMPORTS_BUCKET_NAME"),
                textract_endpoint_url: opt("TEXTRACT_ENDPOINT_URL"),
                endpoint_url: opt("AWS_ENDPOINT_URL"),
                region: get("AWS_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
                s3_force_path_style: flag("S3_FORCE_PATH_STYLE"),
            },
            api: ApiConfig { cursor_secret: secret.into_bytes(), membership_cache_ttl: Duration::from_secs(ttl) },
            events: EventsConfig {
                bus_name: var("EVENT_BUS_NAME")?,
                books_queue_url: opt("BOOKS_QUEUE_URL"),
                vendor_tax_id_key_id: opt("VENDOR_TAX_ID_KEY_ID"),
            },
            jobs: JobsConfig { queue_url: opt("JOB_QUEUE_URL") },
            webhooks: WebhooksConfig {
                delivery_queue_url: opt("WEBHOOK_DELIVERY_QUEUE_URL"),
                retry_base_secs: match get("WEBHOOK_RETRY_BASE_SECS") {
                    Some(s) => s.parse().map_err(|_| ConfigError("WEBHOOK_RETRY_BASE_SECS"))?,
                    None => 30,
                },
                allow_private: flag("WEBHOOKS_ALLOW_PRIVATE_TARGETS"),
                secrets_key_id: opt("WEBHOOK_SECRETS_KEY_ID"),
            },
            notify: NotifyConfig { from_email: opt("NOTIFY_FROM_EMAIL") },
            stripe: StripeSettings {
                api_base: opt("STRIPE_API_BASE").unwrap_or_else(|| "https://api.stripe.com".to_owned()),
                secret_key: opt("STRIPE_SECRET_KEY"),
                webhook_secrets: opt("STRIPE_WEBHOOK_SECRETS")
                    .map(|s| s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect())
                    .unwrap_or_default(),
                timeout: Duration::from_millis(number(&get, "STRIPE_TIMEOUT_MS", 10_000)?),
                breaker_failures: number(&get, "STRIPE_BREAKER_FAILURES", 5)?,
                breaker_open_for: Duration::from_secs(number(&get, "STRIPE_BREAKER_OPEN_SECS", 30)?),
            },
            plaid: PlaidSettings {
                api_base: opt("PLAID_API_BASE").unwrap_or_else(|| "https://production.plaid.com".to_owned()),
                client_id: opt("PLAID_CLIENT_ID"),
                secret: opt("PLAID_SECRET"),
                webhook_url: opt("PLAID_WEBHOOK_URL"),
                tokens_key_id: opt("PLAID_TOKENS_KEY_ID"),
                sync_page_size: number(&get, "PLAID_SYNC_PAGE_SIZE", 250u32)?.min(500),
                timeout: Duration::from_millis(number(&get, "PLAID_TIMEOUT_MS", 10_000)?),
                breaker_failures: number(&get, "PLAID_BREAKER_FAILURES", 5)?,
                breaker_open_for: Duration::from_secs(number(&get, "PLAID_BREAKER_OPEN_SECS", 30)?),
            },
            sftp: SftpSettings {
                keys_key_id: opt("SFTP_KEYS_KEY_ID"),
                timeout: Duration::from_secs(number(&get, "SFTP_TIMEOUT_SECS", 30)?),
            },
        })
    }

    /// The SDK config every client is built from; honours `endpoint_url` for emulators. All
    /// clients share one HTTPS client, so the trust roots are loaded and parsed once per cold
    /// start (each client would otherwise build its own connector and load them again).
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider, TlsContext};
        let tls = TlsContext::builder().with_trust_store(trust_store()).build().expect("a TLS context");
        let https = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .tls_context(tls)
            .build_https();
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(https)
            .region(aws_config::Region::new(self.store.region.clone()));
        if let Some(url) = &self.store.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }
}

/// The trust roots: the system's CA bundle, read as one file (`SSL_CERT_FILE`, Amazon Linux's
/// or Debian's). The platform loader, the fallback, also opens every file of `/etc/ssl/certs`
/// and parses the same roots twice.
fn trust_store() -> aws_smithy_http_client::tls::TrustStore {
    use aws_smithy_http_client::tls::TrustStore;
    let bundles = std::env::var_os("SSL_CERT_FILE").map(std::path::PathBuf::from).into_iter().chain(
        ["/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt"].map(std::path::PathBuf::from),
    );
    for path in bundles {
        if let Ok(pem) = std::fs::read(&path) {
            return TrustStore::empty().with_native_roots(false).with_pem_certificate(pem);
        }
    }
    TrustStore::default()
}

//! AWS-facing plumbing shared by every function: typed config, the single-table store, auth
//! (principal → membership → `OrgScope`), HTTP edge (problem+json, strict JSON, paging) and
//! structured logs. Nothing here knows a business rule.

pub mod auth;
pub mod blob;
pub mod config;
pub mod db;
pub mod http;
pub mod idempotency;
pub mod scope;
pub mod secrets;
pub mod strict_json;
pub mod telemetry;

use std::sync::Arc;

/// Installs the process's TLS crypto provider (aws-lc-rs, as the AWS SDK uses) for HTTP clients
/// outside the SDK, such as webhook deliveries. Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// What a function builds once per cold start and reuses across invocations.
#[derive(Clone)]
pub struct App {
    pub config: Arc<config::Config>,
    pub db: db::Db,
    pub blob: blob::Blob,
    pub auth: Arc<auth::Authorizer>,
    pub sqs: aws_sdk_sqs::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub email: aws_sdk_sesv2::Client,
    pub sms: aws_sdk_sns::Client,
    /// Webhook signing secrets at rest (KMS; the webhook functions only have the key).
    pub webhook_secrets: secrets::Secrets,
}

impl App {
    /// Builds the SDK clients and warms the DynamoDB connection (a cheap `DescribeTable` is not
    /// needed: the first real call pays the TLS handshake once, during init when possible).
    pub async fn new(config: config::Config) -> App {
        let sdk = config.sdk_config().await;
        App::with_sdk(config, &sdk)
    }

    /// As `new`, reusing an already loaded SDK config (devstack runs many functions in one process).
    pub fn with_sdk(config: config::Config, sdk: &aws_config::SdkConfig) -> App {
        let db = db::Db::new(sdk, &config.table_name);
        let blob = blob::Blob::new(sdk, &config.bucket_name, config.s3_force_path_style);
        let auth = Arc::new(auth::Authorizer::new(db.clone(), config.membership_cache_ttl));
        let sqs = aws_sdk_sqs::Client::new(sdk);
        let events = aws_sdk_eventbridge::Client::new(sdk);
        let email = aws_sdk_sesv2::Client::new(sdk);
        let sms = aws_sdk_sns::Client::new(sdk);
        let webhook_secrets =
            secrets::Secrets::new(sdk, config.webhook_secrets_key_id.clone(), secrets::WEBHOOK_SIGNING_PURPOSE);
        App { config: Arc::new(config), db, blob, auth, sqs, events, email, sms, webhook_secrets }
    }

    pub async fn from_env() -> Result<App, config::ConfigError> {
        Ok(App::new(config::Config::from_env()?).await)
    }
}

//! AWS-facing plumbing shared by every function: typed config, the single-table store, auth
//! (principal → membership → `OrgScope`), HTTP edge (problem+json, strict JSON, paging) and
//! structured logs. Nothing here knows a business rule.

pub mod auth;
pub mod blob;
pub mod clock;
pub mod config;
pub mod ctx;
pub mod db;
pub mod http;
pub mod idempotency;
pub mod scope;
pub mod secrets;
pub mod strict_json;
pub mod telemetry;

use crate::ports::email::{Mailer, Ses};
use crate::ports::sms::{Sns, Texter};
use crate::ports::webhook::{GuardedHttp, WebhookSender};
use std::sync::Arc;

/// Installs the process's TLS crypto provider (aws-lc-rs, as the AWS SDK uses) for HTTP clients
/// outside the SDK, such as webhook deliveries. Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// What a function builds once per cold start and reuses across invocations: the store, the
/// queues and bus it sends to, and the outbound ports (`crate::ports`).
#[derive(Clone)]
pub struct App {
    pub config: Arc<config::Config>,
    pub db: db::Db,
    pub blob: blob::Blob,
    pub auth: Arc<auth::Authorizer>,
    pub sqs: aws_sdk_sqs::Client,
    pub events: aws_sdk_eventbridge::Client,
    /// Tenant email (SES).
    pub mailer: Arc<dyn Mailer>,
    /// Tenant SMS (SNS).
    pub texter: Arc<dyn Texter>,
    /// Webhook POSTs (the SSRF-guarded client).
    pub webhook_sender: Arc<dyn WebhookSender>,
    /// Webhook signing secrets at rest (KMS; the webhook functions only have the key).
    pub webhook_secrets: secrets::Secrets,
}

impl App {
    /// Builds the SDK clients and the ports' production adapters.
    pub async fn new(config: config::Config) -> App {
        let sdk = config.sdk_config().await;
        App::with_sdk(config, &sdk)
    }

    /// As `new`, reusing an already loaded SDK config (devstack runs many functions in one process).
    pub fn with_sdk(config: config::Config, sdk: &aws_config::SdkConfig) -> App {
        let store = &config.store;
        let db = db::Db::new(sdk, &store.table_name);
        let blob = blob::Blob::new(sdk, &store.bucket_name, store.s3_force_path_style);
        let auth = Arc::new(auth::Authorizer::new(db.clone(), config.api.membership_cache_ttl));
        let webhook_secrets =
            secrets::Secrets::new(sdk, config.webhooks.secrets_key_id.clone(), secrets::WEBHOOK_SIGNING_PURPOSE);
        App {
            db,
            blob,
            auth,
            sqs: aws_sdk_sqs::Client::new(sdk),
            events: aws_sdk_eventbridge::Client::new(sdk),
            mailer: Arc::new(Ses::new(sdk, config.notify.from_email.clone())),
            texter: Arc::new(Sns::new(sdk)),
            webhook_sender: Arc::new(GuardedHttp::new(config.webhooks.allow_private)),
            webhook_secrets,
            config: Arc::new(config),
        }
    }

    pub async fn from_env() -> Result<App, config::ConfigError> {
        Ok(App::new(config::Config::from_env()?).await)
    }
}

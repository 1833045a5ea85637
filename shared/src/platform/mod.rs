//! AWS-facing plumbing shared by every function: typed config, the single-table store, auth
//! (principal → membership → `OrgScope`), HTTP edge (problem+json, strict JSON, paging) and
//! structured logs. Nothing here knows a business rule.

pub mod auth;
pub mod blob;
pub mod config;
pub mod db;
pub mod http;
pub mod idempotency;
pub mod telemetry;

use std::sync::Arc;

/// What a function builds once per cold start and reuses across invocations.
#[derive(Clone)]
pub struct App {
    pub config: Arc<config::Config>,
    pub db: db::Db,
    pub blob: blob::Blob,
    pub auth: Arc<auth::Authorizer>,
    pub sqs: aws_sdk_sqs::Client,
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
        App { config: Arc::new(config), db, blob, auth, sqs }
    }

    pub async fn from_env() -> Result<App, config::ConfigError> {
        Ok(App::new(config::Config::from_env()?).await)
    }
}

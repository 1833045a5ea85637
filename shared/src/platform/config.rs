//! Typed configuration from the environment the template sets on every function.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub bucket_name: String,
    pub event_bus_name: String,
    /// Key for signing paging cursors (from Secrets Manager/SSM in AWS).
    pub cursor_secret: Vec<u8>,
    /// `AWS_ENDPOINT_URL`: an emulator locally, unset in AWS.
    pub endpoint_url: Option<String>,
    pub region: String,
    /// How long a warm function trusts a membership it looked up.
    pub membership_cache_ttl: Duration,
    /// Path-style S3 URLs (`endpoint/bucket/key`), for S3-compatible endpoints without
    /// virtual-host DNS; AWS itself uses virtual-host style.
    pub s3_force_path_style: bool,
    /// The queue a job's scheduler sends one message per org to (the job schedulers only).
    pub job_queue_url: Option<String>,
    /// The queue of webhook delivery attempts (the dispatcher only).
    pub webhook_delivery_queue_url: Option<String>,
    /// First retry delay of a failed webhook delivery; later ones double.
    pub webhook_retry_base_secs: u32,
    /// Let webhooks reach loopback addresses (127.0.0.0/8, ::1) over http: local development
    /// only. Other private, link-local and special addresses stay refused.
    pub webhooks_allow_private: bool,
    /// The KMS key webhook signing secrets are encrypted with (the webhook functions only).
    pub webhook_secrets_key_id: Option<String>,
    /// The verified sender of tenant email.
    pub notify_from_email: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("missing or invalid environment variable {0}")]
pub struct ConfigError(pub &'static str);

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(|k| std::env::var(k).ok())
    }

    /// Reads the same variables from any source (devstack passes a function's resolved
    /// template environment, so the template's names are the ones the code reads).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |k: &'static str| get(k).filter(|v| !v.is_empty()).ok_or(ConfigError(k));
        let ttl = match get("MEMBERSHIP_CACHE_TTL_SECS") {
            Some(s) => s.parse().map_err(|_| ConfigError("MEMBERSHIP_CACHE_TTL_SECS"))?,
            None => 5,
        };
        let secret = var("CURSOR_SECRET")?;
        if secret.len() < 16 {
            return Err(ConfigError("CURSOR_SECRET"));
        }
        Ok(Config {
            table_name: var("TABLE_NAME")?,
            bucket_name: var("BUCKET_NAME")?,
            event_bus_name: var("EVENT_BUS_NAME")?,
            cursor_secret: secret.into_bytes(),
            endpoint_url: get("AWS_ENDPOINT_URL").filter(|s| !s.is_empty()),
            region: get("AWS_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
            membership_cache_ttl: Duration::from_secs(ttl),
            s3_force_path_style: get("S3_FORCE_PATH_STYLE").is_some_and(|v| v == "true"),
            job_queue_url: get("JOB_QUEUE_URL").filter(|s| !s.is_empty()),
            webhook_delivery_queue_url: get("WEBHOOK_DELIVERY_QUEUE_URL").filter(|s| !s.is_empty()),
            webhook_retry_base_secs: match get("WEBHOOK_RETRY_BASE_SECS") {
                Some(s) => s.parse().map_err(|_| ConfigError("WEBHOOK_RETRY_BASE_SECS"))?,
                None => 30,
            },
            webhooks_allow_private: get("WEBHOOKS_ALLOW_PRIVATE_TARGETS").is_some_and(|v| v == "true"),
            webhook_secrets_key_id: get("WEBHOOK_SECRETS_KEY_ID").filter(|s| !s.is_empty()),
            notify_from_email: get("NOTIFY_FROM_EMAIL").filter(|s| !s.is_empty()),
        })
    }

    /// The SDK config every client is built from; honours `endpoint_url` for emulators.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(self.region.clone()));
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }
}

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
pub mod tls;

use crate::ports::email::{Mailer, Ses};
use crate::ports::sms::{Sns, Texter};
use crate::ports::webhook::{GuardedHttp, WebhookSender};
use std::sync::Arc;

/// What a function builds once per cold start and reuses across invocations: the store and
/// authorization always; the other clients and outbound ports only when its wiring names them
/// (`wire`), so each binary links only the SDK clients it uses.
#[derive(Clone)]
pub struct App {
    pub config: Arc<config::Config>,
    pub db: db::Db,
    pub auth: Arc<auth::Authorizer>,
    blob: Option<blob::Blob>,
    sqs: Option<aws_sdk_sqs::Client>,
    events: Option<aws_sdk_eventbridge::Client>,
    mailer: Option<Arc<dyn Mailer>>,
    texter: Option<Arc<dyn Texter>>,
    webhook_sender: Option<Arc<dyn WebhookSender>>,
    webhook_secrets: Option<secrets::Secrets>,
    vendor_tax_ids: Option<secrets::Secrets>,
    receipts: Option<blob::Blob>,
    imports: Option<blob::Blob>,
    receipt_reader: Option<Arc<dyn crate::ports::receipts::ReceiptReader>>,
    stripe: Option<Arc<dyn crate::integrations::stripe::client::StripeApi>>,
    plaid: Option<Arc<dyn crate::integrations::plaid::client::PlaidApi>>,
    plaid_tokens: Option<secrets::Secrets>,
    plaid_keys: Option<Arc<crate::integrations::plaid::verification::KeyCache>>,
    sftp: Option<Arc<dyn crate::integrations::sftp::client::SftpApi>>,
    sftp_keys: Option<secrets::Secrets>,
    /// Whether the function reads the table (its connection is opened during init).
    uses_table: bool,
}

/// Adds one capability to an `App` (see `wire`).
pub type Wire = fn(&mut App, &aws_config::SdkConfig);

/// The capabilities a function can be wired with. A function's list (`functions::wiring`) is
/// the only place its binary names an SDK client or port adapter.
pub mod wire {
    use super::*;

    /// The table: its connection is opened during init (the client exists in every function).
    pub fn table(app: &mut App, _: &aws_config::SdkConfig) {
        app.uses_table = true;
    }

    /// S3 (documents: presigned URLs, the upload check).
    pub fn s3(app: &mut App, sdk: &aws_config::SdkConfig) {
        let store = &app.config.store;
        app.blob = Some(blob::Blob::new(sdk, &store.bucket_name, store.s3_force_path_style));
    }

    /// SQS (job messages, webhook delivery attempts).
    pub fn sqs(app: &mut App, sdk: &aws_config::SdkConfig) {
        app.sqs = Some(aws_sdk_sqs::Client::new(sdk));
    }

    /// EventBridge (the outbox relay).
    pub fn events(app: &mut App, sdk: &aws_config::SdkConfig) {
        app.events = Some(aws_sdk_eventbridge::Client::new(sdk));
    }

    /// Tenant email (SES) and SMS (SNS).
    pub fn notify(app: &mut App, sdk: &aws_config::SdkConfig) {
        app.mailer = Some(Arc::new(Ses::new(sdk, app.config.notify.from_email.clone())));
        app.texter = Some(Arc::new(Sns::new(sdk)));
    }

    /// Webhook signing secrets (KMS).
    pub fn webhook_secrets(app: &mut App, sdk: &aws_config::SdkConfig) {
        let key = app.config.webhooks.secrets_key_id.clone();
        app.webhook_secrets = Some(secrets::Secrets::new(sdk, key, secrets::WEBHOOK_SIGNING_PURPOSE));
    }

    /// The receipts bucket (presigned uploads, the upload check).
    pub fn receipts(app: &mut App, sdk: &aws_config::SdkConfig) {
        let store = &app.config.store;
        let bucket = store.receipts_bucket_name.clone().unwrap_or_default();
        app.receipts = Some(blob::Blob::new(sdk, &bucket, store.s3_force_path_style));
    }

    /// The imports bucket (presigned uploads of CSV files, reading them).
    pub fn imports(app: &mut App, sdk: &aws_config::SdkConfig) {
        let store = &app.config.store;
        let bucket = store.imports_bucket_name.clone().unwrap_or_default();
        app.imports = Some(blob::Blob::new(sdk, &bucket, store.s3_force_path_style));
    }

    /// Reading receipts (Textract `AnalyzeExpense`).
    pub fn receipt_reader(app: &mut App, sdk: &aws_config::SdkConfig) {
        let endpoint = app.config.store.textract_endpoint_url.clone();
        app.receipt_reader = Some(Arc::new(crate::ports::receipts::Textract::new(sdk, endpoint.as_deref())));
    }

    /// Stripe's API (the org's connected account), behind the client's circuit breaker.
    pub fn stripe(app: &mut App, _: &aws_config::SdkConfig) {
        use crate::integrations::{breaker::BreakerConfig, stripe::client};
        let s = &app.config.stripe;
        let config = client::StripeConfig {
            api_base: s.api_base.clone(),
            secret_key: s.secret_key.clone().unwrap_or_default(),
            timeout: s.timeout,
            breaker: BreakerConfig { failures: s.breaker_failures, open_for: s.breaker_open_for },
        };
        app.stripe = Some(Arc::new(client::HttpStripe::new(config)));
    }

    /// Plaid's API behind the client's circuit breaker, the Items' access tokens (KMS) and the
    /// webhook verification keys' cache.
    pub fn plaid(app: &mut App, sdk: &aws_config::SdkConfig) {
        use crate::integrations::{breaker::BreakerConfig, plaid::client};
        let p = &app.config.plaid;
        let config = client::PlaidConfig {
            api_base: p.api_base.clone(),
            client_id: p.client_id.clone().unwrap_or_default(),
            secret: p.secret.clone().unwrap_or_default(),
            timeout: p.timeout,
            breaker: BreakerConfig { failures: p.breaker_failures, open_for: p.breaker_open_for },
        };
        app.plaid = Some(Arc::new(client::HttpPlaid::new(config)));
        let key = p.tokens_key_id.clone();
        app.plaid_tokens = Some(secrets::Secrets::new(sdk, key, secrets::PLAID_ACCESS_TOKEN_PURPOSE));
        app.plaid_keys = Some(Arc::default());
    }

    /// Orgs' SFTP servers: their private keys (KMS) and the SSH client.
    pub fn sftp(app: &mut App, sdk: &aws_config::SdkConfig) {
        let s = &app.config.sftp;
        app.sftp = Some(Arc::new(crate::integrations::sftp::client::Russh::new(s.timeout)));
        app.sftp_keys = Some(secrets::Secrets::new(sdk, s.keys_key_id.clone(), secrets::SFTP_PRIVATE_KEY_PURPOSE));
    }

    /// Vendors' tax ids (KMS, encrypt only: they are only ever answered masked).
    pub fn vendor_tax_ids(app: &mut App, sdk: &aws_config::SdkConfig) {
        let key = app.config.events.vendor_tax_id_key_id.clone();
        app.vendor_tax_ids = Some(secrets::Secrets::new(sdk, key, secrets::VENDOR_TAX_ID_PURPOSE));
    }

    /// Webhook POSTs (the SSRF-guarded client).
    pub fn webhook_sender(app: &mut App, _: &aws_config::SdkConfig) {
        app.webhook_sender = Some(Arc::new(GuardedHttp::new(app.config.webhooks.allow_private)));
    }
}

/// A capability used by a function not wired with it: a wiring bug, caught by the tests (devstack
/// wires each function as its binary does).
fn unwired(what: &str) -> ! {
    panic!("this function is not wired with {what} (functions::wiring)")
}

impl App {
    /// Loads the SDK config (one shared HTTPS client), builds the store and `wires`, and opens
    /// the DynamoDB connection so the first request does not pay the TLS handshake.
    pub async fn new(config: config::Config, wires: &[Wire]) -> App {
        let sdk = config.sdk_config().await;
        let app = App::with_sdk(config, &sdk, wires);
        if app.uses_table {
            app.db.warm().await;
        }
        app
    }

    /// As `new`, reusing an already loaded SDK config (devstack runs many functions in one
    /// process) and without the warm-up call.
    pub fn with_sdk(config: config::Config, sdk: &aws_config::SdkConfig, wires: &[Wire]) -> App {
        let db = db::Db::new(sdk, &config.store.table_name);
        let auth = Arc::new(auth::Authorizer::new(db.clone(), config.api.membership_cache_ttl));
        let mut app = App {
            config: Arc::new(config),
            db,
            auth,
            blob: None,
            sqs: None,
            events: None,
            mailer: None,
            texter: None,
            webhook_sender: None,
            webhook_secrets: None,
            vendor_tax_ids: None,
            receipts: None,
            imports: None,
            receipt_reader: None,
            stripe: None,
            plaid: None,
            plaid_tokens: None,
            plaid_keys: None,
            sftp: None,
            sftp_keys: None,
            uses_table: false,
        };
        for wire in wires {
            wire(&mut app, sdk);
        }
        app
    }

    pub fn blob(&self) -> &blob::Blob {
        self.blob.as_ref().unwrap_or_else(|| unwired("S3"))
    }

    pub fn sqs(&self) -> &aws_sdk_sqs::Client {
        self.sqs.as_ref().unwrap_or_else(|| unwired("SQS"))
    }

    pub fn events(&self) -> &aws_sdk_eventbridge::Client {
        self.events.as_ref().unwrap_or_else(|| unwired("EventBridge"))
    }

    pub fn mailer(&self) -> &dyn Mailer {
        self.mailer.as_deref().unwrap_or_else(|| unwired("email"))
    }

    pub fn texter(&self) -> &dyn Texter {
        self.texter.as_deref().unwrap_or_else(|| unwired("SMS"))
    }

    pub fn webhook_sender(&self) -> &dyn WebhookSender {
        self.webhook_sender.as_deref().unwrap_or_else(|| unwired("the webhook sender"))
    }

    pub fn receipts(&self) -> &blob::Blob {
        self.receipts.as_ref().unwrap_or_else(|| unwired("the receipts bucket"))
    }

    pub fn imports(&self) -> &blob::Blob {
        self.imports.as_ref().unwrap_or_else(|| unwired("the imports bucket"))
    }

    pub fn receipt_reader(&self) -> &dyn crate::ports::receipts::ReceiptReader {
        self.receipt_reader.as_deref().unwrap_or_else(|| unwired("the receipt reader"))
    }

    pub fn stripe(&self) -> &dyn crate::integrations::stripe::client::StripeApi {
        self.stripe.as_deref().unwrap_or_else(|| unwired("Stripe"))
    }

    pub fn plaid(&self) -> &dyn crate::integrations::plaid::client::PlaidApi {
        self.plaid.as_deref().unwrap_or_else(|| unwired("Plaid"))
    }

    /// The KMS encryption of Plaid access tokens.
    pub fn plaid_tokens(&self) -> &secrets::Secrets {
        self.plaid_tokens.as_ref().unwrap_or_else(|| unwired("KMS (Plaid access tokens)"))
    }

    /// Plaid's webhook verification keys, cached across invocations.
    pub fn plaid_keys(&self) -> &crate::integrations::plaid::verification::KeyCache {
        self.plaid_keys.as_deref().unwrap_or_else(|| unwired("Plaid"))
    }

    pub fn sftp(&self) -> &dyn crate::integrations::sftp::client::SftpApi {
        self.sftp.as_deref().unwrap_or_else(|| unwired("SFTP"))
    }

    /// The KMS encryption of orgs' SFTP private keys.
    pub fn sftp_keys(&self) -> &secrets::Secrets {
        self.sftp_keys.as_ref().unwrap_or_else(|| unwired("KMS (SFTP private keys)"))
    }

    pub fn vendor_tax_ids(&self) -> &secrets::Secrets {
        self.vendor_tax_ids.as_ref().unwrap_or_else(|| unwired("KMS (vendor tax ids)"))
    }

    pub fn webhook_secrets(&self) -> &secrets::Secrets {
        self.webhook_secrets.as_ref().unwrap_or_else(|| unwired("KMS"))
    }

    pub async fn from_env(wires: &[Wire]) -> Result<App, config::ConfigError> {
        Ok(App::new(config::Config::from_env()?, wires).await)
    }
}

//! devstack: the local serverless stack. It reads `template.yaml`, creates its resources on the
//! AWS emulator (moto, or any endpoint in `AWS_ENDPOINT_URL`), serves the HTTP API like API
//! Gateway with the JWT authorizer, and runs functions in-process. Tests start one `Stack` per
//! test binary with its own resource names.

pub mod hosted_ui;
pub mod issuer;
pub mod pumps;
pub mod resources;
pub mod server;
pub mod template;

use issuer::Issuer;
use server::{FunctionRuntime, Gateway};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use template::{resolve, Template};

#[derive(Debug, thiserror::Error)]
pub enum StackError {
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    #[error(transparent)]
    Resource(#[from] resources::ResourceError),
    #[error("function {0} is in template.yaml but not in functions::registry()")]
    UnknownFunction(String),
    #[error("cannot listen: {0}")]
    Bind(#[from] std::io::Error),
}

pub struct StackOptions {
    pub endpoint: String,
    pub region: String,
    /// Prefix of every physical resource name.
    pub prefix: String,
    pub bind: SocketAddr,
    pub issuer: Arc<Issuer>,
    /// Extra environment for every function (e.g. a short membership cache in tests).
    pub env: HashMap<String, String>,
    /// Fire the template's schedules on their clock (`devstack up`); tests run jobs directly.
    pub run_schedules: bool,
    /// Run the event pumps (S3 notifications, queues, the stream). Benchmarks that time writes
    /// turn them off, so the emulator is not also draining what the timed code emits.
    pub pumps: bool,
    /// Visibility timeout the queue pumps receive with (default: each queue's own); tests use a
    /// short one so retries and redrive to the DLQ happen in seconds.
    pub sqs_visibility_secs: Option<i32>,
    /// The HTTP client of every AWS call the stack makes (its functions, pumps and setup); the
    /// SDK's default when `None`. The cost benchmark records requests through it.
    pub http_client: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
}

impl StackOptions {
    /// Options for tests and tools: emulator from `AWS_ENDPOINT_URL` (default moto's port),
    /// a fresh key, an ephemeral port.
    pub fn local(prefix: &str) -> StackOptions {
        StackOptions {
            endpoint: std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into()),
            region: std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into()),
            prefix: prefix.to_owned(),
            bind: "127.0.0.1:0".parse().expect("valid address"),
            issuer: Arc::new(Issuer::generate(issuer::DEFAULT_ISSUER, issuer::DEFAULT_AUDIENCE)),
            env: HashMap::new(),
            run_schedules: false,
            pumps: true,
            sqs_visibility_secs: None,
            http_client: None,
        }
    }
}

/// A running stack: resources created, API listening.
pub struct Stack {
    pub base_url: String,
    pub addr: SocketAddr,
    pub refs: resources::Refs,
    pub gateway: Arc<Gateway>,
    pub sdk: aws_config::SdkConfig,
    pub template: Template,
    server: tokio::task::JoinHandle<()>,
    pumps: Vec<tokio::task::JoinHandle<()>>,
}

/// The SDK config for an emulator endpoint (static test credentials unless the env has some).
pub async fn sdk_config(endpoint: &str, region: &str) -> aws_config::SdkConfig {
    if std::env::var("AWS_ACCESS_KEY_ID").is_err() {
        std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    }
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .load()
        .await
}

impl Stack {
    pub async fn start(opts: StackOptions) -> Result<Stack, StackError> {
        let template = Template::load_default()?;
        let mut sdk = sdk_config(&opts.endpoint, &opts.region).await;
        if let Some(http) = &opts.http_client {
            sdk = sdk.into_builder().http_client(http.clone()).build();
        }
        let clients = resources::Clients::new(&sdk);
        let mut refs = resources::create_all(&template, &clients, &opts.prefix, &opts.region).await?;
        // Parameters: local values for what AWS would take from the deployer / Secrets Manager.
        refs.insert("CursorSecret".into(), format!("devstack-cursor-secret-{}", opts.prefix));
        refs.insert("Stage".into(), "dev".into());
        for (name, p) in template.raw["Parameters"].as_mapping().into_iter().flatten() {
            if let (Some(name), Some(default)) = (name.as_str(), resolve(&p["Default"], &refs)) {
                refs.entry(name.to_owned()).or_insert(default);
            }
        }
        let functions = Stack::functions(&template, &refs, &opts, &sdk)?;
        let cors = server::Cors::from_template(&template, &refs);
        let gateway = Arc::new(Gateway::new(functions, opts.issuer.clone(), cors));
        let listener = tokio::net::TcpListener::bind(opts.bind).await?;
        let addr = listener.local_addr()?;
        let gw = gateway.clone();
        let app = axum::Router::new()
            .fallback(move |method, uri, headers, body| {
                let gw = gw.clone();
                async move { gw.handle(method, uri, headers, body).await }
            })
            // API Gateway accepts payloads up to 10 MB; the functions enforce their own limits.
            .layer(axum::extract::DefaultBodyLimit::max(server::MAX_PAYLOAD_BYTES + 1));
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "devstack server stopped");
            }
        });
        let mut pumps = Vec::new();
        let s3_sources = pumps::wire_s3(&template, &clients, &refs, &opts.prefix).await?;
        let (s3_sources, sqs_sources, stream_sources) = if opts.pumps {
            (s3_sources, pumps::sqs_sources(&template, &refs)?, pumps::stream_sources(&template, &refs)?)
        } else {
            Default::default()
        };
        for source in s3_sources {
            pumps.push(tokio::spawn(pumps::pump_s3(source, gateway.clone(), clients.sqs.clone())));
        }
        for source in sqs_sources {
            for _ in 0..source.pollers() {
                pumps.push(tokio::spawn(pumps::pump_sqs(
                    source.clone(),
                    gateway.clone(),
                    clients.sqs.clone(),
                    opts.region.clone(),
                    opts.sqs_visibility_secs,
                )));
            }
        }
        for source in stream_sources {
            pumps.push(tokio::spawn(pumps::pump_stream(source, gateway.clone(), clients.clone(), opts.region.clone())));
        }
        if opts.run_schedules {
            for schedule in pumps::schedules(&template) {
                pumps.push(tokio::spawn(pumps::run_schedule(schedule, gateway.clone())));
            }
        }
        Ok(Stack { base_url: format!("http://{addr}"), addr, refs, gateway, sdk, template, server, pumps })
    }

    fn functions(
        template: &Template,
        refs: &resources::Refs,
        opts: &StackOptions,
        sdk: &aws_config::SdkConfig,
    ) -> Result<Vec<(FunctionRuntime, Vec<template::Route>)>, StackError> {
        let mut registry: HashMap<&str, functions::FunctionDef> =
            functions::registry().into_iter().map(|f| (f.name, f)).collect();
        let mut out = Vec::new();
        for f in &template.functions {
            let def =
                registry.remove(f.binary.as_str()).ok_or_else(|| StackError::UnknownFunction(f.binary.clone()))?;
            let mut env: HashMap<String, String> =
                f.environment.iter().filter_map(|(k, v)| Some((k.clone(), resolve(v, refs)?))).collect();
            env.insert("AWS_ENDPOINT_URL".into(), opts.endpoint.clone());
            env.insert("AWS_REGION".into(), opts.region.clone());
            env.insert("S3_FORCE_PATH_STYLE".into(), "true".into());
            // Local development: webhooks may go to http://127.0.0.1 (the production setting is
            // the template's "false").
            env.insert("WEBHOOKS_ALLOW_PRIVATE_TARGETS".into(), "true".into());
            // Secrets Manager dynamic references: the local values devstack stands in with.
            for v in env.values_mut() {
                if let Some(local) = local_secret(v) {
                    *v = local.to_owned();
                }
            }
            // Providers the emulator does not serve: their local fakes (`infra/fakes`).
            for var in ["TEXTRACT_ENDPOINT_URL", "STRIPE_API_BASE", "PLAID_API_BASE", "PLAID_WEBHOOK_URL"] {
                if let Ok(url) = std::env::var(var) {
                    env.insert(var.into(), url);
                }
            }
            env.extend(opts.env.clone());
            out.push((FunctionRuntime::new(def, env, sdk.clone()), f.routes.clone()));
        }
        Ok(out)
    }

    /// The physical table name.
    pub fn table_name(&self) -> &str {
        &self.refs["Table"]
    }

    /// DynamoDB calls made by all functions so far (benchmarks diff this around a request).
    pub fn db_calls(&self) -> u64 {
        self.gateway.functions.iter().map(FunctionRuntime::db_calls).sum()
    }

    pub fn function(&self, name: &str) -> Option<&FunctionRuntime> {
        self.gateway.functions.iter().find(|f| f.def.name == name)
    }

    /// Runs a scheduled job now with `input` (what its schedule would send).
    pub async fn run_job(&self, name: &str, input: serde_json::Value) -> Result<serde_json::Value, String> {
        let f = self.function(name).ok_or_else(|| format!("no function {name}"))?;
        let functions::Handler::Job(handler) = f.def.handler else { return Err(format!("{name} is not a job")) };
        f.timed(handler(f.app()?, input)).await.map_err(|e| e.to_string())
    }

    /// Runs a per-org job's scheduler now with `input`, then waits until the job's queue (the
    /// scheduler's `JOB_QUEUE_URL`) is drained: every org's message handled by the job's consumer
    /// and deleted. A message still there after `JOB_WAIT` (one that keeps failing) is an error.
    pub async fn run_job_to_completion(
        &self,
        name: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        let out = self.run_job(name, input).await?;
        let f = self.function(name).ok_or_else(|| format!("no function {name}"))?;
        let queue = f.env.get("JOB_QUEUE_URL").ok_or_else(|| format!("{name} sends to no job queue"))?;
        self.wait_drained(queue, JOB_WAIT).await.map_err(|e| format!("{name}: {e}"))?;
        Ok(out)
    }

    /// Waits until `queue_url` holds no message, visible, in flight or delayed.
    pub async fn wait_drained(&self, queue_url: &str, timeout: std::time::Duration) -> Result<(), String> {
        use aws_sdk_sqs::types::QueueAttributeName as A;
        let sqs = aws_sdk_sqs::Client::new(&self.sdk);
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let out = sqs
                .get_queue_attributes()
                .queue_url(queue_url)
                .attribute_names(A::All)
                .send()
                .await
                .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
            let attrs = out.attributes.unwrap_or_default();
            let count = |a: A| attrs.get(&a).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            let left = count(A::ApproximateNumberOfMessages)
                + count(A::ApproximateNumberOfMessagesNotVisible)
                + count(A::ApproximateNumberOfMessagesDelayed);
            if left == 0 {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(format!("{left} messages still on {queue_url} after {timeout:?}"));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

/// How long `run_job_to_completion` waits for a job's queue to drain.
pub const JOB_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

impl Drop for Stack {
    fn drop(&mut self) {
        self.server.abort();
        for p in &self.pumps {
            p.abort();
        }
    }
}

/// Runs one function on one event (API or S3) against resources that already exist (`refs` from a
/// running stack): what `make invoke` does. Returns the status and body.
pub async fn invoke_with_refs(name: &str, event: &str, mut refs: resources::Refs) -> Result<(u16, String), String> {
    let template = Template::load_default().map_err(|e| e.to_string())?;
    let f = template
        .functions
        .iter()
        .find(|f| f.binary == name)
        .ok_or_else(|| format!("no function {name} in template.yaml"))?;
    let def =
        functions::registry().into_iter().find(|d| d.name == name).ok_or_else(|| format!("no handler for {name}"))?;
    let opts = StackOptions::local("invoke");
    refs.entry("CursorSecret".into()).or_insert_with(|| "devstack-cursor-secret-portfolio-dev".into());
    let sdk = sdk_config(&opts.endpoint, &opts.region).await;
    let mut env: HashMap<String, String> =
        f.environment.iter().filter_map(|(k, v)| Some((k.clone(), resolve(v, &refs)?))).collect();
    env.insert("AWS_ENDPOINT_URL".into(), opts.endpoint.clone());
    env.insert("S3_FORCE_PATH_STYLE".into(), "true".into());
    let runtime = FunctionRuntime::new(def, env, sdk);
    if let functions::Handler::S3(handler) = runtime.def.handler {
        let ev = pumps::s3_event(event).ok_or("not an S3 notification event")?;
        let app = runtime.app()?;
        return match handler(app, ev).await {
            Ok(()) => Ok((200, "ok".into())),
            Err(e) => Ok((500, e.to_string())),
        };
    }
    if let functions::Handler::Job(handler) = runtime.def.handler {
        let input: serde_json::Value = serde_json::from_str(event).map_err(|e| format!("not JSON: {e}"))?;
        return match handler(runtime.app()?, input).await {
            Ok(out) => Ok((200, out.to_string())),
            Err(e) => Ok((500, e.to_string())),
        };
    }
    if let functions::Handler::Stream(handler) = runtime.def.handler {
        let ev: aws_lambda_events::dynamodb::Event =
            serde_json::from_str(event).map_err(|e| format!("not a DynamoDB stream event: {e}"))?;
        let out = handler(runtime.app()?, ev).await;
        return Ok((200, serde_json::to_string(&out).unwrap_or_default()));
    }
    if let functions::Handler::Sqs(handler) = runtime.def.handler {
        let ev: aws_lambda_events::sqs::SqsEvent =
            serde_json::from_str(event).map_err(|e| format!("not an SQS event: {e}"))?;
        let out = handler(runtime.app()?, ev).await;
        return Ok((200, serde_json::to_string(&out).unwrap_or_default()));
    }
    let res = server::invoke_http(&runtime, event).await;
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// The Stripe secret key devstack's functions use with the local Stripe fake (test mode).
pub const LOCAL_STRIPE_SECRET_KEY: &str = "sk_test_devstack";
/// The signing secret devstack's `webhook-stripe` verifies with; register it with the fake
/// (`POST /_fake/stripe/webhooks`) to have its events delivered and verified.
pub const LOCAL_STRIPE_WEBHOOK_SECRET: &str = "whsec_devstack";

/// The Plaid credentials devstack's functions use: the local Plaid fake's (Sandbox-like) pair.
pub const LOCAL_PLAID_CLIENT_ID: &str = "plaid-fake-client-id";
pub const LOCAL_PLAID_SECRET: &str = "plaid-fake-sandbox-secret";

/// The local value of a `{{resolve:secretsmanager:<secret>:SecretString:<key>}}` reference (AWS
/// resolves it at deploy time), by the JSON key it names.
fn local_secret(value: &str) -> Option<&'static str> {
    let key = value.strip_prefix("{{resolve:secretsmanager:")?.strip_suffix("}}")?.rsplit(':').next()?;
    match key {
        "secretKey" => Some(LOCAL_STRIPE_SECRET_KEY),
        "webhookSecrets" => Some(LOCAL_STRIPE_WEBHOOK_SECRET),
        "clientId" => Some(LOCAL_PLAID_CLIENT_ID),
        "secret" => Some(LOCAL_PLAID_SECRET),
        _ => None,
    }
}

//! The Lambda handlers. Each binary in `src/bin/` is wiring only; the handlers live here so
//! devstack can run them in-process and tests can call them directly. `registry()` lists every
//! function with the route keys it serves: the template test holds it against `template.yaml`.

pub mod api;
pub mod consumers;
pub mod jobs;
pub mod openapi;
pub mod webhooks;

use crate::jobs::JobFunctions;
use aws_lambda_events::dynamodb::Event as DynamoDbStreamEvent;
use aws_lambda_events::s3::S3Event;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use aws_lambda_events::streams::DynamoDbEventResponse;
use lambda_http::{Body, Request, Response};
use portfolio::platform::App;
use std::future::Future;
use std::pin::Pin;

pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Response<Body>> + Send + 'a>>;
pub type HttpHandler = for<'a> fn(&'a App, Request) -> HandlerFuture<'a>;
pub type EventFuture<'a> = Pin<Box<dyn Future<Output = Result<(), lambda_runtime::Error>> + Send + 'a>>;
pub type S3Handler = for<'a> fn(&'a App, S3Event) -> EventFuture<'a>;
pub type SqsFuture<'a> = Pin<Box<dyn Future<Output = SqsBatchResponse> + Send + 'a>>;
pub type SqsHandler = for<'a> fn(&'a App, SqsEvent) -> SqsFuture<'a>;
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value, lambda_runtime::Error>> + Send + 'a>>;
pub type JobHandler = for<'a> fn(&'a App, serde_json::Value) -> JobFuture<'a>;
pub type StreamFuture<'a> = Pin<Box<dyn Future<Output = DynamoDbEventResponse> + Send + 'a>>;
pub type StreamHandler = for<'a> fn(&'a App, DynamoDbStreamEvent) -> StreamFuture<'a>;

/// What triggers a function, and the handler for it.
#[derive(Clone, Copy)]
pub enum Handler {
    /// HTTP API routes (payload 2.0).
    Http(HttpHandler),
    /// S3 bucket notifications.
    S3(S3Handler),
    /// An SQS queue (event source mapping with partial batch responses).
    Sqs(SqsHandler),
    /// An EventBridge Scheduler schedule (the schedule's JSON input).
    Job(JobHandler),
    /// The table's DynamoDB stream (event source mapping with partial batch responses).
    Stream(StreamHandler),
}

/// What each function is wired with beyond the table (`portfolio::platform::wire`). Its binary
/// and devstack both build its `App` from this list, so a binary links only these clients (and
/// a function used without what it needs fails the tests, which run on devstack).
pub mod wiring {
    use portfolio::platform::{wire, Wire};

    /// Nothing beyond the process (liveness and documentation).
    pub const NONE: &[Wire] = &[];
    /// The table only.
    pub const TABLE: &[Wire] = &[wire::table];
    /// Documents: presigned S3 URLs and the upload check.
    pub const DOCUMENTS: &[Wire] = &[wire::table, wire::s3];
    /// Webhook endpoints: their signing secrets are encrypted on create; a redelivery is queued.
    pub const WEBHOOK_ENDPOINTS: &[Wire] = &[wire::table, wire::webhook_secrets, wire::sqs];
    /// The webhook dispatcher: decrypts secrets, POSTs, queues the next attempt.
    pub const WEBHOOK_DISPATCHER: &[Wire] = &[wire::table, wire::sqs, wire::webhook_secrets, wire::webhook_sender];
    /// Vendors: tax ids are encrypted (never decrypted) with their KMS key.
    pub const VENDORS: &[Wire] = &[wire::table, wire::vendor_tax_ids];
    /// Expenses: presigned receipt uploads.
    pub const EXPENSES: &[Wire] = &[wire::table, wire::receipts];
    /// Receipts: the upload check and the reader (Textract).
    pub const RECEIPTS: &[Wire] = &[wire::table, wire::receipts, wire::receipt_reader];
    /// Exports: built into, and downloaded from, the bucket.
    pub const EXPORTS: &[Wire] = &[wire::table, wire::s3];
    /// Tenant notifications.
    pub const NOTIFIER: &[Wire] = &[wire::table, wire::notify];
    /// The outbox relay reads the stream (not the table), publishes to the bus and queues the
    /// books' events.
    pub const OUTBOX_RELAY: &[Wire] = &[wire::events, wire::sqs];
    /// Stripe's webhooks: signature verification (secrets from the environment), the table, and
    /// Stripe's API for what an event does not carry (a payout's balance transactions).
    pub const STRIPE_WEBHOOKS: &[Wire] = &[wire::table, wire::stripe];
    /// api-integrations: Stripe, Plaid with the access tokens' KMS key, and the SFTP private
    /// keys' KMS key.
    pub const INTEGRATIONS: &[Wire] = &[wire::table, wire::stripe, wire::plaid, wire::sftp];
    /// api-imports and consumer-import: the imports bucket.
    pub const IMPORTS: &[Wire] = &[wire::table, wire::imports];
    /// webhook-plaid and consumer-bank-sync: Plaid (verification keys; syncs with the tokens).
    pub const PLAID: &[Wire] = &[wire::table, wire::plaid];
    /// Job schedulers (one message per org) and per-org job consumers (continuations).
    pub const JOBS: &[Wire] = &[wire::table, wire::sqs];
    /// consumer-sftp-poll: the job's, the SFTP client and private keys, the imports bucket.
    pub const SFTP_POLL: &[Wire] = &[wire::table, wire::sqs, wire::sftp, wire::imports];
}

/// One Lambda function: its binary (= template logical id in PascalCase) and what it serves.
pub struct FunctionDef {
    pub name: &'static str,
    /// What its `App` is built with (`wiring`).
    pub wires: &'static [portfolio::platform::Wire],
    /// The routes of an HTTP function (empty for the others).
    pub routes: &'static [api::route::Route],
    pub handler: Handler,
}

impl FunctionDef {
    /// The gateway route keys this function serves (action routes share theirs), in order.
    pub fn route_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for key in self.routes.iter().map(|r| r.route_key()) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }
}

/// Every route of every API function.
pub fn routes() -> impl Iterator<Item = &'static api::route::Route> {
    registry().into_iter().flat_map(|f| f.routes.iter())
}

macro_rules! api_function {
    ($name:literal, $module:ident) => {
        api_function!($name, $module, TABLE)
    };
    ($name:literal, $module:ident, $wires:ident) => {
        FunctionDef {
            name: $name,
            wires: wiring::$wires,
            routes: api::$module::ROUTES,
            handler: Handler::Http(|app, req| Box::pin(api::route::dispatch(app, api::$module::ROUTES, req))),
        }
    };
}

/// A per-org job's two functions: its scheduler (the schedule's target) and its consumer (its
/// queue's), both the generic ones of `jobs` and `consumers::jobs` for that job.
macro_rules! job_functions {
    ($job:ident) => {
        job_functions!($job, JOBS)
    };
    ($job:ident, $consumer_wires:ident) => {
        [
            FunctionDef {
                name: jobs::Job::$job.scheduler(),
                wires: wiring::JOBS,
                routes: &[],
                handler: Handler::Job(|app, input| Box::pin(jobs::schedule(app, jobs::Job::$job, input))),
            },
            FunctionDef {
                name: jobs::Job::$job.consumer(),
                wires: wiring::$consumer_wires,
                routes: &[],
                handler: Handler::Sqs(|app, ev| Box::pin(consumers::jobs::handle(app, jobs::Job::$job, ev))),
            },
        ]
    };
}

fn job_functions(job: jobs::Job) -> [FunctionDef; 2] {
    match job {
        jobs::Job::RentRun => job_functions!(RentRun),
        jobs::Job::LateFees => job_functions!(LateFees),
        jobs::Job::DelinquencySnapshot => job_functions!(DelinquencySnapshot),
        jobs::Job::RentReminders => job_functions!(RentReminders),
        jobs::Job::RecurringExpenses => job_functions!(RecurringExpenses),
        jobs::Job::Depreciation => job_functions!(Depreciation),
        jobs::Job::KpiRollup => job_functions!(KpiRollup),
        jobs::Job::SftpPoll => job_functions!(SftpPoll, SFTP_POLL),
        jobs::Job::BankCatchUp => job_functions!(BankCatchUp),
        jobs::Job::Obligations => job_functions!(Obligations),
    }
}

/// The functions fed by the stream, queues and buckets (not the jobs').
fn event_functions() -> Vec<FunctionDef> {
    vec![
        FunctionDef {
            name: "consumer-outbox-relay",
            wires: wiring::OUTBOX_RELAY,
            routes: &[],
            handler: Handler::Stream(|app, ev| Box::pin(consumers::outbox_relay::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-webhook-dispatcher",
            wires: wiring::WEBHOOK_DISPATCHER,
            routes: &[],
            handler: Handler::Sqs(|app, ev| Box::pin(consumers::webhook_dispatcher::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-books",
            wires: wiring::TABLE,
            routes: &[],
            handler: Handler::Sqs(|app, ev| Box::pin(consumers::books::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-bank-sync",
            wires: wiring::PLAID,
            routes: &[],
            handler: Handler::Sqs(|app, ev| Box::pin(consumers::bank_sync::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-exports",
            wires: wiring::EXPORTS,
            routes: &[],
            handler: Handler::Sqs(|app, ev| Box::pin(consumers::exports::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-notifier",
            wires: wiring::NOTIFIER,
            routes: &[],
            handler: Handler::Sqs(|app, ev| Box::pin(consumers::notifier::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-workflow-runtime",
            wires: wiring::TABLE,
            routes: &[],
            handler: Handler::Sqs(|app, ev| Box::pin(consumers::workflow_runtime::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-receipt-uploaded",
            wires: wiring::RECEIPTS,
            routes: &[],
            handler: Handler::S3(|app, ev| Box::pin(consumers::receipt_uploaded::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-import",
            wires: wiring::IMPORTS,
            routes: &[],
            handler: Handler::S3(|app, ev| Box::pin(consumers::import::handle(app, ev))),
        },
        FunctionDef {
            name: "consumer-document-uploaded",
            wires: wiring::DOCUMENTS,
            routes: &[],
            handler: Handler::S3(|app, ev| Box::pin(consumers::document_uploaded::handle(app, ev))),
        },
    ]
}

/// Every function of the product.
pub fn registry() -> Vec<FunctionDef> {
    let mut all = vec![
        api_function!("api-health", health, NONE),
        api_function!("api-orgs", orgs),
        api_function!("api-members", members),
        api_function!("api-buildings", buildings),
        api_function!("api-units", units),
        api_function!("api-audit", audit),
        api_function!("api-tenants", tenants),
        api_function!("api-leases", leases),
        api_function!("api-occupancy", occupancy),
        api_function!("api-documents", documents, DOCUMENTS),
        api_function!("api-charges", charges),
        api_function!("api-payments", payments),
        api_function!("api-ledger", ledger),
        api_function!("api-delinquency", delinquency),
        api_function!("api-rent-runs", rent_runs),
        api_function!("api-events", events),
        api_function!("api-webhooks", webhooks, WEBHOOK_ENDPOINTS),
        api_function!("api-accounts", accounts),
        api_function!("api-journal", journal),
        api_function!("api-vendors", vendors, VENDORS),
        api_function!("api-expenses", expenses, EXPENSES),
        api_function!("api-reports", reports),
        api_function!("api-exports", exports, EXPORTS),
        api_function!("api-dashboard", dashboard),
        api_function!("api-integrations", integrations, INTEGRATIONS),
        api_function!("api-bank", bank),
        api_function!("api-imports", imports, IMPORTS),
        api_function!("api-policies", policies),
        api_function!("api-maintenance", maintenance),
        api_function!("api-workflows", workflows),
        FunctionDef {
            name: "webhook-stripe",
            wires: wiring::STRIPE_WEBHOOKS,
            routes: webhooks::stripe::ROUTES,
            handler: Handler::Http(|app, req| Box::pin(api::route::dispatch(app, webhooks::stripe::ROUTES, req))),
        },
        FunctionDef {
            name: "webhook-plaid",
            wires: wiring::PLAID,
            routes: webhooks::plaid::ROUTES,
            handler: Handler::Http(|app, req| Box::pin(api::route::dispatch(app, webhooks::plaid::ROUTES, req))),
        },
    ];
    all.extend(event_functions());
    all.extend(jobs::Job::ALL.into_iter().flat_map(job_functions));
    all
}

/// `main` of an S3-triggered function.
pub async fn run_s3(wires: &[portfolio::platform::Wire], handler: S3Handler) -> Result<(), lambda_runtime::Error> {
    portfolio::platform::telemetry::init();
    let app: &'static App = Box::leak(Box::new(App::from_env(wires).await?));
    lambda_runtime::run(lambda_runtime::service_fn(move |ev: lambda_runtime::LambdaEvent<S3Event>| {
        handler(app, ev.payload)
    }))
    .await
}

/// `main` of an SQS-triggered function (partial batch responses).
pub async fn run_sqs(wires: &[portfolio::platform::Wire], handler: SqsHandler) -> Result<(), lambda_runtime::Error> {
    portfolio::platform::telemetry::init();
    let app: &'static App = Box::leak(Box::new(App::from_env(wires).await?));
    lambda_runtime::run(lambda_runtime::service_fn(move |ev: lambda_runtime::LambdaEvent<SqsEvent>| async move {
        Ok::<_, lambda_runtime::Error>(handler(app, ev.payload).await)
    }))
    .await
}

/// `main` of a DynamoDB-stream-triggered function (partial batch responses).
pub async fn run_stream(
    wires: &[portfolio::platform::Wire],
    handler: StreamHandler,
) -> Result<(), lambda_runtime::Error> {
    portfolio::platform::telemetry::init();
    let app: &'static App = Box::leak(Box::new(App::from_env(wires).await?));
    lambda_runtime::run(lambda_runtime::service_fn(
        move |ev: lambda_runtime::LambdaEvent<DynamoDbStreamEvent>| async move {
            Ok::<_, lambda_runtime::Error>(handler(app, ev.payload).await)
        },
    ))
    .await
}

/// `main` of a scheduled job.
pub async fn run_job(wires: &[portfolio::platform::Wire], handler: JobHandler) -> Result<(), lambda_runtime::Error> {
    portfolio::platform::telemetry::init();
    let app: &'static App = Box::leak(Box::new(App::from_env(wires).await?));
    lambda_runtime::run(lambda_runtime::service_fn(move |ev: lambda_runtime::LambdaEvent<serde_json::Value>| {
        handler(app, ev.payload)
    }))
    .await
}

/// `main` of an API function: logs, clients once per cold start, then serve.
pub async fn run_api(wires: &[portfolio::platform::Wire], handler: HttpHandler) -> Result<(), lambda_http::Error> {
    portfolio::platform::telemetry::init();
    let app = App::from_env(wires).await?;
    let app: &'static App = Box::leak(Box::new(app));
    lambda_http::run(lambda_http::service_fn(move |req: Request| async move {
        Ok::<_, std::convert::Infallible>(handler(app, req).await)
    }))
    .await
}

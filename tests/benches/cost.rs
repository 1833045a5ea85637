//! `make bench` (cost): what one org-month of a typical 50-unit org costs on AWS, measured.
//!
//! The local stack runs a month (February 2027) for one seeded org: every daily job on every day
//! (the rent run, late fees, rent reminders, the delinquency snapshot: what the schedules do),
//! 50 rent payments, the owner's daily reads of the app, and every event through the outbox to
//! the notifier (email) and to one webhook subscription. Every AWS request is recorded at the
//! HTTP layer (`e2e::cost::recorder`): DynamoDB request units from the items' sizes, SQS,
//! EventBridge, S3, SES and KMS requests; devstack counts each function's invocations and times
//! each one (Lambda bills the handler's duration at the function's memory size in
//! template.yaml); devstack's gateway counts the API requests. The counts are priced with the one
//! table in `e2e::cost::prices` and held to the target of $0.05 per org-month.
//!
//! Durations are this machine's wall time for the release build talking to moto on localhost
//! (about 2–3 ms a DynamoDB call; AWS is in the same range), while the rest of the stack polls
//! on the same 2 cores: an upper bound rather than a forecast.

use chrono::{NaiveDate, TimeDelta};
use devstack::pumps::{logical_target, sqs_sources};
use e2e::cost::prices::{Line, PRICES, TARGET_PER_ORG_MONTH};
use e2e::cost::recorder::Recorder;
use e2e::hooks::receiver;
use e2e::TestApp;
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

/// The org: units (one building), each with one tenant on an active lease.
const UNITS: usize = 50;
/// The month modelled (February 2027: 28 days). January is set up and paid before it.
const MONTH_START: &str = "2027-02-01";
const DAYS: i64 = 28;
const RENT: &str = "1500.00";
/// Tenants who pay late (on the 12th, after the 5-day grace period: each gets a late fee and
/// pays it with the rent); the others pay on the 3rd. One payment per lease.
const LATE_PAYERS: usize = 5;
const ON_TIME_DAY: i64 = 3;
const LATE_DAY: i64 = 12;
/// The owner opens the app once a day and reads: delinquency, occupancy, the first page of
/// leases, and two lease ledgers (a different pair each day). Assumed, not measured.
const DAILY_LEDGER_READS: usize = 2;
/// The webhook subscription: an accounting integration that follows money.
const WEBHOOK_EVENTS: [&str; 2] = ["payment.received", "charge.created"];
/// The daily schedules of template.yaml, in the order they fire in a day (05:00, 07:00,
/// 13:00, 23:30 UTC), and the payments and reads that happen during the day.
const MORNING_JOBS: [&str; 2] = ["job-rent-scheduler", "job-late-fees"];
const AFTERNOON_JOBS: [&str; 1] = ["job-rent-reminders"];
const EVENING_JOBS: [&str; 1] = ["job-delinquency-snapshot"];

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Invocations and billed milliseconds per function.
fn invocations(app: &TestApp) -> BTreeMap<String, (u64, u64)> {
    app.stack
        .gateway
        .functions
        .iter()
        .map(|f| {
            let i = f.invocations();
            (f.def.name.to_owned(), (i.count, i.billed_ms))
        })
        .collect()
}

/// Waits until the stack is idle: the event queues drained and no invocation or DynamoDB call
/// for 3 s (only idle polls).
async fn settle(app: &TestApp, rec: &Recorder, queues: &[String]) {
    for q in queues {
        app.stack.wait_drained(q, Duration::from_secs(120)).await.expect("queue drains");
    }
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut last = None;
    let mut quiet = 0;
    while quiet < 3 {
        assert!(Instant::now() < deadline, "the stack never went idle");
        tokio::time::sleep(Duration::from_secs(1)).await;
        let t = rec.tally().await;
        let now = (invocations(app).values().map(|v| v.0).sum::<u64>(), t.dynamodb_calls());
        quiet = if last == Some(now) { quiet + 1 } else { 0 };
        last = Some(now);
    }
}

fn fmt(d: Decimal) -> String {
    let d = d.normalize();
    if d.scale() > 6 {
        d.round_dp(6).normalize().to_string()
    } else {
        d.to_string()
    }
}

#[tokio::main]
async fn main() {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into());
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
    let plain = devstack::sdk_config(&endpoint, &region).await;
    let template = devstack::template::Template::load_default().expect("template.yaml");
    let gsis: Vec<(String, String)> = template.raw["Resources"]["Table"]["Properties"]["GlobalSecondaryIndexes"]
        .as_sequence()
        .into_iter()
        .flatten()
        .map(|g| {
            let attr = |kind: &str| {
                g["KeySchema"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .find(|k| k["KeyType"].as_str() == Some(kind))
                    .and_then(|k| k["AttributeName"].as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            (attr("HASH"), attr("RANGE"))
        })
        .collect();
    let rec = Recorder::new(&plain, gsis);
    let http = rec.http_client();
    let app = TestApp::spawn_custom(&[], |o| o.http_client = Some(http)).await;
    // Which queues Lambda polls, and which the bus's rules deliver to.
    let esm: HashSet<String> =
        sqs_sources(&app.stack.template, &app.stack.refs).unwrap().into_iter().map(|s| s.queue_url).collect();
    let eventbridge: HashSet<String> = app
        .stack
        .template
        .resources_of("AWS::Events::Rule")
        .into_iter()
        .flat_map(|(_, r)| r["Properties"]["Targets"].as_sequence().cloned().unwrap_or_default())
        .filter_map(|t| logical_target(&t["Arn"]))
        .filter_map(|q| app.stack.refs.get(&q).cloned())
        .collect();
    let event_queues: Vec<String> = eventbridge.iter().cloned().chain(esm.iter().cloned()).collect();
    rec.set_queues(esm, eventbridge);

    // --- Setup (not counted): the org, 50 units, tenants and leases, January billed and paid.
    let owner = "cost-owner@example.com";
    let org = app.create_org(owner, "Cost Model Apartments").await;
    let t = app.token(owner);
    let building = app.create_building(&org, owner, "Maple Court").await;
    let units = app
        .post(
            &format!("/api/v1/orgs/{org}/buildings/{building}/units:bulk"),
            &t,
            json!({"pattern": format!("{{1..{UNITS}}}")}),
        )
        .await
        .expect(201);
    let unit_ids: Vec<String> =
        units.body["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(unit_ids.len(), UNITS);
    let mut leases = Vec::new();
    for (i, unit) in unit_ids.iter().enumerate() {
        let tenant = app
            .post(
                &format!("/api/v1/orgs/{org}/tenants"),
                &t,
                json!({"firstName": "Tenant", "lastName": format!("No{i}"), "email": format!("tenant{i}@example.com")}),
            )
            .await
            .expect(201)
            .id();
        let lease = app
            .post(
                &format!("/api/v1/orgs/{org}/leases"),
                &t,
                json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2027-01-01", "dueDay": 1,
                       "rent": {"amount": RENT, "currency": "USD"},
                       "lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}}),
            )
            .await
            .expect(201)
            .id();
        app.post(&format!("/api/v1/orgs/{org}/leases/{lease}:activate"), &t, json!({})).await.expect(200);
        leases.push(lease);
    }
    app.stack.run_job_to_completion("job-rent-scheduler", json!({"runDate": "2027-01-01"})).await.unwrap();
    for lease in &leases {
        let body = json!({"amount": {"amount": RENT, "currency": "USD"}, "receivedOn": "2027-01-03", "method": "ach"});
        app.post_keyed(&format!("/api/v1/orgs/{org}/leases/{lease}/payments"), &t, body).await.expect(201);
    }
    let (hooks, url) = receiver(&[]).await;
    app.post(&format!("/api/v1/orgs/{org}/webhooks"), &t, json!({"url": url, "eventTypes": WEBHOOK_EVENTS}))
        .await
        .expect(201);
    settle(&app, &rec, &event_queues).await;

    // --- The month (counted).
    rec.reset();
    let inv0 = invocations(&app);
    let api0 = app.stack.gateway.requests();
    let hooks0 = hooks.count();
    let started = Instant::now();
    let mut payments = 0;
    let mut reads = 0;
    for d in 0..DAYS {
        let date = day(MONTH_START) + TimeDelta::days(d);
        let stack = &app.stack;
        let run = move |job: &'static str| async move {
            stack.run_job_to_completion(job, json!({"runDate": date.to_string()})).await.unwrap();
        };
        for job in MORNING_JOBS {
            run(job).await;
        }
        let payers: Vec<(usize, &String)> = leases
            .iter()
            .enumerate()
            .filter(|(i, _)| if *i < LATE_PAYERS { d + 1 == LATE_DAY } else { d + 1 == ON_TIME_DAY })
            .collect();
        for (i, lease) in payers {
            let amount = if i < LATE_PAYERS { "1550.00" } else { RENT };
            let body = json!({"amount": {"amount": amount, "currency": "USD"}, "receivedOn": date.to_string(), "method": "ach"});
            app.post_keyed(&format!("/api/v1/orgs/{org}/leases/{lease}/payments"), &t, body).await.expect(201);
            payments += 1;
        }
        let mut paths = vec![
            format!("/api/v1/orgs/{org}/delinquency?asOf={date}"),
            format!("/api/v1/orgs/{org}/occupancy?date={date}"),
            format!("/api/v1/orgs/{org}/leases?limit=50"),
        ];
        for k in 0..DAILY_LEDGER_READS {
            let lease = &leases[(d as usize * DAILY_LEDGER_READS + k) % leases.len()];
            paths.push(format!("/api/v1/orgs/{org}/leases/{lease}/ledger?asOf={date}"));
        }
        for p in paths {
            app.get(&p, &t).await.expect(200);
            reads += 1;
        }
        for job in AFTERNOON_JOBS {
            run(job).await;
        }
        for job in EVENING_JOBS {
            run(job).await;
        }
    }
    settle(&app, &rec, &event_queues).await;
    let tally = rec.tally().await;
    let inv1 = invocations(&app);
    let api = app.stack.gateway.requests() - api0;
    let webhooks_delivered = (hooks.count() - hooks0) as u64;

    // Lambda: invocations and GB-seconds at each function's memory size.
    let global_mb = template.raw["Globals"]["Function"]["MemorySize"].as_u64().unwrap_or(128);
    let mut lambda_rows = Vec::new();
    let (mut lambda_requests, mut gb_s) = (0u64, Decimal::ZERO);
    for f in &template.functions {
        let (c0, ms0) = inv0.get(&f.binary).copied().unwrap_or_default();
        let (c1, ms1) = inv1.get(&f.binary).copied().unwrap_or_default();
        if c1 == c0 {
            continue;
        }
        let mb = f.properties["MemorySize"].as_u64().unwrap_or(global_mb);
        let g = Decimal::from(ms1 - ms0) * Decimal::from(mb) / Decimal::from(1024 * 1000);
        lambda_requests += c1 - c0;
        gb_s += g;
        lambda_rows.push((f.binary.clone(), c1 - c0, ms1 - ms0, mb, g));
    }

    // SQS as AWS bills it: the functions' sends, EventBridge's deliveries to the rules' queues,
    // and per batch Lambda's poller hands a function one ReceiveMessage and one
    // DeleteMessageBatch.
    let deliveries = tally.sqs_eventbridge_deliveries.len() as u64;
    let sqs = tally.sqs_sent + deliveries + 2 * tally.sqs_esm_receives;
    let (table_bytes, gsi_bytes) = rec.stored_bytes();
    let gb = Decimal::from(1u64 << 30);

    let quantities: BTreeMap<Line, Decimal> = [
        (Line::DynamoWrite, Decimal::from(tally.wru_total())),
        (Line::DynamoRead, Decimal::from(tally.rru_half_total()) / Decimal::from(2)),
        (Line::DynamoStorage, Decimal::from(table_bytes + gsi_bytes) / gb),
        (Line::DynamoPitr, Decimal::from(table_bytes) / gb),
        (Line::LambdaRequests, Decimal::from(lambda_requests)),
        (Line::LambdaGbSeconds, gb_s),
        (Line::ApiRequests, Decimal::from(api)),
        (Line::SqsRequests, Decimal::from(sqs)),
        (Line::EventBridgeEvents, Decimal::from(tally.eventbridge_events)),
        (Line::S3PutClass, Decimal::from(tally.s3_put_class)),
        (Line::S3GetClass, Decimal::from(tally.s3_get_class)),
        (Line::SesEmails, Decimal::from(tally.ses_emails)),
        (Line::KmsRequests, Decimal::from(tally.kms_requests)),
        // Tracing is Active on every function: each invocation records a trace (the default
        // sampling keeps the first request each second, which at an org's rate is all of them).
        (Line::XrayTraces, Decimal::from(lambda_requests)),
    ]
    .into_iter()
    .collect();

    println!(
        "== cost of one org-month: {UNITS} units, {MONTH_START} + {DAYS} days, {payments} payments, {reads} app reads, \
         {webhooks_delivered} webhook deliveries (measured in {:.0} s)",
        started.elapsed().as_secs_f64()
    );
    println!("{:<42} {:>14} {:<9} {:>18} {:>12}", "line item", "count", "unit", "list price", "cost (USD)");
    let mut total = Decimal::ZERO;
    for p in PRICES {
        let q = quantities.get(&p.line).copied().unwrap_or_default();
        let cost = p.cost(q);
        total += cost;
        let per = match p.per {
            1 => String::new(),
            1_000 => " / 1K".into(),
            10_000 => " / 10K".into(),
            1_000_000 => " / 1M".into(),
            n => format!(" / {n}"),
        };
        println!("{:<42} {:>14} {:<9} {:>18} {:>12}", p.label, fmt(q), p.unit, format!("${}{per}", p.usd), fmt(cost));
    }
    let target: Decimal = TARGET_PER_ORG_MONTH.parse().unwrap();
    println!("{:<42} {:>14} {:<9} {:>18} {:>12}", "TOTAL per org-month", "", "", "", fmt(total));
    println!(
        "target ${target} per org-month: {} ({}% of it)",
        if total <= target { "MET" } else { "MISSED" },
        (total * Decimal::from(100) / target).round_dp(1)
    );

    println!("\n-- where the counts come from");
    let ops =
        |m: &BTreeMap<String, u64>, half: bool| {
            m.iter()
                .map(|(op, n)| {
                    if half {
                        format!("{op} {}", fmt(Decimal::from(*n) / Decimal::from(2)))
                    } else {
                        format!("{op} {n}")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
    println!("DynamoDB WRU by operation: {}", ops(&tally.wru, false));
    println!("DynamoDB RRU by operation: {}", ops(&tally.rru_half, true));
    let calls = |svc: &str| {
        tally
            .calls
            .iter()
            .filter(|((s, _), _)| s == svc)
            .map(|((_, op), n)| format!("{op}×{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!("DynamoDB requests: {}", calls("dynamodb"));
    println!(
        "DynamoDB storage at month end: table {:.1} KB, GSIs {:.1} KB (items + 100 B each)",
        table_bytes as f64 / 1024.0,
        gsi_bytes as f64 / 1024.0
    );
    println!(
        "SQS billed: {} sent by functions + {deliveries} EventBridge deliveries + {} non-empty receives × 2 (ReceiveMessage + DeleteMessageBatch); \
         not billed to an org: {} empty receives (devstack polls at 50–400 ms; Lambda's pollers long-poll per queue whatever the orgs), \
         {} receives of devstack-only S3 notification queues, devstack's own {} deletes",
        tally.sqs_sent, tally.sqs_esm_receives, tally.sqs_esm_empty_receives, tally.sqs_local_only, tally.sqs_deletes
    );
    println!("EventBridge: {}; DynamoDB Streams (free to Lambda): {}", calls("events"), calls("dynamodbstreams"));
    println!(
        "SES: {} emails; KMS: {}; S3: {}; SNS SMS (not priced): {}",
        tally.ses_emails,
        calls("kms"),
        calls("s3"),
        tally.sns_sms
    );
    println!("API Gateway: {api} requests");
    println!(
        "{:<36} {:>11} {:>11} {:>7} {:>12} {:>10}",
        "Lambda function", "invocations", "billed ms", "MB", "GB-s", "ms/call"
    );
    for (name, n, ms, mb, g) in &lambda_rows {
        println!("{name:<36} {n:>11} {ms:>11} {mb:>7} {:>12} {:>10.1}", fmt(*g), *ms as f64 / *n as f64);
    }
    println!(
        "not modelled: CloudWatch Logs ingestion, init (cold start) durations, data transfer, per-deployment fixed \
         costs (KMS key, idle pollers, schedules); no free tier"
    );
}

//! `make bench` (burst): the local stack after a burst of events, with its pumps running as in
//! `make dev`.
//!
//! An org with a webhook endpoint for `tenant.created` writes `BENCH_BURST` (10 000)
//! `charge.created` events the way a large rent run does (outbox items in transactions of 100),
//! then one tenant through the API. Measured:
//!
//! 1. drain: from the burst's last write until the tenant's event reached the endpoint (the
//!    stream is read in order, so every burst event was relayed before it) and every queue of the
//!    stack is empty (visible, in flight and delayed);
//! 2. then a new event's latency, write → endpoint (median of 5).
//!
//! Goals (issue "1 of 6"): drained within 5 minutes, a new event within 5 s.

use aws_sdk_sqs::types::QueueAttributeName as A;
use e2e::hooks::subscribed;
use e2e::measure::median;
use e2e::TestApp;
use portfolio::billing::events::ChargeCreated;
use portfolio::billing::model::{ChargeKind, ChargeSource};
use portfolio::events;
use portfolio::ids::{ChargeId, LeaseId, OrgId};
use portfolio::money::{Currency, Money};
use portfolio::platform::db::{Db, Tx};
use portfolio::platform::scope::OrgScope;
use serde_json::json;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Messages on `queue` (visible, in flight, delayed).
async fn depth(sqs: &aws_sdk_sqs::Client, queue: &str) -> u64 {
    let out = sqs.get_queue_attributes().queue_url(queue).attribute_names(A::All).send().await.unwrap();
    let attrs = out.attributes.unwrap_or_default();
    let count = |a: A| attrs.get(&a).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    count(A::ApproximateNumberOfMessages)
        + count(A::ApproximateNumberOfMessagesNotVisible)
        + count(A::ApproximateNumberOfMessagesDelayed)
}

/// `n` `charge.created` events for `org`, written as outbox items in transactions of 100.
async fn burst(db: &Db, org: &str, n: usize) {
    let scope = OrgScope::for_tests(OrgId::parse(org).unwrap());
    let usd = Currency::parse("USD").unwrap();
    let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(100) {
        let mut tx = Tx::new();
        for _ in chunk {
            let lease_id = LeaseId::new();
            events::emit(
                &mut tx,
                &scope,
                &ChargeCreated {
                    charge_id: ChargeId::rent(&lease_id, 2026, 12),
                    lease_id,
                    kind: ChargeKind::Rent,
                    amount: Money::new(150_000, usd).into(),
                    due_date: due,
                    source: ChargeSource::RentRun,
                    period: Some("2026-12".into()),
                    fx: None,
                },
            );
        }
        db.transact(tx).await.expect("burst written");
    }
}

/// The emulator's per-action counters (calls, seconds) from `GET /_emulator/stats`.
async fn emulator_stats() -> HashMap<String, (u64, f64)> {
    let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL") else { return HashMap::new() };
    let Ok(r) = reqwest::get(format!("{endpoint}/_emulator/stats")).await else { return HashMap::new() };
    let v: HashMap<String, serde_json::Value> = r.json().await.unwrap_or_default();
    v.into_iter().map(|(k, v)| (k, (v["calls"].as_u64().unwrap_or(0), v["seconds"].as_f64().unwrap_or(0.0)))).collect()
}

/// What the emulator spent its time on between two readings, busiest first.
fn print_emulator_time(before: &HashMap<String, (u64, f64)>, after: &HashMap<String, (u64, f64)>, n: usize) {
    let mut rows: Vec<(String, u64, f64)> = after
        .iter()
        .map(|(k, (c, t))| {
            let (c0, t0) = before.get(k).copied().unwrap_or_default();
            (k.clone(), c - c0, t - t0)
        })
        .filter(|r| r.1 > 0)
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2));
    let total: f64 = rows.iter().map(|r| r.2).sum();
    println!("emulator busy {total:.1} s over the drain; by action (calls, calls per event, seconds):");
    for (k, c, t) in rows.iter().take(10) {
        println!("  {k:<28} {c:>7} {:>6.2} {t:>7.1}", *c as f64 / n as f64);
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_BURST").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let app = TestApp::spawn_with(&[]).await;
    let owner = "bench-burst@example.com";
    let org = app.create_org(owner, "Bench Burst").await;
    let token = app.token(owner);
    let seen = subscribed(&app, &org, &token, &["tenant.created"]).await;
    let tenants = format!("/api/v1/orgs/{org}/tenants");
    let tenant = |email: &str| json!({"firstName": "B", "lastName": "B", "email": email});
    let arrived = |email: &str| seen.first(|h| h.json()["data"]["email"] == email);
    let queues: Vec<String> = app
        .stack
        .refs
        .iter()
        .filter(|(k, _)| k.ends_with("Queue") && !k.contains('.'))
        .map(|(_, v)| v.clone())
        .collect();
    let sqs = aws_sdk_sqs::Client::new(&app.stack.sdk);

    let db = Db::new(&app.stack.sdk, app.stack.table_name());
    let stats_before = emulator_stats().await;
    let t0 = Instant::now();
    burst(&db, &org, n).await;
    let written = t0.elapsed();
    app.post(&tenants, &token, tenant("after-burst@example.com")).await.expect(201);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(900);
    let mut last_report = start;
    let (probe_at, drained_at) = loop {
        let probe = arrived("after-burst@example.com");
        let mut left = 0;
        if let Some(at) = probe {
            for q in &queues {
                left += depth(&sqs, q).await;
            }
            if left == 0 {
                break (at, Instant::now());
            }
        }
        if last_report.elapsed() > Duration::from_secs(30) {
            if probe.is_none() {
                for q in &queues {
                    left += depth(&sqs, q).await;
                }
            }
            let probe = if probe.is_some() { "arrived" } else { "not yet" };
            eprintln!("  … {:.0} s: probe {probe}; {left} messages queued", start.elapsed().as_secs_f64());
            last_report = Instant::now();
        }
        assert!(Instant::now() < deadline, "not drained after 15 minutes");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let stats_after = emulator_stats().await;
    let relayed = probe_at.duration_since(start);
    let drained = drained_at.duration_since(start);

    print_emulator_time(&stats_before, &stats_after, n);
    let mut lat = Vec::new();
    for i in 0..5 {
        let email = format!("fresh{i}@example.com");
        let t = Instant::now();
        app.post(&tenants, &token, tenant(&email)).await.expect(201);
        while arrived(&email).is_none() {
            assert!(t.elapsed() < Duration::from_secs(120), "a new event did not arrive in 2 minutes");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        lat.push(t.elapsed());
    }
    let fresh = median(&mut lat);
    let calls = |f: &str| app.stack.function(f).map(|f| f.invocations().count).unwrap_or(0);
    println!("== burst of {n} events with the pumps running (as `make dev`)");
    println!(
        "burst written in {:.1} s ({} transactions of ≤ 100 outbox items)",
        written.as_secs_f64(),
        n.div_ceil(100)
    );
    println!(
        "the event written after it reached its webhook after {:.1} s; every queue empty after {:.1} s → {:.0} events/s (goal: drained ≤ 300 s: {})",
        relayed.as_secs_f64(),
        drained.as_secs_f64(),
        n as f64 / drained.as_secs_f64(),
        if drained <= Duration::from_secs(300) { "met" } else { "NOT met" }
    );
    println!(
        "then a new event, write → webhook: median {:.0} ms of 5 (goal ≤ 5 s: {})",
        fresh.as_secs_f64() * 1e3,
        if fresh <= Duration::from_secs(5) { "met" } else { "NOT met" }
    );
    println!(
        "invocations: relay {}, dispatcher {}, notifier {}",
        calls("consumer-outbox-relay"),
        calls("consumer-webhook-dispatcher"),
        calls("consumer-notifier")
    );
}

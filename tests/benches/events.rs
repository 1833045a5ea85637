//! `make bench` (events): the outbox pipeline on the emulator, through devstack.
//!
//! 1. Throughput: N writes (tenant creations, each one `tenant.created` event) as fast as the API
//!    takes them, until the last event reached a webhook receiver on 127.0.0.1:
//!    stream → relay → bus → queue → dispatcher → delivery queue → signed POST.
//! 2. Latency of one event, written alone, to the receiver (median of M), against the raw emulator
//!    round trips the path needs (the DynamoDB/stream/EventBridge/SQS calls it makes, each timed
//!    as a median raw `GetItem`).

use e2e::hooks::{subscribed, Receiver};
use e2e::measure::median;
use e2e::TestApp;
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// How many distinct events reached the receiver (a redelivered event counts once).
fn distinct(r: &Receiver) -> usize {
    r.hits().iter().filter_map(|h| h.headers.get("Portfolio-Event-Id").cloned()).collect::<HashSet<_>>().len()
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let m: usize = 20;
    let app = TestApp::spawn_with(&[]).await;
    let owner = "bench-events@example.com";
    let org = app.create_org(owner, "Bench Events").await;
    let token = app.token(owner);
    let seen = subscribed(&app, &org, &token, &["tenant.created"]).await;
    let tenant = |i: usize| json!({"firstName": "B", "lastName": "E", "email": format!("be{i}@example.com")});

    // 1. Throughput (8 writers at a time).
    let start = Instant::now();
    let tenants_path = format!("/api/v1/orgs/{org}/tenants");
    for chunk in (0..n).collect::<Vec<_>>().chunks(8) {
        let calls = chunk.iter().map(|i| app.post(&tenants_path, &token, tenant(*i)));
        for r in futures::future::join_all(calls).await {
            assert_eq!(r.status, 201);
        }
    }
    let written = start.elapsed();
    let deadline = Instant::now() + Duration::from_secs(300);
    while distinct(&seen) < n {
        assert!(Instant::now() < deadline, "only {} of {n} events arrived", distinct(&seen));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let total = start.elapsed();
    println!("== events through stream → relay → bus → queue → dispatcher → signed POST (n={n})");
    println!(
        "writes took {:.2} s; the last event arrived after {:.2} s → {:.1} events/s end to end",
        written.as_secs_f64(),
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64()
    );

    // 2. Latency of one event at a time.
    let mut lat = Vec::with_capacity(m);
    for i in 0..m {
        let t = Instant::now();
        let r = app.post(&format!("/api/v1/orgs/{org}/tenants"), &token, tenant(n + i)).await.expect(201);
        let _ = r;
        loop {
            let count = distinct(&seen);
            if count > n + i {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        lat.push(t.elapsed());
    }
    let e2e = median(&mut lat);
    // The raw round trips on the path: the write (1 transaction), the stream read (1 GetRecords),
    // the publish (1 PutEvents), the bus → queue hop and the dispatcher's receive (1 ReceiveMessage),
    // its marker (PutItem + UpdateItem), the endpoint query, the delivery item (PutItem), the
    // delivery message (SendMessage + ReceiveMessage), the attempt's reads (2 GetItem) and its
    // record (1 TransactWriteItems), the POST itself not counted: 13 calls.
    let rtt = e2e::measure::raw_round_trip(&app, &org).await;
    let calls = 13u32;
    println!("one event, write → receiver: median {:.1} ms (n={m}); raw emulator round trip {:.2} ms × {calls} calls = {:.1} ms; ratio {:.1}x",
        e2e.as_secs_f64() * 1e3, rtt.as_secs_f64() * 1e3, (rtt * calls).as_secs_f64() * 1e3,
        e2e.as_secs_f64() / (rtt * calls).as_secs_f64());
    println!("(the rest is polling: devstack polls the stream and each queue, backing off from 50 to 400 ms when idle, as Lambda's pollers do at their own pace)");
}

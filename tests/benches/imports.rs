//! `make bench` (imports): a CSV import of N tenants (`BENCH_IMPORT_ROWS`, 10,000) through
//! devstack — the file PUT to its presigned URL, the bucket's notification, `consumer-import`
//! reading it, validating every row, checking which are already in the org and committing them
//! in transactions of at most 100 items (33 rows: tenant, email reservation, event) — timed from
//! the upload to `committed`. Against the raw floor: the same number of items (3 per row, of the
//! same sizes) written with `BatchWriteItem` (25 per call) to the same emulator, in the same run,
//! the two interleaved (half of each per round) so neither pays alone for the table's growth.

use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use e2e::TestApp;
use portfolio::ids::{OrgId, TenantId};
use portfolio::leasing::model::{email_key, Tenant, TENANT_EMAIL_ENTITY, TENANT_ENTITY};
use portfolio::platform::db::{keys, Item, ItemBuilder};
use portfolio::platform::scope::OrgScope;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn csv(n: usize, tag: &str) -> String {
    let mut out = String::from("firstName,lastName,email,phone\n");
    for i in 0..n {
        out.push_str(&format!("First{i},Last{i},{tag}-{i}@example.com,+1 555 010 {:04}\n", i % 10_000));
    }
    out
}

async fn raw(app: &TestApp, n: usize) -> Duration {
    let scope = OrgScope::for_tests(OrgId::new());
    let now = chrono::Utc::now();
    let mut items: Vec<Item> = Vec::with_capacity(3 * n);
    for i in 0..n {
        let t = Tenant {
            id: TenantId::new(),
            first_name: format!("First{i}"),
            last_name: format!("Last{i}"),
            email: format!("raw-{i}@example.com"),
            phone: Some(format!("+1 555 010 {:04}", i % 10_000)),
            created_at: now,
            updated_at: now,
            v: 1,
        };
        items.push(ItemBuilder::new(TENANT_ENTITY, &keys::tenant(&scope, &t.id), &t).build());
        let reservation = json!({"tenantId": t.id});
        items.push(
            ItemBuilder::new(TENANT_EMAIL_ENTITY, &keys::tenant_email(&scope, &email_key(&t.email)), &reservation)
                .build(),
        );
        let event = portfolio::events::Event::of(&scope, &portfolio::leasing::events::TenantCreated::from(&t), now);
        items.push(ItemBuilder::new(portfolio::events::ENTITY, &keys::event(&scope, &event.id), &event).build());
    }
    let client = app.dynamodb();
    let table = app.stack.table_name().to_owned();
    let started = Instant::now();
    for chunk in items.chunks(25) {
        let mut pending: Vec<WriteRequest> = chunk
            .iter()
            .map(|i| {
                WriteRequest::builder()
                    .put_request(PutRequest::builder().set_item(Some(i.clone())).build().unwrap())
                    .build()
            })
            .collect();
        while !pending.is_empty() {
            let out = client.batch_write_item().request_items(&table, pending).send().await.expect("batch write");
            pending = out.unprocessed_items.and_then(|mut u| u.remove(&table)).unwrap_or_default();
        }
    }
    started.elapsed()
}

async fn import(app: &TestApp, org: &str, token: &str, n: usize) -> (Duration, Value) {
    let body = csv(n, &ulid::Ulid::new().to_string().to_lowercase());
    let create = json!({"kind": "tenants", "name": "bench.csv", "sizeBytes": body.len(), "dryRun": false});
    let created = app.post(&format!("/api/v1/orgs/{org}/imports"), token, create).await.expect(201).body;
    let id = created["id"].as_str().unwrap().to_owned();
    let up = &created["upload"];
    let mut req = app.http.put(up["url"].as_str().unwrap()).body(body.into_bytes());
    for (k, v) in up["headers"].as_object().unwrap() {
        req = req.header(k.as_str(), v.as_str().unwrap());
    }
    let started = Instant::now();
    assert!(req.send().await.unwrap().status().is_success());
    loop {
        let i = app.get(&format!("/api/v1/orgs/{org}/imports/{id}"), token).await.expect(200).body;
        match i["status"].as_str() {
            Some("committed") => return (started.elapsed(), i),
            Some("validated" | "failed") => panic!("the import stopped: {i}"),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_IMPORT_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let app = TestApp::spawn_with(&[]).await;
    let owner = "bench-import@example.com";
    let org = app.create_org(owner, "Bench Imports").await;
    let token = app.token(owner);
    // Warm-up: a small import, and a small raw write.
    import(&app, &org, &token, 50).await;
    raw(&app, 50).await;
    // The emulator slows as its table grows, so neither side runs wholly after the other: each
    // writes half its rows in each of two rounds, in alternating order (raw, import; import, raw).
    let halves = [n / 2, n - n / 2];
    let (mut took, mut raw_took) = (Duration::ZERO, Duration::ZERO);
    for (round, &rows) in halves.iter().enumerate() {
        if round % 2 == 0 {
            raw_took += raw(&app, rows).await;
        }
        let (t, done) = import(&app, &org, &token, rows).await;
        assert_eq!(done["counts"]["created"].as_u64(), Some(rows as u64), "{done}");
        took += t;
        if round % 2 == 1 {
            raw_took += raw(&app, rows).await;
        }
    }
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "== imports: {n} tenants from a CSV (upload → committed) vs raw BatchWriteItem of the same 3 items per row"
    );
    println!(
        "   import: {:>8.1} s  {:>8.0} rows/s  (validate every row, existence check, transactions of ≤ 100 items)",
        took.as_secs_f64(),
        rate(took)
    );
    println!("   raw:    {:>8.1} s  {:>8.0} rows/s", raw_took.as_secs_f64(), rate(raw_took));
    println!("   import / raw: {:.2}x the time", took.as_secs_f64() / raw_took.as_secs_f64());
}

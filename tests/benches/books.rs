//! `make bench` (books): the books on the emulator, through devstack.
//!
//! 1. Throughput: N payments written as fast as the API takes them, until every one is a journal
//!    entry: stream → relay → books FIFO queue (grouped by org) → consumer-books → entry.
//! 2. Latency of one payment, written alone, to its journal entry (median of M), against the raw
//!    emulator round trips that path needs (each timed as a median raw `GetItem`).
//! 3. The trial balance of an org with 10,000 journal lines against one raw paged `Query` of the
//!    same items (the read it is made of).
//! 4. The P&L and Schedule E of an org with five years of history (20,000 journal lines, as 50
//!    units make) against the same raw paged `Query`.

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use e2e::measure::{median, raw_round_trip};
use e2e::TestApp;
use portfolio::books::journal::chain_hash;
use portfolio::books::model::{EntryRecord, LineRecord, ENTRY_ENTITY};
use portfolio::books::poster::hex;
use portfolio::books::posting::Source;
use portfolio::ids::{AccountId, JournalEntryId, OrgId};
use portfolio::money::Currency;
use portfolio::platform::db::{keys, ItemBuilder};
use portfolio::platform::scope::OrgScope;
use serde_json::json;
use std::time::{Duration, Instant};

/// The books' last `seq`, read straight from the head item.
async fn head_seq(app: &TestApp, org: &str) -> u64 {
    let out = app
        .dynamodb()
        .get_item()
        .table_name(app.stack.table_name())
        .key("PK", AttributeValue::S(format!("ORG#{org}")))
        .key("SK", AttributeValue::S("BOOKS".into()))
        .send()
        .await
        .unwrap();
    out.item.and_then(|i| i.get("seq").and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok())).unwrap_or(0)
}

async fn wait_seq(app: &TestApp, org: &str, at_least: u64, poll: Duration) {
    let deadline = Instant::now() + Duration::from_secs(600);
    while head_seq(app, org).await < at_least {
        assert!(Instant::now() < deadline, "the books stopped at {} of {at_least}", head_seq(app, org).await);
        tokio::time::sleep(poll).await;
    }
}

/// `entries` entries of five lines over `days` days from 2022-01-01 (rent charged and paid,
/// repairs and utilities by building), chained as the poster chains them, written directly.
async fn seed_journal(app: &TestApp, org: &str, entries: u64, days: u64) -> usize {
    let org_id = OrgId::parse(org).unwrap();
    let scope = OrgScope::for_tests(org_id.clone());
    let usd = Currency::parse("USD").unwrap();
    let buildings: Vec<String> = (0..5).map(|_| portfolio::ids::BuildingId::new().to_string()).collect();
    let tagged = |code: &str, minor: i64, seq: u64, of: Option<&str>| LineRecord {
        account_id: AccountId::of(&org_id, code),
        code: code.to_owned(),
        currency: usd,
        minor,
        building_id: Some(buildings[(seq % 5) as usize].clone()),
        unit_id: None,
        base: None,
        of: of.map(str::to_owned),
    };
    let mut prev = [0u8; 32];
    let mut requests = Vec::new();
    for seq in 1..=entries {
        let key = format!("bench:{seq}");
        let start = if days > 365 { (2022, 1, 1) } else { (2026, 1, 1) };
        let date = chrono::NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap()
            + chrono::Duration::days((seq * days / entries) as i64);
        let mut e = EntryRecord {
            id: JournalEntryId::of(&org_id, &key),
            seq,
            key,
            source: Source { type_: "manual".into(), id: seq.to_string() },
            date,
            original_date: None,
            memo: "bench".into(),
            lines: if seq % 2 == 0 {
                vec![
                    tagged("1200", 100_000, seq, Some("4000")),
                    tagged("4000", -100_000, seq, None),
                    tagged("1050", 60_000, seq, None),
                    tagged("1200", -50_000, seq, Some("4000")),
                    tagged("2200", -10_000, seq, None),
                ]
            } else {
                vec![
                    tagged("5140", 40_00, seq, None),
                    tagged("5170", 25_00, seq, None),
                    tagged("5090", 10_00, seq, None),
                    tagged("1000", -70_00, seq, None),
                    tagged("2000", -5_00, seq, Some("5140")),
                ]
            },
            prev_hash: hex(&prev),
            hash: String::new(),
            posted_at: chrono::Utc::now(),
            posted_by: "bench".into(),
        };
        let h = chain_hash(&prev, &e.canonical());
        e.hash = hex(&h);
        prev = h;
        let item = ItemBuilder::new(ENTRY_ENTITY, &keys::journal_entry(&scope, seq), &e).build();
        requests.push(
            WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().unwrap()).build(),
        );
    }
    let client = app.dynamodb();
    for chunk in requests.chunks(25) {
        let mut pending = chunk.to_vec();
        while !pending.is_empty() {
            let out =
                client.batch_write_item().request_items(app.stack.table_name(), pending.clone()).send().await.unwrap();
            pending = out.unprocessed_items.and_then(|mut u| u.remove(app.stack.table_name())).unwrap_or_default();
        }
    }
    (entries * 5) as usize
}

/// The median of `n` API reads of `path` and of `n` raw paged Queries of the org's journal.
async fn against_raw(
    app: &TestApp,
    token: &str,
    org: &str,
    (path, n): (&str, usize),
    entries: usize,
) -> (Duration, Duration) {
    let mut api = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        app.get(path, token).await.expect(200);
        api.push(t.elapsed());
    }
    let mut raw = Vec::new();
    let client = app.dynamodb();
    for _ in 0..n {
        let t = Instant::now();
        let mut start = None;
        let mut items = 0;
        loop {
            let out = client
                .query()
                .table_name(app.stack.table_name())
                .key_condition_expression("PK = :pk")
                .expression_attribute_values(":pk", AttributeValue::S(format!("ORG#{org}#JRNL")))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .unwrap();
            items += out.items.map_or(0, |i| i.len());
            start = out.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        assert_eq!(items, entries);
        raw.push(t.elapsed());
    }
    (median(&mut api), median(&mut raw))
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_PAYMENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let m: usize = 20;
    let app = TestApp::spawn_with(&[]).await;
    let owner = "bench-books@example.com";
    let org = app.create_org(owner, "Bench Books").await;
    let token = app.token(owner);
    let b = app.create_building(&org, owner, "Bench Court").await;
    let unit = app
        .post(&format!("/api/v1/orgs/{org}/buildings/{b}/units"), &token, json!({"label": "1"}))
        .await
        .expect(201)
        .id();
    let tenant = json!({"firstName": "B", "lastName": "B", "email": "bb@example.com"});
    let tenant = app.post(&format!("/api/v1/orgs/{org}/tenants"), &token, tenant).await.expect(201).id();
    let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01", "rent": {"amount": "1000.00", "currency": "USD"}, "dueDay": 1});
    let lease = app.post(&format!("/api/v1/orgs/{org}/leases"), &token, lease).await.expect(201).id();
    app.post(&format!("/api/v1/orgs/{org}/leases/{lease}:activate"), &token, json!({})).await.expect(200);
    let pay = |i: usize| json!({"amount": {"amount": format!("{}.00", 10 + i % 50), "currency": "USD"}, "receivedOn": "2026-01-05", "method": "check", "allocate": "none"});
    let payments = format!("/api/v1/orgs/{org}/leases/{lease}/payments");
    let base = head_seq(&app, &org).await;

    // 1. Throughput (8 writers at a time).
    let start = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(8) {
        let calls = chunk.iter().map(|i| app.post_keyed(&payments, &token, pay(*i)));
        for r in futures::future::join_all(calls).await {
            assert_eq!(r.status, 201);
        }
    }
    let written = start.elapsed();
    wait_seq(&app, &org, base + n as u64, Duration::from_millis(20)).await;
    let total = start.elapsed();
    println!("== books: payments through stream → relay → books FIFO queue → consumer-books → journal (n={n})");
    println!(
        "writes took {:.2} s; the last entry was posted after {:.2} s → {:.1} events → entries/s",
        written.as_secs_f64(),
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64()
    );

    // 2. One payment at a time, write → its journal entry.
    let mut lat = Vec::with_capacity(m);
    for i in 0..m {
        let before = head_seq(&app, &org).await;
        let t = Instant::now();
        app.post_keyed(&payments, &token, pay(n + i)).await.expect(201);
        wait_seq(&app, &org, before + 1, Duration::from_millis(2)).await;
        lat.push(t.elapsed());
    }
    let one = median(&mut lat);
    let rtt = raw_round_trip(&app, &org).await;
    // The raw round trips on the path: the payment's transaction (1), the stream read (1
    // GetRecords), the relay's PutEvents and SendMessageBatch (2), the poster's ReceiveMessage (1),
    // its reads (lease, head, marker, periods: 4), its transaction (1) and DeleteMessageBatch (1):
    // 11 calls (the payment's own reads before its write not counted).
    let calls = 11u32;
    println!(
        "one payment, write → journal entry: median {:.1} ms (n={m}); raw emulator round trip {:.2} ms × {calls} calls = {:.1} ms; ratio {:.1}x",
        one.as_secs_f64() * 1e3,
        rtt.as_secs_f64() * 1e3,
        (rtt * calls).as_secs_f64() * 1e3,
        one.as_secs_f64() / (rtt * calls).as_secs_f64()
    );
    println!(
        "(the rest is polling: devstack polls the stream and each queue, backing off from 50 to 400 ms when idle)"
    );

    // 3. The trial balance over 10,000 lines against one raw paged Query of the same items.
    let big = app.create_org(owner, "Bench Trial Balance").await;
    let lines = seed_journal(&app, &big, 2_000, 365).await;
    let tb_path = format!("/api/v1/orgs/{big}/trial-balance?asOf=2026-12-31");
    let first = app.get(&tb_path, &token).await.expect(200).body;
    assert_eq!(first["balanced"], true);
    let (api, raw) = against_raw(&app, &token, &big, (&tb_path, 10), 2_000).await;
    println!(
        "trial balance over {lines} lines: median {:.1} ms through the API; one raw paged Query of the entries {:.1} ms; ratio {:.2}x",
        api.as_secs_f64() * 1e3,
        raw.as_secs_f64() * 1e3,
        api.as_secs_f64() / raw.as_secs_f64()
    );

    // 4. Five years of 50 units: the P&L of a year and Schedule E against the raw read.
    let years = app.create_org(owner, "Bench Five Years").await;
    let lines = seed_journal(&app, &years, 4_000, 5 * 365).await;
    for (what, path) in [
        (
            "P&L of 2026, accrual",
            format!("/api/v1/orgs/{years}/reports/profit-and-loss?from=2026-01-01&to=2026-12-31&basis=accrual"),
        ),
        ("P&L of 2026, cash", format!("/api/v1/orgs/{years}/reports/profit-and-loss?from=2026-01-01&to=2026-12-31")),
        ("Schedule E of 2026", format!("/api/v1/orgs/{years}/reports/schedule-e?year=2026")),
    ] {
        // Each read takes seconds on the emulator: three of each.
        let (api, raw) = against_raw(&app, &token, &years, (&path, 3), 4_000).await;
        println!(
            "{what} over {lines} lines of five years: median {:.1} ms through the API; one raw paged Query of the entries {:.1} ms; ratio {:.2}x",
            api.as_secs_f64() * 1e3,
            raw.as_secs_f64() * 1e3,
            api.as_secs_f64() / raw.as_secs_f64()
        );
    }
}

//! `make bench` (ledger): the rent run and payments, on the emulator.
//!
//! 1. The rent run for N active leases across N/50 orgs (`run_org` per org, as the generator
//!    consumer runs it: conditional writes with their events in transactions) vs raw
//!    `BatchWriteItem` of the same items (charge, `charge.created` event, watermark) on the same
//!    emulator; at 2 500, 5 000 and 10 000 leases (`BENCH_LEASES=2500,5000,10000`) to see whether
//!    it stays linear. Timed quietly: a fresh table per size, the stack's event pumps off, a
//!    warm-up, then `BENCH_REPS` (3) pairs alternating run and raw on fresh leases; medians.
//! 2. DynamoDB calls for one payment with auto allocation over 1, 5 and 20 open charges.

use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use chrono::{NaiveDate, Utc};
use e2e::measure::{median, ops_diff};
use e2e::TestApp;
use portfolio::billing::model::{ChargeKind, ChargeRecord, ChargeSource, ChargeStatus, Fx, WATERMARK_ENTITY};
use portfolio::billing::rent_run::{run_org, RunOptions};
use portfolio::billing::testing::charge_item;
use portfolio::core::model::{Org, ORG_ENTITY};
use portfolio::events::{self, Event};
use portfolio::ids::{ChargeId, LeaseId, OrgId, TenantId, UnitId};
use portfolio::leasing::model::{LeaseRecord, LeaseStatus, LEASE_ENTITY};
use portfolio::money::{Currency, StoredMoney};
use portfolio::platform::db::{keys, Item, ItemBuilder};
use portfolio::platform::scope::OrgScope;
use serde_json::json;
use std::time::{Duration, Instant};

const PER_ORG: usize = 50;

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn batch_write(client: &aws_sdk_dynamodb::Client, table: &str, items: Vec<Item>) {
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
            let out = client.batch_write_item().request_items(table, pending).send().await.expect("batch write");
            pending = out.unprocessed_items.and_then(|mut u| u.remove(table)).unwrap_or_default();
        }
    }
}

struct Seeded {
    orgs: Vec<(OrgScope, Vec<LeaseRecord>)>,
}

/// Orgs and active leases written straight to the table (the run reads them like any others).
async fn seed(app: &TestApp, leases: usize) -> Seeded {
    let now = Utc::now();
    let mut items = Vec::new();
    let mut orgs = Vec::new();
    for _ in 0..leases.div_ceil(PER_ORG) {
        let org_id = OrgId::new();
        let scope = OrgScope::for_tests(org_id.clone());
        let org = Org {
            id: org_id,
            name: "Bench Org".into(),
            base_currency: usd(),
            country: "US".into(),
            timezone: "America/New_York".into(),
            alert_phone: None,
            created_at: now,
            updated_at: now,
            owner_count: 1,
            v: 1,
        };
        let (g1pk, g1sk) = keys::org_shard_gsi1(&scope);
        items.push(ItemBuilder::new(ORG_ENTITY, &keys::org(&scope), &org).gsi1(g1pk, g1sk).build());
        let mut ls = Vec::new();
        for _ in 0..PER_ORG {
            let l = LeaseRecord {
                id: LeaseId::new(),
                unit_id: UnitId::new(),
                building_id: portfolio::ids::BuildingId::new(),
                tenant_ids: vec![TenantId::new()],
                status: LeaseStatus::Active,
                start_date: day("2026-01-01"),
                end_date: None,
                rent: StoredMoney { minor: 100_000, currency: usd() },
                due_day: 1,
                deposit: None,
                deposit_instalments: None,
                late_fee_policy: None,
                move_out_date: None,
                renewal_of: None,
                renewed_by: None,
                activated_at: Some(now),
                ended_at: None,
                created_at: now,
                updated_at: now,
                v: 2,
            };
            let (g1pk, g1sk) = keys::lease_gsi1(&scope, &l.unit_id, l.start_date, &l.id);
            items.push(ItemBuilder::new(LEASE_ENTITY, &keys::lease(&scope, &l.id), &l).gsi1(g1pk, g1sk).build());
            ls.push(l);
        }
        orgs.push((scope, ls));
    }
    batch_write(&app.dynamodb(), app.stack.table_name(), items).await;
    Seeded { orgs }
}

/// The items one lease's January run writes: its charge, the charge's event, its watermark.
fn same_items(scope: &OrgScope, l: &LeaseRecord) -> Vec<Item> {
    let c = ChargeRecord {
        id: ChargeId::rent(&l.id, 2026, 1),
        lease_id: l.id.clone(),
        unit_id: l.unit_id.clone(),
        kind: ChargeKind::Rent,
        amount: l.rent,
        due_date: day("2026-01-01"),
        memo: Some("rent 2026-01".into()),
        source: ChargeSource::RentRun,
        period: Some("2026-01".into()),
        fee_for: None,
        grace_days: None,
        open: l.rent.minor,
        status: ChargeStatus::Open,
        fx: Some(Fx::same_currency(usd(), l.rent.minor, day("2026-01-01"))),
        created_at: Utc::now(),
        voided_at: None,
        void_reason: None,
        v: 1,
    };
    let e = Event::of(scope, &portfolio::billing::testing::charge_event(&c), Utc::now());
    vec![
        charge_item(scope, &c),
        ItemBuilder::new(events::ENTITY, &keys::event(scope, &e.id), &e).build(),
        ItemBuilder::new(
            WATERMARK_ENTITY,
            &keys::rent_watermark(scope, &l.id),
            &json!({"period": "2026-01", "deposit": false, "leaseId": l.id}),
        )
        .build(),
    ]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// One timed rent run over `seeded` (every org, as the generator consumer runs them) and the
/// DynamoDB calls it made.
async fn timed_run(db: &portfolio::platform::db::Db, seeded: &Seeded, n: usize) -> (Duration, String) {
    let before = db.calls().by_operation();
    let t = Instant::now();
    let mut created = 0;
    for (scope, _) in &seeded.orgs {
        let cx = portfolio::platform::ctx::Ctx::new(db, scope);
        created += run_org(&cx, Some(day("2026-01-31")), &RunOptions::default()).await.expect("run").charges_created;
    }
    let run = t.elapsed();
    assert_eq!(created, n, "one charge per lease");
    (run, ops_diff(&before, &db.calls().by_operation()))
}

/// Raw `BatchWriteItem` of the items the run writes for `seeded`, timed.
async fn timed_raw(app: &TestApp, seeded: &Seeded) -> Duration {
    let items: Vec<Item> = seeded.orgs.iter().flat_map(|(s, ls)| ls.iter().flat_map(|l| same_items(s, l))).collect();
    let t = Instant::now();
    batch_write(&app.dynamodb(), app.stack.table_name(), items).await;
    t.elapsed()
}

/// The rent run against raw writes at each size, on a quiet emulator: a fresh table per size,
/// no event pumps (nothing drains the run's events while it is timed), a warm-up pair, then
/// `reps` pairs alternating run and raw, each on leases of its own; medians.
async fn rent_runs(sizes: Vec<usize>, reps: usize) {
    println!(
        "== rent run: N active leases, 50 per org, one January charge each (medians of {reps}, alternated, pumps off)"
    );
    println!(
        "{:>7} {:>5} {:>10} {:>10} {:>7} {:>12}  run's DynamoDB calls",
        "leases", "orgs", "run", "raw", "ratio", "run/lease"
    );
    let mut per_lease = Vec::new();
    for n in sizes {
        let app = TestApp::spawn_custom(&[], |o| o.pumps = false).await;
        let db = app.stack.function("consumer-rent-generator").unwrap().app().unwrap().db.clone();
        let warm = seed(&app, PER_ORG).await;
        timed_run(&db, &warm, PER_ORG).await;
        timed_raw(&app, &warm).await;
        let (mut runs, mut raws, mut calls) = (Vec::new(), Vec::new(), String::new());
        for _ in 0..reps {
            let seeded = seed(&app, n).await;
            let (run, c) = timed_run(&db, &seeded, n).await;
            let seeded = seed(&app, n).await;
            raws.push(timed_raw(&app, &seeded).await);
            runs.push(run);
            calls = c;
        }
        let (run, raw) = (median(&mut runs), median(&mut raws));
        let pl = run.as_secs_f64() / n as f64;
        per_lease.push((n, pl));
        println!(
            "{n:>7} {:>5} {:>10} {:>10} {:>6.2}x {:>9.0} µs  {calls}",
            n.div_ceil(PER_ORG),
            secs(run),
            secs(raw),
            run.as_secs_f64() / raw.as_secs_f64(),
            pl * 1e6
        );
    }
    if let (Some(first), Some(last)) = (per_lease.first(), per_lease.last()) {
        println!("time per lease at {} vs {} leases: {:.2}x (1.00x = linear)", last.0, first.0, last.1 / first.1);
    }
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_LEASES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![2_500, 5_000, 10_000]);
    let reps: usize = std::env::var("BENCH_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    rent_runs(sizes, reps).await;

    println!("\n== DynamoDB calls for one payment with auto allocation (through devstack)");
    let app = TestApp::spawn_with(&[]).await;
    let owner = "bench-pay@example.com";
    let org = app.create_org(owner, "Bench Payments").await;
    let building = app.create_building(&org, owner, "Bench Building").await;
    let t = app.token(owner);
    let f = app.stack.function("api-payments").unwrap();
    for (i, open) in [1usize, 5, 20].into_iter().enumerate() {
        let unit = app
            .post(&format!("/api/v1/orgs/{org}/buildings/{building}/units"), &t, json!({"label": format!("P{i}")}))
            .await
            .expect(201)
            .id();
        let tenant = app
            .post(
                &format!("/api/v1/orgs/{org}/tenants"),
                &t,
                json!({"firstName": "B", "lastName": "P", "email": format!("p{i}@example.com")}),
            )
            .await
            .expect(201)
            .id();
        let start = (day("2026-01-01") - chrono::Months::new(open as u32 - 1)).to_string();
        let lease = app
            .post(
                &format!("/api/v1/orgs/{org}/leases"),
                &t,
                json!({"unitId": unit, "tenantIds": [tenant], "startDate": start, "rent": {"amount": "100.00", "currency": "USD"}, "dueDay": 1}),
            )
            .await
            .expect(201)
            .id();
        app.post(&format!("/api/v1/orgs/{org}/leases/{lease}:activate"), &t, json!({})).await.expect(200);
        app.post(&format!("/api/v1/orgs/{org}/rent-runs"), &t, json!({"throughDate": "2026-01-31"})).await.expect(200);
        // Warm the function's membership cache with a read first.
        app.get(&format!("/api/v1/orgs/{org}/leases/{lease}/payments"), &t).await.expect(200);
        let before = (f.db_calls(), f.app().unwrap().db.calls().by_operation());
        let body = json!({"amount": {"amount": format!("{}.00", 100 * open), "currency": "USD"}, "receivedOn": "2026-01-05", "method": "ach"});
        let (res, _) = app
            .post_with(
                &format!("/api/v1/orgs/{org}/leases/{lease}/payments"),
                &t,
                &[("Idempotency-Key", &format!("bench-{i}"))],
                body,
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["allocations"].as_array().unwrap().len(), open);
        let after = (f.db_calls(), f.app().unwrap().db.calls().by_operation());
        println!(
            "{open:>3} open charges: {:>2} calls  {}  (with an Idempotency-Key)",
            after.0 - before.0,
            ops_diff(&before.1, &after.1)
        );
    }
}

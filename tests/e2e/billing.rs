//! The ledger over HTTP (and its jobs through devstack): the golden scenario to the cent,
//! idempotent payments under parallel replays, 50 concurrent payments on one lease, exactly-once
//! rent runs with a crash mid-batch and concurrent runs, late fees, deposits, FX, voids.

use e2e::TestApp;
use portfolio::billing::ledger::{recompute_counters, LedgerItems};
use portfolio::billing::model::ChargeStatus;
use portfolio::billing::rent_run::{run_org, RunOptions};
use portfolio::ids::{LeaseId, OrgId};
use portfolio::platform::db::{keys, Index, Query};
use portfolio::platform::scope::OrgScope;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

struct Books {
    org: String,
    token: String,
    building: String,
    tenant_n: std::cell::Cell<u32>,
}

impl Books {
    async fn new(app: &TestApp, email: &str) -> Books {
        let org = app.create_org(email, "Ledger Org").await;
        let building = app.create_building(&org, email, "Cedar Court").await;
        Books { org, token: app.token(email), building, tenant_n: 0.into() }
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.org)
    }

    /// An activated lease; `extra` is merged into the lease body.
    async fn lease(&self, app: &TestApp, start: &str, rent: &str, extra: Value) -> String {
        let n = self.tenant_n.get() + 1;
        self.tenant_n.set(n);
        let lease = app.draft_lease(&self.org, &self.token, &self.building, n, (start, rent), extra).await;
        app.post(&self.path(&format!("/leases/{lease}:activate")), &self.token, json!({})).await.expect(200);
        lease
    }

    async fn rent_run(&self, app: &TestApp, through: &str) -> Value {
        app.post(&self.path("/rent-runs"), &self.token, json!({"throughDate": through})).await.expect(200).body
    }

    async fn pay(&self, app: &TestApp, lease: &str, amount: &str, on: &str, extra: Value) -> Value {
        let mut body = json!({"amount": {"amount": amount, "currency": "USD"}, "receivedOn": on, "method": "check"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        app.post_keyed(&self.path(&format!("/leases/{lease}/payments")), &self.token, body).await.expect(201).body
    }

    async fn ledger(&self, app: &TestApp, lease: &str, as_of: &str) -> Value {
        app.get(&self.path(&format!("/leases/{lease}/ledger?asOf={as_of}")), &self.token).await.expect(200).body
    }

    async fn charges(&self, app: &TestApp, lease: &str) -> Vec<Value> {
        let res = app.get(&self.path(&format!("/leases/{lease}/charges?limit=200")), &self.token).await.expect(200);
        res.body["items"].as_array().unwrap().clone()
    }

    fn scope(&self) -> OrgScope {
        OrgScope::for_tests(OrgId::parse(&self.org).unwrap())
    }

    /// The org's books agree with every lease's ledger to the cent (`e2e::books`).
    async fn assert_books(&self, app: &TestApp) {
        let res = app.get(&self.path("/leases?limit=200"), &self.token).await.expect(200);
        let leases: Vec<String> =
            res.body["items"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect();
        e2e::books::assert_books_match_ledgers(app, &self.org, &self.token, &leases).await;
    }
}

#[track_caller]
fn amt(v: &Value) -> &str {
    match v["amount"].as_str() {
        Some(a) => a,
        None => panic!("no amount in {v}"),
    }
}

#[track_caller]
fn aging(v: &Value) -> [String; 6] {
    let mut out: [String; 6] = Default::default();
    for (i, k) in ["current", "d1_30", "d31_60", "d61_90", "d90_plus", "total"].iter().enumerate() {
        match v[k]["amount"].as_str() {
            Some(a) => out[i] = a.to_owned(),
            None => panic!("no {k} in {v}"),
        }
    }
    out
}

/// Reads a lease's partition straight from the table and checks every stored counter against a
/// recomputation from the immutable entries.
async fn assert_counters_match_entries(app: &TestApp, b: &Books, lease: &str) -> LedgerItems {
    let db = &app.stack.function("api-ledger").unwrap().app().unwrap().db;
    let lease_id = LeaseId::parse(lease).unwrap();
    let items =
        db.query_all(Query::partition(Index::Primary, keys::lease_partition(&b.scope(), &lease_id))).await.unwrap();
    let l = portfolio::billing::testing::ledger_from_items(items).unwrap();
    let (open, unapplied) = recompute_counters(&l);
    for c in &l.charges {
        assert_eq!(c.open, open[&c.id], "stored open of {} vs its entries", c.id);
        assert!(
            c.open >= 0 && c.open <= c.amount.minor || c.amount.minor < 0,
            "{} over-allocated: open {}",
            c.id,
            c.open
        );
        let allocated: i64 = l.allocations.iter().filter(|a| a.charge_id == c.id).map(|a| a.amount.minor).sum();
        if c.status != ChargeStatus::Void && c.amount.minor > 0 {
            assert!(allocated <= c.amount.minor, "{} allocated {allocated} beyond {}", c.id, c.amount.minor);
        }
    }
    for p in &l.payments {
        assert_eq!(p.unapplied, unapplied[p.id.as_str()], "stored unapplied of {} vs its entries", p.id);
        assert!(p.unapplied >= 0 && p.unapplied <= p.amount.minor, "{} over-allocated", p.id);
    }
    l
}

fn print_ledger(ledger: &Value) {
    eprintln!("ledger of {} as of {}", ledger["leaseId"], ledger["asOf"]);
    eprintln!("{:<11} {:<17} {:<9} {:>10} {:>10} {:>10}", "date", "entry", "kind", "amount", "balance", "unapplied");
    for e in ledger["entries"].as_array().unwrap() {
        eprintln!(
            "{:<11} {:<17} {:<9} {:>10} {:>10} {:>10}",
            e["date"].as_str().unwrap(),
            e["type"].as_str().unwrap(),
            e["kind"].as_str().unwrap_or(""),
            amt(&e["amount"]),
            amt(&e["balance"]),
            amt(&e["unapplied"])
        );
    }
    eprintln!(
        "balance {}  unapplied {}  deposit {}  aging {:?}",
        amt(&ledger["balance"]),
        amt(&ledger["unapplied"]),
        amt(&ledger["deposit"]),
        aging(&ledger["aging"])
    );
}

/// ISSUE golden scenario: a lease from the 17th of a 31-day month at 1,550.00; prorated first
/// charge; rent on each due day; a partial payment; a late fee after grace; a bounced check
/// reversed; aging as of three dates — all to the cent.
#[tokio::test(flavor = "multi_thread")]
async fn golden_scenario_to_the_cent() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "golden@example.com").await;
    let lease = b
        .lease(
            &app,
            "2026-01-17",
            "1550.00",
            json!({"lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}}),
        )
        .await;

    let run = b.rent_run(&app, "2026-03-31").await;
    assert_eq!((run["chargesCreated"].as_u64(), run["chargesExisting"].as_u64()), (Some(3), Some(0)), "{run}");
    let charges = b.charges(&app, &lease).await;
    let got: Vec<(&str, &str, &str)> = charges
        .iter()
        .map(|c| (c["dueDate"].as_str().unwrap(), c["kind"].as_str().unwrap(), amt(&c["amount"])))
        .collect();
    assert_eq!(
        got,
        [("2026-01-17", "rent", "750.00"), ("2026-02-01", "rent", "1550.00"), ("2026-03-01", "rent", "1550.00")]
    );
    assert_eq!(charges[0]["memo"], "rent 2026-01 (15 of 31 days)");
    // Re-running changes nothing.
    let again = b.rent_run(&app, "2026-03-31").await;
    assert_eq!(again["chargesCreated"], 0);

    let p1 = b.pay(&app, &lease, "750.00", "2026-01-17", json!({"reference": "check 101"})).await;
    assert_eq!(p1["allocations"].as_array().unwrap().len(), 1);
    assert_eq!(amt(&p1["unapplied"]), "0.00");
    // A partial payment: February still owes 550.00.
    let p2 = b.pay(&app, &lease, "1000.00", "2026-02-03", json!({"method": "ach"})).await;
    assert_eq!(amt(&p2["allocations"][0]["amount"]), "1000.00");

    // The late-fee job after the grace period (Feb 1 + 5 days), through its queue.
    let fees = async || b.charges(&app, &lease).await.into_iter().filter(|c| c["kind"] == "late_fee").count();
    let out = app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-02-06"})).await.unwrap();
    assert_eq!(out["orgs"], 1);
    assert_eq!(fees().await, 0, "still within grace on the 6th");
    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-02-10"})).await.unwrap();
    assert_eq!(fees().await, 1);
    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-02-11"})).await.unwrap();
    assert_eq!(fees().await, 1, "one fee per late charge, however often the job runs");
    let fee = b.charges(&app, &lease).await.into_iter().find(|c| c["kind"] == "late_fee").unwrap();
    assert_eq!((fee["dueDate"].as_str(), amt(&fee["amount"])), (Some("2026-02-07"), "50.00"));
    let events = app.get(&b.path("/events?limit=200"), &b.token).await.expect(200).body;
    let assessed: Vec<&Value> =
        events["items"].as_array().unwrap().iter().filter(|e| e["type"] == "late_fee.assessed").collect();
    assert_eq!((assessed.len(), assessed[0]["subject"]["id"].as_str()), (1, fee["id"].as_str()));

    // A check pays February, the fee and part of March — then bounces.
    let p3 = b.pay(&app, &lease, "1600.00", "2026-03-02", json!({"reference": "check 102"})).await;
    let allocs: Vec<&str> = p3["allocations"].as_array().unwrap().iter().map(|a| amt(&a["amount"])).collect();
    assert_eq!(allocs, ["550.00", "50.00", "1000.00"], "oldest due first");
    let p3_id = p3["id"].as_str().unwrap();
    let rev = app
        .post(
            &b.path(&format!("/payments/{p3_id}:reverse")),
            &b.token,
            json!({"reversedOn": "2026-03-05", "reason": "NSF"}),
        )
        .await
        .expect(200);
    assert_eq!(rev.body["status"], "reversed");
    app.post(&b.path(&format!("/payments/{p3_id}:reverse")), &b.token, json!({})).await.problem(409);

    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-03-10"})).await.unwrap();
    let run = b.rent_run(&app, "2026-04-30").await;
    assert_eq!(run["chargesCreated"], 1, "only April is new: {run}");

    // Aging as of three dates.
    let jan = b.ledger(&app, &lease, "2026-01-31").await;
    assert_eq!((amt(&jan["balance"]), amt(&jan["unapplied"])), ("0.00", "0.00"));
    assert_eq!(aging(&jan["aging"]), ["0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]);
    let feb = b.ledger(&app, &lease, "2026-02-20").await;
    assert_eq!(amt(&feb["balance"]), "600.00");
    assert_eq!(aging(&feb["aging"]), ["0.00", "600.00", "0.00", "0.00", "0.00", "600.00"]);
    let apr = b.ledger(&app, &lease, "2026-04-15").await;
    print_ledger(&apr);
    assert_eq!((amt(&apr["balance"]), amt(&apr["unapplied"])), ("3750.00", "0.00"));
    assert_eq!(aging(&apr["aging"]), ["0.00", "1550.00", "1600.00", "600.00", "0.00", "3750.00"]);
    // Running balances: the last entry carries the totals; every entry is in date order.
    let entries = apr["entries"].as_array().unwrap();
    assert_eq!(amt(&entries.last().unwrap()["balance"]), "3750.00");
    let dates: Vec<&str> = entries.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let kinds: Vec<(&str, &str)> =
        entries.iter().map(|e| (e["date"].as_str().unwrap(), e["type"].as_str().unwrap())).collect();
    assert!(kinds.contains(&("2026-03-05", "payment_reversal")));
    assert_eq!(entries.iter().filter(|e| e["type"] == "allocation" && amt(&e["amount"]).starts_with('-')).count(), 3);

    // The org view agrees (from the open-charges index).
    let d = app.get(&b.path("/delinquency?asOf=2026-04-15"), &b.token).await.expect(200).body;
    assert_eq!(d["leases"].as_array().unwrap().len(), 1);
    assert_eq!(aging(&d["leases"][0]["aging"]), aging(&apr["aging"]));
    assert_eq!(aging(&d["totals"][0]["aging"]), aging(&apr["aging"]));
    assert_eq!(amt(&d["baseTotal"]), "3750.00");
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_idempotency_key_twenty_times_in_parallel_makes_one_payment() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "idem@example.com").await;
    let lease = b.lease(&app, "2026-01-01", "1000.00", json!({})).await;
    b.rent_run(&app, "2026-02-28").await;
    let path = b.path(&format!("/leases/{lease}/payments"));
    let body = json!({"amount": {"amount": "1500.00", "currency": "USD"}, "receivedOn": "2026-02-02", "method": "ach"});
    let calls = (0..20).map(|_| app.post_with(&path, &b.token, &[("Idempotency-Key", "pay-feb-0001")], body.clone()));
    let results = futures::future::join_all(calls).await;
    let statuses: BTreeSet<u16> = results.iter().map(|(r, _)| r.status).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    let ids: BTreeSet<String> = results.iter().filter(|(r, _)| r.status == 201).map(|(r, _)| r.id()).collect();
    assert_eq!(ids.len(), 1, "every success names the one payment");
    let payments = app.get(&path, &b.token).await.expect(200).body;
    assert_eq!(payments["items"].as_array().unwrap().len(), 1, "{payments}");
    // Later retries replay the stored answer without writing.
    let (again, headers) = app.post_with(&path, &b.token, &[("Idempotency-Key", "pay-feb-0001")], body.clone()).await;
    assert_eq!(again.status, 201);
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(again.id(), *ids.iter().next().unwrap());
    assert_eq!(amt(&again.body["unapplied"]), "0.00");
    // The same key with another body is refused; no second payment.
    let mut other = body.clone();
    other["amount"]["amount"] = json!("1.00");
    let (res, _) = app.post_with(&path, &b.token, &[("Idempotency-Key", "pay-feb-0001")], other).await;
    res.problem(422);
    assert_eq!(app.get(&path, &b.token).await.body["items"].as_array().unwrap().len(), 1);
    let ledger = b.ledger(&app, &lease, "2026-02-28").await;
    assert_eq!((amt(&ledger["balance"]), amt(&ledger["unapplied"])), ("500.00", "0.00"));
    // Charges take a key too.
    let cpath = b.path(&format!("/leases/{lease}/charges"));
    let fee = json!({"kind": "fee", "amount": {"amount": "35.00", "currency": "USD"}, "dueDate": "2026-02-15", "memo": "key fob"});
    let (first, _) = app.post_with(&cpath, &b.token, &[("Idempotency-Key", "fob-1")], fee.clone()).await;
    let (second, headers) = app.post_with(&cpath, &b.token, &[("Idempotency-Key", "fob-1")], fee.clone()).await;
    assert_eq!((first.status, second.status, first.id()), (201, 201, second.id()));
    assert_eq!(headers["idempotent-replayed"], "true");
    let fobs = b.charges(&app, &lease).await.into_iter().filter(|c| c["memo"] == "key fob").count();
    assert_eq!(fobs, 1);
    let (bad, _) = app.post_with(&cpath, &b.token, &[("Idempotency-Key", " bad key")], fee).await;
    bad.problem(400);
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_payments_never_over_allocate() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "race@example.com").await;
    let lease = b.lease(&app, "2025-01-01", "1000.00", json!({})).await;
    b.rent_run(&app, "2025-12-31").await; // 12 × 1000.00
    let path = b.path(&format!("/leases/{lease}/payments"));
    let calls = (0..50).map(|i| {
        let body = json!({"amount": {"amount": "300.00", "currency": "USD"}, "receivedOn": "2026-01-02", "method": "card",
                          "reference": format!("card {i}")});
        let (app, path, token) = (&app, &path, &b.token);
        async move { app.post_with(path, token, &[("Idempotency-Key", &format!("card-{i}"))], body).await }
    });
    let results = futures::future::join_all(calls).await;
    for (r, _) in &results {
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let l = assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
    assert_eq!(l.payments.len(), 50);
    assert!(l.charges.iter().all(|c| c.open == 0 && c.status == ChargeStatus::Paid), "15000 paid 12000 of rent");
    let ledger = b.ledger(&app, &lease, "2026-01-31").await;
    assert_eq!((amt(&ledger["balance"]), amt(&ledger["unapplied"])), ("0.00", "3000.00"));
    let per_charge: BTreeMap<String, i64> = l.allocations.iter().fold(BTreeMap::new(), |mut m, a| {
        *m.entry(a.charge_id.to_string()).or_default() += a.amount.minor;
        m
    });
    assert!(per_charge.values().all(|v| *v == 100_000), "{per_charge:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rent_runs_are_exactly_once_through_crashes_and_concurrent_runs() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "runs@example.com").await;
    let mut leases = Vec::new();
    for i in 0..30 {
        let start = if i % 2 == 0 { "2026-01-01" } else { "2026-01-17" };
        leases.push(b.lease(&app, start, "1000.00", json!({"deposit": {"amount": "500.00", "currency": "USD"}})).await);
    }
    let db = app.stack.function("api-rent-runs").unwrap().app().unwrap().db.clone();
    let scope = b.scope();
    let cx = &portfolio::platform::ctx::Ctx::new(&db, &scope);
    let through = |d: &str| Some(d.parse::<chrono::NaiveDate>().unwrap());

    // Three months, killed after the first committed batch.
    let err = run_org(cx, through("2026-03-31"), &RunOptions::failing_after(1)).await.unwrap_err();
    assert!(err.to_string().contains("fault injected") || format!("{err:?}").contains("fault injected"), "{err:?}");
    let partial: usize = count_charges(&app, &b, &leases).await.values().map(BTreeSet::len).sum();
    assert!(partial > 0 && partial < 30 * 4, "a partial run: {partial}");
    // The re-run completes it.
    let report = run_org(cx, through("2026-03-31"), &RunOptions::default()).await.unwrap();
    assert_eq!(report.charges_created + partial, 30 * 4, "{report:?}");
    // Two runs at once for the next months, and a late run catching up both.
    let opts = RunOptions::default();
    let (a, c) = tokio::join!(run_org(cx, through("2026-05-31"), &opts), run_org(cx, through("2026-05-31"), &opts));
    let (a, c) = (a.unwrap(), c.unwrap());
    assert_eq!(a.charges_created + c.charges_created, 30 * 2, "{a:?} {c:?}");
    let all = count_charges(&app, &b, &leases).await;
    for (lease, ids) in &all {
        let expected: BTreeSet<String> =
            std::iter::once("deposit".to_owned()).chain((1..=5).map(|m| format!("rent_2026_{m:02}"))).collect();
        let got: BTreeSet<String> =
            ids.iter().map(|id| id.rsplit_once(&lease[4..]).unwrap().1.trim_start_matches('_').to_owned()).collect();
        assert_eq!(got, expected, "{lease}");
    }
    // Every charge has exactly one `charge.created` event.
    let events = app
        .stack
        .function("api-ledger")
        .unwrap()
        .app()
        .unwrap()
        .db
        .query_all(Query::partition(Index::Primary, keys::events_partition(&scope)))
        .await
        .unwrap();
    let created: Vec<String> = events
        .iter()
        .filter(|e| e.get("type").and_then(|t| t.as_s().ok()).is_some_and(|t| t == "charge.created"))
        .map(|e| e["subject"].as_m().unwrap()["id"].as_s().unwrap().clone())
        .collect();
    let unique: BTreeSet<&String> = created.iter().collect();
    assert_eq!((created.len(), unique.len()), (30 * 6, 30 * 6));
    // Prorated first months for the leases from the 17th: 15/31 of 1000.00.
    let c = b.charges(&app, &leases[1]).await;
    let jan = c.iter().find(|c| c["period"] == "2026-01").unwrap();
    assert_eq!(amt(&jan["amount"]), "483.87");
    // Crashed and concurrent runs posted every charge once: the books still match.
    e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, &leases).await;
}

/// Charge ids by lease, read through the API.
async fn count_charges(app: &TestApp, b: &Books, leases: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for l in leases {
        let ids: Vec<String> = b.charges(app, l).await.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
        let set: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(set.len(), ids.len(), "a charge twice on {l}");
        out.insert(l.clone(), set);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_schedule_runs_rent_through_the_queue_with_no_manual_pumping() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "sched@example.com").await;
    let lease = b.lease(&app, "2026-01-01", "900.00", json!({})).await;
    b.rent_run(&app, "2026-01-31").await; // January exists already; the run must not redo it.
    let out = app.stack.run_job("job-rent-scheduler", json!({"runDate": "2026-03-01"})).await.unwrap();
    assert_eq!(out["orgs"], 1);
    let mut periods = Vec::new();
    for _ in 0..100 {
        periods = b.charges(&app, &lease).await.iter().map(|c| c["period"].as_str().unwrap().to_owned()).collect();
        if periods.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(periods, ["2026-01", "2026-02", "2026-03"]);

    // With a 5-day lead time, April's rent is created on March 27.
    app.call("PUT", &b.path("/billing-settings"), &b.token, Some(json!({"rentLeadDays": 5}))).await.expect(200);
    let run = app.post(&b.path("/rent-runs"), &b.token, json!({"throughDate": "2026-03-26"})).await.expect(200).body;
    assert_eq!((run["throughDate"].as_str(), run["chargesCreated"].as_u64()), (Some("2026-03-31"), Some(0)));
    let run = app.post(&b.path("/rent-runs"), &b.token, json!({"throughDate": "2026-03-27"})).await.expect(200).body;
    assert_eq!(run["chargesCreated"], 1);

    // The daily snapshot keeps what was open that day (for trends). A past asOf is exact: each
    // ledger replayed to the day, so a payment recorded later but dated before it counts.
    let out =
        app.stack.run_job_to_completion("job-delinquency-snapshot", json!({"runDate": "2026-04-10"})).await.unwrap();
    assert_eq!(out["orgs"], 1);
    let pay = |amount: &str, on: &str| {
        let body = json!({"amount": {"amount": amount, "currency": "USD"}, "receivedOn": on, "method": "ach"});
        let (app, path, token) = (&app, b.path(&format!("/leases/{lease}/payments")), &b.token);
        async move { app.post_keyed(&path, token, body).await.expect(201) }
    };
    pay("100.00", "2026-04-09").await;
    pay("3500.00", "2026-04-12").await;
    let then = app.get(&b.path("/delinquency?asOf=2026-04-10"), &b.token).await.expect(200).body;
    assert_eq!((then["source"].as_str(), amt(&then["totals"][0]["aging"]["total"])), (Some("ledgers"), "3500.00"));
    let aged = &then["totals"][0]["aging"];
    let buckets = ["d1_30", "d31_60", "d61_90", "d90_plus"].map(|k| amt(&aged[k]));
    assert_eq!(buckets, ["900.00", "900.00", "900.00", "800.00"], "January's rent is the 100.00 short: {then}");
    let before = app.get(&b.path("/delinquency?asOf=2026-03-31"), &b.token).await.expect(200).body;
    assert_eq!(amt(&before["totals"][0]["aging"]["total"]), "2700.00", "April's rent was not yet due");
    let paid_up = app.get(&b.path("/delinquency?asOf=2026-04-12"), &b.token).await.expect(200).body;
    assert_eq!((paid_up["source"].as_str(), paid_up["leases"].as_array().map(Vec::len)), (Some("ledgers"), Some(0)));
    let now = app.get(&b.path("/delinquency"), &b.token).await.expect(200).body;
    assert_eq!(now["source"], "live", "{now}");
    let list = app.get(&b.path("/delinquency/snapshots"), &b.token).await.expect(200).body;
    assert_eq!(
        (list["items"][0]["asOf"].as_str(), amt(&list["items"][0]["totals"][0]["aging"]["total"])),
        (Some("2026-04-10"), "3600.00")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn late_fees_wait_for_pending_payments_and_are_voided_by_a_payment_dated_in_grace() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "fees@example.com").await;
    // The org's default policy: 5 % of the overdue rent, at most 60.00 a month.
    app.call(
        "PUT",
        &b.path("/billing-settings"),
        &b.token,
        Some(json!({"rentLeadDays": 0, "lateFeePolicy": {"graceDays": 3, "percent": "5", "capPerMonth": {"amount": "60.00", "currency": "USD"}}})),
    )
    .await
    .expect(200);
    let lease = b.lease(&app, "2026-01-01", "1500.00", json!({})).await;
    b.rent_run(&app, "2026-02-28").await;
    // January: a pending ACH payment covers it (not allocated: recorded as credit) → no fee.
    let pending = b.pay(&app, &lease, "1500.00", "2026-01-02", json!({"pending": true, "allocate": "none"})).await;
    assert_eq!(pending["status"], "pending");
    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-01-10"})).await.unwrap();
    assert!(b.charges(&app, &lease).await.iter().all(|c| c["kind"] != "late_fee"), "no fee while a payment is pending");
    let pid = pending["id"].as_str().unwrap();
    app.post(&b.path(&format!("/payments/{pid}:clear")), &b.token, json!({})).await.expect(200);
    let applied = app
        .post(&b.path(&format!("/payments/{pid}/allocations")), &b.token, json!({"allocate": "auto"}))
        .await
        .expect(201);
    assert_eq!(amt(&applied.body["unapplied"]), "0.00");

    // February: late → 5 % of 1500.00 = 75.00, capped at 60.00.
    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-02-10"})).await.unwrap();
    let fee = b.charges(&app, &lease).await.into_iter().find(|c| c["kind"] == "late_fee").unwrap();
    assert_eq!((amt(&fee["amount"]), fee["dueDate"].as_str()), ("60.00", Some("2026-02-05")));
    // A check dated Feb 3 (inside the grace) arrives later: the fee is voided, not paid.
    let p = b.pay(&app, &lease, "1500.00", "2026-02-03", json!({})).await;
    assert_eq!(p["allocations"].as_array().unwrap().len(), 1);
    let fee = b.charges(&app, &lease).await.into_iter().find(|c| c["kind"] == "late_fee").unwrap();
    assert_eq!(fee["status"], "void");
    let l = b.ledger(&app, &lease, "2026-02-28").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("0.00", "0.00"));
    // The check bounces: February is owed again, and so is the fee it had waived (once).
    let pid = p["id"].as_str().unwrap();
    app.post(
        &b.path(&format!("/payments/{pid}:reverse")),
        &b.token,
        json!({"reversedOn": "2026-02-20", "reason": "NSF"}),
    )
    .await
    .expect(200);
    let fees: Vec<Value> = b.charges(&app, &lease).await.into_iter().filter(|c| c["kind"] == "late_fee").collect();
    assert_eq!(fees.len(), 2, "{fees:?}");
    let again = fees.iter().find(|c| c["status"] == "open").expect("the fee reinstated");
    assert_eq!((amt(&again["amount"]), again["dueDate"].as_str()), ("60.00", Some("2026-02-20")));
    let l = b.ledger(&app, &lease, "2026-02-28").await;
    assert_eq!(amt(&l["balance"]), "1560.00");
    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-02-25"})).await.unwrap();
    let fees = b.charges(&app, &lease).await.into_iter().filter(|c| c["kind"] == "late_fee").count();
    assert_eq!(fees, 2, "the job does not charge February's fee a third time");
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

/// Jobs run one org per message: an org whose late-fee run keeps failing is retried alone, five
/// times, then dead-lettered alone, while the other org's fee is assessed once and its message
/// is done; the failing org's other jobs still run.
#[tokio::test(flavor = "multi_thread")]
async fn one_orgs_failing_job_is_retried_and_dead_lettered_alone_while_the_other_org_completes() {
    use functions::jobs::{fail_for_org, failed_attempts, Job, JobMessage};
    // A 1 s visibility timeout: a failed message comes back within seconds.
    let app = TestApp::spawn_opts(&[("MEMBERSHIP_CACHE_TTL_SECS", "0")], Some(1)).await;
    let policy = json!({"lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}});
    let (ok, bad) = (Books::new(&app, "jobs-ok@example.com").await, Books::new(&app, "jobs-bad@example.com").await);
    let ok_lease = ok.lease(&app, "2026-01-01", "1000.00", policy.clone()).await;
    let bad_lease = bad.lease(&app, "2026-01-01", "1000.00", policy).await;
    for b in [&ok, &bad] {
        b.rent_run(&app, "2026-01-31").await;
    }
    fail_for_org(Job::LateFees, &bad.org);
    let fees = async |b: &Books, lease: &str| {
        b.charges(&app, lease).await.into_iter().filter(|c| c["kind"] == "late_fee").count()
    };

    let out = app.stack.run_job("job-late-fees", json!({"runDate": "2026-01-20"})).await.unwrap();
    assert_eq!(out["orgs"], 2, "one message per org");
    let sqs = aws_sdk_sqs::Client::new(&app.stack.sdk);
    let dlq = &app.stack.refs["LateFeesDeadLetterQueue"];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    let dead = loop {
        let got = sqs.receive_message().queue_url(dlq).max_number_of_messages(10).send().await.unwrap();
        if let Some(m) = got.messages.filter(|m| !m.is_empty()) {
            break m;
        }
        assert!(std::time::Instant::now() < deadline, "the failing org's message never reached the DLQ");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let bodies: Vec<JobMessage> =
        dead.iter().map(|m| serde_json::from_str(m.body.as_deref().unwrap()).unwrap()).collect();
    let expected = JobMessage {
        job: Job::LateFees,
        org_id: OrgId::parse(&bad.org).unwrap(),
        run_date: "2026-01-20".parse().unwrap(),
    };
    assert_eq!(bodies, [expected], "only the failing org's message is dead-lettered");
    assert_eq!(failed_attempts(Job::LateFees, &bad.org), 5, "tried 5 times (maxReceiveCount), then the DLQ");
    // The job's queue is empty: the healthy org's message was done the first time.
    app.stack.wait_drained(&app.stack.refs["LateFeesQueue"], std::time::Duration::from_secs(30)).await.unwrap();
    assert_eq!(fees(&ok, &ok_lease).await, 1, "the healthy org's fee, once");
    assert_eq!(fees(&bad, &bad_lease).await, 0);
    assert_eq!(failed_attempts(Job::LateFees, &ok.org), 0);

    // The failing org's other jobs are unaffected: its snapshot is stored.
    app.stack.run_job_to_completion("job-delinquency-snapshot", json!({"runDate": "2026-01-20"})).await.unwrap();
    let list = app.get(&bad.path("/delinquency/snapshots"), &bad.token).await.expect(200).body;
    assert_eq!(list["items"][0]["asOf"], "2026-01-20");
}

#[tokio::test(flavor = "multi_thread")]
async fn deposits_are_held_then_settled_with_deductions_and_a_refund() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "deposit@example.com").await;
    let lease =
        b.lease(&app, "2026-01-01", "1200.00", json!({"deposit": {"amount": "1000.00", "currency": "USD"}})).await;
    b.rent_run(&app, "2026-02-28").await;
    let charges = b.charges(&app, &lease).await;
    let deposit = charges.iter().find(|c| c["kind"] == "deposit").unwrap();
    assert_eq!(amt(&deposit["amount"]), "1000.00");
    // Deposit and January paid; February 300.00 short.
    let dep_id = deposit["id"].as_str().unwrap();
    b.pay(
        &app,
        &lease,
        "1000.00",
        "2026-01-01",
        json!({"allocate": [{"chargeId": dep_id, "amount": {"amount": "1000.00", "currency": "USD"}}]}),
    )
    .await;
    b.pay(&app, &lease, "2100.00", "2026-02-01", json!({})).await;
    let l = b.ledger(&app, &lease, "2026-02-28").await;
    assert_eq!((amt(&l["balance"]), amt(&l["deposit"])), ("300.00", "1000.00"), "the deposit is held, not income");
    // Settling before move-out is refused.
    let settle = b.path(&format!("/leases/{lease}/deposit-settlement"));
    app.post(&settle, &b.token, json!({"deductions": []})).await.problem(409);
    app.post(&b.path(&format!("/leases/{lease}:end")), &b.token, json!({"moveOutDate": "2026-02-28"}))
        .await
        .expect(200);
    let too_much =
        json!({"deductions": [{"description": "new floor", "amount": {"amount": "1000.01", "currency": "USD"}}]});
    app.post(&settle, &b.token, too_much).await.problem(400);
    let s = app
        .post(&settle, &b.token, json!({"settledOn": "2026-03-05", "deductions": [{"description": "cleaning", "amount": {"amount": "150.00", "currency": "USD"}}]}))
        .await
        .expect(201)
        .body;
    assert_eq!((amt(&s["held"]), amt(&s["appliedToBalance"]), amt(&s["refund"])), ("1000.00", "300.00", "550.00"));
    app.post(&settle, &b.token, json!({"deductions": []})).await.problem(409);
    let l = b.ledger(&app, &lease, "2026-03-31").await;
    assert_eq!((amt(&l["balance"]), amt(&l["deposit"]), amt(&l["unapplied"])), ("0.00", "0.00", "0.00"));
    let last = l["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["type"].as_str(), amt(&last["amount"])), (Some("deposit_refund"), "-550.00"));
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deposit_in_euros_is_refunded_at_what_it_was_worth_and_the_difference_is_realized() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "eurodeposit@example.com").await;
    for (date, rate) in [("2026-01-01", "1.10"), ("2026-07-01", "1.15")] {
        let body = json!({"date": date, "rates": [{"currency": "EUR", "rate": rate}]});
        app.post(&b.path("/fx-rates"), &b.token, body).await.expect(201);
    }
    let eur = |a: &str| json!({"amount": a, "currency": "EUR"});
    let lease =
        b.lease(&app, "2026-01-01", "1000.00", json!({"rent": eur("1000.00"), "deposit": eur("2000.00")})).await;
    b.rent_run(&app, "2026-01-01").await;
    b.pay(&app, &lease, "3000.00", "2026-01-02", json!({"amount": eur("3000.00")})).await;
    app.post(&b.path(&format!("/leases/{lease}:end")), &b.token, json!({"moveOutDate": "2026-01-31"}))
        .await
        .expect(200);
    // Settled on July 10th at 1.15: 300.00 EUR kept for repairs (345.00 USD of income), 1700.00
    // EUR refunded (1955.00 USD out of the bank). The deposit was worth 2200.00 USD when paid
    // (at 1.10): its share kept is 330.00, its share refunded 1870.00; what the euros cost
    // more now, 345.00 + 1955.00 − 2200.00 = 100.00 USD, is a realized loss.
    let settle =
        json!({"settledOn": "2026-07-10", "deductions": [{"description": "repairs", "amount": eur("300.00")}]});
    let s = app.post(&b.path(&format!("/leases/{lease}/deposit-settlement")), &b.token, settle).await.expect(201).body;
    assert_eq!(amt(&s["refund"]), "1700.00");
    e2e::books::wait_source(&app, &b.org, &b.token, ("deposit_settlement", &lease)).await;
    e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, std::slice::from_ref(&lease)).await;
    let (_, tb) = e2e::books::trial_balance(&app, &b.org, &b.token, "2026-12-31").await;
    assert_eq!(tb["baseBalanced"], true, "{tb}");
    let got = ["2100", "4900", "1000", "4950"].map(|code| base_of(&tb, code));
    assert_eq!(got, [0, -34_500, -195_500, 10_000], "deposits held, the deduction, the refund, FX: {tb}");
    assert!(tb["unvalued"].as_array().unwrap().is_empty(), "{tb}");
}

#[tokio::test(flavor = "multi_thread")]
async fn voids_credits_explicit_allocations_and_currencies() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "voids@example.com").await;
    let lease = b.lease(&app, "2026-01-01", "1000.00", json!({})).await;
    let charge = |kind: &str, amount: &str, due: &str| json!({"kind": kind, "amount": {"amount": amount, "currency": "USD"}, "dueDate": due});
    let cpath = b.path(&format!("/leases/{lease}/charges"));
    let water = app.post_keyed(&cpath, &b.token, charge("utility", "80.00", "2026-01-10")).await.expect(201).id();
    let fee = app.post_keyed(&cpath, &b.token, charge("fee", "20.00", "2026-01-10")).await.expect(201).id();
    // Explicit allocations are checked: unknown charge, more than open, more than paid.
    let pay = |alloc: Value| json!({"amount": {"amount": "50.00", "currency": "USD"}, "receivedOn": "2026-01-12", "method": "cash", "allocate": alloc});
    let ppath = b.path(&format!("/leases/{lease}/payments"));
    let one = |id: &str, a: &str| json!([{"chargeId": id, "amount": {"amount": a, "currency": "USD"}}]);
    app.post_keyed(&ppath, &b.token, pay(one(&fee, "20.01"))).await.problem(400);
    app.post_keyed(&ppath, &b.token, pay(json!([{"chargeId": water, "amount": {"amount": "40.00", "currency": "USD"}}, {"chargeId": fee, "amount": {"amount": "20.00", "currency": "USD"}}]))).await.problem(400);
    app.post_keyed(&ppath, &b.token, pay(one("chg_01ARZ3NDEKTSV4RRFFQ69G5FAV", "1.00"))).await.problem(400);
    // Money in another currency than the lease's never mixes.
    let eur = json!({"amount": {"amount": "50.00", "currency": "EUR"}, "receivedOn": "2026-01-12", "method": "cash"});
    assert_eq!(app.post_keyed(&ppath, &b.token, eur).await.problem(400).error_fields(), ["amount.currency"]);
    let p = app.post_keyed(&ppath, &b.token, pay(one(&water, "50.00"))).await.expect(201).body;
    // Voiding the water charge gives the 50.00 back to the payment as credit.
    let void = app
        .post(&b.path(&format!("/charges/{water}:void")), &b.token, json!({"reason": "meter misread"}))
        .await
        .expect(200);
    assert_eq!((void.body["status"].as_str(), amt(&void.body["open"])), (Some("void"), "0.00"));
    let l = b.ledger(&app, &lease, "2026-12-31").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("20.00", "50.00"));
    // The credit is applied later to the fee; a 15.00 credit note then clears the rest.
    let pid = p["id"].as_str().unwrap();
    let a = app.post(&b.path(&format!("/payments/{pid}/allocations")), &b.token, json!({})).await.expect(201).body;
    assert_eq!(amt(&a["unapplied"]), "30.00");
    app.post(&b.path(&format!("/payments/{pid}/allocations")), &b.token, json!({})).await.problem(409);
    let credit = app.post_keyed(&cpath, &b.token, charge("credit", "15.00", "2026-01-20")).await.expect(201).body;
    assert_eq!(amt(&credit["amount"]), "-15.00");
    let l = b.ledger(&app, &lease, "2026-12-31").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("-15.00", "30.00"));
    // Another org's ids are 404; a draft lease takes no money.
    let other = Books::new(&app, "other@example.com").await;
    app.post(&other.path(&format!("/charges/{fee}:void")), &other.token, json!({})).await.problem(404);
    app.post(&other.path(&format!("/payments/{pid}:reverse")), &other.token, json!({})).await.problem(404);
    app.get(&other.path(&format!("/leases/{lease}/ledger")), &other.token).await.problem(404);
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn entries_in_a_foreign_currency_keep_the_rate_used() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "fx@example.com").await;
    app.post(
        &b.path("/fx-rates"),
        &b.token,
        json!({"date": "2026-01-01", "rates": [{"currency": "EUR", "rate": "1.0850"}]}),
    )
    .await
    .expect(201);
    app.post(
        &b.path("/fx-rates"),
        &b.token,
        json!({"date": "2026-02-01", "rates": [{"currency": "EUR", "rate": "1.1000"}]}),
    )
    .await
    .expect(201);
    app.post(
        &b.path("/fx-rates"),
        &b.token,
        json!({"date": "2026-02-01", "rates": [{"currency": "USD", "rate": "1"}]}),
    )
    .await
    .problem(400);
    let lease = b.lease(&app, "2026-01-01", "1000.00", json!({"rent": {"amount": "999.99", "currency": "EUR"}})).await;
    b.rent_run(&app, "2026-02-28").await;
    let c = b.charges(&app, &lease).await;
    // 999.99 × 1.085 = 1084.98915 → 1084.99; February at 1.10 = 1099.989 → 1099.99.
    assert_eq!((c[0]["fx"]["rate"].as_str(), c[0]["fx"]["baseMinor"].as_i64()), (Some("1.085"), Some(108_499)));
    assert_eq!((c[1]["fx"]["rate"].as_str(), c[1]["fx"]["baseMinor"].as_i64()), (Some("1.1"), Some(109_999)));
    let usd = json!({"amount": {"amount": "10.00", "currency": "USD"}, "receivedOn": "2026-01-12", "method": "cash"});
    app.post_keyed(&b.path(&format!("/leases/{lease}/payments")), &b.token, usd).await.problem(400);
    let d = app.get(&b.path("/delinquency?asOf=2026-03-15"), &b.token).await.expect(200).body;
    assert_eq!(d["totals"][0]["currency"], "EUR");
    assert_eq!(amt(&d["totals"][0]["aging"]["total"]), "1999.98");
    assert_eq!(amt(&d["baseTotal"]), "2184.98", "each open charge at its own rate");
    let tb = e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, std::slice::from_ref(&lease)).await;
    assert_eq!(tb.get(&("1200".to_owned(), "EUR".to_owned())), Some(&199_998), "receivable kept in euros");
    let (_, raw) = e2e::books::trial_balance(&app, &b.org, &b.token, "2026-02-28").await;
    assert_eq!(base_of(&raw, "1200"), 218_498, "the receivable's base: each charge at its own rate (= baseTotal)");

    // 1500.00 EUR paid on March 5th at 1.12 (1680.00 USD) settles January (charged at 1.085)
    // and 500.01 of February (at 1.10). What the receivable gives up is the worth of what was
    // open before minus after, at each charge's rate: 1084.99 − 0 and 1099.99 − 549.98 (499.98
    // × 1.10); the payment's side: 1680.00 − 560.01 and 560.01 − 0. Realized: (1119.99 − 1084.99)
    // + (560.01 − 550.01) = 45.00 USD gained.
    let march = json!({"date": "2026-03-01", "rates": [{"currency": "EUR", "rate": "1.12"}]});
    app.post(&b.path("/fx-rates"), &b.token, march).await.expect(201);
    let eur = json!({"amount": {"amount": "1500.00", "currency": "EUR"}});
    let pid = b.pay(&app, &lease, "1500.00", "2026-03-05", eur).await["id"].as_str().unwrap().to_owned();
    let entry = e2e::books::wait_posted(&app, &b.org, &b.token, &pid).await;
    let fx_line = entry["lines"].as_array().unwrap().iter().find(|l| l["accountCode"] == "4950").expect("an FX line");
    assert_eq!(
        (amt(&fx_line["baseCredit"]), fx_line["debit"].is_null() && fx_line["credit"].is_null()),
        ("45.00", true),
        "{entry}"
    );
    e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, std::slice::from_ref(&lease)).await;
    let (_, tb) = e2e::books::trial_balance(&app, &b.org, &b.token, "2026-03-31").await;
    assert_eq!(tb["baseBalanced"], true, "{tb}");
    assert_eq!((base_of(&tb, "1200"), base_of(&tb, "4950"), base_of(&tb, "1050")), (54_998, -4_500, 168_000), "{tb}");
    let d = app.get(&b.path("/delinquency?asOf=2026-03-31"), &b.token).await.expect(200).body;
    assert_eq!(amt(&d["baseTotal"]), "549.98", "what is still open, at its rate, is what the receivable's base holds");

    // Reversed, the gain is undone and the receivable is worth what it was.
    app.post(&b.path(&format!("/payments/{pid}:reverse")), &b.token, json!({"reversedOn": "2026-03-06"}))
        .await
        .expect(200);
    let tb = loop {
        let (_, tb) = e2e::books::trial_balance(&app, &b.org, &b.token, "2026-03-31").await;
        if base_of(&tb, "1050") == 0 {
            break tb;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(
        (base_of(&tb, "1200"), base_of(&tb, "4950"), tb["baseBalanced"].as_bool()),
        (218_498, 0, Some(true)),
        "{tb}"
    );
    e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, &[lease]).await;
}

/// An account's net debit in the base currency in a trial balance (cents).
fn base_of(tb: &Value, code: &str) -> i64 {
    let cents = |v: &Value| v["amount"].as_str().map_or(0, |a| a.replace('.', "").parse::<i64>().unwrap());
    tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == code)
        .map(|r| cents(&r["baseDebit"]) - cents(&r["baseCredit"]))
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_over_more_charges_than_one_transaction_holds_is_split_safely() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "split@example.com").await;
    let lease = b.lease(&app, "2022-01-01", "100.00", json!({})).await;
    let run = b.rent_run(&app, "2026-02-28").await;
    assert_eq!(run["chargesCreated"], 50);
    let api = app.stack.function("api-payments").unwrap().app().unwrap();
    let before = api.db.calls().by_operation();
    let p = b.pay(&app, &lease, "5000.00", "2026-03-01", json!({})).await;
    let after = api.db.calls().by_operation();
    let tx =
        after.get("TransactWriteItems").copied().unwrap_or(0) - before.get("TransactWriteItems").copied().unwrap_or(0);
    assert_eq!(tx, 2, "40 allocations, then the remaining 10");
    // The lease and its org come in one read (they were two GetItems). The one GetItem left is
    // the membership lookup, which tests make on every request (no membership cache); then one
    // ledger query per transaction and the transactions. The idempotency key is taken inside the
    // last transaction: no write of its own (it was a PutItem before the work).
    let ops = |op: &str| after.get(op).copied().unwrap_or(0) - before.get(op).copied().unwrap_or(0);
    assert_eq!((ops("GetItem"), ops("BatchGetItem"), ops("PutItem"), ops("Query")), (1, 1, 0, 2), "{after:?}");
    assert_eq!(p["allocations"].as_array().unwrap().len(), 50);
    let l = assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
    assert!(l.charges.iter().all(|c| c.open == 0));
    let d = app.get(&b.path("/delinquency?asOf=2026-03-15"), &b.token).await.expect(200).body;
    assert!(d["leases"].as_array().unwrap().is_empty(), "nothing open: {d}");
}

#[tokio::test(flavor = "multi_thread")]
async fn credits_apply_to_charges_and_voids_undo_them_either_way() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "credits@example.com").await;
    let lease = b.lease(&app, "2026-01-01", "1000.00", json!({})).await;
    let cpath = b.path(&format!("/leases/{lease}/charges"));
    let charge = |kind: &str, amount: &str| json!({"kind": kind, "amount": {"amount": amount, "currency": "USD"}, "dueDate": "2026-01-10"});
    let water = app.post_keyed(&cpath, &b.token, charge("utility", "80.00")).await.expect(201).id();
    let credit = app.post_keyed(&cpath, &b.token, charge("credit", "100.00")).await.expect(201).body;
    assert_eq!((amt(&credit["amount"]), amt(&credit["open"])), ("-100.00", "-20.00"), "80.00 of it paid the water");
    // Voiding the water gives the credit back in full.
    app.post(&b.path(&format!("/charges/{water}:void")), &b.token, json!({})).await.expect(200);
    let l = b.ledger(&app, &lease, "2026-12-31").await;
    assert_eq!(amt(&l["balance"]), "-100.00");
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
    // Voiding a credit reopens what it paid (and puts it back in delinquency).
    let fee = app.post_keyed(&cpath, &b.token, charge("fee", "50.00")).await.expect(201).id();
    let small = app.post_keyed(&cpath, &b.token, charge("credit", "50.00")).await.expect(201).body;
    assert_eq!(amt(&small["open"]), "0.00");
    let d = app.get(&b.path("/delinquency?asOf=2026-02-01"), &b.token).await.expect(200).body;
    assert!(d["leases"].as_array().unwrap().is_empty(), "the new credit paid the fee: {d}");
    let cid = credit["id"].as_str().unwrap();
    app.post(&b.path(&format!("/charges/{cid}:void")), &b.token, json!({})).await.expect(200);
    let sid = small["id"].as_str().unwrap();
    app.post(&b.path(&format!("/charges/{sid}:void")), &b.token, json!({})).await.expect(200);
    let fee_now = b.charges(&app, &lease).await.into_iter().find(|c| c["id"] == fee.as_str()).unwrap();
    assert_eq!((fee_now["status"].as_str(), amt(&fee_now["open"])), (Some("open"), "50.00"));
    let d = app.get(&b.path("/delinquency"), &b.token).await.expect(200).body;
    assert_eq!((d["source"].as_str(), amt(&d["totals"][0]["aging"]["total"])), (Some("live"), "50.00"), "{d}");
    // On February 1st the credits were not yet voided: nothing was owed then, and a past day
    // answers what was.
    let then = app.get(&b.path("/delinquency?asOf=2026-02-01"), &b.token).await.expect(200).body;
    assert!(then["leases"].as_array().unwrap().is_empty(), "{then}");
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ending_a_lease_trues_up_rent_already_charged_past_move_out() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "moveout@example.com").await;
    let lease = b.lease(&app, "2026-01-01", "1200.00", json!({})).await;
    b.rent_run(&app, "2026-03-31").await;
    b.pay(&app, &lease, "2400.00", "2026-02-01", json!({})).await; // January and February
    app.post(&b.path(&format!("/leases/{lease}:end")), &b.token, json!({"moveOutDate": "2026-02-14"}))
        .await
        .expect(200);
    let run = b.rent_run(&app, "2026-04-30").await;
    assert_eq!(run["chargesCreated"], 0, "nothing after move-out: {run}");
    let charges = b.charges(&app, &lease).await;
    let march = charges.iter().find(|c| c["period"] == "2026-03" && c["kind"] == "rent").unwrap();
    assert_eq!(march["status"], "void");
    let credit = charges.iter().find(|c| c["kind"] == "credit").unwrap();
    // February: 14 of 28 days = 600.00 owed of the 1200.00 charged.
    assert_eq!((amt(&credit["amount"]), credit["dueDate"].as_str()), ("-600.00", Some("2026-02-14")));
    b.rent_run(&app, "2026-04-30").await;
    assert_eq!(b.charges(&app, &lease).await.len(), charges.len(), "a second run changes nothing");
    let l = b.ledger(&app, &lease, "2026-04-30").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("-600.00", "0.00"), "600.00 is owed back");
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

/// A lease back-dated years is caught up in bounded runs: the API's run says it is not complete,
/// and the scheduled run continues in further messages on its own queue until every month is
/// there, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_back_dated_lease_is_caught_up_in_bounded_runs_that_continue_by_message() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "backfill@example.com").await;
    let lease = b.lease(&app, "2016-01-01", "1000.00", json!({})).await;
    let first = b.rent_run(&app, "2026-11-30").await;
    assert_eq!((first["complete"].as_bool(), first["chargesCreated"].as_u64()), (Some(false), Some(60)), "{first}");
    // 131 months (2016-01 .. 2026-11): 60 by the API, the rest through the queue in two messages.
    app.stack.run_job_to_completion("job-rent-scheduler", json!({"runDate": "2026-11-30"})).await.unwrap();
    let rent: Vec<Value> = b.charges(&app, &lease).await.into_iter().filter(|c| c["kind"] == "rent").collect();
    assert_eq!(rent.len(), 131);
    let mut due: Vec<&str> = rent.iter().map(|c| c["dueDate"].as_str().unwrap()).collect();
    due.sort();
    due.dedup();
    assert_eq!((due.len(), due[0], due[130]), (131, "2016-01-01", "2026-11-01"));
    let again = b.rent_run(&app, "2026-11-30").await;
    assert_eq!((again["complete"].as_bool(), again["chargesCreated"].as_u64()), (Some(true), Some(0)), "{again}");
}

/// The daily jobs run at a chosen instant (`Ctx::at`) over a lease that starts years from now:
/// nothing is back-dated, and everything each run writes carries the instant it ran at.
#[tokio::test(flavor = "multi_thread")]
async fn rent_late_fees_and_reminders_run_on_chosen_days_of_a_future_lease() {
    use functions::jobs::{late_fees, rent_reminders, rent_run};
    use portfolio::platform::ctx::Ctx;
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "clock@example.com").await;
    let settings = json!({"rentLeadDays": 3, "rentReminderDays": 3,
                          "lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}});
    app.call("PUT", &b.path("/billing-settings"), &b.token, Some(settings)).await.expect(200);
    let lease = b.lease(&app, "2031-01-01", "1200.00", json!({"endDate": "2031-12-31"})).await;
    let db = app.stack.function("consumer-late-fees").unwrap().app().unwrap().db.clone();
    let scope = b.scope();
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();

    // New Year's morning: January's rent (through the 4th with 3 days' lead).
    let new_year = at("2031-01-01T09:00:00Z");
    let run = rent_run::run(&Ctx::at(&db, &scope, new_year), day("2031-01-01")).await.unwrap();
    assert_eq!(run["chargesCreated"], 1, "{run}");
    let jan = b.charges(&app, &lease).await;
    assert_eq!((jan.len(), jan[0]["dueDate"].as_str()), (1, Some("2031-01-01")));
    assert_eq!(jan[0]["createdAt"].as_str().map(at), Some(new_year));

    // Still in grace on the 6th (due the 1st, 5 days' grace): no fee. Late on the 7th: one fee.
    let sixth = at("2031-01-06T06:00:00Z");
    let none = late_fees::run(&Ctx::at(&db, &scope, sixth), day("2031-01-06")).await.unwrap();
    assert_eq!(none["assessed"], 0, "{none}");
    let seventh = at("2031-01-07T06:00:00Z");
    let fee = late_fees::run(&Ctx::at(&db, &scope, seventh), day("2031-01-07")).await.unwrap();
    assert_eq!(fee["assessed"], 1, "{fee}");
    let charges = b.charges(&app, &lease).await;
    let fee = charges.iter().find(|c| c["kind"] == "late_fee").expect("the late fee");
    assert_eq!((amt(&fee["amount"]), fee["createdAt"].as_str().map(at)), ("50.00", Some(seventh)));

    // The 29th: February's rent is billed (3 days' lead) and due in 3 days, January's is overdue.
    let twenty_ninth = at("2031-01-29T08:00:00Z");
    let cx = Ctx::at(&db, &scope, twenty_ninth);
    assert_eq!(rent_run::run(&cx, day("2031-01-29")).await.unwrap()["chargesCreated"], 1);
    let reminders = rent_reminders::run(&cx, day("2031-01-29")).await.unwrap();
    assert_eq!((reminders["dueSoon"].as_u64(), reminders["overdue"].as_u64()), (Some(1), Some(1)), "{reminders}");
    let again = rent_reminders::run(&cx, day("2031-01-29")).await.unwrap();
    assert_eq!(again["existing"], 2, "once per charge and kind: {again}");
    let events = app.get(&b.path("/events?limit=200"), &b.token).await.expect(200).body;
    let reminded: Vec<&Value> =
        events["items"].as_array().unwrap().iter().filter(|e| e["type"] == "reminder.created").collect();
    assert_eq!(reminded.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_who_prepaid_owes_nothing_when_the_rent_run_charges_the_month() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "prepaid@example.com").await;
    let lease = b.lease(&app, "2026-01-01", "1000.00", json!({})).await;
    // A goodwill credit while nothing is owed stays open (−100.00), then a payment ahead, before
    // any charge exists: all of it is unapplied credit (prepaid rent).
    let credit = json!({"kind": "credit", "amount": {"amount": "100.00", "currency": "USD"}, "dueDate": "2025-12-20"});
    let credit = app.post_keyed(&b.path(&format!("/leases/{lease}/charges")), &b.token, credit).await.expect(201).body;
    assert_eq!(amt(&credit["open"]), "-100.00");
    b.pay(&app, &lease, "2500.00", "2025-12-28", json!({})).await;
    let l = b.ledger(&app, &lease, "2025-12-31").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("-100.00", "2500.00"));
    let run = b.rent_run(&app, "2026-03-01").await;
    assert_eq!(run["chargesCreated"], 3);
    // The run applied them in its own transaction, the older credit first: January and
    // February paid, March 400.00 open.
    let charges = b.charges(&app, &lease).await;
    let open: Vec<(&str, &str)> =
        charges.iter().filter_map(|c| Some((c["period"].as_str()?, amt(&c["open"])))).collect();
    assert_eq!(open, [("2026-01", "0.00"), ("2026-02", "0.00"), ("2026-03", "400.00")]);
    let credit = charges.iter().find(|c| c["kind"] == "credit").unwrap();
    assert_eq!((amt(&credit["open"]), credit["status"].as_str()), ("0.00", Some("paid")), "the credit is used up");
    let l = b.ledger(&app, &lease, "2026-03-01").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("400.00", "0.00"));
    let jan = b.ledger(&app, &lease, "2026-01-01").await;
    assert_eq!((amt(&jan["balance"]), amt(&jan["unapplied"])), ("0.00", "1600.00"), "met on each due date");
    // A re-run creates and applies nothing twice.
    let again = b.rent_run(&app, "2026-03-01").await;
    assert_eq!(again["chargesCreated"], 0);
    assert_counters_match_entries(&app, &b, &lease).await;
    b.assert_books(&app).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn prepaid_money_meets_the_runs_charges_when_a_conflict_sends_the_run_one_by_one() {
    let app = TestApp::spawn().await;
    let b = Books::new(&app, "fallback@example.com").await;
    let other = b.lease(&app, "2026-01-01", "1000.00", json!({})).await;
    b.rent_run(&app, "2026-01-01").await;
    // The other lease's January rent exists but its watermark is lost (restored from an older
    // backup): the next run's batched transaction (both leases' charges) is refused and the run
    // goes on one charge at a time.
    let key = keys::rent_watermark(&b.scope(), &LeaseId::parse(&other).unwrap()).to_item();
    app.dynamodb().delete_item().table_name(app.stack.table_name()).set_key(Some(key)).send().await.unwrap();
    let lease = b.lease(&app, "2026-01-01", "1000.00", json!({})).await;
    b.pay(&app, &lease, "1500.00", "2025-12-28", json!({})).await;
    let db = app.stack.function("api-rent-runs").unwrap().app().unwrap().db.clone();
    let (scope, through) = (b.scope(), "2026-02-01".parse().ok());
    let cx = &portfolio::platform::ctx::Ctx::new(&db, &scope);
    let report = run_org(cx, through, &RunOptions::default()).await.unwrap();
    assert_eq!((report.charges_created, report.charges_existing), (3, 1), "{report:?}");
    // The prepaid lease's charges were still met by its money.
    let open: Vec<(String, String)> = b
        .charges(&app, &lease)
        .await
        .iter()
        .map(|c| (c["period"].as_str().unwrap().to_owned(), amt(&c["open"]).to_owned()))
        .collect();
    assert_eq!(open, [("2026-01".to_owned(), "0.00".to_owned()), ("2026-02".to_owned(), "500.00".to_owned())]);
    let l = b.ledger(&app, &lease, "2026-02-01").await;
    assert_eq!((amt(&l["balance"]), amt(&l["unapplied"])), ("500.00", "0.00"));
    e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, &[other, lease]).await;
}

//! The KPI mart and the dashboard: `job-kpi-rollup` computes each day's facts from the books
//! and ledgers (so a past day is exact, and re-running it after a back-dated payment recomputes
//! it); `GET /dashboard` answers the latest day and the series.

use crate::exports::small_year;
use e2e::books::wait_source;
use serde_json::{json, Value};

fn amount(day: &Value, field: &str) -> String {
    day[field]["amount"].as_str().unwrap_or_else(|| panic!("no {field} in {day}")).to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_kpis_come_from_the_books_and_a_past_day_is_recomputed_when_rerun() {
    let app = e2e::TestApp::spawn().await;
    let o = small_year(&app).await;
    for day in ["2026-01-05", "2026-02-28", "2026-03-31"] {
        let out = app.stack.run_job_to_completion("job-kpi-rollup", json!({"runDate": day})).await.unwrap();
        assert_eq!(out["orgs"], 1, "{out}");
    }
    app.stack.run_job_to_completion("job-kpi-rollup", json!({})).await.unwrap();
    let dash = app.get(&o.path("/dashboard?days=366"), &o.token).await.expect(200).body;
    let series = dash["series"].as_array().unwrap();
    let dates: Vec<&str> = series.iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!(&dates[..3], ["2026-01-05", "2026-02-28", "2026-03-31"], "{dash}");
    assert_eq!(dates.len(), 4, "and today's: {dates:?}");
    assert_eq!((dash["today"]["date"].as_str(), dash["asOf"].as_str()), (Some(dates[3]), Some(dates[3])));
    assert!(dates[3] > "2026-11-30", "today's row: {dates:?}");
    let figures = |d: &Value| {
        [
            amount(d, "billed"),
            amount(d, "collected"),
            amount(d, "billedMonthToDate"),
            amount(d, "collectedMonthToDate"),
            amount(d, "delinquent"),
            amount(d, "noiMonthToDate"),
        ]
    };
    // January 5th: the rent (not the deposit) was paid; everything paid up.
    assert_eq!(figures(&series[0]), ["0.00", "1000.00", "1000.00", "1000.00", "0.00", "1000.00"], "{}", series[0]);
    assert_eq!(
        (series[0]["collectionRate"].as_str(), series[0]["occupancyRate"].as_str()),
        (Some("1.0000"), Some("1.0000"))
    );
    // February: rent paid on the 3rd, the repair on the 20th.
    assert_eq!(figures(&series[1]), ["0.00", "0.00", "1000.00", "1000.00", "0.00", "600.00"]);
    // March: the rent is owed; the bill is not paid (cash basis: no expense yet).
    assert_eq!(figures(&series[2]), ["0.00", "0.00", "1000.00", "0.00", "1000.00", "0.00"]);
    assert_eq!(series[2]["collectionRate"], "0.0000");
    assert_eq!(amount(&series[3], "delinquent"), "1000.00", "still owed today");

    // A payment recorded now but received on March 15th: re-running March 31st recomputes it.
    let lease =
        app.get(&o.path("/leases"), &o.token).await.expect(200).body["items"][0]["id"].as_str().unwrap().to_owned();
    let pay = json!({"amount": {"amount": "1000.00", "currency": "USD"}, "receivedOn": "2026-03-15", "method": "ach"});
    let pay = app.post_keyed(&o.path(&format!("/leases/{lease}/payments")), &o.token, pay).await.expect(201).id();
    wait_source(&app, &o.id, &o.token, ("payment", &pay)).await;
    app.stack.run_job_to_completion("job-kpi-rollup", json!({"runDate": "2026-03-31"})).await.unwrap();
    let dash = app.get(&o.path("/dashboard?days=366"), &o.token).await.expect(200).body;
    let march = dash["series"].as_array().unwrap().iter().find(|d| d["date"] == "2026-03-31").unwrap().clone();
    assert_eq!(figures(&march), ["0.00", "0.00", "1000.00", "1000.00", "0.00", "1000.00"], "{march}");
    assert_eq!(dash["series"].as_array().unwrap().len(), 4, "one row per day, overwritten");

    // One Query of the mart; the only other call is the caller's membership (never cached in
    // the tests: `MEMBERSHIP_CACHE_TTL_SECS=0`).
    let f = app.stack.gateway.functions.iter().find(|f| f.def.name == "api-dashboard").unwrap();
    let before = f.app().map(|a| a.db.calls().by_operation()).unwrap_or_default();
    app.get(&o.path("/dashboard?days=366"), &o.token).await.expect(200);
    let after = f.app().map(|a| a.db.calls().by_operation()).unwrap_or_default();
    let mut used: Vec<(String, u64)> = after
        .iter()
        .map(|(op, n)| (op.clone(), n - before.get(op).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    used.sort();
    assert_eq!(used, [("GetItem".to_owned(), 1), ("Query".to_owned(), 1)], "the dashboard's DynamoDB calls");
    let short = app.get(&o.path("/dashboard?days=2"), &o.token).await.expect(200).body;
    let recent: Vec<&str> = short["series"].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!(recent, [dates[2], dates[3]], "the last two days computed, oldest first");
    assert_eq!(app.get(&o.path("/dashboard"), &o.token).await.expect(200).body["days"], 30);
    for bad in ["0", "367", "ten", "-1"] {
        let res = app.get(&o.path(&format!("/dashboard?days={bad}")), &o.token).await.problem(400);
        assert_eq!(res.error_fields(), ["days"], "{bad}");
    }
}

/// devstack's "run now" (`POST /_devstack/jobs/<job>`), which `make dev` and the browser tests use
/// rather than wait for the clock: it fires the job's scheduler as its schedule would now, and
/// what the job queues reaches its consumer; anything but a job is refused.
#[tokio::test(flavor = "multi_thread")]
async fn devstack_runs_a_scheduled_job_now_on_request() {
    let app = e2e::TestApp::spawn().await;
    let o = small_year(&app).await;
    let before = app.get(&o.path("/dashboard"), &o.token).await.expect(200).body;
    assert!(before["today"].is_null(), "no rollup yet: {before}");
    let ran = app.raw("POST", "/_devstack/jobs/job-kpi-rollup", None, None).await.expect(200).body;
    assert_eq!((ran["function"].as_str(), ran["output"]["orgs"].as_u64()), (Some("job-kpi-rollup"), Some(1)), "{ran}");
    let mut dash = before;
    for _ in 0..100 {
        dash = app.get(&o.path("/dashboard"), &o.token).await.expect(200).body;
        if !dash["today"].is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(amount(&dash["today"], "delinquent"), "1000.00", "today's row, computed by the consumer: {dash}");
    assert_eq!(app.raw("POST", "/_devstack/jobs/api-orgs", None, None).await.status, 400);
    assert_eq!(app.raw("POST", "/_devstack/jobs/job-nothing", None, None).await.status, 404);
    assert_eq!(app.raw("GET", "/_devstack/jobs/job-kpi-rollup", None, None).await.status, 404, "POST only");
}

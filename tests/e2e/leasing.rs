//! Tenants and leases: unique emails, validation, other orgs' ids, overlap-safe activation under
//! concurrency, the lease lifecycle, and occupancy against an independent day-by-day count.

use chrono::{Days, NaiveDate};
use e2e::TestApp;
use serde_json::{json, Value};

struct Org {
    id: String,
    token: String,
    building: String,
}

async fn org(app: &TestApp, email: &str) -> Org {
    let id = app.create_org(email, "Leasing Org").await;
    let building = app.create_building(&id, email, "Birch House").await;
    Org { id, token: app.token(email), building }
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    async fn unit(&self, app: &TestApp, label: &str) -> String {
        app.post(&self.path(&format!("/buildings/{}/units", self.building)), &self.token, json!({"label": label}))
            .await
            .expect(201)
            .id()
    }

    async fn tenant(&self, app: &TestApp, email: &str) -> String {
        let body = json!({"firstName": "Terry", "lastName": "Tenant", "email": email});
        app.post(&self.path("/tenants"), &self.token, body).await.expect(201).id()
    }

    async fn lease(&self, app: &TestApp, unit: &str, tenants: &[&str], start: &str, end: Option<&str>) -> Value {
        let body = json!({"unitId": unit, "tenantIds": tenants, "startDate": start, "endDate": end,
                          "rent": {"amount": "1550.00", "currency": "USD"}, "dueDay": 1});
        app.post(&self.path("/leases"), &self.token, body).await.expect(201).body
    }

    async fn act(&self, app: &TestApp, lease: &str, verb: &str, body: Value) -> e2e::Res {
        app.post(&self.path(&format!("/leases/{lease}:{verb}")), &self.token, body).await
    }

    async fn occupancy(&self, app: &TestApp, date: NaiveDate) -> Value {
        app.get(&self.path(&format!("/occupancy?date={date}")), &self.token).await.expect(200).body
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_emails_are_unique_per_org_and_move_when_changed() {
    let app = TestApp::spawn().await;
    let o = org(&app, "o@example.com").await;
    let a = o.tenant(&app, "Pat@Example.com").await;
    let res = app
        .post(&o.path("/tenants"), &o.token, json!({"firstName": "P", "lastName": "Q", "email": "pat@example.COM"}))
        .await;
    res.problem(409);
    app.patch(&o.path(&format!("/tenants/{a}")), &o.token, json!({"email": "pat.new@example.com"})).await.expect(200);
    // The old address is free again; the new one is taken.
    o.tenant(&app, "pat@example.com").await;
    app.post(&o.path("/tenants"), &o.token, json!({"firstName": "P", "lastName": "Q", "email": "PAT.NEW@example.com"}))
        .await
        .problem(409);
    let b = o.tenant(&app, "bo@example.com").await;
    app.patch(&o.path(&format!("/tenants/{b}")), &o.token, json!({"email": "pat.new@example.com"})).await.problem(409);
    // Another org may use the same email.
    let other = org(&app, "p@example.com").await;
    other.tenant(&app, "pat.new@example.com").await;
    let got = app.get(&o.path(&format!("/tenants/{a}")), &o.token).await.expect(200);
    assert_eq!(got.body["email"], "pat.new@example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn leases_refuse_bad_terms_and_other_orgs_ids_writing_nothing() {
    let app = TestApp::spawn().await;
    let o = org(&app, "o@example.com").await;
    let unit = o.unit(&app, "1").await;
    let tenant = o.tenant(&app, "t@example.com").await;
    let other = org(&app, "x@example.com").await;
    let foreign_unit = other.unit(&app, "X1").await;
    let foreign_tenant = other.tenant(&app, "xt@example.com").await;
    let before = app.table_items().await.len();
    let base = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2027-01-01", "endDate": "2027-12-31",
                      "rent": {"amount": "1550.00", "currency": "USD"}, "dueDay": 1});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, field) in [
        (with("endDate", json!("2026-12-31")), "endDate"),
        (with("dueDay", json!(0)), "dueDay"),
        (with("dueDay", json!(29)), "dueDay"),
        (with("rent", json!({"amount": "0", "currency": "USD"})), "rent.amount"),
        (with("rent", json!({"amount": "-5.00", "currency": "USD"})), "rent.amount"),
        (with("rent", json!({"amount": "5.00", "currency": "XYZ"})), "rent.currency"),
        (with("rent", json!({"amount": "5.001", "currency": "USD"})), "rent.amount"),
        (with("tenantIds", json!((0..11).map(|_| tenant.clone()).collect::<Vec<_>>())), "tenantIds"),
        (with("tenantIds", json!([])), "tenantIds"),
        (with("startDate", json!("2027-02-30")), "startDate"),
    ] {
        let res = app.post(&o.path("/leases"), &o.token, body.clone()).await.problem(400);
        assert!(res.error_fields().iter().any(|f| f.starts_with(field)), "{field}: {}", res.text);
    }
    app.post(&o.path("/leases"), &o.token, with("unitId", json!(foreign_unit))).await.problem(404);
    app.post(&o.path("/leases"), &o.token, with("tenantIds", json!([tenant, foreign_tenant]))).await.problem(404);
    assert_eq!(app.table_items().await.len(), before, "refused leases wrote nothing");
    // A JPY lease: amounts in the currency's own exponent.
    let jpy = with("rent", json!({"amount": "150000", "currency": "JPY"}));
    let res = app.post(&o.path("/leases"), &o.token, jpy).await.expect(201);
    assert_eq!(res.body["rent"], json!({"amount": "150000", "currency": "JPY"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_parallel_activations_of_overlapping_leases_let_exactly_one_win() {
    let app = TestApp::spawn().await;
    let o = org(&app, "o@example.com").await;
    let unit = o.unit(&app, "1").await;
    let tenant = o.tenant(&app, "t@example.com").await;
    let mut leases = Vec::new();
    for i in 0..10 {
        let start = format!("2027-0{}-01", 1 + i % 6);
        leases.push(
            o.lease(&app, &unit, &[&tenant], &start, Some("2027-12-31")).await["id"].as_str().unwrap().to_owned(),
        );
    }
    let results = futures::future::join_all(leases.iter().map(|l| o.act(&app, l, "activate", json!({})))).await;
    let won: Vec<_> = results.iter().filter(|r| r.status == 200).collect();
    let lost = results.iter().filter(|r| r.status == 409).count();
    assert_eq!((won.len(), lost), (1, 9), "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
    let history = app.get(&o.path(&format!("/units/{unit}/leases")), &o.token).await.expect(200);
    let active: Vec<_> = history.body["items"].as_array().unwrap().iter().filter(|l| l["status"] == "active").collect();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["id"], won[0].body["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lease_goes_from_draft_to_active_to_ended_and_is_renewed() {
    let app = TestApp::spawn().await;
    let o = org(&app, "o@example.com").await;
    let unit = o.unit(&app, "1").await;
    let (a, b) = (o.tenant(&app, "a@example.com").await, o.tenant(&app, "b@example.com").await);
    let lease = o.lease(&app, &unit, &[&a, &b], "2027-01-01", Some("2027-12-31")).await;
    assert_eq!(lease["status"], "draft");
    assert_eq!(lease["tenantIds"], json!([a, b]));
    let id = lease["id"].as_str().unwrap().to_owned();
    o.act(&app, &id, "end", json!({"moveOutDate": "2027-06-30"})).await.problem(409);
    app.patch(&o.path(&format!("/leases/{id}")), &o.token, json!({"rent": {"amount": "1600.00", "currency": "USD"}}))
        .await
        .expect(200);
    let active = o.act(&app, &id, "activate", json!({})).await.expect(200);
    assert_eq!(active.body["status"], "active");
    assert_eq!(active.body["rent"]["amount"], "1600.00");
    o.act(&app, &id, "activate", json!({})).await.problem(409);
    app.patch(&o.path(&format!("/leases/{id}")), &o.token, json!({"dueDay": 3})).await.problem(409);
    app.patch(&o.path(&format!("/leases/{id}")), &o.token, json!({"lateFeePolicy": {"graceDays": 5, "percent": "5"}}))
        .await
        .expect(200);

    // An overlapping lease cannot be activated; one after it can.
    let clash = o.lease(&app, &unit, &[&a], "2027-12-31", None).await;
    let res = o.act(&app, clash["id"].as_str().unwrap(), "activate", json!({})).await.problem(409);
    assert!(res.body["detail"].as_str().unwrap().contains(&id));

    let renewed = o.act(&app, &id, "renew", json!({})).await.expect(200);
    assert_eq!(renewed.body["status"], "draft");
    assert_eq!(renewed.body["startDate"], "2028-01-01");
    assert_eq!(renewed.body["renewalOf"], id.as_str());
    assert_eq!(renewed.body["tenantIds"], json!([a, b]));
    o.act(&app, &id, "renew", json!({})).await.problem(409);
    let old = app.get(&o.path(&format!("/leases/{id}")), &o.token).await.expect(200);
    assert_eq!(old.body["renewedBy"], renewed.body["id"]);

    let ended = o.act(&app, &id, "end", json!({"moveOutDate": "2027-09-15"})).await.expect(200);
    assert_eq!(ended.body["status"], "ended");
    assert_eq!(ended.body["moveOutDate"], "2027-09-15");
    // The renewal now activates; the clash (from 2027-12-31) still overlaps it.
    o.act(&app, renewed.body["id"].as_str().unwrap(), "activate", json!({})).await.expect(200);
    o.act(&app, &id, "end", json!({"moveOutDate": "2027-09-20"})).await.problem(409);

    let history = app.get(&o.path(&format!("/units/{unit}/leases")), &o.token).await.expect(200);
    let starts: Vec<&str> =
        history.body["items"].as_array().unwrap().iter().map(|l| l["startDate"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2027-01-01", "2027-12-31", "2028-01-01"]);
    // Leases are history: a unit with leases cannot be deleted.
    app.delete(&o.path(&format!("/units/{unit}")), &o.token).await.problem(409);
}

/// 24 months of move-ins and move-outs mid-month on six units; occupancy on every day of the
/// window matches a count made here from the same intervals.
#[tokio::test(flavor = "multi_thread")]
async fn occupancy_over_24_months_matches_an_independent_day_by_day_count() {
    let app = TestApp::spawn().await;
    let o = org(&app, "o@example.com").await;
    let tenant = o.tenant(&app, "t@example.com").await;
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    // Per unit: (start, end date on the lease, move-out date if ended).
    type Spec = (&'static str, Option<&'static str>, Option<&'static str>);
    let plans: Vec<Vec<Spec>> = vec![
        vec![("2025-01-17", None, Some("2025-07-14")), ("2025-08-01", Some("2026-07-31"), None)],
        vec![
            ("2024-11-03", Some("2025-10-31"), None),
            ("2025-11-15", None, Some("2026-03-09")),
            ("2026-04-20", None, None),
        ],
        vec![("2025-06-30", Some("2025-06-30"), None)],
        vec![],
        vec![("2026-12-10", Some("2027-12-09"), None)],
        vec![("2025-02-28", Some("2026-02-27"), Some("2025-12-31")), ("2026-01-01", None, None)],
    ];
    let mut intervals: Vec<(usize, NaiveDate, Option<NaiveDate>)> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        let unit = o.unit(&app, &format!("U{i}")).await;
        for (start, end, move_out) in plan {
            let end = if *start == "2025-06-30" { Some("2025-07-01") } else { *end };
            let lease = o.lease(&app, &unit, &[&tenant], start, end).await;
            let id = lease["id"].as_str().unwrap().to_owned();
            o.act(&app, &id, "activate", json!({})).await.expect(200);
            if let Some(m) = move_out {
                o.act(&app, &id, "end", json!({"moveOutDate": m})).await.expect(200);
            }
            intervals.push((i, d(start), move_out.or(end).map(d)));
        }
    }
    let expected = |day: NaiveDate| {
        let mut units: Vec<usize> =
            intervals.iter().filter(|(_, s, e)| *s <= day && e.is_none_or(|e| day <= e)).map(|(u, _, _)| *u).collect();
        units.sort();
        units.dedup();
        units.len() as u64
    };
    let mut day = d("2025-01-01");
    let mut checked = 0;
    while day <= d("2026-12-31") {
        let occ = o.occupancy(&app, day).await;
        let want = expected(day);
        assert_eq!(occ["portfolio"]["units"], 6, "{day}");
        assert_eq!(occ["portfolio"]["occupied"], want, "{day}: {occ}");
        assert_eq!(occ["portfolio"]["vacant"], 6 - want, "{day}");
        assert_eq!(occ["buildings"][0]["occupied"], want, "{day}");
        day = day.checked_add_days(Days::new(1)).unwrap();
        checked += 1;
    }
    assert_eq!(checked, 730);
    let occ = o.occupancy(&app, d("2026-05-01")).await;
    assert_eq!(occ["portfolio"]["rate"], "0.5000", "{occ}");
    app.get(&o.path("/occupancy"), &o.token).await.problem(400);
    app.get(&o.path("/occupancy?date=2026-13-01"), &o.token).await.problem(400);
}

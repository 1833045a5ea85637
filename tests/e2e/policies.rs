//! Jurisdiction rules over HTTP: `policies:resolve` on both sides of the dated changes, an org
//! rule outranking the pack, and the rules binding the product — an over-cap deposit refused
//! and overridden by an owner (audited), late fees held back in Massachusetts and capped in New
//! York, a German deposit in three instalments, a New York move-out opening a 14-day
//! deposit-return obligation, a renewal's notice deadline.

use e2e::TestApp;
use serde_json::{json, Value};

struct Org {
    id: String,
    token: String,
    n: std::cell::Cell<u32>,
}

impl Org {
    async fn new(app: &TestApp, email: &str) -> Org {
        let id = app.create_org(email, "Policy Org").await;
        Org { id, token: app.token(email), n: 0.into() }
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    /// A building in `country`/`region`.
    async fn building(&self, app: &TestApp, country: &str, region: Option<&str>) -> String {
        let mut address = json!({"line1": "1 Main St", "city": "Town", "postalCode": "10001", "country": country});
        if let Some(r) = region {
            address["region"] = json!(r);
        }
        let body = json!({"name": format!("{country} {region:?}"), "address": address});
        app.post(&self.path("/buildings"), &self.token, body).await.expect(201).id()
    }

    /// A draft lease in `building`; `extra` is merged into the body.
    async fn draft(&self, app: &TestApp, building: &str, start: &str, rent: &str, extra: Value) -> String {
        let n = self.n.get() + 1;
        self.n.set(n);
        app.draft_lease(&self.id, &self.token, building, n, (start, rent), extra).await
    }

    async fn activate(&self, app: &TestApp, lease: &str, body: Value) -> e2e::Res {
        app.post(&self.path(&format!("/leases/{lease}:activate")), &self.token, body).await
    }

    async fn resolve(&self, app: &TestApp, query: &str) -> Value {
        app.get(&self.path(&format!("/policies:resolve?{query}")), &self.token).await.expect(200).body
    }

    async fn charges(&self, app: &TestApp, lease: &str, kind: &str) -> Vec<(String, String)> {
        let res = app.get(&self.path(&format!("/leases/{lease}/charges?limit=200")), &self.token).await.expect(200);
        res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind && c["status"] != "void")
            .map(|c| (c["dueDate"].as_str().unwrap().to_owned(), c["amount"]["amount"].as_str().unwrap().to_owned()))
            .collect()
    }
}

fn winner(r: &Value) -> &str {
    r["winner"]["id"].as_str().unwrap_or_else(|| panic!("no winner in {r}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn resolve_answers_the_dated_cases_and_an_org_rule_outranks_the_pack() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "resolver@example.com").await;
    let pack = app.get("/api/v1/policy-packs", &o.token).await.expect(200).body;
    let items = pack["items"].as_array().unwrap();
    assert!(items.len() >= 17, "{}", items.len());
    assert!(items.iter().all(|p| p["origin"] == "pack" && !p["sources"].as_array().unwrap().is_empty()));

    let ca = |date: &str| format!("area=deposit&country=US&region=CA&date={date}");
    let before = o.resolve(&app, &ca("2024-06-30")).await;
    assert_eq!((winner(&before), before["winner"]["rule"]["maxMonths"].as_str()), ("us-ca-deposit-1950-5", Some("2")));
    let after = o.resolve(&app, &ca("2024-07-01")).await;
    assert_eq!((winner(&after), after["winner"]["rule"]["maxMonths"].as_str()), ("us-ca-deposit-ab12", Some("1")));
    let old =
        after["candidates"].as_array().unwrap().iter().find(|c| c["policy"]["id"] == "us-ca-deposit-1950-5").unwrap();
    assert_eq!(
        (old["outcome"].as_str(), old["reason"].as_str()),
        (Some("not_in_effect"), Some("not in effect on 2024-07-01: it ended on 2024-06-30"))
    );
    let small = o.resolve(&app, &format!("{}&smallLandlord=true&serviceMember=false", ca("2024-07-01"))).await;
    assert_eq!(winner(&small), "us-ca-deposit-ab12-small-landlord");
    let service = o.resolve(&app, &format!("{}&smallLandlord=true&serviceMember=true", ca("2024-07-01"))).await;
    assert_eq!(winner(&service), "us-ca-deposit-ab12");

    // New York's §226-c text changes on 2024-08-18; region names work as well as codes.
    let ny = |date: &str| format!("area=notice&country=US&region=New%20York&date={date}");
    assert_eq!(winner(&o.resolve(&app, &ny("2024-08-17")).await), "us-ny-notice-226c");
    assert_eq!(winner(&o.resolve(&app, &ny("2024-08-18")).await), "us-ny-notice-226c-gce");
    let none = o.resolve(&app, "area=deposit&country=US&region=TX&date=2026-01-01").await;
    assert!(none["winner"].is_null(), "{none}");

    // An org rule outranks the pack from its effective date.
    let mine = app
        .post(
            &o.path("/policies"),
            &o.token,
            json!({"name": "Our NY cap", "area": "deposit", "country": "US", "region": "ny", "effectiveFrom": "2026-01-01",
                   "rule": {"maxMonths": "0.5"}}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(
        (mine["origin"].as_str(), mine["country"].as_str(), mine["region"].as_str()),
        (Some("org"), Some("US"), Some("NY"))
    );
    let r = o.resolve(&app, "area=deposit&country=US&region=NY&date=2026-01-01").await;
    assert_eq!(winner(&r), mine["id"].as_str().unwrap());
    assert_eq!(
        r["candidates"][0]["reason"].as_str(),
        Some(format!("the org's own rule {} outranks the built-in pack", mine["id"].as_str().unwrap()).as_str())
    );
    assert_eq!(
        winner(&o.resolve(&app, "area=deposit&country=US&region=NY&date=2025-12-31").await),
        "us-ny-deposit-hstpa"
    );

    // Bad input: named fields, nothing written.
    let bad = app.get(&o.path("/policies:resolve?area=rent&country=US"), &o.token).await.problem(400);
    assert_eq!(bad.body["errors"][0]["field"], "area", "{}", bad.text);
    app.get(&o.path("/policies:resolve?area=deposit"), &o.token).await.problem(400);
    let wrong = app
        .post(
            &o.path("/policies"),
            &o.token,
            json!({"area": "late_fee", "country": "US", "effectiveFrom": "2026-01-01", "rule": {"maxWeeks": 5}}),
        )
        .await
        .problem(400);
    assert_eq!(wrong.body["errors"][0]["field"], "rule.maxWeeks", "{}", wrong.text);
    let listed = app.get(&o.path("/policies"), &o.token).await.expect(200).body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    // Only an owner changes the org's rules.
    app.add_member(&o.id, "resolver@example.com", "mgr@example.com", "manager").await;
    let id = mine["id"].as_str().unwrap();
    app.patch(&o.path(&format!("/policies/{id}")), &app.token("mgr@example.com"), json!({"priority": 3}))
        .await
        .problem(403);
    app.delete(&o.path(&format!("/policies/{id}")), &o.token).await.expect(204);
    assert_eq!(
        winner(&o.resolve(&app, "area=deposit&country=US&region=NY&date=2026-01-01").await),
        "us-ny-deposit-hstpa"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_over_cap_deposit_is_refused_and_an_owner_overrides_it_with_a_reason() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "cap@example.com").await;
    let ny = o.building(&app, "US", Some("NY")).await;
    let at_cap =
        o.draft(&app, &ny, "2026-01-01", "2000.00", json!({"deposit": {"amount": "2000.00", "currency": "USD"}})).await;
    o.activate(&app, &at_cap, json!({})).await.expect(200);

    let over =
        o.draft(&app, &ny, "2026-01-01", "2000.00", json!({"deposit": {"amount": "4000.00", "currency": "USD"}})).await;
    let refused = o.activate(&app, &over, json!({})).await.problem(409);
    let detail = refused.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("us-ny-deposit-hstpa") && detail.contains("4000.00 USD") && detail.contains("2000.00 USD"),
        "{detail}"
    );
    app.add_member(&o.id, "cap@example.com", "manager@example.com", "manager").await;
    let manager = app.token("manager@example.com");
    app.post(&o.path(&format!("/leases/{over}:activate")), &manager, json!({"override": {"reason": "agreed"}}))
        .await
        .problem(403);
    o.activate(&app, &over, json!({"override": {"reason": "  "}})).await.problem(400);
    let lease = app.get(&o.path(&format!("/leases/{over}")), &o.token).await.expect(200).body;
    assert_eq!(lease["status"], "draft", "a refused activation changes nothing");

    let reason = "the tenant asked to prepay; counsel approved";
    let ok = o.activate(&app, &over, json!({"override": {"reason": reason}})).await.expect(200);
    assert_eq!(ok.body["status"], "active");
    let audit = app.get(&o.path("/audit?limit=50"), &o.token).await.expect(200).body;
    let entry = audit["items"].as_array().unwrap().iter().find(|a| a["action"] == "lease.policy_overridden").unwrap();
    assert_eq!(entry["target"]["id"].as_str(), Some(over.as_str()));
    assert_eq!(entry["after"]["reason"].as_str(), Some(reason));
    assert_eq!(entry["before"]["policyId"].as_str(), Some("us-ny-deposit-hstpa"));
    let events = app.get(&o.path("/events?limit=200"), &o.token).await.expect(200).body;
    let overridden: Vec<&Value> =
        events["items"].as_array().unwrap().iter().filter(|e| e["type"] == "policy.overridden").collect();
    assert_eq!(overridden.len(), 1);
    assert_eq!(overridden[0]["data"]["limit"]["amount"], "2000.00", "{}", overridden[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn late_fees_wait_thirty_days_in_massachusetts_and_are_capped_in_new_york() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "fees@example.com").await;
    let (ma, ny) = (o.building(&app, "US", Some("MA")).await, o.building(&app, "US", Some("New York")).await);
    let policy = json!({"lateFeePolicy": {"graceDays": 5, "flat": {"amount": "75.00", "currency": "USD"}}});
    let mut leases = Vec::new();
    for (b, rent) in [(&ma, "1000.00"), (&ny, "2000.00"), (&ny, "800.00")] {
        let l = o.draft(&app, b, "2026-01-01", rent, policy.clone()).await;
        o.activate(&app, &l, json!({})).await.expect(200);
        leases.push(l);
    }
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-01-31"})).await.expect(200);
    let fees = async |l: &str| o.charges(&app, l, "late_fee").await;
    let run =
        async |day: &str| app.stack.run_job_to_completion("job-late-fees", json!({"runDate": day})).await.unwrap();
    run("2026-01-11").await; // day 10
    assert_eq!(fees(&leases[0]).await, [], "Massachusetts: no fee on day 10");
    assert_eq!(
        fees(&leases[1]).await,
        [("2026-01-07".to_owned(), "50.00".to_owned())],
        "New York: min(50, 5% of 2,000.00)"
    );
    assert_eq!(fees(&leases[2]).await, [("2026-01-07".to_owned(), "40.00".to_owned())], "New York: 5% of 800.00");
    run("2026-01-31").await; // day 30
    assert_eq!(fees(&leases[0]).await, [], "Massachusetts: none on day 30 either");
    run("2026-02-01").await; // day 31
    assert_eq!(fees(&leases[0]).await, [("2026-02-01".to_owned(), "75.00".to_owned())], "the lease's fee, on day 31");
    run("2026-02-02").await;
    assert_eq!(fees(&leases[0]).await.len(), 1, "once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_german_deposit_is_charged_in_three_instalments() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "kaution@example.com").await;
    let berlin = o.building(&app, "DE", Some("Berlin")).await;
    let deposit = |amount: &str, parts: u8| json!({"deposit": {"amount": amount, "currency": "USD"}, "depositInstalments": parts});
    let four = o.draft(&app, &berlin, "2026-01-01", "1000.00", deposit("3000.00", 4)).await;
    let refused = o.activate(&app, &four, json!({})).await.problem(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("at most 3 instalments"), "{}", refused.text);
    let over = o.draft(&app, &berlin, "2026-01-01", "1000.00", deposit("3000.01", 3)).await;
    let refused = o.activate(&app, &over, json!({})).await.problem(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("de-deposit-bgb-551"), "{}", refused.text);

    let lease = o.draft(&app, &berlin, "2026-01-01", "1000.00", deposit("3000.00", 3)).await;
    let active = o.activate(&app, &lease, json!({})).await.expect(200);
    assert_eq!(active.body["depositInstalments"], 3);
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-01-31"})).await.expect(200);
    assert_eq!(o.charges(&app, &lease, "deposit").await, [("2026-01-01".to_owned(), "1000.00".to_owned())]);
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-04-30"})).await.expect(200);
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-04-30"})).await.expect(200);
    let parts: Vec<(String, String)> =
        ["2026-01-01", "2026-02-01", "2026-03-01"].iter().map(|d| ((*d).to_owned(), "1000.00".to_owned())).collect();
    assert_eq!(o.charges(&app, &lease, "deposit").await, parts, "with the next two rents, once each");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_york_move_out_opens_a_14_day_deposit_return_and_renewals_get_notice_deadlines() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "moveout@example.com").await;
    let ny = o.building(&app, "US", Some("NY")).await;
    let lease =
        o.draft(&app, &ny, "2026-01-01", "1500.00", json!({"deposit": {"amount": "1500.00", "currency": "USD"}})).await;
    o.activate(&app, &lease, json!({})).await.expect(200);
    app.post(&o.path(&format!("/leases/{lease}:end")), &o.token, json!({"moveOutDate": "2026-03-31"}))
        .await
        .expect(200);
    let board =
        async |kind: &str| app.get(&o.path(&format!("/obligations?dueBefore=2026-06-01&kind={kind}")), &o.token).await;
    let got = board("deposit_return").await.expect(200).body;
    let items = got["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{got}");
    assert_eq!(
        (items[0]["dueOn"].as_str(), items[0]["status"].as_str(), items[0]["policyId"].as_str()),
        (Some("2026-04-14"), Some("open"), Some("us-ny-deposit-return"))
    );
    assert_eq!(
        (items[0]["subject"]["type"].as_str(), items[0]["subject"]["id"].as_str()),
        (Some("lease"), Some(lease.as_str()))
    );
    let settle = json!({"settledOn": "2026-04-10", "deductions": []});
    app.post(&o.path(&format!("/leases/{lease}/deposit-settlement")), &o.token, settle).await.expect(201);
    let got = board("deposit_return").await.expect(200).body;
    assert_eq!(got["items"][0]["status"], "fulfilled", "{got}");
    board("nonsense").await.problem(400);

    // An active lease ending next year, 23 months long: New York asks 60 days' notice.
    let renewing = o.draft(&app, &ny, "2025-07-01", "1500.00", json!({"endDate": "2027-05-31"})).await;
    o.activate(&app, &renewing, json!({})).await.expect(200);
    let got =
        app.get(&o.path("/obligations?dueBefore=2028-01-01&kind=notice_deadline"), &o.token).await.expect(200).body;
    let items = got["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{got}");
    assert_eq!(
        (items[0]["dueOn"].as_str(), items[0]["policyId"].as_str()),
        (Some("2027-04-01"), Some("us-ny-notice-226c-gce"))
    );
    assert!(items[0]["detail"].as_str().unwrap().starts_with("60 days before the lease ends on 2027-05-31"), "{got}");
}

async fn emails_to(to: &str) -> Vec<Value> {
    let emulator = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into());
    let all: Vec<Value> =
        reqwest::get(format!("{emulator}/_emulator/ses/messages")).await.unwrap().json().await.unwrap();
    all.into_iter()
        .filter(|m| m["destinations"]["ToAddresses"].as_array().is_some_and(|a| a.iter().any(|x| x == to)))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_board_shows_a_lease_ending_and_job_obligations_announces_it_once_to_the_owners() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "board-owner@example.com").await;
    let ny = o.building(&app, "US", Some("NY")).await;
    // The stack runs on the real clock: dates around today.
    let today = chrono::Utc::now().date_naive();
    let (start, end) = (today - chrono::Days::new(400), today + chrono::Days::new(5));
    let lease = o.draft(&app, &ny, &start.to_string(), "1500.00", json!({"endDate": end.to_string()})).await;
    o.activate(&app, &lease, json!({})).await.expect(200);
    let horizon = today + chrono::Days::new(30);
    let board = app.get(&o.path(&format!("/obligations?dueBefore={horizon}")), &o.token).await.expect(200).body;
    let kinds: Vec<(&str, &str)> = board["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["dueOn"].as_str().unwrap()))
        .collect();
    let notice = (end - chrono::Days::new(60)).to_string();
    assert_eq!(
        kinds,
        [("notice_deadline", notice.as_str()), ("lease_end", end.to_string().as_str())],
        "open first, by date"
    );

    let run = async || {
        app.stack.run_job_to_completion("job-obligations", json!({"runDate": today.to_string()})).await.unwrap()
    };
    run().await;
    run().await;
    let events = app.get(&o.path("/events?limit=200"), &o.token).await.expect(200).body;
    let due: Vec<&Value> =
        events["items"].as_array().unwrap().iter().filter(|e| e["type"] == "obligation.due").collect();
    assert_eq!(due.len(), 2, "once each however often the job runs: {due:?}");
    let mail = e2e::eventually("the owners' emails", 15, async || {
        let got = emails_to("board-owner@example.com").await;
        (got.len() >= 2).then_some(got)
    })
    .await;
    assert!(
        mail.iter().any(|m| m["subject"].as_str().is_some_and(|s| s == format!("Due {end}: The lease ends"))),
        "{mail:?}"
    );
}

//! The books over HTTP: the seeded chart and custom accounts, manual entries refused unless
//! balanced, the hash chain and its verification after tampering, replayed events posting once,
//! closed months, and the trial balance and registers to the cent.

use aws_sdk_dynamodb::types::AttributeValue;
use e2e::eventually;
use e2e::TestApp;
use portfolio::ids::{AccountId, OrgId};
use serde_json::{json, Value};

struct Org {
    id: String,
    token: String,
}

impl Org {
    async fn new(app: &TestApp, email: &str) -> Org {
        let id = app.create_org(email, "Books Org").await;
        Org { id, token: app.token(email) }
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    fn account(&self, code: &str) -> String {
        AccountId::of(&OrgId::parse(&self.id).unwrap(), code).to_string()
    }

    /// A manual entry: `(code, "debit"|"credit", amount)` lines in USD.
    fn entry(&self, date: &str, memo: &str, lines: &[(&str, &str, &str)]) -> Value {
        let lines: Vec<Value> = lines
            .iter()
            .map(|(code, side, amount)| json!({"accountId": self.account(code), *side: {"amount": amount, "currency": "USD"}}))
            .collect();
        json!({"date": date, "memo": memo, "lines": lines})
    }

    async fn journal(&self, app: &TestApp) -> Vec<Value> {
        app.get(&self.path("/journal?limit=200"), &self.token).await.expect(200).body["items"]
            .as_array()
            .unwrap()
            .clone()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_chart_is_seeded_with_the_org_and_custom_accounts_must_map_to_schedule_e() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "chart@example.com").await;
    let chart = app.get(&o.path("/accounts"), &o.token).await.expect(200).body;
    let items = chart["items"].as_array().unwrap();
    assert_eq!(items.len(), portfolio::books::chart::SEEDED.len());
    let by_code = |c: &str| items.iter().find(|a| a["code"] == c).unwrap().clone();
    assert_eq!((by_code("4000")["name"].as_str(), by_code("4000")["scheduleE"].as_str()), (Some("Rent"), Some("3")));
    assert_eq!(by_code("5140")["scheduleE"], "14");
    assert_eq!(by_code("2100")["subtype"], "deposits_held");
    for line in 5..=19 {
        let n = items
            .iter()
            .filter(|a| a["type"] == "expense" && a["scheduleE"].as_str() == Some(line.to_string().as_str()))
            .count();
        assert_eq!(n, 1, "one seeded expense account on Schedule E line {line}");
    }

    let unmapped = json!({"code": "5145", "name": "Pest control", "type": "expense"});
    let res = app.post(&o.path("/accounts"), &o.token, unmapped).await.problem(400);
    assert_eq!(res.error_fields(), ["scheduleE"]);
    let wrong_line = json!({"code": "5145", "name": "Pest control", "type": "expense", "scheduleE": "3"});
    assert_eq!(app.post(&o.path("/accounts"), &o.token, wrong_line).await.problem(400).error_fields(), ["scheduleE"]);
    let ok = json!({"code": "5145", "name": "Pest control", "type": "expense", "scheduleE": "7", "parentId": o.account("5070")});
    let pest = app.post(&o.path("/accounts"), &o.token, ok.clone()).await.expect(201).body;
    assert_eq!((pest["scheduleE"].as_str(), pest["seeded"].as_bool()), (Some("7"), Some(false)));
    app.post(&o.path("/accounts"), &o.token, ok).await.problem(409);
    let eur_bank =
        json!({"code": "1010", "name": "Euro account", "type": "asset", "subtype": "bank", "currency": "EUR"});
    app.post(&o.path("/accounts"), &o.token, eur_bank).await.expect(201);

    // Seeded accounts are renamed, never archived or re-typed.
    let rent = o.path(&format!("/accounts/{}", o.account("4000")));
    let renamed = app.patch(&rent, &o.token, json!({"name": "Rents received"})).await.expect(200).body;
    assert_eq!(renamed["name"], "Rents received");
    app.patch(&rent, &o.token, json!({"archived": true})).await.problem(409);
    app.patch(&rent, &o.token, json!({"type": "expense"})).await.problem(400);
    app.patch(&rent, &o.token, json!({"scheduleE": "4"})).await.problem(409);
    let pest_path = o.path(&format!("/accounts/{}", pest["id"].as_str().unwrap()));
    let archived = app.patch(&pest_path, &o.token, json!({"archived": true})).await.expect(200).body;
    assert_eq!(archived["archived"], true);

    // An org made before the books gets its chart on first use.
    let db = app.dynamodb();
    let pk = format!("ORG#{}", o.id);
    for s in portfolio::books::chart::SEEDED.iter().take(5) {
        db.delete_item()
            .table_name(app.stack.table_name())
            .key("PK", AttributeValue::S(pk.clone()))
            .key("SK", AttributeValue::S(format!("ACCT#{}", s.code)))
            .send()
            .await
            .unwrap();
    }
    let again = app.get(&o.path("/accounts"), &o.token).await.expect(200).body;
    assert_eq!(again["items"].as_array().unwrap().len(), portfolio::books::chart::SEEDED.len() + 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn manual_entries_balance_chain_and_show_in_the_trial_balance_and_registers() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "manual@example.com").await;
    app.add_member(&o.id, "manual@example.com", "acct@example.com", "accountant").await;
    app.add_member(&o.id, "manual@example.com", "ro@example.com", "readonly").await;
    let bad = [
        (o.entry("2026-03-01", "off by a cent", &[("1000", "debit", "100.00"), ("3000", "credit", "99.99")]), "lines"),
        (
            o.entry("2026-03-01", "three decimals", &[("1000", "debit", "10.001"), ("3000", "credit", "10.001")]),
            "lines[0].debit.amount",
        ),
        (o.entry("2026-03-01", "one line", &[("1000", "debit", "10.00")]), "lines"),
    ];
    for (body, field) in bad {
        let res = app.post(&o.path("/journal"), &o.token, body).await.problem(400);
        assert!(res.error_fields().iter().any(|f| f == field), "{field}: {:?}", res.body);
    }
    let mut unknown =
        o.entry("2026-03-01", "unknown account", &[("1000", "debit", "10.00"), ("3000", "credit", "10.00")]);
    unknown["lines"][1]["accountId"] = json!(AccountId::new().to_string());
    // An account this org does not have is not found (as a foreign one would be).
    app.post(&o.path("/journal"), &o.token, unknown).await.problem(404);
    let both = json!({"date": "2026-03-01", "memo": "both sides", "lines": [
        {"accountId": o.account("1000"), "debit": {"amount": "1.00", "currency": "USD"}, "credit": {"amount": "1.00", "currency": "USD"}},
        {"accountId": o.account("3000"), "credit": {"amount": "1.00", "currency": "USD"}}]});
    assert_eq!(app.post(&o.path("/journal"), &o.token, both).await.problem(400).error_fields(), ["lines[0]"]);
    let eur = json!({"code": "1010", "name": "Euro account", "type": "asset", "subtype": "bank", "currency": "EUR"});
    let eur_bank = app.post(&o.path("/accounts"), &o.token, eur).await.expect(201).id();
    let wrong_currency = json!({"date": "2026-03-01", "memo": "dollars into euros", "lines": [
        {"accountId": eur_bank, "debit": {"amount": "5.00", "currency": "USD"}},
        {"accountId": o.account("3000"), "credit": {"amount": "5.00", "currency": "USD"}}]});
    let res = app.post(&o.path("/journal"), &o.token, wrong_currency).await.problem(400);
    assert_eq!(res.error_fields(), ["lines[0].debit.currency"]);
    assert!(o.journal(&app).await.is_empty(), "nothing was written");

    let ro = app.token("ro@example.com");
    let contribution =
        o.entry("2026-03-01", "owner contribution", &[("1000", "debit", "10000.00"), ("3000", "credit", "10000.00")]);
    app.post(&o.path("/journal"), &ro, contribution.clone()).await.problem(403);
    let first = app.post(&o.path("/journal"), &app.token("acct@example.com"), contribution).await.expect(201).body;
    assert_eq!((first["seq"].as_u64(), first["source"]["type"].as_str()), (Some(1), Some("manual")));
    assert_eq!(first["prevHash"], "0".repeat(64));
    let repair = o.entry("2026-03-09", "roof repair", &[("5140", "debit", "1234.56"), ("1000", "credit", "1234.56")]);
    let second = app.post(&o.path("/journal"), &o.token, repair).await.expect(201).body;
    assert_eq!((second["seq"].as_u64(), &second["prevHash"]), (Some(2), &first["hash"]));
    let got = app.get(&o.path(&format!("/journal/{}", second["id"].as_str().unwrap())), &ro).await.expect(200).body;
    assert_eq!(got["hash"], second["hash"]);
    assert_eq!(got["lines"][0]["debit"]["amount"], "1234.56");

    let (tb, raw) = e2e::books::trial_balance(&app, &o.id, &ro, "2026-03-31").await;
    assert_eq!(raw["balanced"], true);
    let usd = |code: &str| tb.get(&(code.to_owned(), "USD".to_owned())).copied();
    assert_eq!((usd("1000"), usd("3000"), usd("5140")), (Some(876_544), Some(-1_000_000), Some(123_456)));
    let (before, _) = e2e::books::trial_balance(&app, &o.id, &ro, "2026-03-05").await;
    assert_eq!(before.get(&("5140".to_owned(), "USD".to_owned())), None, "the repair is dated after the 5th");

    let reg = app
        .get(&o.path(&format!("/accounts/{}/register?from=2026-03-05&to=2026-12-31", o.account("1000"))), &ro)
        .await
        .expect(200)
        .body;
    assert_eq!(reg["opening"][0]["amount"], "10000.00");
    assert_eq!(reg["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (reg["items"][0]["credit"]["amount"].as_str(), reg["items"][0]["balance"]["amount"].as_str()),
        (Some("1234.56"), Some("8765.44"))
    );
    let v = app.get(&o.path("/books/verify"), &ro).await.expect(200).body;
    assert_eq!((v["entries"].as_u64(), v["ok"].as_bool()), (Some(2), Some(true)));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_entry_breaks_the_chain_and_verify_names_it() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "tamper@example.com").await;
    for (i, amount) in ["100.00", "200.00", "300.00"].iter().enumerate() {
        let e = o.entry(
            &format!("2026-04-0{}", i + 1),
            "cash sale",
            &[("1000", "debit", amount), ("4900", "credit", amount)],
        );
        app.post(&o.path("/journal"), &o.token, e).await.expect(201);
    }
    assert_eq!(app.get(&o.path("/books/verify"), &o.token).await.expect(200).body["ok"], true);
    // Someone with table access edits entry 2's memo.
    app.dynamodb()
        .update_item()
        .table_name(app.stack.table_name())
        .key("PK", AttributeValue::S(format!("ORG#{}#JRNL", o.id)))
        .key("SK", AttributeValue::S(format!("{:012}", 2)))
        .update_expression("SET memo = :m")
        .expression_attribute_values(":m", AttributeValue::S("cash sale (edited)".into()))
        .send()
        .await
        .unwrap();
    let v = app.get(&o.path("/books/verify"), &o.token).await.expect(200).body;
    assert_eq!((v["ok"].as_bool(), v["firstBreak"]["seq"].as_u64()), (Some(false), Some(2)), "{v}");
    let entries = o.journal(&app).await;
    let second = entries.iter().find(|e| e["seq"] == 2).unwrap();
    assert_eq!(v["firstBreak"]["id"], second["id"]);
}

/// The outbox events of `org` of the types the books post, oldest first.
async fn money_events(app: &TestApp, org: &str) -> Vec<Value> {
    let items = app.table_items().await;
    let mut events: Vec<Value> = items
        .into_iter()
        .filter(|i| matches!(i.get("PK"), Some(AttributeValue::S(pk)) if *pk == format!("ORG#{org}#EVT")))
        .map(|i| serde_dynamo::from_item::<_, Value>(i).unwrap())
        .filter(|e| portfolio::books::posting::POSTED_TYPES.contains(&e["type"].as_str().unwrap()))
        .collect();
    events.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    events
}

fn sqs_record(event: &Value, n: usize) -> aws_lambda_events::sqs::SqsMessage {
    let mut m = aws_lambda_events::sqs::SqsMessage::default();
    m.message_id = Some(format!("replay-{n}"));
    m.body = Some(json!({"source": "portfolioos", "detail-type": event["type"], "detail": event}).to_string());
    m
}

#[tokio::test(flavor = "multi_thread")]
async fn replayed_events_post_once_even_out_of_order_across_orgs() {
    let app = TestApp::spawn().await;
    let mut orgs = Vec::new();
    for email in ["replay-a@example.com", "replay-b@example.com"] {
        let o = Org::new(&app, email).await;
        let b = app.create_building(&o.id, email, "Elm").await;
        let unit =
            app.post(&o.path(&format!("/buildings/{b}/units")), &o.token, json!({"label": "1"})).await.expect(201).id();
        let t = json!({"firstName": "Pat", "lastName": "Payer", "email": format!("pat-{email}")});
        let tenant = app.post(&o.path("/tenants"), &o.token, t).await.expect(201).id();
        let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01", "rent": {"amount": "900.00", "currency": "USD"}, "dueDay": 1});
        let lease = app.post(&o.path("/leases"), &o.token, lease).await.expect(201).id();
        app.post(&o.path(&format!("/leases/{lease}:activate")), &o.token, json!({})).await.expect(200);
        app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-02-28"})).await.expect(200);
        let pay =
            json!({"amount": {"amount": "1000.00", "currency": "USD"}, "receivedOn": "2026-01-03", "method": "check"});
        app.post_keyed(&o.path(&format!("/leases/{lease}/payments")), &o.token, pay).await.expect(201);
        e2e::books::assert_books_match_ledgers(&app, &o.id, &o.token, std::slice::from_ref(&lease)).await;
        orgs.push(o);
    }
    let before: Vec<usize> =
        futures::future::join_all(orgs.iter().map(|o| o.journal(&app))).await.iter().map(Vec::len).collect();
    assert!(before.iter().all(|n| *n >= 3), "rent twice and a payment each: {before:?}");
    // Every event three times, newest first, the two orgs interleaved.
    let (a, b) = (money_events(&app, &orgs[0].id).await, money_events(&app, &orgs[1].id).await);
    let mut replay = Vec::new();
    for _ in 0..3 {
        for (x, y) in a.iter().rev().zip(b.iter().rev()) {
            replay.push(x.clone());
            replay.push(y.clone());
        }
    }
    let mut batch = aws_lambda_events::sqs::SqsEvent::default();
    batch.records = replay.iter().enumerate().map(|(n, e)| sqs_record(e, n)).collect();
    let f = app.stack.function("consumer-books").unwrap();
    let out = functions::consumers::books::handle(f.app().unwrap(), batch).await;
    assert!(out.batch_item_failures.is_empty());
    let after: Vec<usize> =
        futures::future::join_all(orgs.iter().map(|o| o.journal(&app))).await.iter().map(Vec::len).collect();
    assert_eq!(before, after, "nothing posted twice");
    for o in &orgs {
        assert_eq!(app.get(&o.path("/books/verify"), &o.token).await.expect(200).body["ok"], true);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_month_takes_no_manual_entries_and_moves_automatic_ones_to_the_first_open_day() {
    let app = TestApp::spawn().await;
    let owner = "close@example.com";
    let o = Org::new(&app, owner).await;
    for (email, role) in [("mgr@example.com", "manager"), ("acct@example.com", "accountant")] {
        app.add_member(&o.id, owner, email, role).await;
    }
    let (mgr, acct) = (app.token("mgr@example.com"), app.token("acct@example.com"));
    app.post(&o.path("/periods/2026-01:close"), &acct, json!({})).await.problem(403);
    app.post(&o.path("/periods/2026-13:close"), &o.token, json!({})).await.problem(400);
    let closed =
        app.post(&o.path("/periods/2026-01:close"), &mgr, json!({"reason": "January reviewed"})).await.expect(200).body;
    assert_eq!(closed["status"], "closed");
    app.post(&o.path("/periods/2026-01:close"), &o.token, json!({})).await.problem(409);
    let late = o.entry("2026-01-20", "late adjustment", &[("5190", "debit", "10.00"), ("1000", "credit", "10.00")]);
    app.post(&o.path("/journal"), &acct, late.clone()).await.problem(409);

    // A charge dated in January is posted on February 1st, remembering its date.
    let b = app.create_building(&o.id, owner, "Birch").await;
    let unit =
        app.post(&o.path(&format!("/buildings/{b}/units")), &o.token, json!({"label": "1"})).await.expect(201).id();
    let t = json!({"firstName": "Lee", "lastName": "Late", "email": "lee@example.com"});
    let tenant = app.post(&o.path("/tenants"), &o.token, t).await.expect(201).id();
    let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2025-12-01", "rent": {"amount": "800.00", "currency": "USD"}, "dueDay": 1});
    let lease = app.post(&o.path("/leases"), &o.token, lease).await.expect(201).id();
    app.post(&o.path(&format!("/leases/{lease}:activate")), &o.token, json!({})).await.expect(200);
    let fee = json!({"kind": "fee", "amount": {"amount": "35.00", "currency": "USD"}, "dueDate": "2026-01-20"});
    let charge = app.post_keyed(&o.path(&format!("/leases/{lease}/charges")), &o.token, fee).await.expect(201).id();
    let entry = eventually("the fee's entry", 30, async || {
        o.journal(&app).await.into_iter().find(|e| e["source"]["id"] == charge.as_str())
    })
    .await;
    assert_eq!((entry["date"].as_str(), entry["originalDate"].as_str()), (Some("2026-02-01"), Some("2026-01-20")));

    app.post(&o.path("/periods/2026-01:reopen"), &mgr, json!({})).await.problem(403);
    let reopened =
        app.post(&o.path("/periods/2026-01:reopen"), &o.token, json!({"reason": "auditor's adjustment"})).await;
    assert_eq!(reopened.expect(200).body["status"], "open");
    app.post(&o.path("/journal"), &acct, late).await.expect(201);
    let audit = app.get(&o.path("/audit?limit=200"), &o.token).await.expect(200).body;
    assert!(audit["items"].as_array().unwrap().iter().any(|a| a["action"] == "period.reopened"), "{audit}");
    let periods = app.get(&o.path("/periods"), &acct).await.expect(200).body;
    assert_eq!(periods["items"][0]["status"], "open");

    // Rebuilt from its sources, the fee lands where it landed when January was closed.
    app.post(&o.path("/books:rebuild"), &mgr, json!({})).await.problem(403);
    e2e::books::assert_rebuild_reproduces_the_books(&app, &o.id, &o.token).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rebuild_whose_source_no_longer_yields_its_entry_fails_and_leaves_the_journal_as_it_was() {
    let app = TestApp::spawn().await;
    let o = Org::new(&app, "rebuild@example.com").await;
    app.get(&o.path("/books/rebuild"), &o.token).await.problem(404);
    for (i, amount) in ["10.00", "20.00", "30.00"].iter().enumerate() {
        let e =
            o.entry(&format!("2026-05-0{}", i + 1), "cash", &[("1000", "debit", amount), ("3000", "credit", amount)]);
        app.post(&o.path("/journal"), &o.token, e).await.expect(201);
    }
    let before = o.journal(&app).await;
    // The source log's second row no longer names the entry its source yields.
    app.dynamodb()
        .update_item()
        .table_name(app.stack.table_name())
        .key("PK", AttributeValue::S(format!("ORG#{}#BSRC", o.id)))
        .key("SK", AttributeValue::S(format!("{:012}", 2)))
        .update_expression("SET #k = :k")
        .expression_attribute_names("#k", "key")
        .expression_attribute_values(":k", AttributeValue::S("manual:elsewhere".into()))
        .send()
        .await
        .unwrap();
    app.post(&o.path("/books:rebuild"), &o.token, json!({"reason": "x".repeat(501)})).await.problem(400);
    app.post(&o.path("/books:rebuild"), &o.token, json!({"reason": "audit"})).await.expect(202);
    let failed = eventually("the rebuild's outcome", 60, async || {
        let r = app.get(&o.path("/books/rebuild"), &o.token).await.expect(200).body;
        (r["status"] != "requested" && r["status"] != "running").then_some(r)
    })
    .await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(failed["error"].as_str().unwrap().contains("entry 2"), "{failed}");
    assert_eq!(o.journal(&app).await, before, "nothing was deleted");
    assert_eq!(app.get(&o.path("/books/verify"), &o.token).await.expect(200).body["ok"], true);
    // The head is free again: the next entry posts and chains on.
    let e = o.entry("2026-05-04", "cash", &[("1000", "debit", "40.00"), ("3000", "credit", "40.00")]);
    assert_eq!(app.post(&o.path("/journal"), &o.token, e).await.expect(201).body["seq"], 4);
    let audit = app.get(&o.path("/audit?limit=50"), &o.token).await.expect(200).body;
    assert!(audit["items"].as_array().unwrap().iter().any(|a| a["action"] == "books.rebuild_requested"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn depreciation_and_recurring_expenses_post_once_however_often_and_late_the_jobs_run() {
    let app = TestApp::spawn().await;
    let owner = "jobs@example.com";
    let o = Org::new(&app, owner).await;
    let b = app.create_building(&o.id, owner, "Maple").await;
    let asset = json!({"buildingId": b, "name": "Maple building", "cost": {"amount": "400000.00", "currency": "USD"},
                       "landValue": {"amount": "125000.00", "currency": "USD"}, "placedInService": "2026-03-10", "method": "residential_27_5"});
    let asset = app.post(&o.path("/fixed-assets"), &o.token, asset).await.expect(201).body;
    assert_eq!(asset["basis"]["amount"], "275000.00");
    let bad = json!({"buildingId": b, "name": "Roof", "cost": {"amount": "9000.00", "currency": "USD"}, "placedInService": "2026-05-01", "method": "straight_line"});
    assert_eq!(app.post(&o.path("/fixed-assets"), &o.token, bad).await.problem(400).error_fields(), ["lifeYears"]);
    let fee = json!({"frequency": "monthly", "day": 31, "startDate": "2026-01-15", "endDate": "2026-06-30",
                     "amount": {"amount": "89.00", "currency": "USD"}, "accountId": o.account("5110"), "paidFrom": o.account("1000"),
                     "scope": {"type": "building", "id": b}, "memo": "management fee"});
    let rec = app.post(&o.path("/recurring-expenses"), &o.token, fee).await.expect(201).id();
    let unmapped = json!({"frequency": "monthly", "day": 1, "startDate": "2026-01-01", "amount": {"amount": "1.00", "currency": "USD"},
                          "accountId": o.account("4000"), "paidFrom": o.account("1000")});
    assert_eq!(
        app.post(&o.path("/recurring-expenses"), &o.token, unmapped).await.problem(400).error_fields(),
        ["accountId"]
    );

    // Late (a year's catch-up at once), then re-run, then concurrently: each month once.
    for day in ["2026-12-31", "2026-12-31"] {
        for job in ["job-depreciation", "job-recurring-expenses"] {
            app.stack.run_job_to_completion(job, json!({"runDate": day})).await.unwrap();
        }
    }
    let both = futures::future::join(
        app.stack.run_job_to_completion("job-depreciation", json!({"runDate": "2027-01-01"})),
        app.stack.run_job_to_completion("job-recurring-expenses", json!({"runDate": "2027-01-01"})),
    );
    let (a, r) = both.await;
    a.unwrap();
    r.unwrap();
    let occurrences = app.get(&o.path("/expenses?limit=200"), &o.token).await.expect(200).body;
    let dates: Vec<&str> =
        occurrences["items"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-06-30", "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31"]);
    assert!(occurrences["items"].as_array().unwrap().iter().all(|e| e["recurringId"] == rec.as_str()));
    let last = occurrences["items"][0]["id"].as_str().unwrap().to_owned();
    e2e::books::wait_posted(&app, &o.id, &o.token, &last).await;
    let (tb, raw) = e2e::books::trial_balance(&app, &o.id, &o.token, "2026-12-31").await;
    assert_eq!(raw["balanced"], true);
    let usd = |code: &str| tb.get(&(code.to_owned(), "USD".to_owned())).copied().unwrap_or(0);
    // 275,000 × (9.5 / 12) / 27.5 = 7,916.67 for 2026.
    assert_eq!((usd("5180"), usd("1510")), (791_667, -791_667));
    assert_eq!(usd("5110"), 6 * 8_900);
    let journal = o.journal(&app).await;
    let march = journal.iter().find(|e| e["source"]["type"] == "depreciation" && e["date"] == "2026-03-31").unwrap();
    assert_eq!(march["lines"][0]["debit"]["amount"], "416.67", "half a month in March");
    assert_eq!(march["lines"][0]["buildingId"], b.as_str());
    assert_eq!(journal.iter().filter(|e| e["source"]["type"] == "depreciation").count(), 10, "March to December");
    let listed = app.get(&o.path("/fixed-assets"), &o.token).await.expect(200).body;
    assert_eq!(listed["items"][0]["depreciatedThrough"], "2026-12");
    // A later month closes: January 2027 is posted in February.
    app.stack.run_job_to_completion("job-depreciation", json!({"runDate": "2027-02-01"})).await.unwrap();
    let jan = o.journal(&app).await.into_iter().find(|e| e["date"] == "2027-01-31").expect("January's depreciation");
    assert_eq!(jan["lines"][0]["debit"]["amount"], "833.33");
}

//! Plaid's webhook verification through the production adapter against the local Plaid fake
//! (`infra/fakes/plaid_server.py`, started by `with-emulator.sh` at `PLAID_API_BASE`), which
//! signs its webhooks ES256 with keys it serves at `/webhook_verification_key/get` and rotates on
//! command. Each case takes the exact body and JWT the fake sent.

use portfolio::integrations::breaker::BreakerConfig;
use portfolio::integrations::plaid::client::{HttpPlaid, PlaidConfig};
use portfolio::integrations::plaid::verification::{KeyCache, VerifyError};
use serde_json::{json, Value};
use std::time::Duration;

fn fake() -> String {
    std::env::var("PLAID_API_BASE").expect("PLAID_API_BASE: run through infra/scripts/with-emulator.sh")
}

async fn hook(path: &str, body: Value) -> Value {
    let res = reqwest::Client::new().post(format!("{}/_fake/plaid/{path}", fake())).json(&body).send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "fake hook {path}: {status} {v}");
    v
}

fn plaid() -> HttpPlaid {
    HttpPlaid::new(PlaidConfig {
        api_base: fake(),
        client_id: "plaid-fake-client-id".into(),
        secret: "plaid-fake-sandbox-secret".into(),
        timeout: Duration::from_secs(5),
        breaker: BreakerConfig::default(),
    })
}

/// A webhook the fake sends for `item` now, with `options` (bad cases); its JWT and exact body.
async fn webhook(item: &str, options: Value) -> (String, String) {
    let mut body = json!({"webhook_code": "SYNC_UPDATES_AVAILABLE", "url": "http://127.0.0.1:9/nobody", "timeout": 1});
    for (k, v) in options.as_object().unwrap() {
        body[k] = v.clone();
    }
    let sent = hook(&format!("items/{item}/webhook"), body).await;
    (sent["jwt"].as_str().unwrap().to_owned(), sent["body"].as_str().unwrap().to_owned())
}

fn now() -> i64 {
    portfolio::platform::clock::now().timestamp()
}

#[tokio::test(flavor = "multi_thread")]
async fn plaid_webhooks_verify_only_when_signed_fresh_for_their_body_with_a_current_key() {
    portfolio::platform::tls::install_provider();
    let item = hook("public_token", json!({"webhook": "http://127.0.0.1:9/nobody"})).await["item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (plaid, cache) = (plaid(), KeyCache::default());
    let verify = |(jwt, body): (String, String)| {
        let (plaid, cache) = (&plaid, &cache);
        async move { cache.verify(plaid, Some(&jwt), body.as_bytes(), now()).await }
    };
    assert_eq!(verify(webhook(&item, json!({})).await).await, Ok(()));
    assert_eq!(verify(webhook(&item, json!({"iat_offset": -290})).await).await, Ok(()), "under five minutes");
    assert_eq!(verify(webhook(&item, json!({"iat_offset": -301})).await).await, Err(VerifyError::Stale));
    assert_eq!(verify(webhook(&item, json!({"tamper_body": true})).await).await, Err(VerifyError::BodyHash));
    for alg in ["none", "HS256"] {
        let got = verify(webhook(&item, json!({"alg": alg})).await).await;
        assert!(matches!(got, Err(VerifyError::Algorithm | VerifyError::Malformed)), "{alg}: {got:?}");
    }
    assert_eq!(verify(webhook(&item, json!({"kid": "no-such-key"})).await).await, Err(VerifyError::UnknownKey));
    // The body as sent, and only that: the same JSON re-serialized is another body.
    let (jwt, body) = webhook(&item, json!({})).await;
    let reserialized = serde_json::to_string(&serde_json::from_str::<Value>(&body).unwrap()).unwrap();
    assert_eq!(cache.verify(&plaid, Some(&jwt), reserialized.as_bytes(), now()).await, Err(VerifyError::BodyHash));
    assert_eq!(cache.verify(&plaid, None, body.as_bytes(), now()).await, Err(VerifyError::NotSigned));

    // Plaid rotates its key: the new kid is fetched, and the old one, held in the cache, is
    // fetched again and found expired — a webhook still signed with it is refused.
    let rotated = hook("keys/rotate", json!({})).await;
    assert_eq!(verify(webhook(&item, json!({})).await).await, Ok(()), "signed with the new key");
    let old = rotated["expired_kid"].as_str().unwrap();
    assert_eq!(verify(webhook(&item, json!({"kid": old})).await).await, Err(VerifyError::ExpiredKey));
}

// --- The bank feed end to end: connect, sync, match, rules, disconnect -------------------------

use e2e::{eventually, TestApp};

/// An org with a connected bank: its Item on the fake (webhooks to this stack), its checking
/// account mapped to the chart's Operating account.
struct Bank {
    org: String,
    token: String,
    item: String,
}

impl Bank {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.org)
    }

    /// The id of the chart's account `code`.
    async fn account(app: &TestApp, org: &str, token: &str, code: &str) -> String {
        let accounts = app.get(&format!("/api/v1/orgs/{org}/accounts"), token).await.expect(200).body;
        let items = accounts["items"].as_array().or(accounts.as_array()).unwrap().clone();
        items.iter().find(|a| a["code"] == code).unwrap()["id"].as_str().unwrap().to_owned()
    }

    /// Links a bank on the fake (Link's part) and answers its public token and checking account.
    async fn link(app: &TestApp) -> (String, String, String) {
        let webhook = format!("{}/webhooks/plaid", app.stack.base_url);
        let linked = hook("public_token", json!({"webhook": webhook})).await;
        let account = linked["accounts"][0]["account_id"].as_str().unwrap().to_owned();
        let token = linked["public_token"].as_str().unwrap().to_owned();
        (token, linked["item_id"].as_str().unwrap().to_owned(), account)
    }

    async fn open(app: &TestApp, owner: &str) -> Bank {
        let org = app.create_org(owner, "Bank Feed LLC").await;
        let token = app.token(owner);
        let operating = Bank::account(app, &org, &token, "1000").await;
        let (public, item, plaid_account) = Bank::link(app).await;
        let body =
            json!({"publicToken": public, "accounts": [{"plaidAccountId": plaid_account, "accountId": operating}]});
        let connected =
            app.post(&format!("/api/v1/orgs/{org}/integrations/plaid/items"), &token, body).await.expect(201).body;
        assert_eq!((connected["itemId"].as_str(), connected["status"].as_str()), (Some(item.as_str()), Some("active")));
        let bank = Bank { org, token, item };
        bank.synced(app, 0).await;
        bank
    }

    /// Waits until the bank's syncs have written `n` transactions in all (any status).
    async fn synced(&self, app: &TestApp, n: usize) {
        eventually(&format!("{n} bank transactions synced"), 60, async || {
            let item = app.get(&self.path(&format!("/integrations/plaid/items/{}", self.item)), &self.token).await;
            let item = item.expect(200).body;
            if item["lastSyncedAt"].is_null() {
                return None;
            }
            (self.all(app).await.len() == n).then_some(())
        })
        .await;
    }

    async fn list(&self, app: &TestApp, status: &str) -> Vec<Value> {
        let page = app.get(&self.path(&format!("/bank-transactions?status={status}")), &self.token).await.expect(200);
        page.body["items"].as_array().unwrap().clone()
    }

    async fn all(&self, app: &TestApp) -> Vec<Value> {
        let mut out = Vec::new();
        for s in ["unmatched", "matched", "ignored"] {
            out.extend(self.list(app, s).await);
        }
        out
    }

    /// Adds transactions at the bank (Plaid's sign: positive is money out, in cents).
    async fn add(&self, txns: Value) -> Vec<Value> {
        let added = hook(&format!("items/{}/transactions", self.item), json!({"transactions": txns})).await;
        added["transactions"].as_array().unwrap().clone()
    }

    /// Plaid tells this stack new transactions are ready; answers our webhook's status.
    async fn notify(&self) -> u64 {
        let sent =
            hook(&format!("items/{}/webhook", self.item), json!({"webhook_code": "SYNC_UPDATES_AVAILABLE"})).await;
        sent["status"].as_u64().unwrap_or(0)
    }
}

async fn sync_calls(item_token: &str) -> Vec<Value> {
    let all: Value = reqwest::get(format!("{}/_fake/plaid/requests", fake())).await.unwrap().json().await.unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/transactions/sync" && r["body"]["access_token"] == item_token)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bank_syncs_in_pages_restarts_on_a_mutation_replaces_pending_and_keeps_its_history_when_disconnected() {
    let app = TestApp::spawn_with(&[("PLAID_SYNC_PAGE_SIZE", "2")]).await;
    let owner = "feed-owner@example.com";
    // A mapping to an account that is not a bank is refused before Plaid is called.
    let org = app.create_org(owner, "Refused LLC").await;
    let token = app.token(owner);
    let rent = Bank::account(&app, &org, &token, "4000").await;
    let (public, _, plaid_account) = Bank::link(&app).await;
    let bad = json!({"publicToken": public, "accounts": [{"plaidAccountId": plaid_account, "accountId": rent}]});
    let refused = app.post(&format!("/api/v1/orgs/{org}/integrations/plaid/items"), &token, bad).await.problem(400);
    assert_eq!(refused.error_fields(), vec!["accounts[0].accountId"]);
    let none = app.get(&format!("/api/v1/orgs/{org}/integrations/plaid/items"), &token).await.expect(200).body;
    assert_eq!(none["items"], json!([]), "nothing connected");

    let b = Bank::open(&app, "feed-owner2@example.com").await;
    // The access token is kept only as KMS ciphertext.
    let at_fake: Value =
        reqwest::get(format!("{}/_fake/plaid/items/{}", fake(), b.item)).await.unwrap().json().await.unwrap();
    let access = at_fake["access_token"].as_str().unwrap().to_owned();
    let stored = format!("{:?}", app.table_items().await);
    assert!(!stored.contains(&access), "the access token is stored in the clear");

    // Six transactions (one pending) in pages of two; Plaid's data changes as the run starts.
    let out = |cents: i64, name: &str| json!({"amount": cents, "name": name, "date": "2026-11-20"});
    let mut txns = vec![out(1200, "HARDWARE STORE"), out(-50000, "TRANSFER IN"), out(4599, "GAS CO")];
    txns.extend([out(2500, "PARKING"), out(7700, "INTERNET")]);
    txns.push(json!({"amount": 8640, "name": "CITY WATER", "date": "2026-11-21", "pending": true}));
    let added = b.add(Value::from(txns)).await;
    let before = sync_calls(&access).await.len();
    // Only this Item's syncs (tests run in parallel against one fake).
    hook("mutation_next", json!({"count": 1, "item": b.item})).await;
    assert_eq!(b.notify().await, 200);
    b.synced(&app, 6).await;
    let calls = sync_calls(&access).await[before..].to_vec();
    let codes: Vec<&str> = calls.iter().map(|c| c["error_code"].as_str().unwrap_or("ok")).collect();
    assert_eq!(codes, ["TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION", "ok", "ok", "ok"], "{calls:?}");
    assert_eq!(calls[0]["body"]["cursor"], calls[1]["body"]["cursor"], "the run restarts from its first cursor");
    assert!(calls.iter().all(|c| c["body"]["count"] == 2), "{calls:?}");

    // The pending bill posts (for a cent more): the posted one replaces it.
    let pending = added[5]["transaction_id"].as_str().unwrap();
    hook(&format!("transactions/{pending}/post"), json!({"amount": 8641, "notify": true})).await;
    let posted = eventually("the posted transaction", 60, async || {
        b.all(&app).await.into_iter().find(|t| t["replaces"] == pending && t["pending"] == false)
    })
    .await;
    assert_eq!(posted["amount"], json!({"amount": "-86.41", "currency": "USD"}), "{posted}");
    let all = b.all(&app).await;
    assert_eq!(all.len(), 6, "the pending one is gone: {all:?}");
    assert!(all.iter().all(|t| t["id"] != pending));
    let deposit = all.iter().find(|t| t["description"] == "TRANSFER IN").unwrap();
    assert_eq!((deposit["amount"]["amount"].as_str(), deposit["direction"].as_str()), (Some("500.00"), Some("in")));

    // Forged, stale or re-bodied webhooks are refused and queue nothing; an unknown Item is
    // ignored.
    let syncs = sync_calls(&access).await.len();
    for bad in
        [json!({"iat_offset": -301}), json!({"tamper_body": true}), json!({"alg": "none"}), json!({"kid": "nope"})]
    {
        let mut body = bad.clone();
        body["webhook_code"] = json!("SYNC_UPDATES_AVAILABLE");
        let sent = hook(&format!("items/{}/webhook", b.item), body).await;
        assert_eq!(sent["status"], 400, "{bad}: {sent}");
    }
    let unsigned = app.raw("POST", "/webhooks/plaid", None, Some(br#"{"webhook_type":"TRANSACTIONS"}"#.to_vec())).await;
    unsigned.problem(400);
    let (_, other, _) = Bank::link(&app).await;
    let sent = hook(&format!("items/{other}/webhook"), json!({})).await;
    assert_eq!(sent["status"], 200, "a verified webhook for an Item no org holds is answered and ignored");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(sync_calls(&access).await.len(), syncs, "no sync was queued");

    // Disconnecting revokes the token at Plaid and keeps every transaction.
    let gone = app.delete(&b.path(&format!("/integrations/plaid/items/{}", b.item)), &b.token).await.expect(200).body;
    assert_eq!(gone["status"], "disconnected", "{gone}");
    let at_fake: Value =
        reqwest::get(format!("{}/_fake/plaid/items/{}", fake(), b.item)).await.unwrap().json().await.unwrap();
    assert_eq!(at_fake["removed"], true);
    assert_eq!(b.all(&app).await.len(), 6, "history stays");
    let items = app.get(&b.path("/integrations/plaid/items"), &b.token).await.expect(200).body;
    assert_eq!(items["items"][0]["status"], "disconnected", "{items}");
}

#[tokio::test(flavor = "multi_thread")]
async fn deposits_match_their_payments_rules_book_bills_and_an_expense_entered_by_hand_is_matched_not_duplicated() {
    let app = TestApp::spawn().await;
    let b = Bank::open(&app, "match-owner@example.com").await;
    let p = |rest: &str| b.path(rest);
    // A lease at 1,550.00 whose November rent was paid by check 1042 on the 2nd.
    let building = app.create_building(&b.org, "match-owner@example.com", "Elm Court").await;
    let unit =
        app.post(&p(&format!("/buildings/{building}/units")), &b.token, json!({"label": "2B"})).await.expect(201).id();
    let tenant = app
        .post(&p("/tenants"), &b.token, json!({"firstName": "Ada", "lastName": "Lee", "email": "ada@example.com"}))
        .await
        .expect(201)
        .id();
    let lease_body = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-11-01",
                            "rent": {"amount": "1550.00", "currency": "USD"}, "dueDay": 1});
    let lease = app.post(&p("/leases"), &b.token, lease_body).await.expect(201).id();
    app.post(&p(&format!("/leases/{lease}:activate")), &b.token, json!({})).await.expect(200);
    app.post(&p("/rent-runs"), &b.token, json!({"throughDate": "2026-11-30"})).await.expect(200);
    let paid = json!({"amount": {"amount": "1550.00", "currency": "USD"}, "receivedOn": "2026-11-02",
                      "method": "check", "reference": "1042"});
    let payment = app.post_keyed(&p(&format!("/leases/{lease}/payments")), &b.token, paid).await.expect(201).id();
    // A plumber paid from the operating account, entered by hand on the 9th.
    let vendor =
        app.post(&p("/vendors"), &b.token, json!({"name": "Ace Plumbing", "kind": "company"})).await.expect(201).id();
    let repairs = Bank::account(&app, &b.org, &b.token, "5140").await;
    let operating = Bank::account(&app, &b.org, &b.token, "1000").await;
    let plumber = json!({"date": "2026-11-09", "amount": {"amount": "1234.56", "currency": "USD"}, "accountId": repairs,
                         "vendorId": vendor, "paidFrom": operating, "scope": {"type": "building", "id": building}});
    let expense = app.post_keyed(&p("/expenses"), &b.token, plumber).await.expect(201).id();
    // A rule: the water bill is Utilities for the building.
    let utilities = Bank::account(&app, &b.org, &b.token, "5170").await;
    let rule = json!({"name": "Water", "conditions": {"descriptionContains": "city water", "direction": "out"},
                      "actions": {"accountId": utilities, "buildingId": building}});
    app.post(&p("/bank-rules"), &b.token, json!({"conditions": {}, "actions": {"accountId": utilities}}))
        .await
        .problem(400);
    let bad_regex = json!({"conditions": {"descriptionRegex": "(unclosed"}, "actions": {"accountId": utilities}});
    assert_eq!(
        app.post(&p("/bank-rules"), &b.token, bad_regex).await.problem(400).error_fields(),
        ["conditions.descriptionRegex"]
    );
    let rule = app.post(&p("/bank-rules"), &b.token, rule).await.expect(201).body;

    // The bank shows the deposit, the plumber, the water bill and a shop nobody recorded.
    let day = |cents: i64, name: &str, date: &str| json!({"amount": cents, "name": name, "date": date});
    b.add(json!([
        day(-155000, "MOBILE DEPOSIT CHECK 1042", "2026-11-03"),
        day(123456, "ACE PLUMBING INC", "2026-11-10"),
        day(8640, "CITY WATER DEPT", "2026-11-12"),
        day(5000, "CORNER SHOP", "2026-11-15"),
    ]))
    .await;
    assert_eq!(b.notify().await, 200);
    b.synced(&app, 4).await;
    let matched = eventually("three placed", 60, async || {
        let m = b.list(&app, "matched").await;
        (m.len() == 3).then_some(m)
    })
    .await;
    let by = |name: &str| matched.iter().find(|t| t["description"] == name).unwrap().clone();
    let deposit = by("MOBILE DEPOSIT CHECK 1042");
    assert_eq!(
        (deposit["matchedBy"].as_str(), deposit["matches"][0]["id"].as_str()),
        (Some("auto"), Some(payment.as_str()))
    );
    let plumbing = by("ACE PLUMBING INC");
    assert_eq!(plumbing["matches"][0]["id"], expense.as_str(), "matched to the expense entered by hand: {plumbing}");
    let water = by("CITY WATER DEPT");
    assert_eq!(water["matchedBy"], format!("rule:{}", rule["id"].as_str().unwrap()), "{water}");
    let expenses = app.get(&p("/expenses"), &b.token).await.expect(200).body["items"].as_array().unwrap().clone();
    assert_eq!(expenses.len(), 2, "the plumber once, and the water bill: {expenses:?}");
    let bill = expenses.iter().find(|e| e["id"] == water["matches"][0]["id"]).unwrap();
    assert_eq!(
        (bill["accountId"].as_str(), bill["amount"]["amount"].as_str()),
        (Some(utilities.as_str()), Some("86.40"))
    );
    assert_eq!(bill["scope"], json!({"type": "building", "id": building}), "{bill}");
    let shop = b.list(&app, "unmatched").await;
    assert_eq!(shop.len(), 1);
    assert_eq!(shop[0]["suggestions"], json!([]), "nothing recorded is 50.00");

    // The books: the check left Undeposited funds for the bank; the bank holds what it shows.
    let posted = e2e::books::wait_source(
        &app,
        &b.org,
        &b.token,
        ("bank_match", &format!("{}#1", deposit["id"].as_str().unwrap())),
    )
    .await;
    assert!(!posted.is_null());
    let quiet = e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, std::slice::from_ref(&lease)).await;
    let usd = |code: &str| quiet.get(&(code.to_owned(), "USD".to_owned())).copied().unwrap_or(0);
    assert_eq!((usd("1050"), usd("1000")), (0, 155_000 - 123_456 - 8_640), "{quiet:?}");

    // The shop: parts must add up to the bank amount, then it is two new expenses.
    let shop_id = shop[0]["id"].as_str().unwrap();
    let part = |amount: &str| json!({"createExpense": {"accountId": repairs, "amount": amount}});
    let wrong = json!({"splits": [part("20.00"), part("29.99")]});
    let refused = app.post(&p(&format!("/bank-transactions/{shop_id}:match")), &b.token, wrong).await.problem(400);
    assert!(refused.body["detail"].as_str().unwrap().contains("49.99"), "{}", refused.body);
    assert_eq!(app.get(&p("/expenses"), &b.token).await.expect(200).body["items"].as_array().unwrap().len(), 2);
    let split = json!({"splits": [part("20.00"), part("30.00")]});
    let done = app.post(&p(&format!("/bank-transactions/{shop_id}:match")), &b.token, split).await.expect(200).body;
    assert_eq!(done["matches"].as_array().unwrap().len(), 2, "{done}");
    assert_eq!(app.get(&p("/expenses"), &b.token).await.expect(200).body["items"].as_array().unwrap().len(), 4);

    // Undoing the deposit's match puts the check back in Undeposited funds and suggests it again.
    let dep = deposit["id"].as_str().unwrap();
    app.post(&p(&format!("/bank-transactions/{dep}:unmatch")), &b.token, json!({})).await.expect(200);
    let again = b.list(&app, "unmatched").await;
    let back = again.iter().find(|t| t["id"] == dep).unwrap();
    assert_eq!(back["suggestions"][0]["id"], payment.as_str(), "{back}");
    assert!(back["suggestions"][0]["score"].as_u64().unwrap() >= 80, "{back}");
    e2e::books::wait_source(&app, &b.org, &b.token, ("bank_unmatch", &format!("{dep}#1"))).await;
    let after = e2e::books::assert_books_match_ledgers(&app, &b.org, &b.token, std::slice::from_ref(&lease)).await;
    assert_eq!(after.get(&("1050".to_owned(), "USD".to_owned())).copied(), Some(155_000), "{after:?}");
    // Matched by hand again; a second match of the same payment elsewhere is refused.
    let by_hand = json!({"paymentId": payment});
    app.post(&p(&format!("/bank-transactions/{dep}:match")), &b.token, by_hand.clone()).await.expect(200);
    app.post(&p(&format!("/bank-transactions/{dep}:match")), &b.token, by_hand).await.problem(409);
}

/// A webhook of Plaid's that never arrives does not leave the feed behind: the daily catch-up
/// (`job-bank-catch-up`) syncs every active bank; a disconnected one is not called.
#[tokio::test(flavor = "multi_thread")]
async fn the_daily_catch_up_syncs_a_bank_whose_webhook_was_lost() {
    let app = TestApp::spawn().await;
    let b = Bank::open(&app, "catch-up-owner@example.com").await;
    b.add(json!([{"amount": 8640, "name": "CITY WATER"}, {"amount": -155000, "name": "MOBILE DEPOSIT"}])).await;
    // No webhook: nothing comes in by itself.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(b.all(&app).await.len(), 0);
    let out = app.stack.run_job_to_completion("job-bank-catch-up", json!({"runDate": "2027-01-04"})).await.unwrap();
    assert_eq!(out["orgs"], 1, "{out}");
    b.synced(&app, 2).await;

    // Disconnected: the catch-up asks nothing of Plaid for it.
    let at_fake: Value =
        reqwest::get(format!("{}/_fake/plaid/items/{}", fake(), b.item)).await.unwrap().json().await.unwrap();
    let access = at_fake["access_token"].as_str().unwrap().to_owned();
    let gone = app.delete(&b.path(&format!("/integrations/plaid/items/{}", b.item)), &b.token).await.expect(200);
    assert_eq!(gone.body["status"], "disconnected");
    let before = sync_calls(&access).await.len();
    app.stack.run_job_to_completion("job-bank-catch-up", json!({"runDate": "2027-01-05"})).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(sync_calls(&access).await.len(), before);
}

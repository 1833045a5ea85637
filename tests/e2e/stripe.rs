//! Rent paid online through Stripe, end to end against the local Stripe fake
//! (`infra/fakes/stripe_server.py`, started by `with-emulator.sh` at `STRIPE_API_BASE`): the
//! org connects its account, a payment starts as a PaymentIntent, and the fake — playing the
//! tenant and the bank — confirms, settles, fails or disputes it and delivers Stripe's signed
//! webhooks to this stack's `webhook-stripe`. Each test has its own connected account and webhook
//! endpoint on the fake, so tests run in parallel.

use e2e::books::{assert_books_match_ledgers, trial_balance, END_OF_TIME};
use e2e::TestApp;
use serde_json::{json, Value};

/// The fake's base URL (with-emulator.sh exports it).
fn fake() -> String {
    std::env::var("STRIPE_API_BASE").expect("STRIPE_API_BASE: run through infra/scripts/with-emulator.sh")
}

async fn hook(path: &str, body: Value) -> Value {
    let res = reqwest::Client::new().post(format!("{}/_fake/stripe/{path}", fake())).json(&body).send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "fake hook {path}: {status} {v}");
    v
}

/// The fake's log of API calls for one connected account.
async fn calls(account: &str) -> Vec<Value> {
    let all: Value = reqwest::get(format!("{}/_fake/stripe/requests", fake())).await.unwrap().json().await.unwrap();
    all.as_array().unwrap().iter().filter(|r| r["account"] == account).cloned().collect()
}

struct Shop {
    org: String,
    token: String,
    building: String,
    lease: String,
    account: String,
}

impl Shop {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.org)
    }

    /// An org with a lease at 1,500.00 a month from 2026-01-01 (January's rent charged), its own
    /// connected account on the fake, and the fake's webhooks for that account sent here.
    async fn open(app: &TestApp, owner: &str, secrets: &[&str]) -> Shop {
        let org = app.create_org(owner, "Online Rent LLC").await;
        let token = app.token(owner);
        let building = app.create_building(&org, owner, "Birch Row").await;
        let p = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
        let unit = app
            .post(&p(&format!("/buildings/{building}/units")), &token, json!({"label": "1A"}))
            .await
            .expect(201)
            .id();
        let tenant = app
            .post(&p("/tenants"), &token, json!({"firstName": "Tia", "lastName": "Tenant", "email": "tia@example.com"}))
            .await
            .expect(201)
            .id();
        let body = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01",
                          "rent": {"amount": "1500.00", "currency": "USD"}, "dueDay": 1});
        let lease = app.post(&p("/leases"), &token, body).await.expect(201).id();
        app.post(&p(&format!("/leases/{lease}:activate")), &token, json!({})).await.expect(200);
        app.post(&p("/rent-runs"), &token, json!({"throughDate": "2026-01-31"})).await.expect(200);
        let account = format!("acct_{}", ulid::Ulid::new().to_string().to_lowercase());
        hook("accounts", json!({"id": account})).await;
        let url = format!("{}/webhooks/stripe", app.stack.base_url);
        hook("webhooks", json!({"url": url, "secrets": secrets, "account": account})).await;
        Shop { org, token, building, lease, account }
    }

    async fn connect(&self, app: &TestApp) -> Value {
        app.call("PUT", &self.path("/integrations/stripe"), &self.token, Some(json!({"accountId": self.account})))
            .await
            .expect(200)
            .body
    }

    /// A PaymentIntent for `amount` through the API; answers it.
    async fn intent(&self, app: &TestApp, amount: &str, methods: &[&str]) -> Value {
        let body = json!({"amount": {"amount": amount, "currency": "USD"}, "paymentMethodTypes": methods});
        app.post_keyed(&self.path(&format!("/leases/{}/payment-intents", self.lease)), &self.token, body)
            .await
            .expect(201)
            .body
    }

    async fn ledger(&self, app: &TestApp) -> Value {
        app.get(&self.path(&format!("/leases/{}/ledger", self.lease)), &self.token).await.expect(200).body
    }

    async fn payments(&self, app: &TestApp) -> Vec<Value> {
        let page = app.get(&self.path(&format!("/leases/{}/payments", self.lease)), &self.token).await.expect(200).body;
        page["items"].as_array().unwrap().clone()
    }
}

const SECRET: &str = devstack::LOCAL_STRIPE_WEBHOOK_SECRET;

#[tokio::test(flavor = "multi_thread")]
async fn an_ach_payment_is_pending_while_processing_then_cleared_allocated_and_in_stripe_clearing() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "ach-owner@example.com", &[SECRET]).await;
    let before = app.get(&s.path("/integrations/stripe"), &s.token).await.expect(200).body;
    assert_eq!(before["status"], "not_connected", "{before}");
    // Nothing can be started before the account is connected.
    let body = json!({"amount": {"amount": "1500.00", "currency": "USD"}, "paymentMethodTypes": ["card"]});
    app.post_keyed(&s.path(&format!("/leases/{}/payment-intents", s.lease)), &s.token, body).await.problem(409);
    let connected = s.connect(&app).await;
    assert_eq!(
        (connected["status"].as_str(), connected["chargesEnabled"].as_bool()),
        (Some("connected"), Some(true)),
        "{connected}"
    );
    assert_eq!(s.connect(&app).await, connected, "connecting the same account again changes nothing");

    // The intent: created on the connected account with our Idempotency-Key passed through.
    let key = e2e::idempotency_key();
    let path = s.path(&format!("/leases/{}/payment-intents", s.lease));
    let body = json!({"amount": {"amount": "1500.00", "currency": "USD"}, "paymentMethodTypes": ["us_bank_account"]});
    let (first, _) = app.post_with(&path, &s.token, &[("Idempotency-Key", &key)], body.clone()).await;
    let pi = first.expect(201).body;
    assert_eq!(pi["status"], "requires_payment_method", "{pi}");
    assert!(pi["clientSecret"].as_str().unwrap().starts_with(pi["paymentIntentId"].as_str().unwrap()), "{pi}");
    let (again, headers) = app.post_with(&path, &s.token, &[("Idempotency-Key", &key)], body).await;
    assert_eq!(again.expect(201).body, pi, "a retry answers the first response");
    assert_eq!(headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    let created: Vec<Value> =
        calls(&s.account).await.into_iter().filter(|c| c["path"] == "/v1/payment_intents").collect();
    assert!(created.iter().all(|c| c["idempotency_key"] == key.as_str()), "the key reaches Stripe: {created:?}");
    assert!(created.iter().all(|c| c["params"]["metadata"]["lease_id"] == s.lease.as_str()), "{created:?}");
    assert!(s.payments(&app).await.is_empty(), "nothing is booked before Stripe says so");

    // The tenant confirms; ACH is processing: a pending payment, unapplied.
    let id = pi["paymentIntentId"].as_str().unwrap();
    hook(&format!("payment_intents/{id}/confirm"), json!({"payment_method": "us_bank_account"})).await;
    let pays = s.payments(&app).await;
    assert_eq!(pays.len(), 1, "{pays:?}");
    assert_eq!((pays[0]["status"].as_str(), pays[0]["method"].as_str()), (Some("pending"), Some("ach")), "{pays:?}");
    assert_eq!((pays[0]["id"].as_str(), pays[0]["processor"].as_str()), (pi["paymentId"].as_str(), Some("stripe")));
    assert_eq!(s.ledger(&app).await["unapplied"]["amount"], "1500.00");
    // Only Stripe clears it: a member cannot by hand.
    let by_hand =
        app.post(&s.path(&format!("/payments/{}:clear", pays[0]["id"].as_str().unwrap())), &s.token, json!({})).await;
    assert!(by_hand.problem(409).text.contains("Stripe clears"));

    // The bank settles it: cleared and applied to January's rent.
    hook(&format!("payment_intents/{id}/succeed"), json!({})).await;
    let pays = s.payments(&app).await;
    assert_eq!((pays.len(), pays[0]["status"].as_str()), (1, Some("cleared")), "{pays:?}");
    let ledger = s.ledger(&app).await;
    assert_eq!(
        (ledger["balance"]["amount"].as_str(), ledger["unapplied"]["amount"].as_str()),
        (Some("0.00"), Some("0.00")),
        "{ledger}"
    );

    // The books: the money waits in Stripe clearing (1060), not Undeposited funds, until paid out.
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), Some(&150_000), "{tb:?}");
    assert_eq!(tb.get(&("1050".to_owned(), "USD".to_owned())), None, "{tb:?}");
    let (_, raw) = trial_balance(&app, &s.org, &s.token, END_OF_TIME).await;
    assert_eq!(raw["balanced"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn events_out_of_order_and_repeated_end_in_the_same_state() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "order-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    let pi = s.intent(&app, "1500.00", &["us_bank_account"]).await;
    let id = pi["paymentIntentId"].as_str().unwrap();
    hook("hold", json!({"on": true, "account": s.account})).await;
    hook(&format!("payment_intents/{id}/confirm"), json!({"payment_method": "us_bank_account"})).await;
    hook(&format!("payment_intents/{id}/succeed"), json!({})).await;
    // Newest first (succeeded before processing), every event twice.
    let delivered = hook("deliver", json!({"order": "lifo", "repeat": 2, "account": s.account})).await;
    let statuses: Vec<Value> = delivered.as_array().unwrap().iter().map(|d| d["status"].clone()).collect();
    assert!(statuses.iter().all(|st| st == 200), "every delivery answered 200: {delivered}");
    let pays = s.payments(&app).await;
    assert_eq!(pays.len(), 1, "{pays:?}");
    assert_eq!(pays[0]["status"], "cleared", "a late processing does not make it pending again: {pays:?}");
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "0.00");
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), Some(&150_000), "posted once: {tb:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_ach_debit_reverses_the_pending_payment_and_a_dispute_reverses_a_card_payment() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "fail-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    let ach = s.intent(&app, "1500.00", &["us_bank_account"]).await;
    let ach_id = ach["paymentIntentId"].as_str().unwrap();
    hook(&format!("payment_intents/{ach_id}/confirm"), json!({})).await;
    hook(&format!("payment_intents/{ach_id}/fail"), json!({"code": "R01"})).await;
    let pays = s.payments(&app).await;
    assert_eq!(pays[0]["status"], "reversed", "{pays:?}");
    assert!(pays[0]["reversalReason"].as_str().unwrap().contains("insufficient_funds"), "{pays:?}");
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "1500.00", "January is owed again");

    // A card payment succeeds at once, then the cardholder disputes it.
    let card = s.intent(&app, "1500.00", &["card"]).await;
    let card_id = card["paymentIntentId"].as_str().unwrap();
    let confirmed = hook(&format!("payment_intents/{card_id}/confirm"), json!({"payment_method": "card"})).await;
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "0.00");
    let charge = confirmed["charge"]["id"].as_str().unwrap();
    hook(&format!("charges/{charge}/dispute"), json!({"reason": "fraudulent"})).await;
    let pays = s.payments(&app).await;
    let disputed = pays.iter().find(|p| p["id"] == card["paymentId"]).unwrap();
    assert_eq!(disputed["status"], "reversed", "{pays:?}");
    assert!(disputed["reversalReason"].as_str().unwrap().contains("disputed"), "{disputed}");
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "1500.00");
    // Both taken back out of Stripe clearing.
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), None, "{tb:?}");
}

/// Partial refunds through Stripe: each refunds what is new of Stripe's running total (so a
/// repeated or late event refunds nothing more), reopening the charges the payment paid; the
/// books take it back out of Stripe clearing; refunding the rest reverses what is left.
#[tokio::test(flavor = "multi_thread")]
async fn partial_refunds_reopen_what_they_take_back_once_each_and_the_rest_reverses_the_payment() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "refund-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    let card = s.intent(&app, "1500.00", &["card"]).await;
    let id = card["paymentIntentId"].as_str().unwrap();
    let confirmed = hook(&format!("payment_intents/{id}/confirm"), json!({"payment_method": "card"})).await;
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "0.00");
    let charge = confirmed["charge"]["id"].as_str().unwrap();

    // 200.00 then 300.00 back; their events arrive newest first, each three times.
    hook("hold", json!({"on": true, "account": s.account})).await;
    hook(&format!("charges/{charge}/refund"), json!({"amount": 20000})).await;
    hook(&format!("charges/{charge}/refund"), json!({"amount": 30000})).await;
    hook("deliver", json!({"order": "lifo", "repeat": 3, "account": s.account})).await;
    let pays = s.payments(&app).await;
    assert_eq!(
        (pays.len(), pays[0]["status"].as_str(), pays[0]["refunded"]["amount"].as_str()),
        (1, Some("cleared"), Some("500.00")),
        "{pays:?}"
    );
    let ledger = s.ledger(&app).await;
    assert_eq!(ledger["balance"]["amount"], "500.00", "January owes what went back: {ledger}");
    let refunds: Vec<&Value> =
        ledger["entries"].as_array().unwrap().iter().filter(|e| e["type"] == "payment_refund").collect();
    assert_eq!(refunds.len(), 1, "one refund entry for Stripe's total: {refunds:?}");
    assert_eq!(refunds[0]["amount"]["amount"], "-500.00");
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), Some(&100_000), "{tb:?}");

    // The rest refunded: the payment is reversed for what was left of it.
    hook(&format!("charges/{charge}/refund"), json!({})).await;
    hook("deliver", json!({"account": s.account})).await;
    let pays = s.payments(&app).await;
    assert_eq!(pays[0]["status"], "reversed", "{pays:?}");
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "1500.00");
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), None, "all of it left Stripe clearing: {tb:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_events_signed_with_a_current_secret_and_fresh_are_taken() {
    let app = TestApp::spawn().await;
    // The fake signs with an old secret and the current one (a rotation): either v1 may match.
    let s = Shop::open(&app, "sig-owner@example.com", &["whsec_retired_one", SECRET]).await;
    s.connect(&app).await;
    let pi = s.intent(&app, "700.00", &["card"]).await;
    hook(&format!("payment_intents/{}/confirm", pi["paymentIntentId"].as_str().unwrap()), json!({})).await;
    assert_eq!(s.payments(&app).await.len(), 1, "signed during a rotation: taken");

    let url = format!("{}/webhooks/stripe", app.stack.base_url);
    // Signed with a secret we do not hold.
    hook("webhooks", json!({"url": url, "secrets": ["whsec_someone_else"], "account": s.account})).await;
    let pi2 = s.intent(&app, "300.00", &["card"]).await;
    let out = hook(&format!("payment_intents/{}/confirm", pi2["paymentIntentId"].as_str().unwrap()), json!({})).await;
    let events: Value = reqwest::get(format!("{}/_fake/stripe/events", fake())).await.unwrap().json().await.unwrap();
    let ours: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["account"] == s.account.as_str() && e["type"] == "payment_intent.succeeded")
        .collect();
    let last = ours.last().unwrap();
    assert_eq!(last["deliveries"][0]["status"], 400, "refused: {last}");
    assert_eq!(s.payments(&app).await.len(), 1, "nothing recorded: {out}");
    let marker = format!("STRIPE_EVENT#{}", last["id"].as_str().unwrap());
    let marked = |items: &[std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>]| {
        items.iter().any(|i| i.get("SK").and_then(|v| v.as_s().ok()) == Some(&marker))
    };
    assert!(!marked(&app.table_items().await), "the refused event is not marked handled");
    // Stale: signed 301 s ago with the right secret.
    hook("webhooks", json!({"url": url, "secrets": [SECRET], "account": s.account, "timestamp_offset": -301})).await;
    let resent = hook(&format!("events/{}/resend", last["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(resent["status"], 400, "{resent}");
    // Fresh and right: the same event is taken now, once.
    hook("webhooks", json!({"url": url, "secrets": [SECRET], "account": s.account})).await;
    for _ in 0..2 {
        let resent = hook(&format!("events/{}/resend", last["id"].as_str().unwrap()), json!({})).await;
        assert_eq!(resent["status"], 200, "{resent}");
    }
    let pays = s.payments(&app).await;
    assert_eq!(pays.len(), 2, "{pays:?}");
    // Without a signature at all.
    let raw = app
        .raw("POST", "/webhooks/stripe", None, Some(br#"{"id":"evt_x","type":"payment_intent.succeeded"}"#.to_vec()))
        .await;
    assert_eq!(raw.problem(400).error_fields(), ["Stripe-Signature"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_circuit_breaker_opens_after_consecutive_failures_and_half_opens_with_one_trial() {
    let app = TestApp::spawn_with(&[
        ("STRIPE_BREAKER_FAILURES", "3"),
        ("STRIPE_BREAKER_OPEN_SECS", "2"),
        ("STRIPE_TIMEOUT_MS", "1500"),
    ])
    .await;
    let s = Shop::open(&app, "breaker-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    let path = s.path(&format!("/leases/{}/payment-intents", s.lease));
    let body = json!({"amount": {"amount": "1500.00", "currency": "USD"}, "paymentMethodTypes": ["card"]});
    let made = || async { calls(&s.account).await.into_iter().filter(|c| c["path"] == "/v1/payment_intents").count() };
    // Stripe fails: two errors and a timeout, each a 502 (nothing recorded, the key free to retry).
    hook("fail_next", json!({"count": 2})).await;
    for _ in 0..2 {
        app.post_keyed(&path, &s.token, body.clone()).await.problem(502);
    }
    hook("fail_next", json!({"count": 1, "mode": "timeout", "seconds": 3})).await;
    app.post_keyed(&path, &s.token, body.clone()).await.problem(502);
    let tried = made().await;
    // Open: 503 with Retry-After, and Stripe is not called.
    let (res, headers) =
        app.post_with(&path, &s.token, &[("Idempotency-Key", &e2e::idempotency_key())], body.clone()).await;
    let res = res.problem(503);
    let retry: u64 = headers.get("retry-after").expect("Retry-After").to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{retry}: {}", res.text);
    assert_eq!(made().await, tried, "no call while open");
    // After T: one trial call; it fails, so the breaker opens again at once.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    hook("fail_next", json!({"count": 1})).await;
    app.post_keyed(&path, &s.token, body.clone()).await.problem(502);
    app.post_keyed(&path, &s.token, body.clone()).await.problem(503);
    assert_eq!(made().await, tried + 1, "exactly one trial");
    // After T again: the trial succeeds and the breaker closes.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    s.intent(&app, "1500.00", &["card"]).await;
    s.intent(&app, "20.00", &["card"]).await;
    assert_eq!(made().await, tried + 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn connecting_checks_the_account_with_stripe_and_one_account_belongs_to_one_org() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "conn-owner@example.com", &[SECRET]).await;
    let put = |org: &str, token: &str, account: &str| {
        let path = format!("/api/v1/orgs/{org}/integrations/stripe");
        let (token, body) = (token.to_owned(), json!({"accountId": account}));
        let app = &app;
        async move { app.call("PUT", &path, &token, Some(body)).await }
    };
    // Not an account id, or one Stripe does not know: 400 naming the field, nothing written.
    let before = app.table_items().await.len();
    assert_eq!(put(&s.org, &s.token, "cus_123").await.problem(400).error_fields(), ["accountId"]);
    assert_eq!(put(&s.org, &s.token, "acct_nobodyhasthis").await.problem(400).error_fields(), ["accountId"]);
    assert_eq!(app.table_items().await.len(), before);
    s.connect(&app).await;
    // Another org cannot take the same account.
    let other = app.create_org("conn-other@example.com", "Other LLC").await;
    put(&other, &app.token("conn-other@example.com"), &s.account).await.problem(409);
    // Disconnect: status gone, history stays; the account is free again.
    let pi = s.intent(&app, "1500.00", &["card"]).await;
    hook(&format!("payment_intents/{}/confirm", pi["paymentIntentId"].as_str().unwrap()), json!({})).await;
    app.delete(&s.path("/integrations/stripe"), &s.token).await.expect(204);
    assert_eq!(app.get(&s.path("/integrations/stripe"), &s.token).await.expect(200).body["status"], "not_connected");
    assert_eq!(s.payments(&app).await.len(), 1, "payments taken stay");
    app.delete(&s.path("/integrations/stripe"), &s.token).await.problem(404);
    put(&other, &app.token("conn-other@example.com"), &s.account).await.expect(200);
    // The audit log has both changes.
    let audit = app.get(&s.path("/audit"), &s.token).await.expect(200).body;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|a| a["action"].as_str()).collect();
    assert!(actions.contains(&"stripe.connected") && actions.contains(&"stripe.disconnected"), "{actions:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payout_moves_the_net_to_the_bank_and_books_stripe_fees_so_rent_is_counted_once() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "payout-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    // January's rent by card (fee 2.9% + 0.30 = 43.80) and a 500.00 ACH prepayment (0.8% = 4.00).
    let card = s.intent(&app, "1500.00", &["card"]).await;
    hook(&format!("payment_intents/{}/confirm", card["paymentIntentId"].as_str().unwrap()), json!({})).await;
    let ach = s.intent(&app, "500.00", &["us_bank_account"]).await;
    let ach_id = ach["paymentIntentId"].as_str().unwrap();
    hook(&format!("payment_intents/{ach_id}/confirm"), json!({})).await;
    hook(&format!("payment_intents/{ach_id}/succeed"), json!({})).await;
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), Some(&200_000), "{tb:?}");

    // Stripe pays the balance out: 2,000.00 − 47.80 = 1,952.20 reaches the bank.
    let payout = hook("payouts", json!({"account": s.account})).await["payout"].clone();
    assert_eq!(payout["amount"], 195_220, "{payout}");
    let entry = e2e::books::wait_source(&app, &s.org, &s.token, ("payout", payout["id"].as_str().unwrap())).await;
    assert_eq!(entry["memo"], format!("Stripe payout {}", payout["id"].as_str().unwrap()));
    let (tb, raw) = trial_balance(&app, &s.org, &s.token, END_OF_TIME).await;
    let usd = |code: &str| tb.get(&(code.to_owned(), "USD".to_owned())).copied();
    assert_eq!(
        (usd("1060"), usd("1000"), usd("5190"), usd("4000")),
        (None, Some(195_220), Some(4_780), Some(-150_000)),
        "clearing emptied, the payout in the bank, Stripe's fees an expense, rent once: {raw}"
    );
    // Stripe delivers payout.paid again: nothing more.
    let events: Value = reqwest::get(format!("{}/_fake/stripe/events", fake())).await.unwrap().json().await.unwrap();
    let paid = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["account"] == s.account.as_str() && e["type"] == "payout.paid")
        .expect("payout.paid sent");
    let resent = hook(&format!("events/{}/resend", paid["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(resent["status"], 200, "{resent}");
    let entries = e2e::books::all_entries(&app, &s.org, &s.token).await;
    assert_eq!(entries.iter().filter(|e| e["source"]["type"] == "payout").count(), 1);
    assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_late_fee_while_an_ach_payment_is_processing_and_one_event_five_times_is_one_payment() {
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "latefee-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    let policy =
        json!({"rentLeadDays": 0, "lateFeePolicy": {"graceDays": 3, "flat": {"amount": "50.00", "currency": "USD"}}});
    app.call("PUT", &s.path("/billing-settings"), &s.token, Some(policy)).await.expect(200);
    // A second lease in the same org owes January too, with nothing on the way.
    let unit = app
        .post(&s.path(&format!("/buildings/{}/units", s.building)), &s.token, json!({"label": "1B"}))
        .await
        .expect(201)
        .id();
    let tenant = app
        .post(
            &s.path("/tenants"),
            &s.token,
            json!({"firstName": "Otto", "lastName": "Owing", "email": "otto@example.com"}),
        )
        .await
        .expect(201)
        .id();
    let body = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01",
                      "rent": {"amount": "1500.00", "currency": "USD"}, "dueDay": 1});
    let other = app.post(&s.path("/leases"), &s.token, body).await.expect(201).id();
    app.post(&s.path(&format!("/leases/{other}:activate")), &s.token, json!({})).await.expect(200);
    app.post(&s.path("/rent-runs"), &s.token, json!({"throughDate": "2026-01-31"})).await.expect(200);

    // The tenant pays January by ACH; every event is delivered five times.
    hook("hold", json!({"on": true, "account": s.account})).await;
    let pi = s.intent(&app, "1500.00", &["us_bank_account"]).await;
    let id = pi["paymentIntentId"].as_str().unwrap();
    hook(&format!("payment_intents/{id}/confirm"), json!({})).await;
    hook("deliver", json!({"repeat": 5, "account": s.account})).await;
    let pays = s.payments(&app).await;
    assert_eq!((pays.len(), pays[0]["status"].as_str()), (1, Some("pending")), "{pays:?}");

    // The 6th, past the grace: the late-fee job charges the lease that owes, not the one paying.
    app.stack.run_job_to_completion("job-late-fees", json!({"runDate": "2026-01-06"})).await.unwrap();
    assert_eq!(late_fees(&app, &s, &other).await, 1, "the job does assess fees");
    assert_eq!(late_fees(&app, &s, &s.lease).await, 0, "no fee while the ACH payment is processing");

    hook(&format!("payment_intents/{id}/succeed"), json!({})).await;
    hook("deliver", json!({"repeat": 5, "account": s.account})).await;
    let pays = s.payments(&app).await;
    assert_eq!((pays.len(), pays[0]["status"].as_str()), (1, Some("cleared")), "one payment: {pays:?}");
    assert_eq!(s.ledger(&app).await["balance"]["amount"], "0.00");
    let all = [s.lease.clone(), other];
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, &all).await;
    assert_eq!(tb.get(&("1060".to_owned(), "USD".to_owned())), Some(&150_000), "{tb:?}");
}

async fn late_fees(app: &TestApp, s: &Shop, lease: &str) -> usize {
    let page = app.get(&s.path(&format!("/leases/{lease}/charges")), &s.token).await.expect(200).body;
    page["items"].as_array().unwrap().iter().filter(|c| c["kind"] == "late_fee").count()
}

/// The Plaid fake's base URL (with-emulator.sh exports it).
fn plaid() -> String {
    std::env::var("PLAID_API_BASE").expect("PLAID_API_BASE: run through infra/scripts/with-emulator.sh")
}

async fn plaid_hook(path: &str, body: Value) -> Value {
    let res = reqwest::Client::new().post(format!("{}/_fake/plaid/{path}", plaid())).json(&body).send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "Plaid fake {path}: {status} {v}");
    v
}

/// One card payment's trip, printed with the time of each step (`--nocapture`): the intent, the
/// tenant's confirmation and Stripe's webhook, the payment cleared and allocated, its entry on
/// Stripe clearing, the payout with Stripe's fee, the bank feed showing the payout's deposit and
/// matching it to the payout (never to the rent it carries), the books reconciled.
#[tokio::test(flavor = "multi_thread")]
async fn one_card_payment_from_intent_to_the_bank_reconciliation() {
    let started = std::time::Instant::now();
    let step = |what: &str| {
        eprintln!(
            "{} (+{:>5} ms) {what}",
            portfolio::platform::clock::now().format("%H:%M:%S%.3f"),
            started.elapsed().as_millis()
        )
    };
    let app = TestApp::spawn().await;
    let s = Shop::open(&app, "trip-owner@example.com", &[SECRET]).await;
    s.connect(&app).await;
    let operating = e2e::catalog::account_of(&s.org, "1000");
    let webhook = format!("{}/webhooks/plaid", app.stack.base_url);
    let linked = plaid_hook("public_token", json!({"webhook": webhook})).await;
    let item = linked["item_id"].as_str().unwrap().to_owned();
    let body = json!({"publicToken": linked["public_token"], "accounts": [
        {"plaidAccountId": linked["accounts"][0]["account_id"], "accountId": operating}]});
    app.post(&s.path("/integrations/plaid/items"), &s.token, body).await.expect(201);
    step("setup: a lease at 1,500.00, Stripe connected, the bank connected through Plaid");

    let pi = s.intent(&app, "1500.00", &["card"]).await;
    let id = pi["paymentIntentId"].as_str().unwrap();
    step(&format!("POST …/payment-intents → {id} ({})", pi["status"].as_str().unwrap()));
    hook(&format!("payment_intents/{id}/confirm"), json!({})).await;
    step("the tenant confirms; Stripe's signed payment_intent.succeeded reaches webhook-stripe");
    let pays = s.payments(&app).await;
    assert_eq!((pays.len(), pays[0]["status"].as_str()), (1, Some("cleared")), "{pays:?}");
    let ledger = s.ledger(&app).await;
    assert_eq!(ledger["balance"]["amount"], "0.00", "{ledger}");
    step(&format!("payment {} cleared and allocated; the lease owes 0.00", pays[0]["id"].as_str().unwrap()));
    let entry = e2e::books::wait_posted(&app, &s.org, &s.token, pays[0]["id"].as_str().unwrap()).await;
    step(&format!("journal entry {} posted: 1060 Stripe clearing debited 1,500.00", entry["seq"]));

    let payout = hook("payouts", json!({"account": s.account})).await["payout"].clone();
    let (po, net) = (payout["id"].as_str().unwrap().to_owned(), payout["amount"].as_i64().unwrap());
    assert_eq!(net, 145_620, "1,500.00 less 2.9% + 0.30: {payout}");
    e2e::books::wait_source(&app, &s.org, &s.token, ("payout", &po)).await;
    step(&format!("payout.paid {po}: 1,456.20 to Operating, 43.80 of fees to 5190, 1060 emptied"));

    let arrival = chrono::DateTime::from_timestamp(payout["arrival_date"].as_i64().unwrap(), 0).unwrap().date_naive();
    let deposit = json!({"transactions": [{"amount": -net, "name": "STRIPE TRANSFER", "date": arrival.to_string()}]});
    plaid_hook(&format!("items/{item}/transactions"), deposit).await;
    let sent = plaid_hook(&format!("items/{item}/webhook"), json!({})).await;
    assert_eq!(sent["status"], 200);
    step(&format!(
        "the bank shows a 1,456.20 deposit on {arrival}; Plaid's signed SYNC_UPDATES_AVAILABLE reaches webhook-plaid"
    ));
    let matched = e2e::eventually("the deposit matched", 60, async || {
        let page = app.get(&s.path("/bank-transactions?status=matched"), &s.token).await.expect(200).body;
        page["items"].as_array().unwrap().first().cloned()
    })
    .await;
    assert_eq!(
        (matched["matches"][0]["kind"].as_str(), matched["matches"][0]["id"].as_str()),
        (Some("payout"), Some(po.as_str())),
        "{matched}"
    );
    assert_eq!(matched["matchedBy"], "auto");
    step(&format!(
        "consumer-bank-sync matched bank transaction {} to {po} automatically",
        matched["id"].as_str().unwrap()
    ));
    let tb = assert_books_match_ledgers(&app, &s.org, &s.token, std::slice::from_ref(&s.lease)).await;
    let usd = |code: &str| tb.get(&(code.to_owned(), "USD".to_owned())).copied();
    assert_eq!(
        (usd("1060"), usd("1000"), usd("5190"), usd("4000")),
        (None, Some(145_620), Some(4_380), Some(-150_000))
    );
    step("books: Operating 1,456.20 (the deposit, once), clearing 0, fees 43.80, rent 1,500.00; verify ok");
}

//! `make bench` (stripe): a tenant's card payment from Stripe's webhook to an allocated payment,
//! through devstack and the local Stripe fake.
//!
//! For each of N payments: a PaymentIntent through the API (not timed), then the fake's `confirm`
//! hook, which settles the card charge and delivers `payment_intent.succeeded` and
//! `charge.succeeded` to `webhook-stripe` before it answers — so the hook's time is the webhook's
//! (signature, routing, the payment recorded and allocated, the event marked) plus the fake's own
//! work and two local HTTP deliveries. Set against the raw emulator round trips the webhook makes
//! (its DynamoDB calls per payment, counted by the SDK interceptor, each at a median raw
//! `GetItem`).

use e2e::measure::{median, p95, raw_round_trip};
use e2e::TestApp;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn fake() -> String {
    std::env::var("STRIPE_API_BASE").expect("STRIPE_API_BASE: run through infra/scripts/with-emulator.sh")
}

async fn hook(http: &reqwest::Client, path: &str, body: Value) -> Value {
    let res = http.post(format!("{}/_fake/stripe/{path}", fake())).json(&body).send().await.unwrap();
    assert!(res.status().is_success(), "fake hook {path}: {}", res.status());
    res.json().await.unwrap()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_STRIPE_PAYMENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let app = TestApp::spawn_with(&[]).await;
    let http = reqwest::Client::new();
    let owner = "bench-stripe@example.com";
    let org = app.create_org(owner, "Bench Stripe").await;
    let token = app.token(owner);
    let p = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
    let b = app.create_building(&org, owner, "Bench Court").await;
    let unit = app.post(&p(&format!("/buildings/{b}/units")), &token, json!({"label": "1"})).await.expect(201).id();
    let tenant = json!({"firstName": "B", "lastName": "B", "email": "bb@example.com"});
    let tenant = app.post(&p("/tenants"), &token, tenant).await.expect(201).id();
    let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01", "rent": {"amount": "1000.00", "currency": "USD"}, "dueDay": 1});
    let lease = app.post(&p("/leases"), &token, lease).await.expect(201).id();
    app.post(&p(&format!("/leases/{lease}:activate")), &token, json!({})).await.expect(200);
    app.post(&p("/rent-runs"), &token, json!({"throughDate": "2026-12-31"})).await.expect(200);
    let account = format!("acct_bench{}", ulid::Ulid::new().to_string().to_lowercase());
    hook(&http, "accounts", json!({"id": account})).await;
    let url = format!("{}/webhooks/stripe", app.stack.base_url);
    hook(
        &http,
        "webhooks",
        json!({"url": url, "secrets": [devstack::LOCAL_STRIPE_WEBHOOK_SECRET], "account": account}),
    )
    .await;
    app.call("PUT", &p("/integrations/stripe"), &token, Some(json!({"accountId": account}))).await.expect(200);
    let webhook = app.stack.gateway.functions.iter().find(|f| f.def.name == "webhook-stripe").unwrap();
    let intent = json!({"amount": {"amount": "100.00", "currency": "USD"}, "paymentMethodTypes": ["card"]});

    let mut took = Vec::new();
    let calls_before = webhook.db_calls();
    for _ in 0..n {
        let pi =
            app.post_keyed(&p(&format!("/leases/{lease}/payment-intents")), &token, intent.clone()).await.expect(201);
        let id = pi.body["paymentIntentId"].as_str().unwrap().to_owned();
        let t = Instant::now();
        hook(&http, &format!("payment_intents/{id}/confirm"), json!({})).await;
        took.push(t.elapsed());
    }
    let calls = (webhook.db_calls() - calls_before) as f64 / n as f64;
    // Every payment was recorded and allocated by the time its hook answered.
    let pays = app.get(&p(&format!("/leases/{lease}/payments?limit=200")), &token).await.expect(200).body;
    let items = pays["items"].as_array().unwrap();
    assert_eq!(items.len(), n);
    assert!(items.iter().all(|x| x["status"] == "cleared" && x["unapplied"]["amount"] == "0.00"), "{pays}");

    let raw = raw_round_trip(&app, &org).await;
    let med = median(&mut took.clone());
    let floor = raw.mul_f64(calls);
    println!("== stripe: card payment, Stripe's webhook → cleared and allocated payment (n={n}, sequential)");
    println!("confirm hook → both events delivered and handled: median {}  p95 {}", ms(med), ms(p95(&mut took)));
    println!("webhook-stripe DynamoDB calls per payment: {calls:.1}; raw GetItem median {}", ms(raw));
    println!(
        "raw floor {calls:.1} × {} = {}; ratio {:.1}x",
        ms(raw),
        ms(floor),
        med.as_secs_f64() / floor.as_secs_f64()
    );
}

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

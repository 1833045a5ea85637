//! Idempotency records on the emulator: claim, replay, mismatch, in-flight duplicates, release,
//! expiry and abandoned claims (the money routes of the ledger build on this).

use e2e::TestApp;
use portfolio::ids::UserId;
use portfolio::platform::db::Tx;
use portfolio::platform::idempotency::{begin, request_hash, Begin};
use portfolio::platform::scope::{Action, OrgScope, Principal};
use portfolio::platform::App;

async fn scope(app: &TestApp) -> (&App, OrgScope) {
    let org = app.create_org("o@example.com", "O").await;
    let f = app.stack.function("api-orgs").unwrap();
    let a = f.app().unwrap();
    let principal = Principal { user_id: UserId::parse(&TestApp::user_id("o@example.com")).unwrap(), email: None };
    let scope = a.auth.scope(&principal, &org, Action::OrgRead).await.unwrap();
    (a, scope)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_is_claimed_once_replayed_after_completion_and_refused_for_another_body() {
    let app = TestApp::spawn().await;
    let (a, s) = scope(&app).await;
    let now = chrono::Utc::now().timestamp();
    let (h1, h2) = (request_hash(b"{\"amount\":\"10.00\"}"), request_hash(b"{\"amount\":\"20.00\"}"));
    let route = "POST /payments";
    let Begin::Proceed(claim) = begin(&a.db, &s, route, "k1", &h1, now).await.unwrap() else {
        panic!("first use proceeds")
    };
    assert!(matches!(begin(&a.db, &s, route, "k1", &h1, now).await.unwrap(), Begin::InFlight));
    assert!(matches!(begin(&a.db, &s, route, "k1", &h2, now).await.unwrap(), Begin::Mismatch));
    // Another route or org may use the same key.
    assert!(matches!(begin(&a.db, &s, "POST /charges", "k1", &h2, now).await.unwrap(), Begin::Proceed(_)));

    let mut tx = Tx::new();
    claim.complete_in(&mut tx, 201, "{\"id\":\"pay_1\"}");
    a.db.transact(tx).await.unwrap();
    match begin(&a.db, &s, route, "k1", &h1, now).await.unwrap() {
        Begin::Replay { status, body } => assert_eq!((status, body.as_str()), (201, "{\"id\":\"pay_1\"}")),
        other => panic!("expected a replay, got {other:?}"),
    }
    assert!(matches!(begin(&a.db, &s, route, "k1", &h2, now).await.unwrap(), Begin::Mismatch));
    // After 24 h the key is free again.
    assert!(matches!(begin(&a.db, &s, route, "k1", &h2, now + 25 * 3600).await.unwrap(), Begin::Proceed(_)));
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_parallel_claims_of_one_key_let_exactly_one_proceed() {
    let app = TestApp::spawn().await;
    let (a, s) = scope(&app).await;
    let now = chrono::Utc::now().timestamp();
    let h = request_hash(b"same body");
    let results = futures::future::join_all((0..20).map(|_| begin(&a.db, &s, "POST /payments", "race", &h, now))).await;
    let proceeded = results.iter().filter(|r| matches!(r, Ok(Begin::Proceed(_)))).count();
    let in_flight = results.iter().filter(|r| matches!(r, Ok(Begin::InFlight))).count();
    assert_eq!((proceeded, in_flight), (1, 19));
}

#[tokio::test(flavor = "multi_thread")]
async fn released_and_abandoned_claims_can_be_retried() {
    let app = TestApp::spawn().await;
    let (a, s) = scope(&app).await;
    let now = chrono::Utc::now().timestamp();
    let h = request_hash(b"body");
    let Begin::Proceed(claim) = begin(&a.db, &s, "POST /payments", "k", &h, now).await.unwrap() else { panic!() };
    claim.release(&a.db).await.unwrap();
    let Begin::Proceed(_crashed) = begin(&a.db, &s, "POST /payments", "k", &h, now).await.unwrap() else {
        panic!("released")
    };
    assert!(matches!(begin(&a.db, &s, "POST /payments", "k", &h, now + 10).await.unwrap(), Begin::InFlight));
    // A claim whose invocation died is taken over once its lock lapses (same body only).
    assert!(matches!(
        begin(&a.db, &s, "POST /payments", "k", &request_hash(b"other"), now + 120).await.unwrap(),
        Begin::Mismatch
    ));
    assert!(matches!(begin(&a.db, &s, "POST /payments", "k", &h, now + 120).await.unwrap(), Begin::Proceed(_)));
}

/// The claim the money routes use: nothing is written before the work; the write's own
/// transaction takes the key, so of twenty writes racing with one key exactly one commits and
/// the others write nothing at all, then answer the winner's response.
#[tokio::test(flavor = "multi_thread")]
async fn a_joined_claim_lets_exactly_one_racing_write_commit_and_the_rest_replay_it() {
    use portfolio::platform::db::{DbError, ItemBuilder, Key};
    use portfolio::platform::idempotency::{lookup, Claim};
    let app = TestApp::spawn().await;
    let (a, s) = scope(&app).await;
    let now = chrono::Utc::now().timestamp();
    let h = request_hash(b"{\"amount\":\"10.00\"}");
    let claim = Claim::joined(&s, "POST /payments", "race", &h, now);
    let marker = |i: usize| Key { pk: format!("ORG#{}#TEST", s.org_id()), sk: format!("WRITE#{i:02}") };
    let writes = (0..20).map(|i| {
        let (claim, db) = (claim.clone(), &a.db);
        async move {
            let mut tx = Tx::new();
            tx.put(ItemBuilder::new("TestWrite", &marker(i), &serde_json::json!({"n": i})).build(), None);
            claim.complete_in(&mut tx, 201, &format!("{{\"write\":{i}}}"));
            db.transact(tx).await.map(|()| i)
        }
    });
    let results = futures::future::join_all(writes).await;
    let won: Vec<usize> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(DbError::KeyTaken))), "{results:?}");
    let written: Vec<_> = app
        .table_items()
        .await
        .into_iter()
        .filter(|i| i.get("entity").and_then(|e| e.as_s().ok()).is_some_and(|e| e == "TestWrite"))
        .collect();
    assert_eq!(written.len(), 1, "the losers wrote nothing");
    match lookup(&a.db, &claim).await.unwrap() {
        Begin::Replay { status, body } => assert_eq!((status, body), (201, format!("{{\"write\":{}}}", won[0]))),
        other => panic!("expected the winner's answer, got {other:?}"),
    }
    let other_body = Claim::joined(&s, "POST /payments", "race", &request_hash(b"other"), now);
    assert!(matches!(lookup(&a.db, &other_body).await.unwrap(), Begin::Mismatch));
    // A day later the key is free again.
    let tomorrow = Claim::joined(&s, "POST /payments", "race", &h, now + 25 * 3600);
    let mut tx = Tx::new();
    tomorrow.complete_in(&mut tx, 201, "{}");
    a.db.transact(tx).await.expect("an expired key is free");
}

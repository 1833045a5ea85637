//! The books against the ledgers: once the poster has caught up, Accounts receivable equals the
//! sum of the lease balances, Security deposits held the deposits the ledgers hold, Prepaid rent
//! the unapplied credit, per currency and to the cent; the trial balance is balanced and the
//! hash chain verifies.

use crate::TestApp;
use portfolio::money::{Currency, Money};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A day after everything the tests date.
pub const END_OF_TIME: &str = "2199-12-31";

/// Net debit per (account code, currency) in minor units.
pub type Balances = BTreeMap<(String, String), i64>;

fn minor(m: &Value) -> (String, i64) {
    let currency = m["currency"].as_str().expect("currency").to_owned();
    let c = Currency::parse(&currency).expect("a currency");
    (currency, Money::parse(m["amount"].as_str().expect("amount"), c).expect("an amount").minor)
}

/// The trial balance as net debits per account and currency.
pub async fn trial_balance(app: &TestApp, org: &str, token: &str, as_of: &str) -> (Balances, Value) {
    let tb = app.get(&format!("/api/v1/orgs/{org}/trial-balance?asOf={as_of}"), token).await.expect(200).body;
    let mut out = Balances::new();
    for row in tb["accounts"].as_array().expect("accounts") {
        let code = row["code"].as_str().expect("code").to_owned();
        if !row["debit"].is_null() {
            let (c, v) = minor(&row["debit"]);
            *out.entry((code.clone(), c)).or_default() += v;
        }
        if !row["credit"].is_null() {
            let (c, v) = minor(&row["credit"]);
            *out.entry((code, c)).or_default() -= v;
        }
    }
    (out, tb)
}

/// What the ledgers say the three reconciled accounts hold, as net debits.
pub async fn ledger_expectation(app: &TestApp, org: &str, token: &str, leases: &[String], as_of: &str) -> Balances {
    let mut want = Balances::new();
    for lease in leases {
        let l =
            app.get(&format!("/api/v1/orgs/{org}/leases/{lease}/ledger?asOf={as_of}"), token).await.expect(200).body;
        for (code, field, sign) in [("1200", "balance", 1), ("2200", "unapplied", -1), ("2100", "deposit", -1)] {
            let (c, v) = minor(&l[field]);
            *want.entry((code.to_owned(), c)).or_default() += sign * v;
        }
    }
    want.retain(|_, v| *v != 0);
    want
}

fn reconciled(tb: &Balances) -> Balances {
    tb.iter()
        .filter(|((code, _), _)| ["1200", "2200", "2100"].contains(&code.as_str()))
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

/// How many entries the org's journal holds.
async fn journal_size(app: &TestApp, org: &str, token: &str) -> u64 {
    let verify = app.get(&format!("/api/v1/orgs/{org}/books/verify"), token).await.expect(200).body;
    verify["entries"].as_u64().unwrap_or(0)
}

/// Waits (up to a minute) for the books to agree with the ledgers of `leases` (every lease of
/// the org) with the poster quiet (no new entry for half a second: ledgers that net to zero are
/// also matched by books that have not caught up yet), then checks the trial balance balances
/// and the chain verifies. Answers the trial balance.
pub async fn assert_books_match_ledgers(app: &TestApp, org: &str, token: &str, leases: &[String]) -> Balances {
    let want = ledger_expectation(app, org, token, leases, END_OF_TIME).await;
    let started = Instant::now();
    let (tb, raw) = loop {
        let before = journal_size(app, org, token).await;
        let (tb, raw) = trial_balance(app, org, token, END_OF_TIME).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let quiet = before > 0 && journal_size(app, org, token).await == before;
        if (reconciled(&tb) == want && quiet) || started.elapsed() > Duration::from_secs(60) {
            break (tb, raw);
        }
    };
    assert_eq!(
        reconciled(&tb),
        want,
        "books (left) vs ledgers (right): receivable 1200, deposits held 2100, prepaid 2200"
    );
    assert_eq!(raw["balanced"], true, "{raw}");
    let mut per_currency: BTreeMap<&str, i64> = BTreeMap::new();
    for ((_, c), v) in &tb {
        *per_currency.entry(c).or_default() += v;
    }
    assert!(per_currency.values().all(|v| *v == 0), "the trial balance nets to zero per currency: {per_currency:?}");
    let verify = app.get(&format!("/api/v1/orgs/{org}/books/verify"), token).await.expect(200).body;
    assert_eq!(verify["ok"], true, "{verify}");
    tb
}

/// Waits (up to a minute) until the journal has an entry posted from `source_id` (an expense,
/// payment or charge id); answers it.
pub async fn wait_posted(app: &TestApp, org: &str, token: &str, source_id: &str) -> Value {
    let started = Instant::now();
    loop {
        let page = app.get(&format!("/api/v1/orgs/{org}/journal?limit=200"), token).await.expect(200).body;
        if let Some(e) = page["items"].as_array().and_then(|a| a.iter().find(|e| e["source"]["id"] == source_id)) {
            return e.clone();
        }
        assert!(started.elapsed() < Duration::from_secs(60), "nothing was posted from {source_id}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits (up to a minute) until the journal has an entry posted from the source `type_` `id`
/// (`expense_void` and an expense id, say); answers it.
pub async fn wait_source(app: &TestApp, org: &str, token: &str, (type_, id): (&str, &str)) -> Value {
    let started = Instant::now();
    loop {
        let page =
            app.get(&format!("/api/v1/orgs/{org}/journal?limit=200&source={type_}"), token).await.expect(200).body;
        if let Some(e) = page["items"].as_array().and_then(|a| a.iter().find(|e| e["source"]["id"] == id)) {
            return e.clone();
        }
        assert!(started.elapsed() < Duration::from_secs(60), "nothing was posted from {type_} {id}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every journal entry of `org`, oldest first (all pages).
pub async fn all_entries(app: &TestApp, org: &str, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app.get(&format!("/api/v1/orgs/{org}/journal?limit=200{after}"), token).await.expect(200).body;
        out.extend(page["items"].as_array().expect("items").iter().cloned());
        cursor = page["nextCursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    out.sort_by_key(|e| e["seq"].as_u64());
    out
}

/// Deletes the org's journal (entries, id markers, every register posting) straight from the
/// table, rebuilds the books from their sources through the API, and checks that every entry
/// comes back with the same `seq`, hash and content, and every balance to the cent.
pub async fn assert_rebuild_reproduces_the_books(app: &TestApp, org: &str, token: &str) {
    use aws_sdk_dynamodb::types::AttributeValue;
    let before = all_entries(app, org, token).await;
    let (tb_before, _) = trial_balance(app, org, token, END_OF_TIME).await;
    let s = |i: &std::collections::HashMap<String, AttributeValue>, k: &str| i[k].as_s().unwrap().clone();
    let journal = [format!("ORG#{org}#JRNL"), format!("ORG#{org}#JRNLID")];
    let registers = format!("ORG#{org}#ACCT#");
    let doomed: Vec<(String, String)> = app
        .table_items()
        .await
        .iter()
        .map(|i| (s(i, "PK"), s(i, "SK")))
        .filter(|(pk, _)| journal.contains(pk) || pk.starts_with(&registers))
        .collect();
    assert!(doomed.len() >= 2 * before.len(), "{} items for {} entries", doomed.len(), before.len());
    for chunk in doomed.chunks(25) {
        use aws_sdk_dynamodb::types::{DeleteRequest, WriteRequest};
        let key = |(pk, sk): &(String, String)| {
            let del = DeleteRequest::builder().key("PK", AttributeValue::S(pk.clone()));
            WriteRequest::builder()
                .delete_request(del.key("SK", AttributeValue::S(sk.clone())).build().unwrap())
                .build()
        };
        let mut pending: Vec<WriteRequest> = chunk.iter().map(key).collect();
        while !pending.is_empty() {
            let out =
                app.dynamodb().batch_write_item().request_items(app.stack.table_name(), pending).send().await.unwrap();
            pending = out.unprocessed_items.unwrap_or_default().remove(app.stack.table_name()).unwrap_or_default();
        }
    }
    assert_eq!(all_entries(app, org, token).await, Vec::<Value>::new(), "the journal is gone");

    let path = format!("/api/v1/orgs/{org}/books");
    let asked = app.post(&format!("{path}:rebuild"), token, serde_json::json!({"reason": "test"})).await.expect(202);
    assert_eq!(asked.body["status"], "requested", "{}", asked.body);
    let started = Instant::now();
    let done = loop {
        let r = app.get(&format!("{path}/rebuild"), token).await.expect(200).body;
        if r["status"] == "done" || r["status"] == "failed" {
            break r;
        }
        assert!(started.elapsed() < Duration::from_secs(90), "the rebuild did not finish: {r}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!((done["status"].as_str(), done["sameHash"].as_bool()), (Some("done"), Some(true)), "{done}");
    assert_eq!(done["entries"].as_u64(), Some(before.len() as u64), "{done}");
    let after = all_entries(app, org, token).await;
    assert_eq!(after.len(), before.len());
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(a, b, "entry {} differs after the rebuild", b["seq"]);
    }
    let (tb_after, raw) = trial_balance(app, org, token, END_OF_TIME).await;
    assert_eq!(tb_after, tb_before, "the trial balance after the rebuild (left) vs before (right)");
    assert_eq!(raw["balanced"], true, "{raw}");
    let verify = app.get(&format!("{path}/verify"), token).await.expect(200).body;
    assert_eq!(
        (verify["ok"].as_bool(), verify["entries"].as_u64()),
        (Some(true), Some(before.len() as u64)),
        "{verify}"
    );
}

//! The expense side over HTTP: vendors with encrypted, masked tax ids; expenses by scope, exact
//! splits and splits by units or area; bills paid later; voids and re-classifications as new
//! entries; and what each does to the books, to the cent.

use aws_sdk_dynamodb::types::AttributeValue;
use e2e::books::{trial_balance, wait_posted};
use e2e::catalog::account_of;
use e2e::TestApp;
use serde_json::{json, Value};

struct Org {
    id: String,
    token: String,
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    fn acct(&self, code: &str) -> String {
        account_of(&self.id, code)
    }

    async fn building(&self, app: &TestApp, name: &str, areas: &[u32]) -> (String, Vec<String>) {
        let b = app.create_building(&self.id, "spender@example.com", name).await;
        let mut units = Vec::new();
        for (i, a) in areas.iter().enumerate() {
            let body = json!({"label": format!("{name}-{i}"), "areaSqft": a});
            units
                .push(app.post(&self.path(&format!("/buildings/{b}/units")), &self.token, body).await.expect(201).id());
        }
        (b, units)
    }

    async fn expense(&self, app: &TestApp, body: Value) -> Res {
        app.post_keyed(&self.path("/expenses"), &self.token, body).await
    }
}

type Res = e2e::Res;

fn usd(a: &str) -> Value {
    json!({"amount": a, "currency": "USD"})
}

#[tokio::test(flavor = "multi_thread")]
async fn vendor_tax_ids_are_encrypted_with_kms_and_only_answered_masked() {
    let app = TestApp::spawn().await;
    let id = app.create_org("spender@example.com", "Vendor Org").await;
    let o = Org { id, token: app.token("spender@example.com") };
    let body = json!({"name": "Acme Plumbing, Inc.", "kind": "company", "taxId": "12-3456789", "form1099": true});
    let v = app.post(&o.path("/vendors"), &o.token, body).await.expect(201).body;
    assert_eq!((v["taxId"].as_str(), v["form1099"].as_bool()), (Some("***-**-6789"), Some(true)));
    let bad = json!({"name": "Shady", "kind": "individual", "taxId": "12-345"});
    assert_eq!(app.post(&o.path("/vendors"), &o.token, bad).await.problem(400).error_fields(), ["taxId"]);
    let got = app.get(&o.path(&format!("/vendors/{}", v["id"].as_str().unwrap())), &o.token).await.expect(200).body;
    assert_eq!(got["taxId"], "***-**-6789");

    // At rest: no plaintext anywhere, and the ciphertext is KMS's, bound to the org and vendor.
    let items = app.table_items().await;
    let stored = items
        .iter()
        .find(|i| matches!(i.get("SK"), Some(AttributeValue::S(sk)) if *sk == format!("VENDOR#{}", v["id"].as_str().unwrap())))
        .expect("the vendor item");
    assert!(!format!("{items:?}").contains("123456789"), "the tax id is stored in clear");
    let cipher = stored["taxIdCiphertext"].as_s().unwrap();
    let kms = aws_sdk_kms::Client::new(&app.stack.sdk);
    use base64::Engine;
    let blob = base64::engine::general_purpose::STANDARD.decode(cipher).unwrap();
    let plain = kms
        .decrypt()
        .ciphertext_blob(aws_sdk_kms::primitives::Blob::new(blob.clone()))
        .encryption_context("purpose", portfolio::platform::secrets::VENDOR_TAX_ID_PURPOSE)
        .encryption_context("org", o.id.clone())
        .encryption_context("vendor", v["id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(plain.plaintext.unwrap().as_ref(), b"123456789");
    let other_org = kms
        .decrypt()
        .ciphertext_blob(aws_sdk_kms::primitives::Blob::new(blob))
        .encryption_context("purpose", portfolio::platform::secrets::VENDOR_TAX_ID_PURPOSE)
        .encryption_context("org", "org_01ARZ3NDEKTSV4RRFFQ69G5FAV")
        .encryption_context("vendor", v["id"].as_str().unwrap())
        .send()
        .await;
    assert!(other_org.is_err(), "a ciphertext copied to another org does not decrypt");

    // Delete only without expenses; archive otherwise.
    let vid = v["id"].as_str().unwrap();
    let e = json!({"date": "2026-02-02", "amount": usd("99.00"), "accountId": o.acct("5100"), "vendorId": vid, "paidFrom": o.acct("1000")});
    o.expense(&app, e).await.expect(201);
    app.delete(&o.path(&format!("/vendors/{vid}")), &o.token).await.problem(409);
    let archived =
        app.patch(&o.path(&format!("/vendors/{vid}")), &o.token, json!({"archived": true})).await.expect(200);
    assert_eq!(archived.body["archived"], true);
    let e = json!({"date": "2026-02-03", "amount": usd("1.00"), "accountId": o.acct("5100"), "vendorId": vid, "paidFrom": o.acct("1000")});
    assert_eq!(o.expense(&app, e).await.problem(400).error_fields(), ["vendorId"]);
    let lone =
        app.post(&o.path("/vendors"), &o.token, json!({"name": "Unused", "kind": "individual"})).await.expect(201).id();
    app.delete(&o.path(&format!("/vendors/{lone}")), &o.token).await.expect(204);
}

#[tokio::test(flavor = "multi_thread")]
async fn expenses_split_pay_void_and_reclassify_and_the_books_follow_to_the_cent() {
    let app = TestApp::spawn().await;
    let id = app.create_org("spender@example.com", "Spending Org").await;
    let o = Org { id, token: app.token("spender@example.com") };
    let (oak, oak_units) = o.building(&app, "Oak", &[700, 700, 600]).await;
    let (elm, _) = o.building(&app, "Elm", &[500, 500, 500, 500]).await;

    // Bad input changes nothing.
    let before = app.table_items().await.len();
    let off = json!({"date": "2026-03-01", "amount": usd("100.00"), "accountId": o.acct("5090"), "paidFrom": o.acct("1000"),
                     "splits": [{"buildingId": oak, "amount": usd("60.00")}, {"buildingId": elm, "amount": usd("39.99")}]});
    assert_eq!(o.expense(&app, off).await.problem(400).error_fields(), ["splits"]);
    let income =
        json!({"date": "2026-03-01", "amount": usd("10.00"), "accountId": o.acct("4000"), "paidFrom": o.acct("1000")});
    assert_eq!(o.expense(&app, income).await.problem(400).error_fields(), ["accountId"]);
    let from_ar =
        json!({"date": "2026-03-01", "amount": usd("10.00"), "accountId": o.acct("5090"), "paidFrom": o.acct("1200")});
    assert_eq!(o.expense(&app, from_ar).await.problem(400).error_fields(), ["paidFrom"]);
    let fine =
        json!({"date": "2026-03-01", "amount": usd("10.001"), "accountId": o.acct("5090"), "paidFrom": o.acct("1000")});
    assert_eq!(o.expense(&app, fine).await.problem(400).error_fields(), ["amount.amount"]);
    let bill_no_due =
        json!({"date": "2026-03-01", "amount": usd("10.00"), "accountId": o.acct("5090"), "status": "unpaid"});
    assert_eq!(o.expense(&app, bill_no_due).await.problem(400).error_fields(), ["dueDate"]);
    assert_eq!(app.table_items().await.len(), before, "nothing was written");

    // Insurance split by unit count: Oak 3 units, Elm 4 → 1000.00 × 3/7 = 428.571… and 571.428….
    let by_units = json!({"date": "2026-03-01", "amount": usd("1000.00"), "accountId": o.acct("5090"), "paidFrom": o.acct("1000"),
                          "split": {"by": "units", "buildingIds": [oak, elm]}});
    let ins = o.expense(&app, by_units).await.expect(201).body;
    let parts: Vec<(&str, &str)> = ins["splits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["buildingId"].as_str().unwrap(), s["amount"]["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(parts, [(oak.as_str(), "428.57"), (elm.as_str(), "571.43")]);
    // Cleaning by area: 2000 vs 2000 sq ft → halves of 0.03: 0.02 and 0.01 (largest remainder, first on ties).
    let by_area = json!({"date": "2026-03-02", "amount": usd("0.03"), "accountId": o.acct("5070"), "paidFrom": o.acct("1000"),
                         "split": {"by": "area", "buildingIds": [oak, elm]}});
    let clean = o.expense(&app, by_area).await.expect(201).body;
    assert_eq!(
        (clean["splits"][0]["amount"]["amount"].as_str(), clean["splits"][1]["amount"]["amount"].as_str()),
        (Some("0.02"), Some("0.01"))
    );

    // A repair on one unit, and a bill paid later.
    let repair = json!({"date": "2026-03-09", "amount": usd("1234.56"), "accountId": o.acct("5140"), "paidFrom": o.acct("1000"),
                        "scope": {"type": "unit", "id": oak_units[0]}, "memo": "water heater"});
    let repair = o.expense(&app, repair).await.expect(201).body;
    let bill = json!({"date": "2026-03-10", "amount": usd("300.00"), "accountId": o.acct("5170"), "status": "unpaid", "dueDate": "2026-04-01",
                      "scope": {"type": "building", "id": elm}});
    let bill = o.expense(&app, bill).await.expect(201).body;
    assert_eq!(bill["status"], "unpaid");
    let bill_id = bill["id"].as_str().unwrap();
    wait_posted(&app, &o.id, &o.token, bill_id).await;
    let (tb, _) = trial_balance(&app, &o.id, &o.token, "2026-03-31").await;
    let usd_of =
        |tb: &e2e::books::Balances, code: &str| tb.get(&(code.to_owned(), "USD".to_owned())).copied().unwrap_or(0);
    assert_eq!(usd_of(&tb, "2000"), -30_000, "the bill is owed");
    let paid = app
        .post(
            &o.path(&format!("/expenses/{bill_id}:pay")),
            &o.token,
            json!({"paidOn": "2026-03-28", "paidFrom": o.acct("1000")}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!((paid["status"].as_str(), paid["paidOn"].as_str()), (Some("paid"), Some("2026-03-28")));
    app.post(
        &o.path(&format!("/expenses/{bill_id}:pay")),
        &o.token,
        json!({"paidOn": "2026-03-28", "paidFrom": o.acct("1000")}),
    )
    .await
    .problem(409);
    wait_posted(&app, &o.id, &o.token, bill_id).await;

    // Re-classify the repair to Cleaning: a correcting entry, the original stays.
    let repair_id = repair["id"].as_str().unwrap();
    let moved = app
        .patch(&o.path(&format!("/expenses/{repair_id}")), &o.token, json!({"accountId": o.acct("5070")}))
        .await
        .expect(200);
    assert_eq!(moved.body["accountId"], o.acct("5070"));
    // Void the cleaning split: a reversing entry.
    let clean_id = clean["id"].as_str().unwrap();
    let early = json!({"reason": "duplicate", "voidedOn": "2026-03-01"});
    app.post(&o.path(&format!("/expenses/{clean_id}:void")), &o.token, early).await.problem(400);
    let void = json!({"reason": "duplicate", "voidedOn": "2026-03-20"});
    let voided = app.post(&o.path(&format!("/expenses/{clean_id}:void")), &o.token, void).await.expect(200);
    assert_eq!((voided.body["status"].as_str(), voided.body["voidedOn"].as_str()), (Some("void"), Some("2026-03-20")));
    app.post(&o.path(&format!("/expenses/{clean_id}:void")), &o.token, json!({})).await.problem(409);

    // The books, once everything is posted.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let tb = loop {
        // The journal first: the trial balance read after it holds at least what it lists.
        let journal = app.get(&o.path("/journal?limit=200"), &o.token).await.expect(200).body;
        let (tb, raw) = trial_balance(&app, &o.id, &o.token, "2026-12-31").await;
        let sources: Vec<&str> =
            journal["items"].as_array().unwrap().iter().filter_map(|e| e["source"]["type"].as_str()).collect();
        if sources.contains(&"expense_void")
            && sources.contains(&"expense_reclassification")
            && sources.contains(&"expense_payment")
        {
            assert_eq!(raw["balanced"], true);
            break tb;
        }
        assert!(std::time::Instant::now() < deadline, "not everything was posted: {sources:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(usd_of(&tb, "5090"), 100_000, "insurance");
    assert_eq!(usd_of(&tb, "5140"), 0, "the repair moved out of Repairs");
    assert_eq!(usd_of(&tb, "5070"), 123_456, "…into Cleaning; the voided cleaning nets to zero");
    assert_eq!(usd_of(&tb, "5170"), 30_000, "utilities");
    assert_eq!(usd_of(&tb, "2000"), 0, "the bill is paid");
    assert_eq!(usd_of(&tb, "1000"), -(100_000 + 123_456 + 30_000), "the bank paid all of it");
    // Per building: Oak's register of Insurance holds its share.
    let reg = app
        .get(
            &o.path(&format!("/accounts/{}/register?from=2026-01-01&to=2026-12-31&buildingId={oak}", o.acct("5090"))),
            &o.token,
        )
        .await
        .expect(200)
        .body;
    assert_eq!(reg["closing"][0]["amount"], "428.57");

    // A closed month: the expense can no longer be changed.
    app.post(&o.path("/periods/2026-03:close"), &o.token, json!({})).await.expect(200);
    app.patch(&o.path(&format!("/expenses/{repair_id}")), &o.token, json!({"memo": "late note"})).await.problem(409);
    let list = app
        .get(&o.path(&format!("/expenses?from=2026-03-01&to=2026-03-31&buildingId={oak}")), &o.token)
        .await
        .expect(200)
        .body;
    let ids: Vec<&str> = list["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [repair_id, clean_id, ins["id"].as_str().unwrap()], "Oak's expenses, newest first");
    let unpaid = app.get(&o.path("/expenses?status=unpaid"), &o.token).await.expect(200).body;
    assert!(unpaid["items"].as_array().unwrap().is_empty());
    e2e::books::assert_rebuild_reproduces_the_books(&app, &o.id, &o.token).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bill_in_euros_paid_when_the_euro_rose_books_a_realized_fx_loss() {
    let app = TestApp::spawn().await;
    let id = app.create_org("euros@example.com", "Euro Bills").await;
    let o = Org { id, token: app.token("euros@example.com") };
    for (date, rate) in [("2026-01-01", "1.10"), ("2026-02-01", "1.12")] {
        let body = json!({"date": date, "rates": [{"currency": "EUR", "rate": rate}]});
        app.post(&o.path("/fx-rates"), &o.token, body).await.expect(201);
    }
    let bank = json!({"code": "1010", "name": "Euro account", "type": "asset", "subtype": "bank", "currency": "EUR"});
    let bank = app.post(&o.path("/accounts"), &o.token, bank).await.expect(201).id();
    let eur = |a: &str| json!({"amount": a, "currency": "EUR"});
    // A 1,000.01 EUR bill on January 10th (1100.01 USD at 1.10), paid on February 10th at 1.12
    // (1120.01 USD): the euros cost 20.00 USD more than owed.
    let bill = json!({"date": "2026-01-10", "amount": eur("1000.01"), "accountId": o.acct("5140"),
        "status": "unpaid", "dueDate": "2026-02-15"});
    let bill = o.expense(&app, bill).await.expect(201).id();
    let paid = json!({"paidOn": "2026-02-10", "paidFrom": bank});
    app.post(&o.path(&format!("/expenses/{bill}:pay")), &o.token, paid).await.expect(200);
    let entry = eventually_entry(&app, &o, "expense_payment").await;
    let fx = entry["lines"].as_array().unwrap().iter().find(|l| l["accountCode"] == "4950").expect("an FX line");
    assert_eq!(
        (fx["baseDebit"]["amount"].as_str(), fx["baseDebit"]["currency"].as_str()),
        (Some("20.00"), Some("USD"))
    );
    let (tb, raw) = trial_balance(&app, &o.id, &o.token, "2026-12-31").await;
    assert_eq!(tb.get(&("1010".to_owned(), "EUR".to_owned())), Some(&-100_001), "{raw}");
    assert_eq!(raw["baseBalanced"], true, "{raw}");
    let base = |code: &str| {
        let row = raw["accounts"].as_array().unwrap().iter().find(|r| r["code"] == code).cloned().unwrap_or_default();
        (
            row["baseDebit"]["amount"].as_str().map(str::to_owned),
            row["baseCredit"]["amount"].as_str().map(str::to_owned),
        )
    };
    assert_eq!(base("5140"), (Some("1100.01".into()), None), "the repair at its date's rate");
    assert_eq!(base("1010"), (None, Some("1120.01".into())), "the bank at the payment's rate");
    assert_eq!(base("2000"), (None, None), "nothing owed is left, in euros or dollars");
    assert!(raw["unvalued"].as_array().unwrap().is_empty(), "{raw}");
}

/// The newest journal entry from a source of `type_`, once posted.
async fn eventually_entry(app: &TestApp, o: &Org, type_: &str) -> Value {
    for _ in 0..150 {
        let page = app.get(&o.path("/journal?limit=50"), &o.token).await.expect(200).body;
        if let Some(e) = page["items"].as_array().unwrap().iter().find(|e| e["source"]["type"] == type_) {
            return e.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("nothing was posted from a {type_}");
}

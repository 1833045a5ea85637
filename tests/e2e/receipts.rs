//! Receipts end to end: uploaded through the presigned URL, sniffed, read by Textract's
//! `AnalyzeExpense` (the real client against the local fake in `infra/fakes`), shown on the
//! expense; snap first, book later (a draft filled from the receipt, its vendor matched by name,
//! booked on `:confirm`); unreadable and mislabelled receipts kept and marked.

use e2e::catalog::account_of;
use e2e::TestApp;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A one-page PDF whose text the reader finds (the fake reads `Vendor:`, `Date:`, `Total:`).
fn receipt_pdf(vendor: &str, date: &str, total: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Length 80 >>\nstream\nBT (Vendor: {vendor}) Tj (Date: {date}) Tj (Total: {total}) Tj ET\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A PNG with no text in it: nothing to read.
const BLANK_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\x0bIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

async fn upload(app: &TestApp, upload: &Value, bytes: &[u8]) -> u16 {
    let mut req = app.http.put(upload["url"].as_str().unwrap()).body(bytes.to_vec());
    for (k, v) in upload["headers"].as_object().unwrap() {
        req = req.header(k.as_str(), v.as_str().unwrap());
    }
    req.send().await.unwrap().status().as_u16()
}

/// Waits (≤ 30 s) until the expense's receipt `id` is no longer pending; answers the expense.
async fn settled(app: &TestApp, path: &str, token: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let e = app.get(path, token).await.expect(200).body;
        let r = e["receipts"].as_array().unwrap().iter().find(|r| r["id"] == id).cloned().expect("the receipt");
        if r["status"] != "pending" {
            return e;
        }
        assert!(Instant::now() < deadline, "the receipt was never checked: {e}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn receipts_are_read_into_their_expense_and_snapped_ones_become_drafts_booked_on_confirm() {
    let app = TestApp::spawn().await;
    let owner = "snap@example.com";
    let org = app.create_org(owner, "Receipts Org").await;
    let t = app.token(owner);
    let p = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
    let vendor =
        json!({"name": "Acme Plumbing, Inc.", "kind": "company", "defaultAccountId": account_of(&org, "5140")});
    let vendor = app.post(&p("/vendors"), &t, vendor).await.expect(201).id();

    // A receipt for a booked expense: read and shown on it.
    let e = json!({"date": "2026-03-09", "amount": {"amount": "1234.56", "currency": "USD"}, "accountId": account_of(&org, "5140"),
                   "paidFrom": account_of(&org, "1000")});
    let expense = app.post_keyed(&p("/expenses"), &t, e).await.expect(201).id();
    let pdf = receipt_pdf("Acme Plumbing", "2026-03-09", "$1,234.56");
    let bad_type = json!({"name": "r.txt", "contentType": "text/plain", "sizeBytes": 10});
    app.post(&p(&format!("/expenses/{expense}/receipts")), &t, bad_type).await.problem(400);
    let too_big = json!({"name": "r.pdf", "contentType": "application/pdf", "sizeBytes": 30 * 1024 * 1024});
    app.post(&p(&format!("/expenses/{expense}/receipts")), &t, too_big).await.problem(400);
    let body = json!({"name": "water-heater.pdf", "contentType": "application/pdf", "sizeBytes": pdf.len()});
    let r = app.post(&p(&format!("/expenses/{expense}/receipts")), &t, body).await.expect(201).body;
    assert_eq!(r["status"], "pending");
    assert_eq!(upload(&app, &r["upload"], &pdf).await, 200);
    let got = settled(&app, &p(&format!("/expenses/{expense}")), &t, r["id"].as_str().unwrap()).await;
    let x = &got["receipts"][0]["extracted"];
    assert_eq!(got["receipts"][0]["status"], "read", "{got}");
    assert_eq!((x["vendorName"].as_str(), x["date"].as_str()), (Some("Acme Plumbing"), Some("2026-03-09")));
    assert_eq!(x["total"], json!({"amount": "1234.56", "currency": "USD"}));
    assert_eq!(x["confidence"], "95.8");
    assert_eq!(got["status"], "paid", "a booked expense keeps its figures");

    // Snap first, book later: a draft filled from the receipt, matched to the vendor by name.
    let snap_pdf = receipt_pdf("ACME plumbing inc", "03/14/2026", "$89.00");
    let snap = json!({"name": "snap.pdf", "contentType": "application/pdf", "sizeBytes": snap_pdf.len()});
    let s = app.post(&p("/receipts"), &t, snap).await.expect(201).body;
    assert_eq!(s["expense"]["status"], "draft");
    let draft = s["expense"]["id"].as_str().unwrap().to_owned();
    assert_eq!(upload(&app, &s["receipt"]["upload"], &snap_pdf).await, 200);
    let d = settled(&app, &p(&format!("/expenses/{draft}")), &t, s["receipt"]["id"].as_str().unwrap()).await;
    assert_eq!((d["status"].as_str(), d["date"].as_str()), (Some("draft"), Some("2026-03-14")), "{d}");
    assert_eq!((d["amount"]["amount"].as_str(), d["vendorId"].as_str()), (Some("89.00"), Some(vendor.as_str())));
    assert_eq!(d["accountId"], account_of(&org, "5140"), "the vendor's default account");
    // Nothing is booked before :confirm.
    let journal = app.get(&p("/journal?source=expense"), &t).await.expect(200).body;
    assert!(journal["items"].as_array().unwrap().iter().all(|e| e["source"]["id"] != draft.as_str()));
    app.post(&p(&format!("/expenses/{draft}:confirm")), &t, json!({})).await.problem(400);
    let booked = app
        .post(&p(&format!("/expenses/{draft}:confirm")), &t, json!({"paidFrom": account_of(&org, "1000")}))
        .await
        .expect(200);
    assert_eq!(
        (booked.body["status"].as_str(), booked.body["amount"]["amount"].as_str()),
        (Some("paid"), Some("89.00"))
    );
    app.post(&p(&format!("/expenses/{draft}:confirm")), &t, json!({"paidFrom": account_of(&org, "1000")}))
        .await
        .problem(409);
    let entry = e2e::books::wait_posted(&app, &org, &t, &draft).await;
    let lines = entry["lines"].as_array().unwrap();
    let repairs = lines.iter().find(|l| l["accountId"] == account_of(&org, "5140")).unwrap();
    assert_eq!((entry["date"].as_str(), repairs["debit"]["amount"].as_str()), (Some("2026-03-14"), Some("89.00")));

    // An unreadable receipt is kept and marked; a mislabelled one is rejected; both stay listed.
    let blank = json!({"name": "blank.png", "contentType": "image/png", "sizeBytes": BLANK_PNG.len()});
    let b = app.post(&p("/receipts"), &t, blank).await.expect(201).body;
    assert_eq!(upload(&app, &b["receipt"]["upload"], BLANK_PNG).await, 200);
    let bd = b["expense"]["id"].as_str().unwrap();
    let bd = settled(&app, &p(&format!("/expenses/{bd}")), &t, b["receipt"]["id"].as_str().unwrap()).await;
    assert_eq!((bd["receipts"][0]["status"].as_str(), bd["status"].as_str()), (Some("unreadable"), Some("draft")));
    let fake = b"not a pdf at all";
    let lie = json!({"name": "fake.pdf", "contentType": "application/pdf", "sizeBytes": fake.len()});
    let l = app.post(&p(&format!("/expenses/{expense}/receipts")), &t, lie).await.expect(201).body;
    assert_eq!(upload(&app, &l["upload"], fake).await, 200);
    let got = settled(&app, &p(&format!("/expenses/{expense}")), &t, l["id"].as_str().unwrap()).await;
    let rejected = got["receipts"].as_array().unwrap().iter().find(|r| r["id"] == l["id"]).unwrap().clone();
    assert_eq!(rejected["status"], "rejected", "{rejected}");
    assert_eq!(got["receipts"].as_array().unwrap().len(), 2);
}

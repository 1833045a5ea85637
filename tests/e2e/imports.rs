//! CSV imports end to end: the file uploaded to the presigned URL, validated by
//! `consumer-import` when it lands (every bad row reported with its line and column, a dry run
//! writing nothing), a commit refused while errors remain, the fixed file committed in chunks, and
//! the same file imported again creating nothing.

use e2e::{eventually, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;

struct Org {
    id: String,
    token: String,
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    /// Creates an import of `kind` for `csv`, uploads it, and waits until it is past `settle`
    /// (validating or committing); answers the import.
    async fn import(&self, app: &TestApp, kind: &str, csv: &str, dry_run: bool) -> Value {
        let body = json!({"kind": kind, "name": format!("{kind}.csv"), "sizeBytes": csv.len(), "dryRun": dry_run});
        let created = app.post(&self.path("/imports"), &self.token, body).await.expect(201).body;
        assert_eq!(created["status"], "uploading", "{created}");
        let up = &created["upload"];
        let mut req = app.http.put(up["url"].as_str().unwrap()).body(csv.as_bytes().to_vec());
        for (k, v) in up["headers"].as_object().unwrap() {
            req = req.header(k.as_str(), v.as_str().unwrap());
        }
        assert!(req.send().await.unwrap().status().is_success());
        self.settled(app, created["id"].as_str().unwrap()).await
    }

    async fn settled(&self, app: &TestApp, id: &str) -> Value {
        eventually("the import to settle", 120, async || {
            let i = app.get(&self.path(&format!("/imports/{id}")), &self.token).await.expect(200).body;
            matches!(i["status"].as_str(), Some("validated" | "committed" | "failed")).then_some(i)
        })
        .await
    }

    async fn tenant_count(&self, app: &TestApp) -> usize {
        let mut n = 0;
        let mut cursor: Option<String> = None;
        loop {
            let q = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = app.get(&self.path(&format!("/tenants?limit=200{q}")), &self.token).await.expect(200).body;
            n += page["items"].as_array().unwrap().len();
            match page["nextCursor"].as_str() {
                Some(c) => cursor = Some(urlencoding(c)),
                None => return n,
            }
        }
    }
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// 1,000 tenants; when `broken`, 7 of them wrong in 7 ways (their lines and columns answered).
fn tenants_csv(broken: bool) -> (String, Vec<(u64, &'static str)>) {
    let mut lines = vec!["firstName,lastName,email,phone".to_owned()];
    let mut bad = Vec::new();
    for i in 0..1000u64 {
        let line = i + 2;
        let mut row = [format!("First{i}"), format!("Last{i}"), format!("tenant{i}@example.com"), String::new()];
        if broken {
            match i {
                10 => {
                    row[2] = "not-an-email".into();
                    bad.push((line, "email"));
                }
                100 => {
                    row[2] = String::new();
                    bad.push((line, "email"));
                }
                200 => {
                    row[0] = "Eve\u{202e}".into();
                    bad.push((line, "firstName"));
                }
                300 => {
                    row[1] = String::new();
                    bad.push((line, "lastName"));
                }
                400 => {
                    row[2] = "tenant7@example.com".into();
                    bad.push((line, "email"));
                }
                500 => {
                    row[0] = "x".repeat(201);
                    bad.push((line, "firstName"));
                }
                600 => {
                    row[3] = "call me".into();
                    bad.push((line, "phone"));
                }
                _ => {}
            }
        }
        lines.push(row.join(","));
    }
    (lines.join("\n") + "\n", bad)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_tenants_seven_bad_rows_reported_a_dry_run_writing_nothing_then_committed_once() {
    let app = TestApp::spawn().await;
    let owner = "import-owner@example.com";
    let org = Org { id: app.create_org(owner, "Imports LLC").await, token: app.token(owner) };

    // The template names the columns.
    let template = app.get(&org.path("/import-templates/tenants"), &org.token).await;
    assert_eq!(template.status, 200);
    assert!(template.text.starts_with("firstName,lastName,email,phone\n"), "{}", template.text);
    app.get(&org.path("/import-templates/payroll"), &org.token).await.problem(404);

    // The file with 7 bad rows: exactly those reported, by line and column; nothing written.
    let (csv, bad) = tenants_csv(true);
    let before = app.table_items().await.len();
    let dry = org.import(&app, "tenants", &csv, true).await;
    assert_eq!(dry["status"], "validated", "{dry}");
    eprintln!("the error report: counts {} errorCount {}\n{:#}", dry["counts"], dry["errorCount"], dry["errors"]);
    let got: BTreeSet<(u64, String)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap().to_owned()))
        .collect();
    let want: BTreeSet<(u64, String)> = bad.iter().map(|(l, f)| (*l, (*f).to_owned())).collect();
    assert_eq!(got, want, "{}", dry["errors"]);
    assert_eq!(dry["errorCount"], 7);
    assert_eq!((dry["counts"]["rows"].as_u64(), dry["counts"]["valid"].as_u64()), (Some(1000), Some(993)));
    let message =
        |row: u64| dry["errors"].as_array().unwrap().iter().find(|e| e["row"] == row).unwrap()["message"].clone();
    assert_eq!(message(402), "the same as line 9");
    assert_eq!(message(102), "required", "a missing email");
    assert_eq!(org.tenant_count(&app).await, 0, "a dry run writes nothing");
    let written = app.table_items().await.len() - before;
    assert!(written <= 4, "only the import, its audit entry and its events were written: {written}");
    // Its commit is refused while the errors remain.
    let id = dry["id"].as_str().unwrap();
    let refused = app.post(&org.path(&format!("/imports/{id}:commit")), &org.token, json!({})).await.problem(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("7 errors"), "{}", refused.body);

    // Fixed: a dry run with no errors, then its commit writes the 1,000 rows.
    let (fixed, _) = tenants_csv(false);
    let dry = org.import(&app, "tenants", &fixed, true).await;
    assert_eq!((dry["errorCount"].as_u64(), dry["counts"]["valid"].as_u64()), (Some(0), Some(1000)), "{dry}");
    let id = dry["id"].as_str().unwrap();
    let committing =
        app.post(&org.path(&format!("/imports/{id}:commit")), &org.token, json!({})).await.expect(202).body;
    assert_eq!(committing["status"], "committing");
    let done = org.settled(&app, id).await;
    assert_eq!(done["status"], "committed", "{done}");
    assert_eq!((done["counts"]["created"].as_u64(), done["counts"]["failed"].as_u64()), (Some(1000), Some(0)));
    assert_eq!(org.tenant_count(&app).await, 1000);
    app.post(&org.path(&format!("/imports/{id}:commit")), &org.token, json!({})).await.problem(409);

    // The same file again: every row is already there; nothing new.
    let again = org.import(&app, "tenants", &fixed, false).await;
    assert_eq!(again["status"], "committed", "{again}");
    assert_eq!((again["counts"]["existing"].as_u64(), again["counts"]["created"].as_u64()), (Some(1000), Some(0)));
    assert_eq!(org.tenant_count(&app).await, 1000);
    let listed = app.get(&org.path("/imports"), &org.token).await.expect(200).body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn units_name_their_building_by_name_and_an_unknown_column_is_refused() {
    let app = TestApp::spawn().await;
    let owner = "units-owner@example.com";
    let org = Org { id: app.create_org(owner, "Units LLC").await, token: app.token(owner) };
    let building = app.create_building(&org.id, owner, "Elm Court").await;
    let csv = "building,label,bedrooms,bathrooms,areaSqft,marketRent,currency\n\
               elm  court,1A,2,1.5,850,1450.00,USD\n\
               Elm Court,1B,1,1,600,,\n\
               Oak Row,2A,1,1,600,,\n\
               Elm Court,1C,two,1,600,,\n\
               Elm Court,1A,3,2,900,,\n";
    let i = org.import(&app, "units", csv, false).await;
    assert_eq!(i["status"], "validated", "errors stop a commit: {i}");
    let errors: Vec<(u64, &str)> = i["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(4, "building"), (5, "bedrooms"), (6, "label")], "{i}");
    let fixed = "building,label,bedrooms,marketRent,currency\nElm Court,1A,2,1450.00,USD\nelm court,1B,1,,\n";
    let done = org.import(&app, "units", fixed, false).await;
    assert_eq!((done["status"].as_str(), done["counts"]["created"].as_u64()), (Some("committed"), Some(2)), "{done}");
    let units = app.get(&org.path(&format!("/buildings/{building}/units")), &org.token).await.expect(200).body;
    let labels: Vec<&str> = units["items"].as_array().unwrap().iter().map(|u| u["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["1A", "1B"]);
    let b = app.get(&org.path(&format!("/buildings/{building}")), &org.token).await.expect(200).body;
    assert_eq!(b["unitCount"], 2, "{b}");
    // An unknown column is a header problem (line 1).
    let odd = org.import(&app, "units", "building,label,colour\nElm Court,9Z,red\n", true).await;
    assert_eq!(odd["errorCount"], 1, "only the header: {odd}");
    assert_eq!(odd["errors"][0]["row"], 1, "{odd}");
    assert_eq!(odd["errors"][0]["field"], "colour");
}

#[tokio::test(flavor = "multi_thread")]
async fn payments_land_on_the_lease_of_their_unit_allocated_and_once() {
    let app = TestApp::spawn().await;
    let owner = "payments-import@example.com";
    let org = Org { id: app.create_org(owner, "Ledger Imports LLC").await, token: app.token(owner) };
    let building = app.create_building(&org.id, owner, "Elm Court").await;
    let unit = app.post(&org.path(&format!("/buildings/{building}/units")), &org.token, json!({"label": "1A"})).await;
    let unit = unit.expect(201).id();
    let tenant = json!({"firstName": "Ada", "lastName": "Lee", "email": "ada@example.com"});
    let tenant = app.post(&org.path("/tenants"), &org.token, tenant).await.expect(201).id();
    let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01",
                       "rent": {"amount": "1450.00", "currency": "USD"}, "dueDay": 1});
    let lease = app.post(&org.path("/leases"), &org.token, lease).await.expect(201).id();
    app.post(&org.path(&format!("/leases/{lease}:activate")), &org.token, json!({})).await.expect(200);
    app.post(&org.path("/rent-runs"), &org.token, json!({"throughDate": "2026-03-31"})).await.expect(200);

    let bad = "building,unit,receivedOn,amount,currency,method,reference\n\
               Elm Court,1A,2026-01-03,1450.00,USD,check,1001\n\
               Elm Court,9Z,2026-02-03,1450.00,USD,check,1002\n\
               Elm Court,1A,2025-12-03,1450.00,USD,check,1000\n\
               Elm Court,1A,2026-03-03,1450.00,EUR,check,1003\n";
    let dry = org.import(&app, "payments", bad, true).await;
    let errors: Vec<(u64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(3, "unit"), (4, "receivedOn"), (5, "currency")], "{dry}");

    let good = "building,unit,receivedOn,amount,currency,method,reference\n\
                Elm Court,1A,2026-01-03,1450.00,USD,check,1001\n\
                elm court,1a,2026-02-03,1450.00,USD,check,1002\n\
                Elm Court,1A,2026-03-03,1450.00,USD,ach,\n";
    let done = org.import(&app, "payments", good, false).await;
    assert_eq!((done["status"].as_str(), done["counts"]["created"].as_u64()), (Some("committed"), Some(3)), "{done}");
    let ledger = app.get(&org.path(&format!("/leases/{lease}/ledger")), &org.token).await.expect(200).body;
    assert_eq!(ledger["balance"]["amount"], "0.00", "the three rents are paid: {ledger}");
    let again = org.import(&app, "payments", good, false).await;
    assert_eq!(
        (again["counts"]["existing"].as_u64(), again["counts"]["created"].as_u64()),
        (Some(3), Some(0)),
        "{again}"
    );
    let pays = app.get(&org.path(&format!("/leases/{lease}/payments")), &org.token).await.expect(200).body;
    assert_eq!(pays["items"].as_array().unwrap().len(), 3);
    e2e::books::assert_books_match_ledgers(&app, &org.id, &org.token, &[lease]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn expenses_are_booked_by_account_code_vendor_and_building_name_and_once() {
    let app = TestApp::spawn().await;
    let owner = "expenses-import@example.com";
    let org = Org { id: app.create_org(owner, "Expense Imports LLC").await, token: app.token(owner) };
    let building = app.create_building(&org.id, owner, "Elm Court").await;
    app.post(&org.path(&format!("/buildings/{building}/units")), &org.token, json!({"label": "1A"})).await.expect(201);
    app.post(&org.path("/vendors"), &org.token, json!({"name": "Ace Plumbing", "kind": "company"})).await.expect(201);
    let head = "date,amount,currency,account,paidFrom,vendor,building,unit,memo,reference\n";
    let bad = format!(
        "{head}2026-01-09,1234.56,USD,5140,1000,Ace Plumbing,Elm Court,1A,leak,INV-311\n\
         2026-01-15,86.40,USD,9999,1000,,Elm Court,,water,\n\
         2026-01-16,20.00,USD,4000,1000,,,,rent?,\n\
         2026-01-17,30.00,USD,5140,1000,Bob's Pipes,,,,\n\
         2026-01-18,40.00,USD,5140,1000,,Oak Row,,,\n"
    );
    let dry = org.import(&app, "expenses", &bad, true).await;
    let errors: Vec<(u64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(3, "account"), (4, "account"), (5, "vendor"), (6, "building")], "{dry}");
    let good = format!(
        "{head}2026-01-09,1234.56,USD,5140,1000,Ace Plumbing,Elm Court,1A,leak,INV-311\n\
         2026-01-15,86.40,USD,5170,1000,,elm court,,water,\n\
         2026-01-20,12.00,USD,5190,1000,,,,bank fee,\n"
    );
    let done = org.import(&app, "expenses", &good, false).await;
    assert_eq!((done["status"].as_str(), done["counts"]["created"].as_u64()), (Some("committed"), Some(3)), "{done}");
    let expenses = app.get(&org.path("/expenses"), &org.token).await.expect(200).body;
    let items = expenses["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let leak = items.iter().find(|e| e["amount"]["amount"] == "1234.56").unwrap();
    assert_eq!(leak["scope"]["type"], "unit", "{leak}");
    let again = org.import(&app, "expenses", &good, false).await;
    assert_eq!(
        (again["counts"]["existing"].as_u64(), again["counts"]["created"].as_u64()),
        (Some(3), Some(0)),
        "{again}"
    );
    for e in items {
        e2e::books::wait_posted(&app, &org.id, &org.token, e["id"].as_str().unwrap()).await;
    }
    let (tb, _) = e2e::books::trial_balance(&app, &org.id, &org.token, e2e::books::END_OF_TIME).await;
    assert_eq!(tb.get(&("1000".to_owned(), "USD".to_owned())).copied(), Some(-133_296), "{tb:?}");
}

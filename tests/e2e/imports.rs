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

/// The (line, column) of each error of an import.
fn error_cells(i: &Value) -> Vec<(u64, String)> {
    let errors = i["errors"].as_array().unwrap_or_else(|| panic!("no errors: {i}"));
    errors.iter().map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap().to_owned())).collect()
}

fn counts(i: &Value, of: &[&str]) -> Vec<u64> {
    of.iter().map(|c| i["counts"][*c].as_u64().unwrap_or_else(|| panic!("no count {c}: {i}"))).collect()
}

/// An org with the building Elm Court (units 1A, 1B, 1C) and the tenants Ada, Sam and Kim.
async fn leasing_org(app: &TestApp, owner: &str) -> (Org, Vec<String>) {
    let org = Org { id: app.create_org(owner, "Lease Imports LLC").await, token: app.token(owner) };
    let building = app.create_building(&org.id, owner, "Elm Court").await;
    let mut units = Vec::new();
    for label in ["1A", "1B", "1C"] {
        let unit =
            app.post(&org.path(&format!("/buildings/{building}/units")), &org.token, json!({"label": label})).await;
        units.push(unit.expect(201).id());
    }
    for (first, email) in [("Ada", "ada@example.com"), ("Sam", "sam@example.com"), ("Kim", "kim@example.com")] {
        let tenant = json!({"firstName": first, "lastName": "Lee", "email": email});
        app.post(&org.path("/tenants"), &org.token, tenant).await.expect(201);
    }
    (org, units)
}

/// Creates and activates a lease of `unit` for the tenant with `email`; answers its id.
async fn active_lease(app: &TestApp, org: &Org, unit: &str, email: &str, start: &str) -> String {
    let tenants = app.get(&org.path("/tenants?limit=50"), &org.token).await.expect(200).body;
    let tenant = tenants["items"].as_array().unwrap().iter().find(|t| t["email"] == email).unwrap()["id"].clone();
    let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": start,
                       "rent": {"amount": "1300.00", "currency": "USD"}, "dueDay": 1});
    let lease = app.post(&org.path("/leases"), &org.token, lease).await.expect(201).id();
    app.post(&org.path(&format!("/leases/{lease}:activate")), &org.token, json!({})).await.expect(200);
    lease
}

/// The fixed leases file's rows are leases: 1A's active with its terms, 1B's active for Sam
/// (primary) and Kim, 1A's next one a draft; on 2026-03-01 the three units are let.
async fn assert_imported_leases(app: &TestApp, org: &Org, units: &[String]) {
    let leases = app.get(&org.path("/leases"), &org.token).await.expect(200).body;
    let leases = leases["items"].as_array().unwrap();
    assert_eq!(leases.len(), 4);
    let of = |unit: &str, start: &str| leases.iter().find(|l| l["unitId"] == unit && l["startDate"] == start).unwrap();
    let a = of(&units[0], "2026-01-01");
    let terms = (a["status"].as_str(), a["endDate"].as_str(), a["dueDay"].as_u64(), a["rent"]["amount"].as_str());
    assert_eq!(terms, (Some("active"), Some("2026-12-31"), Some(1), Some("1450.00")), "{a}");
    assert_eq!(a["deposit"]["amount"], "1450.00", "{a}");
    let b = of(&units[1], "2026-01-01");
    assert_eq!(b["status"], "active", "{b}");
    let tenants = app.get(&org.path("/tenants?limit=50"), &org.token).await.expect(200).body;
    let email =
        |id: &Value| tenants["items"].as_array().unwrap().iter().find(|t| t["id"] == *id).unwrap()["email"].clone();
    let emails: Vec<Value> = b["tenantIds"].as_array().unwrap().iter().map(email).collect();
    assert_eq!(emails, ["sam@example.com", "kim@example.com"], "Sam the primary, Kim a roommate");
    assert_eq!(of(&units[0], "2027-01-01")["status"], "draft");
    let occupancy = app.get(&org.path("/occupancy?date=2026-03-01"), &org.token).await.expect(200).body;
    assert_eq!(occupancy["portfolio"]["occupied"], 3, "{occupancy}");
}

#[tokio::test(flavor = "multi_thread")]
async fn leases_name_their_unit_and_tenants_are_activated_and_imported_once() {
    let app = TestApp::spawn().await;
    let owner = "leases-import@example.com";
    let (org, units) = leasing_org(&app, owner).await;
    let by_hand = active_lease(&app, &org, &units[2], "kim@example.com", "2025-01-01").await;
    for (kind, header) in [("leases", "building,unit,tenants,startDate,"), ("opening-balances", "type,date,building,")]
    {
        let template = app.get(&org.path(&format!("/import-templates/{kind}")), &org.token).await;
        assert!(template.status == 200 && template.text.starts_with(header), "{}", template.text);
    }

    let head = "building,unit,tenants,startDate,endDate,rent,currency,dueDay,deposit,status\n";
    let bad = format!(
        "{head}Elm Court,1A,ada@example.com,2026-01-01,2026-12-31,1450.00,,1,1450.00,\n\
         Elm Court,1B,sam@example.com;nobody@example.com,2026-01-01,,1200.00,,5,,\n\
         Elm Court,1C,kim@example.com,2026-02-01,,1300.00,,1,,\n\
         Elm Court,1A,kim@example.com,2026-06-01,,1450.00,,1,,\n\
         Elm Court,1B,sam@example.com,2026-01-01,,1200.00,,32,,\n"
    );
    let dry = org.import(&app, "leases", &bad, true).await;
    assert_eq!(dry["status"], "validated", "{dry}");
    let want = [(3, "tenants"), (4, "startDate"), (5, "startDate"), (6, "dueDay")];
    assert_eq!(error_cells(&dry), want.map(|(l, f)| (l, f.to_owned())), "{dry}");
    let message =
        |row: u64| dry["errors"].as_array().unwrap().iter().find(|e| e["row"] == row).unwrap()["message"].clone();
    assert_eq!(message(3), "no tenant of this org has the email nobody@example.com");
    assert_eq!(message(4), format!("the unit is already leased by {by_hand} from 2025-01-01, open-ended"));
    assert_eq!(message(5), "overlaps line 2: the same unit from 2026-01-01 to 2026-12-31");
    let leases = app.get(&org.path("/leases"), &org.token).await.expect(200).body;
    assert_eq!(leases["items"].as_array().unwrap().len(), 1, "a dry run writes nothing");

    // Fixed: 1C's row is the lease made by hand (the same unit and start), so it is skipped.
    let fixed = format!(
        "{head}Elm Court,1A,ada@example.com,2026-01-01,2026-12-31,1450.00,,1,1450.00,\n\
         elm court,1b,Sam@example.com; kim@example.com,2026-01-01,,1200.00,USD,5,,active\n\
         Elm Court,1C,kim@example.com,2025-01-01,,1300.00,,1,,\n\
         Elm Court,1A,ada@example.com,2027-01-01,,1500.00,,1,,draft\n"
    );
    let dry = org.import(&app, "leases", &fixed, true).await;
    assert_eq!((dry["errorCount"].as_u64(), counts(&dry, &["valid", "existing"])), (Some(0), vec![3, 1]), "{dry}");
    let id = dry["id"].as_str().unwrap();
    app.post(&org.path(&format!("/imports/{id}:commit")), &org.token, json!({})).await.expect(202);
    let done = org.settled(&app, id).await;
    assert_eq!(
        (done["status"].as_str(), counts(&done, &["created", "failed"])),
        (Some("committed"), vec![3, 0]),
        "{done}"
    );

    assert_imported_leases(&app, &org, &units).await;

    let again = org.import(&app, "leases", &fixed, false).await;
    assert_eq!(
        (again["status"].as_str(), counts(&again, &["existing", "created"])),
        (Some("committed"), vec![4, 0]),
        "{again}"
    );
    let leases = app.get(&org.path("/leases"), &org.token).await.expect(200).body;
    assert_eq!(leases["items"].as_array().unwrap().len(), 4, "nothing new");
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_balances_reach_the_tenants_ledgers_and_the_trial_balance_once_and_only_when_balanced() {
    let app = TestApp::spawn().await;
    let owner = "opening-import@example.com";
    let (org, units) = leasing_org(&app, owner).await;
    let ada = active_lease(&app, &org, &units[0], "ada@example.com", "2025-06-01").await;
    let sam = active_lease(&app, &org, &units[1], "sam@example.com", "2025-01-01").await;

    let csv = "type,date,building,unit,account,amount,currency,memo\n\
               tenant_balance,2026-01-01,Elm Court,1A,,325.00,,January rent still owed\n\
               tenant_balance,2026-01-01,Elm Court,1B,,-50.00,,overpaid in December\n\
               account,2026-01-01,,,1000,18250.00,,bank balance\n\
               account,2026-01-01,Elm Court,,2100,-2900.00,,deposits held\n\
               account,2026-01-01,,,3900,-15350.00,,opening equity\n";
    let done = org.import(&app, "opening-balances", csv, false).await;
    assert_eq!(
        (done["status"].as_str(), counts(&done, &["created", "failed"])),
        (Some("committed"), vec![5, 0]),
        "{done}"
    );

    let ledger = |lease: &str| org.path(&format!("/leases/{lease}/ledger?asOf=2026-01-31"));
    let a = app.get(&ledger(&ada), &org.token).await.expect(200).body;
    let s = app.get(&ledger(&sam), &org.token).await.expect(200).body;
    assert_eq!(a["balance"]["amount"], "325.00", "{a}");
    assert_eq!(s["balance"]["amount"], "-50.00", "{s}");
    for lease in [&ada, &sam] {
        let charges = app.get(&org.path(&format!("/leases/{lease}/charges")), &org.token).await.expect(200).body;
        for c in charges["items"].as_array().unwrap() {
            e2e::books::wait_posted(&app, &org.id, &org.token, c["id"].as_str().unwrap()).await;
        }
    }
    let (tb, raw) = e2e::books::trial_balance(&app, &org.id, &org.token, "2026-01-31").await;
    let usd = |code: &str| tb.get(&(code.to_owned(), "USD".to_owned())).copied().unwrap_or(0);
    // What the tenants owed was income in the books before ours: opening equity here, not rent.
    let want = [("1000", 1_825_000), ("1200", 27_500), ("2100", -290_000), ("3900", -1_562_500), ("4000", 0)];
    assert_eq!(want.map(|(c, _)| (c, usd(c))), want, "{raw}");
    assert_eq!(raw["balanced"], true, "{raw}");
    let entries = app.get(&org.path("/journal?source=manual"), &org.token).await.expect(200).body;
    assert_eq!(entries["items"].as_array().unwrap().len(), 1, "one entry for the date: {entries}");

    let again = org.import(&app, "opening-balances", csv, false).await;
    assert_eq!(
        (again["status"].as_str(), counts(&again, &["existing", "created"])),
        (Some("committed"), vec![5, 0]),
        "{again}"
    );
    let entries = app.get(&org.path("/journal?source=manual"), &org.token).await.expect(200).body;
    assert_eq!(entries["items"].as_array().unwrap().len(), 1, "nothing posted twice");

    let unbalanced = "type,date,building,unit,account,amount,currency,memo\n\
                      account,2026-02-01,,,1000,100.00,,\n\
                      account,2026-02-01,,,3900,-90.00,,\n";
    let refused = org.import(&app, "opening-balances", unbalanced, false).await;
    assert_eq!(refused["status"], "validated", "an error stops the commit: {refused}");
    assert_eq!(error_cells(&refused), [(3, "amount".to_owned())], "{refused}");
    assert_eq!(
        refused["errors"][0]["message"],
        "the account rows of 2026-02-01 do not balance: debits 100.00 USD, credits 90.00 USD"
    );
    let (after, _) = e2e::books::trial_balance(&app, &org.id, &org.token, "2026-02-28").await;
    assert_eq!(after, tb, "nothing of that date was written");
}

//! Exports built by `consumer-exports`, downloaded through their presigned URL and checked by
//! the real tools: `hledger check` and `hledger bal` against the trial balance, `bean-check`
//! with its balance assertions, the general ledger CSV re-added into the trial balance, the
//! year-end ZIP's CSVs against the report routes — and a one-cent change makes both tools fail.

use e2e::books::{trial_balance, wait_source, Balances};
use e2e::catalog::account_of;
use e2e::TestApp;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn usd(a: &str) -> Value {
    json!({"amount": a, "currency": "USD"})
}

fn cents(s: &str) -> i64 {
    let v = rust_decimal::Decimal::from_str_exact(s).unwrap_or_else(|_| panic!("not an amount: {s}"));
    (v * rust_decimal::Decimal::from(100)).trunc().to_string().parse().unwrap()
}

/// A file of the test's own in the temp dir.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exports-{}", ulid::Ulid::new()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs a tool: (succeeded, stdout + stderr).
fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is not installed ({e}): make test installs it"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

pub struct Org<'a> {
    pub app: &'a TestApp,
    pub id: String,
    pub token: String,
}

impl Org<'_> {
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    /// Asks for an export and waits until it is built; answers it and its file.
    async fn export(&self, body: Value) -> (Value, Vec<u8>) {
        let asked = self.app.post(&self.path("/exports"), &self.token, body.clone()).await.expect(202).body;
        assert_eq!(asked["status"], "pending", "{asked}");
        let id = asked["id"].as_str().unwrap().to_owned();
        let started = Instant::now();
        let done = loop {
            let e = self.app.get(&self.path(&format!("/exports/{id}")), &self.token).await.expect(200).body;
            if e["status"] != "pending" {
                break e;
            }
            assert!(started.elapsed() < Duration::from_secs(90), "export {body} still pending");
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        assert_eq!(done["status"], "ready", "{done}");
        let url = done["download"]["url"].as_str().unwrap();
        let res = self.app.http.get(url).send().await.unwrap();
        assert!(res.status().is_success(), "{url}: {}", res.status());
        let bytes = res.bytes().await.unwrap().to_vec();
        assert_eq!(done["size"].as_u64(), Some(bytes.len() as u64));
        (done, bytes)
    }
}

/// The trial balance's accounts as `code → amount` of one currency (USD).
fn usd_only(tb: &Balances) -> BTreeMap<String, i64> {
    tb.iter().filter(|((_, c), v)| c == "USD" && **v != 0).map(|((code, _), v)| (code.clone(), *v)).collect()
}

/// A year of a small org: an owner contribution from the year before, a lease with a deposit and
/// rent through March, two payments, a repair, a bill still owed.
pub async fn small_year(app: &TestApp) -> Org<'_> {
    let owner = "exports@example.com";
    let id = app.create_org(owner, "Export Org").await;
    let o = Org { app, id, token: app.token(owner) };
    let oak = app.create_building(&o.id, owner, "Oak").await;
    let unit =
        app.post(&o.path(&format!("/buildings/{oak}/units")), &o.token, json!({"label": "1"})).await.expect(201).id();
    let tenant = json!({"firstName": "Ex", "lastName": "Port", "email": "ex@example.com"});
    let tenant = app.post(&o.path("/tenants"), &o.token, tenant).await.expect(201).id();
    let lease = json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01", "rent": usd("1000.00"),
        "dueDay": 1, "deposit": usd("1500.00")});
    let lease = app.post(&o.path("/leases"), &o.token, lease).await.expect(201).id();
    app.post(&o.path(&format!("/leases/{lease}:activate")), &o.token, json!({})).await.expect(200);
    let contribution = json!({"date": "2025-12-15", "memo": "owner contribution", "lines": [
        {"accountId": account_of(&o.id, "1000"), "debit": usd("5000.00")},
        {"accountId": account_of(&o.id, "3000"), "credit": usd("5000.00")}]});
    app.post(&o.path("/journal"), &o.token, contribution).await.expect(201);
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-03-31"})).await.expect(200);
    for (amount, on) in [("2500.00", "2026-01-05"), ("1000.00", "2026-02-03")] {
        let pay = json!({"amount": usd(amount), "receivedOn": on, "method": "check"});
        app.post_keyed(&o.path(&format!("/leases/{lease}/payments")), &o.token, pay).await.expect(201);
    }
    let repair = json!({"date": "2026-02-20", "amount": usd("400.00"), "accountId": account_of(&o.id, "5140"),
        "paidFrom": account_of(&o.id, "1000"), "scope": {"type": "building", "id": oak}});
    app.post_keyed(&o.path("/expenses"), &o.token, repair).await.expect(201);
    let bill = json!({"date": "2026-03-10", "amount": usd("250.00"), "accountId": account_of(&o.id, "5170"),
        "status": "unpaid", "dueDate": "2026-04-10", "scope": {"type": "building", "id": oak}});
    let bill = app.post_keyed(&o.path("/expenses"), &o.token, bill).await.expect(201).id();
    // The books post in order per org: once the bill is posted, everything before it is.
    wait_source(app, &o.id, &o.token, ("expense", &bill)).await;
    o
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_are_built_downloaded_and_pass_hledger_and_bean_check_and_a_cent_off_fails_both() {
    let app = TestApp::spawn().await;
    let o = small_year(&app).await;
    let (tb, _) = trial_balance(&app, &o.id, &o.token, "2026-12-31").await;
    let tb = usd_only(&tb);
    assert_eq!(tb.get("1000"), Some(&460_000), "5,000.00 contributed less the repair: {tb:?}");

    // hledger: the journal checks (strictly: every account and commodity declared), and its
    // balances are the trial balance.
    let (e, journal) = o.export(json!({"kind": "hledger", "year": 2026})).await;
    assert_eq!(e["filename"], "books-2026-01-01-2026-12-31.journal");
    let file = scratch("books.journal", &journal);
    let f = file.to_str().unwrap();
    let (ok, out) = run("hledger", &["-f", f, "check", "accounts", "commodities"]);
    assert!(ok, "hledger check: {out}");
    let (ok, out) = run("hledger", &["-f", f, "bal", "-O", "csv", "--no-total"]);
    assert!(ok, "{out}");
    let mut bal = BTreeMap::new();
    for row in csv::Reader::from_reader(out.as_bytes()).records().map(Result::unwrap) {
        let code = row[0].split(':').nth(1).unwrap().split(' ').next().unwrap().to_owned();
        let amount = row[1].strip_suffix(" USD").unwrap_or_else(|| panic!("{row:?}"));
        bal.insert(code, cents(amount));
    }
    assert_eq!(bal, tb, "hledger bal (left) vs the trial balance (right)");
    let text = String::from_utf8(journal).unwrap();
    assert!(text.contains("2026-01-01 opening balances\n"), "the contribution of 2025 opens the year");
    assert_eq!(
        text.matches("balance assertion\n    assets:1000 Operating account  0 = ").count(),
        12,
        "one per month end"
    );
    // A cent off in a posting: the transaction no longer balances.
    let tampered = text.replacen("  1000.00 USD\n", "  1000.01 USD\n", 1);
    assert_ne!(tampered, text);
    let (ok, out) = run("hledger", &["-f", scratch("t.journal", tampered.as_bytes()).to_str().unwrap(), "check"]);
    assert!(!ok, "a tampered journal passed: {out}");

    // Beancount: bean-check passes with a balance assertion per cash account and month; a cent
    // off in one assertion fails.
    let (_, ledger) = o.export(json!({"kind": "beancount", "year": 2026})).await;
    let text = String::from_utf8(ledger).unwrap();
    let (ok, out) = run("bean-check", &[scratch("books.beancount", text.as_bytes()).to_str().unwrap()]);
    assert!(ok, "bean-check: {out}\n{text}");
    assert!(text.contains("2026-03-01 balance Assets:1000-Operating-account  4600.00 USD\n"), "{text}");
    assert_eq!(text.matches(" balance Assets:1000-Operating-account ").count(), 12);
    let tampered = text.replacen(
        "balance Assets:1000-Operating-account  4600.00 USD",
        "balance Assets:1000-Operating-account  4600.01 USD",
        1,
    );
    let (ok, out) = run("bean-check", &[scratch("t.beancount", tampered.as_bytes()).to_str().unwrap()]);
    assert!(!ok && out.contains("Balance failed"), "a tampered assertion passed: {out}");
    let tampered = text.replacen("  1000.00 USD\n", "  1000.01 USD\n", 1);
    assert_ne!(tampered, text);
    let (ok, out) = run("bean-check", &[scratch("t2.beancount", tampered.as_bytes()).to_str().unwrap()]);
    assert!(!ok && out.contains("does not balance"), "a tampered posting passed: {out}");

    // The general ledger CSV re-adds into the trial balance.
    let (_, gl) = o.export(json!({"kind": "general-ledger-csv", "from": "2026-01-01", "to": "2026-12-31"})).await;
    assert_eq!(gl_sums(&gl), tb, "the general ledger CSV re-added (left) vs the trial balance (right)");

    // The year-end ZIP: every CSV parses; their figures are the reports'.
    let (e, zip) = o.export(json!({"kind": "year-end", "year": 2026})).await;
    assert_eq!(e["filename"], "year-end-2026.zip");
    let files = unzip(&zip);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "2026/deposits-held.csv",
            "2026/expenses.csv",
            "2026/general-ledger.csv",
            "2026/profit-and-loss-by-property.csv",
            "2026/rent-roll.csv",
            "2026/schedule-e.csv",
            "2026/trial-balance.csv",
            "2026/vendors-1099.csv"
        ]
    );
    assert_eq!(gl_sums(&files["2026/general-ledger.csv"]), tb);
    let tb_csv = rows(&files["2026/trial-balance.csv"]);
    let tb_sums: BTreeMap<String, i64> = tb_csv
        .iter()
        .map(|r| (r["accountCode"].clone(), cents_or_zero(&r["debit"]) - cents_or_zero(&r["credit"])))
        .collect();
    assert_eq!(tb_sums, tb, "trial-balance.csv");
    let sched = o.app.get(&o.path("/reports/schedule-e?year=2026"), &o.token).await.expect(200).body;
    let oak = &sched["properties"][0];
    let line = |n: &str| {
        oak["lines"].as_array().unwrap().iter().find(|l| l["line"] == n).unwrap()["amount"]["amount"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let sched_csv = rows(&files["2026/schedule-e.csv"]);
    let csv_line = |n: &str| sched_csv.iter().find(|r| r["line"] == n).map(|r| r["amount"].clone()).unwrap();
    assert_eq!(
        (csv_line("3"), csv_line("14"), csv_line("21")),
        (line("3"), line("14"), oak["incomeOrLoss"]["amount"].as_str().unwrap().to_owned())
    );
    assert_eq!(csv_line("3"), "2000.00", "January's and February's rent received (cash basis)");
    let pnl_csv = rows(&files["2026/profit-and-loss-by-property.csv"]);
    let accrual_rent: Vec<&str> = pnl_csv
        .iter()
        .filter(|r| r["basis"] == "accrual" && r["accountCode"] == "4000")
        .map(|r| r["amount"].as_str())
        .collect();
    assert_eq!(accrual_rent, ["3000.00"], "three months charged");
    let roll = rows(&files["2026/rent-roll.csv"]);
    assert_eq!((roll.len(), roll[0]["status"].as_str(), roll[0]["depositHeld"].as_str()), (1, "occupied", "1500.00"));
    assert_eq!(roll[0]["balance"], "1000.00", "March's rent is owed at the year's end");
    let deposits = rows(&files["2026/deposits-held.csv"]);
    assert_eq!(deposits.iter().map(|r| r["held"].as_str()).collect::<Vec<_>>(), ["1500.00"]);
    let expenses = rows(&files["2026/expenses.csv"]);
    assert_eq!(
        expenses
            .iter()
            .map(|r| (r["accountCode"].as_str(), r["amount"].as_str(), r["status"].as_str()))
            .collect::<Vec<_>>(),
        [("5140", "400.00", "paid"), ("5170", "250.00", "unpaid")]
    );
    assert!(rows(&files["2026/vendors-1099.csv"]).is_empty());

    // The owner pack of February: a summary and one page per building, its NOI and collection
    // the API's for the month.
    let (e_pdf, pdf) = o.export(json!({"kind": "owner-pack-pdf", "from": "2026-02-01", "to": "2026-02-28"})).await;
    assert_eq!(e_pdf["filename"], "owner-pack-2026-02.pdf");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let file = scratch("owner-pack.pdf", &pdf);
    let (ok, info) = run("pdfinfo", &[file.to_str().unwrap()]);
    assert!(
        ok && info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 2")),
        "a summary and Oak's page: {info}"
    );
    let (ok, fonts) = run("pdffonts", &[file.to_str().unwrap()]);
    // pdffonts: name, type, encoding, then emb sub uni and the object id (two numbers).
    let embedded: Vec<&str> = fonts.lines().skip(2).map(|l| l.split_whitespace().rev().nth(4).unwrap_or("")).collect();
    assert!(ok && !embedded.is_empty() && embedded.iter().all(|e| *e == "yes"), "every font embedded: {fonts}");
    let (ok, text) = run("pdftotext", &["-layout", file.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    let pnl =
        o.app.get(&o.path("/reports/profit-and-loss?from=2026-02-01&to=2026-02-28"), &o.token).await.expect(200).body;
    let feb = &pnl["base"]["total"];
    let (noi, collected) = (feb["noi"]["amount"].as_str().unwrap(), feb["totalIncome"]["amount"].as_str().unwrap());
    assert_eq!((noi, collected), ("600.00", "1000.00"));
    for want in [
        "Export Org — owner report, February 2026".to_owned(),
        format!("Net operating income (NOI)   {noi} USD"),
        format!("Collected (paid this month)   {collected} USD"),
        "Collection rate   100.0%".to_owned(),
        "Occupancy at month end   1 of 1 units (100.0%)".to_owned(),
        "NOI 2026-02   600.00 USD".to_owned(),
    ] {
        let squeezed = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed(&text).contains(&squeezed(&want)), "{want:?} is not in\n{text}");
    }

    // One building's pack: its figures are the summary's, its page the only other one.
    let oak = o.app.get(&o.path("/buildings"), &o.token).await.expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"kind": "owner-pack-pdf", "year": 2026, "buildingId": oak});
    let (one, pdf) = o.export(body).await;
    assert_eq!(one["buildingId"], oak.as_str());
    let (_, info) = run("pdfinfo", &[scratch("oak.pdf", &pdf).to_str().unwrap()]);
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 2")), "{info}");

    // The download is the org's own object and expires; another org sees no such export.
    let listed = o.app.get(&o.path("/exports"), &o.token).await.expect(200).body;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[0]["kind"], "owner-pack-pdf", "newest first");
    let url = e["download"]["url"].as_str().unwrap();
    assert!(url.contains(&format!("/org/{}/exports/{}/year-end-2026.zip", o.id, e["id"].as_str().unwrap())), "{url}");
    assert!(url.contains("X-Amz-Expires=300"), "{url}");
    let stranger = "stranger@example.com";
    let theirs = app.create_org(stranger, "Stranger").await;
    let res =
        app.get(&format!("/api/v1/orgs/{theirs}/exports/{}", e["id"].as_str().unwrap()), &app.token(stranger)).await;
    res.problem(404);
    let theirs_pack = json!({"kind": "owner-pack-pdf", "year": 2026, "buildingId": oak});
    app.post(&format!("/api/v1/orgs/{theirs}/exports"), &app.token(stranger), theirs_pack).await.problem(404);

    // Bad requests name their field and create nothing.
    for (body, field) in [
        (json!({"kind": "year-end"}), "year"),
        (json!({"kind": "hledger", "from": "2026-03-01", "to": "2026-02-01"}), "to"),
        (json!({"kind": "hledger", "year": 2026, "from": "2026-01-01", "to": "2026-02-01"}), "year"),
        (json!({"kind": "beancount"}), "from"),
        (json!({"kind": "owner-pack-zip", "year": 2026}), "kind"),
        (json!({"kind": "hledger", "year": 2026, "buildingId": oak}), "buildingId"),
        (json!({"kind": "owner-pack-pdf", "year": 2026, "buildingId": "oak"}), "buildingId"),
    ] {
        let res = o.app.post(&o.path("/exports"), &o.token, body.clone()).await.problem(400);
        assert_eq!(res.error_fields(), [field], "{body}");
    }
    assert_eq!(o.app.get(&o.path("/exports"), &o.token).await.expect(200).body["items"].as_array().unwrap().len(), 6);
}

fn cents_or_zero(s: &str) -> i64 {
    if s.is_empty() {
        0
    } else {
        cents(s)
    }
}

/// A CSV's rows as header → value maps.
fn rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records().map(|row| header.iter().cloned().zip(row.unwrap().iter().map(str::to_owned)).collect()).collect()
}

/// The general ledger CSV's debits less credits per account (USD).
fn gl_sums(bytes: &[u8]) -> BTreeMap<String, i64> {
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows(bytes) {
        assert_eq!(r["currency"], "USD");
        *out.entry(r["accountCode"].clone()).or_default() += cents_or_zero(&r["debit"]) - cents_or_zero(&r["credit"]);
    }
    out.retain(|_, v| *v != 0);
    out
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        out.insert(f.name().to_owned(), buf);
    }
    out
}

//! Reports read from the books, checked against what the test put in and against the trial
//! balance: the cash flow per month, for the portfolio and per property.

use e2e::books::{trial_balance, wait_posted, wait_source};
use e2e::catalog::account_of;
use e2e::TestApp;
use serde_json::{json, Value};

fn usd(a: &str) -> Value {
    json!({"amount": a, "currency": "USD"})
}

fn flows(lines: &Value) -> Vec<(String, String)> {
    let pair = |l: &Value| (l["code"].as_str().unwrap().to_owned(), l["amount"]["amount"].as_str().unwrap().to_owned());
    lines.as_array().unwrap().iter().map(pair).collect()
}

fn figures(m: &Value) -> [&str; 4] {
    ["opening", "totalIn", "totalOut", "closing"].map(|k| m[k]["amount"].as_str().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cash_flow_shows_each_month_per_property_and_adds_up_to_the_cash_the_books_hold() {
    let app = TestApp::spawn().await;
    let owner = "cashflow@example.com";
    let org = app.create_org(owner, "Cash Flow Org").await;
    let token = app.token(owner);
    let path = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
    let (oak, elm) = (app.create_building(&org, owner, "Oak").await, app.create_building(&org, owner, "Elm").await);
    let unit =
        app.post(&path(&format!("/buildings/{oak}/units")), &token, json!({"label": "1"})).await.expect(201).id();
    let tenant = json!({"firstName": "Cass", "lastName": "Flow", "email": "cass@example.com"});
    let tenant = app.post(&path("/tenants"), &token, tenant).await.expect(201).id();
    let lease =
        json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2026-01-01", "rent": usd("1000.00"), "dueDay": 1});
    let lease = app.post(&path("/leases"), &token, lease).await.expect(201).id();
    app.post(&path(&format!("/leases/{lease}:activate")), &token, json!({})).await.expect(200);
    // December: the owner puts 5,000.00 into the bank. January: rent paid, a repair at Elm.
    let contribution = json!({"date": "2025-12-15", "memo": "owner contribution", "lines": [
        {"accountId": account_of(&org, "1000"), "debit": usd("5000.00")},
        {"accountId": account_of(&org, "3000"), "credit": usd("5000.00")}]});
    app.post(&path("/journal"), &token, contribution).await.expect(201);
    app.post(&path("/rent-runs"), &token, json!({"throughDate": "2026-02-28"})).await.expect(200);
    let pay = json!({"amount": usd("1000.00"), "receivedOn": "2026-01-05", "method": "check"});
    let pay = app.post_keyed(&path(&format!("/leases/{lease}/payments")), &token, pay).await.expect(201).id();
    let repair = json!({"date": "2026-01-20", "amount": usd("400.00"), "accountId": account_of(&org, "5140"),
        "paidFrom": account_of(&org, "1000"), "scope": {"type": "building", "id": elm}});
    let repair = app.post_keyed(&path("/expenses"), &token, repair).await.expect(201).id();
    wait_posted(&app, &org, &token, &pay).await;
    wait_posted(&app, &org, &token, &repair).await;

    let report = |q: String| {
        let (app, token, url) = (&app, &token, path(&format!("/reports/cash-flow?{q}")));
        async move { app.get(&url, token).await }
    };
    let all = report("from=2026-01-01&to=2026-02-28".into()).await.expect(200).body;
    let months = &all["currencies"][0]["months"];
    assert_eq!((all["currencies"][0]["currency"].as_str(), months.as_array().unwrap().len()), (Some("USD"), 2));
    let (jan, feb) = (&months[0], &months[1]);
    assert_eq!(figures(jan), ["5000.00", "1000.00", "400.00", "5600.00"], "{jan}");
    assert_eq!(flows(&jan["inflows"]), [("1200".to_owned(), "1000.00".to_owned())], "rent paid");
    assert_eq!(flows(&jan["outflows"]), [("5140".to_owned(), "400.00".to_owned())], "the repair");
    assert_eq!(figures(feb), ["5600.00", "0.00", "0.00", "5600.00"], "February's rent is owed, not cash");
    // The closing cash is what the cash accounts hold in the trial balance.
    let (tb, _) = trial_balance(&app, &org, &token, "2026-01-31").await;
    let held: i64 = ["1000", "1050", "1060"].iter().filter_map(|c| tb.get(&(c.to_string(), "USD".to_owned()))).sum();
    assert_eq!(held, 560_000);

    let oak_only = report(format!("from=2026-01-01&to=2026-01-31&buildingId={oak}")).await.expect(200).body;
    assert_eq!(figures(&oak_only["currencies"][0]["months"][0]), ["0.00", "1000.00", "0.00", "1000.00"]);
    let elm_only = report(format!("from=2026-01-15&to=2026-01-31&buildingId={elm}")).await.expect(200).body;
    assert_eq!(figures(&elm_only["currencies"][0]["months"][0]), ["0.00", "0.00", "400.00", "-400.00"]);

    // Bad questions are 400 naming the parameter; another org's building is not found.
    let bad = [
        ("from=2026-02-01&to=2026-01-31", "to"),
        ("from=2020-01-01&to=2025-01-31", "to"),
        ("to=2026-01-31", "from"),
        ("from=2026-01-01&to=2026-01-31&buildingId=oak", "buildingId"),
    ];
    for (q, field) in bad {
        let res = report(q.into()).await.problem(400);
        assert_eq!(res.error_fields(), [field], "{q}");
    }
    let stranger = app.create_org("elsewhere@example.com", "Elsewhere").await;
    let theirs = app.create_building(&stranger, "elsewhere@example.com", "Theirs").await;
    report(format!("from=2026-01-01&to=2026-01-31&buildingId={theirs}")).await.problem(404);
    // The owner statement of January: each property's cash and what moved it; the owner's
    // contribution (tagged to no property) is the portfolio's beginning balance.
    let st = app.get(&path("/reports/owner-statement?from=2026-01-01&to=2026-01-31"), &token).await.expect(200).body;
    let sums: Vec<(Option<String>, [String; 4])> = st["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let f = ["beginning", "moneyIn", "moneyOut", "ending"].map(|k| p[k]["amount"].as_str().unwrap().to_owned());
            (p["buildingId"].as_str().map(str::to_owned), f)
        })
        .collect();
    let row = |b: Option<&String>, f: [&str; 4]| (b.cloned(), f.map(str::to_owned));
    let mut want = vec![
        row(None, ["5000.00", "0.00", "0.00", "5000.00"]),
        row(Some(&elm), ["0.00", "0.00", "400.00", "-400.00"]),
        row(Some(&oak), ["0.00", "1000.00", "0.00", "1000.00"]),
    ];
    want.sort();
    let mut got = sums;
    got.sort();
    assert_eq!(got, want, "{st}");
    let oak_st = app
        .get(&path(&format!("/reports/owner-statement?from=2026-01-01&to=2026-01-31&buildingId={oak}")), &token)
        .await
        .expect(200)
        .body;
    let line = &oak_st["properties"][0]["entries"][0];
    assert_eq!(
        (line["date"].as_str(), line["accountCode"].as_str(), line["amount"]["amount"].as_str()),
        (Some("2026-01-05"), Some("1200"), Some("1000.00"))
    );
    assert_eq!(line["source"]["id"], pay.as_str());
    // The P&L: January's rent was paid in January (income on both bases), February's is owed
    // (income on the accrual basis only); the repair is Elm's.
    let pnl = |q: String| {
        let (app, token, url) = (&app, &token, path(&format!("/reports/profit-and-loss?{q}")));
        async move { app.get(&url, token).await }
    };
    let cash = pnl("from=2026-01-01&to=2026-02-28".into()).await.expect(200).body;
    assert_eq!(cash["basis"], "cash");
    assert_eq!(pnl_figures(&cash["base"]["months"][0]), ["1000.00", "400.00", "600.00", "600.00"], "{cash}");
    assert_eq!(flows(&cash["base"]["months"][0]["income"]), [("4000".to_owned(), "1000.00".to_owned())]);
    assert_eq!(pnl_figures(&cash["base"]["months"][1]), ["0.00", "0.00", "0.00", "0.00"]);
    let accrual = pnl("from=2026-01-01&to=2026-02-28&basis=accrual".into()).await.expect(200).body;
    assert_eq!(pnl_figures(&accrual["base"]["total"]), ["2000.00", "400.00", "1600.00", "1600.00"], "{accrual}");
    assert_eq!(accrual["currencies"][0]["total"], accrual["base"]["total"], "one currency: the base");
    let elm_pnl = pnl(format!("from=2026-01-01&to=2026-02-28&buildingId={elm}")).await.expect(200).body;
    assert_eq!(pnl_figures(&elm_pnl["base"]["total"]), ["0.00", "400.00", "-400.00", "-400.00"]);
    assert_eq!(pnl("from=2026-01-01&to=2026-01-31&basis=tax".into()).await.problem(400).error_fields(), ["basis"]);
    // NOI per building: Oak's year is January's rent (February's is not paid), worth 16,000.00
    // it is a 6.25 % cap rate; Elm has no market value, so no cap rate.
    let facts = json!({"propertyType": 2, "marketValue": usd("16000.00"), "purchaseDate": "2019-06-01",
        "purchasePrice": usd("12000.00")});
    let oak_now = app.patch(&path(&format!("/buildings/{oak}")), &token, facts).await.expect(200).body;
    assert_eq!(
        (oak_now["propertyType"].as_u64(), oak_now["marketValue"]["amount"].as_str()),
        (Some(2), Some("16000.00"))
    );
    let renamed =
        app.patch(&path(&format!("/buildings/{oak}")), &token, json!({"name": "Oak Court"})).await.expect(200);
    assert_eq!(renamed.body["purchasePrice"]["amount"], "12000.00", "facts left out stay");
    for (bad, field) in
        [(json!({"propertyType": 9}), "propertyType"), (json!({"marketValue": usd("-1.00")}), "marketValue.amount")]
    {
        let res = app.patch(&path(&format!("/buildings/{oak}")), &token, bad).await.problem(400);
        assert_eq!(res.error_fields(), [field]);
    }
    let noi = app.get(&path("/reports/noi?year=2026"), &token).await.expect(200).body;
    let rows: Vec<(&str, &str, Option<&str>)> = noi["buildings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["name"].as_str().unwrap(), b["total"]["amount"].as_str().unwrap(), b["capRate"].as_str()))
        .collect();
    assert_eq!(rows, [("Elm", "-400.00", None), ("Oak Court", "1000.00", Some("6.25"))], "{noi}");
    assert_eq!(noi["portfolio"]["months"][0]["noi"]["amount"], "600.00");
    assert_eq!(noi["portfolio"]["months"][1]["noi"]["amount"], "0.00");
    assert_eq!(noi["portfolio"]["total"]["amount"], "600.00");
    let accrual_noi = app.get(&path("/reports/noi?year=2026&basis=accrual"), &token).await.expect(200).body;
    assert_eq!(accrual_noi["portfolio"]["total"]["amount"], "1600.00", "two months charged, less the repair");
    // Schedule E of 2026: Oak let all year (a lease from January 1st, open-ended), its rent
    // received; Elm's repair a loss.
    let sched = app.get(&path("/reports/schedule-e?year=2026"), &token).await.expect(200).body;
    let prop = |name: &str| sched["properties"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap().clone();
    let (oak_e, elm_e) = (prop("Oak Court"), prop("Elm"));
    let line = |p: &Value, n: &str| {
        p["lines"].as_array().unwrap().iter().find(|l| l["line"] == n).unwrap()["amount"]["amount"].clone()
    };
    assert_eq!(
        (oak_e["propertyType"].as_u64(), oak_e["fairRentalDays"].as_u64(), line(&oak_e, "3"), oak_e["loss"].as_bool()),
        (Some(2), Some(365), json!("1000.00"), Some(false)),
        "{oak_e}"
    );
    assert_eq!(oak_e["address"]["city"], "Springfield");
    assert_eq!(oak_e["lines"].as_array().unwrap().len(), 17, "lines 3 to 19");
    assert_eq!(
        (
            elm_e["fairRentalDays"].as_u64(),
            line(&elm_e, "14"),
            elm_e["incomeOrLoss"]["amount"].as_str(),
            elm_e["loss"].as_bool()
        ),
        (Some(0), json!("400.00"), Some("-400.00"), Some(true))
    );
    assert_eq!(elm_e["lines"][11]["accounts"][0]["code"], "5140", "Repairs is behind line 14");
    let t = &sched["totals"];
    assert_eq!(
        [&t["rents"], &t["totalExpenses"], &t["depreciation"]].map(|m| m["amount"].as_str().unwrap()),
        ["1000.00", "400.00", "0.00"]
    );
    let accrual_e = app.get(&path("/reports/schedule-e?year=2026&basis=accrual"), &token).await.expect(200).body;
    assert_eq!(accrual_e["totals"]["rents"]["amount"], "2000.00");
    // The rent roll: unit 1 let from January 1st, February's rent owed in mid-February; unit 2
    // never let. Before January, both vacant. Once the lease is ended with a move-out to come, the
    // unit is on notice — from the day it was ended, not before.
    app.post(&path(&format!("/buildings/{oak}/units")), &token, json!({"label": "2", "marketRent": usd("950.00")}))
        .await
        .expect(201);
    let roll = |as_of: &'static str| {
        let (app, token, url) = (&app, &token, path(&format!("/reports/rent-roll?asOf={as_of}")));
        async move { app.get(&url, token).await.expect(200).body }
    };
    let feb = roll("2026-02-15").await;
    let units = feb["units"].as_array().unwrap();
    assert_eq!(
        units.iter().map(|u| (u["label"].as_str().unwrap(), u["status"].as_str().unwrap())).collect::<Vec<_>>(),
        [("1", "occupied"), ("2", "vacant")],
        "{feb}"
    );
    let let_ = &units[0]["lease"];
    assert_eq!(
        (
            let_["leaseId"].as_str(),
            let_["tenants"][0]["name"].as_str(),
            let_["rent"]["amount"].as_str(),
            let_["balance"]["amount"].as_str(),
            let_["depositHeld"]["amount"].as_str()
        ),
        (Some(lease.as_str()), Some("Cass Flow"), Some("1000.00"), Some("1000.00"), Some("0.00"))
    );
    assert_eq!(
        (units[0]["buildingName"].as_str(), units[1]["marketRent"]["amount"].as_str()),
        (Some("Oak Court"), Some("950.00"))
    );
    assert_eq!(
        (feb["occupied"].as_u64(), feb["vacant"].as_u64(), feb["totals"][0]["balance"]["amount"].as_str()),
        (Some(1), Some(1), Some("1000.00"))
    );
    assert_eq!(
        roll("2026-01-10").await["units"][0]["lease"]["balance"]["amount"],
        "0.00",
        "January's rent was paid on the 5th"
    );
    assert_eq!(roll("2025-12-31").await["vacant"], 2);
    app.post(&path(&format!("/leases/{lease}:end")), &token, json!({"moveOutDate": "2027-03-31"})).await.expect(200);
    assert_eq!(roll("2026-02-15").await["units"][0]["status"], "occupied", "the notice came later");
    let today = app.get(&path("/reports/rent-roll?asOf=2027-01-15"), &token).await.expect(200).body;
    assert_eq!((today["units"][0]["status"].as_str(), today["notice"].as_u64()), (Some("notice"), Some(1)), "{today}");
    assert_eq!(app.get(&path("/reports/rent-roll"), &token).await.problem(400).error_fields(), ["asOf"]);
    let readonly = "reader@example.com";
    app.add_member(&org, owner, readonly, "readonly").await;
    app.get(&path("/reports/cash-flow?from=2026-01-01&to=2026-01-31"), &app.token(readonly)).await.expect(200);
}

/// A P&L period's income, expenses, NOI and net income.
fn pnl_figures(p: &Value) -> [&str; 4] {
    ["totalIncome", "totalExpenses", "noi", "netIncome"].map(|k| p[k]["amount"].as_str().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_1099_report_lists_flagged_vendors_paid_at_least_the_threshold_in_the_year() {
    let app = TestApp::spawn().await;
    let owner = "ten99@example.com";
    let org = app.create_org(owner, "1099 Org").await;
    let token = app.token(owner);
    let path = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
    let vendor = |name: &str, form1099: bool| {
        let body = json!({"name": name, "kind": "individual", "taxId": "123-45-6789", "form1099": form1099});
        let (app, token, url) = (&app, &token, path("/vendors"));
        async move { app.post(&url, token, body).await.expect(201).id() }
    };
    let (plumber, painter, supplier) =
        (vendor("Pat Plumber", true).await, vendor("Paula Painter", true).await, vendor("Supply Co", false).await);
    let spend = |v: &str, amount: &str, date: &str, bill: bool| {
        let mut body =
            json!({"date": date, "amount": usd(amount), "accountId": account_of(&org, "5140"), "vendorId": v});
        if bill {
            body["status"] = json!("unpaid");
            body["dueDate"] = json!("2026-01-31");
        } else {
            body["paidFrom"] = json!(account_of(&org, "1000"));
        }
        let (app, token, url) = (&app, &token, path("/expenses"));
        async move { app.post_keyed(&url, token, body).await.expect(201).id() }
    };
    spend(&plumber, "1500.00", "2026-03-01", false).await;
    // A December bill paid in January counts in the year it was paid.
    let bill = spend(&plumber, "1000.00", "2025-12-20", true).await;
    let pay = json!({"paidOn": "2026-01-10", "paidFrom": account_of(&org, "1000")});
    app.post(&path(&format!("/expenses/{bill}:pay")), &token, pay).await.expect(200);
    spend(&painter, "1999.99", "2026-04-01", false).await;
    spend(&supplier, "5000.00", "2026-04-01", false).await;
    let voided = spend(&painter, "500.00", "2026-05-01", false).await;
    app.post(&path(&format!("/expenses/{voided}:void")), &token, json!({"voidedOn": "2026-05-02"})).await.expect(200);

    let r = app.get(&path("/reports/vendors-1099?year=2026"), &token).await.expect(200).body;
    assert_eq!(r["threshold"]["amount"], "2000.00");
    let got: Vec<(&str, &str, &str, u64)> = r["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap(),
                v["paid"]["amount"].as_str().unwrap(),
                v["taxId"].as_str().unwrap(),
                v["payments"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("Pat Plumber", "2500.00", "***-**-6789", 2)],
        "the painter is a cent short (the void does not count)"
    );
    let last_year = app.get(&path("/reports/vendors-1099?year=2025"), &token).await.expect(200).body;
    assert_eq!(
        (last_year["threshold"]["amount"].as_str(), last_year["vendors"].as_array().unwrap().len()),
        (Some("600.00"), 0)
    );
    // A bill is an expense when booked on the accrual basis, when paid on the cash basis; a
    // voided payment is taken back.
    let supplies = spend(&supplier, "0.01", "2026-05-31", false).await;
    app.post(&path(&format!("/expenses/{supplies}:void")), &token, json!({"voidedOn": "2026-06-01"})).await.expect(200);
    wait_source(&app, &org, &token, ("expense_payment", &bill)).await;
    wait_source(&app, &org, &token, ("expense_void", &voided)).await;
    wait_source(&app, &org, &token, ("expense_void", &supplies)).await;
    let repairs = |q: &str| {
        let (app, token, url) = (&app, &token, path(&format!("/reports/profit-and-loss?{q}")));
        async move {
            let r = app.get(&url, token).await.expect(200).body;
            let months = r["base"]["months"].as_array().unwrap().iter();
            months.map(|m| m["totalExpenses"]["amount"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    let per_month = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        repairs("from=2025-12-01&to=2026-05-31&basis=accrual").await,
        per_month(&["1000.00", "0.00", "0.00", "1500.00", "6999.99", "0.01"])
    );
    assert_eq!(
        repairs("from=2025-12-01&to=2026-05-31").await,
        per_month(&["0.00", "1000.00", "0.00", "1500.00", "6999.99", "0.01"])
    );
    let june = repairs("from=2026-06-01&to=2026-06-30").await;
    assert_eq!(june, per_month(&["-0.01"]), "voided in June: taken back in June");
    for (q, field) in [("", "year"), ("?year=twenty", "year"), ("?year=1999", "year")] {
        let res = app.get(&path(&format!("/reports/vendors-1099{q}")), &token).await.problem(400);
        assert_eq!(res.error_fields(), [field], "{q}");
    }
}

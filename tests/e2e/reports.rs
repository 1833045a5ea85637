//! Reports read from the books, checked against what the test put in and against the trial
//! balance: the cash flow per month, for the portfolio and per property.

use e2e::books::{trial_balance, wait_posted};
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
    let readonly = "reader@example.com";
    app.add_member(&org, owner, readonly, "readonly").await;
    app.get(&path("/reports/cash-flow?from=2026-01-01&to=2026-01-31"), &app.token(readonly)).await.expect(200);
}

//! The golden year, to the cent: a 2-building, 6-unit org through 2026, driven through the API,
//! and every figure of the P&L (both bases), the cash flow, NOI, Schedule E lines 3–21 per
//! building and the rent roll on 2026-12-31 asserted against numbers worked out by hand.
//!
//! Maple: M1 let all year at 1,000.00 with a 1,000.00 deposit; M2 from March 15th at 1,240.00
//! (March prorated: 17 of 31 days = 680.00), June paid in two parts with a 50.00 late fee;
//! M3 vacant. The building (330,000.00, residential 27.5 years, in service January 15th) is
//! depreciated by the job: 500.00 for January (mid-month), 1,000.00 a month after.
//! Cedar: C1 at 900.00 with a 900.00 deposit until June 30th, 300.00 of the deposit kept for
//! the carpet on July 5th and 600.00 refunded; C2 at 1,100.00 all year, March's check bounced
//! (a 75.00 late fee, paid with the rent on the 15th); C3 at 950.00 from August, December unpaid.
//! 25 expenses in 10 accounts, one of them a bill booked in February and paid in March, one
//! split between the buildings. The owner put 20,000.00 in the bank in December 2025.

use e2e::books::wait_source;
use e2e::catalog::account_of;
use e2e::TestApp;
use serde_json::{json, Value};

fn usd(a: &str) -> Value {
    json!({"amount": a, "currency": "USD"})
}

fn amounts(v: &Value, field: &str) -> Vec<String> {
    v.as_array().unwrap().iter().map(|m| m[field]["amount"].as_str().unwrap().to_owned()).collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The 25 expenses: date, account, amount, where (M: Maple, C: Cedar, S: split 200/100).
const SPENDS: [(&str, &str, &str, char); 25] = [
    ("2026-01-10", "5050", "120.00", 'M'),
    ("2026-01-15", "5110", "300.00", 'M'),
    ("2026-01-15", "5110", "250.00", 'C'),
    ("2026-01-20", "5170", "300.00", 'S'),
    ("2026-02-01", "5090", "1200.00", 'B'),
    ("2026-02-10", "5140", "450.00", 'C'),
    ("2026-03-05", "5120", "800.00", 'M'),
    ("2026-03-05", "5120", "600.00", 'C'),
    ("2026-04-12", "5070", "150.00", 'M'),
    ("2026-04-18", "5150", "80.00", 'C'),
    ("2026-05-02", "5140", "1000.00", 'M'),
    ("2026-05-20", "5100", "500.00", 'C'),
    ("2026-06-30", "5160", "2400.00", 'M'),
    ("2026-06-30", "5160", "1800.00", 'C'),
    ("2026-07-08", "5070", "250.00", 'C'),
    ("2026-07-15", "5050", "90.00", 'C'),
    ("2026-08-03", "5140", "320.00", 'C'),
    ("2026-08-25", "5150", "60.00", 'M'),
    ("2026-09-05", "5120", "800.00", 'M'),
    ("2026-09-05", "5120", "600.00", 'C'),
    ("2026-10-10", "5170", "210.00", 'M'),
    ("2026-10-10", "5170", "190.00", 'C'),
    ("2026-11-11", "5140", "275.00", 'M'),
    ("2026-12-01", "5110", "300.00", 'M'),
    ("2026-12-01", "5110", "250.00", 'C'),
];

struct Org<'a> {
    app: &'a TestApp,
    id: String,
    token: String,
}

impl Org<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    async fn get(&self, rest: &str) -> Value {
        self.app.get(&self.path(rest), &self.token).await.expect(200).body
    }

    async fn post(&self, rest: &str, body: Value) -> Value {
        let res = self.app.post(&self.path(rest), &self.token, body).await;
        assert!(res.status < 300, "{rest}: {} {}", res.status, res.body);
        res.body
    }

    async fn keyed(&self, rest: &str, body: Value) -> String {
        self.app.post_keyed(&self.path(rest), &self.token, body).await.expect(201).id()
    }

    async fn pay(&self, lease: &str, amount: &str, on: &str) -> String {
        self.keyed(
            &format!("/leases/{lease}/payments"),
            json!({"amount": usd(amount), "receivedOn": on, "method": "check"}),
        )
        .await
    }

    async fn charge(&self, lease: &str, kind: &str, amount: &str, due: &str) {
        self.keyed(&format!("/leases/{lease}/charges"), json!({"kind": kind, "amount": usd(amount), "dueDate": due}))
            .await;
    }
}

/// The year, driven through the API in date order; answers the org and the last source posted.
async fn golden_year(app: &TestApp) -> (Org<'_>, [String; 2]) {
    let owner = "golden@example.com";
    let id = app.create_org(owner, "Golden Org").await;
    let o = Org { app, id, token: app.token(owner) };
    let maple = app.create_building(&o.id, owner, "Maple").await;
    let cedar = app.create_building(&o.id, owner, "Cedar").await;
    for b in [&maple, &cedar] {
        o.app.patch(&o.path(&format!("/buildings/{b}")), &o.token, json!({"propertyType": 2})).await.expect(200);
    }
    o.app
        .patch(&o.path(&format!("/buildings/{maple}")), &o.token, json!({"marketValue": usd("300000.00")}))
        .await
        .expect(200);
    let mut units = Vec::new();
    for b in [&maple, &cedar] {
        for label in ["1", "2", "3"] {
            units.push(
                o.post(&format!("/buildings/{b}/units"), json!({"label": label})).await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    let lease = |unit: usize, name: &str, start: &str, rent: &str, deposit: Option<&str>| {
        let (o, unit, name, start, rent, deposit) =
            (&o, units[unit].clone(), name.to_owned(), start.to_owned(), rent.to_owned(), deposit.map(usd));
        async move {
            let t = json!({"firstName": name, "lastName": "Golden", "email": format!("{}@example.com", name.to_lowercase())});
            let tenant = o.post("/tenants", t).await["id"].as_str().unwrap().to_owned();
            let mut body =
                json!({"unitId": unit, "tenantIds": [tenant], "startDate": start, "rent": usd(&rent), "dueDay": 1});
            if let Some(d) = deposit {
                body["deposit"] = d;
            }
            let l = o.post("/leases", body).await["id"].as_str().unwrap().to_owned();
            o.post(&format!("/leases/{l}:activate"), json!({})).await;
            l
        }
    };
    let l1 = lease(0, "Ann", "2026-01-01", "1000.00", Some("1000.00")).await;
    let l2 = lease(1, "Ben", "2026-03-15", "1240.00", None).await;
    let l3 = lease(3, "Cat", "2026-01-01", "900.00", Some("900.00")).await;
    let l4 = lease(4, "Dan", "2026-01-01", "1100.00", None).await;
    let l5 = lease(5, "Eve", "2026-08-01", "950.00", None).await;
    o.post(&format!("/leases/{l3}:end"), json!({"moveOutDate": "2026-06-30"})).await;
    o.post(
        "/journal",
        json!({"date": "2025-12-15", "memo": "owner contribution", "lines": [
        {"accountId": account_of(&o.id, "1000"), "debit": usd("20000.00")},
        {"accountId": account_of(&o.id, "3000"), "credit": usd("20000.00")}]}),
    )
    .await;
    o.post("/rent-runs", json!({"throughDate": "2026-12-31"})).await;
    let asset = json!({"buildingId": maple, "name": "Maple building", "cost": usd("330000.00"),
        "placedInService": "2026-01-15", "method": "residential_27_5"});
    o.post("/fixed-assets", asset).await;

    let mut spends = SPENDS.iter().peekable();
    let mut last_expense = String::new();
    for month in 1..=12u32 {
        let first = format!("2026-{month:02}-01");
        // Rent on the 1st: M1 and C2 all year, C1 to June, M2 from April, C3 August to November.
        let mut payers = vec![(&l1, if month == 1 { "2000.00" } else { "1000.00" })];
        if month <= 6 {
            payers.push((&l3, if month == 1 { "1800.00" } else { "900.00" }));
        }
        payers.push((&l4, "1100.00"));
        if (4..=12).contains(&month) {
            payers.push((&l2, if month == 6 { "600.00" } else { "1240.00" }));
        }
        if (8..=11).contains(&month) {
            payers.push((&l5, "950.00"));
        }
        let mut bounced = None;
        for (lease, amount) in payers {
            let id = o.pay(lease, amount, &first).await;
            if month == 3 && lease == &l4 {
                bounced = Some(id);
            }
        }
        if month == 3 {
            let check = bounced.unwrap();
            o.post(&format!("/payments/{check}:reverse"), json!({"reversedOn": "2026-03-05", "reason": "NSF"})).await;
            o.charge(&l4, "late_fee", "75.00", "2026-03-10").await;
            o.pay(&l4, "1175.00", "2026-03-15").await;
            o.pay(&l2, "680.00", "2026-03-15").await;
        }
        if month == 6 {
            o.charge(&l2, "late_fee", "50.00", "2026-06-10").await;
            o.pay(&l2, "690.00", "2026-06-20").await;
        }
        if month == 7 {
            o.post(
                &format!("/leases/{l3}/deposit-settlement"),
                json!({"settledOn": "2026-07-05",
                "deductions": [{"description": "carpet", "amount": usd("300.00")}]}),
            )
            .await;
        }
        while let Some((date, account, amount, at)) = spends.next_if(|s| s.0.starts_with(&format!("2026-{month:02}"))) {
            let mut body = json!({"date": date, "amount": usd(amount), "accountId": account_of(&o.id, account),
                "paidFrom": account_of(&o.id, "1000")});
            match at {
                'M' => body["scope"] = json!({"type": "building", "id": maple}),
                'C' => body["scope"] = json!({"type": "building", "id": cedar}),
                'S' => {
                    body["splits"] = json!([{"buildingId": maple, "amount": usd("200.00")},
                                            {"buildingId": cedar, "amount": usd("100.00")}])
                }
                _ => {
                    body = json!({"date": date, "amount": usd(amount), "accountId": account_of(&o.id, account),
                        "status": "unpaid", "dueDate": "2026-03-01", "scope": {"type": "building", "id": maple}});
                }
            }
            last_expense = o.keyed("/expenses", body).await;
            if *at == 'B' {
                let bill = last_expense.clone();
                o.post(
                    &format!("/expenses/{bill}:pay"),
                    json!({"paidOn": "2026-03-01", "paidFrom": account_of(&o.id, "1000")}),
                )
                .await;
            }
        }
    }
    app.stack.run_job_to_completion("job-depreciation", json!({"runDate": "2026-12-31"})).await.unwrap();
    (o, ["expense".into(), last_expense])
}

#[tokio::test(flavor = "multi_thread")]
async fn the_golden_year_to_the_cent() {
    let app = TestApp::spawn().await;
    let (o, [kind, last]) = golden_year(&app).await;
    wait_source(&app, &o.id, &o.token, (&kind, &last)).await;

    // The P&L on the cash basis, month by month: income, expenses, NOI, net income.
    let cash = o.get("/reports/profit-and-loss?from=2026-01-01&to=2026-12-31").await;
    eprintln!("P&L (cash) 2026: {}", cash["base"]["total"]);
    let months = &cash["base"]["months"];
    assert_eq!(
        amounts(months, "totalIncome"),
        strs(&[
            "3000.00", "3000.00", "3755.00", "4240.00", "4240.00", "4290.00", "3640.00", "4290.00", "4290.00",
            "4290.00", "4290.00", "3340.00"
        ])
    );
    assert_eq!(
        amounts(months, "totalExpenses"),
        strs(&[
            "1470.00", "1450.00", "3600.00", "1230.00", "2500.00", "5200.00", "1340.00", "1380.00", "2400.00",
            "1400.00", "1275.00", "1550.00"
        ])
    );
    assert_eq!(
        amounts(months, "noi"),
        strs(&[
            "2030.00", "2550.00", "2555.00", "4010.00", "2740.00", "90.00", "3300.00", "3910.00", "4290.00", "3890.00",
            "4015.00", "2790.00"
        ])
    );
    assert_eq!(
        amounts(months, "netIncome"),
        strs(&[
            "1530.00", "1550.00", "155.00", "3010.00", "1740.00", "-910.00", "2300.00", "2910.00", "1890.00",
            "2890.00", "3015.00", "1790.00"
        ])
    );
    let total = &cash["base"]["total"];
    let lines = |side: &str| -> Vec<(String, String)> {
        total[side]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["code"].as_str().unwrap().to_owned(), l["amount"]["amount"].as_str().unwrap().to_owned()))
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect::<Vec<_>>();
    assert_eq!(lines("income"), pairs(&[("4000", "46240.00"), ("4100", "125.00"), ("4900", "300.00")]));
    assert_eq!(
        lines("expenses"),
        pairs(&[
            ("5050", "210.00"),
            ("5070", "400.00"),
            ("5090", "1200.00"),
            ("5100", "500.00"),
            ("5110", "1100.00"),
            ("5120", "2800.00"),
            ("5140", "2045.00"),
            ("5150", "140.00"),
            ("5160", "4200.00"),
            ("5170", "700.00"),
            ("5180", "11500.00")
        ])
    );
    assert_eq!(amounts(&json!([total]), "noi"), ["36170.00"]);
    assert_eq!(amounts(&json!([total]), "netIncome"), ["21870.00"]);
    // Accrual: December's unpaid rent is income; the bill is February's.
    let accrual = o.get("/reports/profit-and-loss?from=2026-01-01&to=2026-12-31&basis=accrual").await;
    let a = &accrual["base"];
    assert_eq!(amounts(&json!([&a["total"]]), "totalIncome"), ["47615.00"]);
    assert_eq!(amounts(&json!([&a["total"]]), "netIncome"), ["22820.00"]);
    assert_eq!(amounts(&a["months"], "totalExpenses")[1..3], strs(&["2650.00", "2400.00"]));
    assert_eq!(amounts(&a["months"], "totalIncome")[11], "4290.00");

    // The cash flow: opening + in − out = closing, month by month.
    let flow = o.get("/reports/cash-flow?from=2026-01-01&to=2026-12-31").await;
    let m = &flow["currencies"][0]["months"];
    assert_eq!(amounts(m, "opening")[0], "20000.00");
    assert_eq!(
        amounts(m, "totalIn"),
        strs(&[
            "4900.00", "3000.00", "4855.00", "4240.00", "4240.00", "4290.00", "3340.00", "4290.00", "4290.00",
            "4290.00", "4290.00", "3340.00"
        ])
    );
    assert_eq!(
        amounts(m, "totalOut"),
        strs(&[
            "970.00", "450.00", "3700.00", "230.00", "1500.00", "4200.00", "940.00", "380.00", "1400.00", "400.00",
            "275.00", "550.00"
        ])
    );
    assert_eq!(
        amounts(m, "closing"),
        strs(&[
            "23930.00", "26480.00", "27635.00", "31645.00", "34385.00", "34475.00", "36875.00", "40785.00", "43675.00",
            "47565.00", "51580.00", "54370.00"
        ])
    );

    // NOI per building (cash), the cap rate of Maple (17,675.00 on 300,000.00).
    let noi = o.get("/reports/noi?year=2026").await;
    eprintln!("NOI 2026: {}", noi["buildings"]);
    let rows: Vec<(String, String, Option<String>)> = noi["buildings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_owned(),
                b["total"]["amount"].as_str().unwrap().to_owned(),
                b["capRate"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("Cedar".into(), "18495.00".into(), None), ("Maple".into(), "17675.00".into(), Some("5.89".into()))]
    );
    assert_eq!(amounts(&noi["portfolio"]["months"], "noi"), amounts(months, "noi"));
    let accrual_noi = o.get("/reports/noi?year=2026&basis=accrual").await;
    assert_eq!(accrual_noi["buildings"][0]["total"]["amount"], "19445.00", "Cedar, December's rent charged");

    // Schedule E, lines 3–19 per building, 20, 21 and the totals.
    let sched = o.get("/reports/schedule-e?year=2026").await;
    eprintln!("Schedule E 2026: {}", sched["properties"]);
    let form = |name: &str| -> Vec<String> {
        let p = sched["properties"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap();
        let mut v: Vec<String> =
            p["lines"].as_array().unwrap().iter().map(|l| l["amount"]["amount"].as_str().unwrap().to_owned()).collect();
        v.push(p["totalExpenses"]["amount"].as_str().unwrap().to_owned());
        v.push(p["incomeOrLoss"]["amount"].as_str().unwrap().to_owned());
        v.push(format!("{} days, type {}", p["fairRentalDays"], p["propertyType"]));
        v
    };
    //            3           4       5         6       7         8       9          10        11        12         13      14         15       16         17        18          19      20          21
    assert_eq!(
        form("Maple"),
        strs(&[
            "23890.00",
            "0.00",
            "120.00",
            "0.00",
            "150.00",
            "0.00",
            "1200.00",
            "0.00",
            "600.00",
            "1600.00",
            "0.00",
            "1275.00",
            "60.00",
            "2400.00",
            "410.00",
            "11500.00",
            "0.00",
            "19315.00",
            "4575.00",
            "365 days, type 2"
        ])
    );
    assert_eq!(
        form("Cedar"),
        strs(&[
            "22775.00",
            "0.00",
            "90.00",
            "0.00",
            "250.00",
            "0.00",
            "0.00",
            "500.00",
            "500.00",
            "1200.00",
            "0.00",
            "770.00",
            "80.00",
            "1800.00",
            "290.00",
            "0.00",
            "0.00",
            "5480.00",
            "17295.00",
            "365 days, type 2"
        ])
    );
    let t = &sched["totals"];
    assert_eq!(
        ["rents", "royalties", "mortgageInterest", "depreciation", "totalExpenses"]
            .map(|k| t[k]["amount"].as_str().unwrap().to_owned()),
        ["46665.00", "0.00", "2800.00", "11500.00", "24795.00"].map(str::to_owned)
    );
    assert!(sched["unassigned"].as_array().unwrap().is_empty(), "every amount is a building's");

    // The rent roll on December 31st.
    let roll = o.get("/reports/rent-roll?asOf=2026-12-31").await;
    let got: Vec<String> = roll["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let l = &u["lease"];
            let m = |f: &str| l[f]["amount"].as_str().unwrap_or("-").to_owned();
            format!(
                "{} {} {} {} {} {} {}",
                u["buildingName"].as_str().unwrap(),
                u["label"].as_str().unwrap(),
                u["status"].as_str().unwrap(),
                l["tenants"][0]["name"].as_str().unwrap_or("-"),
                m("rent"),
                m("depositHeld"),
                m("balance")
            )
        })
        .collect();
    assert_eq!(
        got,
        strs(&[
            "Cedar 1 vacant - - - -",
            "Cedar 2 occupied Dan Golden 1100.00 0.00 0.00",
            "Cedar 3 occupied Eve Golden 950.00 0.00 950.00",
            "Maple 1 occupied Ann Golden 1000.00 1000.00 0.00",
            "Maple 2 occupied Ben Golden 1240.00 0.00 0.00",
            "Maple 3 vacant - - - -",
        ])
    );
    let totals = &roll["totals"][0];
    assert_eq!(
        ["rent", "depositsHeld", "balance"].map(|k| totals[k]["amount"].as_str().unwrap().to_owned()),
        ["4290.00", "1000.00", "950.00"].map(str::to_owned)
    );
    assert_eq!((roll["occupied"].as_u64(), roll["vacant"].as_u64()), (Some(4), Some(2)));
}

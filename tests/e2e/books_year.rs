//! A 2026 year of a three-building org through the HTTP API, then every account of the trial
//! balance recomputed by the test on its own — from the terms, amounts and dates it sent, and
//! what it reads back (each lease's ledger, the expense list, the fixed assets' figures) —
//! never from the journal or the posting code, and compared account by account, to the cent,
//! at the year's end and mid-year (where the dates of bills, prepayments and voids show).
//!
//! The year: six leases in three buildings (two starting mid-month, one ending mid-month, one
//! with a deposit); the rent run; a utility, a fee and a rent concession; on-time, late,
//! partial, catch-up and prepaying payments, quarter by quarter, each quarter closed by the
//! late-fee job (flat and percentage policies); forty expenses across fifteen accounts (every
//! Schedule E expense line but depreciation, and a capital improvement) — portfolio, building
//! and unit scopes, exact splits, splits by unit count — paid from two banks; one of them
//! voided; a bill paid a month later; a building and the improvement depreciated by the daily
//! job.

use e2e::books::{trial_balance, Balances};
use e2e::TestApp;
use futures::future::join_all;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const YEAR_END: &str = "2026-12-31";
const OWNER: &str = "year@example.com";

/// Minor units of a decimal string with at most two decimals (`"-1234.5"` → -123450).
fn cents(s: &str) -> i64 {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(frac.len() <= 2, "more than two decimals in {s}");
    let whole: i64 = whole.parse().unwrap_or_else(|_| panic!("not an amount: {s}"));
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().unwrap() };
    let v = whole * 100 + frac;
    if neg {
        -v
    } else {
        v
    }
}

/// `{"amount": "…", "currency": "USD"}` → minor units.
#[track_caller]
fn usd_of(m: &Value) -> i64 {
    assert_eq!(m["currency"], "USD", "{m}");
    cents(m["amount"].as_str().unwrap_or_else(|| panic!("no amount in {m}")))
}

fn dec(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

fn usd(minor: i64) -> Value {
    json!({"amount": dec(minor), "currency": "USD"})
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("not a date: {s}"))
}

fn quarter(date: &str) -> usize {
    (date[5..7].parse::<usize>().unwrap() - 1) / 3
}

/// `round(num / den)`, halves up, for non-negative operands.
fn round_half_up(num: i128, den: i128) -> i64 {
    ((2 * num + den) / (2 * den)) as i64
}

/// What a lease owes month by month through `through`, read from its terms: a calendar month's
/// rent, the first and last months by the days covered (rounded half up), due on the due day,
/// or the first day covered when later, or the last day covered when earlier.
fn rent_schedule(p: &LeasePlan, through: chrono::NaiveDate) -> Vec<(chrono::NaiveDate, i64)> {
    use chrono::{Datelike, NaiveDate};
    let (start, last) = (day(p.start), p.end.map(day));
    let mut out = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap();
    loop {
        let next = month.checked_add_months(chrono::Months::new(1)).unwrap();
        let days = (next - month).num_days();
        let from = start.max(month);
        let to = last.map_or(next.pred_opt().unwrap(), |l| l.min(next.pred_opt().unwrap()));
        if from > to {
            break;
        }
        let due = month.with_day(p.due_day).unwrap().max(from).min(to);
        if due > through {
            break;
        }
        let covered = (to - from).num_days() + 1;
        let amount = if covered == days { p.rent } else { round_half_up(i128::from(p.rent * covered), days.into()) };
        out.push((due, amount));
        month = next;
    }
    out
}

/// `total` split by `weights` with largest remainders (ties to the earlier part).
fn largest_remainder(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] % sum), i));
    let left = total - parts.iter().sum::<i64>();
    for &i in order.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts
}

/// Straight-line depreciation with the mid-month convention through the end of the month
/// `months` after the one placed in service: half a month in that month, a whole one in each
/// after, rounded half up, never beyond the basis (nothing before it is placed in service).
fn cumulative_depreciation(basis: i64, life_months: i64, months: i64) -> i64 {
    if months < 0 {
        return 0;
    }
    round_half_up(i128::from(basis) * i128::from(1 + 2 * months), 2 * i128::from(life_months)).min(basis)
}

#[derive(Clone, Copy)]
enum Act {
    /// A payment: received on, amount.
    Pay(&'static str, i64),
    /// A charge added by hand: kind, amount, due date, memo.
    Charge(&'static str, i64, &'static str, &'static str),
}

impl Act {
    fn date(&self) -> &'static str {
        match self {
            Act::Pay(d, _) | Act::Charge(_, _, d, _) => d,
        }
    }
}

struct LeasePlan {
    /// Building and unit index.
    unit: (usize, usize),
    start: &'static str,
    end: Option<&'static str>,
    rent: i64,
    due_day: u32,
    deposit: Option<i64>,
    /// `(graceDays, flat minor | percent)`.
    late_fee: Option<(u8, Value)>,
    /// In order; each runs in the quarter of its date, before that quarter's late-fee job.
    acts: Vec<Act>,
}

#[derive(Clone, Copy)]
enum To {
    Portfolio,
    Building(usize),
    Unit(usize, usize),
}

#[derive(Clone, Copy)]
enum Scope {
    One(To),
    Exact(&'static [(To, i64)]),
    ByUnits(&'static [usize]),
}

/// An expense: date, amount, account code, scope, paid from (account code), memo.
type Spend = (&'static str, i64, &'static str, Scope, &'static str, &'static str);

const OAK: usize = 0;
const ELM: usize = 1;
const PINE: usize = 2;
/// Units per building: Oak 3, Elm 4, Pine 2.
const UNITS: [usize; 3] = [3, 4, 2];

use Scope::{ByUnits, Exact, One};
use To::{Building as B, Portfolio as P, Unit as U};

const SPENDS: [Spend; 40] = [
    ("2026-01-05", 120_000, "5090", ByUnits(&[OAK, ELM, PINE]), "1000", "property insurance"),
    ("2026-01-12", 35_000, "5050", One(P), "1000", "listing ads"),
    ("2026-01-20", 123_456, "5140", One(U(OAK, 0)), "1000", "water heater"),
    ("2026-01-31", 92_500, "5110", One(B(OAK)), "1000", "management"),
    ("2026-02-03", 48_999, "5170", One(B(ELM)), "1000", "common-area power"),
    (
        "2026-02-14",
        250_000,
        "5120",
        Exact(&[(B(OAK), 100_000), (B(ELM), 100_000), (B(PINE), 50_000)]),
        "1010",
        "mortgage interest Q1",
    ),
    ("2026-02-21", 7_777, "5150", One(U(PINE, 1)), "1000", "light bulbs"),
    ("2026-02-28", 92_500, "5110", One(B(ELM)), "1000", "management"),
    ("2026-03-02", 310_000, "5160", One(B(OAK)), "1010", "property tax, first half"),
    ("2026-03-09", 41_230, "5070", One(B(PINE)), "1000", "spring cleaning"),
    ("2026-03-15", 6_000, "5060", One(P), "1000", "mileage"),
    ("2026-03-31", 92_500, "5110", One(B(PINE)), "1000", "management"),
    ("2026-04-04", 187_525, "5140", Exact(&[(U(ELM, 2), 87_525), (U(ELM, 3), 100_000)]), "1000", "two leaking roofs"),
    ("2026-04-10", 65_000, "5100", One(P), "1000", "accountant"),
    ("2026-04-18", 1_800_000, "1500", One(B(PINE)), "1010", "new boiler"),
    ("2026-04-30", 21_540, "5170", One(B(OAK)), "1000", "water"),
    ("2026-05-05", 12_995, "5150", One(U(ELM, 0)), "1000", "smoke detectors"),
    ("2026-05-14", 54_000, "5140", One(U(OAK, 2)), "1000", "window (entered twice)"),
    ("2026-05-20", 100_001, "5090", ByUnits(&[OAK, PINE]), "1000", "flood rider"),
    ("2026-05-29", 30_000, "5080", One(U(PINE, 0)), "1000", "leasing commission"),
    (
        "2026-06-01",
        250_000,
        "5120",
        Exact(&[(B(OAK), 125_000), (B(ELM), 83_333), (B(PINE), 41_667)]),
        "1010",
        "mortgage interest Q2",
    ),
    ("2026-06-12", 8_888, "5190", One(P), "1000", "bank fees"),
    ("2026-06-22", 73_310, "5070", One(B(ELM)), "1000", "gutters"),
    ("2026-06-30", 24_500, "5130", One(P), "1000", "credit line interest"),
    ("2026-07-03", 142_000, "5140", One(B(ELM)), "1000", "boiler service"),
    ("2026-07-15", 19_900, "5050", One(P), "1000", "listing ads"),
    ("2026-07-31", 31_245, "5170", One(B(PINE)), "1000", "water"),
    ("2026-08-08", 310_000, "5160", One(B(ELM)), "1010", "property tax, second half"),
    ("2026-08-19", 5_620, "5150", One(U(OAK, 1)), "1000", "keys"),
    (
        "2026-08-31",
        97_500,
        "5110",
        Exact(&[(B(OAK), 32_500), (B(ELM), 32_500), (B(PINE), 32_500)]),
        "1000",
        "management",
    ),
    ("2026-09-09", 64_000, "5070", One(U(ELM, 1)), "1000", "move-out cleaning"),
    ("2026-09-23", 15_000, "5060", One(P), "1000", "mileage"),
    ("2026-10-02", 275_000, "5160", One(B(PINE)), "1010", "property tax"),
    ("2026-10-16", 45_555, "5140", One(U(PINE, 1)), "1000", "dishwasher"),
    ("2026-10-30", 110_000, "5100", One(P), "1000", "lawyer"),
    ("2026-11-06", 26_832, "5170", One(B(ELM)), "1000", "common-area power"),
    ("2026-11-20", 9_999, "5190", One(B(OAK)), "1000", "permit"),
    (
        "2026-12-01",
        250_000,
        "5120",
        Exact(&[(B(OAK), 90_000), (B(ELM), 110_000), (B(PINE), 50_000)]),
        "1010",
        "mortgage interest H2",
    ),
    ("2026-12-11", 38_900, "5070", One(B(OAK)), "1000", "snow removal"),
    ("2026-12-30", 42_000, "5140", One(U(ELM, 3)), "1000", "frozen pipe"),
];
/// The expense voided (entered twice).
const VOIDED: usize = 17;

fn leases() -> Vec<LeasePlan> {
    use Act::{Charge, Pay};
    let flat = |grace: u8, minor: i64| Some((grace, json!({"flat": usd(minor)})));
    vec![
        // Oak-0: on time but for February (caught up in March, so March is late: a fee), a water bill.
        LeasePlan {
            unit: (OAK, 0),
            start: "2026-01-01",
            end: None,
            rent: 155_000,
            due_day: 1,
            deposit: None,
            late_fee: flat(5, 5_000),
            acts: vec![
                Pay("2026-01-03", 155_000),
                Pay("2026-03-03", 155_000),
                Charge("utility", 4_550, "2026-04-15", "water, Q1"),
                Pay("2026-04-03", 315_000),
                Pay("2026-04-20", 4_550),
                Pay("2026-05-02", 155_000),
                Pay("2026-06-01", 155_000),
                Pay("2026-07-03", 155_000),
                Pay("2026-08-03", 155_000),
                Pay("2026-09-03", 155_000),
                Pay("2026-10-03", 155_000),
                Pay("2026-11-03", 155_000),
                Pay("2026-12-03", 155_000),
            ],
        },
        // Oak-1: from March 17th (15 of 31 days), a 100.00 concession in May, short in June and
        // nothing in December (5 % fees after 3 days).
        LeasePlan {
            unit: (OAK, 1),
            start: "2026-03-17",
            end: None,
            rent: 180_000,
            due_day: 1,
            deposit: None,
            late_fee: Some((3, json!({"percent": "5"}))),
            acts: vec![
                Pay("2026-03-17", 87_097),
                Pay("2026-04-01", 180_000),
                Charge("credit", 10_000, "2026-05-01", "rent concession"),
                Pay("2026-05-01", 170_000),
                Pay("2026-06-02", 100_000),
                Pay("2026-07-01", 264_000),
                Pay("2026-08-01", 180_000),
                Pay("2026-09-01", 180_000),
                Pay("2026-10-01", 180_000),
                Pay("2026-11-02", 180_000),
            ],
        },
        // Elm-0: from February 10th (19 of 28 days), due on the 5th; 7,000.00 on move-in pays
        // February to June and most of July ahead, then monthly.
        LeasePlan {
            unit: (ELM, 0),
            start: "2026-02-10",
            end: None,
            rent: 123_456,
            due_day: 5,
            deposit: None,
            late_fee: None,
            acts: vec![
                Pay("2026-02-10", 700_000),
                Pay("2026-07-05", 1_054),
                Pay("2026-08-05", 123_456),
                Pay("2026-09-05", 123_456),
                Pay("2026-10-05", 123_456),
                Pay("2026-11-05", 123_456),
                Pay("2026-12-05", 123_456),
            ],
        },
        // Elm-1: a lease ending August 20th (20 of 31 days); pays 1,500.00 of 2,000.00 a month,
        // falls behind (75.00 fees), and pays 2,000.00 once after moving out.
        LeasePlan {
            unit: (ELM, 1),
            start: "2026-01-01",
            end: Some("2026-08-20"),
            rent: 200_000,
            due_day: 1,
            deposit: None,
            late_fee: flat(5, 7_500),
            acts: vec![
                Pay("2026-01-05", 150_000),
                Pay("2026-02-05", 150_000),
                Pay("2026-03-05", 150_000),
                Pay("2026-04-05", 150_000),
                Pay("2026-05-05", 150_000),
                Pay("2026-06-05", 150_000),
                Pay("2026-07-05", 150_000),
                Pay("2026-08-05", 150_000),
                Pay("2026-10-15", 200_000),
            ],
        },
        // Pine-0: from September with a deposit; on December 28th pays December late and January
        // ahead.
        LeasePlan {
            unit: (PINE, 0),
            start: "2026-09-01",
            end: None,
            rent: 210_000,
            due_day: 1,
            deposit: Some(210_000),
            late_fee: None,
            acts: vec![
                Pay("2026-09-01", 420_000),
                Pay("2026-10-01", 210_000),
                Pay("2026-11-02", 210_000),
                Pay("2026-12-28", 420_000),
            ],
        },
        // Pine-1: from June 15th (16 of 30 days), due on the 15th; a key fob.
        LeasePlan {
            unit: (PINE, 1),
            start: "2026-06-15",
            end: None,
            rent: 147_500,
            due_day: 15,
            deposit: None,
            late_fee: None,
            acts: vec![
                Pay("2026-06-15", 78_667),
                Pay("2026-07-15", 147_500),
                Charge("fee", 3_500, "2026-07-20", "key fob"),
                Pay("2026-07-20", 3_500),
                Pay("2026-08-15", 147_500),
                Pay("2026-09-15", 147_500),
                Pay("2026-10-15", 147_500),
                Pay("2026-11-16", 147_500),
                Pay("2026-12-15", 147_500),
            ],
        },
    ]
}

/// The late fees the policies call for, given the payments above and the job at each quarter's
/// end: (lease, due date, amount).
const LATE_FEES: [(usize, &str, i64); 8] = [
    (0, "2026-03-07", 5_000), // March open on March 31st
    (1, "2026-06-05", 4_000), // 5 % of the 800.00 June still owes
    (1, "2026-12-05", 9_000), // 5 % of December
    (3, "2026-03-07", 7_500), // March: 1,500.00 open
    (3, "2026-05-07", 7_500), // May and June open on June 30th
    (3, "2026-06-07", 7_500),
    (3, "2026-07-07", 7_500), // July and August on September 30th
    (3, "2026-08-07", 7_500),
];

struct Org {
    id: String,
    token: String,
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }

    /// Every item of a list, following `nextCursor`.
    async fn all(&self, app: &TestApp, rest: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let sep = if rest.contains('?') { '&' } else { '?' };
            let page_path = match &cursor {
                Some(c) => format!("{rest}{sep}limit=200&cursor={c}"),
                None => format!("{rest}{sep}limit=200"),
            };
            let page = app.get(&self.path(&page_path), &self.token).await.expect(200).body;
            out.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["nextCursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return out,
            }
        }
    }
}

fn add(tb: &mut Balances, code: &str, minor: i64) {
    *tb.entry((code.to_owned(), "USD".to_owned())).or_default() += minor;
}

fn income_account(kind: &str) -> &'static str {
    match kind {
        "rent" | "credit" => "4000",
        "late_fee" => "4100",
        "utility" | "fee" => "4900",
        "deposit" => "2110",
        other => panic!("a charge of kind {other}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2026_year_of_three_buildings_recomputed_independently_matches_the_trial_balance() {
    let started = Instant::now();
    let app = TestApp::spawn().await;
    let id = app.create_org(OWNER, "Three Buildings LLC").await;
    let o = Org { id, token: app.token(OWNER) };
    let (app, o) = (&app, &o);

    // The portfolio: Oak (3 units), Elm (4), Pine (2); a reserve account; two vendors.
    let mut buildings = Vec::new();
    let mut units: Vec<Vec<String>> = Vec::new();
    for (name, n) in ["Oak", "Elm", "Pine"].into_iter().zip(UNITS) {
        let b = app.create_building(&o.id, OWNER, name).await;
        let mut us = Vec::new();
        for i in 0..n {
            let body = json!({"label": format!("{name}-{i}")});
            us.push(app.post(&o.path(&format!("/buildings/{b}/units")), &o.token, body).await.expect(201).id());
        }
        buildings.push(b);
        units.push(us);
    }
    let reserve =
        json!({"code": "1010", "name": "Reserve account", "type": "asset", "subtype": "bank", "currency": "USD"});
    app.post(&o.path("/accounts"), &o.token, reserve).await.expect(201);
    let chart = app.get(&o.path("/accounts"), &o.token).await.expect(200).body["items"].as_array().unwrap().clone();
    let code_of: BTreeMap<String, String> =
        chart.iter().map(|a| (a["id"].as_str().unwrap().to_owned(), a["code"].as_str().unwrap().to_owned())).collect();
    let acct = |code: &str| -> String {
        code_of.iter().find(|(_, c)| c.as_str() == code).unwrap_or_else(|| panic!("no account {code}")).0.clone()
    };
    let mut vendors = Vec::new();
    for name in ["Acme Property Services", "Northside Insurance"] {
        let v = app.post(&o.path("/vendors"), &o.token, json!({"name": name, "kind": "company"})).await;
        vendors.push(v.expect(201).id());
    }

    // The leases, activated, and the year's rent run.
    let plans = leases();
    let mut lease_ids = Vec::new();
    for (n, p) in plans.iter().enumerate() {
        let t = json!({"firstName": "Tenant", "lastName": format!("No{n}"), "email": format!("tenant{n}@example.com")});
        let tenant = app.post(&o.path("/tenants"), &o.token, t).await.expect(201).id();
        let mut body = json!({"unitId": units[p.unit.0][p.unit.1], "tenantIds": [tenant], "startDate": p.start,
                              "rent": usd(p.rent), "dueDay": p.due_day});
        if let Some(e) = p.end {
            body["endDate"] = json!(e);
        }
        if let Some(d) = p.deposit {
            body["deposit"] = usd(d);
        }
        if let Some((grace, rule)) = &p.late_fee {
            let mut policy = rule.clone();
            policy["graceDays"] = json!(grace);
            body["lateFeePolicy"] = policy;
        }
        let lease = app.post(&o.path("/leases"), &o.token, body).await.expect(201).id();
        app.post(&o.path(&format!("/leases/{lease}:activate")), &o.token, json!({})).await.expect(200);
        lease_ids.push(lease);
    }
    let schedules: Vec<Vec<(chrono::NaiveDate, i64)>> = plans.iter().map(|p| rent_schedule(p, day(YEAR_END))).collect();
    let run = app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": YEAR_END})).await.expect(200).body;
    let rent_charges: usize = schedules.iter().map(Vec::len).sum();
    let deposits = plans.iter().filter(|p| p.deposit.is_some()).count();
    assert_eq!(run["chargesCreated"].as_u64(), Some((rent_charges + deposits) as u64), "{run}");

    // Three streams side by side: the year of the leases, the year's spending, the assets.
    // The year, quarter by quarter: each lease's payments and charges in order (the leases side
    // by side), then the late-fee job on the quarter's last day.
    let year = async {
        for (q, run_date) in ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"].into_iter().enumerate() {
            let per_lease = plans.iter().zip(&lease_ids).map(|(p, lease)| async move {
                for act in p.acts.iter().filter(|a| quarter(a.date()) == q) {
                    match *act {
                        Act::Pay(on, minor) => {
                            let body = json!({"amount": usd(minor), "receivedOn": on, "method": "check",
                                              "reference": format!("check of {on}")});
                            app.post_keyed(&o.path(&format!("/leases/{lease}/payments")), &o.token, body)
                                .await
                                .expect(201);
                        }
                        Act::Charge(kind, minor, due, memo) => {
                            let body = json!({"kind": kind, "amount": usd(minor), "dueDate": due, "memo": memo});
                            app.post_keyed(&o.path(&format!("/leases/{lease}/charges")), &o.token, body)
                                .await
                                .expect(201);
                        }
                    }
                }
            });
            join_all(per_lease).await;
            app.stack.run_job_to_completion("job-late-fees", json!({"runDate": run_date})).await.unwrap();
        }
    };

    // Forty expenses (eight at a time) and a bill paid a month later.
    let target = |t: To| -> Value {
        match t {
            P => json!({"type": "portfolio"}),
            B(b) => json!({"type": "building", "id": buildings[b]}),
            U(b, u) => json!({"type": "unit", "id": units[b][u]}),
        }
    };
    let split_part = |t: To, minor: i64| -> Value {
        match t {
            B(b) => json!({"buildingId": buildings[b], "amount": usd(minor)}),
            U(b, u) => json!({"unitId": units[b][u], "amount": usd(minor)}),
            P => json!({"amount": usd(minor)}),
        }
    };
    let bodies: Vec<Value> = SPENDS
        .iter()
        .enumerate()
        .map(|(i, &(date, minor, code, scope, from, memo))| {
            let mut body = json!({"date": date, "amount": usd(minor), "accountId": acct(code),
                                  "paidFrom": acct(from), "memo": memo, "vendorId": vendors[i % 2]});
            match scope {
                One(t) => body["scope"] = target(t),
                Exact(parts) => body["splits"] = parts.iter().map(|&(t, m)| split_part(t, m)).collect(),
                ByUnits(bs) => {
                    body["split"] =
                        json!({"by": "units", "buildingIds": bs.iter().map(|&b| &buildings[b]).collect::<Vec<_>>()})
                }
            }
            body
        })
        .collect();
    let spending = async {
        let (mut created, expenses_path): (Vec<Value>, String) = (Vec::new(), o.path("/expenses"));
        for chunk in bodies.chunks(8) {
            let calls = chunk.iter().map(|b| app.post_keyed(&expenses_path, &o.token, b.clone()));
            created.extend(join_all(calls).await.into_iter().map(|r| r.expect(201).body));
        }
        let bill = json!({"date": "2026-06-10", "amount": usd(480_000), "accountId": acct("5090"), "status": "unpaid",
                          "dueDate": "2026-07-10", "scope": target(B(ELM)), "vendorId": vendors[1], "memo": "umbrella policy"});
        let bill = app.post_keyed(&expenses_path, &o.token, bill).await.expect(201).id();
        let paid = json!({"paidOn": "2026-07-08", "paidFrom": acct("1000")});
        app.post(&o.path(&format!("/expenses/{bill}:pay")), &o.token, paid).await.expect(200);
        (created, bill)
    };

    // The Oak building (275,000.00 depreciable) and the Pine boiler, depreciated by the job.
    let depreciate = async {
        let building = json!({"buildingId": buildings[OAK], "name": "Oak building", "cost": usd(40_000_000),
                              "landValue": usd(12_500_000), "placedInService": "2026-03-10", "method": "residential_27_5"});
        app.post(&o.path("/fixed-assets"), &o.token, building).await.expect(201);
        let boiler = json!({"buildingId": buildings[PINE], "name": "Pine boiler", "cost": usd(1_800_000),
                            "placedInService": "2026-04-18", "method": "straight_line", "lifeYears": 7});
        app.post(&o.path("/fixed-assets"), &o.token, boiler).await.expect(201);
        app.stack.run_job_to_completion("job-depreciation", json!({"runDate": YEAR_END})).await.unwrap();
    };
    let ((), (created, bill), ()) = futures::join!(year, spending, depreciate);
    for (i, &(_, minor, _, scope, _, _)) in SPENDS.iter().enumerate() {
        if let ByUnits(bs) = scope {
            let weights: Vec<i64> = bs.iter().map(|&b| UNITS[b] as i64).collect();
            let got: Vec<i64> = created[i]["splits"].as_array().unwrap().iter().map(|s| usd_of(&s["amount"])).collect();
            assert_eq!(got, largest_remainder(minor, &weights), "expense {i} split by unit count");
        }
    }
    // Last, the void (an expense entered twice): the year's last money event.
    let voided = created[VOIDED]["id"].as_str().unwrap().to_owned();
    let void = json!({"reason": "entered twice"});
    let voided_on = app.post(&o.path(&format!("/expenses/{voided}:void")), &o.token, void).await.expect(200).body;
    assert_eq!(voided_on["status"], "void");

    // ---- The recomputation, account by account, from the sources alone. ----
    // The expenses and assets as read back are what was sent.
    let listed = o.all(app, "/expenses").await;
    assert_eq!(listed.len(), SPENDS.len() + 1, "forty expenses and the bill");
    let sent_ids: Vec<&str> = created.iter().map(|e| e["id"].as_str().unwrap()).collect();
    for e in &listed {
        let id = e["id"].as_str().unwrap();
        let (date, minor) = (e["date"].as_str().unwrap(), usd_of(&e["amount"]));
        let code = code_of[e["accountId"].as_str().unwrap()].as_str();
        match sent_ids.iter().position(|s| *s == id) {
            Some(i) => {
                let (d, m, c, _, from, _) = SPENDS[i];
                assert_eq!((date, minor, code, code_of[e["paidFrom"].as_str().unwrap()].as_str()), (d, m, c, from));
                let parts: i64 = e["splits"].as_array().map_or(minor, |s| s.iter().map(|p| usd_of(&p["amount"])).sum());
                assert_eq!(parts, minor, "the parts of {id} add up");
            }
            None => assert_eq!((id, date, minor, code), (bill.as_str(), "2026-06-10", 480_000, "5090")),
        }
        assert_eq!(e["status"] == "void", id == voided, "only {voided} is void: {e}");
    }
    let assets =
        app.get(&o.path("/fixed-assets"), &o.token).await.expect(200).body["items"].as_array().unwrap().clone();
    assert_eq!(assets.len(), 2);
    assert!(assets.iter().all(|a| a["depreciatedThrough"] == "2026-12"), "{assets:?}");
    let building_of = |unit: &str| units.iter().position(|us| us.iter().any(|u| u == unit)).expect("our unit");
    let building_index = |b: &str| buildings.iter().position(|x| x == b).expect("our building");

    // Every account as of `as_of` (a month's last day), and each expense account per building.
    let recompute = async |as_of: &str| -> Recomputed {
        let mut want = Balances::new();
        // Cash-basis income by account: what money (a payment, the deposit, a credit) paid of each
        // charge, by its kind; money not yet applied is rent received ahead.
        let mut cash_income = BTreeMap::<String, i64>::new();

        // Leases: each ledger as of the day, checked against the terms and payments sent.
        let ledgers = join_all(lease_ids.iter().map(|l| async move {
            app.get(&o.path(&format!("/leases/{l}/ledger?asOf={as_of}")), &o.token).await.expect(200).body
        }))
        .await;
        let (mut fees_seen, mut by_kind) = (Vec::new(), BTreeMap::<String, i64>::new());
        let (mut receivable, mut unapplied, mut held) = (0, 0, 0);
        for (n, (p, ledger)) in plans.iter().zip(&ledgers).enumerate() {
            let entries = ledger["entries"].as_array().unwrap();
            let of = |t: &'static str| entries.iter().filter(move |e| e["type"] == t);
            let other: Vec<&Value> = entries
                .iter()
                .filter(|e| !["charge", "payment", "allocation"].contains(&e["type"].as_str().unwrap()))
                .collect();
            assert!(other.is_empty(), "lease {n}: no voids, reversals or refunds this year: {other:?}");
            // Its rent is what the terms say, the deposit once, the other charges as sent.
            let rent: Vec<(chrono::NaiveDate, i64)> = of("charge")
                .filter(|e| e["kind"] == "rent")
                .map(|e| (day(e["date"].as_str().unwrap()), usd_of(&e["amount"])))
                .collect();
            assert_eq!(rent, rent_schedule(p, day(as_of)), "lease {n}: rent by its terms as of {as_of}");
            let deposit: Vec<i64> =
                of("charge").filter(|e| e["kind"] == "deposit").map(|e| usd_of(&e["amount"])).collect();
            let deposit_sent: Vec<i64> = p.deposit.filter(|_| p.start <= as_of).into_iter().collect();
            assert_eq!(deposit, deposit_sent, "lease {n}: deposit as of {as_of}");
            let by_hand: Vec<(&str, i64, &str)> = of("charge")
                .filter(|e| ["utility", "fee", "credit"].contains(&e["kind"].as_str().unwrap()))
                .map(|e| (e["kind"].as_str().unwrap(), usd_of(&e["amount"]), e["date"].as_str().unwrap()))
                .collect();
            let sent: Vec<(&str, i64, &str)> = p
                .acts
                .iter()
                .filter_map(|a| match *a {
                    Act::Charge(k, m, due, _) if due <= as_of => Some((k, if k == "credit" { -m } else { m }, due)),
                    _ => None,
                })
                .collect();
            assert_eq!(by_hand, sent, "lease {n}: charges by hand as of {as_of}");
            fees_seen.extend(
                of("charge")
                    .filter(|e| e["kind"] == "late_fee")
                    .map(|e| (n, e["date"].as_str().unwrap().to_owned(), usd_of(&e["amount"]))),
            );
            // Its payments are the ones sent.
            let mut paid: Vec<(String, i64)> =
                of("payment").map(|e| (e["date"].as_str().unwrap().to_owned(), usd_of(&e["amount"]))).collect();
            let mut sent: Vec<(String, i64)> = p
                .acts
                .iter()
                .filter_map(|a| match *a {
                    Act::Pay(on, m) if on <= as_of => Some((on.to_owned(), m)),
                    _ => None,
                })
                .collect();
            paid.sort();
            sent.sort();
            assert_eq!(paid, sent, "lease {n}: payments as of {as_of}");
            // Owed, unapplied and held, from the entries: the charges less what payments (or the
            // deposit) paid of them; the payments less what they paid; the deposits paid in.
            let charged: i64 = of("charge").map(|e| usd_of(&e["amount"])).sum();
            let alloc = |source: &'static str| of("allocation").filter(move |e| e["source"] == source);
            let from_payments: i64 = alloc("payment").map(|e| usd_of(&e["amount"])).sum();
            let from_deposit: i64 = alloc("deposit").map(|e| usd_of(&e["amount"])).sum();
            let to_deposits: i64 =
                of("allocation").filter(|e| e["kind"] == "deposit").map(|e| usd_of(&e["amount"])).sum();
            let received: i64 = sent.iter().map(|(_, m)| m).sum();
            let owed = charged - from_payments - from_deposit;
            assert_eq!(
                (owed, received - from_payments, to_deposits - from_deposit),
                (usd_of(&ledger["balance"]), usd_of(&ledger["unapplied"]), usd_of(&ledger["deposit"])),
                "lease {n}: the ledger's own totals as of {as_of}"
            );
            for a in of("allocation").filter(|a| a["kind"] != "deposit") {
                let m = usd_of(&a["amount"]);
                *cash_income.entry(income_account(a["kind"].as_str().unwrap()).to_owned()).or_default() += m;
                if a["source"] == "credit" {
                    *cash_income.entry("4000".to_owned()).or_default() -= m;
                }
            }
            *cash_income.entry("4000".to_owned()).or_default() += received - from_payments;
            receivable += owed;
            unapplied += received - from_payments;
            held += to_deposits - from_deposit;
            for e in of("charge") {
                *by_kind.entry(e["kind"].as_str().unwrap().to_owned()).or_default() += usd_of(&e["amount"]);
            }
            // A deposit charged waits in Security deposits due (its charge, below) until paid in.
            add(&mut want, "2110", to_deposits);
            add(&mut want, "1050", received);
        }
        let mut fees_want: Vec<(usize, String, i64)> =
            LATE_FEES.iter().filter(|f| f.1 <= as_of).map(|&(n, d, m)| (n, d.to_owned(), m)).collect();
        fees_want.sort();
        fees_seen.sort();
        assert_eq!(fees_seen, fees_want, "the late fees the policies call for, as of {as_of}");
        add(&mut want, "1200", receivable);
        add(&mut want, "2200", -unapplied);
        add(&mut want, "2100", -held);
        for (kind, total) in &by_kind {
            add(&mut want, income_account(kind), -total);
        }

        // Expenses: each counts from its date unless voided by the day; a bill is owed from its
        // date until paid; the money leaves the account it was paid from.
        let mut per_building: BTreeMap<(String, usize), i64> = BTreeMap::new();
        for e in &listed {
            let (date, minor) = (e["date"].as_str().unwrap(), usd_of(&e["amount"]));
            let code = code_of[e["accountId"].as_str().unwrap()].as_str();
            let void_by_then = e["status"] == "void" && e["voidedOn"].as_str().is_some_and(|v| v <= as_of);
            if date > as_of || void_by_then {
                continue;
            }
            add(&mut want, code, minor);
            let paid_on = e["paidOn"].as_str().filter(|p| *p <= as_of);
            let paid_from = e["paidFrom"].as_str().map(|a| code_of[a].as_str());
            if e["dueDate"].is_string() {
                add(&mut want, "2000", -minor);
                if let (Some(_), Some(bank)) = (paid_on, paid_from) {
                    add(&mut want, "2000", minor);
                    add(&mut want, bank, -minor);
                }
            } else {
                add(&mut want, paid_from.expect("a paid expense names its bank"), -minor);
            }
            // Where it was spent: each part's building (a unit's building for a unit).
            let parts: Vec<(Option<usize>, i64)> = match e["splits"].as_array() {
                Some(splits) => splits
                    .iter()
                    .map(|p| {
                        let b = match (p["buildingId"].as_str(), p["unitId"].as_str()) {
                            (_, Some(u)) => Some(building_of(u)),
                            (Some(b), None) => Some(building_index(b)),
                            (None, None) => None,
                        };
                        (b, usd_of(&p["amount"]))
                    })
                    .collect(),
                None => match (e["scope"]["type"].as_str(), e["scope"]["id"].as_str()) {
                    (Some("building"), Some(b)) => vec![(Some(building_index(b)), minor)],
                    (Some("unit"), Some(u)) => vec![(Some(building_of(u)), minor)],
                    _ => vec![(None, minor)],
                },
            };
            for (b, m) in parts.into_iter().filter_map(|(b, m)| Some((b?, m))) {
                *per_building.entry((code.to_owned(), b)).or_default() += m;
            }
        }

        // Depreciation: each asset's ended months in service, each the change of the rounded
        // cumulative total.
        for a in &assets {
            let basis = usd_of(&a["basis"]);
            let life = match a["method"].as_str().unwrap() {
                "residential_27_5" => 330,
                "commercial_39" => 468,
                _ => a["lifeYears"].as_i64().unwrap() * 12,
            };
            let placed = a["placedInService"].as_str().unwrap();
            assert!(placed.starts_with("2026-") && as_of.starts_with("2026-"), "{a}");
            let in_service = as_of[5..7].parse::<i64>().unwrap() - placed[5..7].parse::<i64>().unwrap();
            let months: i64 = (0..=in_service)
                .map(|k| cumulative_depreciation(basis, life, k) - cumulative_depreciation(basis, life, k - 1))
                .sum();
            add(&mut want, "5180", months);
            add(&mut want, "1510", -months);
        }
        want.retain(|_, v| *v != 0);
        cash_income.retain(|_, v| *v != 0);
        (want, per_building, cash_income)
    };
    let usd_key = |code: &str| (code.to_owned(), "USD".to_owned());
    let (want, per_building, cash_income) = recompute(YEAR_END).await;
    assert_eq!(
        want.get(&usd_key("5180")),
        Some(&(791_667 + 182_143)),
        "7,916.67 for Oak (9.5 of 330 months), 1,821.43 for the boiler (8.5 of 84)"
    );

    // The trial balance, once the poster has caught up: equal account by account. The poster
    // posts in order (one FIFO group per org): once the void — the year's last event — shows in
    // the Repairs register (a light read, unlike the trial balance), everything before it is
    // posted too.
    let register = |code: &str, building: Option<usize>| {
        let only = building.map_or(String::new(), |b| format!("&buildingId={}", buildings[b]));
        o.path(&format!("/accounts/{}/register?from=2026-01-01&to={YEAR_END}{only}", acct(code)))
    };
    let closing = async |path: &str| {
        let reg = app.get(path, &o.token).await.expect(200).body;
        reg["closing"].as_array().and_then(|c| c.first()).map_or(0, usd_of)
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    let want_repairs = want.get(&usd_key("5140")).copied().unwrap_or(0);
    while closing(&register("5140", None)).await != want_repairs && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let (tb, raw) = loop {
        let (tb, raw) = trial_balance(app, &o.id, &o.token, YEAR_END).await;
        if tb == want || Instant::now() > deadline {
            break (tb, raw);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    show(YEAR_END, &want, &tb);
    assert_eq!(tb, want, "the trial balance as of {YEAR_END} (left) vs the recomputation (right), net debits");
    assert_eq!(raw["balanced"], true, "{raw}");
    assert_eq!(want.values().sum::<i64>(), 0, "the recomputation balances on its own");
    let verify = app.get(&o.path("/books/verify"), &o.token).await.expect(200).body;
    assert_eq!(verify["ok"], true, "{verify}");

    // Per building, for Repairs (unit scopes, a split across units, the void) and Insurance
    // (splits by unit count, the bill): the registers hold each building's parts.
    for code in ["5140", "5090"] {
        for b in [OAK, ELM, PINE] {
            let want_b = per_building.get(&(code.to_owned(), b)).copied().unwrap_or(0);
            assert_eq!(closing(&register(code, Some(b))).await, want_b, "{code} of building {b}");
        }
    }

    // Mid-year the dates matter: the bill is owed, rent is prepaid for months not yet due, the
    // expense voided in December still counts, half a year of depreciation.
    let (mid, _, mid_cash) = recompute("2026-06-30").await;
    assert_eq!(mid.get(&usd_key("2000")), Some(&-480_000), "the bill is owed on June 30th");
    assert!(mid.get(&usd_key("2200")).is_some_and(|v| *v < 0), "rent paid ahead on June 30th: {mid:?}");
    let (tb_mid, raw_mid) = trial_balance(app, &o.id, &o.token, "2026-06-30").await;
    show("2026-06-30", &mid, &tb_mid);
    assert_eq!(tb_mid, mid, "the trial balance as of 2026-06-30 (left) vs the recomputation (right)");
    assert_eq!(raw_mid["balanced"], true, "{raw_mid}");
    eprintln!("a year of books in {:?}", started.elapsed());
    reports_agree(app, o, (&want, &per_building, &cash_income), &buildings).await;
    // Mid-year on the cash basis: the June bill is not an expense yet, rent paid ahead is.
    let half = pnl_accounts(app, o, "from=2026-01-01&to=2026-06-30").await;
    let mut half_want: BTreeMap<String, i64> = mid
        .iter()
        .filter(|((c, _), _)| c.starts_with('5'))
        .map(|((c, _), v)| (c.clone(), *v))
        .chain(mid_cash.iter().map(|(c, v)| (c.clone(), *v)))
        .collect();
    *half_want.get_mut("5090").unwrap() -= 480_000;
    half_want.retain(|_, v| *v != 0);
    assert_eq!(half, half_want, "the cash-basis P&L of January–June (left) vs the recomputation (right)");

    // The year's journal deleted and re-posted from its sources: the same entries and hashes.
    let started = std::time::Instant::now();
    e2e::books::assert_rebuild_reproduces_the_books(app, &o.id, &o.token).await;
    eprintln!("deleted and rebuilt from the sources in {:?}", started.elapsed());
}

/// Each expense account per (code, building index).
type PerBuilding = BTreeMap<(String, usize), i64>;

/// Every account, each expense account per building, cash-basis income per account.
type Recomputed = (Balances, PerBuilding, BTreeMap<String, i64>);

/// The P&L's base total per account (income and expenses alike, as the report signs them).
async fn pnl_accounts(app: &TestApp, o: &Org, query: &str) -> BTreeMap<String, i64> {
    let r = app.get(&o.path(&format!("/reports/profit-and-loss?{query}")), &o.token).await.expect(200).body;
    let total = &r["base"]["total"];
    let lines = total["income"].as_array().unwrap().iter().chain(total["expenses"].as_array().unwrap());
    lines.map(|l| (l["code"].as_str().unwrap().to_owned(), usd_of(&l["amount"]))).collect()
}

/// The year's reports against the recomputation: the accrual P&L is the trial balance's income
/// and expense accounts, the cash basis what the ledgers say money paid; Schedule E's lines add
/// up to the accounts mapped to them and each building carries its parts; NOI per building adds
/// up to the portfolio's.
async fn reports_agree(
    app: &TestApp,
    o: &Org,
    (want, per_building, cash_income): (&Balances, &PerBuilding, &BTreeMap<String, i64>),
    buildings: &[String],
) {
    let year = "from=2026-01-01&to=2026-12-31";
    let pnl_want: BTreeMap<String, i64> = want
        .iter()
        .filter(|((c, _), _)| c.starts_with('4') || c.starts_with('5'))
        .map(|((c, _), v)| (c.clone(), if c.starts_with('4') { -v } else { *v }))
        .collect();
    assert_eq!(pnl_accounts(app, o, &format!("{year}&basis=accrual")).await, pnl_want, "the accrual P&L of 2026");
    let cash = pnl_accounts(app, o, year).await;
    let cash_want: BTreeMap<String, i64> = pnl_want
        .iter()
        .filter(|(c, _)| c.starts_with('5'))
        .map(|(c, v)| (c.clone(), *v))
        .chain(cash_income.iter().map(|(c, v)| (c.clone(), *v)))
        .collect();
    assert_eq!(cash, cash_want, "the cash-basis P&L of 2026 (left) vs what the ledgers say money paid (right)");
    // Schedule E on the accrual basis: line by line over the properties and the unassigned.
    let sched = app.get(&o.path("/reports/schedule-e?year=2026&basis=accrual"), &o.token).await.expect(200).body;
    let mut by_line = BTreeMap::<String, i64>::new();
    let properties = sched["properties"].as_array().unwrap();
    let lines =
        properties.iter().flat_map(|p| p["lines"].as_array().unwrap()).chain(sched["unassigned"].as_array().unwrap());
    for l in lines {
        *by_line.entry(l["line"].as_str().unwrap().to_owned()).or_default() += usd_of(&l["amount"]);
    }
    // The seeded chart: income on line 3, expense 50n0 on line n (5050 Advertising: line 5).
    let line_of = |code: &str| match code {
        "4000" | "4100" | "4900" => "3".to_owned(),
        c => ((c.parse::<i64>().unwrap() - 5000) / 10).to_string(),
    };
    let mut by_line_want = BTreeMap::<String, i64>::new();
    for (c, v) in &pnl_want {
        *by_line_want.entry(line_of(c)).or_default() += v;
    }
    by_line.retain(|_, v| *v != 0);
    assert_eq!(by_line, by_line_want, "Schedule E's lines 3–19 over every property and the unassigned");
    for (i, b) in buildings.iter().enumerate() {
        let p = properties.iter().find(|p| p["buildingId"] == b.as_str()).expect("every building is on the form");
        for code in ["5140", "5090"] {
            let line = p["lines"].as_array().unwrap().iter().find(|l| l["line"] == line_of(code)).unwrap();
            let of_code = line["accounts"].as_array().unwrap().iter().find(|a| a["code"] == code);
            let got = of_code.map_or(0, |a| usd_of(&a["amount"]));
            assert_eq!(got, per_building.get(&(code.to_owned(), i)).copied().unwrap_or(0), "{code} of building {i}");
        }
        let (expenses, net) = (usd_of(&p["totalExpenses"]), usd_of(&p["incomeOrLoss"]));
        let income: i64 = p["lines"].as_array().unwrap()[..2].iter().map(|l| usd_of(&l["amount"])).sum();
        assert_eq!((income - expenses, p["loss"].as_bool()), (net, Some(net < 0)), "lines 20, 21 of {b}");
        assert!(p["fairRentalDays"].as_u64().unwrap() > 0, "{p}");
    }
    let total_expenses: i64 = properties.iter().map(|p| usd_of(&p["totalExpenses"])).sum();
    assert_eq!(usd_of(&sched["totals"]["totalExpenses"]), total_expenses, "23e");
    // NOI: the buildings and the unassigned add up to the portfolio, which is the P&L's.
    let noi = app.get(&o.path("/reports/noi?year=2026&basis=accrual"), &o.token).await.expect(200).body;
    let parts: i64 = noi["buildings"].as_array().unwrap().iter().map(|b| usd_of(&b["total"])).sum::<i64>()
        + usd_of(&noi["unassigned"]["total"]);
    let pnl =
        app.get(&o.path(&format!("/reports/profit-and-loss?{year}&basis=accrual")), &o.token).await.expect(200).body;
    assert_eq!((parts, usd_of(&noi["portfolio"]["total"])), (usd_of(&pnl["base"]["total"]["noi"]), parts));
}

/// The recomputation and the books side by side, the accounts that differ marked.
fn show(as_of: &str, want: &Balances, got: &Balances) {
    let codes: std::collections::BTreeSet<&(String, String)> = got.keys().chain(want.keys()).collect();
    eprintln!("as of {as_of}\n{:<6} {:>14} {:>14}", "code", "recomputed", "books");
    for k in codes {
        let (w, g) = (want.get(k).copied().unwrap_or(0), got.get(k).copied().unwrap_or(0));
        eprintln!("{:<6} {:>14} {:>14}{}", k.0, dec(w), dec(g), if w == g { "" } else { "   <-- differs" });
    }
}

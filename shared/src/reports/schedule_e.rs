//! Schedule E (Form 1040) Part I per building for a tax year (pure; REFERENCE §D): the address
//! (1a), the property type (1b), fair rental days (2, from the leases), lines 3–19 with the
//! accounts behind each, line 20 (total expenses) and 21 (income or loss, a loss flagged: line
//! 22 needs Form 8582 and is not computed), and the totals 23a–e over the properties.
//!
//! Every income and expense account names its line (the chart enforces it), so nothing drops
//! off: an account on `none` is listed under `notReported`, and what no building carries (a
//! portfolio-wide expense) under `unassigned`, for the preparer to allocate. Deposits and loan
//! principal are balance-sheet accounts and never reach the form; a deposit kept at move-out is
//! income when kept. Figures are in the base currency, on the cash basis unless asked.

use super::pnl::{base_value, month_end, month_start, recognized, Basis};
use crate::books::chart::AccountType;
use crate::books::model::{Account, EntryRecord};
use crate::money::{Currency, Money, MoneyDto};
use crate::properties::model::{Address, Building};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The form's wording of lines 3–19.
pub const LINES: [(u8, &str); 17] = [
    (3, "Rents received"),
    (4, "Royalties received"),
    (5, "Advertising"),
    (6, "Auto and travel"),
    (7, "Cleaning and maintenance"),
    (8, "Commissions"),
    (9, "Insurance"),
    (10, "Legal and other professional fees"),
    (11, "Management fees"),
    (12, "Mortgage interest paid to banks, etc."),
    (13, "Other interest"),
    (14, "Repairs"),
    (15, "Supplies"),
    (16, "Taxes"),
    (17, "Utilities"),
    (18, "Depreciation expense or depletion"),
    (19, "Other"),
];

/// `GET …/reports/schedule-e`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleE {
    pub year: i32,
    pub basis: Basis,
    #[schema(value_type = String, example = "USD")]
    pub currency: String,
    pub properties: Vec<ScheduleEProperty>,
    /// Income and expenses no building carries: to be allocated to the properties.
    pub unassigned: Vec<ScheduleELine>,
    /// Accounts mapped to no line (`scheduleE: none`), with their amounts.
    pub not_reported: Vec<ScheduleEAccount>,
    pub totals: ScheduleETotals,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleEProperty {
    pub building_id: String,
    pub name: String,
    /// Line 1a.
    pub address: Address,
    /// Line 1b (1–8); absent until the building's `propertyType` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property_type: Option<u8>,
    /// Line 2: days of the year at least one unit was let.
    pub fair_rental_days: u32,
    /// Lines 3–19, each with the accounts behind it.
    pub lines: Vec<ScheduleELine>,
    /// Line 20: lines 5 through 19.
    pub total_expenses: MoneyDto,
    /// Line 21: lines 3 and 4 less line 20.
    pub income_or_loss: MoneyDto,
    /// Line 21 is a loss (see Form 6198 and 8582 for line 22).
    pub loss: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleELine {
    /// `"3"`–`"19"`.
    pub line: String,
    pub name: String,
    pub amount: MoneyDto,
    pub accounts: Vec<ScheduleEAccount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleEAccount {
    pub code: String,
    pub name: String,
    pub amount: MoneyDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleETotals {
    /// 23a: line 3 of all properties.
    pub rents: MoneyDto,
    /// 23b: line 4.
    pub royalties: MoneyDto,
    /// 23c: line 12.
    pub mortgage_interest: MoneyDto,
    /// 23d: line 18.
    pub depreciation: MoneyDto,
    /// 23e: line 20.
    pub total_expenses: MoneyDto,
}

/// One property's (or the unassigned) amounts: line → account code → form-signed amount.
type ByLine = BTreeMap<u8, BTreeMap<String, i64>>;

fn line_of(a: &Account) -> Option<u8> {
    a.schedule_e.as_deref().and_then(|l| l.parse().ok())
}

fn lines(c: Currency, by_line: &ByLine, chart: &BTreeMap<String, Account>) -> Vec<ScheduleELine> {
    let money = |v: i64| MoneyDto::from(Money::new(v, c));
    let empty = BTreeMap::new();
    LINES
        .iter()
        .map(|(n, name)| {
            let accounts = by_line.get(n).unwrap_or(&empty);
            ScheduleELine {
                line: n.to_string(),
                name: (*name).to_owned(),
                amount: money(accounts.values().sum()),
                accounts: accounts
                    .iter()
                    .map(|(code, v)| ScheduleEAccount {
                        code: code.clone(),
                        name: chart.get(code).map_or_else(|| code.clone(), |a| a.name.clone()),
                        amount: money(*v),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn line_total(by_line: &ByLine, range: std::ops::RangeInclusive<u8>) -> i64 {
    by_line.iter().filter(|(n, _)| range.contains(n)).flat_map(|(_, a)| a.values()).sum()
}

/// One building's form, its line 3, 4, 12, 18 and 20 added to `totals` (23a–e).
fn property(
    (b, days): (&Building, u32),
    by_line: &ByLine,
    chart: &BTreeMap<String, Account>,
    base: Currency,
    totals: &mut [i64; 5],
) -> ScheduleEProperty {
    let money = |v: i64| MoneyDto::from(Money::new(v, base));
    let expenses = line_total(by_line, 5..=19);
    let net = line_total(by_line, 3..=4) - expenses;
    let these = [
        line_total(by_line, 3..=3),
        line_total(by_line, 4..=4),
        line_total(by_line, 12..=12),
        line_total(by_line, 18..=18),
        expenses,
    ];
    for (t, v) in totals.iter_mut().zip(these) {
        *t += v;
    }
    ScheduleEProperty {
        building_id: b.id.to_string(),
        name: b.name.clone(),
        address: b.address.clone(),
        property_type: b.facts.property_type,
        fair_rental_days: days,
        lines: lines(base, by_line, chart),
        total_expenses: money(expenses),
        income_or_loss: money(net),
        loss: net < 0,
    }
}

/// Schedule E of `year` for `buildings` (in their order) with their fair rental days.
pub fn schedule_e(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (year, basis): (i32, Basis),
    buildings: &[(Building, u32)],
    base: Currency,
) -> ScheduleE {
    let span = (month_start((year, 1)), month_end((year, 12)));
    let amounts = recognized(entries, chart, basis, span, |l| base_value(l, base).map(|v| (l.building_id.clone(), v)));
    let mut per: BTreeMap<Option<String>, ByLine> = BTreeMap::new();
    let mut not_reported: BTreeMap<String, i64> = BTreeMap::new();
    for ((b, _, code), v) in &amounts {
        let Some(a) = chart.get(code) else { continue };
        let v = if a.type_ == AccountType::Income { -v } else { *v };
        match line_of(a) {
            Some(n) => *per.entry(b.clone()).or_default().entry(n).or_default().entry(code.clone()).or_default() += v,
            None => *not_reported.entry(code.clone()).or_default() += v,
        }
    }
    let money = |v: i64| MoneyDto::from(Money::new(v, base));
    let empty = ByLine::new();
    let mut totals = [0i64; 5];
    let properties = buildings
        .iter()
        .map(|(b, days)| {
            property((b, *days), per.get(&Some(b.id.to_string())).unwrap_or(&empty), chart, base, &mut totals)
        })
        .collect();
    let unassigned = per.get(&None).map(|l| lines(base, l, chart)).unwrap_or_default();
    ScheduleE {
        year,
        basis,
        currency: base.code().to_owned(),
        properties,
        unassigned: unassigned.into_iter().filter(|l| !l.accounts.is_empty()).collect(),
        not_reported: not_reported
            .into_iter()
            .filter(|(_, v)| *v != 0)
            .map(|(code, v)| ScheduleEAccount {
                name: chart.get(&code).map_or_else(|| code.clone(), |a| a.name.clone()),
                code,
                amount: money(v),
            })
            .collect(),
        totals: ScheduleETotals {
            rents: money(totals[0]),
            royalties: money(totals[1]),
            mortgage_interest: money(totals[2]),
            depreciation: money(totals[3]),
            total_expenses: money(totals[4]),
        },
    }
}

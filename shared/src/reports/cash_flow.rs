//! The cash-flow report: per month and currency, the cash the org (or one property) held at the
//! start, what came in and went out by the account on the other side, and what it held at the
//! end. Cash is every bank, cash and clearing account (Operating, Undeposited funds, Stripe
//! clearing, a custom bank account); moving money between them is neither in nor out.
//!
//! Exact by construction: each entry's cash movement (of the property's lines, when one is asked
//! for) is attributed to the entry's other lines; what they do not explain (a manual entry whose
//! lines are tagged to different properties) is shown as `unallocated`, so opening + in − out =
//! closing always holds.

use crate::books::chart::AccountSubtype;
use crate::books::model::{Account, EntryRecord, LineRecord};
use crate::money::{Currency, Money, MoneyDto};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What a line's amount is classified under when no other line explains it.
pub const UNALLOCATED: &str = "unallocated";

/// `GET …/reports/cash-flow`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashFlow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    /// One section per currency the cash accounts hold.
    pub currencies: Vec<CurrencyCashFlow>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyCashFlow {
    #[schema(value_type = String, example = "USD")]
    pub currency: String,
    pub months: Vec<CashMonth>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub opening: MoneyDto,
    /// Money in, by the account on the other side (rent paid: Accounts receivable).
    pub inflows: Vec<FlowLine>,
    /// Money out, by the account on the other side (a repair: Repairs).
    pub outflows: Vec<FlowLine>,
    pub total_in: MoneyDto,
    pub total_out: MoneyDto,
    pub net: MoneyDto,
    pub closing: MoneyDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowLine {
    /// The account's code, or `unallocated`.
    pub code: String,
    pub name: String,
    /// Positive: how much came in (inflows) or went out (outflows).
    pub amount: MoneyDto,
}

/// The accounts that hold cash.
pub fn is_cash(a: &Account) -> bool {
    matches!(a.subtype, Some(AccountSubtype::Bank | AccountSubtype::Cash | AccountSubtype::Clearing))
}

fn month_of(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// Per currency and month: the cash in from and out to each counter account.
type Flows = BTreeMap<(Currency, (i32, u32)), BTreeMap<String, (i64, i64)>>;

/// The cash flow of `entries` between `from` and `to` (whole months), for the lines of
/// `building` when given.
pub fn cash_flow(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (from, to): (NaiveDate, NaiveDate),
    building: Option<&str>,
) -> CashFlow {
    let cash = |code: &str| chart.get(code).is_some_and(is_cash);
    let ours = |l: &&LineRecord| building.is_none_or(|b| l.building_id.as_deref() == Some(b));
    let (first, last) = (month_of(from), month_of(to));
    let mut opening: BTreeMap<Currency, i64> = BTreeMap::new();
    let mut flows: Flows = BTreeMap::new();
    for e in entries {
        let m = month_of(e.date);
        if m > last {
            continue;
        }
        let lines: Vec<&LineRecord> = e.lines.iter().filter(ours).collect();
        for (currency, moved, by_account) in movements(&lines, &cash) {
            if m < first {
                *opening.entry(currency).or_default() += moved;
                continue;
            }
            let by = flows.entry((currency, m)).or_default();
            for (code, amount) in by_account {
                let (money_in, money_out) = by.entry(code).or_default();
                if amount > 0 {
                    *money_in += amount;
                } else {
                    *money_out -= amount;
                }
            }
        }
    }
    let mut currencies: Vec<Currency> = opening.keys().copied().chain(flows.keys().map(|(c, _)| *c)).collect();
    currencies.sort();
    currencies.dedup();
    let sections = currencies
        .into_iter()
        .map(|c| section(c, opening.get(&c).copied().unwrap_or(0), &flows, chart, (first, last)))
        .collect();
    CashFlow { from, to, building_id: building.map(str::to_owned), currencies: sections }
}

/// The account a line's share of a cash movement is shown under: a deposit charged but not yet
/// paid (Security deposits due) is a receivable like any charge, so money paying it is money in
/// from Accounts receivable (into Security deposits held), not a flow out and in.
fn attributed_to(code: &str) -> &str {
    if code == crate::books::chart::code::DEPOSITS_DUE {
        crate::books::chart::code::RECEIVABLE
    } else {
        code
    }
}

/// Attributes a cash movement to the other lines on its side (money in: the credits it came from;
/// money out: the debits it went to), so what an entry moves between other accounts without cash
/// (part of a deposit kept as income, part refunded) is neither in nor out. When those lines
/// hold more than moved, it is shared in their proportion (largest remainders); what they do
/// not explain is `unallocated`.
fn attribute(moved: i64, lines: Vec<(String, i64)>) -> Vec<(String, i64)> {
    let side: Vec<(String, i64)> = lines.into_iter().filter(|(_, a)| *a != 0 && a.signum() == moved.signum()).collect();
    let held: i64 = side.iter().map(|(_, a)| a).sum();
    if held.abs() <= moved.abs() {
        let mut by = side;
        if held != moved {
            by.push((UNALLOCATED.to_owned(), moved - held));
        }
        return by;
    }
    let weights: Vec<u64> = side.iter().map(|(_, a)| a.unsigned_abs()).collect();
    let parts = crate::billing::proration::split(moved, &weights);
    side.into_iter().zip(parts).map(|((code, _), part)| (code, part)).filter(|(_, a)| *a != 0).collect()
}

/// One currency's cash movement of an entry: the net, and the amounts by account code.
pub type Movement = (Currency, i64, Vec<(String, i64)>);

/// An entry's cash movement per currency (of `lines`), attributed to the accounts on the other
/// side: `(currency, net cash, [(account code, amount)])`, the amounts summing to the net (what
/// the other lines do not explain is `unallocated`). Entries that only move money between cash
/// accounts net to zero and are left out.
pub fn movements(lines: &[&LineRecord], cash: &impl Fn(&str) -> bool) -> Vec<Movement> {
    let mut net: BTreeMap<Currency, i64> = BTreeMap::new();
    for l in lines.iter().filter(|l| cash(&l.code)) {
        *net.entry(l.currency).or_default() += l.minor;
    }
    net.retain(|_, v| *v != 0);
    net.into_iter()
        .map(|(currency, moved)| {
            let mut merged: Vec<(String, i64)> = Vec::new();
            for l in lines.iter().filter(|l| l.currency == currency && !cash(&l.code) && l.minor != 0) {
                let code = attributed_to(&l.code);
                match merged.iter_mut().find(|(c, _)| c == code) {
                    Some((_, a)) => *a -= l.minor,
                    None => merged.push((code.to_owned(), -l.minor)),
                }
            }
            (currency, moved, attribute(moved, merged))
        })
        .collect()
}

pub fn months_between(first: (i32, u32), last: (i32, u32)) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        out.push(m);
        m = if m.1 == 12 { (m.0 + 1, 1) } else { (m.0, m.1 + 1) };
    }
    out
}

fn section(
    c: Currency,
    mut balance: i64,
    flows: &Flows,
    chart: &BTreeMap<String, Account>,
    span: ((i32, u32), (i32, u32)),
) -> CurrencyCashFlow {
    let money = |minor: i64| MoneyDto::from(Money::new(minor, c));
    let line = |code: &String, minor: i64| FlowLine {
        code: code.clone(),
        name: chart.get(code).map_or_else(|| UNALLOCATED.to_owned(), |a| a.name.clone()),
        amount: money(minor),
    };
    let empty = BTreeMap::new();
    let out = months_between(span.0, span.1)
        .into_iter()
        .map(|m| {
            let by = flows.get(&(c, m)).unwrap_or(&empty);
            let inflows: Vec<FlowLine> = by.iter().filter(|(_, v)| v.0 > 0).map(|(k, v)| line(k, v.0)).collect();
            let outflows: Vec<FlowLine> = by.iter().filter(|(_, v)| v.1 > 0).map(|(k, v)| line(k, v.1)).collect();
            let total_in: i64 = by.values().map(|v| v.0).sum();
            let total_out: i64 = by.values().map(|v| v.1).sum();
            let opening = balance;
            balance += total_in - total_out;
            CashMonth {
                month: format!("{:04}-{:02}", m.0, m.1),
                opening: money(opening),
                inflows,
                outflows,
                total_in: money(total_in),
                total_out: money(total_out),
                net: money(total_in - total_out),
                closing: money(balance),
            }
        })
        .collect();
    CurrencyCashFlow { currency: c.code().to_owned(), months: out }
}

#[cfg(test)]
#[path = "cash_flow_tests.rs"]
mod tests;

//! Profit and loss (pure): income and expenses by account per month, on the accrual basis (as
//! the journal books them) or the cash basis (when the money moves), with NOI and net income.
//!
//! The cash basis is the accrual basis less the change in what is owed: a receivable or payable
//! line names the income or expense account it is owed for (`LineRecord::of`), so
//! `cash(X) = accrual(X) + Σ receivable and payable lines owed for X`. Rent is charged (accrual
//! income) and paid (cash income) — a charge's receivable cancels its income, the payment's
//! allocation recognizes it; a bill is booked and paid likewise. Money received before it meets a
//! charge (Prepaid rent) is rent when received (advance rent is income in the year received,
//! IRS Pub. 527) and is re-classified when it meets a late fee or a deposit. A deposit is never
//! income until it is kept: applying it to a charge at move-out recognizes that charge.
//! Depreciation is booked the same way on both bases.
//!
//! NOI is operating income less operating expenses: every expense but mortgage and other
//! interest (Schedule E lines 12, 13: debt service) and depreciation (line 18); capital items are
//! never expenses (they are fixed assets).

use super::cash_flow::months_between;
use crate::books::chart::{code, AccountType};
use crate::books::model::{Account, EntryRecord, LineRecord};
use crate::money::{Currency, Money, MoneyDto};
use crate::Error;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// When income and expenses count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// When the money moves (the default, and what most landlords file on).
    #[default]
    Cash,
    /// When charged or billed.
    Accrual,
}

impl Basis {
    /// The `basis` query parameter: absent is cash; anything but `cash`/`accrual` is a 400.
    pub fn parse(s: Option<&str>) -> crate::Result<Basis> {
        match s {
            None | Some("cash") => Ok(Basis::Cash),
            Some("accrual") => Ok(Basis::Accrual),
            Some(_) => Err(Error::invalid("basis", "must be cash or accrual")),
        }
    }
}

/// Schedule E lines that are not operating expenses: mortgage and other interest, depreciation.
const NON_OPERATING_LINES: &[&str] = &["12", "13", "18"];

/// Whether an expense account counts towards NOI.
pub fn operating(a: &Account) -> bool {
    a.type_ == AccountType::Expense && !a.schedule_e.as_deref().is_some_and(|l| NON_OPERATING_LINES.contains(&l))
}

/// NOI in minor units from debit-positive amounts by account code: income less operating
/// expenses.
pub fn noi_minor(by_account: &BTreeMap<String, i64>, chart: &BTreeMap<String, Account>) -> i64 {
    let counts = |a: &Account| a.type_ == AccountType::Income || operating(a);
    -by_account.iter().filter(|(c, _)| chart.get(*c).is_some_and(counts)).map(|(_, v)| v).sum::<i64>()
}

/// A month as `(year, month)`.
pub type Month = (i32, u32);

/// Debit-positive P&L amounts per (key, month, account code).
pub type Recognized<K> = BTreeMap<(K, Month, String), i64>;

/// The P&L account a line's amount is recognized on under `basis`, if any: the line's own
/// income or expense account; on the cash basis also the account a receivable or payable line is
/// owed for, and Rent for a Prepaid rent line.
pub fn recognized_on<'a>(l: &'a LineRecord, chart: &BTreeMap<String, Account>, basis: Basis) -> Option<&'a str> {
    let pnl = |c: &str| chart.get(c).is_some_and(|a| matches!(a.type_, AccountType::Income | AccountType::Expense));
    if pnl(&l.code) {
        return Some(&l.code);
    }
    if basis == Basis::Accrual {
        return None;
    }
    match l.code.as_str() {
        code::RECEIVABLE | code::PAYABLE => l.of.as_deref().filter(|c| pnl(c)),
        code::PREPAID_RENT => Some(code::RENT),
        _ => None,
    }
}

/// The P&L amounts of `entries` dated in `from`..=`to`, grouped by `value(line)` (a key and an
/// amount, or none to leave the line out).
pub fn recognized<K: Ord + Clone>(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    basis: Basis,
    (from, to): (NaiveDate, NaiveDate),
    value: impl Fn(&LineRecord) -> Option<(K, i64)>,
) -> Recognized<K> {
    let mut out: Recognized<K> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.date >= from && e.date <= to) {
        let m = (e.date.year(), e.date.month());
        for l in &e.lines {
            let (Some(account), Some((k, v))) = (recognized_on(l, chart, basis), value(l)) else { continue };
            *out.entry((k, m, account.to_owned())).or_default() += v;
        }
    }
    out.retain(|_, v| *v != 0);
    out
}

/// A line's amount in the base currency: as it is, or at its stored rate.
pub fn base_value(l: &LineRecord, base: Currency) -> Option<i64> {
    if l.currency == base {
        return Some(l.minor);
    }
    l.base.filter(|b| b.currency == base).map(|b| b.minor)
}

/// `GET …/reports/profit-and-loss`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfitAndLoss {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    pub basis: Basis,
    /// One section per currency amounts were booked in.
    pub currencies: Vec<PnlSection>,
    /// Everything in the base currency, foreign amounts at their entries' stored rates.
    pub base: PnlSection,
    /// Foreign amounts without a rate, left out of `base`.
    pub unvalued: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PnlSection {
    #[schema(value_type = String, example = "USD")]
    pub currency: String,
    pub months: Vec<PnlPeriod>,
    /// The whole span.
    pub total: PnlPeriod,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PnlPeriod {
    /// `YYYY-MM`, or `total`.
    pub period: String,
    pub income: Vec<PnlLine>,
    pub expenses: Vec<PnlLine>,
    pub total_income: MoneyDto,
    pub total_expenses: MoneyDto,
    /// Expenses before debt service and depreciation.
    pub operating_expenses: MoneyDto,
    /// Operating income − operating expenses.
    pub noi: MoneyDto,
    /// Income − every expense.
    pub net_income: MoneyDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PnlLine {
    pub code: String,
    pub name: String,
    /// The Schedule E line, or `none`.
    pub schedule_e: String,
    /// Counts towards NOI.
    pub operating: bool,
    /// Income: credits less debits; expenses: debits less credits.
    pub amount: MoneyDto,
}

/// The P&L of `entries` over whole months `from`..`to`, for the lines of `building` when given.
pub fn profit_and_loss(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (from, to, basis): (NaiveDate, NaiveDate, Basis),
    building: Option<&str>,
    base: Currency,
) -> ProfitAndLoss {
    let months = months_between((from.year(), from.month()), (to.year(), to.month()));
    let span = (month_start(months[0]), month_end(*months.last().expect("a month at least")));
    let ours = |l: &LineRecord| building.is_none_or(|b| l.building_id.as_deref() == Some(b));
    let by_currency = recognized(entries, chart, basis, span, |l| ours(l).then_some((l.currency, l.minor)));
    let in_base =
        recognized(entries, chart, basis, span, |l| ours(l).then(|| base_value(l, base)).flatten().map(|v| ((), v)));
    let unvalued = !recognized(entries, chart, basis, span, |l| {
        (ours(l) && base_value(l, base).is_none()).then_some(((), l.minor))
    })
    .is_empty();
    let mut currencies: Vec<Currency> = by_currency.keys().map(|(c, _, _)| *c).collect();
    currencies.dedup();
    let sections = currencies
        .into_iter()
        .map(|c| {
            let own: BTreeMap<(Month, String), i64> = by_currency
                .iter()
                .filter(|((k, _, _), _)| *k == c)
                .map(|((_, m, a), v)| ((*m, a.clone()), *v))
                .collect();
            section(c, &own, chart, &months)
        })
        .collect();
    let base_amounts = in_base.into_iter().map(|(((), m, a), v)| ((m, a), v)).collect();
    ProfitAndLoss {
        from: span.0,
        to: span.1,
        building_id: building.map(str::to_owned),
        basis,
        currencies: sections,
        base: section(base, &base_amounts, chart, &months),
        unvalued,
    }
}

pub fn month_start((y, m): Month) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).expect("a month's first day")
}

pub fn month_end((y, m): Month) -> NaiveDate {
    let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    month_start(next).pred_opt().expect("a month's last day")
}

/// One currency's months and total from its amounts per (month, account).
pub fn section(
    c: Currency,
    amounts: &BTreeMap<(Month, String), i64>,
    chart: &BTreeMap<String, Account>,
    months: &[Month],
) -> PnlSection {
    let per_month = months
        .iter()
        .map(|m| {
            let of_month = amounts.iter().filter(|((mm, _), _)| mm == m).map(|((_, a), v)| (a.clone(), *v));
            period(format!("{:04}-{:02}", m.0, m.1), c, &of_month.collect(), chart)
        })
        .collect();
    let mut all: BTreeMap<String, i64> = BTreeMap::new();
    for ((_, a), v) in amounts {
        *all.entry(a.clone()).or_default() += v;
    }
    PnlSection { currency: c.code().to_owned(), months: per_month, total: period("total".into(), c, &all, chart) }
}

/// A period's lines and totals from its debit-positive amounts by account code.
pub fn period(
    name: String,
    c: Currency,
    by_account: &BTreeMap<String, i64>,
    chart: &BTreeMap<String, Account>,
) -> PnlPeriod {
    let money = |minor: i64| MoneyDto::from(Money::new(minor, c));
    let (mut income, mut expenses) = (Vec::new(), Vec::new());
    let (mut total_income, mut total_expenses, mut operating_expenses) = (0i64, 0i64, 0i64);
    for (code, v) in by_account.iter().filter(|(_, v)| **v != 0) {
        let Some(a) = chart.get(code) else { continue };
        let line = |amount: i64| PnlLine {
            code: code.clone(),
            name: a.name.clone(),
            schedule_e: a.schedule_e.clone().unwrap_or_else(|| "none".into()),
            operating: a.type_ == AccountType::Income || operating(a),
            amount: money(amount),
        };
        if a.type_ == AccountType::Income {
            total_income -= v;
            income.push(line(-v));
        } else {
            total_expenses += v;
            if operating(a) {
                operating_expenses += v;
            }
            expenses.push(line(*v));
        }
    }
    PnlPeriod {
        period: name,
        income,
        expenses,
        total_income: money(total_income),
        total_expenses: money(total_expenses),
        operating_expenses: money(operating_expenses),
        noi: money(total_income - operating_expenses),
        net_income: money(total_income - total_expenses),
    }
}

#[cfg(test)]
#[path = "pnl_tests.rs"]
mod tests;

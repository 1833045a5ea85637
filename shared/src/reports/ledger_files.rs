//! The books as files (pure; REFERENCE §E): the general ledger as CSV, an hledger journal and
//! a Beancount ledger of a span of days. Each starts with the balances the accounts held before
//! the span (one "opening balances" transaction), so the file alone yields the trial balance at
//! its end; each transaction carries its PortfolioOS entry id and source; the cash accounts get
//! a balance assertion at every month end (`hledger check` and `bean-check` verify them).
//!
//! Amounts are in each line's own currency (every entry balances per currency); the realized
//! FX lines, which move only the base-currency value, are not carried.

use super::cash_flow::is_cash;
use crate::books::chart::AccountType;
use crate::books::model::{Account, EntryRecord};
use crate::money::{Currency, Money, MoneyDto};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A plain decimal (`-1234.50`) of `minor` in `c`.
pub fn dec(minor: i64, c: Currency) -> String {
    MoneyDto::from(Money::new(minor, c)).amount
}

/// Balances per (account code, currency) of the entries dated before `from`.
pub fn opening(entries: &[EntryRecord], from: NaiveDate) -> BTreeMap<(String, Currency), i64> {
    let mut out = BTreeMap::new();
    for l in entries.iter().filter(|e| e.date < from).flat_map(|e| &e.lines) {
        *out.entry((l.code.clone(), l.currency)).or_default() += l.minor;
    }
    out.retain(|_, v| *v != 0);
    out
}

/// The entries dated in the span, by date and then as posted.
fn in_span(entries: &[EntryRecord], (from, to): (NaiveDate, NaiveDate)) -> Vec<&EntryRecord> {
    let mut out: Vec<&EntryRecord> = entries.iter().filter(|e| e.date >= from && e.date <= to).collect();
    out.sort_by_key(|e| (e.date, e.seq));
    out
}

fn name_of<'a>(chart: &'a BTreeMap<String, Account>, code: &str) -> &'a str {
    chart.get(code).map_or("", |a| a.name.as_str())
}

/// `GL.csv`: the opening balances, then every line of every entry of the span.
pub fn general_ledger_csv(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "date",
        "seq",
        "entryId",
        "sourceType",
        "sourceId",
        "memo",
        "accountCode",
        "accountName",
        "currency",
        "debit",
        "credit",
        "buildingId",
        "unitId",
    ])?;
    let side = |minor: i64, c: Currency| {
        if minor >= 0 {
            (dec(minor, c), String::new())
        } else {
            (String::new(), dec(-minor, c))
        }
    };
    for ((code, c), v) in opening(entries, from) {
        let (debit, credit) = side(v, c);
        let date = from.to_string();
        w.write_record([
            date.as_str(),
            "0",
            "",
            "opening",
            "",
            "opening balances",
            &code,
            name_of(chart, &code),
            c.code(),
            &debit,
            &credit,
            "",
            "",
        ])?;
    }
    for e in in_span(entries, (from, to)) {
        for l in e.lines.iter().filter(|l| l.minor != 0) {
            let (debit, credit) = side(l.minor, l.currency);
            w.write_record([
                e.date.to_string().as_str(),
                &e.seq.to_string(),
                e.id.as_str(),
                &e.source.type_,
                &e.source.id,
                &e.memo,
                &l.code,
                name_of(chart, &l.code),
                l.currency.code(),
                &debit,
                &credit,
                l.building_id.as_deref().unwrap_or(""),
                l.unit_id.as_deref().unwrap_or(""),
            ])?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The account's words with everything but letters, digits and single spaces left out.
fn words(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// hledger: `assets:1000 Operating account`.
pub fn hledger_account(a: &Account) -> String {
    let top = match a.type_ {
        AccountType::Asset => "assets",
        AccountType::Liability => "liabilities",
        AccountType::Equity => "equity",
        AccountType::Income => "revenues",
        AccountType::Expense => "expenses",
    };
    format!("{top}:{} {}", a.code, words(&a.name)).trim_end().to_owned()
}

/// Beancount: `Assets:1000-Operating-account`.
pub fn beancount_account(a: &Account) -> String {
    let top = match a.type_ {
        AccountType::Asset => "Assets",
        AccountType::Liability => "Liabilities",
        AccountType::Equity => "Equity",
        AccountType::Income => "Income",
        AccountType::Expense => "Expenses",
    };
    let name = words(&a.name).replace(' ', "-");
    if name.is_empty() {
        format!("{top}:{}", a.code)
    } else {
        format!("{top}:{}-{name}", a.code)
    }
}

/// The accounts the file uses, and the currencies.
fn used(entries: &[&EntryRecord], opening: &BTreeMap<(String, Currency), i64>) -> (Vec<String>, Vec<Currency>) {
    let mut codes: Vec<String> = opening.keys().map(|(c, _)| c.clone()).collect();
    let mut currencies: Vec<Currency> = opening.keys().map(|(_, c)| *c).collect();
    for l in entries.iter().flat_map(|e| &e.lines).filter(|l| l.minor != 0) {
        codes.push(l.code.clone());
        currencies.push(l.currency);
    }
    codes.sort();
    codes.dedup();
    currencies.sort();
    currencies.dedup();
    (codes, currencies)
}

/// The last day of each month from `from`'s to `to`'s (the span's end for the last one).
fn month_ends((from, to): (NaiveDate, NaiveDate)) -> Vec<NaiveDate> {
    super::cash_flow::months_between((from.year(), from.month()), (to.year(), to.month()))
        .into_iter()
        .map(|m| super::pnl::month_end(m).min(to))
        .collect()
}

/// What a writer needs of each format.
struct Style {
    account: fn(&Account) -> String,
    /// `2026-01-31`, the cash account, the amount: an assertion that it held that at the day's end.
    assertion: fn(NaiveDate, &str, &str) -> String,
    /// A transaction's first line(s): its day, memo and (entry id, source) when it has them.
    transaction: fn(NaiveDate, &str, Option<(&str, String)>) -> String,
    posting: fn(&str, &str) -> String,
    /// An account's declaration (`from`: the span's first day).
    declaration: fn(&Account, NaiveDate) -> String,
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace(['"', '\\', '\n'], " "))
}

const HLEDGER: Style = Style {
    account: hledger_account,
    assertion: |day, account, amount| {
        format!("{day} balance assertion\n    {account}  0 = {amount}\n\n", amount = amount)
    },
    transaction: |day, memo, ids| match ids {
        Some((id, source)) => format!("{day} {}  ; entry:{id}, source:{source}\n", words(memo)),
        None => format!("{day} {}\n", words(memo)),
    },
    posting: |account, amount| format!("    {account}  {amount}\n"),
    declaration: |a, _| {
        let t = match a.type_ {
            AccountType::Asset => "A",
            AccountType::Liability => "L",
            AccountType::Equity => "E",
            AccountType::Income => "R",
            AccountType::Expense => "X",
        };
        format!("account {}  ; type:{t}\n", hledger_account(a))
    },
};

const BEANCOUNT: Style = Style {
    account: beancount_account,
    // A Beancount balance holds at the beginning of its day: the next day's.
    assertion: |day, account, amount| format!("{} balance {account}  {amount}\n", day.succ_opt().unwrap_or(day)),
    transaction: |day, memo, ids| match ids {
        Some((id, source)) => {
            format!("{day} * {}\n  entry: {}\n  source: {}\n", quoted(memo), quoted(id), quoted(&source))
        }
        None => format!("{day} * {}\n", quoted(memo)),
    },
    posting: |account, amount| format!("  {account}  {amount}\n"),
    declaration: |a, from| format!("{from} open {}\n", beancount_account(a)),
};

fn write_ledger(
    style: &Style,
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (from, to): (NaiveDate, NaiveDate),
    header: &str,
) -> String {
    let amount = |minor: i64, c: Currency| format!("{} {}", dec(minor, c), c.code());
    let account = |code: &str| chart.get(code).map_or_else(|| format!("unknown:{code}"), |a| (style.account)(a));
    let open = opening(entries, from);
    let span = in_span(entries, (from, to));
    let (codes, _) = used(&span, &open);
    let mut out = header.to_owned();
    for code in &codes {
        if let Some(a) = chart.get(code) {
            out.push_str(&(style.declaration)(a, from));
        }
    }
    out.push('\n');
    if !open.is_empty() {
        out.push_str(&(style.transaction)(from, "opening balances", None));
        for ((code, c), v) in &open {
            out.push_str(&(style.posting)(&account(code), &amount(*v, *c)));
        }
        out.push('\n');
    }
    // Running cash balances, asserted at each month end after its last entry.
    let cash: Vec<&String> = codes.iter().filter(|c| chart.get(*c).is_some_and(is_cash)).collect();
    let mut held: BTreeMap<(String, Currency), i64> =
        open.iter().filter(|((c, _), _)| cash.contains(&c)).map(|(k, v)| (k.clone(), *v)).collect();
    let mut ends = month_ends((from, to)).into_iter().peekable();
    let mut assert_through = |day: Option<NaiveDate>, held: &BTreeMap<(String, Currency), i64>, out: &mut String| {
        while let Some(end) = ends.next_if(|end| day.is_none_or(|d| *end < d)) {
            for ((code, c), v) in held {
                out.push_str(&(style.assertion)(end, &account(code), &amount(*v, *c)));
            }
        }
    };
    for e in span {
        assert_through(Some(e.date), &held, &mut out);
        let lines: Vec<_> = e.lines.iter().filter(|l| l.minor != 0).collect();
        if lines.is_empty() {
            continue;
        }
        let source = format!("{}:{}", e.source.type_, e.source.id);
        out.push_str(&(style.transaction)(e.date, &e.memo, Some((e.id.as_str(), source))));
        for l in lines {
            out.push_str(&(style.posting)(&account(&l.code), &amount(l.minor, l.currency)));
            if cash.contains(&&l.code) {
                *held.entry((l.code.clone(), l.currency)).or_default() += l.minor;
            }
        }
        out.push('\n');
    }
    assert_through(None, &held, &mut out);
    out
}

/// An hledger journal of the span: account and commodity declarations, the opening balances,
/// every entry, the cash accounts' balances asserted at each month end.
pub fn hledger_journal(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    span: (NaiveDate, NaiveDate),
) -> String {
    let open = opening(entries, span.0);
    let (_, currencies) = used(&in_span(entries, span), &open);
    let mut header = format!("; PortfolioOS books {} to {}\n\n", span.0, span.1);
    for c in currencies {
        let _ = writeln!(header, "commodity {} {}", dec(100_000 * 10i64.pow(c.exponent()), c), c.code());
    }
    header.push('\n');
    write_ledger(&HLEDGER, entries, chart, span, &header)
}

/// A Beancount ledger of the span: `open` directives, the opening balances, every entry, the
/// cash accounts' balances asserted at each month end.
pub fn beancount_ledger(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    span: (NaiveDate, NaiveDate),
    base: Currency,
) -> String {
    // Amounts are exact to the minor unit: a tolerance under half of it (0.4 of the last digit
    // for transactions, 0.8 for balance assertions) lets no cent off pass.
    let header = format!(
        "; PortfolioOS books {} to {}\noption \"title\" \"PortfolioOS books\"\noption \"operating_currency\" \"{}\"\noption \"inferred_tolerance_multiplier\" \"0.4\"\n\n",
        span.0,
        span.1,
        base.code()
    );
    write_ledger(&BEANCOUNT, entries, chart, span, &header)
}

#[cfg(test)]
#[path = "ledger_files_tests.rs"]
mod tests;

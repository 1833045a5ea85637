//! The owner statement: per property and currency, the cash it held at the start of the period,
//! every movement in the period with what it was for, and the cash at the end (beginning + in −
//! out = ending). Lines tagged to no property (an owner's contribution to the bank) form the
//! portfolio's own statement. Built from the books' cash lines as the cash flow is.

use super::cash_flow::{is_cash, movements, UNALLOCATED};
use crate::books::model::{Account, EntryRecord, LineRecord};
use crate::books::posting::Source;
use crate::ids::JournalEntryId;
use crate::money::{Currency, Money, MoneyDto};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// `GET …/reports/owner-statement`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OwnerStatement {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub properties: Vec<PropertyStatement>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PropertyStatement {
    /// The building; absent for what is tagged to no property.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[schema(value_type = String, example = "USD")]
    pub currency: String,
    pub beginning: MoneyDto,
    pub money_in: MoneyDto,
    pub money_out: MoneyDto,
    pub ending: MoneyDto,
    /// Oldest first: each movement with the account it was for (positive in, negative out).
    pub entries: Vec<StatementLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatementLine {
    pub date: NaiveDate,
    pub entry_id: JournalEntryId,
    pub memo: String,
    pub source: Source,
    /// The account on the other side (`unallocated` when no line explains it).
    pub account_code: String,
    pub account_name: String,
    pub amount: MoneyDto,
}

#[derive(Default)]
struct Running {
    beginning: i64,
    money_in: i64,
    money_out: i64,
    entries: Vec<(NaiveDate, i64, String, JournalEntryId, String, Source)>,
}

/// The statements of `entries` from `from` to `to`, of `building` only when given.
pub fn owner_statement(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (from, to): (NaiveDate, NaiveDate),
    building: Option<&str>,
) -> OwnerStatement {
    let cash = |code: &str| chart.get(code).is_some_and(is_cash);
    let mut by: BTreeMap<(Option<String>, Currency), Running> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.date <= to) {
        let mut tags: Vec<Option<String>> = e.lines.iter().map(|l| l.building_id.clone()).collect();
        tags.sort();
        tags.dedup();
        for tag in tags.into_iter().filter(|t| building.is_none_or(|b| t.as_deref() == Some(b))) {
            let lines: Vec<&LineRecord> = e.lines.iter().filter(|l| l.building_id == tag).collect();
            for (currency, moved, parts) in movements(&lines, &cash) {
                let r = by.entry((tag.clone(), currency)).or_default();
                if e.date < from {
                    r.beginning += moved;
                    continue;
                }
                for (code, amount) in parts {
                    if amount > 0 {
                        r.money_in += amount;
                    } else {
                        r.money_out -= amount;
                    }
                    r.entries.push((e.date, amount, code, e.id.clone(), e.memo.clone(), e.source.clone()));
                }
            }
        }
    }
    let properties = by.into_iter().map(|((tag, c), r)| statement(tag, c, r, chart)).collect();
    OwnerStatement { from, to, properties }
}

fn statement(tag: Option<String>, c: Currency, mut r: Running, chart: &BTreeMap<String, Account>) -> PropertyStatement {
    let money = |minor: i64| MoneyDto::from(Money::new(minor, c));
    r.entries.sort_by_key(|e| e.0);
    let entries = r
        .entries
        .into_iter()
        .map(|(date, amount, code, entry_id, memo, source)| StatementLine {
            date,
            entry_id,
            memo,
            source,
            account_name: chart.get(&code).map_or_else(|| UNALLOCATED.to_owned(), |a| a.name.clone()),
            account_code: code,
            amount: money(amount),
        })
        .collect();
    PropertyStatement {
        building_id: tag,
        currency: c.code().to_owned(),
        beginning: money(r.beginning),
        money_in: money(r.money_in),
        money_out: money(r.money_out),
        ending: money(r.beginning + r.money_in - r.money_out),
        entries,
    }
}

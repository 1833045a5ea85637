//! The KPI mart: one row of daily facts per org (`ORG#o#KPI` / `DAY#<date>`, so re-running a
//! day overwrites it) written by `job-kpi-rollup`, and the dashboard that answers today's values
//! and the series with one Query (no other read: the rows carry their currency).
//!
//! Every fact of a day is computed from the books and the ledgers as they stand for that day,
//! never from what is open now, so running the job for a past `runDate` recomputes that day
//! exactly (a rebuild): occupancy from the leases' terms, billed and collected from the P&L
//! (accrual income is what was charged, cash income what was paid for it), the delinquent total
//! from the ledgers replayed to the day, NOI month to date on the cash basis. All money is in
//! the base currency.

use super::pnl::{base_value, recognized, Basis};
use crate::books::chart::AccountType;
use crate::books::model::{Account, EntryRecord};
use crate::books::{accounts, reads};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, ItemBuilder, Query, Tx};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub const KPI_ENTITY: &str = "KpiDay";
/// The longest series the dashboard answers.
pub const MAX_DAYS: i64 = 366;

/// One day's facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KpiDay {
    pub date: NaiveDate,
    pub units: u32,
    pub occupied: u32,
    /// occupied / units, four decimals.
    #[schema(value_type = String, example = "0.9500")]
    pub occupancy_rate: Decimal,
    /// Income charged that day (rent, fees; deposits are not income).
    pub billed: MoneyDto,
    /// Income paid that day (cash basis: rent received ahead counts when received).
    pub collected: MoneyDto,
    pub billed_month_to_date: MoneyDto,
    pub collected_month_to_date: MoneyDto,
    /// collected / billed month to date, four decimals; absent when nothing was billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "0.9800")]
    pub collection_rate: Option<Decimal>,
    /// Everything past due or due that day (the ledgers replayed to it).
    pub delinquent: MoneyDto,
    /// NOI from the month's first day through this one, cash basis.
    pub noi_month_to_date: MoneyDto,
    pub computed_at: DateTime<Utc>,
}

/// Income per day (debit-negative amounts of income accounts, as income: positive) on `basis`.
fn income_by_day(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    basis: Basis,
    span: (NaiveDate, NaiveDate),
    base: Currency,
) -> BTreeMap<NaiveDate, i64> {
    let mut out = BTreeMap::new();
    // `recognized` groups by month; a day's figure needs its own span.
    let mut day = span.0;
    while day <= span.1 {
        let r = recognized(entries, chart, basis, (day, day), |l| base_value(l, base).map(|v| ((), v)));
        let income: i64 = r
            .iter()
            .filter(|((_, _, code), _)| chart.get(code).is_some_and(|a| a.type_ == AccountType::Income))
            .map(|(_, v)| -v)
            .sum();
        out.insert(day, income);
        day += Duration::days(1);
    }
    out
}

/// The facts of `day` (pure, but for what the caller read).
pub fn facts(
    (entries, chart): (&[EntryRecord], &BTreeMap<String, Account>),
    day: NaiveDate,
    (units, occupied, delinquent): (u32, u32, i64),
    base: Currency,
    now: DateTime<Utc>,
) -> KpiDay {
    let first = day.with_day(1).expect("a month's first day");
    let billed = income_by_day(entries, chart, Basis::Accrual, (first, day), base);
    let collected = income_by_day(entries, chart, Basis::Cash, (first, day), base);
    let (billed_mtd, collected_mtd): (i64, i64) = (billed.values().sum(), collected.values().sum());
    let noi = recognized(entries, chart, Basis::Cash, (first, day), |l| base_value(l, base).map(|v| ((), v)));
    let by_account: BTreeMap<String, i64> =
        noi.into_iter().map(|((_, _, code), v)| (code, v)).fold(BTreeMap::new(), |mut m, (c, v)| {
            *m.entry(c).or_default() += v;
            m
        });
    let money = |v: i64| MoneyDto::from(Money::new(v, base));
    let ratio = |a: i64, b: i64| {
        let mut r = (Decimal::from(a) / Decimal::from(b)).round_dp(4);
        r.rescale(4);
        r
    };
    KpiDay {
        date: day,
        units,
        occupied,
        occupancy_rate: if units == 0 { ratio(0, 1) } else { ratio(i64::from(occupied), i64::from(units)) },
        billed: money(billed.get(&day).copied().unwrap_or(0)),
        collected: money(collected.get(&day).copied().unwrap_or(0)),
        billed_month_to_date: money(billed_mtd),
        collected_month_to_date: money(collected_mtd),
        collection_rate: (billed_mtd != 0).then(|| ratio(collected_mtd, billed_mtd)),
        delinquent: money(delinquent),
        noi_month_to_date: money(super::pnl::noi_minor(&by_account, chart)),
        computed_at: now,
    }
}

/// Computes and stores the org's facts for `day` (the job; re-running overwrites the row).
pub async fn rollup(cx: &Ctx<'_>, day: NaiveDate) -> Result<KpiDay> {
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    let occupancy = crate::leasing::occupancy::occupancy(cx, day).await?;
    let delinquency = crate::billing::delinquency::from_ledgers(cx, base, day).await?;
    let delinquent = delinquency.base_total.as_ref().and_then(|m| m.to_money("delinquent").ok()).map_or(0, |m| m.minor);
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    let p = &occupancy.portfolio;
    let row = facts((&entries, &chart), day, (p.units, p.occupied, delinquent), base, cx.now);
    let mut tx = Tx::new();
    tx.put(ItemBuilder::new(KPI_ENTITY, &keys::kpi_day(cx.scope, day), &row).build(), None);
    cx.db.transact(tx).await?;
    Ok(row)
}

/// `GET …/dashboard`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// The latest day the job computed (today's once it ran today).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    pub days: i64,
    /// The latest day's facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub today: Option<KpiDay>,
    /// The last `days` days the job computed, oldest first.
    pub series: Vec<KpiDay>,
    /// Maintenance requests not yet completed or cancelled, now (kept live by their writes).
    pub open_maintenance: u32,
}

/// The last `days` computed days' facts (1–366, default 30): one Query of the mart, newest
/// first, read back oldest first.
/// How many `LIVE#` items the mart's partition holds (read with the days).
const LIVE_FIGURES: i32 = 1;

pub async fn dashboard(cx: &Ctx<'_>, days: Option<i64>) -> Result<Dashboard> {
    let days = days.unwrap_or(30);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::invalid("days", format!("must be 1 to {MAX_DAYS}")));
    }
    // Newest first: the live figures (`LIVE#…` sorts after `DAY#…`), then the days.
    let q =
        Query::partition(db::Index::Primary, keys::kpi_days(cx.scope)).descending().limit(days as i32 + LIVE_FIGURES);
    let page = cx.db.query(q).await?;
    let sk = |i: &db::Item| i.get("SK").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
    let mut open_maintenance = 0;
    let mut series: Vec<KpiDay> = Vec::new();
    for item in page.items {
        let key = sk(&item);
        if key == "LIVE#maintenance" {
            let open = item.get("open").and_then(|v| v.as_n().ok()).and_then(|v| v.parse::<i64>().ok());
            open_maintenance = open.unwrap_or(0).max(0) as u32;
        } else if key.starts_with("DAY#") && series.len() < days as usize {
            series.push(db::from_item(item)?);
        }
    }
    series.reverse();
    Ok(Dashboard {
        as_of: series.last().map(|d| d.date),
        days,
        today: series.last().cloned(),
        series,
        open_maintenance,
    })
}

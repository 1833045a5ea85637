//! NOI per building (pure): each building's operating income less operating expenses per month
//! of a year in the base currency, the portfolio's, and with a building's market value its cap
//! rate (the year's NOI over the value).

use super::pnl::{base_value, month_end, month_start, noi_minor, period, recognized, Basis, Month};
use crate::books::model::{Account, EntryRecord};
use crate::money::{Currency, Money, MoneyDto};
use crate::properties::model::Building;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// `GET …/reports/noi`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoiReport {
    pub year: i32,
    pub basis: Basis,
    /// The base currency every figure is in (foreign amounts at their entries' stored rates).
    #[schema(value_type = String, example = "USD")]
    pub currency: String,
    pub buildings: Vec<BuildingNoi>,
    /// What no building carries (portfolio-wide income and expenses).
    pub unassigned: NoiSeries,
    pub portfolio: NoiSeries,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuildingNoi {
    pub building_id: String,
    pub name: String,
    #[serde(flatten)]
    pub noi: NoiSeries,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_value: Option<MoneyDto>,
    /// The year's NOI over the market value, in percent with two decimals (`"6.25"`); only
    /// with a market value in the base currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "6.25")]
    pub cap_rate: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoiSeries {
    pub months: Vec<NoiMonth>,
    pub income: MoneyDto,
    pub operating_expenses: MoneyDto,
    /// The year's NOI.
    pub total: MoneyDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoiMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub noi: MoneyDto,
}

/// A year's NOI by month from its amounts per (month, account), and the year's NOI in minor units.
fn series(
    c: Currency,
    amounts: &BTreeMap<(Month, String), i64>,
    chart: &BTreeMap<String, Account>,
    year: i32,
) -> (NoiSeries, i64) {
    let months = (1..=12)
        .map(|m| {
            let of: BTreeMap<String, i64> =
                amounts.iter().filter(|((mm, _), _)| *mm == (year, m)).map(|((_, a), v)| (a.clone(), *v)).collect();
            NoiMonth { month: format!("{year:04}-{m:02}"), noi: period(String::new(), c, &of, chart).noi }
        })
        .collect();
    let mut all: BTreeMap<String, i64> = BTreeMap::new();
    for ((_, a), v) in amounts {
        *all.entry(a.clone()).or_default() += v;
    }
    let total = period("total".into(), c, &all, chart);
    let series = NoiSeries {
        months,
        income: total.total_income,
        operating_expenses: total.operating_expenses,
        total: total.noi,
    };
    (series, noi_minor(&all, chart))
}

/// The cap rate in percent: `noi` over `value`, two decimals, half away from zero.
pub fn cap_rate(noi: i64, value: Money) -> Option<Decimal> {
    (value.minor > 0).then(|| {
        (Decimal::from(noi) * Decimal::from(100) / Decimal::from(value.minor))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// NOI of `year` per building (in `buildings`' order), unassigned, and for the portfolio.
pub fn noi(
    entries: &[EntryRecord],
    chart: &BTreeMap<String, Account>,
    (year, basis): (i32, Basis),
    buildings: &[Building],
    base: Currency,
) -> NoiReport {
    let span = (month_start((year, 1)), month_end((year, 12)));
    let amounts = recognized(entries, chart, basis, span, |l| base_value(l, base).map(|v| (l.building_id.clone(), v)));
    let of = |want: Option<Option<&str>>| -> BTreeMap<(Month, String), i64> {
        let mut out = BTreeMap::new();
        for ((b, m, a), v) in &amounts {
            if want.is_none_or(|w| b.as_deref() == w) {
                *out.entry((*m, a.clone())).or_default() += v;
            }
        }
        out
    };
    let rows = buildings
        .iter()
        .map(|b| {
            let id = b.id.to_string();
            let (s, year_noi) = series(base, &of(Some(Some(&id))), chart, year);
            let value = b.facts.market_value.as_ref().and_then(|m| m.to_money("marketValue").ok());
            let cap = value.filter(|v| v.currency == base).and_then(|v| cap_rate(year_noi, v));
            BuildingNoi {
                building_id: id,
                name: b.name.clone(),
                noi: s,
                market_value: value.map(Into::into),
                cap_rate: cap,
            }
        })
        .collect();
    NoiReport {
        year,
        basis,
        currency: base.code().to_owned(),
        buildings: rows,
        unassigned: series(base, &of(Some(None)), chart, year).0,
        portfolio: series(base, &of(None), chart, year).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_rate_is_the_years_noi_over_the_value_in_percent() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(cap_rate(5_000_000, Money::new(80_000_000, usd)), Some(Decimal::new(625, 2)));
        assert_eq!(cap_rate(1, Money::new(300, usd)), Some(Decimal::new(33, 2)), "0.333… rounds to 0.33");
        assert_eq!(cap_rate(1, Money::new(200, usd)), Some(Decimal::new(50, 2)));
        assert_eq!(cap_rate(-1, Money::new(200_000, usd)), Some(Decimal::ZERO), "-0.0005 rounds to 0.00");
        assert_eq!(cap_rate(-1, Money::new(2_000, usd)), Some(Decimal::new(-5, 2)));
        assert_eq!(cap_rate(1, Money::new(0, usd)), None);
    }
}

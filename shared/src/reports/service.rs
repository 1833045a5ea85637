//! The reads behind the report routes: the org's journal and chart, checked inputs, the pure
//! report functions.

use super::cash_flow::{cash_flow, CashFlow};
use crate::books::{accounts, reads};
use crate::platform::ctx::Ctx;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// The longest span a monthly report (or an export) covers.
pub const MAX_MONTHS: i32 = 60;

/// `from` ≤ `to`, at most `MAX_MONTHS` months; a 400 naming `to` otherwise.
pub fn check_span(from: NaiveDate, to: NaiveDate) -> Result<()> {
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    if to < from {
        return Err(Error::invalid("to", "must not be before from"));
    }
    if months > MAX_MONTHS {
        return Err(Error::invalid("to", format!("a report covers at most {MAX_MONTHS} months")));
    }
    Ok(())
}

/// The property a report is for: 400 when `buildingId` is not a building id, 404 when the org
/// has no such building (asked of the properties domain, whose items reports do not read).
async fn property(cx: &Ctx<'_>, building: Option<&str>) -> Result<Option<String>> {
    let Some(id) = building else { return Ok(None) };
    if crate::ids::BuildingId::parse(id).is_none() {
        return Err(Error::invalid("buildingId", "must be a building id"));
    }
    Ok(Some(crate::properties::buildings::get_building(cx, id).await?.id.to_string()))
}

/// A report's year: 2000–2100 (400 naming `year`).
fn check_year(year: i32) -> Result<()> {
    if !(2000..=2100).contains(&year) {
        return Err(Error::invalid("year", "must be a year 2000–2100"));
    }
    Ok(())
}

/// `GET …/reports/vendors-1099`.
pub async fn vendors_1099_report(cx: &Ctx<'_>, year: i32) -> Result<super::vendors_1099::Vendors1099> {
    check_year(year)?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("a year's last day");
    let (vendors, expenses) =
        (crate::books::vendors::all_vendors(cx).await?, crate::books::expenses::expenses_through(cx, to).await?);
    Ok(super::vendors_1099::vendors_1099(year, &vendors, &expenses))
}

/// `GET …/reports/owner-statement`.
pub async fn owner_statement_report(
    cx: &Ctx<'_>,
    from: NaiveDate,
    to: NaiveDate,
    building: Option<&str>,
) -> Result<super::owner_statement::OwnerStatement> {
    check_span(from, to)?;
    let building = property(cx, building).await?;
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    Ok(super::owner_statement::owner_statement(&entries, &chart, (from, to), building.as_deref()))
}

/// `GET …/reports/cash-flow`.
pub async fn cash_flow_report(
    cx: &Ctx<'_>,
    from: NaiveDate,
    to: NaiveDate,
    building: Option<&str>,
) -> Result<CashFlow> {
    check_span(from, to)?;
    let building = property(cx, building).await?;
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    Ok(cash_flow(&entries, &chart, (from, to), building.as_deref()))
}

/// `GET …/reports/profit-and-loss`.
pub async fn profit_and_loss_report(
    cx: &Ctx<'_>,
    (from, to): (NaiveDate, NaiveDate),
    basis: super::pnl::Basis,
    building: Option<&str>,
) -> Result<super::pnl::ProfitAndLoss> {
    check_span(from, to)?;
    let building = property(cx, building).await?;
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    Ok(super::pnl::profit_and_loss(&entries, &chart, (from, to, basis), building.as_deref(), base))
}

/// Every building, by name (asked of the properties domain).
async fn buildings(cx: &Ctx<'_>) -> Result<Vec<crate::properties::model::Building>> {
    let mut buildings = crate::properties::buildings::all_buildings(cx).await?;
    buildings.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    Ok(buildings)
}

/// `GET …/reports/noi`: every building's NOI of the year.
pub async fn noi_report(cx: &Ctx<'_>, year: i32, basis: super::pnl::Basis) -> Result<super::noi::NoiReport> {
    check_year(year)?;
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    let buildings = buildings(cx).await?;
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    Ok(super::noi::noi(&entries, &chart, (year, basis), &buildings, base))
}

/// `GET …/reports/schedule-e`: every building of the year, with the days it was let (asked of
/// the leasing domain).
pub async fn schedule_e_report(
    cx: &Ctx<'_>,
    year: i32,
    basis: super::pnl::Basis,
) -> Result<super::schedule_e::ScheduleE> {
    check_year(year)?;
    let span = (super::pnl::month_start((year, 1)), super::pnl::month_end((year, 12)));
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    let days = crate::leasing::occupancy::rented_days(cx, span).await?;
    let buildings: Vec<_> = buildings(cx)
        .await?
        .into_iter()
        .filter(|b| !b.archived || days.get(&b.id).is_some_and(|d| *d > 0))
        .map(|b| {
            let d = days.get(&b.id).copied().unwrap_or(0);
            (b, d)
        })
        .collect();
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    Ok(super::schedule_e::schedule_e(&entries, &chart, (year, basis), &buildings, base))
}

/// `GET …/reports/rent-roll`.
pub async fn rent_roll_report(cx: &Ctx<'_>, as_of: NaiveDate) -> Result<super::rent_roll::RentRoll> {
    super::rent_roll::gather(cx, as_of).await
}

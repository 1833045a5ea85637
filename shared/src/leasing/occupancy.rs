//! Occupancy on a date, derived from the lease terms kept on each unit: a unit is occupied when
//! an activated lease's term covers the date. Two single-partition queries (units, buildings)
//! answer it for any past or future date.

use super::model::UnitTerm;
use crate::ids::BuildingId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, from_item, keys, Query};
use crate::properties::model::{Building, UnitRecord};
use crate::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OccupancyCounts {
    pub units: u32,
    pub occupied: u32,
    pub vacant: u32,
    /// occupied / units, 4 decimals ("0.7500"); "0.0000" without units.
    #[schema(value_type = String, example = "0.7500")]
    pub rate: Decimal,
}

impl OccupancyCounts {
    fn new(units: u32, occupied: u32) -> Self {
        let rate =
            if units == 0 { Decimal::ZERO } else { (Decimal::from(occupied) / Decimal::from(units)).round_dp(4) };
        let mut rate = rate;
        rate.rescale(4);
        OccupancyCounts { units, occupied, vacant: units - occupied, rate }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuildingOccupancy {
    pub building_id: BuildingId,
    pub name: String,
    pub archived: bool,
    #[serde(flatten)]
    pub counts: OccupancyCounts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Occupancy {
    pub date: NaiveDate,
    pub portfolio: OccupancyCounts,
    pub buildings: Vec<BuildingOccupancy>,
}

/// Whether any of a unit's terms covers `date`.
pub fn occupied_on(terms: &[UnitTerm], date: NaiveDate) -> bool {
    terms.iter().any(|t| t.term.covers(date))
}

pub async fn occupancy(cx: &Ctx<'_>, date: NaiveDate) -> Result<Occupancy> {
    let (upk, uprefix) = keys::units(cx.scope);
    let (bpk, bprefix) = keys::buildings(cx.scope);
    let (units, buildings) = futures::try_join!(
        cx.db.query_all(Query::partition(db::Index::Primary, upk).begins_with(uprefix)),
        cx.db.query_all(Query::partition(db::Index::Primary, bpk).begins_with(bprefix)),
    )?;
    let mut per_building: BTreeMap<BuildingId, (u32, u32)> = BTreeMap::new();
    for item in units {
        let u: UnitRecord = from_item(item)?;
        let e = per_building.entry(u.building_id.clone()).or_default();
        e.0 += 1;
        e.1 += u32::from(occupied_on(&u.terms, date));
    }
    let mut out = Vec::new();
    let (mut total, mut occupied) = (0, 0);
    for item in buildings {
        let b: Building = from_item(item)?;
        let (n, o) = per_building.get(&b.id).copied().unwrap_or_default();
        total += n;
        occupied += o;
        out.push(BuildingOccupancy {
            building_id: b.id,
            name: b.name,
            archived: b.archived,
            counts: OccupancyCounts::new(n, o),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.building_id.cmp(&b.building_id)));
    Ok(Occupancy { date, portfolio: OccupancyCounts::new(total, occupied), buildings: out })
}

/// Days of `from..=to` on which at least one of `terms` covers the day.
pub fn days_covered(terms: &[UnitTerm], (from, to): (NaiveDate, NaiveDate)) -> u32 {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = terms
        .iter()
        .filter_map(|t| {
            let (s, e) = (t.term.start.max(from), t.term.end.map_or(to, |e| e.min(to)));
            (s <= e).then_some((s, e))
        })
        .collect();
    spans.sort();
    let (mut days, mut reached): (i64, Option<NaiveDate>) = (0, None);
    for (s, e) in spans {
        let s = reached.map_or(s, |r| s.max(r.succ_opt().unwrap_or(r)));
        if s <= e {
            days += (e - s).num_days() + 1;
        }
        reached = Some(reached.map_or(e, |r| r.max(e)));
    }
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// Per building: the days of `from..=to` on which at least one of its units was let (an
/// activated lease's term covered it) — Schedule E's fair rental days.
pub async fn rented_days(cx: &Ctx<'_>, span: (NaiveDate, NaiveDate)) -> Result<BTreeMap<BuildingId, u32>> {
    let (upk, uprefix) = keys::units(cx.scope);
    let units = cx.db.query_all(Query::partition(db::Index::Primary, upk).begins_with(uprefix)).await?;
    let mut terms: BTreeMap<BuildingId, Vec<UnitTerm>> = BTreeMap::new();
    for item in units {
        let u: UnitRecord = from_item(item)?;
        terms.entry(u.building_id).or_default().extend(u.terms);
    }
    Ok(terms.into_iter().map(|(b, t)| (b, days_covered(&t, span))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_four_decimals() {
        assert_eq!(OccupancyCounts::new(3, 2).rate.to_string(), "0.6667");
        assert_eq!(OccupancyCounts::new(0, 0).rate.to_string(), "0.0000");
        assert_eq!(OccupancyCounts::new(4, 4).rate.to_string(), "1.0000");
        assert_eq!(OccupancyCounts::new(4, 1).vacant, 3);
    }

    use crate::ids::LeaseId;
    use crate::properties::model::Term;

    fn term(start: &str, end: Option<&str>) -> UnitTerm {
        let d = |s: &str| s.parse().unwrap();
        UnitTerm { lease_id: LeaseId::new(), term: Term { start: d(start), end: end.map(d) } }
    }

    #[test]
    fn days_covered_counts_each_day_of_the_span_once_however_many_terms_cover_it() {
        let year = ("2026-01-01".parse().unwrap(), "2026-12-31".parse().unwrap());
        assert_eq!(days_covered(&[], year), 0);
        assert_eq!(days_covered(&[term("2025-06-01", None)], year), 365);
        assert_eq!(days_covered(&[term("2026-03-01", Some("2026-03-31"))], year), 31);
        // Overlapping, touching, contained and disjoint terms, one reaching past the year.
        let terms = [
            term("2026-01-01", Some("2026-01-31")),
            term("2026-01-15", Some("2026-02-10")),
            term("2026-02-11", Some("2026-02-11")),
            term("2026-01-05", Some("2026-01-06")),
            term("2026-12-30", Some("2027-02-01")),
        ];
        assert_eq!(days_covered(&terms, year), 42 + 2);
        assert_eq!(days_covered(&[term("2027-01-01", None), term("2020-01-01", Some("2025-12-31"))], year), 0);
    }
}

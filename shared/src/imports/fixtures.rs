//! What the imports' unit tests plan rows against: an org with the building "Elm Court" (units
//! 1A and 1B), the seeded chart, and the leases each test gives.

use super::kinds::{Books, Row, UnitLeases};
use crate::ids::{BuildingId, LeaseId, TenantId, UnitId};
use crate::leasing::model::{LeaseRecord, LeaseStatus, Term, UnitTerm};
use crate::money::{Currency, StoredMoney};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z").expect("an instant").with_timezone(&Utc)
}

pub fn usd() -> Currency {
    Currency::parse("USD").expect("USD")
}

/// The row a header and its cells make (empty cells left out, as `run::read` does).
pub fn row(header: &str, cells: &str) -> Row {
    header
        .split(',')
        .zip(cells.split(','))
        .filter(|(_, v)| !v.is_empty())
        .map(|(h, v)| (h.to_owned(), v.to_owned()))
        .collect()
}

pub struct Org {
    pub building: BuildingId,
    /// 1A, 1B.
    pub units: [UnitId; 2],
}

impl Org {
    pub fn new() -> Org {
        Org { building: BuildingId::new(), units: [UnitId::new(), UnitId::new()] }
    }

    /// A lease of `unit` (activated unless `status` says draft) from `start` to `end`.
    pub fn lease(&self, unit: usize, status: LeaseStatus, start: &str, end: Option<&str>) -> LeaseRecord {
        LeaseRecord {
            id: LeaseId::new(),
            unit_id: self.units[unit].clone(),
            building_id: self.building.clone(),
            tenant_ids: vec![TenantId::new()],
            status,
            start_date: day(start),
            end_date: end.map(day),
            rent: StoredMoney { minor: 145_000, currency: usd() },
            due_day: 1,
            deposit: None,
            deposit_instalments: None,
            late_fee_policy: None,
            move_out_date: None,
            renewal_of: None,
            renewed_by: None,
            activated_at: None,
            ended_at: None,
            created_at: now(),
            updated_at: now(),
            v: 1,
        }
    }

    /// The units as the imports read them, with `leases` (the activated ones on their units'
    /// terms).
    pub fn unit_leases(&self, leases: &[LeaseRecord]) -> UnitLeases {
        let mut by_unit: HashMap<UnitId, Vec<LeaseRecord>> = HashMap::new();
        let mut terms: HashMap<UnitId, Vec<UnitTerm>> = HashMap::new();
        for l in leases {
            by_unit.entry(l.unit_id.clone()).or_default().push(l.clone());
            if l.status != LeaseStatus::Draft {
                let term = Term { start: l.start_date, end: l.move_out_date.or(l.end_date) };
                terms.entry(l.unit_id.clone()).or_default().push(UnitTerm { lease_id: l.id.clone(), term });
            }
        }
        UnitLeases {
            units: [("1a", 0), ("1b", 1)]
                .into_iter()
                .map(|(label, i)| (("elm court".to_owned(), label.to_owned()), self.units[i].clone()))
                .collect(),
            buildings: HashSet::from(["elm court".to_owned()]),
            terms,
            leases: by_unit,
        }
    }

    /// The seeded chart (`archived` archived), the building and its units by name.
    pub fn books(&self, archived: &[&str]) -> Books {
        let org = crate::ids::OrgId::new();
        let chart: BTreeMap<_, _> = crate::books::chart::SEEDED
            .iter()
            .map(|s| {
                let a = crate::books::model::Account {
                    id: crate::ids::AccountId::of(&org, s.code),
                    code: s.code.to_owned(),
                    name: s.name.to_owned(),
                    type_: s.kind,
                    subtype: s.subtype,
                    parent_id: None,
                    schedule_e: None,
                    currency: None,
                    seeded: true,
                    archived: archived.contains(&s.code),
                    created_at: now(),
                    updated_at: now(),
                };
                (s.code.to_owned(), a)
            })
            .collect();
        let units = [("1a", 0), ("1b", 1)]
            .into_iter()
            .map(|(label, i)| (("elm court".to_owned(), label.to_owned()), self.units[i].clone()))
            .collect();
        Books {
            chart,
            vendors: HashMap::new(),
            buildings: HashMap::from([("elm court".to_owned(), self.building.clone())]),
            units,
        }
    }
}

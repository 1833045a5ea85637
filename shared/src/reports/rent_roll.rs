//! The rent roll as of a day: every unit with the lease that covered it that day (its tenants,
//! dates and rent), the deposit held and the balance owed on that day (the lease's ledger
//! replayed to it), and its status — `vacant`, `occupied`, or `notice` (the lease was ended by
//! then with a move-out still to come). Assembled from the properties, leasing and billing
//! domains' own reads (never their items).

use crate::billing::ledger::Totals;
use crate::ids::{LeaseId, TenantId};
use crate::leasing::model::{LeaseRecord, Tenant};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::properties::model::{Building, UnitRecord};
use crate::Result;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    Occupied,
    Vacant,
    /// Let, with the lease ended and the move-out still to come.
    Notice,
}

/// `GET …/reports/rent-roll`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RentRoll {
    pub as_of: NaiveDate,
    pub units: Vec<RentRollUnit>,
    pub occupied: u32,
    pub vacant: u32,
    pub notice: u32,
    /// Per currency: the monthly rent of the leases, deposits held, balances owed.
    pub totals: Vec<RentRollTotal>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RentRollUnit {
    pub building_id: String,
    pub building_name: String,
    pub unit_id: String,
    pub label: String,
    pub status: UnitStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_rent: Option<MoneyDto>,
    /// The lease that covered the unit that day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease: Option<RentRollLease>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RentRollLease {
    pub lease_id: LeaseId,
    pub tenants: Vec<RentRollTenant>,
    pub start_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub move_out_date: Option<NaiveDate>,
    pub rent: MoneyDto,
    /// The deposit held that day.
    pub deposit_held: MoneyDto,
    /// What the tenant owed that day (negative: credit).
    pub balance: MoneyDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RentRollTenant {
    pub tenant_id: TenantId,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RentRollTotal {
    #[schema(value_type = String, example = "USD")]
    pub currency: String,
    pub rent: MoneyDto,
    pub deposits_held: MoneyDto,
    pub balance: MoneyDto,
}

/// What the rent roll is made of.
pub struct Inputs<'a> {
    pub buildings: &'a [Building],
    pub units: &'a [UnitRecord],
    pub leases: &'a HashMap<LeaseId, LeaseRecord>,
    pub tenants: &'a HashMap<TenantId, Tenant>,
    /// Per covering lease: its ledger's totals that day.
    pub totals: &'a HashMap<LeaseId, Totals>,
}

/// The lease covering `u` on `as_of`, if any (from the unit's terms).
pub fn covering(u: &UnitRecord, as_of: NaiveDate) -> Option<&LeaseId> {
    u.terms.iter().find(|t| t.term.covers(as_of)).map(|t| &t.lease_id)
}

/// The unit's status on `as_of` with its covering lease.
fn status(lease: Option<&LeaseRecord>, as_of: NaiveDate) -> UnitStatus {
    match lease {
        None => UnitStatus::Vacant,
        Some(l) => {
            let ended_by_then = l.ended_at.is_some_and(|at| at.date_naive() <= as_of);
            let leaving = l.move_out_date.is_some_and(|m| as_of <= m);
            if ended_by_then && leaving {
                UnitStatus::Notice
            } else {
                UnitStatus::Occupied
            }
        }
    }
}

/// The rent roll on `as_of` (pure).
pub fn rent_roll(i: &Inputs<'_>, as_of: NaiveDate) -> RentRoll {
    let names: HashMap<_, _> = i.buildings.iter().map(|b| (&b.id, b.name.as_str())).collect();
    let mut rows = Vec::new();
    let mut sums: BTreeMap<Currency, (i64, i64, i64)> = BTreeMap::new();
    let (mut occupied, mut vacant, mut notice) = (0, 0, 0);
    for u in i.units {
        let lease = covering(u, as_of).and_then(|id| i.leases.get(id));
        let st = status(lease, as_of);
        match st {
            UnitStatus::Occupied => occupied += 1,
            UnitStatus::Vacant => vacant += 1,
            UnitStatus::Notice => notice += 1,
        }
        let lease = lease.map(|l| {
            let c = l.rent.currency;
            let t = i.totals.get(&l.id).copied().unwrap_or_default();
            let s = sums.entry(c).or_default();
            (s.0, s.1, s.2) = (s.0 + l.rent.minor, s.1 + t.deposit, s.2 + t.balance);
            let m = |v: i64| MoneyDto::from(Money::new(v, c));
            RentRollLease {
                lease_id: l.id.clone(),
                tenants: l
                    .tenant_ids
                    .iter()
                    .map(|t| RentRollTenant {
                        tenant_id: t.clone(),
                        name: i
                            .tenants
                            .get(t)
                            .map_or_else(String::new, |t| format!("{} {}", t.first_name, t.last_name)),
                    })
                    .collect(),
                start_date: l.start_date,
                end_date: l.end_date,
                move_out_date: l.move_out_date,
                rent: m(l.rent.minor),
                deposit_held: m(t.deposit),
                balance: m(t.balance),
            }
        });
        rows.push(RentRollUnit {
            building_id: u.building_id.to_string(),
            building_name: names.get(&u.building_id).copied().unwrap_or_default().to_owned(),
            unit_id: u.id.to_string(),
            label: u.label.clone(),
            status: st,
            market_rent: u.market_rent.map(|m| Money::from(m).into()),
            lease,
        });
    }
    rows.sort_by(|a, b| {
        (a.building_name.to_lowercase(), &a.building_id, natural(&a.label)).cmp(&(
            b.building_name.to_lowercase(),
            &b.building_id,
            natural(&b.label),
        ))
    });
    let totals = sums
        .into_iter()
        .map(|(c, (rent, held, balance))| {
            let m = |v: i64| MoneyDto::from(Money::new(v, c));
            RentRollTotal { currency: c.code().to_owned(), rent: m(rent), deposits_held: m(held), balance: m(balance) }
        })
        .collect();
    RentRoll { as_of, units: rows, occupied, vacant, notice, totals }
}

/// A label's sort key: "2" before "10".
fn natural(label: &str) -> (Option<u64>, String) {
    (label.parse().ok(), label.to_lowercase())
}

/// Reads what the rent roll of `as_of` needs from each domain's own reads.
pub async fn gather(cx: &Ctx<'_>, as_of: NaiveDate) -> Result<RentRoll> {
    let buildings = crate::properties::buildings::all_buildings(cx).await?;
    let units = crate::properties::units::all_units(cx).await?;
    let wanted: Vec<LeaseId> = units.iter().filter_map(|u| covering(u, as_of).cloned()).collect();
    let leases: HashMap<LeaseId, LeaseRecord> =
        crate::leasing::service::leases_by_id(cx, &wanted).await?.into_iter().map(|l| (l.id.clone(), l)).collect();
    let mut tenant_ids: Vec<TenantId> = leases.values().flat_map(|l| l.tenant_ids.iter().cloned()).collect();
    tenant_ids.sort();
    tenant_ids.dedup();
    let tenants: HashMap<TenantId, Tenant> =
        crate::leasing::tenants::tenants_by_id(cx, &tenant_ids).await?.into_iter().map(|t| (t.id.clone(), t)).collect();
    let mut totals = HashMap::new();
    for chunk in wanted.chunks(8) {
        let reads: Vec<_> = chunk.iter().map(|id| crate::billing::service::read_ledger(cx.db, cx.scope, id)).collect();
        for (id, items) in chunk.iter().zip(futures::future::try_join_all(reads).await?) {
            totals.insert(id.clone(), crate::billing::service::totals(&items, as_of));
        }
    }
    let inputs = Inputs { buildings: &buildings, units: &units, leases: &leases, tenants: &tenants, totals: &totals };
    Ok(rent_roll(&inputs, as_of))
}

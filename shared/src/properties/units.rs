//! Units: create (one, or up to 500 from a pattern, all-or-nothing), read, change, delete. A label
//! is unique per building through a label item written in the same transaction as the unit.

use super::events::{UnitCreated, UnitUpdated};
use super::model::*;
use super::writes::{building_unit_delta, delete_unit_actions, parse_building};
use crate::events;
use crate::ids::{BuildingId, UnitId};
use crate::money::StoredMoney;
use crate::platform::ctx::Ctx;
use crate::platform::db::{
    self, keys, s, DbError, Expr, Item, ItemBuilder, PageOf, PageRequest, Query, Tx, MAX_TRANSACTION_ACTIONS,
};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::{HashMap, HashSet};

fn parse_unit(id: &str) -> Result<UnitId> {
    UnitId::parse(id).ok_or(Error::NotFound("unit"))
}

fn unit_item(scope: &OrgScope, u: &UnitRecord) -> Item {
    let (g1pk, g1sk) = keys::unit_gsi1(scope, &u.building_id, &u.label);
    ItemBuilder::new(UNIT_ENTITY, &keys::unit(scope, &u.id), u).gsi1(g1pk, g1sk).version(u.v).build()
}

fn label_item(scope: &OrgScope, u: &UnitRecord) -> Item {
    let key = keys::unit_label(scope, &u.building_id, &u.label);
    ItemBuilder::new(LABEL_ENTITY, &key, &json!({"unitId": u.id, "label": u.label})).build()
}

/// Adds the unit, its label reservation and its event to `tx`; returns the label action's index.
pub(crate) fn create_unit_actions(tx: &mut Tx, scope: &OrgScope, u: &UnitRecord) -> usize {
    tx.put(unit_item(scope, u), Some(Expr::not_exists()));
    let label = tx.put(label_item(scope, u), Some(Expr::not_exists()));
    events::emit(tx, scope, &UnitCreated::from(u));
    label
}

pub(crate) fn new_unit(building: &BuildingId, input: CreateUnit, now: DateTime<Utc>) -> Result<UnitRecord> {
    let market_rent = match &input.market_rent {
        Some(m) => Some(StoredMoney::from(m.to_money("marketRent").map_err(|e| Error::Invalid(vec![e]))?)),
        None => None,
    };
    Ok(UnitRecord {
        id: UnitId::new(),
        building_id: building.clone(),
        label: input.label.trim().to_owned(),
        bedrooms: input.bedrooms,
        bathrooms: input.bathrooms,
        area_sqft: input.area_sqft,
        market_rent,
        lease_count: 0,
        terms: Vec::new(),
        terms_version: 0,
        created_at: now,
        updated_at: now,
        v: 1,
    })
}

/// After a cancelled write that touched the building: 404 if it is gone, 409 if archived.
async fn building_refusal(cx: &Ctx<'_>, building: &BuildingId) -> Error {
    match cx.db.get_as::<Building>(&keys::building(cx.scope, building)).await {
        Ok(Some(b)) if b.archived => Error::Conflict("the building is archived; unarchive it to add units".into()),
        Ok(Some(_)) => Error::Conflict("the building changed concurrently; retry".into()),
        Ok(None) => Error::NotFound("building"),
        Err(e) => e.into(),
    }
}

pub async fn create_unit(cx: &Ctx<'_>, building: &str, input: CreateUnit) -> Result<Unit> {
    let building = parse_building(building)?;
    let u = new_unit(&building, input, cx.now)?;
    let mut tx = Tx::new();
    let b_idx = building_unit_delta(&mut tx, cx.scope, &building, 1, true);
    let label_idx = create_unit_actions(&mut tx, cx.scope, &u);
    match cx.db.transact(tx).await {
        Ok(()) => Ok(u.into()),
        Err(e) => match e.failed_conditions() {
            Some(idx) if idx.contains(&b_idx) => Err(building_refusal(cx, &building).await),
            Some(idx) if idx.contains(&label_idx) => {
                Err(Error::Conflict(format!("unit label '{}' already exists in this building", u.label)))
            }
            _ => Err(e.into()),
        },
    }
}

/// Refuses labels the request repeats (case and spacing aside).
fn refuse_repeated(labels: &[String]) -> Result<()> {
    let mut seen = HashSet::new();
    let mut repeated: Vec<&str> = Vec::new();
    for l in labels {
        if !seen.insert(keys::label_key(l)) && !repeated.contains(&l.as_str()) {
            repeated.push(l);
        }
    }
    if !repeated.is_empty() {
        return Err(Error::Conflict(format!("duplicate labels in the request: {}", repeated.join(", "))));
    }
    Ok(())
}

/// Refuses labels the building already has, and an archived building (read up front, for a
/// bulk create that takes several transactions).
async fn refuse_existing(cx: &Ctx<'_>, building: &BuildingId, labels: &[String]) -> Result<()> {
    let b: Building = cx.db.get_as(&keys::building(cx.scope, building)).await?.ok_or(Error::NotFound("building"))?;
    if b.archived {
        return Err(Error::Conflict("the building is archived; unarchive it to add units".into()));
    }
    let (pk, prefix) = keys::unit_labels(cx.scope, building);
    let existing: HashSet<String> = cx
        .db
        .query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix))
        .await?
        .into_iter()
        .filter_map(|i| i.get("label").and_then(|v| v.as_s().ok()).map(|l| keys::label_key(l)))
        .collect();
    let clashes: Vec<&str> =
        labels.iter().filter(|l| existing.contains(&keys::label_key(l))).map(String::as_str).collect();
    if !clashes.is_empty() {
        return Err(Error::Conflict(format!("labels already exist in this building: {}", clashes.join(", "))));
    }
    Ok(())
}

/// Creates up to 500 units all-or-nothing: duplicates (in the request or the building) are
/// refused up front, naming them; the writes go in transactions of ≤ 100 actions, and if a later
/// chunk loses a race the earlier chunks are undone.
pub async fn bulk_create_units(cx: &Ctx<'_>, building: &str, input: BulkUnits) -> Result<Vec<Unit>> {
    let building = parse_building(building)?;
    let labels = input.labels().map_err(Error::Invalid)?;
    refuse_repeated(&labels)?;
    let per_tx = (MAX_TRANSACTION_ACTIONS - 1) / 3;
    // One chunk is atomic by itself: its cancellation reasons name the clashing labels. Several
    // chunks are not, so clashes are found up front and a lost race undoes the earlier chunks.
    if labels.len() > per_tx {
        refuse_existing(cx, &building, &labels).await?;
    }
    let units: Vec<UnitRecord> = labels
        .into_iter()
        .map(|label| {
            new_unit(
                &building,
                CreateUnit { label, bedrooms: None, bathrooms: None, area_sqft: None, market_rent: None },
                cx.now,
            )
        })
        .collect::<Result<_>>()?;
    let mut written = 0;
    for chunk in units.chunks(per_tx) {
        let mut tx = Tx::new();
        let b_idx = building_unit_delta(&mut tx, cx.scope, &building, chunk.len() as i64, true);
        let label_idx: HashMap<usize, &str> =
            chunk.iter().map(|u| (create_unit_actions(&mut tx, cx.scope, u), u.label.as_str())).collect();
        if let Err(e) = cx.db.transact(tx).await {
            if !rollback(cx, &building, &units[..written]).await {
                return Err(Error::Store(DbError::Unavailable(format!(
                    "bulk create of units in {building} was interrupted and could not be fully undone"
                ))));
            }
            return Err(match e.failed_conditions() {
                Some(idx) if idx.contains(&b_idx) => building_refusal(cx, &building).await,
                Some(idx) => {
                    let names: Vec<&str> = idx.iter().filter_map(|i| label_idx.get(i).copied()).collect();
                    Error::Conflict(format!("labels already exist in this building: {}", names.join(", ")))
                }
                None => e.into(),
            });
        }
        written += chunk.len();
    }
    Ok(units.into_iter().map(Unit::from).collect())
}

/// Undoes units written by an interrupted bulk create; false if some could not be undone (a unit
/// was changed or leased in between), which is logged and reported as a server failure.
async fn rollback(cx: &Ctx<'_>, building: &BuildingId, units: &[UnitRecord]) -> bool {
    let mut complete = true;
    for chunk in units.chunks((MAX_TRANSACTION_ACTIONS - 1) / 3) {
        let mut tx = Tx::new();
        for u in chunk {
            delete_unit_actions(&mut tx, cx.scope, u);
        }
        building_unit_delta(&mut tx, cx.scope, building, -(chunk.len() as i64), false);
        if let Err(e) = cx.db.transact(tx).await {
            tracing::error!(error = %e, building = %building, "bulk unit rollback failed");
            complete = false;
        }
    }
    complete
}

/// Every unit of the org with its lease terms (reports: bounded by what one landlord owns).
pub async fn all_units(cx: &Ctx<'_>) -> Result<Vec<UnitRecord>> {
    let (pk, prefix) = keys::units(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn list_units(cx: &Ctx<'_>, building: &str, page: PageRequest) -> Result<PageOf<Unit>> {
    let building = parse_building(building)?;
    let first_page = page.start.is_none();
    let records: PageOf<UnitRecord> =
        cx.db.page_of(Query::partition(db::Index::Gsi1, keys::units_of_building(cx.scope, &building)), page).await?;
    // An empty first page may mean "no such building": only then pay for the extra read.
    if first_page && records.items.is_empty() && cx.db.get(&keys::building(cx.scope, &building)).await?.is_none() {
        return Err(Error::NotFound("building"));
    }
    Ok(PageOf { items: records.items.into_iter().map(Unit::from).collect(), last_key: records.last_key })
}

pub(crate) async fn get_unit_record(cx: &Ctx<'_>, id: &str) -> Result<UnitRecord> {
    let id = parse_unit(id)?;
    cx.db.get_as(&keys::unit(cx.scope, &id)).await?.ok_or(Error::NotFound("unit"))
}

pub async fn get_unit(cx: &Ctx<'_>, id: &str) -> Result<Unit> {
    Ok(get_unit_record(cx, id).await?.into())
}

pub async fn update_unit(cx: &Ctx<'_>, id: &str, input: UpdateUnit) -> Result<Unit> {
    let before = get_unit_record(cx, id).await?;
    let mut u = before.clone();
    if let Some(v) = &input.label {
        u.label = v.trim().to_owned();
    }
    if input.bedrooms.is_some() {
        u.bedrooms = input.bedrooms;
    }
    if input.bathrooms.is_some() {
        u.bathrooms = input.bathrooms;
    }
    if input.area_sqft.is_some() {
        u.area_sqft = input.area_sqft;
    }
    if let Some(m) = &input.market_rent {
        u.market_rent = Some(m.to_money("marketRent").map_err(|e| Error::Invalid(vec![e]))?.into());
    }
    u.updated_at = cx.now;
    u.v = before.v + 1;
    let mut tx = Tx::new();
    // Lease count and terms move under leasing's transactions: leave them, condition on version.
    let mut item = unit_item(cx.scope, &u);
    for moving in ["leaseCount", "terms", "termsVersion"] {
        item.remove(moving);
    }
    let update_expr = Expr::set(item.into_iter().filter(|(k, _)| k != "PK" && k != "SK"));
    tx.update(keys::unit(cx.scope, &u.id), update_expr, Some(Expr::at_version(before.v)));
    let relabel = keys::label_key(&u.label) != keys::label_key(&before.label);
    let mut label_idx = None;
    if relabel {
        let held = Expr::new("unitId = :unit").value(":unit", s(u.id.as_str()));
        tx.delete(keys::unit_label(cx.scope, &before.building_id, &before.label), Some(held));
        label_idx = Some(tx.put(label_item(cx.scope, &u), Some(Expr::not_exists())));
    } else if u.label != before.label {
        tx.put(label_item(cx.scope, &u), None);
    }
    events::emit(&mut tx, cx.scope, &UnitUpdated::from(&u));
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if label_idx.is_some_and(|l| idx.contains(&l)) => {
            Error::Conflict(format!("unit label '{}' already exists in this building", u.label))
        }
        Some(_) => Error::Conflict("the unit changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(u.into())
}

/// Deletes a unit that never had a lease.
pub async fn delete_unit(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let u = get_unit_record(cx, id).await?;
    if u.lease_count > 0 {
        return Err(Error::Conflict("a unit with lease history cannot be deleted".into()));
    }
    let mut tx = Tx::new();
    delete_unit_actions(&mut tx, cx.scope, &u);
    building_unit_delta(&mut tx, cx.scope, &u.building_id, -1, false);
    cx.db.transact(tx).await.map_err(|e: DbError| match e.failed_conditions() {
        Some(_) => Error::Conflict("the unit gained lease history or changed; reload".into()),
        None => e.into(),
    })?;
    Ok(())
}

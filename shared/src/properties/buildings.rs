//! Buildings: create, read, change (archive, unarchive) and delete; a building counts its units.

use super::events::{BuildingArchived, BuildingCreated, BuildingDeleted, BuildingUnarchived, BuildingUpdated};
use super::model::*;
use super::writes::{av, building_unit_delta, delete_unit_actions, parse_building};
use crate::events;
use crate::ids::BuildingId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{
    self, keys, n, s, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx, MAX_TRANSACTION_ACTIONS,
};
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;

pub async fn create_building(cx: &Ctx<'_>, input: CreateBuilding) -> Result<Building> {
    let now = cx.now;
    let b = Building {
        id: BuildingId::new(),
        name: input.name.trim().to_owned(),
        facts: input.facts(),
        address: input.address,
        archived: false,
        unit_count: 0,
        created_at: now,
        updated_at: now,
        v: 1,
    };
    let mut tx = Tx::new();
    tx.put(ItemBuilder::new(BUILDING_ENTITY, &keys::building(cx.scope, &b.id), &b).build(), Some(Expr::not_exists()));
    events::emit(&mut tx, cx.scope, &BuildingCreated::from(&b));
    cx.db.transact(tx).await?;
    Ok(b)
}

pub async fn get_building(cx: &Ctx<'_>, id: &str) -> Result<Building> {
    let id = parse_building(id)?;
    cx.db.get_as(&keys::building(cx.scope, &id)).await?.ok_or(Error::NotFound("building"))
}

/// Every building of the org (reports: bounded by what one landlord owns).
pub async fn all_buildings(cx: &Ctx<'_>) -> Result<Vec<Building>> {
    let (pk, prefix) = keys::buildings(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn list_buildings(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Building>> {
    let (pk, prefix) = keys::buildings(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

pub async fn update_building(cx: &Ctx<'_>, id: &str, input: UpdateBuilding) -> Result<Building> {
    let before = get_building(cx, id).await?;
    let mut b = before.clone();
    b.facts = b.facts.merged(&input.facts());
    if let Some(v) = input.name {
        b.name = v.trim().to_owned();
    }
    if let Some(v) = input.address {
        b.address = v;
    }
    if let Some(v) = input.archived {
        b.archived = v;
    }
    b.updated_at = cx.now;
    b.v = before.v + 1;
    // SET only what a PATCH owns: the unit counter moves concurrently under its own ADDs.
    let mut set = vec![
        ("name", s(&b.name)),
        ("address", av(&b.address)),
        ("archived", AttributeValue::Bool(b.archived)),
        ("updatedAt", av(&b.updated_at)),
        ("v", n(b.v)),
    ];
    let f = &b.facts;
    set.extend(f.property_type.map(|t| ("propertyType", n(i64::from(t)))));
    set.extend(f.market_value.as_ref().map(|m| ("marketValue", av(m))));
    set.extend(f.purchase_date.as_ref().map(|d| ("purchaseDate", av(d))));
    set.extend(f.purchase_price.as_ref().map(|m| ("purchasePrice", av(m))));
    let update = Expr::set(set);
    let mut tx = Tx::new();
    tx.update(keys::building(cx.scope, &b.id), update, Some(Expr::at_version(before.v)));
    match (before.archived, b.archived) {
        (false, true) => events::emit(&mut tx, cx.scope, &BuildingArchived::from(&b)),
        (true, false) => events::emit(&mut tx, cx.scope, &BuildingUnarchived::from(&b)),
        _ => events::emit(&mut tx, cx.scope, &BuildingUpdated::from(&b)),
    };
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("the building changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(b)
}

/// Units of a building (all pages); bounded by what one landlord owns.
async fn units_of(cx: &Ctx<'_>, building: &BuildingId) -> Result<Vec<UnitRecord>> {
    let items = cx.db.query_all(Query::partition(db::Index::Gsi1, keys::units_of_building(cx.scope, building))).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

/// Deletes a building and its units, refused while any unit has lease history (archive it then).
pub async fn delete_building(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let b = get_building(cx, id).await?;
    let units = units_of(cx, &b.id).await?;
    let leased: Vec<&str> = units.iter().filter(|u| u.lease_count > 0).map(|u| u.label.as_str()).collect();
    if !leased.is_empty() {
        return Err(Error::Conflict(format!(
            "units with lease history cannot be deleted ({}); archive the building instead",
            leased.join(", ")
        )));
    }
    for chunk in units.chunks((MAX_TRANSACTION_ACTIONS - 1) / 3) {
        let mut tx = Tx::new();
        for u in chunk {
            delete_unit_actions(&mut tx, cx.scope, u);
        }
        building_unit_delta(&mut tx, cx.scope, &b.id, -(chunk.len() as i64), false);
        cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
            Some(_) => Error::Conflict("a unit changed while the building was being deleted; retry".into()),
            None => e.into(),
        })?;
    }
    let mut tx = Tx::new();
    let cond = Expr::new("attribute_exists(PK) AND unitCount = :zero").value(":zero", n(0));
    tx.delete(keys::building(cx.scope, &b.id), Some(cond));
    events::emit(&mut tx, cx.scope, &BuildingDeleted::from(&b));
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("units were added while the building was being deleted; retry".into()),
        None => e.into(),
    })?;
    Ok(())
}

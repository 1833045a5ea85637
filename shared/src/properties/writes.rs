//! Writes buildings and units share: parsing a building id, moving a building's unit counter,
//! deleting a unit with its label.

use super::events::UnitDeleted;
use super::model::*;
use crate::events;
use crate::ids::BuildingId;
use crate::platform::db::{keys, n, s, Expr, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;

pub(super) fn av<T: serde::Serialize>(v: &T) -> AttributeValue {
    serde_dynamo::to_attribute_value(v).expect("values serialize")
}

pub(super) fn parse_building(id: &str) -> Result<BuildingId> {
    BuildingId::parse(id).ok_or(Error::NotFound("building"))
}

/// Moves the building's unit counter; adding requires it to exist and not be archived.
pub(crate) fn building_unit_delta(
    tx: &mut Tx,
    scope: &OrgScope,
    building: &BuildingId,
    delta: i64,
    adding: bool,
) -> usize {
    let update = Expr::new("ADD unitCount :d").value(":d", n(delta));
    let cond = if adding {
        Expr::new("attribute_exists(PK) AND archived = :no").value(":no", AttributeValue::Bool(false))
    } else {
        Expr::exists()
    };
    tx.update(keys::building(scope, building), update, Some(cond))
}

/// Deletes the unit as it was read (same version, still no lease) and the label it holds.
pub(super) fn delete_unit_actions(tx: &mut Tx, scope: &OrgScope, u: &UnitRecord) -> usize {
    let at = Expr::at_version(u.v);
    let cond = Expr { expr: format!("{} AND leaseCount = :zero", at.expr), ..at }.value(":zero", n(0));
    let idx = tx.delete(keys::unit(scope, &u.id), Some(cond));
    let held = Expr::new("unitId = :unit").value(":unit", s(u.id.as_str()));
    tx.delete(keys::unit_label(scope, &u.building_id, &u.label), Some(held));
    events::emit(tx, scope, &UnitDeleted::from(u));
    idx
}

//! Every key of the single table is built here and nowhere else. Org data keys take an
//! `&OrgScope`, which only `platform::auth` can make: a handler that has not authorized cannot
//! name another org's item.

use super::{s, Item};
use crate::ids::{BuildingId, EventId, UnitId, UserId};
use crate::platform::auth::{OrgScope, Principal};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    fn new(pk: String, sk: impl Into<String>) -> Key {
        Key { pk, sk: sk.into() }
    }

    pub fn to_item(&self) -> Item {
        Item::from([("PK".to_owned(), s(&self.pk)), ("SK".to_owned(), s(&self.sk))])
    }
}

/// Number of shards of the org index (`ORGS#<n>`) that jobs fan out over.
pub const ORG_SHARDS: u32 = 16;

fn org_pk(scope: &OrgScope) -> String {
    format!("ORG#{}", scope.org_id())
}

pub fn org(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "ORG")
}

/// GSI1 of the org item: `ORGS#<shard>` / `ORG#<id>`, so jobs page orgs without a scan.
pub fn org_shard_gsi1(scope: &OrgScope) -> (String, String) {
    let shard =
        scope.org_id().as_str().bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32)) % ORG_SHARDS;
    (format!("ORGS#{shard}"), org_pk(scope))
}

pub fn member(scope: &OrgScope, user: &UserId) -> Key {
    Key::new(org_pk(scope), format!("MEMBER#{user}"))
}

pub const MEMBER_PREFIX: &str = "MEMBER#";

pub fn members(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), MEMBER_PREFIX)
}

/// GSI1 of a member item: the user's organizations.
pub fn member_gsi1(scope: &OrgScope, user: &UserId) -> (String, String) {
    (user_memberships(user), org_pk(scope))
}

/// The partition (GSI1) listing one user's memberships. Keyed by the user, not an org: it is what
/// membership lookups start from.
pub fn user_memberships(user: &UserId) -> String {
    format!("USER#{user}")
}

/// The membership item a principal would have in `org_id` (the authorization lookup itself).
pub(crate) fn membership_lookup(org_id: &crate::ids::OrgId, principal: &Principal) -> Key {
    Key::new(format!("ORG#{org_id}"), format!("MEMBER#{}", principal.user_id))
}

pub(crate) fn org_of(org_id: &crate::ids::OrgId) -> Key {
    Key::new(format!("ORG#{org_id}"), "ORG")
}

pub fn building(scope: &OrgScope, id: &BuildingId) -> Key {
    Key::new(org_pk(scope), format!("BLDG#{id}"))
}

pub fn buildings(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "BLDG#")
}

pub fn unit(scope: &OrgScope, id: &UnitId) -> Key {
    Key::new(org_pk(scope), format!("UNIT#{id}"))
}

/// GSI1 of a unit: the building's units, ordered by label.
pub fn unit_gsi1(scope: &OrgScope, building: &BuildingId, label: &str) -> (String, String) {
    (units_of_building(scope, building), format!("UNIT#{}", label_key(label)))
}

pub fn units_of_building(scope: &OrgScope, building: &BuildingId) -> String {
    format!("{}#BLDG#{building}", org_pk(scope))
}

/// The uniqueness item that reserves a unit label inside a building.
pub fn unit_label(scope: &OrgScope, building: &BuildingId, label: &str) -> Key {
    Key::new(org_pk(scope), format!("LABEL#{building}#{}", label_key(label)))
}

pub fn unit_labels(scope: &OrgScope, building: &BuildingId) -> (String, String) {
    (org_pk(scope), format!("LABEL#{building}#"))
}

/// Labels compare case-insensitively and ignoring surrounding space ("1A" and " 1a" clash).
pub fn label_key(label: &str) -> String {
    label.trim().to_lowercase()
}

pub fn events_partition(scope: &OrgScope) -> String {
    format!("{}#EVT", org_pk(scope))
}

/// An outbox event; its id is a ULID so the sort key is time-ordered.
pub fn event(scope: &OrgScope, id: &EventId) -> Key {
    Key::new(events_partition(scope), id.as_str().to_owned())
}

pub fn audit_partition(scope: &OrgScope) -> String {
    format!("{}#AUDIT", org_pk(scope))
}

pub fn audit(scope: &OrgScope, id: &crate::ids::AuditId) -> Key {
    Key::new(audit_partition(scope), id.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_clash_case_insensitively() {
        assert_eq!(label_key(" 1a "), label_key("1A"));
        assert_ne!(label_key("1A"), label_key("1B"));
    }
}

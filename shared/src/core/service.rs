//! Use cases for organizations, members and the audit log. Each write is one transaction that
//! carries its outbox event and, for member changes, its audit entry.

use super::events::{MemberAdded, MemberRemoved, MemberRoleChanged, OrgCreated, OrgUpdated};
use super::model::*;
use crate::events;
use crate::ids::{AuditId, OrgId, UserId};
use crate::money::Currency;
use crate::platform::db::{self, from_item, keys, n, s, Db, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::{OrgScope, Principal, Role};
use crate::{Error, Result};
use chrono::Utc;
use serde_json::{json, Value};

/// Adds an audit entry for a sensitive change to `tx`.
pub fn audit(
    tx: &mut Tx,
    scope: &OrgScope,
    action: &str,
    target: (&str, &str),
    before: Option<Value>,
    after: Option<Value>,
) {
    let entry = AuditEntry {
        id: AuditId::new(),
        at: Utc::now(),
        actor: scope.actor_id().to_owned(),
        action: action.to_owned(),
        target: events::Subject { type_: target.0.to_owned(), id: target.1.to_owned() },
        before,
        after,
    };
    tx.put(ItemBuilder::new(AUDIT_ENTITY, &keys::audit(scope, &entry.id), &entry).build(), None);
}

fn member_item(scope: &OrgScope, m: &Member) -> db::Item {
    let (g1pk, g1sk) = keys::member_gsi1(scope, &m.user_id);
    let mut item = ItemBuilder::new(MEMBER_ENTITY, &keys::member(scope, &m.user_id), m).gsi1(g1pk, g1sk).build();
    item.insert("orgId".into(), s(scope.org_id().as_str()));
    item
}

fn member_added(m: &Member) -> MemberAdded {
    MemberAdded { user_id: m.user_id.clone(), email: m.email.clone(), role: m.role }
}

fn member_json(m: &Member) -> Value {
    json!({"userId": m.user_id, "email": m.email, "role": m.role})
}

/// Creates an org with the caller as its first owner.
pub async fn create_org(db: &Db, principal: &Principal, input: CreateOrg) -> Result<Org> {
    let now = Utc::now();
    let org = Org {
        id: OrgId::new(),
        name: input.name.trim().to_owned(),
        base_currency: Currency::parse(&input.base_currency)
            .ok_or_else(|| Error::invalid("baseCurrency", "unknown"))?,
        country: input.country,
        timezone: input.timezone,
        created_at: now,
        updated_at: now,
        owner_count: 1,
        v: 1,
    };
    let scope = OrgScope::founding(org.id.clone(), principal.clone());
    let owner = Member {
        user_id: principal.user_id.clone(),
        email: principal.email.clone().unwrap_or_default(),
        role: Role::Owner,
        added_at: now,
        added_by: principal.user_id.to_string(),
        org_id: None,
    };
    let (shard_pk, shard_sk) = keys::org_shard_gsi1(&scope);
    let mut tx = Tx::new();
    let mut org_item = ItemBuilder::new(ORG_ENTITY, &keys::org(&scope), &org).gsi1(shard_pk, shard_sk).build();
    // The owner counter is internal (never serialized to clients) but guards the last owner.
    org_item.insert("ownerCount".into(), n(org.owner_count));
    tx.put(org_item, Some(Expr::not_exists()));
    tx.put(member_item(&scope, &owner), Some(Expr::not_exists()));
    audit(&mut tx, &scope, "member.added", ("member", owner.user_id.as_str()), None, Some(member_json(&owner)));
    let created = OrgCreated { org_id: org.id.clone(), name: org.name.clone(), base_currency: org.base_currency };
    events::emit(&mut tx, &scope, &created);
    events::emit(&mut tx, &scope, &member_added(&owner));
    db.transact(tx).await?;
    Ok(org)
}

pub async fn get_org(db: &Db, scope: &OrgScope) -> Result<Org> {
    org_from_item(db.get(&keys::org(scope)).await?)
}

/// The org in an item read at `keys::org` together with something else (`Db::get_pair`).
pub fn org_from_item(item: Option<db::Item>) -> Result<Org> {
    item.map(from_item).transpose()?.ok_or(Error::NotFound("organization"))
}

/// Today in the org's time zone.
pub fn org_today(org: &Org) -> chrono::NaiveDate {
    let tz: chrono_tz::Tz = org.timezone.parse().unwrap_or(chrono_tz::UTC);
    Utc::now().with_timezone(&tz).date_naive()
}

pub async fn update_org(db: &Db, scope: &OrgScope, input: UpdateOrg) -> Result<Org> {
    let before = get_org(db, scope).await?;
    let mut org = before.clone();
    if let Some(v) = input.name {
        org.name = v.trim().to_owned();
    }
    if let Some(v) = input.base_currency.as_deref().and_then(Currency::parse) {
        org.base_currency = v;
    }
    if let Some(v) = input.country {
        org.country = v;
    }
    if let Some(v) = input.timezone {
        org.timezone = v;
    }
    org.updated_at = Utc::now();
    org.v = before.v + 1;
    // SET only the settings: the owner counter moves concurrently under member changes.
    let update = Expr::set([
        ("name", s(&org.name)),
        ("baseCurrency", s(org.base_currency.code())),
        ("country", s(&org.country)),
        ("timezone", s(&org.timezone)),
        ("updatedAt", serde_dynamo::to_attribute_value(org.updated_at).expect("timestamps serialize")),
        ("v", n(org.v)),
    ]);
    let mut tx = Tx::new();
    tx.update(keys::org(scope), update, Some(Expr::at_version(before.v)));
    let data =
        json!({"name": org.name, "baseCurrency": org.base_currency, "country": org.country, "timezone": org.timezone});
    audit(
        &mut tx,
        scope,
        "org.updated",
        ("org", org.id.as_str()),
        Some(serde_json::to_value(&before).unwrap_or_default()),
        Some(data),
    );
    let updated = OrgUpdated {
        org_id: org.id.clone(),
        name: org.name.clone(),
        base_currency: org.base_currency,
        country: org.country.clone(),
        timezone: org.timezone.clone(),
    };
    events::emit(&mut tx, scope, &updated);
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("the organization changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(org)
}

/// The caller and every org they belong to (one GSI query, one batch read of the orgs).
pub async fn me(db: &Db, principal: &Principal) -> Result<Me> {
    let items = db.query_all(Query::partition(db::Index::Gsi1, keys::user_memberships(&principal.user_id))).await?;
    let members: Vec<Member> = items.into_iter().map(from_item).collect::<std::result::Result<_, _>>()?;
    let org_ids: Vec<OrgId> = members.iter().filter_map(|m| m.org_id.clone()).collect();
    let org_keys: Vec<_> = org_ids.iter().map(keys::org_of).collect();
    let orgs: Vec<Org> =
        db.batch_get(&org_keys).await?.into_iter().map(from_item).collect::<std::result::Result<_, _>>()?;
    let mut memberships: Vec<Membership> = members
        .iter()
        .filter_map(|m| {
            let org = orgs.iter().find(|o| Some(&o.id) == m.org_id.as_ref())?;
            Some(Membership { org_id: org.id.to_string(), org_name: org.name.clone(), role: m.role })
        })
        .collect();
    memberships.sort_by(|a, b| a.org_name.cmp(&b.org_name).then(a.org_id.cmp(&b.org_id)));
    Ok(Me { user_id: principal.user_id.to_string(), email: principal.email.clone(), memberships })
}

pub async fn list_members(db: &Db, scope: &OrgScope, page: PageRequest) -> Result<PageOf<Member>> {
    let (pk, prefix) = keys::members(scope);
    Ok(db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

async fn get_member(db: &Db, scope: &OrgScope, user: &UserId) -> Result<Member> {
    db.get_as(&keys::member(scope, user)).await?.ok_or(Error::NotFound("member"))
}

fn owner_delta(tx: &mut Tx, scope: &OrgScope, delta: i64) -> usize {
    let update = Expr::new("ADD ownerCount :d").value(":d", n(delta));
    let cond = if delta < 0 {
        // Never leave the org without an owner.
        Expr::new("attribute_exists(PK) AND ownerCount > :one").value(":one", n(1))
    } else {
        Expr::exists()
    };
    tx.update(keys::org(scope), update, Some(cond))
}

const LAST_OWNER: &str = "an organization must keep at least one owner";

pub async fn add_member(db: &Db, scope: &OrgScope, input: AddMember) -> Result<Member> {
    let member = Member {
        user_id: UserId::parse(&input.user_id).ok_or_else(|| Error::invalid("userId", "invalid"))?,
        email: input.email.trim().to_owned(),
        role: input.role,
        added_at: Utc::now(),
        added_by: scope.actor_id().to_owned(),
        org_id: None,
    };
    let mut tx = Tx::new();
    tx.put(member_item(scope, &member), Some(Expr::not_exists()));
    if member.role == Role::Owner {
        owner_delta(&mut tx, scope, 1);
    }
    audit(&mut tx, scope, "member.added", ("member", member.user_id.as_str()), None, Some(member_json(&member)));
    events::emit(&mut tx, scope, &member_added(&member));
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict(format!("{} is already a member", member.user_id)),
        None => e.into(),
    })?;
    Ok(member)
}

pub async fn update_member(db: &Db, scope: &OrgScope, user: &str, input: UpdateMember) -> Result<Member> {
    let user = UserId::parse(user).ok_or(Error::NotFound("member"))?;
    let before = get_member(db, scope, &user).await?;
    if before.role == input.role {
        return Ok(before);
    }
    let after = Member { role: input.role, ..before.clone() };
    let mut tx = Tx::new();
    let member_update = Expr::new("SET #role = :new").name("#role", "role").value(":new", s(after.role.as_str()));
    let member_cond =
        Expr::new("attribute_exists(PK) AND #role = :old").name("#role", "role").value(":old", s(before.role.as_str()));
    tx.update(keys::member(scope, &user), member_update, Some(member_cond));
    let owner_action = match (before.role, after.role) {
        (Role::Owner, _) => Some(owner_delta(&mut tx, scope, -1)),
        (_, Role::Owner) => Some(owner_delta(&mut tx, scope, 1)),
        _ => None,
    };
    audit(
        &mut tx,
        scope,
        "member.role_changed",
        ("member", user.as_str()),
        Some(member_json(&before)),
        Some(member_json(&after)),
    );
    let changed = MemberRoleChanged { user_id: user.clone(), from: before.role, to: after.role };
    events::emit(&mut tx, scope, &changed);
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if owner_action.is_some_and(|o| idx.contains(&o)) => Error::Conflict(LAST_OWNER.into()),
        Some(_) => Error::Conflict("the member changed concurrently; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(after)
}

/// Removes a member; returns who was removed.
pub async fn remove_member(db: &Db, scope: &OrgScope, user: &str) -> Result<UserId> {
    let user = UserId::parse(user).ok_or(Error::NotFound("member"))?;
    let before = get_member(db, scope, &user).await?;
    let mut tx = Tx::new();
    let cond =
        Expr::new("attribute_exists(PK) AND #role = :old").name("#role", "role").value(":old", s(before.role.as_str()));
    tx.delete(keys::member(scope, &user), Some(cond));
    let owner_action = (before.role == Role::Owner).then(|| owner_delta(&mut tx, scope, -1));
    audit(&mut tx, scope, "member.removed", ("member", user.as_str()), Some(member_json(&before)), None);
    let removed = MemberRemoved { user_id: user.clone(), email: before.email.clone(), role: before.role };
    events::emit(&mut tx, scope, &removed);
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if owner_action.is_some_and(|o| idx.contains(&o)) => Error::Conflict(LAST_OWNER.into()),
        Some(_) => Error::Conflict("the member changed concurrently; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(user)
}

/// Audit entries, newest first.
pub async fn list_audit(db: &Db, scope: &OrgScope, page: PageRequest) -> Result<PageOf<AuditEntry>> {
    Ok(db.page_of(Query::partition(db::Index::Primary, keys::audit_partition(scope)).descending(), page).await?)
}

/// The org's outbox events, oldest first (used by tests now, and by the events API later).
pub async fn list_events(db: &Db, scope: &OrgScope, page: PageRequest) -> Result<PageOf<events::Event>> {
    Ok(db.page_of(Query::partition(db::Index::Primary, keys::events_partition(scope)), page).await?)
}

/// The org's events after the event id `after` (all kept ones without it), oldest first.
pub async fn list_events_after(
    db: &Db,
    scope: &OrgScope,
    after: Option<&str>,
    page: PageRequest,
) -> Result<PageOf<events::Event>> {
    let mut q = Query::partition(db::Index::Primary, keys::events_partition(scope));
    if let Some(a) = after {
        let id = crate::ids::EventId::parse(a).ok_or_else(|| Error::invalid("after", "must be an event id (evt_…)"))?;
        q = q.after(id.as_str());
    }
    Ok(db.page_of(q, page).await?)
}

/// One page (at most `limit`) of one shard of the org index, from `start`, and where the next
/// page starts (`None` after the shard's last). The index projects the whole org item.
pub async fn orgs_page(
    db: &Db,
    shard: u32,
    start: Option<db::Item>,
    limit: i32,
) -> Result<(Vec<Org>, Option<db::Item>)> {
    let page = db.query(Query::partition(db::Index::Gsi1, keys::org_shard(shard)).limit(limit).start(start)).await?;
    let orgs = page.items.into_iter().map(db::from_item::<Org>).collect::<Result<Vec<_>, _>>()?;
    Ok((orgs, page.last_key))
}

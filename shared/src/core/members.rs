//! Members: add, change role, remove. The org keeps at least one owner (an owner counter on
//! the org item moves in the same transaction).

use super::audit::audit;
use super::events::{MemberAdded, MemberRemoved, MemberRoleChanged};
use super::model::*;
use crate::events;
use crate::ids::UserId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, s, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::{OrgScope, Role};
use crate::{Error, Result};
use serde_json::{json, Value};

pub(super) fn member_item(scope: &OrgScope, m: &Member) -> db::Item {
    let (g1pk, g1sk) = keys::member_gsi1(scope, &m.user_id);
    let mut item = ItemBuilder::new(MEMBER_ENTITY, &keys::member(scope, &m.user_id), m).gsi1(g1pk, g1sk).build();
    item.insert("orgId".into(), s(scope.org_id().as_str()));
    item
}

pub(super) fn member_added(m: &Member) -> MemberAdded {
    MemberAdded { user_id: m.user_id.clone(), email: m.email.clone(), role: m.role }
}

pub(super) fn member_json(m: &Member) -> Value {
    json!({"userId": m.user_id, "email": m.email, "role": m.role})
}

pub async fn list_members(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Member>> {
    let (pk, prefix) = keys::members(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

async fn get_member(cx: &Ctx<'_>, user: &UserId) -> Result<Member> {
    cx.db.get_as(&keys::member(cx.scope, user)).await?.ok_or(Error::NotFound("member"))
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

pub async fn add_member(cx: &Ctx<'_>, input: AddMember) -> Result<Member> {
    let member = Member {
        user_id: UserId::parse(&input.user_id).ok_or_else(|| Error::invalid("userId", "invalid"))?,
        email: input.email.trim().to_owned(),
        role: input.role,
        added_at: cx.now,
        added_by: cx.scope.actor_id().to_owned(),
        org_id: None,
    };
    let mut tx = Tx::new();
    tx.put(member_item(cx.scope, &member), Some(Expr::not_exists()));
    if member.role == Role::Owner {
        owner_delta(&mut tx, cx.scope, 1);
    }
    audit(&mut tx, cx, "member.added", ("member", member.user_id.as_str()), None, Some(member_json(&member)));
    events::emit(&mut tx, cx.scope, &member_added(&member));
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict(format!("{} is already a member", member.user_id)),
        None => e.into(),
    })?;
    Ok(member)
}

pub async fn update_member(cx: &Ctx<'_>, user: &str, input: UpdateMember) -> Result<Member> {
    let user = UserId::parse(user).ok_or(Error::NotFound("member"))?;
    let before = get_member(cx, &user).await?;
    if before.role == input.role {
        return Ok(before);
    }
    let after = Member { role: input.role, ..before.clone() };
    let mut tx = Tx::new();
    let member_update = Expr::new("SET #role = :new").name("#role", "role").value(":new", s(after.role.as_str()));
    let member_cond =
        Expr::new("attribute_exists(PK) AND #role = :old").name("#role", "role").value(":old", s(before.role.as_str()));
    tx.update(keys::member(cx.scope, &user), member_update, Some(member_cond));
    let owner_action = match (before.role, after.role) {
        (Role::Owner, _) => Some(owner_delta(&mut tx, cx.scope, -1)),
        (_, Role::Owner) => Some(owner_delta(&mut tx, cx.scope, 1)),
        _ => None,
    };
    audit(
        &mut tx,
        cx,
        "member.role_changed",
        ("member", user.as_str()),
        Some(member_json(&before)),
        Some(member_json(&after)),
    );
    let changed = MemberRoleChanged { user_id: user.clone(), from: before.role, to: after.role };
    events::emit(&mut tx, cx.scope, &changed);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if owner_action.is_some_and(|o| idx.contains(&o)) => Error::Conflict(LAST_OWNER.into()),
        Some(_) => Error::Conflict("the member changed concurrently; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(after)
}

/// Removes a member; returns who was removed.
pub async fn remove_member(cx: &Ctx<'_>, user: &str) -> Result<UserId> {
    let user = UserId::parse(user).ok_or(Error::NotFound("member"))?;
    let before = get_member(cx, &user).await?;
    let mut tx = Tx::new();
    let cond =
        Expr::new("attribute_exists(PK) AND #role = :old").name("#role", "role").value(":old", s(before.role.as_str()));
    tx.delete(keys::member(cx.scope, &user), Some(cond));
    let owner_action = (before.role == Role::Owner).then(|| owner_delta(&mut tx, cx.scope, -1));
    audit(&mut tx, cx, "member.removed", ("member", user.as_str()), Some(member_json(&before)), None);
    let removed = MemberRemoved { user_id: user.clone(), email: before.email.clone(), role: before.role };
    events::emit(&mut tx, cx.scope, &removed);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if owner_action.is_some_and(|o| idx.contains(&o)) => Error::Conflict(LAST_OWNER.into()),
        Some(_) => Error::Conflict("the member changed concurrently; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(user)
}

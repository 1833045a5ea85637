//! Orgs: create (with the caller as first owner), read, change; the caller's orgs; today in an
//! org's time zone.

use super::audit::audit;
use super::events::{OrgCreated, OrgUpdated};
use super::members::{member_added, member_item, member_json};
use super::model::*;
use crate::events;
use crate::ids::OrgId;
use crate::money::Currency;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, from_item, keys, n, s, Db, Expr, ItemBuilder, Query, Tx};
use crate::platform::scope::{OrgScope, Principal, Role};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde_json::json;

/// What other domains add to a new org's first write (the books' seeded chart), each item
/// created only if absent. Core names no other domain: the caller hands it in.
pub type Seed = fn(&OrgScope, DateTime<Utc>) -> Vec<db::Item>;

/// Creates an org with the caller as its first owner, with `seed`'s items in the same write.
pub async fn create_org(
    db: &Db,
    principal: &Principal,
    input: CreateOrg,
    now: DateTime<Utc>,
    seed: Seed,
) -> Result<Org> {
    let org = Org {
        id: OrgId::new(),
        name: input.name.trim().to_owned(),
        base_currency: Currency::parse(&input.base_currency)
            .ok_or_else(|| Error::invalid("baseCurrency", "unknown"))?,
        country: input.country,
        timezone: input.timezone,
        alert_phone: None,
        created_at: now,
        updated_at: now,
        owner_count: 1,
        v: 1,
    };
    let scope = OrgScope::founding(org.id.clone(), principal.clone());
    let cx = Ctx::at(db, &scope, now);
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
    audit(&mut tx, &cx, "member.added", ("member", owner.user_id.as_str()), None, Some(member_json(&owner)));
    let created = OrgCreated { org_id: org.id.clone(), name: org.name.clone(), base_currency: org.base_currency };
    events::emit(&mut tx, &scope, &created);
    events::emit(&mut tx, &scope, &member_added(&owner));
    for item in seed(&scope, now) {
        tx.put(item, Some(Expr::not_exists()));
    }
    db.transact(tx).await?;
    Ok(org)
}

pub async fn get_org(cx: &Ctx<'_>) -> Result<Org> {
    org_from_item(cx.db.get(&keys::org(cx.scope)).await?)
}

/// The org in an item read at `keys::org` together with something else (`Db::get_pair`).
pub fn org_from_item(item: Option<db::Item>) -> Result<Org> {
    item.map(from_item).transpose()?.ok_or(Error::NotFound("organization"))
}

/// Today in the org's time zone.
pub fn org_today(org: &Org, now: DateTime<Utc>) -> chrono::NaiveDate {
    let tz: chrono_tz::Tz = org.timezone.parse().unwrap_or(chrono_tz::UTC);
    now.with_timezone(&tz).date_naive()
}

pub async fn update_org(cx: &Ctx<'_>, input: UpdateOrg) -> Result<Org> {
    let before = get_org(cx).await?;
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
    if let Some(v) = input.alert_phone {
        org.alert_phone = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    }
    org.updated_at = cx.now;
    org.v = before.v + 1;
    // SET only the settings: the owner counter moves concurrently under member changes.
    let update = Expr::set([
        ("name", s(&org.name)),
        ("baseCurrency", s(org.base_currency.code())),
        ("country", s(&org.country)),
        ("timezone", s(&org.timezone)),
        ("alertPhone", org.alert_phone.as_deref().map_or(aws_sdk_dynamodb::types::AttributeValue::Null(true), s)),
        ("updatedAt", serde_dynamo::to_attribute_value(org.updated_at).expect("timestamps serialize")),
        ("v", n(org.v)),
    ]);
    let mut tx = Tx::new();
    tx.update(keys::org(cx.scope), update, Some(Expr::at_version(before.v)));
    let data =
        json!({"name": org.name, "baseCurrency": org.base_currency, "country": org.country, "timezone": org.timezone});
    audit(
        &mut tx,
        cx,
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
    events::emit(&mut tx, cx.scope, &updated);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
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

//! Tenants: create (the email reserved by a uniqueness item in the same transaction), read, update.

use super::events::{TenantCreated, TenantUpdated};
use super::model::*;
use crate::events;
use crate::ids::TenantId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, s, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use serde_json::json;

fn tenant_item(scope: &OrgScope, t: &Tenant) -> db::Item {
    ItemBuilder::new(TENANT_ENTITY, &keys::tenant(scope, &t.id), t).version(t.v).build()
}

fn email_item(scope: &OrgScope, t: &Tenant) -> db::Item {
    let key = keys::tenant_email(scope, &email_key(&t.email));
    ItemBuilder::new(TENANT_EMAIL_ENTITY, &key, &json!({"tenantId": t.id})).build()
}

/// The tenant `input` makes (validated input), with id `id`.
pub fn new_tenant(input: CreateTenant, id: TenantId, now: chrono::DateTime<chrono::Utc>) -> Tenant {
    Tenant {
        id,
        first_name: input.first_name.trim().to_owned(),
        last_name: input.last_name.trim().to_owned(),
        email: input.email.trim().to_owned(),
        phone: input.phone.map(|p| p.trim().to_owned()),
        created_at: now,
        updated_at: now,
        v: 1,
    }
}

/// The tenant's writes (its item, its email's reservation, `tenant.created`): 3 items.
pub fn write_new(tx: &mut Tx, scope: &OrgScope, t: &Tenant) {
    tx.put(tenant_item(scope, t), Some(Expr::not_exists()));
    tx.put(email_item(scope, t), Some(Expr::not_exists()));
    events::emit(tx, scope, &TenantCreated::from(t));
}

pub async fn create_tenant(cx: &Ctx<'_>, input: CreateTenant) -> Result<Tenant> {
    let t = new_tenant(input, TenantId::new(), cx.now);
    let mut tx = Tx::new();
    write_new(&mut tx, cx.scope, &t);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict(format!("a tenant with email {} already exists", t.email)),
        None => e.into(),
    })?;
    Ok(t)
}

pub async fn get_tenant(cx: &Ctx<'_>, id: &str) -> Result<Tenant> {
    let id = TenantId::parse(id).ok_or(Error::NotFound("tenant"))?;
    cx.db.get_as(&keys::tenant(cx.scope, &id)).await?.ok_or(Error::NotFound("tenant"))
}

pub async fn list_tenants(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Tenant>> {
    let (pk, prefix) = keys::tenants(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

/// Every tenant of the org (an import names them by email).
pub async fn all_tenants(cx: &Ctx<'_>) -> Result<Vec<Tenant>> {
    let (pk, prefix) = keys::tenants(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<Result<_, _>>()?)
}

/// Updates a tenant; a new email moves its reservation in the same transaction.
pub async fn update_tenant(cx: &Ctx<'_>, id: &str, input: UpdateTenant) -> Result<Tenant> {
    let before = get_tenant(cx, id).await?;
    let mut t = before.clone();
    if let Some(v) = input.first_name {
        t.first_name = v.trim().to_owned();
    }
    if let Some(v) = input.last_name {
        t.last_name = v.trim().to_owned();
    }
    if let Some(v) = input.email {
        t.email = v.trim().to_owned();
    }
    if let Some(v) = input.phone {
        t.phone = Some(v.trim().to_owned());
    }
    t.updated_at = cx.now;
    t.v = before.v + 1;
    let mut tx = Tx::new();
    tx.put(tenant_item(cx.scope, &t), Some(Expr::at_version(before.v)));
    let mut email_idx = None;
    if email_key(&t.email) != email_key(&before.email) {
        let owned = Expr::new("tenantId = :me").value(":me", s(t.id.as_str()));
        tx.delete(keys::tenant_email(cx.scope, &email_key(&before.email)), Some(owned));
        email_idx = Some(tx.put(email_item(cx.scope, &t), Some(Expr::not_exists())));
    }
    events::emit(&mut tx, cx.scope, &TenantUpdated::from(&t));
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if email_idx.is_some_and(|i| idx.contains(&i)) => {
            Error::Conflict(format!("a tenant with email {} already exists", t.email))
        }
        Some(_) => Error::Conflict("the tenant changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(t)
}

/// The tenants among `ids` (one batched read).
pub async fn tenants_by_id(cx: &Ctx<'_>, ids: &[TenantId]) -> Result<Vec<Tenant>> {
    let tenant_keys: Vec<_> = ids.iter().map(|t| keys::tenant(cx.scope, t)).collect();
    Ok(cx.db.batch_get(&tenant_keys).await?.into_iter().map(db::from_item).collect::<Result<_, _>>()?)
}

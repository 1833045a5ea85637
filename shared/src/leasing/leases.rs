//! Leases: drafts, reads, changes to a draft, and renewal (a new draft linked both ways).

use super::events::{LeaseCreated, LeaseRenewed, LeaseUpdated};
use super::model::*;
use crate::events;
use crate::ids::{LeaseId, TenantId, UnitId};
use crate::money::StoredMoney;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, s, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::OrgScope;
use crate::properties::model::UnitRecord;
use crate::{Error, Result};
use chrono::Days;
use serde_json::json;

pub(super) fn av<T: serde::Serialize>(v: &T) -> aws_sdk_dynamodb::types::AttributeValue {
    serde_dynamo::to_attribute_value(v).expect("values serialize")
}

pub(super) fn lease_item(scope: &OrgScope, l: &LeaseRecord) -> db::Item {
    let (g1pk, g1sk) = keys::lease_gsi1(scope, &l.unit_id, l.start_date, &l.id);
    ItemBuilder::new(LEASE_ENTITY, &keys::lease(scope, &l.id), l).gsi1(g1pk, g1sk).version(l.v).build()
}

fn money(m: &crate::money::MoneyDto, field: &str) -> Result<StoredMoney> {
    Ok(m.to_money(field).map_err(|e| Error::Invalid(vec![e]))?.into())
}

pub(super) async fn get_unit(cx: &Ctx<'_>, id: &UnitId) -> Result<UnitRecord> {
    cx.db.get_as(&keys::unit(cx.scope, id)).await?.ok_or(Error::NotFound("unit"))
}

/// Adds a new draft lease with its parties to `tx` (and counts it in the unit's history);
/// returns the indexes of the tenant checks, in `tenant_ids` order.
fn add_draft(tx: &mut Tx, scope: &OrgScope, l: &LeaseRecord) -> Vec<usize> {
    tx.put(lease_item(scope, l), Some(Expr::not_exists()));
    let mut checks = Vec::new();
    for (i, t) in l.tenant_ids.iter().enumerate() {
        checks.push(tx.check(keys::tenant(scope, t), Expr::exists()));
        let role = if i == 0 { "primary" } else { "roommate" };
        let party = json!({"leaseId": l.id, "tenantId": t, "role": role});
        tx.put(ItemBuilder::new(PARTY_ENTITY, &keys::lease_party(scope, &l.id, t), &party).build(), None);
    }
    let count = Expr::new("ADD leaseCount :one").value(":one", n(1));
    tx.update(keys::unit(scope, &l.unit_id), count, Some(Expr::exists()));
    events::emit(tx, scope, &LeaseCreated::from(l));
    checks
}

/// Whether the transaction failed on one of the tenant checks (an unknown tenant id).
fn tenant_missing(e: &db::DbError, checks: &[usize]) -> bool {
    e.failed_conditions().is_some_and(|failed| checks.iter().any(|i| failed.contains(i)))
}

/// Creates a draft lease. Unknown tenants or units answer 404 (also for another org's ids).
pub async fn create_lease(cx: &Ctx<'_>, input: CreateLease) -> Result<Lease> {
    create_lease_as(cx, input, LeaseId::new()).await
}

/// As `create_lease`, with the id given: an import derives it from its row, so importing the
/// same file again finds the lease (the id taken answers 404 "unit", as a vanished unit would:
/// callers check first).
pub async fn create_lease_as(cx: &Ctx<'_>, input: CreateLease, id: LeaseId) -> Result<Lease> {
    let unit_id = UnitId::parse(&input.unit_id).ok_or(Error::NotFound("unit"))?;
    let unit = get_unit(cx, &unit_id).await?;
    let tenant_ids: Vec<TenantId> = input.tenant_ids.iter().filter_map(|t| TenantId::parse(t)).collect();
    let now = cx.now;
    let l = LeaseRecord {
        id,
        unit_id,
        building_id: unit.building_id,
        tenant_ids,
        status: LeaseStatus::Draft,
        start_date: input.start_date,
        end_date: input.end_date,
        rent: money(&input.rent, "rent")?,
        due_day: input.due_day,
        deposit: input.deposit.as_ref().map(|d| money(d, "deposit")).transpose()?,
        deposit_instalments: input.deposit_instalments.filter(|n| *n > 1),
        late_fee_policy: input.late_fee_policy,
        move_out_date: None,
        renewal_of: None,
        renewed_by: None,
        activated_at: None,
        ended_at: None,
        created_at: now,
        updated_at: now,
        v: 1,
    };
    let mut tx = Tx::new();
    let checks = add_draft(&mut tx, cx.scope, &l);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) if tenant_missing(&e, &checks) => Error::NotFound("tenant"),
        Some(_) => Error::NotFound("unit"),
        None => e.into(),
    })?;
    Ok(l.into())
}

/// `lse_…` → the stored lease.
pub async fn get_lease_record(cx: &Ctx<'_>, id: &str) -> Result<LeaseRecord> {
    lease_from_item(cx.db.get(&lease_key(cx.scope, id)?).await?)
}

/// Where lease `id` is stored, for a caller that reads it together with something else
/// (`Db::get_pair`) and decodes it with `lease_from_item`.
pub fn lease_key(scope: &OrgScope, id: &str) -> Result<db::Key> {
    let id = LeaseId::parse(id).ok_or(Error::NotFound("lease"))?;
    Ok(keys::lease(scope, &id))
}

/// The lease in an item read at `lease_key` (none: not found).
pub fn lease_from_item(item: Option<db::Item>) -> Result<LeaseRecord> {
    item.map(db::from_item).transpose()?.ok_or(Error::NotFound("lease"))
}

/// The stored lease `id`, if it exists.
pub async fn find_lease(cx: &Ctx<'_>, id: &LeaseId) -> Result<Option<LeaseRecord>> {
    Ok(cx.db.get_as::<LeaseRecord>(&keys::lease(cx.scope, id)).await?)
}

/// The stored leases among `ids` (one batched read; missing ones are left out).
pub async fn leases_by_id(cx: &Ctx<'_>, ids: &[LeaseId]) -> Result<Vec<LeaseRecord>> {
    let lease_keys: Vec<_> = ids.iter().map(|l| keys::lease(cx.scope, l)).collect();
    Ok(cx.db.batch_get(&lease_keys).await?.into_iter().map(db::from_item).collect::<Result<Vec<_>, _>>()?)
}

/// Every lease of the org that is not a draft (active or ended): what rent runs bill.
pub async fn billable_leases(cx: &Ctx<'_>) -> Result<Vec<LeaseRecord>> {
    let (pk, prefix) = keys::leases(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    let leases = items
        .into_iter()
        .filter(|i| matches!(i.get("entity"), Some(aws_sdk_dynamodb::types::AttributeValue::S(e)) if e == LEASE_ENTITY))
        .map(db::from_item::<LeaseRecord>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(leases.into_iter().filter(|l| l.status != LeaseStatus::Draft).collect())
}

pub async fn get_lease(cx: &Ctx<'_>, id: &str) -> Result<Lease> {
    Ok(get_lease_record(cx, id).await?.into())
}

pub async fn list_leases(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Lease>> {
    let (pk, prefix) = keys::leases(cx.scope);
    let records: PageOf<LeaseRecord> =
        cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?;
    Ok(PageOf { items: records.items.into_iter().map(Lease::from).collect(), last_key: records.last_key })
}

/// The unit's leases in order of start date (one GSI query).
pub async fn unit_lease_history(cx: &Ctx<'_>, unit: &str, page: PageRequest) -> Result<PageOf<Lease>> {
    let unit_id = UnitId::parse(unit).ok_or(Error::NotFound("unit"))?;
    let first = page.start.is_none();
    let records: PageOf<LeaseRecord> = cx
        .db
        .page_of(Query::partition(db::Index::Gsi1, keys::unit_leases(cx.scope, &unit_id)).begins_with("LEASE#"), page)
        .await?;
    if first && records.items.is_empty() {
        get_unit(cx, &unit_id).await?;
    }
    Ok(PageOf { items: records.items.into_iter().map(Lease::from).collect(), last_key: records.last_key })
}

/// Updates a lease: its terms only while it is a draft; the late-fee policy at any time.
pub async fn update_lease(cx: &Ctx<'_>, id: &str, input: UpdateLease) -> Result<Lease> {
    let before = get_lease_record(cx, id).await?;
    if input.changes_terms() && before.status != LeaseStatus::Draft {
        return Err(Error::Conflict(format!(
            "the lease is {}; only a draft's terms can change (renew it instead)",
            before.status.as_str()
        )));
    }
    let mut l = before.clone();
    if let Some(v) = input.start_date {
        l.start_date = v;
    }
    if let Some(v) = input.end_date {
        l.end_date = Some(v);
    }
    if let Some(v) = &input.rent {
        l.rent = money(v, "rent")?;
    }
    if let Some(v) = input.due_day {
        l.due_day = v;
    }
    if let Some(v) = &input.deposit {
        l.deposit = Some(money(v, "deposit")?);
    }
    if let Some(v) = input.deposit_instalments {
        l.deposit_instalments = (v > 1).then_some(v);
    }
    if let Some(v) = input.late_fee_policy {
        l.late_fee_policy = Some(v);
    }
    if l.end_date.is_some_and(|e| e <= l.start_date) {
        return Err(Error::invalid("endDate", "must be after startDate"));
    }
    if l.deposit.is_some_and(|d| d.currency != l.rent.currency) {
        return Err(Error::invalid("deposit.currency", "must be the rent's currency"));
    }
    l.updated_at = cx.now;
    l.v = before.v + 1;
    let mut tx = Tx::new();
    tx.put(lease_item(cx.scope, &l), Some(Expr::at_version(before.v)));
    events::emit(&mut tx, cx.scope, &LeaseUpdated::from(&l));
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("the lease changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(l.into())
}

/// A new draft continuing `id` (same unit and tenants), linked both ways; a lease is renewed once.
pub async fn renew_lease(cx: &Ctx<'_>, id: &str, input: RenewLease) -> Result<Lease> {
    let old = get_lease_record(cx, id).await?;
    if old.status == LeaseStatus::Draft {
        return Err(Error::Conflict("a draft cannot be renewed; edit it instead".into()));
    }
    if let Some(next) = &old.renewed_by {
        return Err(Error::Conflict(format!("the lease is already renewed by {next}")));
    }
    let start = match (input.start_date, old.move_out_date.or(old.end_date)) {
        (Some(s), _) => s,
        (None, Some(last)) => {
            last.checked_add_days(Days::new(1)).ok_or_else(|| Error::invalid("startDate", "out of range"))?
        }
        (None, None) => return Err(Error::invalid("startDate", "required to renew a month-to-month lease")),
    };
    if input.end_date.is_some_and(|e| e <= start) {
        return Err(Error::invalid("endDate", "must be after startDate"));
    }
    let now = cx.now;
    let next = LeaseRecord {
        id: LeaseId::new(),
        status: LeaseStatus::Draft,
        start_date: start,
        end_date: input.end_date,
        rent: match &input.rent {
            Some(r) => money(r, "rent")?,
            None => old.rent,
        },
        due_day: input.due_day.unwrap_or(old.due_day),
        move_out_date: None,
        renewal_of: Some(old.id.clone()),
        renewed_by: None,
        activated_at: None,
        ended_at: None,
        created_at: now,
        updated_at: now,
        v: 1,
        ..old.clone()
    };
    let mut tx = Tx::new();
    let checks = add_draft(&mut tx, cx.scope, &next);
    // Bump the version too: whole-item writes of the old lease (activate, end, PATCH) are
    // conditioned on it, so none of them can erase the link.
    let link = Expr::set([("renewedBy", s(next.id.as_str())), ("updatedAt", av(&now)), ("v", n(old.v + 1))]);
    let unrenewed = Expr::at_version(old.v);
    let unrenewed = Expr { expr: format!("{} AND attribute_not_exists(renewedBy)", unrenewed.expr), ..unrenewed };
    let old_idx = tx.update(keys::lease(cx.scope, &old.id), link, Some(unrenewed));
    events::emit(
        &mut tx,
        cx.scope,
        &LeaseRenewed { lease_id: old.id.clone(), renewed_by: next.id.clone(), start_date: start },
    );
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if idx.contains(&old_idx) => {
            Error::Conflict("the lease changed or was renewed concurrently; reload".into())
        }
        Some(_) if tenant_missing(&e, &checks) => Error::Conflict("a tenant of the lease no longer exists".into()),
        Some(_) => Error::NotFound("unit"),
        None => e.into(),
    })?;
    Ok(next.into())
}

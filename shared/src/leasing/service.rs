//! Use cases for tenants and leases. A tenant's email is reserved by a uniqueness item in the
//! same transaction. A lease's term is written onto its unit when it is activated, under a
//! condition on the unit's terms version: two overlapping activations can never both commit.

use super::events::{
    LeaseActivated, LeaseCreated, LeaseEnded, LeaseRenewed, LeaseUpdated, TenantCreated, TenantUpdated,
};
use super::model::*;
use crate::events;
use crate::events::DomainEvent;
use crate::ids::{LeaseId, TenantId, UnitId};
use crate::money::StoredMoney;
use crate::platform::db::{self, keys, n, s, Db, Decision, Expr, ItemBuilder, PageOf, PageRequest, Query, Retry, Tx};
use crate::platform::scope::OrgScope;
use crate::properties::model::UnitRecord;
use crate::{Error, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::json;

fn av<T: serde::Serialize>(v: &T) -> aws_sdk_dynamodb::types::AttributeValue {
    serde_dynamo::to_attribute_value(v).expect("values serialize")
}

// ---------------------------------------------------------------------------------------- tenants

fn tenant_item(scope: &OrgScope, t: &Tenant) -> db::Item {
    ItemBuilder::new(TENANT_ENTITY, &keys::tenant(scope, &t.id), t).version(t.v).build()
}

fn email_item(scope: &OrgScope, t: &Tenant) -> db::Item {
    let key = keys::tenant_email(scope, &email_key(&t.email));
    ItemBuilder::new(TENANT_EMAIL_ENTITY, &key, &json!({"tenantId": t.id})).build()
}

pub async fn create_tenant(db: &Db, scope: &OrgScope, input: CreateTenant) -> Result<Tenant> {
    let now = Utc::now();
    let t = Tenant {
        id: TenantId::new(),
        first_name: input.first_name.trim().to_owned(),
        last_name: input.last_name.trim().to_owned(),
        email: input.email.trim().to_owned(),
        phone: input.phone.map(|p| p.trim().to_owned()),
        created_at: now,
        updated_at: now,
        v: 1,
    };
    let mut tx = Tx::new();
    tx.put(tenant_item(scope, &t), Some(Expr::not_exists()));
    tx.put(email_item(scope, &t), Some(Expr::not_exists()));
    events::emit(&mut tx, scope, &TenantCreated::from(&t));
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict(format!("a tenant with email {} already exists", t.email)),
        None => e.into(),
    })?;
    Ok(t)
}

pub async fn get_tenant(db: &Db, scope: &OrgScope, id: &str) -> Result<Tenant> {
    let id = TenantId::parse(id).ok_or(Error::NotFound("tenant"))?;
    db.get_as(&keys::tenant(scope, &id)).await?.ok_or(Error::NotFound("tenant"))
}

pub async fn list_tenants(db: &Db, scope: &OrgScope, page: PageRequest) -> Result<PageOf<Tenant>> {
    let (pk, prefix) = keys::tenants(scope);
    Ok(db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

/// Updates a tenant; a new email moves its reservation in the same transaction.
pub async fn update_tenant(db: &Db, scope: &OrgScope, id: &str, input: UpdateTenant) -> Result<Tenant> {
    let before = get_tenant(db, scope, id).await?;
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
    t.updated_at = Utc::now();
    t.v = before.v + 1;
    let mut tx = Tx::new();
    tx.put(tenant_item(scope, &t), Some(Expr::at_version(before.v)));
    let mut email_idx = None;
    if email_key(&t.email) != email_key(&before.email) {
        let owned = Expr::new("tenantId = :me").value(":me", s(t.id.as_str()));
        tx.delete(keys::tenant_email(scope, &email_key(&before.email)), Some(owned));
        email_idx = Some(tx.put(email_item(scope, &t), Some(Expr::not_exists())));
    }
    events::emit(&mut tx, scope, &TenantUpdated::from(&t));
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if email_idx.is_some_and(|i| idx.contains(&i)) => {
            Error::Conflict(format!("a tenant with email {} already exists", t.email))
        }
        Some(_) => Error::Conflict("the tenant changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(t)
}

// ----------------------------------------------------------------------------------------- leases

fn lease_item(scope: &OrgScope, l: &LeaseRecord) -> db::Item {
    let (g1pk, g1sk) = keys::lease_gsi1(scope, &l.unit_id, l.start_date, &l.id);
    ItemBuilder::new(LEASE_ENTITY, &keys::lease(scope, &l.id), l).gsi1(g1pk, g1sk).version(l.v).build()
}

fn money(m: &crate::money::MoneyDto, field: &str) -> Result<StoredMoney> {
    Ok(m.to_money(field).map_err(|e| Error::Invalid(vec![e]))?.into())
}

async fn get_unit(db: &Db, scope: &OrgScope, id: &UnitId) -> Result<UnitRecord> {
    db.get_as(&keys::unit(scope, id)).await?.ok_or(Error::NotFound("unit"))
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
pub async fn create_lease(db: &Db, scope: &OrgScope, input: CreateLease) -> Result<Lease> {
    let unit_id = UnitId::parse(&input.unit_id).ok_or(Error::NotFound("unit"))?;
    let unit = get_unit(db, scope, &unit_id).await?;
    let tenant_ids: Vec<TenantId> = input.tenant_ids.iter().filter_map(|t| TenantId::parse(t)).collect();
    let now = Utc::now();
    let l = LeaseRecord {
        id: LeaseId::new(),
        unit_id,
        building_id: unit.building_id,
        tenant_ids,
        status: LeaseStatus::Draft,
        start_date: input.start_date,
        end_date: input.end_date,
        rent: money(&input.rent, "rent")?,
        due_day: input.due_day,
        deposit: input.deposit.as_ref().map(|d| money(d, "deposit")).transpose()?,
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
    let checks = add_draft(&mut tx, scope, &l);
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) if tenant_missing(&e, &checks) => Error::NotFound("tenant"),
        Some(_) => Error::NotFound("unit"),
        None => e.into(),
    })?;
    Ok(l.into())
}

/// `lse_…` → the stored lease.
pub async fn get_lease_record(db: &Db, scope: &OrgScope, id: &str) -> Result<LeaseRecord> {
    lease_from_item(db.get(&lease_key(scope, id)?).await?)
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
pub async fn find_lease(db: &Db, scope: &OrgScope, id: &LeaseId) -> Result<Option<LeaseRecord>> {
    Ok(db.get_as::<LeaseRecord>(&keys::lease(scope, id)).await?)
}

/// The stored leases among `ids` (one batched read; missing ones are left out).
pub async fn leases_by_id(db: &Db, scope: &OrgScope, ids: &[LeaseId]) -> Result<Vec<LeaseRecord>> {
    let lease_keys: Vec<_> = ids.iter().map(|l| keys::lease(scope, l)).collect();
    Ok(db.batch_get(&lease_keys).await?.into_iter().map(db::from_item).collect::<Result<Vec<_>, _>>()?)
}

/// Every lease of the org that is not a draft (active or ended): what rent runs bill.
pub async fn billable_leases(db: &Db, scope: &OrgScope) -> Result<Vec<LeaseRecord>> {
    let (pk, prefix) = keys::leases(scope);
    let items = db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    let leases = items
        .into_iter()
        .filter(|i| matches!(i.get("entity"), Some(aws_sdk_dynamodb::types::AttributeValue::S(e)) if e == LEASE_ENTITY))
        .map(db::from_item::<LeaseRecord>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(leases.into_iter().filter(|l| l.status != LeaseStatus::Draft).collect())
}

/// The tenants among `ids` (one batched read).
pub async fn tenants_by_id(db: &Db, scope: &OrgScope, ids: &[TenantId]) -> Result<Vec<Tenant>> {
    let tenant_keys: Vec<_> = ids.iter().map(|t| keys::tenant(scope, t)).collect();
    Ok(db.batch_get(&tenant_keys).await?.into_iter().map(db::from_item).collect::<Result<_, _>>()?)
}

pub async fn get_lease(db: &Db, scope: &OrgScope, id: &str) -> Result<Lease> {
    Ok(get_lease_record(db, scope, id).await?.into())
}

pub async fn list_leases(db: &Db, scope: &OrgScope, page: PageRequest) -> Result<PageOf<Lease>> {
    let (pk, prefix) = keys::leases(scope);
    let records: PageOf<LeaseRecord> =
        db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?;
    Ok(PageOf { items: records.items.into_iter().map(Lease::from).collect(), last_key: records.last_key })
}

/// The unit's leases in order of start date (one GSI query).
pub async fn unit_lease_history(db: &Db, scope: &OrgScope, unit: &str, page: PageRequest) -> Result<PageOf<Lease>> {
    let unit_id = UnitId::parse(unit).ok_or(Error::NotFound("unit"))?;
    let first = page.start.is_none();
    let records: PageOf<LeaseRecord> = db
        .page_of(Query::partition(db::Index::Gsi1, keys::unit_leases(scope, &unit_id)).begins_with("LEASE#"), page)
        .await?;
    if first && records.items.is_empty() {
        get_unit(db, scope, &unit_id).await?;
    }
    Ok(PageOf { items: records.items.into_iter().map(Lease::from).collect(), last_key: records.last_key })
}

/// Updates a lease: its terms only while it is a draft; the late-fee policy at any time.
pub async fn update_lease(db: &Db, scope: &OrgScope, id: &str, input: UpdateLease) -> Result<Lease> {
    let before = get_lease_record(db, scope, id).await?;
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
    if let Some(v) = input.late_fee_policy {
        l.late_fee_policy = Some(v);
    }
    if l.end_date.is_some_and(|e| e <= l.start_date) {
        return Err(Error::invalid("endDate", "must be after startDate"));
    }
    if l.deposit.is_some_and(|d| d.currency != l.rent.currency) {
        return Err(Error::invalid("deposit.currency", "must be the rent's currency"));
    }
    l.updated_at = Utc::now();
    l.v = before.v + 1;
    let mut tx = Tx::new();
    tx.put(lease_item(scope, &l), Some(Expr::at_version(before.v)));
    events::emit(&mut tx, scope, &LeaseUpdated::from(&l));
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("the lease changed while you edited it; reload and retry".into()),
        None => e.into(),
    })?;
    Ok(l.into())
}

/// Writes the unit's new terms under a condition on the version that was read.
fn set_terms(tx: &mut Tx, scope: &OrgScope, unit: &UnitRecord, terms: &[UnitTerm]) -> usize {
    let update = Expr::set([("terms", av(&terms)), ("termsVersion", n(unit.terms_version + 1))]);
    let cond = if unit.terms_version == 0 {
        Expr::new("attribute_exists(PK) AND (attribute_not_exists(termsVersion) OR termsVersion = :tv)")
            .value(":tv", n(0))
    } else {
        Expr::new("termsVersion = :tv").value(":tv", n(unit.terms_version))
    };
    tx.update(keys::unit(scope, &unit.id), update, Some(cond))
}

fn overlap_error(other: &UnitTerm) -> Error {
    let until = other.term.end.map(|e| e.to_string()).unwrap_or_else(|| "open-ended".into());
    Error::Conflict(format!("the unit is already leased by {} from {} to {until}", other.lease_id, other.term.start))
}

/// What a lease transition reads: the lease and its unit (with the unit's activated terms).
pub struct TermState {
    pub lease: LeaseRecord,
    pub unit: UnitRecord,
}

async fn read_terms(db: &Db, scope: &OrgScope, id: &str) -> Result<TermState> {
    let lease = get_lease_record(db, scope, id).await?;
    let unit = get_unit(db, scope, &lease.unit_id).await?;
    Ok(TermState { lease, unit })
}

/// The pure decision behind activation: draft → active, only if no other activated lease of
/// the unit overlaps this one's term. Answers the lease after and the unit's terms after.
pub fn decide_activation(s: &TermState, now: DateTime<Utc>) -> Result<(LeaseRecord, Vec<UnitTerm>)> {
    let l = &s.lease;
    if l.status != LeaseStatus::Draft {
        return Err(Error::Conflict(format!("the lease is {}, not a draft", l.status.as_str())));
    }
    let term = Term { start: l.start_date, end: l.end_date };
    if let Some(other) = s.unit.terms.iter().find(|t| t.lease_id != l.id && t.term.overlaps(&term)) {
        return Err(overlap_error(other));
    }
    let mut terms = s.unit.terms.clone();
    terms.push(UnitTerm { lease_id: l.id.clone(), term });
    terms.sort_by_key(|t| t.term.start);
    let after =
        LeaseRecord { status: LeaseStatus::Active, activated_at: Some(now), updated_at: now, v: l.v + 1, ..l.clone() };
    Ok((after, terms))
}

/// The pure decision behind ending a lease: active → ended on `move_out` (the last occupied
/// day), the unit's term cut there.
pub fn decide_end(s: &TermState, move_out: NaiveDate, now: DateTime<Utc>) -> Result<(LeaseRecord, Vec<UnitTerm>)> {
    let l = &s.lease;
    if l.status != LeaseStatus::Active {
        return Err(Error::Conflict(format!("the lease is {}, not active", l.status.as_str())));
    }
    if move_out < l.start_date {
        return Err(Error::invalid("moveOutDate", "must not be before the lease's startDate"));
    }
    let cut = Term { start: l.start_date, end: Some(move_out) };
    if let Some(other) = s.unit.terms.iter().find(|t| t.lease_id != l.id && t.term.overlaps(&cut)) {
        return Err(overlap_error(other));
    }
    let terms = s
        .unit
        .terms
        .iter()
        .map(|t| if t.lease_id == l.id { UnitTerm { lease_id: l.id.clone(), term: cut } } else { t.clone() })
        .collect();
    let after = LeaseRecord {
        status: LeaseStatus::Ended,
        move_out_date: Some(move_out),
        ended_at: Some(now),
        updated_at: now,
        v: l.v + 1,
        ..l.clone()
    };
    Ok((after, terms))
}

/// The lease and its unit's terms, each under the version read, and the event.
fn transition_writes<E: DomainEvent + for<'a> From<&'a LeaseRecord>>(
    scope: &OrgScope,
    s: &TermState,
    after: LeaseRecord,
    terms: &[UnitTerm],
) -> Decision<Lease> {
    let mut tx = Tx::new();
    set_terms(&mut tx, scope, &s.unit, terms);
    tx.put(lease_item(scope, &after), Some(Expr::at_version(s.lease.v)));
    events::emit(&mut tx, scope, &E::from(&after));
    Decision::Commit(tx, after.into())
}

/// draft → active, only if no other activated lease of the unit overlaps this one's term.
pub async fn activate_lease(db: &Db, scope: &OrgScope, id: &str) -> Result<Lease> {
    let now = Utc::now();
    let read = || read_terms(db, scope, id);
    let decide = |s: &TermState| {
        let (after, terms) = decide_activation(s, now)?;
        Ok(transition_writes::<LeaseActivated>(scope, s, after, &terms))
    };
    db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// active → ended on `move_out_date` (the last occupied day); the unit's term is cut there.
pub async fn end_lease(db: &Db, scope: &OrgScope, id: &str, input: EndLease) -> Result<Lease> {
    let now = Utc::now();
    let read = || read_terms(db, scope, id);
    let decide = |s: &TermState| {
        let (after, terms) = decide_end(s, input.move_out_date, now)?;
        Ok(transition_writes::<LeaseEnded>(scope, s, after, &terms))
    };
    db.commit_loop(Retry::CONTENDED, read, decide).await
}

/// A new draft continuing `id` (same unit and tenants), linked both ways; a lease is renewed once.
pub async fn renew_lease(db: &Db, scope: &OrgScope, id: &str, input: RenewLease) -> Result<Lease> {
    let old = get_lease_record(db, scope, id).await?;
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
    let now = Utc::now();
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
    let checks = add_draft(&mut tx, scope, &next);
    // Bump the version too: whole-item writes of the old lease (activate, end, PATCH) are
    // conditioned on it, so none of them can erase the link.
    let link = Expr::set([("renewedBy", s(next.id.as_str())), ("updatedAt", av(&now)), ("v", n(old.v + 1))]);
    let unrenewed = Expr::at_version(old.v);
    let unrenewed = Expr { expr: format!("{} AND attribute_not_exists(renewedBy)", unrenewed.expr), ..unrenewed };
    let old_idx = tx.update(keys::lease(scope, &old.id), link, Some(unrenewed));
    events::emit(
        &mut tx,
        scope,
        &LeaseRenewed { lease_id: old.id.clone(), renewed_by: next.id.clone(), start_date: start },
    );
    db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if idx.contains(&old_idx) => {
            Error::Conflict("the lease changed or was renewed concurrently; reload".into())
        }
        Some(_) if tenant_missing(&e, &checks) => Error::Conflict("a tenant of the lease no longer exists".into()),
        Some(_) => Error::NotFound("unit"),
        None => e.into(),
    })?;
    Ok(next.into())
}

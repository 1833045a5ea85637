//! Maintenance requests' use cases. Each write is one transaction under the version read:
//! the request, its event, the live open count (ADD ±1 when a request opens or closes), and on
//! completion with a cost the expense on the unit.

use super::events::*;
use super::model::*;
use crate::books::expense_model::{CreateExpense, ExpenseScope, NewStatus, ScopeType};
use crate::books::expenses::{decide_new, write_new};
use crate::events;
use crate::ids::{AccountId, ExpenseId, MaintenanceId, VendorId};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::{Error, FieldError, Result};

fn item(cx: &Ctx<'_>, r: &MaintenanceRequest) -> db::Item {
    ItemBuilder::new(MAINTENANCE_ENTITY, &keys::maintenance(cx.scope, &r.id), r).build()
}

/// Moves the live count of open requests by `delta`.
fn count_open(tx: &mut Tx, cx: &Ctx<'_>, delta: i64) {
    let add = Expr::new("SET #entity = :e ADD #open :d")
        .name("#open", "open")
        .name("#entity", "entity")
        .value(":d", n(delta))
        .value(":e", db::s("KpiLive"));
    tx.update(keys::kpi_live(cx.scope, "maintenance"), add, None);
}

/// The number of requests still open (the live figure).
pub async fn open_count(cx: &Ctx<'_>) -> Result<u32> {
    let item = cx.db.get(&keys::kpi_live(cx.scope, "maintenance")).await?;
    let open =
        item.as_ref().and_then(|i| i.get("open")).and_then(|v| v.as_n().ok()).and_then(|v| v.parse::<i64>().ok());
    Ok(open.unwrap_or(0).max(0) as u32)
}

pub async fn get_request(cx: &Ctx<'_>, id: &str) -> Result<MaintenanceRequest> {
    let id = MaintenanceId::parse(id).ok_or(Error::NotFound("maintenance request"))?;
    cx.db.get_as(&keys::maintenance(cx.scope, &id)).await?.ok_or(Error::NotFound("maintenance request"))
}

pub async fn list_requests(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<MaintenanceRequest>> {
    let (pk, prefix) = keys::maintenance_requests(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix).descending(), page).await?)
}

pub async fn create_request(cx: &Ctx<'_>, input: CreateMaintenanceRequest) -> Result<MaintenanceRequest> {
    let unit = crate::properties::units::get_unit(cx, &input.unit_id).await?;
    let r = MaintenanceRequest {
        id: MaintenanceId::new(),
        unit_id: unit.id.clone(),
        building_id: unit.building_id.clone(),
        title: input.title.trim().to_owned(),
        description: input.description.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
        priority: input.priority,
        status: MaintenanceStatus::Open,
        reported_by: input.reported_by.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
        vendor_id: None,
        scheduled_for: None,
        completed_on: None,
        cost: None,
        expense_id: None,
        cancel_reason: None,
        created_at: cx.now,
        updated_at: cx.now,
        v: 1,
    };
    let mut tx = Tx::new();
    tx.put(item(cx, &r), Some(Expr::not_exists()));
    tx.check(keys::unit(cx.scope, &unit.id), Expr::exists());
    count_open(&mut tx, cx, 1);
    let requested = MaintenanceRequested {
        request_id: r.id.clone(),
        unit_id: r.unit_id.clone(),
        building_id: r.building_id.clone(),
        title: r.title.clone(),
        priority: r.priority,
    };
    events::emit(&mut tx, cx.scope, &requested);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::NotFound("unit"),
        None => e.into(),
    })?;
    Ok(r)
}

/// Writes `after` (read at `before.v`) with `extra` in one transaction.
async fn commit<T>(
    cx: &Ctx<'_>,
    before: &MaintenanceRequest,
    mut after: MaintenanceRequest,
    extra: impl FnOnce(&mut Tx) -> T,
) -> Result<MaintenanceRequest> {
    after.updated_at = cx.now;
    after.v = before.v + 1;
    let mut tx = Tx::new();
    tx.put(item(cx, &after), Some(Expr::at_version(before.v)));
    if before.status.is_open() && !after.status.is_open() {
        count_open(&mut tx, cx, -1);
    }
    extra(&mut tx);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the request changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(after)
}

fn refuse_unless(r: &MaintenanceRequest, allowed: &[MaintenanceStatus], what: &str) -> Result<()> {
    match allowed.contains(&r.status) {
        true => Ok(()),
        false => Err(Error::Conflict(format!("the request is {}; it cannot be {what}", r.status.as_str()))),
    }
}

const STILL_OPEN: &[MaintenanceStatus] =
    &[MaintenanceStatus::Open, MaintenanceStatus::Assigned, MaintenanceStatus::InProgress];

pub async fn update_request(cx: &Ctx<'_>, id: &str, input: UpdateMaintenanceRequest) -> Result<MaintenanceRequest> {
    let before = get_request(cx, id).await?;
    refuse_unless(&before, STILL_OPEN, "changed")?;
    let mut r = before.clone();
    if let Some(t) = input.title {
        r.title = t.trim().to_owned();
    }
    if let Some(d) = input.description {
        r.description = Some(d.trim().to_owned()).filter(|d| !d.is_empty());
    }
    if let Some(p) = input.priority {
        r.priority = p;
    }
    if let Some(b) = input.reported_by {
        r.reported_by = Some(b.trim().to_owned()).filter(|d| !d.is_empty());
    }
    let updated =
        MaintenanceUpdated { request_id: r.id.clone(), title: r.title.clone(), priority: r.priority, status: r.status };
    commit(cx, &before, r, |tx| events::emit(tx, cx.scope, &updated)).await
}

pub async fn assign(cx: &Ctx<'_>, id: &str, input: AssignMaintenance) -> Result<MaintenanceRequest> {
    let before = get_request(cx, id).await?;
    refuse_unless(&before, &[MaintenanceStatus::Open, MaintenanceStatus::Assigned], "assigned")?;
    let vendor = crate::books::vendors::vendor_record(cx, &input.vendor_id).await?;
    if vendor.archived {
        return Err(Error::invalid("vendorId", "the vendor is archived"));
    }
    let r = MaintenanceRequest {
        status: MaintenanceStatus::Assigned,
        vendor_id: Some(vendor.id.clone()),
        scheduled_for: input.scheduled_for,
        ..before.clone()
    };
    let assigned =
        MaintenanceAssigned { request_id: r.id.clone(), vendor_id: vendor.id.clone(), scheduled_for: r.scheduled_for };
    commit(cx, &before, r, |tx| {
        tx.check(keys::vendor(cx.scope, &vendor.id), Expr::exists());
        events::emit(tx, cx.scope, &assigned)
    })
    .await
}

pub async fn start(cx: &Ctx<'_>, id: &str) -> Result<MaintenanceRequest> {
    let before = get_request(cx, id).await?;
    refuse_unless(&before, &[MaintenanceStatus::Assigned], "started (assign a vendor first)")?;
    let r = MaintenanceRequest { status: MaintenanceStatus::InProgress, ..before.clone() };
    let started = MaintenanceStarted { request_id: r.id.clone() };
    commit(cx, &before, r, |tx| events::emit(tx, cx.scope, &started)).await
}

pub async fn cancel(cx: &Ctx<'_>, id: &str, input: CancelMaintenance) -> Result<MaintenanceRequest> {
    let before = get_request(cx, id).await?;
    refuse_unless(&before, STILL_OPEN, "cancelled")?;
    let reason = input.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    let r =
        MaintenanceRequest { status: MaintenanceStatus::Cancelled, cancel_reason: reason.clone(), ..before.clone() };
    let cancelled = MaintenanceCancelled { request_id: r.id.clone(), reason };
    commit(cx, &before, r, |tx| events::emit(tx, cx.scope, &cancelled)).await
}

/// The expense a completed job's cost becomes: on the unit, to Repairs or Cleaning and
/// maintenance, paid from `paidFrom` or a bill of the vendor due in 30 days.
fn cost_expense(
    cx: &Ctx<'_>,
    r: &MaintenanceRequest,
    input: &CompleteMaintenance,
    on: chrono::NaiveDate,
) -> Option<CreateExpense> {
    let cost = input.cost.clone()?;
    let bill = input.paid_from.is_none();
    Some(CreateExpense {
        date: on,
        amount: cost,
        account_id: AccountId::of(cx.scope.org_id(), input.category.account_code()).to_string(),
        vendor_id: r.vendor_id.as_ref().map(VendorId::to_string),
        scope: Some(ExpenseScope { type_: ScopeType::Unit, id: Some(r.unit_id.to_string()) }),
        splits: None,
        split: None,
        paid_from: input.paid_from.clone(),
        status: Some(if bill { NewStatus::Unpaid } else { NewStatus::Paid }),
        due_date: bill.then(|| on + chrono::Days::new(30)),
        memo: Some(format!("maintenance: {}", r.title)),
        reference: Some(r.id.to_string()),
    })
}

/// The expense's refusals named as `:complete` names its fields.
fn as_complete_fields(e: Error) -> Error {
    match e {
        Error::Invalid(errors) => Error::Invalid(
            errors
                .into_iter()
                .map(|f| match f.field.strip_prefix("amount") {
                    Some(rest) => FieldError::new(format!("cost{rest}"), f.message),
                    None => f,
                })
                .collect(),
        ),
        other => other,
    }
}

pub async fn complete(cx: &Ctx<'_>, id: &str, input: CompleteMaintenance) -> Result<MaintenanceRequest> {
    let before = get_request(cx, id).await?;
    refuse_unless(
        &before,
        &[MaintenanceStatus::Assigned, MaintenanceStatus::InProgress],
        "completed (assign a vendor first)",
    )?;
    let on = match input.completed_on {
        Some(d) => d,
        None => crate::core::service::org_today(&crate::core::service::get_org(cx).await?, cx.now),
    };
    let expense = match cost_expense(cx, &before, &input, on) {
        Some(e) => Some(decide_new(cx, &e, ExpenseId::new()).await.map_err(as_complete_fields)?),
        None => None,
    };
    let r = MaintenanceRequest {
        status: MaintenanceStatus::Completed,
        completed_on: Some(on),
        cost: input.cost.clone(),
        expense_id: expense.as_ref().map(|e| e.id.clone()),
        ..before.clone()
    };
    let completed = MaintenanceCompleted {
        request_id: r.id.clone(),
        unit_id: r.unit_id.clone(),
        completed_on: on,
        cost: r.cost.clone(),
        expense_id: r.expense_id.clone(),
    };
    commit(cx, &before, r, |tx| {
        if let Some(e) = &expense {
            write_new(tx, cx, e);
        }
        events::emit(tx, cx.scope, &completed)
    })
    .await
}

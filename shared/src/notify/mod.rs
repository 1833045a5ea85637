//! Tenant notifications: rent reminders (due in N days, overdue) made once per charge and kind
//! by the daily job, and the messages the notifier sends for them and for payment receipts:
//! plain-text email (SES v2) and SMS (SNS) to every tenant on the lease.

pub mod events;

use self::events::{ReminderCreated, ReminderKind};
use crate::billing::events::PaymentReceived;
use crate::billing::model::{ChargeKind, ChargeRecord, ChargeStatus};
use crate::billing::service::{get_settings, money_dto, open_charges_due_before, read_ledger, totals};
use crate::core::service::{get_org, org_today};
use crate::events::Event;
use crate::ids::LeaseId;
use crate::leasing::model::LeaseRecord;
use crate::money::Money;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, ItemBuilder, Tx};
use crate::platform::App;
use crate::ports::email::Email;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde_json::json;

pub const REMINDER_ENTITY: &str = "RentReminder";
pub const DEFAULT_REMINDER_DAYS: u8 = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderReport {
    pub due_soon: usize,
    pub overdue: usize,
    pub existing: usize,
}

/// Creates the day's reminders for one org: rent due in exactly N days (`due_soon`) and rent
/// still open after its due date (`overdue`, once per charge). Each is an item with a
/// deterministic key written under `attribute_not_exists` with its `reminder.created` event.
pub async fn create_reminders(cx: &Ctx<'_>, today: Option<NaiveDate>) -> Result<ReminderReport> {
    let org = get_org(cx).await?;
    let settings = get_settings(cx).await?;
    let today = today.unwrap_or_else(|| org_today(&org, cx.now));
    let days = settings.rent_reminder_days.unwrap_or(DEFAULT_REMINDER_DAYS);
    let horizon = today + chrono::Days::new(u64::from(days));
    let before = horizon.succ_opt().unwrap_or(horizon).to_string();
    let open = open_charges_due_before(cx.db, cx.scope, &before).await?;
    let mut report = ReminderReport::default();
    for c in open.iter().filter(|c| c.kind == ChargeKind::Rent && c.status == ChargeStatus::Open && c.open > 0) {
        let kind = if c.due_date == horizon {
            ReminderKind::DueSoon
        } else if c.due_date < today {
            ReminderKind::Overdue
        } else {
            continue;
        };
        let record =
            json!({"chargeId": c.id, "leaseId": c.lease_id, "kind": kind, "dueDate": c.due_date, "createdOn": today});
        let mut tx = Tx::new();
        let key = keys::reminder(cx.scope, &c.id, kind.as_str());
        tx.create(ItemBuilder::new(REMINDER_ENTITY, &key, &record).build());
        let reminder = ReminderCreated {
            charge_id: c.id.clone(),
            lease_id: c.lease_id.clone(),
            kind,
            due_date: c.due_date,
            amount: money_dto(c.amount.minor, c.amount.currency),
            open: money_dto(c.open, c.amount.currency),
        };
        crate::events::emit(&mut tx, cx.scope, &reminder);
        match cx.db.transact(tx).await {
            Ok(()) if kind == ReminderKind::DueSoon => report.due_soon += 1,
            Ok(()) => report.overdue += 1,
            Err(db::DbError::AlreadyExists) => report.existing += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// One message to the tenants of a lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

fn fmt(minor: i64, c: crate::money::Currency) -> String {
    format!("{} {}", Money::new(minor, c).amount_string(), c)
}

/// What the notifier tells tenants about: the events it decodes.
enum Notice {
    Reminder(ReminderCreated),
    Payment(PaymentReceived),
}

impl Notice {
    fn of(event: &Event) -> Result<Option<Notice>> {
        let bad = |e: serde_json::Error| external(&format!("{} payload", event.type_), e);
        if let Some(r) = event.decode::<ReminderCreated>() {
            return Ok(Some(Notice::Reminder(r.map_err(bad)?)));
        }
        if let Some(p) = event.decode::<PaymentReceived>() {
            return Ok(Some(Notice::Payment(p.map_err(bad)?)));
        }
        Ok(None)
    }

    fn lease_id(&self) -> &LeaseId {
        match self {
            Notice::Reminder(r) => &r.lease_id,
            Notice::Payment(p) => &p.lease_id,
        }
    }
}

/// The message an event produces, if it is one the notifier handles.
pub async fn message_for(cx: &Ctx<'_>, event: &Event) -> Result<Option<(LeaseRecord, Message)>> {
    let Some(notice) = Notice::of(event)? else { return Ok(None) };
    let lease_id = notice.lease_id();
    let Some(lease) = crate::leasing::service::find_lease(cx, lease_id).await? else { return Ok(None) };
    let l = read_ledger(cx.db, cx.scope, lease_id).await?;
    let cur = lease.rent.currency;
    let today = cx.now.date_naive();
    let all = totals(&l, NaiveDate::MAX);
    let now = totals(&l, today);
    let (balance, due_now) = (all.balance - all.unapplied, now.balance - now.unapplied);
    let footer = format!(
        "Balance on your account today: {}.\nTotal balance including charges not yet due: {}.\n",
        fmt(due_now, cur),
        fmt(balance, cur)
    );
    let msg = match notice {
        Notice::Reminder(r) => {
            let Some(c) = l.charge(&r.charge_id) else { return Ok(None) };
            if c.status != ChargeStatus::Open {
                return Ok(None); // paid meanwhile: nothing to remind
            }
            reminder_message(r.kind, c, cur, &footer)
        }
        Notice::Payment(p) => {
            let (amount, on) = (p.amount.amount, p.received_on);
            Message {
                subject: format!("Payment received: {amount} {cur}"),
                body: format!("Thank you. We received your payment of {amount} {cur} on {on}.\n{footer}"),
            }
        }
    };
    Ok(Some((lease, msg)))
}

fn reminder_message(kind: ReminderKind, c: &ChargeRecord, cur: crate::money::Currency, footer: &str) -> Message {
    let (subject, lead) = match kind {
        ReminderKind::Overdue => (
            format!("Rent overdue since {}", c.due_date),
            format!(
                "Your rent of {} was due on {} and {} of it is still open.",
                fmt(c.amount.minor, cur),
                c.due_date,
                fmt(c.open, cur)
            ),
        ),
        ReminderKind::DueSoon => (
            format!("Rent due on {}", c.due_date),
            format!("Your rent of {} is due on {}.", fmt(c.amount.minor, cur), c.due_date),
        ),
    };
    Message { subject, body: format!("{lead}\n{footer}") }
}

fn external(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Store(db::DbError::Invalid(format!("{what}: {e}")))
}

/// Sends `msg` to every tenant of the lease: email to each, SMS to each with a phone. Each
/// (tenant, channel) send has its own processed-marker under the event, so a retry after one
/// failed send repeats only what did not go out.
pub async fn send(app: &App, cx: &Ctx<'_>, event: &Event, lease: &LeaseRecord, msg: &Message) -> Result<usize> {
    let tenants = crate::leasing::service::tenants_by_id(cx, &lease.tenant_ids).await?;
    let mut sent = 0;
    for t in &tenants {
        let Some(marker) = claim_send(app, cx, event, t.id.as_str(), "email").await? else { continue };
        let email = Email { to: &t.email, subject: &msg.subject, text: &msg.body };
        finish(app, &marker, app.mailer().send(email).await.map_err(Error::from)).await?;
        sent += 1;
        if let Some(phone) = t.phone.as_deref().map(e164) {
            let Some(marker) = claim_send(app, cx, event, t.id.as_str(), "sms").await? else { continue };
            let first = msg.body.lines().next().unwrap_or_default();
            let text = format!("{}: {first}", msg.subject);
            finish(app, &marker, app.texter().send(&phone, &text).await.map_err(Error::from)).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// An `emergency` maintenance request texted at once to the org's alert phone (once per
/// event); `None` when `event` is not a maintenance request, `Some(sent)` when it is.
pub async fn emergency_alert(app: &App, cx: &Ctx<'_>, event: &Event) -> Result<Option<usize>> {
    use crate::maintenance::events::MaintenanceRequested;
    use crate::maintenance::model::Priority;
    let Some(r) = event.decode::<MaintenanceRequested>() else { return Ok(None) };
    let r = r.map_err(|e| external("maintenance.requested payload", e))?;
    if r.priority != Priority::Emergency {
        return Ok(Some(0));
    }
    let org = get_org(cx).await?;
    let Some(phone) = org.alert_phone.as_deref().map(e164) else {
        tracing::warn!(request = %r.request_id, "an emergency maintenance request, and no alert phone to text");
        return Ok(Some(0));
    };
    let unit = crate::properties::units::get_unit(cx, r.unit_id.as_str()).await?;
    let building = crate::properties::buildings::get_building(cx, r.building_id.as_str()).await?;
    let Some(marker) = claim_send(app, cx, event, "owner", "sms").await? else { return Ok(Some(0)) };
    let text = format!("EMERGENCY maintenance at {} unit {}: {}", building.name, unit.label, r.title);
    finish(app, &marker, app.texter().send(&phone, &text).await.map_err(Error::from)).await?;
    Ok(Some(1))
}

/// An `obligation.due` emailed to whom it falls to — a task's assignee (the member, or every
/// member of the role), else each owner — once per event and recipient; `None` when `event`
/// is not one.
pub async fn obligation_email(app: &App, cx: &Ctx<'_>, event: &Event) -> Result<Option<usize>> {
    use crate::leasing::events::ObligationDue;
    let Some(o) = event.decode::<ObligationDue>() else { return Ok(None) };
    let o = o.map_err(|e| external("obligation.due payload", e))?;
    let to = recipients(cx, o.assignee_role, o.assignee_user_id.as_deref()).await?;
    let subject = format!("Due {}: {}", o.due_on, o.name);
    let body = format!(
        "{} ({} {}) falls due on {}.\n{}\n",
        o.name,
        o.subject_type,
        o.subject_id,
        o.due_on,
        o.detail.clone().unwrap_or_default()
    );
    let mut sent = 0;
    for m in to {
        let Some(marker) = claim_send(app, cx, event, m.user_id.as_str(), "email").await? else { continue };
        let email = Email { to: &m.email, subject: &subject, text: &body };
        finish(app, &marker, app.mailer().send(email).await.map_err(Error::from)).await?;
        sent += 1;
    }
    Ok(Some(sent))
}

/// The member named, else the members of `role`, else the owners.
async fn recipients(
    cx: &Ctx<'_>,
    role: Option<crate::platform::scope::Role>,
    user: Option<&str>,
) -> Result<Vec<crate::core::model::Member>> {
    let role = role.unwrap_or(crate::platform::scope::Role::Owner);
    let mut out = Vec::new();
    let mut page = db::PageRequest { limit: 100, start: None };
    loop {
        let got = crate::core::members::list_members(cx, page).await?;
        out.extend(got.items.into_iter().filter(|m| match user {
            Some(u) => m.user_id.as_str() == u,
            None => m.role == role,
        }));
        match got.last_key {
            Some(k) => page = db::PageRequest { limit: 100, start: Some(k) },
            None => return Ok(out),
        }
    }
}

/// Claims one (recipient, channel) send of `event`; `None` when it already went out. A send
/// being made elsewhere right now fails this attempt (the event is retried).
async fn claim_send(
    app: &App,
    cx: &Ctx<'_>,
    event: &Event,
    to: &str,
    channel: &str,
) -> Result<Option<crate::events::consumer::Marker>> {
    use crate::events::consumer::{claim, Claim};
    let name = format!("notifier-{channel}-{to}");
    match claim(&app.db, cx.scope, &name, event, cx.now.timestamp()).await? {
        Claim::Run(m) => Ok(Some(m)),
        Claim::Done => Ok(None),
        Claim::Busy => Err(Error::Conflict("this notification is being sent by another invocation".into())),
    }
}

async fn finish<T>(app: &App, marker: &crate::events::consumer::Marker, result: Result<T>) -> Result<()> {
    match result {
        Ok(_) => Ok(marker.done(&app.db).await?),
        Err(e) => {
            let _ = marker.release(&app.db).await;
            Err(e)
        }
    }
}

/// `+1 (555) 010-0100` → `+15550100100`.
pub fn e164(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("+{digits}")
}

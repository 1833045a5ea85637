//! `consumer-notifier`: `reminder.created` and `payment.received` become a plain-text email to
//! each tenant of the lease (SES v2) and an SMS to each with a phone (SNS), once per event; an
//! `emergency` `maintenance.requested` is texted at once to the org's alert phone.

use super::events::run;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::events::Event;
use portfolio::notify;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;

pub const CONSUMER: &str = "notifier";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    run(app, batch, CONSUMER, notify_one).await
}

async fn notify_one(app: &App, scope: OrgScope, event: Event) -> portfolio::Result<()> {
    let cx = Ctx::new(&app.db, &scope);
    if let Some(sent) = notify::emergency_alert(app, &cx, &event).await? {
        tracing::info!(event_id = %event.id, r#type = event.type_, sent, "texted the owner");
        return Ok(());
    }
    if let Some(sent) = notify::obligation_email(app, &cx, &event).await? {
        tracing::info!(event_id = %event.id, r#type = event.type_, sent, "emailed the owners");
        return Ok(());
    }
    let Some((lease, msg)) = notify::message_for(&cx, &event).await? else {
        tracing::info!(event_id = %event.id, r#type = event.type_, "nothing to send");
        return Ok(());
    };
    let sent = notify::send(app, &cx, &event, &lease, &msg).await?;
    tracing::info!(event_id = %event.id, r#type = event.type_, sent, "notified tenants");
    Ok(())
}

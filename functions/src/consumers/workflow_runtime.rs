//! `consumer-workflow-runtime`: every domain event (but `workflow.*`) is offered to the org's
//! enabled workflow definitions; each whose trigger it meets starts one instance (derived id:
//! a redelivered event starts nothing new).

use super::events::run;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::events::Event;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;

pub const CONSUMER: &str = "workflow-runtime";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    run(app, batch, CONSUMER, start_one).await
}

async fn start_one(app: &App, scope: OrgScope, event: Event) -> portfolio::Result<()> {
    let cx = Ctx::new(&app.db, &scope);
    let started = portfolio::workflows::runtime::on_event(&cx, &event).await?;
    if started > 0 {
        tracing::info!(event_id = %event.id, r#type = event.type_, started, "workflows started");
    }
    Ok(())
}

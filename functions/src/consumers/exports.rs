//! `consumer-exports`: `export.requested` → the export's file built from the books and the
//! reports, stored under the org's prefix, the export `ready` (or `failed` with the reason).

use super::events::run;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::events::Event;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;
use portfolio::reports::events::ExportRequested;

pub const CONSUMER: &str = "exports";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    run(app, batch, CONSUMER, build_one).await
}

async fn build_one(app: &App, scope: OrgScope, event: Event) -> portfolio::Result<()> {
    let Some(Ok(requested)) = event.decode::<ExportRequested>() else {
        tracing::info!(event_id = %event.id, r#type = event.type_, "not an export request");
        return Ok(());
    };
    let cx = Ctx::new(&app.db, &scope);
    portfolio::reports::exports::build(&cx, app.blob(), &requested.export_id).await?;
    tracing::info!(export_id = %requested.export_id, kind = ?requested.kind, "export built");
    Ok(())
}

//! `consumer-bank-sync`: `bank_feed.connected` (the first sync) and `bank_feed.sync_requested`
//! (Plaid's `SYNC_UPDATES_AVAILABLE`) → the Item's transactions synced, matched and categorized
//! (`portfolio::banking::sync`), once per event. A failed sync leaves the cursor where it was and
//! the message is retried.

use super::events::run;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::banking::events::{BankFeedConnected, BankSyncRequested};
use portfolio::events::Event;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;

pub const CONSUMER: &str = "bank-sync";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    run(app, batch, CONSUMER, sync_one).await
}

fn item_of(event: &Event) -> Option<String> {
    if let Some(Ok(e)) = event.decode::<BankSyncRequested>() {
        return Some(e.item_id);
    }
    event.decode::<BankFeedConnected>().and_then(Result::ok).map(|e| e.item_id)
}

async fn sync_one(app: &App, scope: OrgScope, event: Event) -> portfolio::Result<()> {
    let Some(item) = item_of(&event) else {
        tracing::info!(event_id = %event.id, r#type = event.type_, "not a bank sync request");
        return Ok(());
    };
    let cx = Ctx::new(&app.db, &scope);
    match portfolio::banking::sync::sync_item(
        &cx,
        (app.plaid(), app.plaid_tokens(), app.config.plaid.sync_page_size),
        &item,
    )
    .await?
    {
        Some(out) => tracing::info!(item, ?out, "bank feed synced"),
        None => tracing::info!(item, "the bank is disconnected; nothing synced"),
    }
    Ok(())
}

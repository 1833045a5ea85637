//! `consumer-books`: the books' FIFO queue (one message group per org, fed by the outbox relay)
//! → journal entries. Each event posts its entries once (deterministic ids); when one fails,
//! the rest of that org's messages in the batch are failed with it, so they are retried after
//! it and in order, while other orgs' messages go on.

use super::events::{failure, response};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::books::from_events;
use portfolio::events::consumer::Received;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::App;
use std::collections::HashSet;

pub const CONSUMER: &str = "books";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    let mut stopped: HashSet<String> = HashSet::new();
    for record in batch.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(received) = Received::from_sqs(&record) else {
            tracing::error!(message_id = id, "not an event envelope of ours; dropped");
            continue;
        };
        let org = received.event().org_id.clone();
        if stopped.contains(&org) {
            failures.push(failure(id));
            continue;
        }
        let scope = received.scope(CONSUMER);
        let event = received.into_event();
        let cx = Ctx::new(&app.db, &scope);
        match from_events::handle(&cx, &event).await {
            Ok(new) => tracing::info!(event_id = %event.id, r#type = event.type_, new, "posted"),
            Err(e) => {
                tracing::warn!(event_id = %event.id, r#type = event.type_, error = %e, "posting failed; this org's rest is retried after it");
                stopped.insert(org);
                failures.push(failure(id));
            }
        }
    }
    response(failures)
}

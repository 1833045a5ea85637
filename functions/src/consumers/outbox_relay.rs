//! `consumer-outbox-relay`: the table stream (INSERTs of `Event` items, filtered by the event
//! source mapping) → the EventBridge bus, at most 10 per `PutEvents`, retrying only failed
//! entries; the money events also go to the books' FIFO queue (grouped by org). What still
//! fails is reported as a batch item failure from the first failed record, so Lambda retries
//! from there (bisecting on errors, then the on-failure destination).

use aws_lambda_events::dynamodb::Event as StreamEvent;
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use portfolio::events::{relay, Event};
use portfolio::platform::App;

/// Test hook (the `fault-injection` feature, never in Lambda builds), per table: publish only
/// this many events of the next batch, then fail the rest (a crash after publishing half a
/// batch).
#[cfg(feature = "fault-injection")]
static FAIL_AFTER_PUBLISHING: std::sync::Mutex<Option<std::collections::HashMap<String, usize>>> =
    std::sync::Mutex::new(None);

/// Makes the next batch relayed for `table` stop after `n` events (tests only).
#[cfg(feature = "fault-injection")]
pub fn fail_next_batch_after(table: &str, n: usize) {
    FAIL_AFTER_PUBLISHING.lock().expect("hook").get_or_insert_with(Default::default).insert(table.to_owned(), n);
}

/// How many events of this batch may be published.
#[cfg(feature = "fault-injection")]
fn publish_limit(table: &str, events: usize) -> usize {
    let fault = FAIL_AFTER_PUBLISHING.lock().expect("hook").as_mut().and_then(|m| m.remove(table));
    fault.unwrap_or(usize::MAX).min(events)
}

#[cfg(not(feature = "fault-injection"))]
fn publish_limit(_table: &str, events: usize) -> usize {
    events
}

pub async fn handle(app: &App, batch: StreamEvent) -> DynamoDbEventResponse {
    let mut events: Vec<(Event, Option<String>)> = Vec::new();
    for r in batch.records {
        if r.event_name != "INSERT" {
            continue;
        }
        match Event::from_stream_image(r.change.new_image) {
            Some(e) => events.push((e, r.change.sequence_number)),
            // The mapping's filter passes only Event inserts: one that does not decode is a bug.
            None => tracing::error!(event_id = r.event_id, "an outbox event that does not decode; skipped"),
        }
    }
    if events.is_empty() {
        return DynamoDbEventResponse::default();
    }
    let limit = publish_limit(&app.config.store.table_name, events.len());
    let publishable: Vec<Event> = events.iter().take(limit).map(|(e, _)| e.clone()).collect();
    let bus_failed = relay::publish(app.events(), &app.config.events.bus_name, &publishable).await;
    let books_failed = match &app.config.events.books_queue_url {
        Some(url) => relay::queue_for_books(app.sqs(), url, &publishable).await,
        None => None,
    };
    let failed_at = match bus_failed.into_iter().chain(books_failed).min() {
        Some(i) => Some(i),
        None if limit < events.len() => Some(limit),
        None => None,
    };
    let mut response = DynamoDbEventResponse::default();
    if let Some(i) = failed_at {
        tracing::warn!(
            published = i,
            total = events.len(),
            "relay stopped; the rest is retried from the failed record"
        );
        let mut f = DynamoDbBatchItemFailure::default();
        f.item_identifier = events[i].1.clone();
        response.batch_item_failures.push(f);
    } else {
        tracing::info!(published = events.len(), "events relayed");
    }
    response
}

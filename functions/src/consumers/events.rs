//! What every event consumer shares: decode the EventBridge envelope from each SQS record, claim
//! the event's processed-marker (idempotent by event id), run the effect, mark it done, and
//! report the records that failed as partial batch failures (released, so they run again).

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use portfolio::events::consumer::{claim, Claim, Received};
use portfolio::events::Event;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;
use std::future::Future;

/// Test hook (the `fault-injection` feature, never in Lambda builds): events every consumer
/// fails on (a poison event).
#[cfg(feature = "fault-injection")]
static POISON: std::sync::Mutex<Option<std::collections::HashSet<String>>> = std::sync::Mutex::new(None);

/// Makes every consumer fail on `event_id` (tests only).
#[cfg(feature = "fault-injection")]
pub fn poison(event_id: &str) {
    POISON.lock().expect("hook").get_or_insert_with(Default::default).insert(event_id.to_owned());
}

#[cfg(feature = "fault-injection")]
fn is_poison(event_id: &str) -> bool {
    POISON.lock().expect("hook").as_ref().is_some_and(|p| p.contains(event_id))
}

/// Runs `effect` once per event for `consumer`. Records that are not events are handed to
/// `other` (e.g. the dispatcher's own delivery messages); `None` there drops them.
pub async fn run<'a, F, Fut>(app: &'a App, batch: SqsEvent, consumer: &'static str, effect: F) -> SqsBatchResponse
where
    F: Fn(&'a App, OrgScope, Event) -> Fut,
    Fut: Future<Output = portfolio::Result<()>>,
{
    let mut failures = Vec::new();
    for record in batch.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(received) = Received::from_sqs(&record) else {
            tracing::error!(message_id = id, consumer, "not an event envelope from our bus; dropped");
            continue;
        };
        if let Err(()) = one(app, consumer, received, &effect).await {
            failures.push(failure(id));
        }
    }
    response(failures)
}

pub fn failure(id: String) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id;
    f
}

pub fn response(failures: Vec<BatchItemFailure>) -> SqsBatchResponse {
    let mut r = SqsBatchResponse::default();
    r.batch_item_failures = failures;
    r
}

/// One event through its marker: `Err` means "retry this record".
pub async fn one<'a, F, Fut>(app: &'a App, consumer: &'static str, received: Received, effect: &F) -> Result<(), ()>
where
    F: Fn(&'a App, OrgScope, Event) -> Fut,
    Fut: Future<Output = portfolio::Result<()>>,
{
    let scope = received.scope(consumer);
    let event = received.into_event();
    #[cfg(feature = "fault-injection")]
    if is_poison(event.id.as_str()) {
        tracing::warn!(event_id = %event.id, consumer, "poison event (test hook); failing");
        return Err(());
    }
    let now = portfolio::platform::clock::now().timestamp();
    let marker = match claim(&app.db, &scope, consumer, &event, now).await {
        Ok(Claim::Run(m)) => m,
        Ok(Claim::Done) => {
            tracing::info!(event_id = %event.id, consumer, "already processed; skipped");
            return Ok(());
        }
        Ok(Claim::Busy) => return Err(()),
        Err(e) => {
            tracing::warn!(event_id = %event.id, consumer, error = %e, "marker unavailable; will retry");
            return Err(());
        }
    };
    let event_id = event.id.clone();
    match effect(app, scope, event).await {
        Ok(()) => {
            if let Err(e) = marker.done(&app.db).await {
                tracing::warn!(event_id = %event_id, consumer, error = %e, "effect done but marker not updated");
            }
            Ok(())
        }
        Err(e) => {
            tracing::warn!(event_id = %event_id, consumer, error = %e, "consumer failed; will retry");
            let _ = marker.release(&app.db).await;
            Err(())
        }
    }
}

//! `consumer-webhook-dispatcher`: two queues feed it. Events from the bus fan out to the org's
//! endpoints (a delivery each, idempotent by event id); delivery messages make one signed
//! attempt each, scheduling the next with backoff through SQS delays.

use super::events::{failure, one, response};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::events::consumer::Received;
use portfolio::platform::clock;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;
use portfolio::webhooks::service::{self, DeliveryMessage};

pub const CONSUMER: &str = "webhook-dispatcher";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in batch.records {
        let id = record.message_id.clone().unwrap_or_default();
        if let Some(received) = Received::from_sqs(&record) {
            if one(app, CONSUMER, received, &fanout).await.is_err() {
                failures.push(failure(id));
            }
        } else if let Some(m) = DeliveryMessage::from_sqs(&record) {
            if let Err(e) = service::attempt(app, &m, clock::now()).await {
                tracing::warn!(delivery = %m.delivery_id(), error = %e, "attempt could not be recorded; retried");
                failures.push(failure(id));
            }
        } else {
            tracing::error!(message_id = id, "unknown message; dropped");
        }
    }
    response(failures)
}

async fn fanout(app: &App, scope: OrgScope, event: portfolio::events::Event) -> portfolio::Result<()> {
    service::dispatch(app, &Ctx::new(&app.db, &scope), &event).await.map(|_| ())
}

//! `consumer-webhook-dispatcher`: two queues feed it. Events from the bus fan out to the org's
//! endpoints (a delivery each, idempotent by event id); delivery messages make one signed
//! attempt each, scheduling the next with backoff through SQS delays.
//!
//! Every domain event reaches this queue, and most orgs subscribe to few types (or none): the
//! org's endpoints are read once per batch, and an event no endpoint wants is acknowledged
//! without a processed-marker (there is nothing to do twice).

use super::events::{failure, one, response};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::events::consumer::Received;
use portfolio::ids::OrgId;
use portfolio::platform::clock;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::scope::OrgScope;
use portfolio::platform::App;
use portfolio::webhooks::model::WebhookRecord;
use portfolio::webhooks::service::{self, DeliveryMessage};
use std::collections::HashMap;

pub const CONSUMER: &str = "webhook-dispatcher";

pub async fn handle(app: &App, batch: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    let mut endpoints: HashMap<OrgId, Vec<WebhookRecord>> = HashMap::new();
    for record in batch.records {
        let id = record.message_id.clone().unwrap_or_default();
        if let Some(received) = Received::from_sqs(&record) {
            if fanout(app, &mut endpoints, received).await.is_err() {
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

/// One event to the endpoints of its org that want it: `Err` means "retry this record".
async fn fanout<'a>(
    app: &'a App,
    cache: &mut HashMap<OrgId, Vec<WebhookRecord>>,
    received: Received,
) -> Result<(), ()> {
    let scope = received.scope(CONSUMER);
    let org = scope.org_id().clone();
    if !cache.contains_key(&org) {
        match service::active_endpoints(app, &scope).await {
            Ok(hooks) => cache.insert(org.clone(), hooks),
            Err(e) => {
                tracing::warn!(event_id = %received.event().id, error = %e, "endpoints unavailable; will retry");
                return Err(());
            }
        };
    }
    let hooks = &cache[&org];
    if !hooks.iter().any(|w| w.wants(&received.event().type_)) {
        return Ok(());
    }
    let effect = |app: &'a App, scope: OrgScope, event: portfolio::events::Event| async move {
        service::dispatch(app, &Ctx::new(&app.db, &scope), &event, hooks).await.map(|_| ())
    };
    one(app, CONSUMER, received, &effect).await
}

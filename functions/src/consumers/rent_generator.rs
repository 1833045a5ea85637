//! `consumer-rent-generator`: one rent-run message per org (from `job-rent-scheduler`). Each
//! message runs `rent_run::run_org`; a failed org is reported as a batch item failure and comes
//! back after the visibility timeout (then to the DLQ), without redoing the others.

use super::events::{failure, response};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::billing::rent_run::{self, RunOptions};
use portfolio::jobs::{Job, OrgMessage};
use portfolio::platform::App;

pub async fn handle(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(m) = OrgMessage::from_sqs(Job::RentRun, &record) else {
            // A malformed message (or org id) can never succeed: log it and let it go.
            tracing::error!(message_id = id, body = ?record.body, "not a rent-run message; dropped");
            continue;
        };
        let scope = m.scope();
        match rent_run::run_org(&app.db, &scope, m.run_date(), &RunOptions::default()).await {
            Ok(r) => tracing::info!(message_id = id, created = r.charges_created, "rent run message done"),
            Err(portfolio::Error::NotFound(what)) => tracing::warn!(message_id = id, what, "org gone; dropped"),
            Err(e) => {
                tracing::error!(message_id = id, error = %e, "rent run failed; will be retried");
                failures.push(failure(id));
            }
        }
    }
    response(failures)
}

//! The consumer side of every per-org job (`consumer-rent-generator`, `consumer-late-fees`,
//! `consumer-delinquency-snapshot`, `consumer-rent-reminders`): each SQS record is one
//! `{job, orgId, runDate}` message from the job's scheduler (`jobs::schedule`); the dispatcher
//! runs that job's per-org function for it. A failed org is reported as a batch item failure and
//! comes back after the visibility timeout, then goes to the queue's DLQ, without redoing or
//! holding back the other orgs of the batch.

use super::events::{failure, response};
use crate::jobs::{self, Job, JobMessage};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::platform::App;

/// Runs each message of `event` for `consumer_of`, the job whose queue this function drains.
pub async fn handle(app: &App, consumer_of: Job, event: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let message = match record.body.as_deref().map(serde_json::from_str::<JobMessage>) {
            Some(Ok(m)) => m,
            // A malformed message can never succeed: log it and let it go.
            Some(Err(e)) => {
                tracing::error!(message_id = id, body = record.body, error = %e, "not a job message; dropped");
                continue;
            }
            None => {
                tracing::error!(message_id = id, "a job message without a body; dropped");
                continue;
            }
        };
        if message.job != consumer_of {
            // Another job's message on this queue: a wiring mistake this function cannot fix.
            tracing::error!(
                message_id = id,
                job = message.job.name(),
                expected = consumer_of.name(),
                "job message on the wrong queue; dropped"
            );
            continue;
        }
        if run_one(app, &id, &message).await.is_err() {
            failures.push(failure(id));
        }
    }
    response(failures)
}

/// One org's run: `Err` means "retry this message".
async fn run_one(app: &App, id: &str, m: &JobMessage) -> Result<(), ()> {
    let (job, org) = (m.job.name(), m.org_id.as_str());
    if let Some(attempt) = jobs::injected_failure(m.job, &m.org_id) {
        tracing::warn!(message_id = id, job, org, attempt, "failure injected (test hook); will be retried");
        return Err(());
    }
    let scope = jobs::system_scope(m.org_id.clone(), m.job);
    match m.job.run_org(&app.db, &scope, m.run_date).await {
        Ok(report) => {
            tracing::info!(message_id = id, job, org, run_date = %m.run_date, %report, "job done for the org");
            Ok(())
        }
        Err(portfolio::Error::NotFound(what)) => {
            tracing::warn!(message_id = id, job, org, what, "org gone; dropped");
            Ok(())
        }
        Err(e) => {
            tracing::error!(message_id = id, job, org, run_date = %m.run_date, error = %e, "job failed for the org; will be retried");
            Err(())
        }
    }
}

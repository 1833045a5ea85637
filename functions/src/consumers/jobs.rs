//! The consumer side of every per-org job (`consumer-rent-generator`, `consumer-late-fees`,
//! `consumer-delinquency-snapshot`, `consumer-rent-reminders`): each SQS record is one
//! `{job, orgId, runDate}` message from the job's scheduler (`jobs::schedule`); the dispatcher
//! runs that job's per-org function for it. A failed org is reported as a batch item failure and
//! comes back after the visibility timeout, then goes to the queue's DLQ, without redoing or
//! holding back the other orgs of the batch.

use super::events::{failure, response};
use crate::jobs::{Job, JobFunctions};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::jobs::ReceivedJob;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::App;

/// Runs each message of `event` for `consumer_of`, the job whose queue this function drains.
pub async fn handle(app: &App, consumer_of: Job, event: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let received = match ReceivedJob::from_sqs(&record) {
            Ok(r) => r,
            // A malformed message can never succeed: log it and let it go.
            Err(e) => {
                tracing::error!(message_id = id, body = record.body, error = %e, "not a job message; dropped");
                continue;
            }
        };
        let job = received.message().job;
        if job != consumer_of {
            // Another job's message on this queue: a wiring mistake this function cannot fix.
            tracing::error!(
                message_id = id,
                job = job.name(),
                expected = consumer_of.name(),
                "job message on the wrong queue; dropped"
            );
            continue;
        }
        if run_one(app, &id, &received).await.is_err() {
            failures.push(failure(id));
        }
    }
    response(failures)
}

/// One org's run: `Err` means "retry this message".
async fn run_one(app: &App, id: &str, received: &ReceivedJob) -> Result<(), ()> {
    let m = received.message();
    let (job, org) = (m.job.name(), m.org_id.as_str());
    #[cfg(feature = "fault-injection")]
    if let Some(attempt) = crate::jobs::injected_failure(m.job, &m.org_id) {
        tracing::warn!(message_id = id, job, org, attempt, "failure injected (test hook); will be retried");
        return Err(());
    }
    let scope = received.scope();
    let cx = Ctx::new(&app.db, &scope);
    match m.job.run_org(app, &cx, m.run_date).await {
        Ok(report) if report.get("complete") == Some(&serde_json::Value::Bool(false)) => {
            tracing::info!(message_id = id, job, org, run_date = %m.run_date, %report, "job bounded; continues in a new message");
            continue_later(app, m).await
        }
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

/// A run that stopped at its bound (`"complete": false`, e.g. a rent run back-filling years)
/// goes on in a new message for the same (job, org, run date) on the job's own queue; every
/// per-org function starts from what is already done.
async fn continue_later(app: &App, m: &portfolio::jobs::JobMessage) -> Result<(), ()> {
    let Some(queue) = app.config.jobs.queue_url.as_deref() else {
        tracing::error!(job = m.job.name(), "JOB_QUEUE_URL is not set; the next scheduled run continues");
        return Ok(());
    };
    let body = serde_json::to_string(m).expect("a job message serializes");
    match app.sqs().send_message().queue_url(queue).message_body(body).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            // Retrying the whole message is harmless: the work done is not redone.
            tracing::error!(job = m.job.name(), error = %aws_sdk_sqs::error::DisplayErrorContext(&e), "continuation not sent; will be retried");
            Err(())
        }
    }
}

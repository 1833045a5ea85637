//! `consumer-rent-generator`: one rent-run message per org (from `job-rent-scheduler`). Each
//! message runs `rent_run::run_org`; a failed org is reported as a batch item failure and comes
//! back after the visibility timeout (then to the DLQ), without redoing the others.

use super::events::{failure, response};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use portfolio::billing::rent_run::{self, RunOptions};
use portfolio::ids::OrgId;
use portfolio::platform::auth::OrgScope;
use portfolio::platform::App;

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    org_id: String,
    #[serde(default)]
    run_date: Option<chrono::NaiveDate>,
}

pub async fn handle(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let parsed = record.body.as_deref().and_then(|b| serde_json::from_str::<Message>(b).ok());
        let Some(m) = parsed else {
            // A malformed message can never succeed: log it and let it go.
            tracing::error!(message_id = id, body = ?record.body, "not a rent-run message; dropped");
            continue;
        };
        let Some(org) = OrgId::parse(&m.org_id) else {
            tracing::error!(message_id = id, org = m.org_id, "not an org id; dropped");
            continue;
        };
        let scope = OrgScope::trusted_system(org, "system:rent-run");
        match rent_run::run_org(&app.db, &scope, m.run_date, &RunOptions::default()).await {
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

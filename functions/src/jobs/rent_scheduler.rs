//! `job-rent-scheduler` (daily): pages every organization through the sharded org index and
//! sends one message per org to the rent-run queue, which `consumer-rent-generator` drains.
//! Re-running sends the messages again; the generator's deterministic ids make that harmless.

use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use portfolio::platform::App;
use serde_json::json;

pub async fn handle(app: &App, input: serde_json::Value) -> Result<serde_json::Value, lambda_runtime::Error> {
    let queue = app.config.rent_run_queue_url.as_deref().ok_or("RENT_RUN_QUEUE_URL is not set")?;
    let run_date = super::run_date(&input)?;
    let orgs = portfolio::jobs::Job::RentRun.orgs(&app.db).await?;
    let mut sent = 0;
    for chunk in orgs.chunks(10) {
        let entries = chunk
            .iter()
            .enumerate()
            .map(|(i, org)| {
                SendMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .message_body(portfolio::jobs::OrgMessage::body(org, run_date))
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let out = app.sqs.send_message_batch().queue_url(queue).set_entries(Some(entries)).send().await?;
        if !out.failed.is_empty() {
            return Err(format!("{} rent-run messages were not accepted", out.failed.len()).into());
        }
        sent += chunk.len();
    }
    tracing::info!(orgs = sent, ?run_date, "rent runs enqueued");
    Ok(json!({"orgs": sent, "runDate": run_date}))
}

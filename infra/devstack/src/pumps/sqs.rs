//! `Type: SQS` event sources: each queue drained into its function like Lambda's event source
//! mapping (batches, partial batch failures left for redelivery, the queue's redrive policy).

use super::{err, logical_target, Idle};
use crate::resources::{Refs, ResourceError};
use crate::server::Gateway;
use crate::template::Template;
use std::sync::Arc;

/// A `Type: SQS` event of a function: its queue, drained like Lambda's event source mapping.
#[derive(Clone)]
pub struct SqsSource {
    pub function: String,
    pub queue_url: String,
    pub queue_arn: String,
    pub batch_size: i32,
}

pub fn sqs_sources(template: &Template, refs: &Refs) -> Result<Vec<SqsSource>, ResourceError> {
    let mut out = Vec::new();
    for f in &template.functions {
        for (name, ev) in f.properties["Events"].as_mapping().into_iter().flatten() {
            if ev["Type"].as_str() != Some("SQS") {
                continue;
            }
            let what = format!("{}.{}", f.logical_id, name.as_str().unwrap_or_default());
            let queue =
                logical_target(&ev["Properties"]["Queue"]).ok_or_else(|| err(&what, "Queue must !GetAtt a queue"))?;
            let queue_url = refs.get(&queue).cloned().ok_or_else(|| err(&what, format!("no queue {queue}")))?;
            let queue_arn = refs.get(&format!("{queue}.Arn")).cloned().unwrap_or_default();
            let batch_size = ev["Properties"]["BatchSize"].as_i64().unwrap_or(10).clamp(1, 10) as i32;
            out.push(SqsSource { function: f.binary.clone(), queue_url, queue_arn, batch_size });
        }
    }
    Ok(out)
}

/// How many batches of a FIFO queue are in flight at once. Lambda scales a FIFO source by
/// message group (one batch per group at a time); the emulator holds back a group while a batch
/// of it is in flight, so several pollers keep each org in order while orgs go on side by side
/// (one org's long rebuild of its books does not stall the others').
pub const FIFO_POLLERS: usize = 4;

impl SqsSource {
    pub fn pollers(&self) -> usize {
        if self.queue_url.ends_with(".fifo") {
            FIFO_POLLERS
        } else {
            1
        }
    }
}

/// The event Lambda hands an SQS-triggered function.
pub fn sqs_event(
    messages: &[aws_sdk_sqs::types::Message],
    queue_arn: &str,
    region: &str,
) -> aws_lambda_events::sqs::SqsEvent {
    let records: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| {
            serde_json::json!({
                "messageId": m.message_id, "receiptHandle": m.receipt_handle, "body": m.body,
                "md5OfBody": m.md5_of_body, "attributes": {}, "messageAttributes": {},
                "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region,
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "Records": records })).expect("an SQS event")
}

/// Drains one queue into its function: a batch per receive; the messages the function reports
/// as failed (or all, if it fails outright) stay for redelivery after the visibility timeout,
/// and the queue's redrive policy moves them to the DLQ after `maxReceiveCount`.
pub async fn pump_sqs(
    source: SqsSource,
    gateway: Arc<Gateway>,
    sqs: aws_sdk_sqs::Client,
    region: String,
    visibility: Option<i32>,
) {
    let Some(f) = gateway.functions.iter().find(|f| f.def.name == source.function) else { return };
    let functions::Handler::Sqs(handler) = f.def.handler else { return };
    let mut idle = Idle::default();
    loop {
        let Some(messages) = idle.poll(&sqs, &source.queue_url, source.batch_size, visibility).await else { continue };
        let app = match f.app() {
            Ok(app) => app,
            Err(e) => {
                tracing::error!(function = f.def.name, error = %e, "function init failed");
                continue;
            }
        };
        let response = f.timed(handler(app, sqs_event(&messages, &source.queue_arn, &region))).await;
        let failed: std::collections::HashSet<String> =
            response.batch_item_failures.into_iter().map(|f| f.item_identifier).collect();
        delete_done(&sqs, &source.queue_url, messages, &failed).await;
    }
}

/// Deletes the messages the function did not report as failed, in one `DeleteMessageBatch`
/// (Lambda's event source mapping deletes a batch's successes the same way).
async fn delete_done(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    messages: Vec<aws_sdk_sqs::types::Message>,
    failed: &std::collections::HashSet<String>,
) {
    let entries: Vec<_> = messages
        .into_iter()
        .filter(|m| !m.message_id.as_ref().is_some_and(|id| failed.contains(id)))
        .enumerate()
        .filter_map(|(i, m)| {
            aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .receipt_handle(m.receipt_handle?)
                .build()
                .ok()
        })
        .collect();
    if entries.is_empty() {
        return;
    }
    if let Err(e) = sqs.delete_message_batch().queue_url(queue_url).set_entries(Some(entries)).send().await {
        tracing::warn!(queue_url, error = %aws_sdk_sqs::error::DisplayErrorContext(e), "delete failed; redelivered later");
    }
}

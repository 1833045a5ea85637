//! The outbox relay's publishing: events to the EventBridge bus, at most 10 per `PutEvents`,
//! retrying only the entries that failed.

use super::consumer::BUS_SOURCE;
use super::Event;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;

/// How often failed entries are retried before they are reported back as failed.
const ATTEMPTS: usize = 4;

/// Publishes `events` in order; returns the index of the first event that could not be
/// published (everything before it was), or `None` when all were.
pub async fn publish(client: &aws_sdk_eventbridge::Client, bus: &str, events: &[Event]) -> Option<usize> {
    for (chunk_no, chunk) in events.chunks(10).enumerate() {
        let mut pending: Vec<usize> = (0..chunk.len()).collect();
        for attempt in 0..ATTEMPTS {
            let entries: Vec<PutEventsRequestEntry> = pending
                .iter()
                .map(|i| {
                    let e = &chunk[*i];
                    PutEventsRequestEntry::builder()
                        .event_bus_name(bus)
                        .source(BUS_SOURCE)
                        .detail_type(&e.type_)
                        .detail(serde_json::to_string(e).expect("events serialize"))
                        .time(aws_smithy_types::DateTime::from_millis(e.occurred_at.timestamp_millis()))
                        .build()
                })
                .collect();
            match client.put_events().set_entries(Some(entries)).send().await {
                Ok(out) => {
                    let results = out.entries.unwrap_or_default();
                    let failed: Vec<usize> = pending
                        .iter()
                        .zip(results.iter().map(Some).chain(std::iter::repeat(None)))
                        .filter(|(_, r)| r.is_none_or(|r| r.error_code.is_some() || r.event_id.is_none()))
                        .map(|(i, _)| *i)
                        .collect();
                    if !failed.is_empty() {
                        tracing::warn!(failed = failed.len(), attempt, "PutEvents entries failed; retrying those");
                    }
                    pending = failed;
                }
                Err(e) => {
                    tracing::warn!(error = %aws_sdk_eventbridge::error::DisplayErrorContext(&e), attempt, "PutEvents failed");
                }
            }
            if pending.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
        }
        if let Some(first) = pending.iter().min() {
            return Some(chunk_no * 10 + first);
        }
    }
    None
}

/// Queues the events the books post onto the books' FIFO queue, one message group per org (so
/// one org's entries are posted one at a time and in order, while orgs proceed in parallel),
/// deduplicated by event id. Returns the index of the first event that could not be queued.
pub async fn queue_for_books(sqs: &aws_sdk_sqs::Client, queue_url: &str, events: &[Event]) -> Option<usize> {
    use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
    let wanted: Vec<(usize, &Event)> =
        events.iter().enumerate().filter(|(_, e)| crate::books::from_events::queued(&e.type_)).collect();
    for chunk in wanted.chunks(10) {
        let mut pending: Vec<usize> = (0..chunk.len()).collect();
        for attempt in 0..ATTEMPTS {
            let entries: Vec<SendMessageBatchRequestEntry> = pending
                .iter()
                .filter_map(|i| {
                    let e = chunk[*i].1;
                    // The same envelope the bus puts on its queues, so consumers read one shape.
                    let body = serde_json::json!({"source": BUS_SOURCE, "detail-type": e.type_, "detail": e});
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(body.to_string())
                        .message_group_id(&e.org_id)
                        .message_deduplication_id(e.id.as_str())
                        .build()
                        .ok()
                })
                .collect();
            match sqs.send_message_batch().queue_url(queue_url).set_entries(Some(entries)).send().await {
                Ok(out) => {
                    let failed: std::collections::BTreeSet<usize> =
                        out.failed.iter().filter_map(|f| f.id.parse().ok()).collect();
                    pending.retain(|i| failed.contains(i));
                }
                Err(e) => {
                    tracing::warn!(error = %aws_sdk_sqs::error::DisplayErrorContext(&e), attempt, "SendMessageBatch to the books failed");
                }
            }
            if pending.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
        }
        if let Some(first) = pending.iter().min() {
            return Some(chunk[*first].0);
        }
    }
    None
}

//! The event sources Lambda would run, for the emulator that cannot, one module per kind: S3
//! bucket notifications (`s3`), SQS queues (`sqs`), the table's stream (`stream`) and the
//! template's schedules (`schedules`). Each reads its wiring from `template.yaml`.

pub mod s3;
pub mod schedules;
pub mod sqs;
pub mod stream;

pub use s3::{pump_s3, s3_event, wire_s3, S3Source};
pub use schedules::{run_schedule, schedules, Schedule};
pub use sqs::{pump_sqs, sqs_event, sqs_sources, SqsSource};
pub use stream::{lambda_record, matches, pump_stream, stream_sources, StreamSource};

use crate::resources::ResourceError;
use std::time::Duration;

fn err(resource: &str, e: impl std::fmt::Display) -> ResourceError {
    ResourceError { resource: resource.to_owned(), message: e.to_string() }
}

/// The logical id a `!GetAtt X.Attr` or `!Ref X` names.
pub fn logical_target(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::Tagged(t) => Some(t.value.as_str()?.split('.').next()?.to_owned()),
        _ => None,
    }
}

/// Idle polling that backs off from 50 ms to 400 ms (the emulator serves one request at a time;
/// every running stack polls it).
#[derive(Default)]
pub struct Idle(u32);

impl Idle {
    pub async fn wait(&mut self) {
        self.0 = (self.0 + 1).min(3);
        tokio::time::sleep(Duration::from_millis(50 << self.0)).await;
    }

    pub fn reset(&mut self) {
        self.0 = 0;
    }

    /// One short poll of `queue` (the emulator serves one request at a time, so a long poll
    /// would stall it). `None` means "poll again": nothing came (after an idle wait) or the queue
    /// was unreachable (after a pause).
    pub async fn poll(
        &mut self,
        sqs: &aws_sdk_sqs::Client,
        queue: &str,
        max: i32,
        visibility: Option<i32>,
    ) -> Option<Vec<aws_sdk_sqs::types::Message>> {
        let received = sqs
            .receive_message()
            .queue_url(queue)
            .max_number_of_messages(max)
            .set_visibility_timeout(visibility)
            .send()
            .await;
        let messages = match received {
            Ok(r) => r.messages.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(queue, error = %aws_sdk_sqs::error::DisplayErrorContext(e), "queue unavailable");
                tokio::time::sleep(Duration::from_millis(500)).await;
                return None;
            }
        };
        if messages.is_empty() {
            self.wait().await;
            return None;
        }
        self.reset();
        Some(messages)
    }
}

//! S3 bucket notifications, for the emulator that cannot invoke functions: each `Type: S3` event
//! of the template gets a private queue that the bucket notifies (moto delivers S3 events to
//! SQS), and a pump that feeds the messages to the function, deleting each only after the
//! handler succeeded (a failure is retried after the visibility timeout, as Lambda's asynchronous
//! retries would).

use super::{err, Idle};
use crate::resources::{Clients, Refs, ResourceError};
use crate::server::Gateway;
use crate::template::{resolve, Template};
use aws_lambda_events::s3::S3Event;
use std::sync::Arc;

pub struct S3Source {
    pub function: String,
    pub queue_url: String,
}

/// Wires each `Type: S3` event of the template to a queue devstack drains.
pub async fn wire_s3(
    template: &Template,
    clients: &Clients,
    refs: &Refs,
    prefix: &str,
) -> Result<Vec<S3Source>, ResourceError> {
    let mut out = Vec::new();
    let mut per_bucket: std::collections::BTreeMap<String, Vec<aws_sdk_s3::types::QueueConfiguration>> =
        Default::default();
    for f in &template.functions {
        for (name, ev) in f.properties["Events"].as_mapping().into_iter().flatten() {
            if ev["Type"].as_str() != Some("S3") {
                continue;
            }
            let what = format!("{}.{}", f.logical_id, name.as_str().unwrap_or_default());
            let p = &ev["Properties"];
            let bucket =
                resolve(&p["Bucket"], refs).ok_or_else(|| err(&what, "Bucket must !Ref a bucket of the template"))?;
            let queue_name = format!("{prefix}-s3-{}", f.logical_id);
            let q = clients
                .sqs
                .create_queue()
                .queue_name(&queue_name)
                .send()
                .await
                .map_err(|e| err(&what, aws_sdk_sqs::error::DisplayErrorContext(e)))?;
            let queue_url = q.queue_url.unwrap_or_default();
            let queue_arn = format!("arn:aws:sqs:{}:123456789012:{queue_name}", refs["AWS::Region"]);
            let events: Vec<aws_sdk_s3::types::Event> = match &p["Events"] {
                serde_yaml::Value::Sequence(s) => {
                    s.iter().filter_map(|e| e.as_str().map(aws_sdk_s3::types::Event::from)).collect()
                }
                v => v.as_str().map(aws_sdk_s3::types::Event::from).into_iter().collect(),
            };
            let rules: Vec<aws_sdk_s3::types::FilterRule> = p["Filter"]["S3Key"]["Rules"]
                .as_sequence()
                .into_iter()
                .flatten()
                .map(|r| {
                    aws_sdk_s3::types::FilterRule::builder()
                        .name(aws_sdk_s3::types::FilterRuleName::from(
                            r["Name"].as_str().unwrap_or_default().to_lowercase().as_str(),
                        ))
                        .value(r["Value"].as_str().unwrap_or_default())
                        .build()
                })
                .collect();
            let mut qc = aws_sdk_s3::types::QueueConfiguration::builder()
                .id(&what)
                .queue_arn(queue_arn)
                .set_events(Some(events));
            if !rules.is_empty() {
                let key = aws_sdk_s3::types::S3KeyFilter::builder().set_filter_rules(Some(rules)).build();
                qc = qc.filter(aws_sdk_s3::types::NotificationConfigurationFilter::builder().key(key).build());
            }
            per_bucket.entry(bucket).or_default().push(qc.build().map_err(|e| err(&what, e))?);
            out.push(S3Source { function: f.binary.clone(), queue_url });
        }
    }
    // One configuration per bucket: putting it replaces the bucket's whole configuration.
    for (bucket, queues) in per_bucket {
        let config =
            aws_sdk_s3::types::NotificationConfiguration::builder().set_queue_configurations(Some(queues)).build();
        clients
            .s3
            .put_bucket_notification_configuration()
            .bucket(&bucket)
            .notification_configuration(config)
            .send()
            .await
            .map_err(|e| err(&bucket, aws_sdk_s3::error::DisplayErrorContext(e)))?;
    }
    Ok(out)
}

/// Drains one S3 source into its function until aborted.
pub async fn pump_s3(source: S3Source, gateway: Arc<Gateway>, sqs: aws_sdk_sqs::Client) {
    let Some(f) = gateway.functions.iter().find(|f| f.def.name == source.function) else { return };
    let functions::Handler::S3(handler) = f.def.handler else { return };
    let mut idle = Idle::default();
    loop {
        let Some(messages) = idle.poll(&sqs, &source.queue_url, 10, Some(5)).await else { continue };
        for m in messages {
            let body = m.body.unwrap_or_default();
            let done = match s3_event(&body) {
                Some(event) if !event.records.is_empty() => match f.app() {
                    Ok(app) => match f.timed(handler(app, event)).await {
                        Ok(()) => true,
                        Err(e) => {
                            tracing::warn!(function = f.def.name, error = %e, "S3 event failed; it will be retried");
                            false
                        }
                    },
                    Err(e) => {
                        tracing::error!(function = f.def.name, error = %e, "function init failed");
                        false
                    }
                },
                // S3's test event on configuration, or anything else that is not an S3 event.
                _ => {
                    if !body.contains("s3:TestEvent") {
                        tracing::warn!(body, "not an S3 event; dropped");
                    }
                    true
                }
            };
            if done {
                if let Some(h) = m.receipt_handle {
                    let _ = sqs.delete_message().queue_url(&source.queue_url).receipt_handle(h).send().await;
                }
            }
        }
    }
}

/// Decodes an S3 notification as Lambda receives it. moto leaves out `userIdentity`,
/// `requestParameters` and `responseElements`, which S3 always sends; they are filled in here.
pub fn s3_event(body: &str) -> Option<S3Event> {
    let mut v: serde_json::Value = serde_json::from_str(body).ok()?;
    for r in v.get_mut("Records")?.as_array_mut()? {
        let r = r.as_object_mut()?;
        r.entry("userIdentity").or_insert_with(|| serde_json::json!({"principalId": "AWS:DEVSTACK"}));
        r.entry("requestParameters").or_insert_with(|| serde_json::json!({"sourceIPAddress": "127.0.0.1"}));
        r.entry("responseElements").or_insert_with(|| serde_json::json!({}));
    }
    serde_json::from_value(v).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_moto_s3_notifications_and_the_sample_event() {
        let moto = r#"{"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventTime": "2026-11-21T20:19:51.089Z", "eventName": "ObjectCreated:Put", "s3": {"s3SchemaVersion": "1.0", "configurationId": "x", "bucket": {"name": "b", "arn": "arn:aws:s3:::b"}, "object": {"key": "org%2Fa%2Fb", "size": 5, "eTag": "5d41"}}}]}"#;
        let e = super::s3_event(moto).unwrap();
        assert_eq!(e.records[0].s3.object.key.as_deref(), Some("org%2Fa%2Fb"));
        let sample =
            std::fs::read_to_string(crate::template::repo_root().join("events/s3/consumer-document-uploaded.json"))
                .unwrap();
        assert_eq!(super::s3_event(&sample).unwrap().records.len(), 1);
        assert!(super::s3_event(r#"{"Service": "Amazon S3", "Event": "s3:TestEvent"}"#).is_none());
    }
}

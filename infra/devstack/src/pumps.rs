//! The event sources Lambda would run, for the emulator that cannot: S3 bucket notifications.
//! Each S3-triggered function in the template gets a private queue that the bucket notifies
//! (moto delivers S3 events to SQS), and a pump that feeds the messages to the function,
//! deleting each only after the handler succeeded (a failure is retried after the visibility
//! timeout, as Lambda's asynchronous retries would).

use crate::resources::{Clients, Refs, ResourceError};
use crate::server::Gateway;
use crate::template::{resolve, Template};
use aws_lambda_events::s3::S3Event;
use std::sync::Arc;
use std::time::Duration;

pub struct S3Source {
    pub function: String,
    pub queue_url: String,
}

fn err(resource: &str, e: impl std::fmt::Display) -> ResourceError {
    ResourceError { resource: resource.to_owned(), message: e.to_string() }
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
    loop {
        // Short polls: the emulator serves one request at a time, so a long poll would stall it.
        let received = sqs
            .receive_message()
            .queue_url(&source.queue_url)
            .max_number_of_messages(10)
            .visibility_timeout(5)
            .send()
            .await;
        let messages = match received {
            Ok(r) => r.messages.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %aws_sdk_sqs::error::DisplayErrorContext(e), "S3 event queue unavailable");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if messages.is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        for m in messages {
            let body = m.body.unwrap_or_default();
            let done = match s3_event(&body) {
                Some(event) if !event.records.is_empty() => match f.app() {
                    Ok(app) => match handler(app, event).await {
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

// ------------------------------------------------------------------------------------ SQS sources

/// A `Type: SQS` event of a function: its queue, drained like Lambda's event source mapping.
pub struct SqsSource {
    pub function: String,
    pub queue_url: String,
    pub queue_arn: String,
    pub batch_size: i32,
}

/// The logical id a `!GetAtt X.Attr` or `!Ref X` names.
pub fn logical_target(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::Tagged(t) => Some(t.value.as_str()?.split('.').next()?.to_owned()),
        _ => None,
    }
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
        let received = sqs
            .receive_message()
            .queue_url(&source.queue_url)
            .max_number_of_messages(source.batch_size)
            .set_visibility_timeout(visibility)
            .send()
            .await;
        let messages = match received {
            Ok(r) => r.messages.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %aws_sdk_sqs::error::DisplayErrorContext(e), "queue unavailable");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if messages.is_empty() {
            idle.wait().await;
            continue;
        }
        idle.reset();
        let app = match f.app() {
            Ok(app) => app,
            Err(e) => {
                tracing::error!(function = f.def.name, error = %e, "function init failed");
                continue;
            }
        };
        let response = handler(app, sqs_event(&messages, &source.queue_arn, &region)).await;
        let failed: std::collections::HashSet<String> =
            response.batch_item_failures.into_iter().map(|f| f.item_identifier).collect();
        for m in messages {
            if m.message_id.as_ref().is_some_and(|id| failed.contains(id)) {
                continue;
            }
            if let Some(h) = m.receipt_handle {
                let _ = sqs.delete_message().queue_url(&source.queue_url).receipt_handle(h).send().await;
            }
        }
    }
}

// -------------------------------------------------------------------------------------- schedules

/// An `AWS::Scheduler::Schedule` of the template that targets a function.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub function: String,
    pub expression: String,
    pub input: String,
}

pub fn schedules(template: &Template) -> Vec<Schedule> {
    let mut out = Vec::new();
    for (id, res) in template.resources_of("AWS::Scheduler::Schedule") {
        let p = &res["Properties"];
        let Some(target) = logical_target(&p["Target"]["Arn"]) else { continue };
        let Some(f) = template.functions.iter().find(|f| f.logical_id == target) else { continue };
        out.push(Schedule {
            name: id,
            function: f.binary.clone(),
            expression: p["ScheduleExpression"].as_str().unwrap_or_default().to_owned(),
            input: p["Target"]["Input"].as_str().unwrap_or("{}").to_owned(),
        });
    }
    out
}

impl Schedule {
    /// The next UTC time after `after` a daily `cron(M H * * ? *)` or a `rate(N minutes|hours|days)`
    /// fires (other cron forms are not emulated).
    pub fn next_after(&self, after: chrono::DateTime<chrono::Utc>) -> Option<chrono::DateTime<chrono::Utc>> {
        let e = self.expression.trim();
        if let Some(body) = e.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')) {
            let f: Vec<&str> = body.split_whitespace().collect();
            if f.len() != 6 || f[2] != "*" || f[3] != "*" {
                return None;
            }
            let (minute, hour): (u32, u32) = (f[0].parse().ok()?, f[1].parse().ok()?);
            let today = after.date_naive().and_hms_opt(hour, minute, 0)?.and_utc();
            return Some(if today > after { today } else { today + chrono::Duration::days(1) });
        }
        let body = e.strip_prefix("rate(")?.strip_suffix(')')?;
        let (n, unit) = body.split_once(' ')?;
        let n: i64 = n.parse().ok()?;
        let step = match unit.trim_end_matches('s') {
            "minute" => chrono::Duration::minutes(n),
            "hour" => chrono::Duration::hours(n),
            "day" => chrono::Duration::days(n),
            _ => return None,
        };
        Some(after + step)
    }

    /// The input with the scheduler's context attributes filled in.
    pub fn input_at(&self, at: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
        let text = self.input.replace("<aws.scheduler.scheduled-time>", &at.to_rfc3339());
        serde_json::from_str(&text).unwrap_or_else(|_| serde_json::json!({}))
    }
}

/// Fires one schedule forever, like EventBridge Scheduler.
pub async fn run_schedule(schedule: Schedule, gateway: Arc<Gateway>) {
    let Some(f) = gateway.functions.iter().find(|f| f.def.name == schedule.function) else { return };
    let functions::Handler::Job(handler) = f.def.handler else { return };
    let mut after = chrono::Utc::now();
    while let Some(next) = schedule.next_after(after) {
        let wait = (next - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        after = next;
        match f.app() {
            Ok(app) => match handler(app, schedule.input_at(next)).await {
                Ok(out) => tracing::info!(schedule = schedule.name, %out, "schedule ran"),
                Err(e) => tracing::error!(schedule = schedule.name, error = %e, "scheduled job failed"),
            },
            Err(e) => tracing::error!(function = f.def.name, error = %e, "function init failed"),
        }
    }
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    #[test]
    fn daily_crons_and_rates_fire_when_eventbridge_would() {
        let s = |e: &str| Schedule { name: "s".into(), function: "f".into(), expression: e.into(), input: "{}".into() };
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&chrono::Utc);
        let daily = s("cron(0 5 * * ? *)");
        assert_eq!(daily.next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-11-21T05:00:00Z")));
        assert_eq!(daily.next_after(at("2026-11-21T05:00:00Z")), Some(at("2026-11-22T05:00:00Z")));
        assert_eq!(s("rate(10 minutes)").next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-11-21T04:10:00Z")));
        assert_eq!(s("cron(0 5 ? * MON *)").next_after(at("2026-11-21T04:00:00Z")), None);
        let input = Schedule { input: r#"{"scheduledTime": "<aws.scheduler.scheduled-time>"}"#.into(), ..daily };
        assert_eq!(input.input_at(at("2026-11-21T05:00:00Z"))["scheduledTime"], "2026-11-21T05:00:00+00:00");
    }

    #[test]
    fn the_templates_schedules_target_job_functions() {
        let t = Template::load_default().unwrap();
        let all = schedules(&t);
        let names: Vec<&str> = all.iter().map(|s| s.function.as_str()).collect();
        for job in ["job-rent-scheduler", "job-late-fees", "job-delinquency-snapshot"] {
            assert!(names.contains(&job), "{job} has no schedule");
        }
        for s in &all {
            assert!(s.next_after(chrono::Utc::now()).is_some(), "{} is not emulated", s.expression);
        }
    }
}

// ---------------------------------------------------------------------------- DynamoDB streams

/// A `Type: DynamoDB` event of a function: the table's stream, read like Lambda's event source
/// mapping (from TRIM_HORIZON, the template's filter, batches of `BatchSize`, partial batch
/// failures retried from the failed record up to `MaximumRetryAttempts`, then the on-failure
/// destination).
pub struct StreamSource {
    pub function: String,
    pub table: String,
    pub batch_size: i32,
    pub max_retries: usize,
    pub filters: Vec<serde_json::Value>,
    pub on_failure_url: Option<String>,
}

pub fn stream_sources(template: &Template, refs: &Refs) -> Result<Vec<StreamSource>, ResourceError> {
    let mut out = Vec::new();
    for f in &template.functions {
        for (name, ev) in f.properties["Events"].as_mapping().into_iter().flatten() {
            if ev["Type"].as_str() != Some("DynamoDB") {
                continue;
            }
            let what = format!("{}.{}", f.logical_id, name.as_str().unwrap_or_default());
            let p = &ev["Properties"];
            let table = logical_target(&p["Stream"]).ok_or_else(|| err(&what, "Stream must !GetAtt a table"))?;
            let table = refs.get(&table).cloned().ok_or_else(|| err(&what, format!("no table {table}")))?;
            let filters = p["FilterCriteria"]["Filters"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(|f| serde_json::from_str(f["Pattern"].as_str()?).ok())
                .collect();
            let on_failure_url =
                logical_target(&p["DestinationConfig"]["OnFailure"]["Destination"]).and_then(|q| refs.get(&q).cloned());
            out.push(StreamSource {
                function: f.binary.clone(),
                table,
                batch_size: p["BatchSize"].as_i64().unwrap_or(100).clamp(1, 1000) as i32,
                max_retries: p["MaximumRetryAttempts"].as_i64().unwrap_or(10).max(0) as usize,
                filters,
                on_failure_url,
            });
        }
    }
    Ok(out)
}

/// An event-source filter pattern (the subset Lambda filters use here): every key of the pattern
/// must be present; arrays list the allowed values; objects match recursively.
pub fn matches(pattern: &serde_json::Value, doc: &serde_json::Value) -> bool {
    match pattern {
        serde_json::Value::Object(p) => p.iter().all(|(k, pv)| doc.get(k).is_some_and(|dv| matches(pv, dv))),
        serde_json::Value::Array(allowed) => allowed.iter().any(|a| a == doc),
        other => other == doc,
    }
}

fn av_json(v: &aws_sdk_dynamodbstreams::types::AttributeValue) -> serde_json::Value {
    use aws_sdk_dynamodbstreams::types::AttributeValue as A;
    use base64::Engine;
    let b64 = |b: &aws_smithy_types::Blob| base64::engine::general_purpose::STANDARD.encode(b.as_ref());
    match v {
        A::S(s) => serde_json::json!({"S": s}),
        A::N(n) => serde_json::json!({"N": n}),
        A::B(b) => serde_json::json!({"B": b64(b)}),
        A::Bool(b) => serde_json::json!({"BOOL": b}),
        A::Null(_) => serde_json::json!({"NULL": true}),
        A::Ss(v) => serde_json::json!({"SS": v}),
        A::Ns(v) => serde_json::json!({"NS": v}),
        A::Bs(v) => serde_json::json!({"BS": v.iter().map(b64).collect::<Vec<_>>()}),
        A::L(v) => serde_json::json!({"L": v.iter().map(av_json).collect::<Vec<_>>()}),
        A::M(m) => {
            serde_json::json!({"M": m.iter().map(|(k, v)| (k.clone(), av_json(v))).collect::<serde_json::Map<_, _>>()})
        }
        _ => serde_json::json!({"NULL": true}),
    }
}

fn image(
    m: Option<&std::collections::HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>>,
) -> serde_json::Value {
    serde_json::Value::Object(m.into_iter().flatten().map(|(k, v)| (k.clone(), av_json(v))).collect())
}

/// A stream record as Lambda passes it.
pub fn lambda_record(r: &aws_sdk_dynamodbstreams::types::Record, stream_arn: &str, region: &str) -> serde_json::Value {
    let d = r.dynamodb.as_ref();
    serde_json::json!({
        "eventID": r.event_id, "eventName": r.event_name.as_ref().map(|n| n.as_str()), "eventVersion": "1.1",
        "eventSource": "aws:dynamodb", "awsRegion": region, "eventSourceARN": stream_arn,
        "dynamodb": {
            "ApproximateCreationDateTime": d.and_then(|d| d.approximate_creation_date_time).map(|t| t.secs()).unwrap_or(0),
            "Keys": image(d.and_then(|d| d.keys.as_ref())),
            "NewImage": image(d.and_then(|d| d.new_image.as_ref())),
            "OldImage": image(d.and_then(|d| d.old_image.as_ref())),
            "SequenceNumber": d.and_then(|d| d.sequence_number.clone()),
            "SizeBytes": d.and_then(|d| d.size_bytes).unwrap_or(0),
            "StreamViewType": d.and_then(|d| d.stream_view_type.as_ref()).map(|v| v.as_str()).unwrap_or("NEW_AND_OLD_IMAGES"),
        }
    })
}

/// Reads the table's stream into its function, forever.
pub async fn pump_stream(
    source: StreamSource,
    gateway: Arc<Gateway>,
    clients: crate::resources::Clients,
    region: String,
) {
    let Some(f) = gateway.functions.iter().find(|f| f.def.name == source.function) else { return };
    let functions::Handler::Stream(handler) = f.def.handler else { return };
    let mut idle = Idle::default();
    let stream_arn = loop {
        match clients.dynamodb.describe_table().table_name(&source.table).send().await {
            Ok(t) => match t.table.and_then(|t| t.latest_stream_arn) {
                Some(a) => break a,
                None => return,
            },
            Err(_) => idle.wait().await,
        }
    };
    let mut shards: Vec<Shard> = Vec::new();
    loop {
        // (Re)list shards and open an iterator for each that has none: from the last record
        // handed to the function, or from the trim horizon.
        if shards.is_empty() || shards.iter().any(|s| s.iterator.is_none()) {
            if let Ok(d) = clients.streams.describe_stream().stream_arn(&stream_arn).send().await {
                for sh in d.stream_description.and_then(|d| d.shards).unwrap_or_default() {
                    let Some(id) = sh.shard_id else { continue };
                    if !shards.iter().any(|s| s.id == id) {
                        shards.push(Shard { id, iterator: None, last_seq: None, closed: false });
                    }
                }
            }
            for sh in shards.iter_mut().filter(|s| s.iterator.is_none() && !s.closed) {
                let req = clients.streams.get_shard_iterator().stream_arn(&stream_arn).shard_id(&sh.id);
                let req = match &sh.last_seq {
                    Some(seq) => req
                        .shard_iterator_type(aws_sdk_dynamodbstreams::types::ShardIteratorType::AfterSequenceNumber)
                        .sequence_number(seq),
                    None => req.shard_iterator_type(aws_sdk_dynamodbstreams::types::ShardIteratorType::TrimHorizon),
                };
                sh.iterator = req.send().await.ok().and_then(|o| o.shard_iterator);
            }
        }
        let mut got_any = false;
        for sh in shards.iter_mut().filter(|s| !s.closed) {
            let Some(it) = sh.iterator.clone() else { continue };
            let out = match clients.streams.get_records().shard_iterator(it).limit(source.batch_size).send().await {
                Ok(o) => o,
                Err(e) => {
                    tracing::warn!(error = %aws_sdk_dynamodbstreams::error::DisplayErrorContext(e), "stream read failed; reopening");
                    sh.iterator = None;
                    continue;
                }
            };
            let raw = out.records.unwrap_or_default();
            let records: Vec<serde_json::Value> = raw
                .iter()
                .map(|r| lambda_record(r, &stream_arn, &region))
                .filter(|r| source.filters.is_empty() || source.filters.iter().any(|p| matches(p, r)))
                .collect();
            if !records.is_empty() {
                got_any = true;
                // Not delivered (the function could not start): read the same records again.
                if !deliver_stream_batch(&source, f, handler, records, &clients.sqs).await {
                    continue;
                }
            }
            if let Some(seq) = raw.last().and_then(|r| r.dynamodb.as_ref()).and_then(|d| d.sequence_number.clone()) {
                sh.last_seq = Some(seq);
            }
            match out.next_shard_iterator {
                Some(next) => sh.iterator = Some(next),
                None => sh.closed = true, // a closed shard, read to its end
            }
        }
        if got_any {
            idle.reset();
        } else {
            idle.wait().await;
        }
    }
}

struct Shard {
    id: String,
    iterator: Option<String>,
    last_seq: Option<String>,
    closed: bool,
}

/// Hands records to the function like Lambda: `false` if it could not run at all (the caller
/// reads them again), `true` once they are processed or sent to the on-failure destination.
async fn deliver_stream_batch(
    source: &StreamSource,
    f: &crate::server::FunctionRuntime,
    handler: functions::StreamHandler,
    mut records: Vec<serde_json::Value>,
    sqs: &aws_sdk_sqs::Client,
) -> bool {
    let Ok(app) = f.app() else {
        tracing::error!(function = f.def.name, "function init failed; the records are read again");
        tokio::time::sleep(Duration::from_millis(500)).await;
        return false;
    };
    for attempt in 0..=source.max_retries {
        let event: aws_lambda_events::dynamodb::Event =
            match serde_json::from_value(serde_json::json!({"Records": records})) {
                Ok(e) => e,
                Err(e) => {
                    tracing::error!(error = %e, "stream records do not decode; sent to the on-failure destination");
                    break;
                }
            };
        let response = handler(app, event).await;
        let Some(failed) = response.batch_item_failures.into_iter().filter_map(|f| f.item_identifier).next() else {
            return true;
        };
        // Retry from the first failed record (Lambda checkpoints before it).
        let at =
            records.iter().position(|r| r["dynamodb"]["SequenceNumber"].as_str() == Some(failed.as_str())).unwrap_or(0);
        records.drain(..at);
        tracing::warn!(
            attempt,
            remaining = records.len(),
            "stream batch partly failed; retrying from the failed record"
        );
        tokio::time::sleep(Duration::from_millis(100 << attempt.min(5))).await;
    }
    if let Some(url) = &source.on_failure_url {
        let body = serde_json::json!({"requestContext": {"condition": "RetryAttemptsExhausted", "functionArn": source.function},
            "DDBStreamBatchInfo": {"batchSize": records.len(),
                "startSequenceNumber": records.first().map(|r| r["dynamodb"]["SequenceNumber"].clone()),
                "endSequenceNumber": records.last().map(|r| r["dynamodb"]["SequenceNumber"].clone())}});
        let _ = sqs.send_message().queue_url(url).message_body(body.to_string()).send().await;
    }
    true
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
}

#[cfg(test)]
mod stream_tests {
    #[test]
    fn the_relay_filter_passes_event_inserts_only() {
        let pattern: serde_json::Value = serde_json::from_str(
            r#"{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"entity": {"S": ["Event"]}}}}"#,
        )
        .unwrap();
        let rec = |name: &str, entity: &str| serde_json::json!({"eventName": name, "dynamodb": {"NewImage": {"entity": {"S": entity}, "PK": {"S": "x"}}}});
        assert!(super::matches(&pattern, &rec("INSERT", "Event")));
        assert!(!super::matches(&pattern, &rec("MODIFY", "Event")));
        assert!(!super::matches(&pattern, &rec("INSERT", "Charge")));
        assert!(!super::matches(&pattern, &serde_json::json!({"eventName": "REMOVE", "dynamodb": {"OldImage": {}}})));
    }
}

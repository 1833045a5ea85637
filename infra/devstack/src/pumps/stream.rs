//! The table's stream, read into its function like Lambda's DynamoDB event source mapping.

use super::{err, logical_target, Idle};
use crate::resources::{Refs, ResourceError};
use crate::server::Gateway;
use crate::template::Template;
use std::sync::Arc;
use std::time::Duration;

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
        let response = f.timed(handler(app, event)).await;
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

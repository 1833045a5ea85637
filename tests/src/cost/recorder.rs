//! Records every AWS request the local stack makes (its functions, its event-source pumps, the
//! harness) at the HTTP layer: an `HttpClient` wrapping the SDK's own, given to devstack through
//! `StackOptions::http_client`. It reads each request and its response (JSON on the wire) and
//! tallies what AWS would bill: DynamoDB request units from the items' sizes (moto answers
//! `ReturnConsumedCapacity` with constants, so the units are computed here), SQS requests,
//! EventBridge entries, S3 requests, SES recipients and KMS requests.
//!
//! Write units need the size of the item before and after. A shadow of every item's size (and
//! its GSI keys) is kept from the writes and reads seen since the table was created; the new size
//! after an `UpdateItem` (or a transaction's `Update`) is read back once the write succeeded, by a
//! client that is not recorded, in a task of its own so the function's measured duration does
//! not include it.

use super::units::{item_size, read_half_units, write_units, Read};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpClient, HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// SQS and EventBridge bill a request (an entry) per started 64 KB of payload.
const PAYLOAD_CHUNK: u64 = 64 * 1024;

/// What the requests so far would bill, since the last `reset`.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Every request by (service, operation), billed or not.
    pub calls: BTreeMap<(String, String), u64>,
    /// Write request units by operation (`TransactWriteItems` counts its doubling); `GSI`
    /// holds the writes the indexes take.
    pub wru: BTreeMap<String, u64>,
    /// Half read request units by operation.
    pub rru_half: BTreeMap<String, u64>,
    /// `SendMessage`/`SendMessageBatch` the functions made, in 64 KB requests.
    pub sqs_sent: u64,
    /// Non-empty `ReceiveMessage`s on queues a function reads (what Lambda's poller bills).
    pub sqs_esm_receives: u64,
    /// Empty receives on those queues: devstack's idle polling (Lambda's pollers long-poll at
    /// their own pace per queue, whatever the number of orgs: not an org's cost).
    pub sqs_esm_empty_receives: u64,
    /// Messages received on queues a rule of the bus targets: EventBridge's `SendMessage`s.
    pub sqs_eventbridge_deliveries: HashSet<String>,
    /// devstack's own `DeleteMessage`s (one per message; Lambda deletes a batch at once).
    pub sqs_deletes: u64,
    /// Receives on queues only devstack has (S3 notifications, which AWS hands Lambda directly).
    pub sqs_local_only: u64,
    /// `PutEvents` entries, in 64 KB events.
    pub eventbridge_events: u64,
    pub s3_put_class: u64,
    pub s3_get_class: u64,
    /// SES recipients (each recipient is an email).
    pub ses_emails: u64,
    pub sns_sms: u64,
    pub kms_requests: u64,
}

impl Tally {
    pub fn wru_total(&self) -> u64 {
        self.wru.values().sum()
    }

    pub fn rru_half_total(&self) -> u64 {
        self.rru_half.values().sum()
    }

    pub fn dynamodb_calls(&self) -> u64 {
        self.calls.iter().filter(|((s, _), _)| s == "dynamodb").map(|(_, n)| n).sum()
    }
}

#[derive(Debug, Clone)]
struct Shadow {
    size: u64,
    /// Per GSI: the item's index key, if it has one.
    gsi: Vec<Option<String>>,
}

#[derive(Debug, Default)]
struct State {
    tally: Tally,
    shadow: HashMap<String, Shadow>,
    esm_queues: HashSet<String>,
    eventbridge_queues: HashSet<String>,
}

/// The recorder: clone it freely, every clone tallies into the same state.
#[derive(Clone, Debug)]
pub struct Recorder {
    inner: SharedHttpClient,
    state: Arc<Mutex<State>>,
    pending: Arc<AtomicUsize>,
    /// Reads items back after updates; built on the unrecorded config.
    fetch: aws_sdk_dynamodb::Client,
    /// Each GSI's key attributes (partition, sort).
    gsis: Arc<Vec<(String, String)>>,
}

impl Recorder {
    /// A recorder over the SDK's default HTTP client (hyper 1, rustls with aws-lc); `plain`
    /// (an unrecorded config of the same emulator) reads items back after updates.
    pub fn new(plain: &aws_config::SdkConfig, gsis: Vec<(String, String)>) -> Recorder {
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
        Recorder {
            inner: aws_smithy_http_client::Builder::new()
                .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
                .build_https(),
            state: Arc::default(),
            pending: Arc::default(),
            fetch: aws_sdk_dynamodb::Client::new(plain),
            gsis: Arc::new(gsis),
        }
    }

    /// The client to give devstack (`StackOptions::http_client`).
    pub fn http_client(&self) -> SharedHttpClient {
        let rec = self.clone();
        http_client_fn(move |settings, components| {
            SharedHttpConnector::new(Connector {
                inner: rec.inner.http_connector(settings, components),
                rec: rec.clone(),
            })
        })
    }

    /// Which queues Lambda polls (the functions' SQS event sources) and which a bus rule
    /// delivers to.
    pub fn set_queues(&self, esm: HashSet<String>, eventbridge: HashSet<String>) {
        let mut s = self.state.lock().unwrap();
        s.esm_queues = esm;
        s.eventbridge_queues = eventbridge;
    }

    /// Starts counting afresh (the items' shadow is kept).
    pub fn reset(&self) {
        self.state.lock().unwrap().tally = Tally::default();
    }

    /// The tally so far, once every read-back of an update has landed.
    pub async fn tally(&self) -> Tally {
        while self.pending.load(Ordering::SeqCst) > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        self.state.lock().unwrap().tally.clone()
    }

    /// Bytes the table holds (items plus DynamoDB's 100 bytes of overhead each) and bytes its
    /// GSIs hold (the table projects every attribute into them).
    pub fn stored_bytes(&self) -> (u64, u64) {
        let s = self.state.lock().unwrap();
        let table = s.shadow.values().map(|i| i.size + 100).sum();
        let gsis = s.shadow.values().map(|i| i.gsi.iter().flatten().count() as u64 * (i.size + 100)).sum();
        (table, gsis)
    }

    fn gsi_keys(&self, item: &Map<String, Value>) -> Vec<Option<String>> {
        self.gsis
            .iter()
            .map(|(pk, sk)| match (item.get(pk), item.get(sk)) {
                (Some(p), Some(s)) => Some(format!("{p}|{s}")),
                (Some(p), None) => Some(p.to_string()),
                _ => None,
            })
            .collect()
    }

    fn shadow_of(&self, item: &Map<String, Value>) -> Shadow {
        Shadow { size: item_size(item), gsi: self.gsi_keys(item) }
    }

    fn observe(&self, call: Call, status: u16, response: &[u8]) {
        let ok = status == 200;
        let req: Value = call.body.as_deref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
        let res: Value = serde_json::from_slice(response).unwrap_or(Value::Null);
        let mut s = self.state.lock().unwrap();
        *s.tally.calls.entry((call.service.clone(), call.op.clone())).or_default() += 1;
        match call.service.as_str() {
            "dynamodb" => self.dynamodb(&mut s, &call.op, &req, &res, ok),
            "sqs" if ok => match call.op.as_str() {
                "SendMessage" => {
                    let size = req["MessageBody"].as_str().map_or(0, str::len) as u64;
                    s.tally.sqs_sent += size.div_ceil(PAYLOAD_CHUNK).max(1);
                }
                "SendMessageBatch" => {
                    let size: u64 = req["Entries"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|e| e["MessageBody"].as_str().map_or(0, str::len) as u64)
                        .sum();
                    s.tally.sqs_sent += size.div_ceil(PAYLOAD_CHUNK).max(1);
                }
                "ReceiveMessage" => {
                    let queue = req["QueueUrl"].as_str().unwrap_or_default().to_owned();
                    let ids: Vec<String> = res["Messages"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|m| m["MessageId"].as_str().map(str::to_owned))
                        .collect();
                    if !s.esm_queues.contains(&queue) {
                        s.tally.sqs_local_only += 1;
                    } else if ids.is_empty() {
                        s.tally.sqs_esm_empty_receives += 1;
                    } else {
                        s.tally.sqs_esm_receives += 1;
                        if s.eventbridge_queues.contains(&queue) {
                            s.tally.sqs_eventbridge_deliveries.extend(ids);
                        }
                    }
                }
                "DeleteMessage" | "DeleteMessageBatch" => s.tally.sqs_deletes += 1,
                _ => {}
            },
            "events" if ok && call.op == "PutEvents" => {
                let events: u64 = req["Entries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| (e.to_string().len() as u64).div_ceil(PAYLOAD_CHUNK).max(1))
                    .sum();
                s.tally.eventbridge_events += events;
            }
            "kms" => s.tally.kms_requests += 1,
            "s3" => match call.op.as_str() {
                "GET" | "HEAD" if call.object_path => s.tally.s3_get_class += 1,
                "PUT" | "POST" | "GET" => s.tally.s3_put_class += 1,
                _ => {}
            },
            "ses" if ok && call.op.contains("outbound-emails") => {
                let d = &req["Destination"];
                let n = ["ToAddresses", "CcAddresses", "BccAddresses"]
                    .iter()
                    .map(|k| d[*k].as_array().map_or(0, Vec::len) as u64)
                    .sum::<u64>();
                s.tally.ses_emails += n.max(1);
            }
            "sns" if ok && call.op == "Publish" => s.tally.sns_sms += 1,
            _ => {}
        }
    }

    fn dynamodb(&self, s: &mut State, op: &str, req: &Value, res: &Value, ok: bool) {
        let key_of = |item: &Value| format!("{}|{}", item["PK"], item["SK"]);
        let rru = |s: &mut State, half: u64| *s.tally.rru_half.entry(op.to_owned()).or_default() += half;
        match op {
            "GetItem" => {
                let size = res["Item"].as_object().map_or(0, item_size);
                rru(s, read_half_units(size, Read::from_flag(&req["ConsistentRead"])));
                if let Some(item) = res["Item"].as_object() {
                    s.shadow.insert(key_of(&res["Item"]), self.shadow_of(item));
                }
            }
            "BatchGetItem" => {
                for (table, ka) in req["RequestItems"].as_object().into_iter().flatten() {
                    let read = Read::from_flag(&ka["ConsistentRead"]);
                    let asked = ka["Keys"].as_array().map_or(0, Vec::len);
                    let found = res["Responses"][table].as_array().cloned().unwrap_or_default();
                    let unprocessed = res["UnprocessedKeys"][table]["Keys"].as_array().map_or(0, Vec::len);
                    for item in &found {
                        rru(s, read_half_units(item.as_object().map_or(0, item_size), read));
                    }
                    for _ in 0..asked.saturating_sub(found.len() + unprocessed) {
                        rru(s, read_half_units(0, read));
                    }
                }
            }
            "Query" | "Scan" if ok => {
                let items = res["Items"].as_array().cloned().unwrap_or_default();
                let mut size: u64 = items
                    .iter()
                    .map(|i| {
                        s.shadow.get(&key_of(i)).map(|sh| sh.size).unwrap_or_else(|| i.as_object().map_or(0, item_size))
                    })
                    .sum();
                // Items read but filtered out cost as much as the ones returned (the average).
                let (count, scanned) = (res["Count"].as_u64().unwrap_or(0), res["ScannedCount"].as_u64().unwrap_or(0));
                if scanned > count {
                    let avg = size.checked_div(count).unwrap_or(1024);
                    size += (scanned - count) * avg;
                }
                rru(s, read_half_units(size, Read::from_flag(&req["ConsistentRead"])));
            }
            "TransactGetItems" => {
                for r in res["Responses"].as_array().into_iter().flatten() {
                    rru(s, read_half_units(r["Item"].as_object().map_or(0, item_size), Read::Transactional));
                }
            }
            "PutItem" => self.write(s, op, Write::Put(&req["Item"]), false, ok),
            "UpdateItem" => self.write(s, op, Write::Update(&req["Key"], req["TableName"].as_str()), false, ok),
            "DeleteItem" => self.write(s, op, Write::Delete(&req["Key"]), false, ok),
            "BatchWriteItem" => {
                for (_, list) in req["RequestItems"].as_object().into_iter().flatten() {
                    for w in list.as_array().into_iter().flatten() {
                        if w["PutRequest"].is_object() {
                            self.write(s, op, Write::Put(&w["PutRequest"]["Item"]), false, ok);
                        } else {
                            self.write(s, op, Write::Delete(&w["DeleteRequest"]["Key"]), false, ok);
                        }
                    }
                }
            }
            "TransactWriteItems" => {
                for t in req["TransactItems"].as_array().into_iter().flatten() {
                    let w = if t["Put"].is_object() {
                        Write::Put(&t["Put"]["Item"])
                    } else if t["Update"].is_object() {
                        Write::Update(&t["Update"]["Key"], t["Update"]["TableName"].as_str())
                    } else if t["Delete"].is_object() {
                        Write::Delete(&t["Delete"]["Key"])
                    } else {
                        Write::Check(&t["ConditionCheck"]["Key"])
                    };
                    self.write(s, op, w, true, ok);
                }
            }
            _ => {}
        }
    }

    /// One item written: the larger of its size before and after, doubled in a transaction;
    /// plus each GSI the item enters, leaves or moves in (a move is a delete and a put). A write
    /// whose condition failed costs the same as one that succeeded.
    fn write(&self, s: &mut State, op: &str, w: Write<'_>, txn: bool, ok: bool) {
        let key = match w {
            Write::Put(i) | Write::Update(i, _) | Write::Delete(i) | Write::Check(i) => {
                format!("{}|{}", i["PK"], i["SK"])
            }
        };
        let old = s.shadow.get(&key).cloned();
        let old_size = old.as_ref().map_or(0, |o| o.size);
        match w {
            Write::Put(item) => {
                let new = self.shadow_of(&item.as_object().cloned().unwrap_or_default());
                self.charge(s, op, txn, old.as_ref(), Some(&new));
                if ok {
                    s.shadow.insert(key, new);
                }
            }
            Write::Delete(_) => {
                self.charge(s, op, txn, old.as_ref(), None);
                if ok {
                    s.shadow.remove(&key);
                }
            }
            Write::Check(_) => *s.tally.wru.entry(op.to_owned()).or_default() += write_units(old_size, txn),
            Write::Update(k, table) if ok => {
                // The new size once the write landed, read back off the measured path.
                let (Some(table), Some(pk), Some(sk)) = (table, av(&k["PK"]), av(&k["SK"])) else { return };
                self.pending.fetch_add(1, Ordering::SeqCst);
                let rec = self.clone();
                let (op, table) = (op.to_owned(), table.to_owned());
                tokio::spawn(async move {
                    let got = rec
                        .fetch
                        .get_item()
                        .table_name(table)
                        .key("PK", pk)
                        .key("SK", sk)
                        .consistent_read(true)
                        .send()
                        .await;
                    let item = got.ok().and_then(|o| o.item).map(|i| {
                        let i: Map<String, Value> = i.into_iter().map(|(k, v)| (k, av_json(&v))).collect();
                        rec.shadow_of(&i)
                    });
                    {
                        let mut s = rec.state.lock().unwrap();
                        rec.charge(&mut s, &op, txn, old.as_ref(), item.as_ref());
                        match item {
                            Some(i) => s.shadow.insert(key, i),
                            None => s.shadow.remove(&key),
                        };
                    }
                    rec.pending.fetch_sub(1, Ordering::SeqCst);
                });
            }
            Write::Update(..) => self.charge(s, op, txn, old.as_ref(), old.as_ref()),
        }
    }

    fn charge(&self, s: &mut State, op: &str, txn: bool, old: Option<&Shadow>, new: Option<&Shadow>) {
        let size = old.map_or(0, |o| o.size).max(new.map_or(0, |n| n.size));
        *s.tally.wru.entry(op.to_owned()).or_default() += write_units(size, txn);
        let mut gsi = 0;
        for i in 0..self.gsis.len() {
            let before = old.and_then(|o| o.gsi[i].as_ref());
            let after = new.and_then(|n| n.gsi[i].as_ref());
            match (before, after) {
                (None, None) => {}
                (Some(_), None) => gsi += write_units(old.map_or(0, |o| o.size), false),
                (None, Some(_)) => gsi += write_units(new.map_or(0, |n| n.size), false),
                (Some(b), Some(a)) if a == b => gsi += write_units(size, false),
                (Some(_), Some(_)) => {
                    gsi += write_units(old.map_or(0, |o| o.size), false) + write_units(new.map_or(0, |n| n.size), false)
                }
            }
        }
        if gsi > 0 {
            *s.tally.wru.entry("GSI".to_owned()).or_default() += gsi;
        }
    }
}

#[derive(Clone, Copy)]
enum Write<'a> {
    Put(&'a Value),
    Update(&'a Value, Option<&'a str>),
    Delete(&'a Value),
    Check(&'a Value),
}

/// A wire attribute value (`{"S": "…"}`) as the SDK's type (keys only: S, N, B).
fn av(v: &Value) -> Option<AttributeValue> {
    let (t, x) = v.as_object()?.iter().next()?;
    let x = x.as_str()?.to_owned();
    match t.as_str() {
        "S" => Some(AttributeValue::S(x)),
        "N" => Some(AttributeValue::N(x)),
        _ => None,
    }
}

/// The SDK's attribute value in wire form, for sizing.
fn av_json(v: &AttributeValue) -> Value {
    use serde_json::json;
    match v {
        AttributeValue::S(s) => json!({"S": s}),
        AttributeValue::N(n) => json!({"N": n}),
        AttributeValue::B(b) => json!({"B": "A".repeat(b.as_ref().len().div_ceil(3) * 4)}),
        AttributeValue::Bool(b) => json!({"BOOL": b}),
        AttributeValue::Null(_) => json!({"NULL": true}),
        AttributeValue::Ss(v) => json!({"SS": v}),
        AttributeValue::Ns(v) => json!({"NS": v}),
        AttributeValue::L(l) => json!({"L": l.iter().map(av_json).collect::<Vec<_>>()}),
        AttributeValue::M(m) => json!({"M": m.iter().map(|(k, v)| (k.clone(), av_json(v))).collect::<Map<_, _>>()}),
        _ => json!({"NULL": true}),
    }
}

/// One request, as the recorder classifies it.
struct Call {
    service: String,
    op: String,
    body: Option<Vec<u8>>,
    /// An S3 request names an object (not just the bucket).
    object_path: bool,
}

impl Call {
    fn of(req: &HttpRequest) -> Call {
        let body = req.body().bytes().map(<[u8]>::to_vec);
        if let Some(target) = req.headers().get("x-amz-target") {
            let (prefix, op) = target.split_once('.').unwrap_or((target, ""));
            let service = match prefix {
                p if p.starts_with("DynamoDBStreams") => "dynamodbstreams",
                p if p.starts_with("DynamoDB") => "dynamodb",
                "AmazonSQS" => "sqs",
                "AWSEvents" => "events",
                "TrentService" => "kms",
                other => other,
            };
            return Call { service: service.to_owned(), op: op.to_owned(), body, object_path: false };
        }
        // SigV4's credential scope names the service: Credential=AKID/date/region/service/aws4_request.
        let auth = req.headers().get("authorization").unwrap_or_default();
        let service = auth.split('/').nth(3).unwrap_or("?").to_owned();
        let path = req.uri().split("://").nth(1).unwrap_or(req.uri());
        let path = path.split_once('/').map_or("", |(_, p)| p).split('?').next().unwrap_or_default();
        let op = match service.as_str() {
            "s3" => req.method().to_owned(),
            "sns" => {
                let form = String::from_utf8_lossy(body.as_deref().unwrap_or_default()).into_owned();
                form.split('&').find_map(|kv| kv.strip_prefix("Action=")).unwrap_or("?").to_owned()
            }
            _ => format!("{} /{path}", req.method()),
        };
        // Path-style S3 (devstack forces it): /bucket/key… names an object.
        let object_path = path.trim_matches('/').contains('/');
        Call { service, op, body, object_path }
    }
}

#[derive(Debug)]
struct Connector {
    inner: SharedHttpConnector,
    rec: Recorder,
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let call = Call::of(&request);
        let sent = self.inner.call(request);
        let rec = self.rec.clone();
        HttpConnectorFuture::new(async move {
            let mut res = sent.await?;
            let body = std::mem::replace(res.body_mut(), SdkBody::taken());
            let bytes = ByteStream::new(body).collect().await.map_err(|e| ConnectorError::io(e.into()))?.into_bytes();
            *res.body_mut() = SdkBody::from(bytes.clone());
            rec.observe(call, res.status().as_u16(), &bytes);
            Ok(res)
        })
    }
}

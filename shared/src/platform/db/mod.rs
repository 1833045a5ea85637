//! The single table: typed get/query/transaction over `aws-sdk-dynamodb`, errors classified by
//! the service's own error kinds (never by message text), signed paging cursors, and a call
//! counter (an SDK interceptor) so benchmarks can prove how many round trips a route costs.
//! Every key is built in `keys`, from an `OrgScope`.

pub mod commit;
pub mod cursor;
pub mod keys;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, KeysAndAttributes, Put, TransactWriteItem, Update,
};
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde::{de::DeserializeOwned, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use commit::{Decision, Retry};
pub use keys::Key;

pub type Item = HashMap<String, AttributeValue>;

/// Most actions one `TransactWriteItems` call accepts.
const DYNAMODB_MAX_ACTIONS: usize = 100;

/// Most actions a use case may put in one transaction: DynamoDB's 100 less the one the
/// membership guard (`Tx::guard`) may add when the transaction is sent.
pub const MAX_TRANSACTION_ACTIONS: usize = DYNAMODB_MAX_ACTIONS - 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelReason {
    None,
    ConditionalCheckFailed,
    TransactionConflict,
    Other(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A single-item write's condition did not hold.
    #[error("condition failed")]
    ConditionFailed,
    /// A transaction was cancelled; one reason per action, in the order they were added.
    #[error("transaction cancelled: {0:?}")]
    Canceled(Vec<CancelReason>),
    #[error("throttled by DynamoDB")]
    Throttled,
    /// The request was malformed: a bug here, not the caller's fault.
    #[error("invalid request to DynamoDB: {0}")]
    Invalid(String),
    #[error("an item could not be decoded: {0}")]
    Corrupt(String),
    #[error("DynamoDB unavailable: {0}")]
    Unavailable(String),
    /// The commit loop lost every race it was allowed: the items are changing concurrently.
    #[error("the items are changing concurrently; retry")]
    Busy,
    /// An item the write meant to create (`Tx::create`) already exists.
    #[error("the item already exists")]
    AlreadyExists,
    /// An idempotency key this write meant to complete (`Tx::claim_key`) was completed by
    /// another request first: the write did not happen; the other request's answer stands.
    #[error("the idempotency key was used by another request")]
    KeyTaken,
    /// The caller's membership no longer allows the write (removed or demoted since the
    /// request was authorized): the guard `Tx::guard` added failed.
    #[error("the caller's membership no longer allows this write")]
    Revoked,
}

impl DbError {
    /// True when the cancellation came from conditions (not conflicts or throttling).
    pub fn failed_conditions(&self) -> Option<Vec<usize>> {
        match self {
            DbError::Canceled(r) => {
                let idx: Vec<usize> = r
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| **r == CancelReason::ConditionalCheckFailed)
                    .map(|(i, _)| i)
                    .collect();
                (!idx.is_empty()).then_some(idx)
            }
            DbError::ConditionFailed => Some(vec![0]),
            _ => None,
        }
    }

    /// A concurrent transaction touched the same items: the caller may retry.
    pub fn is_conflict(&self) -> bool {
        matches!(self, DbError::Canceled(r) if r.contains(&CancelReason::TransactionConflict))
    }
}

fn classify<E, R>(err: SdkError<E, R>, service: impl FnOnce(&E) -> Option<DbError>) -> DbError
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    if let SdkError::ServiceError(ctx) = &err {
        let e = ctx.err();
        if let Some(mapped) = service(e) {
            return mapped;
        }
        return match e.code() {
            Some("ThrottlingException" | "ProvisionedThroughputExceededException" | "RequestLimitExceeded") => {
                DbError::Throttled
            }
            Some("ValidationException") => DbError::Invalid(e.message().unwrap_or_default().to_owned()),
            _ => DbError::Unavailable(format!("{}: {}", e.code().unwrap_or("?"), e.message().unwrap_or_default())),
        };
    }
    DbError::Unavailable(aws_sdk_dynamodb::error::DisplayErrorContext(&err).to_string())
}

/// Counts DynamoDB operations (not retries) per operation name, for benchmarks and tests.
#[derive(Debug, Clone, Default)]
pub struct CallCounter(Arc<CounterInner>);

#[derive(Debug, Default)]
struct CounterInner {
    total: AtomicU64,
    by_op: std::sync::Mutex<HashMap<String, u64>>,
}

impl CallCounter {
    pub fn total(&self) -> u64 {
        self.0.total.load(Ordering::Relaxed)
    }

    pub fn by_operation(&self) -> HashMap<String, u64> {
        self.0.by_op.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    /// Serialization happens once per operation (retries resend the same request), and the
    /// serialized request names its operation in `x-amz-target` (`DynamoDB_20120810.GetItem`).
    fn read_after_serialization(
        &self,
        ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        self.0.total.fetch_add(1, Ordering::Relaxed);
        let target = ctx.request().headers().get("x-amz-target").unwrap_or_default();
        let op = target.rsplit('.').next().unwrap_or_default().to_owned();
        if let Ok(mut m) = self.0.by_op.lock() {
            *m.entry(op).or_default() += 1;
        }
        Ok(())
    }
}

/// The table: one client, one name, one counter.
#[derive(Clone, Debug)]
pub struct Db {
    client: Client,
    table: Arc<str>,
    calls: CallCounter,
}

/// An index of the table, for queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Primary,
    Gsi1,
    Gsi2,
}

impl Index {
    fn attrs(self) -> (&'static str, &'static str, Option<&'static str>) {
        match self {
            Index::Primary => ("PK", "SK", None),
            Index::Gsi1 => ("GSI1PK", "GSI1SK", Some("GSI1")),
            Index::Gsi2 => ("GSI2PK", "GSI2SK", Some("GSI2")),
        }
    }
}

/// A single-partition query.
#[derive(Debug, Clone)]
pub struct Query {
    pub index: Index,
    pub pk: String,
    pub sk_prefix: Option<String>,
    /// Only sort keys strictly below this one.
    pub sk_before: Option<String>,
    /// Only sort keys strictly above this one.
    pub sk_after: Option<String>,
    pub forward: bool,
    pub limit: Option<i32>,
    pub start: Option<Item>,
    /// Strongly consistent (base table only): for reads a write decides on.
    pub consistent: bool,
}

impl Query {
    pub fn partition(index: Index, pk: impl Into<String>) -> Self {
        Query {
            index,
            pk: pk.into(),
            sk_prefix: None,
            sk_before: None,
            sk_after: None,
            forward: true,
            limit: None,
            start: None,
            consistent: false,
        }
    }

    pub fn begins_with(mut self, prefix: impl Into<String>) -> Self {
        self.sk_prefix = Some(prefix.into());
        self
    }

    pub fn before(mut self, sk: impl Into<String>) -> Self {
        self.sk_before = Some(sk.into());
        self
    }

    /// Sort keys from `lo` to `hi`, both included (with `after` and `before` both set).
    pub fn between(mut self, lo: impl Into<String>, hi: impl Into<String>) -> Self {
        self.sk_after = Some(lo.into());
        self.sk_before = Some(hi.into());
        self
    }

    pub fn after(mut self, sk: impl Into<String>) -> Self {
        self.sk_after = Some(sk.into());
        self
    }

    pub fn descending(mut self) -> Self {
        self.forward = false;
        self
    }

    pub fn consistent(mut self) -> Self {
        self.consistent = self.index == Index::Primary;
        self
    }

    pub fn limit(mut self, n: i32) -> Self {
        self.limit = Some(n);
        self
    }

    pub fn start(mut self, key: Option<Item>) -> Self {
        self.start = key;
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
    /// The key to resume after, if DynamoDB stopped early.
    pub last_key: Option<Item>,
}

impl Db {
    pub fn new(sdk: &aws_config::SdkConfig, table: &str) -> Db {
        let calls = CallCounter::default();
        let conf = aws_sdk_dynamodb::config::Builder::from(sdk).interceptor(calls.clone()).build();
        Db { client: Client::from_conf(conf), table: table.into(), calls }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn calls(&self) -> &CallCounter {
        &self.calls
    }

    /// The raw client, for infrastructure code (devstack, tests); domain code uses the methods.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub async fn get(&self, key: &Key) -> Result<Option<Item>, DbError> {
        let out = self
            .client
            .get_item()
            .table_name(&*self.table)
            .set_key(Some(key.to_item()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| classify(e, |_| None))?;
        Ok(out.item)
    }

    pub async fn get_as<T: DeserializeOwned>(&self, key: &Key) -> Result<Option<T>, DbError> {
        self.get(key).await?.map(from_item).transpose()
    }

    /// Two items in one strongly consistent round trip (`BatchGetItem`), each answered in the
    /// order asked: what a write decides on, when it needs two items of different domains.
    pub async fn get_pair(&self, a: &Key, b: &Key) -> Result<(Option<Item>, Option<Item>), DbError> {
        let mut found = self.batch_read(&[a.clone(), b.clone()], true).await?;
        let mut take = |k: &Key| {
            let at = found.iter().position(|i| i.get("PK") == Some(&s(&k.pk)) && i.get("SK") == Some(&s(&k.sk)));
            at.map(|i| found.swap_remove(i))
        };
        let first = take(a);
        Ok((first, take(b)))
    }

    /// Up to 100 items by key per call, eventually consistent (unprocessed keys are retried).
    pub async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Item>, DbError> {
        self.batch_read(keys, false).await
    }

    /// `BatchGetItem` in chunks of 100, retrying unprocessed keys up to 8 times per chunk.
    async fn batch_read(&self, keys: &[Key], consistent: bool) -> Result<Vec<Item>, DbError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            let mut pending: Vec<Item> = chunk.iter().map(Key::to_item).collect();
            let mut attempts = 0;
            while !pending.is_empty() {
                if attempts == 8 {
                    return Err(DbError::Throttled);
                }
                attempts += 1;
                let ka = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(consistent)
                    .build()
                    .map_err(|e| DbError::Invalid(e.to_string()))?;
                let res = self
                    .client
                    .batch_get_item()
                    .request_items(&*self.table, ka)
                    .send()
                    .await
                    .map_err(|e| classify(e, |_| None))?;
                out.extend(res.responses.and_then(|mut r| r.remove(&*self.table)).unwrap_or_default());
                pending =
                    res.unprocessed_keys.and_then(|mut u| u.remove(&*self.table)).map(|k| k.keys).unwrap_or_default();
            }
        }
        Ok(out)
    }

    pub async fn query(&self, q: Query) -> Result<Page, DbError> {
        let (pk_attr, sk_attr, index_name) = q.index.attrs();
        let mut req = self
            .client
            .query()
            .table_name(&*self.table)
            .set_index_name(index_name.map(str::to_owned))
            .expression_attribute_names("#pk", pk_attr)
            .expression_attribute_values(":pk", AttributeValue::S(q.pk))
            .scan_index_forward(q.forward)
            .consistent_read(q.consistent)
            .set_limit(q.limit)
            .set_exclusive_start_key(q.start);
        req = match (q.sk_prefix, q.sk_after, q.sk_before) {
            (Some(prefix), _, _) => req
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :sk)")
                .expression_attribute_names("#sk", sk_attr)
                .expression_attribute_values(":sk", AttributeValue::S(prefix)),
            (None, Some(after), Some(before)) => req
                .key_condition_expression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                .expression_attribute_names("#sk", sk_attr)
                .expression_attribute_values(":lo", AttributeValue::S(after))
                .expression_attribute_values(":hi", AttributeValue::S(before)),
            (None, Some(after), None) => req
                .key_condition_expression("#pk = :pk AND #sk > :sk")
                .expression_attribute_names("#sk", sk_attr)
                .expression_attribute_values(":sk", AttributeValue::S(after)),
            (None, None, Some(before)) => req
                .key_condition_expression("#pk = :pk AND #sk < :sk")
                .expression_attribute_names("#sk", sk_attr)
                .expression_attribute_values(":sk", AttributeValue::S(before)),
            (None, None, None) => req.key_condition_expression("#pk = :pk"),
        };
        let out = req.send().await.map_err(|e| classify(e, |_| None))?;
        Ok(Page { items: out.items.unwrap_or_default(), last_key: out.last_evaluated_key })
    }

    /// Every item of a partition (following pages): for bounded collections only.
    pub async fn query_all(&self, mut q: Query) -> Result<Vec<Item>, DbError> {
        let mut all = Vec::new();
        loop {
            let page = self.query(q.clone()).await?;
            all.extend(page.items);
            match page.last_key {
                Some(k) => q.start = Some(k),
                None => return Ok(all),
            }
        }
    }

    /// One conditional `PutItem` (for records outside the domain's transactions, such as
    /// idempotency claims); a failed condition is `DbError::ConditionFailed`.
    pub async fn put_if(&self, item: Item, cond: Expr) -> Result<(), DbError> {
        let (names, values) = merged(&cond, None);
        self.client
            .put_item()
            .table_name(&*self.table)
            .set_item(Some(item))
            .condition_expression(cond.expr)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await
            .map_err(|e| {
                classify(e, |se| match se {
                    aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException(_) => {
                        Some(DbError::ConditionFailed)
                    }
                    _ => None,
                })
            })?;
        Ok(())
    }

    /// One conditional `DeleteItem`; a failed condition is `DbError::ConditionFailed`.
    pub async fn delete_if(&self, key: &Key, cond: Expr) -> Result<(), DbError> {
        let (names, values) = merged(&cond, None);
        self.client
            .delete_item()
            .table_name(&*self.table)
            .set_key(Some(key.to_item()))
            .condition_expression(cond.expr)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await
            .map_err(|e| {
                classify(e, |se| match se {
                    aws_sdk_dynamodb::operation::delete_item::DeleteItemError::ConditionalCheckFailedException(_) => {
                        Some(DbError::ConditionFailed)
                    }
                    _ => None,
                })
            })?;
        Ok(())
    }

    /// Opens the connection (DNS, TCP, TLS) with the cheapest read a function's policy allows:
    /// a query of a partition that never exists. Run during init, so the first request does not
    /// pay the handshake; a failure is only logged (the first real call will report it).
    pub async fn warm(&self) {
        let res = self
            .client
            .query()
            .table_name(&*self.table)
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S("#WARMUP".into()))
            .limit(1)
            .send()
            .await;
        if let Err(e) = res {
            tracing::warn!(error = %aws_sdk_dynamodb::error::DisplayErrorContext(e), "could not open the DynamoDB connection during init");
        }
    }

    /// One atomic `TransactWriteItems`; cancellation reasons come back per action, except that
    /// a failed guard is `Revoked`, a failed `Tx::claim_key` is `KeyTaken` and a failed
    /// `Tx::create` is `AlreadyExists`.
    pub async fn transact(&self, tx: Tx) -> Result<(), DbError> {
        let (actions, failures, guard) = tx.finish();
        if actions.is_empty() || (actions.len() == 1 && guard.is_some()) {
            return Ok(());
        }
        if actions.len() > DYNAMODB_MAX_ACTIONS {
            return Err(DbError::Invalid(format!("{} actions in one transaction", actions.len())));
        }
        let table = self.table.to_string();
        let items = actions.into_iter().map(|a| a.into_sdk(&table)).collect::<Result<Vec<_>, _>>()?;
        let res = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
        res.map(|_| ()).map_err(|e| match classify(e, cancellation) {
            err @ DbError::Canceled(_) => {
                let failed = err.failed_conditions().unwrap_or_default();
                if guard.is_some_and(|g| failed.contains(&g)) {
                    DbError::Revoked
                } else if failed.iter().any(|i| failures.claims.contains(i)) {
                    DbError::KeyTaken
                } else if failed.iter().any(|i| failures.creates.contains(i)) {
                    DbError::AlreadyExists
                } else {
                    err
                }
            }
            other => other,
        })
    }
}

fn cancellation(se: &aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError) -> Option<DbError> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError as E;
    let E::TransactionCanceledException(c) = se else { return None };
    let reasons = c.cancellation_reasons().iter().map(|r| match r.code() {
        None | Some("None") => CancelReason::None,
        Some("ConditionalCheckFailed") => CancelReason::ConditionalCheckFailed,
        Some("TransactionConflict") => CancelReason::TransactionConflict,
        Some(other) => CancelReason::Other(other.to_owned()),
    });
    Some(DbError::Canceled(reasons.collect()))
}

pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, DbError> {
    serde_dynamo::from_item(item).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// A stored item: the record's attributes plus its keys, entity name and version.
pub struct ItemBuilder {
    item: Item,
}

impl ItemBuilder {
    pub fn new<T: Serialize>(entity: &str, key: &Key, record: &T) -> ItemBuilder {
        let mut item: Item = serde_dynamo::to_item(record).expect("records serialize to maps");
        item.extend(key.to_item());
        item.insert("entity".into(), AttributeValue::S(entity.into()));
        item.entry("v".into()).or_insert_with(|| AttributeValue::N("1".into()));
        ItemBuilder { item }
    }

    pub fn gsi1(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.item.insert("GSI1PK".into(), AttributeValue::S(pk.into()));
        self.item.insert("GSI1SK".into(), AttributeValue::S(sk.into()));
        self
    }

    pub fn gsi2(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.item.insert("GSI2PK".into(), AttributeValue::S(pk.into()));
        self.item.insert("GSI2SK".into(), AttributeValue::S(sk.into()));
        self
    }

    /// TTL: DynamoDB deletes the item some time after this epoch second (reads filter anyway).
    pub fn expires_at(mut self, epoch_secs: i64) -> Self {
        self.item.insert("expiresAt".into(), n(epoch_secs));
        self
    }

    pub fn version(mut self, v: i64) -> Self {
        self.item.insert("v".into(), n(v));
        self
    }

    pub fn build(self) -> Item {
        self.item
    }
}

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// A condition (or update) expression with its names and values.
#[derive(Debug, Clone, Default)]
pub struct Expr {
    pub expr: String,
    pub names: HashMap<String, String>,
    pub values: Item,
}

impl Expr {
    pub fn new(expr: impl Into<String>) -> Self {
        Expr { expr: expr.into(), ..Default::default() }
    }

    /// The item must not exist yet.
    pub fn not_exists() -> Self {
        Expr::new("attribute_not_exists(PK)")
    }

    /// The item must exist.
    pub fn exists() -> Self {
        Expr::new("attribute_exists(PK)")
    }

    /// The item must exist at version `v` (optimistic locking).
    pub fn at_version(v: i64) -> Self {
        Expr::new("attribute_exists(PK) AND #v = :v_expected").name("#v", "v").value(":v_expected", n(v))
    }

    /// `SET #s0 = :s0, …`: every attribute behind a placeholder (DynamoDB reserves hundreds of
    /// words, `name` and `timezone` among them).
    pub fn set<K: Into<String>>(attrs: impl IntoIterator<Item = (K, AttributeValue)>) -> Self {
        let mut expr = Expr::default();
        let mut parts = Vec::new();
        for (i, (k, v)) in attrs.into_iter().enumerate() {
            parts.push(format!("#s{i} = :s{i}"));
            expr.names.insert(format!("#s{i}"), k.into());
            expr.values.insert(format!(":s{i}"), v);
        }
        expr.expr = format!("SET {}", parts.join(", "));
        expr
    }

    pub fn name(mut self, placeholder: &str, attr: &str) -> Self {
        self.names.insert(placeholder.into(), attr.into());
        self
    }

    pub fn value(mut self, placeholder: &str, v: AttributeValue) -> Self {
        self.values.insert(placeholder.into(), v);
        self
    }
}

enum Action {
    Put(Item, Option<Expr>),
    Update(Key, Expr, Option<Expr>),
    Delete(Key, Option<Expr>),
    Check(Key, Expr),
}

fn merged(a: &Expr, b: Option<&Expr>) -> (Option<HashMap<String, String>>, Option<Item>) {
    let mut names = a.names.clone();
    let mut values = a.values.clone();
    if let Some(b) = b {
        names.extend(b.names.clone());
        values.extend(b.values.clone());
    }
    ((!names.is_empty()).then_some(names), (!values.is_empty()).then_some(values))
}

impl Action {
    fn into_sdk(self, table: &str) -> Result<TransactWriteItem, DbError> {
        let bad = |e: aws_sdk_dynamodb::error::BuildError| DbError::Invalid(e.to_string());
        let b = TransactWriteItem::builder();
        Ok(match self {
            Action::Put(item, cond) => {
                let (names, values) = cond.as_ref().map(|c| merged(c, None)).unwrap_or_default();
                b.put(
                    Put::builder()
                        .table_name(table)
                        .set_item(Some(item))
                        .set_condition_expression(cond.map(|c| c.expr))
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .build()
                        .map_err(bad)?,
                )
            }
            Action::Update(key, update, cond) => {
                let (names, values) = merged(&update, cond.as_ref());
                b.update(
                    Update::builder()
                        .table_name(table)
                        .set_key(Some(key.to_item()))
                        .update_expression(update.expr)
                        .set_condition_expression(cond.map(|c| c.expr))
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .build()
                        .map_err(bad)?,
                )
            }
            Action::Delete(key, cond) => {
                let (names, values) = cond.as_ref().map(|c| merged(c, None)).unwrap_or_default();
                b.delete(
                    Delete::builder()
                        .table_name(table)
                        .set_key(Some(key.to_item()))
                        .set_condition_expression(cond.map(|c| c.expr))
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .build()
                        .map_err(bad)?,
                )
            }
            Action::Check(key, cond) => {
                let (names, values) = merged(&cond, None);
                b.condition_check(
                    ConditionCheck::builder()
                        .table_name(table)
                        .set_key(Some(key.to_item()))
                        .condition_expression(cond.expr)
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .build()
                        .map_err(bad)?,
                )
            }
        }
        .build())
    }
}

/// A `TransactWriteItems` under construction. Each `put`/`update`/… returns the action's index,
/// which is how a cancellation reason is traced back to the rule it guards.
#[derive(Default)]
pub struct Tx {
    actions: Vec<Action>,
    /// Actions whose failed `attribute_not_exists` means "already exists", not a lost race.
    creates: Vec<usize>,
    /// Puts of idempotency records whose failed condition means "the key was used first".
    claims: Vec<usize>,
    /// A check on the caller's membership item, added when the transaction is sent unless an
    /// action already writes that item.
    guard: Option<(Key, Expr)>,
}

impl Tx {
    pub fn new() -> Self {
        Tx::default()
    }

    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    pub fn put(&mut self, item: Item, cond: Option<Expr>) -> usize {
        self.actions.push(Action::Put(item, cond));
        self.actions.len() - 1
    }

    pub fn update(&mut self, key: Key, update: Expr, cond: Option<Expr>) -> usize {
        self.actions.push(Action::Update(key, update, cond));
        self.actions.len() - 1
    }

    pub fn delete(&mut self, key: Key, cond: Option<Expr>) -> usize {
        self.actions.push(Action::Delete(key, cond));
        self.actions.len() - 1
    }

    pub fn check(&mut self, key: Key, cond: Expr) -> usize {
        self.actions.push(Action::Check(key, cond));
        self.actions.len() - 1
    }

    /// Puts a new item under `attribute_not_exists`; if it exists the transaction fails with
    /// `DbError::AlreadyExists` (never retried by the commit loop).
    pub fn create(&mut self, item: Item) -> usize {
        let i = self.put(item, Some(Expr::not_exists()));
        self.creates.push(i);
        i
    }

    /// Puts an idempotency record under `cond` (the key is free); if it is not, the transaction
    /// fails with `DbError::KeyTaken` (never retried by the commit loop).
    pub fn claim_key(&mut self, item: Item, cond: Expr) -> usize {
        let i = self.put(item, Some(cond));
        self.claims.push(i);
        i
    }

    /// Conditions the whole transaction on the caller's membership item still existing with a
    /// role that permits what they were authorized for (`OrgScope::write_guard`); nothing for
    /// the platform's own scopes. Set once; later calls keep the first.
    pub fn guard_membership(&mut self, scope: &crate::platform::scope::OrgScope) {
        let Some((principal, roles)) = scope.write_guard() else { return };
        if self.guard.is_some() {
            return;
        }
        let placeholders: Vec<String> = (0..roles.len()).map(|i| format!(":role{i}")).collect();
        let mut cond =
            Expr::new(format!("attribute_exists(PK) AND #role IN ({})", placeholders.join(", "))).name("#role", "role");
        for (p, r) in placeholders.iter().zip(&roles) {
            cond = cond.value(p, s(r.as_str()));
        }
        self.guard = Some((keys::membership_lookup(scope.org_id(), principal), cond));
    }

    fn touches(&self, key: &Key) -> bool {
        let (pk, sk) = (s(&key.pk), s(&key.sk));
        self.actions.iter().any(|a| match a {
            Action::Put(item, _) => item.get("PK") == Some(&pk) && item.get("SK") == Some(&sk),
            Action::Update(k, ..) | Action::Delete(k, _) | Action::Check(k, _) => k == key,
        })
    }

    /// The actions to send, the guard last; and the guard's index, if it was added.
    fn finish(mut self) -> (Vec<Action>, Failures, Option<usize>) {
        let guard = match self.guard.take() {
            Some((key, cond)) if !self.touches(&key) => {
                self.actions.push(Action::Check(key, cond));
                Some(self.actions.len() - 1)
            }
            _ => None,
        };
        (self.actions, Failures { creates: self.creates, claims: self.claims }, guard)
    }
}

/// Which failed conditions of a transaction are not lost races.
struct Failures {
    creates: Vec<usize>,
    claims: Vec<usize>,
}

/// Which page of a list to read (the handler opened the cursor; the service queries).
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: i32,
    pub start: Option<Item>,
}

/// A page of records and where the next one starts.
#[derive(Debug, Clone)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    pub last_key: Option<Item>,
}

impl Db {
    /// One page of a query, decoded.
    pub async fn page_of<T: DeserializeOwned>(&self, q: Query, page: PageRequest) -> Result<PageOf<T>, DbError> {
        let out = self.query(q.limit(page.limit).start(page.start)).await?;
        let items = out.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
        Ok(PageOf { items, last_key: out.last_key })
    }
}

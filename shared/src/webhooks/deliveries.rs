//! Deliveries: fan-out of an event to the endpoints that want it (one delivery item per event
//! and endpoint, deterministic id), one attempt with its retry schedule, giving up after 24 hours,
//! redelivery, and disabling endpoints that fail for 3 days.

use super::endpoints::{get_record, secret_owner, secrets_err, webhook_item};
use super::events::{WebhookDisabled, WebhookRedeliveryRequested};
use super::model::*;
use super::signing::{sign, DELIVERY_ID_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER};
use crate::events::{self, Event};
use crate::ids::{DeliveryId, OrgId, WebhookId};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, Query, Tx};
use crate::platform::scope::OrgScope;
use crate::platform::App;
use crate::ports::webhook::SignedPost;
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};

/// Give up on a delivery after this long of failures.
pub const GIVE_UP_AFTER: Duration = Duration::hours(24);
/// Disable an endpoint whose deliveries have all failed for this long.
pub const DISABLE_AFTER: Duration = Duration::days(3);
/// Longest single SQS delay; longer waits are chained.
const MAX_DELAY_SECS: i64 = 900;
/// Longest wait between two attempts.
const MAX_WAIT_SECS: i64 = 3600;

fn delivery_item(scope: &OrgScope, d: &Delivery) -> db::Item {
    ItemBuilder::new(DELIVERY_ENTITY, &keys::delivery(scope, &d.webhook_id, &d.id), d).build()
}

/// The delivery of `event` to `webhook`: the same pair always has the same id.
pub fn delivery_id(event: &Event, webhook: &WebhookId) -> DeliveryId {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("{}\n{webhook}", event.id).as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    // Keep the event's time in the ULID so deliveries list newest first.
    let ts = (event.occurred_at.timestamp_millis().max(0) as u128) << 80;
    let rand = u128::from_be_bytes(b) & ((1u128 << 80) - 1);
    DeliveryId::from_ulid(ulid::Ulid(ts | rand))
}

/// The queue message of one delivery attempt. Only this module writes one (to our delivery
/// queue), and only `from_sqs` reads one back, so the org it names is one an event or a member
/// of that org put there.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryMessage {
    org_id: OrgId,
    webhook_id: WebhookId,
    delivery_id: DeliveryId,
    /// How many attempts the delivery had when this message was queued: a message whose number
    /// no longer matches belongs to a superseded chain and is dropped.
    #[serde(default)]
    attempt: usize,
}

impl DeliveryMessage {
    /// The message in an SQS record from the delivery queue; `None` for anything else.
    pub fn from_sqs(record: &aws_lambda_events::sqs::SqsMessage) -> Option<DeliveryMessage> {
        serde_json::from_str(record.body.as_deref()?).ok()
    }

    pub fn delivery_id(&self) -> &DeliveryId {
        &self.delivery_id
    }

    /// `system:webhooks` acting inside the delivery's org.
    fn scope(&self) -> OrgScope {
        OrgScope::system(self.org_id.clone(), "webhooks")
    }
}

async fn enqueue(app: &App, m: &DeliveryMessage, delay_secs: i64) -> Result<()> {
    let queue = app
        .config
        .webhooks
        .delivery_queue_url
        .as_deref()
        .ok_or_else(|| Error::Conflict("WEBHOOK_DELIVERY_QUEUE_URL is not set".into()))?;
    app.sqs()
        .send_message()
        .queue_url(queue)
        .message_body(serde_json::to_string(m).expect("serializes"))
        .delay_seconds(delay_secs.clamp(0, MAX_DELAY_SECS) as i32)
        .send()
        .await
        .map_err(|e| {
            Error::Store(db::DbError::Invalid(format!("SQS: {}", aws_sdk_sqs::error::DisplayErrorContext(e))))
        })?;
    Ok(())
}

/// The org's active endpoints (one Query): read once per org for a batch of events.
pub async fn active_endpoints(app: &App, scope: &OrgScope) -> Result<Vec<WebhookRecord>> {
    let (pk, prefix) = keys::webhooks(scope);
    let hooks: Vec<WebhookRecord> = app
        .db
        .query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix))
        .await?
        .into_iter()
        .map(db::from_item)
        .collect::<Result<_, _>>()?;
    Ok(hooks.into_iter().filter(|w| w.status == WebhookStatus::Active).collect())
}

/// Fans an event out to the `endpoints` of its org (`active_endpoints`) that want its type: a
/// delivery for each (written once per pair), and a first attempt queued for it. Returns how
/// many endpoints were matched.
pub async fn dispatch(app: &App, cx: &Ctx<'_>, event: &Event, endpoints: &[WebhookRecord]) -> Result<usize> {
    let scope = cx.scope;
    let mut n = 0;
    for w in endpoints.iter().filter(|w| w.status == WebhookStatus::Active && w.wants(&event.type_)) {
        let d = Delivery {
            id: delivery_id(event, &w.id),
            webhook_id: w.id.clone(),
            event_id: event.id.clone(),
            event_type: event.type_.clone(),
            status: DeliveryStatus::Pending,
            attempts: Vec::new(),
            next_retry_at: Some(cx.now),
            series_started_at: None,
            created_at: cx.now,
            payload: serde_json::to_string(event).expect("events serialize"),
        };
        // Written once. A re-dispatched event (a retry after a partial failure) queues the first
        // attempt again only if it never ran; duplicates of that message are dropped by number.
        let first_attempt_pending = match app.db.put_if(delivery_item(scope, &d), Expr::not_exists()).await {
            Ok(()) => true,
            Err(db::DbError::ConditionFailed) => {
                let existing: Option<Delivery> = app.db.get_as(&keys::delivery(scope, &w.id, &d.id)).await?;
                existing.is_some_and(|e| e.status == DeliveryStatus::Pending && e.attempts.is_empty())
            }
            Err(e) => return Err(e.into()),
        };
        if first_attempt_pending {
            let m = DeliveryMessage {
                org_id: scope.org_id().clone(),
                webhook_id: w.id.clone(),
                delivery_id: d.id.clone(),
                attempt: 0,
            };
            enqueue(app, &m, 0).await?;
        }
        n += 1;
    }
    Ok(n)
}

/// The delay before attempt `n + 1` after `n` failures: base·2^(n−1), plus up to half of that
/// again as jitter (so delays grow and racing retries spread).
pub fn backoff_secs(base: u32, failures: usize) -> i64 {
    let exp = i64::from(base).saturating_mul(1i64 << (failures.saturating_sub(1)).min(20));
    let jitter = if exp >= 2 { (ulid::Ulid::new().random() % (exp as u128 / 2)) as i64 } else { 0 };
    exp + jitter
}

/// What an attempt concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    RetryIn(i64),
    GaveUp,
    Skipped,
}

/// The signed POST of `d` to `w` at `now`.
fn signed_post<'a>(w: &'a WebhookRecord, secret: &str, d: &'a Delivery, now: DateTime<Utc>) -> SignedPost<'a> {
    SignedPost {
        url: &w.url,
        headers: vec![
            (SIGNATURE_HEADER, sign(secret, now.timestamp(), d.payload.as_bytes())),
            (EVENT_ID_HEADER, d.event_id.as_str().to_owned()),
            (DELIVERY_ID_HEADER, d.id.as_str().to_owned()),
        ],
        body: &d.payload,
    }
}

/// Runs one queued attempt: POST with the signature; on success the delivery succeeds (and the
/// endpoint is healthy again); on failure the next attempt is queued with backoff, or, after
/// 24 h of failures, the delivery fails; an endpoint failing for 3 days is disabled.
pub async fn attempt(app: &App, m: &DeliveryMessage, now: DateTime<Utc>) -> Result<Outcome> {
    let scope = &m.scope();
    let cx = &Ctx::at(&app.db, scope, now);
    let db = &app.db;
    let key = keys::delivery(scope, &m.webhook_id, &m.delivery_id);
    let Some(mut d) = db.get_as::<Delivery>(&key).await? else { return Ok(Outcome::Skipped) };
    if d.status != DeliveryStatus::Pending || m.attempt != d.attempts.len() {
        return Ok(Outcome::Skipped);
    }
    let before = d.attempts.len();
    // A chained wait longer than one SQS delay: not due yet.
    if let Some(next) = d.next_retry_at.filter(|n| *n > now + Duration::seconds(1)) {
        let m2 = m.clone();
        enqueue(app, &m2, (next - now).num_seconds()).await?;
        return Ok(Outcome::RetryIn((next - now).num_seconds()));
    }
    let Some(w) = db.get_as::<WebhookRecord>(&keys::webhook(scope, &m.webhook_id)).await? else {
        d.status = DeliveryStatus::Failed;
        save_delivery(cx, &d, before).await?;
        return Ok(Outcome::GaveUp);
    };
    if w.status != WebhookStatus::Active {
        d.status = DeliveryStatus::Failed;
        d.next_retry_at = None;
        save_delivery(cx, &d, before).await?;
        return Ok(Outcome::GaveUp);
    }
    // A key that cannot be used now fails the message (retried later), not the attempt.
    let secret =
        app.webhook_secrets().decrypt(&w.secret_ciphertext, &secret_owner(scope, &w.id)).await.map_err(secrets_err)?;
    let started = std::time::Instant::now();
    let sent = app.webhook_sender().post(signed_post(&w, &secret, &d, now)).await;
    let (ok, code, error) = (sent.is_success(), sent.status, sent.error);
    let series = *d.series_started_at.get_or_insert(now);
    d.attempts.push(Attempt {
        at: now,
        status_code: code,
        error: error.clone(),
        duration_ms: started.elapsed().as_millis() as u64,
    });
    let outcome = after_attempt(&mut d, ok, series, now, app.config.webhooks.retry_base_secs);
    if !save_delivery(cx, &d, before).await? {
        return Ok(Outcome::Skipped); // another chain recorded this attempt first
    }
    if let Outcome::RetryIn(wait) = outcome {
        let next = DeliveryMessage { attempt: d.attempts.len(), ..m.clone() };
        enqueue(app, &next, wait).await?;
    }
    tracing::info!(delivery = %d.id, webhook = %w.id, status = ?code, error, ?outcome, "webhook attempt");
    // The attempt is recorded and the next one queued: health bookkeeping must not fail it.
    if let Err(e) = endpoint_health(cx, &w, ok, now).await {
        tracing::warn!(webhook = %w.id, error = %e, "endpoint health not updated");
    }
    Ok(outcome)
}

/// What an attempt leaves the delivery in: delivered; failed for good once the series (a
/// redelivery starts a new one) is 24 h old; else retried after a growing wait, at most an hour,
/// the last one at the end of the 24 h budget.
fn after_attempt(d: &mut Delivery, ok: bool, series: DateTime<Utc>, now: DateTime<Utc>, base_secs: u32) -> Outcome {
    if ok || now - series >= GIVE_UP_AFTER {
        d.status = if ok { DeliveryStatus::Succeeded } else { DeliveryStatus::Failed };
        d.next_retry_at = None;
        return if ok { Outcome::Delivered } else { Outcome::GaveUp };
    }
    let failures = d.attempts.iter().filter(|a| a.at >= series).count();
    let left = (series + GIVE_UP_AFTER - now).num_seconds().max(1);
    let wait = backoff_secs(base_secs, failures).min(MAX_WAIT_SECS).min(left);
    d.next_retry_at = Some(now + Duration::seconds(wait));
    Outcome::RetryIn(wait)
}

/// Saves the delivery if it still has `before` attempts (no other chain wrote meanwhile);
/// `false` when another did.
async fn save_delivery(cx: &Ctx<'_>, d: &Delivery, before: usize) -> Result<bool> {
    let cond =
        Expr::new("attribute_exists(PK) AND size(#a) = :n").name("#a", "attempts").value(":n", db::n(before as i64));
    match cx.db.put_if(delivery_item(cx.scope, d), cond).await {
        Ok(()) => Ok(true),
        Err(db::DbError::ConditionFailed) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Clears `failingSince` on success; sets it on the first failure; disables the endpoint (with
/// its `webhook.disabled` event) once it has failed for 3 days.
async fn endpoint_health(cx: &Ctx<'_>, w: &WebhookRecord, ok: bool, now: DateTime<Utc>) -> Result<()> {
    let mut next = w.clone();
    match (ok, w.failing_since) {
        (true, None) => return Ok(()),
        (true, Some(_)) => next.failing_since = None,
        (false, None) => next.failing_since = Some(now),
        (false, Some(since)) if now - since >= DISABLE_AFTER => {
            next.status = WebhookStatus::Disabled;
            next.disabled_reason = Some(format!("every delivery failed since {since}"));
        }
        (false, Some(_)) => return Ok(()),
    }
    next.v = w.v + 1;
    next.updated_at = now;
    let mut tx = Tx::new();
    tx.put(webhook_item(cx.scope, &next), Some(Expr::at_version(w.v)));
    if next.status == WebhookStatus::Disabled {
        let disabled = WebhookDisabled {
            webhook_id: w.id.clone(),
            url: w.url.clone(),
            failing_since: w.failing_since,
            reason: next.disabled_reason.clone(),
        };
        events::emit(&mut tx, cx.scope, &disabled);
    }
    match cx.db.transact(tx).await {
        Ok(()) => Ok(()),
        // Another attempt updated it first; its view is as good as ours.
        Err(e) if e.failed_conditions().is_some() || e.is_conflict() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Sends a delivery again now (a new series of attempts).
pub async fn redeliver(app: &App, cx: &Ctx<'_>, webhook: &str, delivery: &str) -> Result<Delivery> {
    let scope = cx.scope;
    let w = get_record(cx, webhook).await?;
    let id = DeliveryId::parse(delivery).ok_or(Error::NotFound("delivery"))?;
    let key = keys::delivery(scope, &w.id, &id);
    let mut d: Delivery = app.db.get_as(&key).await?.ok_or(Error::NotFound("delivery"))?;
    if w.status != WebhookStatus::Active {
        return Err(Error::Conflict("the webhook is disabled; enable it first".into()));
    }
    if d.status == DeliveryStatus::Pending {
        return Err(Error::Conflict("the delivery is still being attempted".into()));
    }
    let before = d.attempts.len();
    d.status = DeliveryStatus::Pending;
    d.next_retry_at = Some(cx.now);
    d.series_started_at = None;
    let mut tx = Tx::new();
    let unchanged = Expr::new("attribute_exists(PK) AND size(#a) = :n AND #st <> :pending")
        .name("#a", "attempts")
        .name("#st", "status")
        .value(":n", db::n(before as i64))
        .value(":pending", db::s("pending"));
    tx.put(delivery_item(scope, &d), Some(unchanged));
    let requested = WebhookRedeliveryRequested { webhook_id: w.id.clone(), delivery_id: d.id.clone() };
    events::emit(&mut tx, scope, &requested);
    app.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("the delivery changed meanwhile; retry".into()),
        None => e.into(),
    })?;
    let m = DeliveryMessage {
        org_id: scope.org_id().clone(),
        webhook_id: w.id.clone(),
        delivery_id: d.id.clone(),
        attempt: before,
    };
    enqueue(app, &m, 0).await?;
    d.payload.clear();
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_on_top() {
        for _ in 0..50 {
            let (a, b, c) = (backoff_secs(30, 1), backoff_secs(30, 2), backoff_secs(30, 3));
            assert!((30..45).contains(&a) && (60..90).contains(&b) && (120..180).contains(&c), "{a} {b} {c}");
        }
        assert_eq!(backoff_secs(1, 1), 1);
        assert!((2..3).contains(&backoff_secs(1, 2)));
    }
}

//! Consumers are idempotent by event id: before its effect, a consumer claims a processed-marker
//! (`attribute_not_exists`, TTL 7 days); after the effect it marks it done; on failure it
//! releases it so the redelivery runs again. A redelivered event that is done is skipped; one
//! still being processed elsewhere is retried later. Delivery is at-least-once; effects are
//! exactly-once as long as each effect happens under one claim.

use super::Event;
use crate::ids::OrgId;
use crate::platform::db::{keys, n, s, Db, DbError, Expr, ItemBuilder, Key};
use crate::platform::scope::OrgScope;

pub const ENTITY: &str = "ProcessedEvent";
const RETENTION_SECS: i64 = 7 * 24 * 3600;
/// A claim not finished in this long is considered abandoned (a crashed invocation).
const LOCK_SECS: i64 = 300;

#[derive(Debug)]
pub enum Claim {
    /// First time: do the work, then `done` (or `release` on failure).
    Run(Marker),
    /// Already processed: acknowledge and skip.
    Done,
    /// Being processed by another invocation right now: retry later.
    Busy,
}

#[derive(Debug, Clone)]
pub struct Marker {
    key: Key,
}

pub async fn claim(db: &Db, scope: &OrgScope, consumer: &str, event: &Event, now: i64) -> Result<Claim, DbError> {
    let key = keys::processed_event(scope, consumer, &event.id);
    let record = serde_json::json!({"consumer": consumer, "eventId": event.id, "eventType": event.type_,
        "status": "processing", "lockedUntil": now + LOCK_SECS});
    let item = ItemBuilder::new(ENTITY, &key, &record).expires_at(now + RETENTION_SECS).build();
    let free = Expr::new("attribute_not_exists(PK) OR (#st = :processing AND lockedUntil < :now)")
        .name("#st", "status")
        .value(":processing", s("processing"))
        .value(":now", n(now));
    match db.put_if(item, free).await {
        Ok(()) => Ok(Claim::Run(Marker { key })),
        Err(DbError::ConditionFailed) => match db.get(&key).await? {
            Some(i) if matches!(i.get("status"), Some(aws_sdk_dynamodb::types::AttributeValue::S(v)) if v == "done") => {
                Ok(Claim::Done)
            }
            _ => Ok(Claim::Busy),
        },
        Err(e) => Err(e),
    }
}

impl Marker {
    pub async fn done(&self, db: &Db) -> Result<(), DbError> {
        let mut tx = crate::platform::db::Tx::new();
        tx.update(self.key.clone(), Expr::set([("status", s("done"))]), Some(Expr::exists()));
        db.transact(tx).await
    }

    pub async fn release(&self, db: &Db) -> Result<(), DbError> {
        let mine = Expr::new("#st = :processing").name("#st", "status").value(":processing", s("processing"));
        match db.delete_if(&self.key, mine).await {
            Ok(()) | Err(DbError::ConditionFailed) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// The envelope EventBridge puts on the queue: our event is its `detail`.
#[derive(Debug, serde::Deserialize)]
struct Envelope {
    source: String,
    detail: Event,
}

/// The source of our events on the bus.
pub const BUS_SOURCE: &str = "portfolioos";

/// An outbox event as one of our bus's queues delivered it. The org it speaks for is the one it
/// was written in (the relay publishes only our own table's `Event` items, under `BUS_SOURCE`).
/// Only `from_sqs` builds one, from the SQS record a consumer was invoked with.
#[derive(Debug, Clone)]
pub struct Received {
    event: Event,
    org_id: OrgId,
}

impl Received {
    /// The event in an SQS record from a bus rule's queue; `None` for anything else (another
    /// source, not an envelope, an event without a valid org).
    pub fn from_sqs(record: &aws_lambda_events::sqs::SqsMessage) -> Option<Received> {
        let envelope: Envelope = serde_json::from_str(record.body.as_deref()?).ok()?;
        if envelope.source != BUS_SOURCE {
            return None;
        }
        let org_id = OrgId::parse(&envelope.detail.org_id)?;
        Some(Received { event: envelope.detail, org_id })
    }

    pub fn event(&self) -> &Event {
        &self.event
    }

    pub fn into_event(self) -> Event {
        self.event
    }

    /// `system:<consumer>` acting inside the event's org.
    pub fn scope(&self, consumer: &'static str) -> OrgScope {
        OrgScope::system(self.org_id.clone(), consumer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(body: serde_json::Value) -> aws_lambda_events::sqs::SqsMessage {
        let mut m = aws_lambda_events::sqs::SqsMessage::default();
        m.body = Some(body.to_string());
        m
    }

    #[test]
    fn only_our_bus_envelopes_speak_for_an_org() {
        let org = OrgId::new();
        let cleared = crate::billing::events::PaymentCleared {
            payment_id: crate::ids::PaymentId::new(),
            lease_id: crate::ids::LeaseId::new(),
        };
        let e = Event::of(&OrgScope::for_tests(org.clone()), &cleared, crate::platform::clock::now());
        let ours = serde_json::json!({"source": BUS_SOURCE, "detail-type": "payment.cleared", "detail": e});
        let r = Received::from_sqs(&record(ours)).expect("our envelope");
        assert_eq!(r.event(), &e);
        let s = r.scope("notifier");
        assert_eq!((s.org_id(), s.actor_id()), (&org, "system:notifier"));

        let other = serde_json::json!({"source": "someone.else", "detail": e});
        assert!(Received::from_sqs(&record(other)).is_none(), "another source");
        let mut bad = serde_json::to_value(&e).unwrap();
        bad["orgId"] = "not-an-org".into();
        assert!(Received::from_sqs(&record(serde_json::json!({"source": BUS_SOURCE, "detail": bad}))).is_none());
        assert!(Received::from_sqs(&record(serde_json::to_value(&e).unwrap())).is_none(), "a bare event");
        assert!(Received::from_sqs(&aws_lambda_events::sqs::SqsMessage::default()).is_none());
    }
}

//! Consumers are idempotent by event id: before its effect, a consumer claims a processed-marker
//! (`attribute_not_exists`, TTL 7 days); after the effect it marks it done; on failure it
//! releases it so the redelivery runs again. A redelivered event that is done is skipped; one
//! still being processed elsewhere is retried later. Delivery is at-least-once; effects are
//! exactly-once as long as each effect happens under one claim.

use super::Event;
use crate::ids::OrgId;
use crate::platform::auth::OrgScope;
use crate::platform::db::{keys, n, s, Db, DbError, Expr, ItemBuilder, Key};

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

/// The scope an event speaks for: the org it was written in (our own outbox).
pub fn scope_of(event: &Event, consumer: &'static str) -> Option<OrgScope> {
    OrgId::parse(&event.org_id).map(|o| OrgScope::trusted_system(o, consumer))
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
pub struct Envelope {
    pub id: Option<String>,
    #[serde(rename = "detail-type")]
    pub detail_type: Option<String>,
    pub detail: Event,
}

/// The source of our events on the bus.
pub const BUS_SOURCE: &str = "portfolioos";

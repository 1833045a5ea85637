//! Domain events and the transactional outbox (ARCHITECTURE §5): every write that matters adds
//! its `Event` item to the same `TransactWriteItems` as the change, and the table stream carries
//! it onwards. Events live 30 days (TTL).

pub mod consumer;
pub mod relay;

use crate::ids::EventId;
use crate::platform::auth::OrgScope;
use crate::platform::db::{keys, ItemBuilder, Tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const ENTITY: &str = "Event";
const RETENTION_SECS: i64 = 30 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Subject {
    #[serde(rename = "type")]
    pub type_: String,
    pub id: String,
}

/// `{"id", "type", "orgId", "occurredAt", "actor", "subject": {"type", "id"}, "data"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: EventId,
    #[serde(rename = "type")]
    pub type_: String,
    pub org_id: String,
    pub occurred_at: DateTime<Utc>,
    /// The user id behind the change, or `system:<job or consumer>` when the platform acted.
    pub actor: String,
    pub subject: Subject,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl Event {
    pub fn new(scope: &OrgScope, type_: &str, subject_type: &str, subject_id: &str, data: serde_json::Value) -> Event {
        Event {
            id: EventId::new(),
            type_: type_.to_owned(),
            org_id: scope.org_id().to_string(),
            occurred_at: Utc::now(),
            actor: scope.actor_id().to_owned(),
            subject: Subject { type_: subject_type.to_owned(), id: subject_id.to_owned() },
            data,
        }
    }
}

impl Event {
    /// The event in a table stream record's new image, if the item is an outbox event.
    pub fn from_stream_image(image: serde_dynamo::Item) -> Option<Event> {
        let map: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> = image.into();
        if !matches!(map.get("entity"), Some(aws_sdk_dynamodb::types::AttributeValue::S(e)) if e == ENTITY) {
            return None;
        }
        serde_dynamo::from_item(map).ok()
    }
}

/// Adds the event's outbox item to `tx`, and the caller's membership guard: every write that
/// matters emits an event, so every such write is refused once the caller lost the right to it.
pub fn emit(tx: &mut Tx, scope: &OrgScope, event: &Event) -> usize {
    if let Some((key, cond)) = scope.write_guard() {
        tx.guard(key, cond);
    }
    let item = ItemBuilder::new(ENTITY, &keys::event(scope, &event.id), event)
        .expires_at(event.occurred_at.timestamp() + RETENTION_SECS)
        .build();
    tx.put(item, None)
}

/// Shorthand: build and emit in one go.
pub fn record(
    tx: &mut Tx,
    scope: &OrgScope,
    type_: &str,
    subject_type: &str,
    subject_id: &str,
    data: serde_json::Value,
) -> Event {
    let e = Event::new(scope, type_, subject_type, subject_id, data);
    emit(tx, scope, &e);
    e
}

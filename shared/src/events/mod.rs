//! Domain events and the transactional outbox (ARCHITECTURE §5): every write that matters adds
//! its `Event` item to the same `TransactWriteItems` as the change, and the table stream carries
//! it onwards. Events live 30 days (TTL).

pub mod consumer;
pub mod relay;

use crate::ids::EventId;
use crate::platform::db::{keys, ItemBuilder, Tx};
use crate::platform::scope::OrgScope;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::openapi::{RefOr, Schema};

pub const ENTITY: &str = "Event";
const RETENTION_SECS: i64 = 30 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Subject {
    #[serde(rename = "type")]
    pub type_: String,
    pub id: String,
}

/// `{"id", "type", "version", "orgId", "occurredAt", "actor", "subject": {"type", "id"}, "data"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: EventId,
    #[serde(rename = "type")]
    pub type_: String,
    /// The version of `data`'s shape for this type (events stored before versions were kept are 1).
    #[serde(default = "first_version")]
    pub version: u32,
    pub org_id: String,
    pub occurred_at: DateTime<Utc>,
    /// The user id behind the change, or `system:<job or consumer>` when the platform acted.
    pub actor: String,
    pub subject: Subject,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

fn first_version() -> u32 {
    1
}

/// One event type: a struct whose fields are the event's `data`, with its type name, version
/// and subject. Each domain lists its types in its own `events::CATALOG`.
pub trait DomainEvent: Serialize + DeserializeOwned + utoipa::ToSchema {
    /// `<resource>.<past-tense verb>`.
    const TYPE: &'static str;
    /// Bumped when a change would break subscribers (a field removed, renamed or re-typed).
    const VERSION: u32;
    /// `subject.type`: what the event is about.
    const SUBJECT: &'static str;
    /// `subject.id`.
    fn subject_id(&self) -> String;
}

impl Event {
    /// The envelope of a typed event, occurring `at`.
    pub fn of<E: DomainEvent>(scope: &OrgScope, event: &E, at: DateTime<Utc>) -> Event {
        Event {
            id: EventId::new(),
            type_: E::TYPE.to_owned(),
            version: E::VERSION,
            org_id: scope.org_id().to_string(),
            occurred_at: at,
            actor: scope.actor_id().to_owned(),
            subject: Subject { type_: E::SUBJECT.to_owned(), id: event.subject_id() },
            data: serde_json::to_value(event).expect("event payloads serialize"),
        }
    }

    /// The payload as `E`, when this event is of `E`'s type (`None` otherwise).
    pub fn decode<E: DomainEvent>(&self) -> Option<serde_json::Result<E>> {
        (self.type_ == E::TYPE).then(|| serde_json::from_value(self.data.clone()))
    }
}

/// A catalog entry: what `GET /api/v1/event-types` lists and the OpenAPI document describes.
#[derive(Clone, Copy)]
pub struct EventSpec {
    pub type_: &'static str,
    pub version: u32,
    pub subject: &'static str,
    /// The payload schema's name.
    pub name: fn() -> Cow<'static, str>,
    /// The payload schema (fields may refer to shared schemas by `#/components/schemas/…`).
    pub schema: fn() -> RefOr<Schema>,
    /// The shared schemas the payload refers to.
    pub schemas: fn(&mut Vec<(String, RefOr<Schema>)>),
}

impl EventSpec {
    pub const fn of<E: DomainEvent>() -> EventSpec {
        EventSpec {
            type_: E::TYPE,
            version: E::VERSION,
            subject: E::SUBJECT,
            name: <E as utoipa::ToSchema>::name,
            schema: <E as utoipa::PartialSchema>::schema,
            schemas: <E as utoipa::ToSchema>::schemas,
        }
    }
}

/// Every domain's event types. Built once (by the crate's `catalog` module) and handed to what checks types
/// against it (webhook subscriptions), so no domain imports another's catalog.
#[derive(Clone, Copy)]
pub struct Catalog(pub &'static [&'static [EventSpec]]);

impl Catalog {
    pub fn iter(&self) -> impl Iterator<Item = &'static EventSpec> {
        self.0.iter().flat_map(|d| d.iter())
    }

    pub fn find(&self, type_: &str) -> Option<&'static EventSpec> {
        self.iter().find(|s| s.type_ == type_)
    }

    /// Whether a subscription pattern (`*`, an exact type, or `prefix.*`) names any type.
    pub fn matches_any(&self, pattern: &str) -> bool {
        match pattern.strip_suffix('*') {
            _ if pattern == "*" => true,
            Some(prefix) => self.iter().any(|s| s.type_.starts_with(prefix)),
            None => self.find(pattern).is_some(),
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
/// Events added to one transaction keep their order (their ids are monotonic ULIDs).
pub fn emit<E: DomainEvent>(tx: &mut Tx, scope: &OrgScope, event: &E) -> Event {
    let e = Event::of(scope, event, crate::platform::clock::now());
    put(tx, scope, &e);
    e
}

fn put(tx: &mut Tx, scope: &OrgScope, event: &Event) -> usize {
    tx.guard_membership(scope);
    let item = ItemBuilder::new(ENTITY, &keys::event(scope, &event.id), event)
        .expires_at(event.occurred_at.timestamp() + RETENTION_SECS)
        .build();
    tx.put(item, None)
}

/// Declares an event type: its payload struct (camelCase JSON, with a schema) and its
/// [`DomainEvent`] identity.
///
/// ```ignore
/// domain_event! {
///     /// A tenant was added.
///     TenantCreated = "tenant.created", version 1, subject "tenant" by tenant_id {
///         tenant_id: TenantId,
///         email: String,
///     }
/// }
/// ```
#[macro_export]
macro_rules! domain_event {
    ($(
        $(#[$m:meta])*
        $name:ident = $ty:literal, version $ver:literal, subject $subj:literal by $id:ident {
            $($(#[$fm:meta])* $field:ident : $t:ty),* $(,)?
        }
    )*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($(#[$fm])* pub $field: $t),*
        }

        impl $crate::events::DomainEvent for $name {
            const TYPE: &'static str = $ty;
            const VERSION: u32 = $ver;
            const SUBJECT: &'static str = $subj;
            fn subject_id(&self) -> String {
                self.$id.to_string()
            }
        }
    )*};
}

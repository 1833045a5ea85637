//! The audit log of sensitive changes, and the org's outbox events as a readable feed.

use super::model::*;
use crate::events;
use crate::ids::AuditId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::{Error, Result};
use serde_json::Value;

/// Adds an audit entry for a sensitive change to `tx`.
pub fn audit(
    tx: &mut Tx,
    cx: &Ctx<'_>,
    action: &str,
    target: (&str, &str),
    before: Option<Value>,
    after: Option<Value>,
) {
    let entry = AuditEntry {
        id: AuditId::new(),
        at: cx.now,
        actor: cx.scope.actor_id().to_owned(),
        action: action.to_owned(),
        target: events::Subject { type_: target.0.to_owned(), id: target.1.to_owned() },
        before,
        after,
    };
    tx.put(ItemBuilder::new(AUDIT_ENTITY, &keys::audit(cx.scope, &entry.id), &entry).build(), None);
}

/// Audit entries, newest first.
pub async fn list_audit(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<AuditEntry>> {
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, keys::audit_partition(cx.scope)).descending(), page).await?)
}

/// The org's outbox events, oldest first (used by tests now, and by the events API later).
pub async fn list_events(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<events::Event>> {
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, keys::events_partition(cx.scope)), page).await?)
}

/// The org's events after the event id `after` (all kept ones without it), oldest first.
pub async fn list_events_after(cx: &Ctx<'_>, after: Option<&str>, page: PageRequest) -> Result<PageOf<events::Event>> {
    let mut q = Query::partition(db::Index::Primary, keys::events_partition(cx.scope));
    if let Some(a) = after {
        let id = crate::ids::EventId::parse(a).ok_or_else(|| Error::invalid("after", "must be an event id (evt_…)"))?;
        q = q.after(id.as_str());
    }
    Ok(cx.db.page_of(q, page).await?)
}

//! What `consumer-books` does with one event: the drafts its posting rules make, tagged with
//! the lease's unit and building, posted in order (each once, by its deterministic key).

use super::events::BooksRebuildRequested;
use super::poster::{post, Origin, Posted};
use super::posting::{bank_drafts, billing_drafts, billing_lease, expense_drafts, payout_drafts, Draft, Tag};
use super::sources::Provenance;
use crate::events::{DomainEvent, Event};
use crate::integrations::stripe::events::PayoutPaid;
use crate::platform::ctx::Ctx;
use crate::{Error, Result};

/// Who the poster posts as.
pub const POSTER: &str = "system:books";

/// The building and unit of the lease a ledger event is about (none for other events).
pub async fn tag_of(cx: &Ctx<'_>, event: &Event) -> Result<Tag> {
    let Some(lease) = billing_lease(event) else { return Ok(Tag::default()) };
    match crate::leasing::service::get_lease_record(cx, &lease).await {
        Ok(l) => {
            Ok(Tag { building_id: Some(l.building_id.to_string()), unit_id: Some(l.unit_id.to_string()), of: None })
        }
        Err(Error::NotFound(_)) => Ok(Tag::default()),
        Err(e) => Err(e),
    }
}

/// The drafts the posting rules make of `event` (pure: a rebuild derives the same ones).
pub fn drafts_of(event: &Event, tag: &Tag) -> Vec<Draft> {
    let drafts = match billing_lease(event) {
        Some(_) => billing_drafts(event, tag),
        None if event.type_ == PayoutPaid::TYPE => payout_drafts(event),
        None if event.type_.starts_with("bank_transaction.") => bank_drafts(event),
        None => expense_drafts(event),
    };
    drafts.unwrap_or_default()
}

/// Whether the relay queues `event_type` for `consumer-books`: the money events, and a rebuild
/// (so it runs behind the org's earlier events, never beside them).
pub fn queued(event_type: &str) -> bool {
    super::posting::POSTED_TYPES.contains(&event_type) || event_type == BooksRebuildRequested::TYPE
}

/// What `consumer-books` does with `event`: a rebuild, or its entries; answers how many
/// entries were new.
pub async fn handle(cx: &Ctx<'_>, event: &Event) -> Result<usize> {
    if event.type_ == BooksRebuildRequested::TYPE {
        super::rebuild::run(cx).await?;
        return Ok(0);
    }
    post_event(cx, event).await
}

/// Posts what `event` moves; answers how many entries were new.
pub async fn post_event(cx: &Ctx<'_>, event: &Event) -> Result<usize> {
    let tag = tag_of(cx, event).await?;
    let from = Provenance::Event { event: Box::new(event.clone()), tag: tag.clone() };
    let mut new = 0;
    for d in drafts_of(event, &tag) {
        if let Posted::New(_) = post(cx, &d, Origin::Automatic, POSTER, &from).await? {
            new += 1;
        }
    }
    Ok(new)
}

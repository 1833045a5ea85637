//! What `consumer-books` does with one event: the drafts its posting rules make, tagged with
//! the lease's unit and building, posted in order (each once, by its deterministic key).

use super::poster::{post, Origin, Posted};
use super::posting::{billing_drafts, billing_lease, expense_drafts, Tag};
use crate::events::Event;
use crate::platform::ctx::Ctx;
use crate::{Error, Result};

/// Who the poster posts as.
pub const POSTER: &str = "system:books";

/// Posts what `event` moves; answers how many entries were new.
pub async fn post_event(cx: &Ctx<'_>, event: &Event) -> Result<usize> {
    let drafts = match billing_lease(event) {
        Some(lease) => {
            let tag = match crate::leasing::service::get_lease_record(cx, &lease).await {
                Ok(l) => Tag { building_id: Some(l.building_id.to_string()), unit_id: Some(l.unit_id.to_string()) },
                Err(Error::NotFound(_)) => Tag::default(),
                Err(e) => return Err(e),
            };
            billing_drafts(event, &tag)
        }
        None => expense_drafts(event),
    };
    let mut new = 0;
    for d in drafts.unwrap_or_default() {
        if let Posted::New(_) = post(cx, &d, Origin::Automatic, POSTER).await? {
            new += 1;
        }
    }
    Ok(new)
}

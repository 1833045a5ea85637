//! The books' source log: for every entry, in `seq` order, what it was posted from — the money
//! event (with the lease's building and unit), the month of a fixed asset's depreciation, or a
//! person's entry — and where and when it landed. The poster writes a row in the entry's own
//! transaction; a rebuild (`rebuild`) re-derives every entry from its row through the same posting
//! rules, so the journal can be deleted and re-posted with the same `seq`s and hashes.
//!
//! The log keeps what the journal cannot be rebuilt without: the order entries were posted in
//! (concurrent writers make it unrecoverable from the sources' clocks), the landing day a closed
//! month decided, and the events themselves, which the outbox keeps for 30 days only.

use super::posting::{Draft, Tag};
use crate::events::Event;
use crate::ids::FixedAssetId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const SOURCE_ENTITY: &str = "BooksSource";

/// What an entry was posted from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Provenance {
    /// A money event, turned into drafts by the posting rules with the lease's tag.
    #[serde(rename_all = "camelCase")]
    Event { event: Box<Event>, tag: Tag },
    /// A month of a fixed asset's depreciation (the amount its schedule gave that month).
    #[serde(rename_all = "camelCase")]
    Depreciation { asset_id: FixedAssetId, date: NaiveDate, minor: i64 },
    /// A person's entry: the request is its own source.
    #[serde(rename_all = "camelCase")]
    Manual { draft: Box<Draft> },
}

/// One row of the log: the entry of `seq`, its draft's key, the day it landed on, and who
/// posted it when.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceRow {
    pub seq: u64,
    pub key: String,
    pub date: NaiveDate,
    pub posted_at: DateTime<Utc>,
    pub posted_by: String,
    pub provenance: Provenance,
}

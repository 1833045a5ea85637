//! Rebuilding the books from their sources. The owner asks (`POST …/books:rebuild`), which
//! queues `books.rebuild_requested` behind the org's money events on the books' FIFO queue; there
//! `consumer-books` (one poster per org) runs it:
//!
//! 1. the head is marked `rebuilding`, so no other poster (depreciation, a manual entry) writes
//!    meanwhile;
//! 2. every entry of the source log is derived again — money events through the posting rules,
//!    depreciation from its asset, manual entries from their request — and chained in the log's
//!    order; if one cannot be derived, the rebuild fails and nothing is deleted;
//! 3. the journal (entries, id markers, every register posting) is deleted and the derived entries
//!    written, then the head (unmarked) and the outcome in one transaction with `books.rebuilt`.
//!
//! The same sources give the same entries, so the chain ends on the same hash (`sameHash`).

use super::events::{BooksRebuildRequested, BooksRebuilt};
use super::from_events::drafts_of;
use super::model::{EntryRecord, Head, ZERO_HASH};
use super::poster::{chain, entry_items, read_head, write_entry, write_head};
use super::posting::Draft;
use super::sources::{Provenance, SourceRow};
use crate::core::audit::audit;
use crate::events;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Decision, ItemBuilder, Key, Query, Retry, Tx};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

pub const REBUILD_ENTITY: &str = "BooksRebuild";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RebuildStatus {
    Requested,
    Running,
    Done,
    Failed,
}

/// The org's last rebuild: `GET …/books/rebuild`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rebuild {
    pub status: RebuildStatus,
    pub requested_at: DateTime<Utc>,
    pub requested_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// How many entries were re-posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<u64>,
    /// The chain's last hash after the rebuild, and before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_hash: Option<bool>,
    /// Why it failed (nothing was deleted then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `POST …/books:rebuild` body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RebuildRequest {
    /// Kept in the audit log and the event.
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub reason: Option<String>,
}

impl crate::validation::Validate for RebuildRequest {
    fn validate(&self) -> Vec<crate::FieldError> {
        let mut e = Vec::new();
        crate::validation::check_opt_text(&mut e, "reason", self.reason.as_deref(), 500);
        e
    }
}

fn under_way(r: &Option<Rebuild>) -> bool {
    r.as_ref().is_some_and(|r| matches!(r.status, RebuildStatus::Requested | RebuildStatus::Running))
}

/// Queues a rebuild (owner only; audited); 409 while one is under way.
pub async fn request(cx: &Ctx<'_>, input: RebuildRequest) -> Result<Rebuild> {
    let read = || async { Ok::<_, Error>(cx.db.get_as::<Rebuild>(&keys::books_rebuild(cx.scope)).await?) };
    let decide = |current: &Option<Rebuild>| {
        if under_way(current) {
            return Err(Error::Conflict("a rebuild of the books is already under way".into()));
        }
        let r = Rebuild {
            status: RebuildStatus::Requested,
            requested_at: cx.now,
            requested_by: cx.scope.actor_id().to_owned(),
            reason: input.reason.clone(),
            finished_at: None,
            entries: None,
            hash: None,
            previous_hash: None,
            same_hash: None,
            error: None,
        };
        let mut tx = Tx::new();
        let cond = match current {
            None => db::Expr::not_exists(),
            Some(c) => db::Expr::new("#s = :s").name("#s", "status").value(":s", db::s(status_name(c.status))),
        };
        tx.put(ItemBuilder::new(REBUILD_ENTITY, &keys::books_rebuild(cx.scope), &r).build(), Some(cond));
        let org = cx.scope.org_id();
        events::emit(&mut tx, cx.scope, &BooksRebuildRequested { org_id: org.clone(), reason: r.reason.clone() });
        let after = serde_json::to_value(&r).expect("rebuilds serialize");
        audit(&mut tx, cx, "books.rebuild_requested", ("books", org.as_str()), None, Some(after));
        tx.guard_membership(cx.scope);
        Ok(Decision::Commit(tx, r))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

fn status_name(s: RebuildStatus) -> &'static str {
    match s {
        RebuildStatus::Requested => "requested",
        RebuildStatus::Running => "running",
        RebuildStatus::Done => "done",
        RebuildStatus::Failed => "failed",
    }
}

/// The last rebuild, or 404 when there was none.
pub async fn last(cx: &Ctx<'_>) -> Result<Rebuild> {
    cx.db.get_as::<Rebuild>(&keys::books_rebuild(cx.scope)).await?.ok_or(Error::NotFound("rebuild"))
}

/// Runs the requested rebuild (see the module docs). A source that no longer yields its entry
/// fails the rebuild, recorded, with the journal untouched; a store error is returned so the
/// message is retried (the steps are idempotent).
pub async fn run(cx: &Ctx<'_>) -> Result<()> {
    let Some(mut r) = cx.db.get_as::<Rebuild>(&keys::books_rebuild(cx.scope)).await? else { return Ok(()) };
    if !under_way(&Some(r.clone())) {
        return Ok(()); // a redelivered request that already ran
    }
    let locked = lock(cx, &mut r).await?;
    let rows = source_rows(cx).await?;
    let entries = match derive(cx, &rows).await? {
        Ok(entries) => entries,
        Err(why) => return finish(cx, r, &locked, Err(why)).await,
    };
    delete_journal(cx, &locked.0, &entries).await?;
    write_entries(cx, &entries).await?;
    finish(cx, r, &locked, Ok(&entries)).await
}

/// Marks the head `rebuilding` and the rebuild `running` (keeping the hash it started from).
async fn lock(cx: &Ctx<'_>, r: &mut Rebuild) -> Result<(Head, i64)> {
    let read = || async { read_head(cx).await };
    let decide = |head: &Option<(Head, i64)>| {
        let mut after =
            head.as_ref().map(|(h, _)| h.clone()).unwrap_or(Head { hash: ZERO_HASH.into(), ..Head::default() });
        let mut rec = r.clone();
        if rec.status == RebuildStatus::Requested {
            rec.status = RebuildStatus::Running;
            rec.previous_hash = head.as_ref().map(|(h, _)| h.hash.clone()).filter(|h| h != ZERO_HASH);
        }
        let mut tx = Tx::new();
        if !after.rebuilding {
            after.rebuilding = true;
            write_head(&mut tx, cx, head, &after);
        }
        tx.put(ItemBuilder::new(REBUILD_ENTITY, &keys::books_rebuild(cx.scope), &rec).build(), None);
        let v = head.as_ref().map_or(0, |(_, v)| *v) + i64::from(!head.as_ref().is_some_and(|(h, _)| h.rebuilding));
        Ok::<_, Error>(Decision::Commit(tx, (after, v, rec)))
    };
    let (head, v, rec) = cx.db.commit_loop(Retry::CONTENDED, read, decide).await?;
    *r = rec;
    Ok((head, v))
}

/// The source log in `seq` order.
async fn source_rows(cx: &Ctx<'_>) -> Result<Vec<SourceRow>> {
    let q = Query::partition(db::Index::Primary, keys::books_sources(cx.scope)).consistent();
    let items = cx.db.query_all(q).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

/// Every entry derived again from its row and chained in order; `Err(why)` when a row does not
/// follow the one before it or its source no longer yields its entry.
async fn derive(cx: &Ctx<'_>, rows: &[SourceRow]) -> Result<std::result::Result<Vec<EntryRecord>, String>> {
    let mut assets = BTreeMap::new();
    let mut out: Vec<EntryRecord> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if row.seq != i as u64 + 1 {
            return Ok(Err(format!("the source log has no entry {} (it goes on at {})", i + 1, row.seq)));
        }
        let Some(draft) = draft_of(cx, row, &mut assets).await? else {
            return Ok(Err(format!("entry {}: its source no longer yields {}", row.seq, row.key)));
        };
        let prev = out.last().map_or(ZERO_HASH, |e| e.hash.as_str());
        let at = (row.posted_at, row.posted_by.as_str());
        match chain(cx.scope.org_id(), &draft, (row.seq, prev), row.date, at) {
            Ok(e) => out.push(e),
            Err(e) => return Ok(Err(format!("entry {}: {e}", row.seq))),
        }
    }
    Ok(Ok(out))
}

async fn draft_of(
    cx: &Ctx<'_>,
    row: &SourceRow,
    assets: &mut BTreeMap<String, Option<super::assets::FixedAssetRecord>>,
) -> Result<Option<Draft>> {
    Ok(match &row.provenance {
        Provenance::Event { event, tag } => drafts_of(event, tag).into_iter().find(|d| d.key == row.key),
        Provenance::Manual { draft } => Some((**draft).clone()).filter(|d| d.key == row.key),
        Provenance::Depreciation { asset_id, date, minor } => {
            if !assets.contains_key(asset_id.as_str()) {
                let a = cx.db.get_as(&keys::fixed_asset(cx.scope, asset_id)).await?;
                assets.insert(asset_id.to_string(), a);
            }
            let asset = assets[asset_id.as_str()].as_ref();
            asset.map(|a| super::assets::draft(a, *date, *minor, a.cost.currency)).filter(|d| d.key == row.key)
        }
    })
}

/// Deletes every entry, id marker and register posting of the org's journal (the source log,
/// the head and the periods stay).
async fn delete_journal(cx: &Ctx<'_>, head: &Head, new: &[EntryRecord]) -> Result<()> {
    let all = |pk: String| Query::partition(db::Index::Primary, pk).consistent();
    let old: Vec<EntryRecord> = cx
        .db
        .query_all(all(keys::journal_partition(cx.scope)))
        .await?
        .into_iter()
        .map(db::from_item)
        .collect::<std::result::Result<_, _>>()?;
    let mut doomed: Vec<Key> = old.iter().map(|e| keys::journal_entry(cx.scope, e.seq)).collect();
    let markers = cx.db.query_all(all(keys::journal_ids(cx.scope))).await?;
    doomed.extend(markers.iter().filter_map(Key::of_item));
    let (codes, years) = registers(cx, head, old.iter().chain(new)).await?;
    for code in &codes {
        for year in years.clone() {
            let postings = cx.db.query_all(all(keys::account_postings(cx.scope, code, year))).await?;
            doomed.extend(postings.iter().filter_map(Key::of_item));
        }
    }
    for chunk in doomed.chunks(100) {
        let mut tx = Tx::new();
        for k in chunk {
            tx.delete(k.clone(), None);
        }
        cx.db.transact(tx).await?;
    }
    Ok(())
}

/// The account codes and years the registers may hold postings under.
async fn registers<'a>(
    cx: &Ctx<'_>,
    head: &Head,
    entries: impl Iterator<Item = &'a EntryRecord>,
) -> Result<(BTreeSet<String>, std::ops::RangeInclusive<i32>)> {
    let mut codes: BTreeSet<String> = super::accounts::chart(cx).await?.into_keys().collect();
    let this_year = cx.now.date_naive().year();
    let (mut lo, mut hi) = (head.first_year.unwrap_or(this_year), this_year);
    for e in entries {
        codes.extend(e.lines.iter().map(|l| l.code.clone()));
        (lo, hi) = (lo.min(e.date.year()), hi.max(e.date.year()));
    }
    Ok((codes, lo..=hi))
}

/// The derived entries, as many per transaction as fit.
async fn write_entries(cx: &Ctx<'_>, entries: &[EntryRecord]) -> Result<()> {
    let mut tx = Tx::new();
    for e in entries {
        if tx.len() + entry_items(e) > 100 {
            cx.db.transact(std::mem::take(&mut tx)).await?;
        }
        write_entry(&mut tx, cx, e);
    }
    if !tx.is_empty() {
        cx.db.transact(tx).await?;
    }
    Ok(())
}

/// The head unmarked (advanced to the last derived entry when it succeeded), the outcome, and
/// `books.rebuilt` on success, in one transaction conditioned on the locked head.
async fn finish(
    cx: &Ctx<'_>,
    mut r: Rebuild,
    (locked, v): &(Head, i64),
    outcome: std::result::Result<&[EntryRecord], String>,
) -> Result<()> {
    let mut head = Head { rebuilding: false, ..locked.clone() };
    let mut tx = Tx::new();
    r.finished_at = Some(cx.now);
    match outcome {
        Ok(entries) => {
            let last = entries.last();
            head.seq = last.map_or(0, |e| e.seq);
            head.hash = last.map_or(ZERO_HASH.to_owned(), |e| e.hash.clone());
            head.first_year = entries.iter().map(|e| e.date.year()).min();
            r.status = RebuildStatus::Done;
            r.entries = Some(head.seq);
            r.same_hash = Some(r.previous_hash.as_deref() == last.map(|e| e.hash.as_str()));
            r.hash = Some(head.hash.clone());
            let done = BooksRebuilt {
                org_id: cx.scope.org_id().clone(),
                entries: head.seq,
                hash: head.hash.clone(),
                previous_hash: r.previous_hash.clone(),
                same_hash: r.same_hash == Some(true),
            };
            events::emit(&mut tx, cx.scope, &done);
        }
        Err(why) => {
            tracing::warn!(error = why, "the books could not be rebuilt; the journal was left as it was");
            r.status = RebuildStatus::Failed;
            r.error = Some(why);
        }
    }
    write_head(&mut tx, cx, &Some((locked.clone(), *v)), &head);
    tx.put(ItemBuilder::new(REBUILD_ENTITY, &keys::books_rebuild(cx.scope), &r).build(), None);
    cx.db.transact(tx).await?;
    Ok(())
}

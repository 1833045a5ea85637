//! The poster: a draft becomes the org's next journal entry. One transaction writes the entry
//! under its `seq`, the entry's id marker (so a source posts once), the books' head advanced
//! under a condition on the `seq` and periods it was decided on, one posting per line (the
//! registers) and `journal.posted`. A lost race re-reads and re-decides, so concurrent posters
//! never leave a gap or a fork in the chain.

use super::journal::chain_hash;
use super::model::*;
use super::posting::Draft;
use super::sources::{Provenance, SourceRow, SOURCE_ENTITY};
use crate::events;
use crate::ids::{AccountId, JournalEntryId, OrgId};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, DbError, Decision, Expr, ItemBuilder, Query, Retry, Tx};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::BTreeSet;

/// The most lines one entry may have (one transaction also writes the entry, its marker, its
/// source row, the head, its event and a membership guard).
pub const MAX_LINES: usize = 90;

/// What posting a draft did.
#[derive(Debug, Clone)]
pub enum Posted {
    New(Box<EntryRecord>),
    /// Its source was posted before (a redelivered event): nothing was written.
    Already(JournalEntryId),
}

/// Who posts: the poster for events (a closed month moves the posting to the first open day)
/// or a person (a closed month refuses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Automatic,
    Manual,
}

struct State {
    head: Option<(Head, i64)>,
    posted: bool,
    closed: BTreeSet<String>,
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("the first of a month exists")
}

/// The day an entry dated `date` lands on: its own, or the first day of the first open month
/// after it when its month is closed.
pub fn landing(closed: &BTreeSet<String>, date: NaiveDate) -> NaiveDate {
    let mut d = date;
    while closed.contains(&month(d)) {
        d = first_of_next_month(d);
    }
    d
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

pub async fn read_closed(cx: &Ctx<'_>) -> Result<BTreeSet<String>> {
    let (pk, prefix) = keys::periods(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix).consistent()).await?;
    let mut closed = BTreeSet::new();
    for item in items {
        let p: Period = db::from_item(item)?;
        if p.status == PeriodStatus::Closed {
            closed.insert(p.month);
        }
    }
    Ok(closed)
}

pub async fn read_head(cx: &Ctx<'_>) -> Result<Option<(Head, i64)>> {
    let Some(item) = cx.db.get(&keys::books_head(cx.scope)).await? else { return Ok(None) };
    let v = item.get("v").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok()).unwrap_or(1);
    Ok(Some((db::from_item(item)?, v)))
}

/// The head written with a posting (or a period change): conditioned on the one read.
pub fn write_head(tx: &mut Tx, cx: &Ctx<'_>, before: &Option<(Head, i64)>, after: &Head) {
    let v = before.as_ref().map_or(0, |(_, v)| *v);
    let item = ItemBuilder::new(HEAD_ENTITY, &keys::books_head(cx.scope), after).version(v + 1).build();
    let cond = match before {
        None => Expr::not_exists(),
        Some(_) => Expr::new("#v = :v").name("#v", "v").value(":v", n(v)),
    };
    tx.put(item, Some(cond));
}

/// Posts `draft` as the org's next entry (see the module docs); `from` is what the source log
/// keeps so a rebuild can derive it again.
pub async fn post(cx: &Ctx<'_>, draft: &Draft, origin: Origin, by: &str, from: &Provenance) -> Result<Posted> {
    let id = JournalEntryId::of(cx.scope.org_id(), &draft.key);
    let read = || async {
        let (head, marker) = (read_head(cx).await?, cx.db.get(&keys::journal_id(cx.scope, &id)).await?);
        Ok::<_, Error>(State { head, posted: marker.is_some(), closed: read_closed(cx).await? })
    };
    let decide = |s: &State| decide(cx, s, draft, &id, origin, (by, from));
    let out = cx.db.commit_loop(Retry::CONTENDED, read, decide).await;
    match out {
        // The marker is created, never overwritten: someone posted this source meanwhile.
        Err(Error::Store(DbError::AlreadyExists)) => Ok(Posted::Already(id)),
        other => other,
    }
}

fn decide(
    cx: &Ctx<'_>,
    s: &State,
    draft: &Draft,
    id: &JournalEntryId,
    origin: Origin,
    (by, from): (&str, &Provenance),
) -> Result<Decision<Posted>> {
    if s.posted {
        return Ok(Decision::Done(Posted::Already(id.clone())));
    }
    if s.head.as_ref().is_some_and(|(h, _)| h.rebuilding) {
        return Err(Error::Conflict("the books are being rebuilt; try again in a minute".into()));
    }
    let date = landing(&s.closed, draft.date);
    if date != draft.date && origin == Origin::Manual {
        return Err(Error::Conflict(format!("{} is closed; reopen it or date the entry later", month(draft.date))));
    }
    let prev = s.head.as_ref().map(|(h, _)| h.clone()).unwrap_or(Head { hash: ZERO_HASH.into(), ..Head::default() });
    let entry = chain(cx.scope.org_id(), draft, (prev.seq + 1, &prev.hash), date, (cx.now, by))?;
    let mut tx = Tx::new();
    write_entry(&mut tx, cx, &entry);
    let row = SourceRow {
        seq: entry.seq,
        key: entry.key.clone(),
        date,
        posted_at: cx.now,
        posted_by: by.to_owned(),
        provenance: from.clone(),
    };
    tx.put(
        ItemBuilder::new(SOURCE_ENTITY, &keys::books_source(cx.scope, entry.seq), &row).build(),
        Some(Expr::not_exists()),
    );
    emit_posted(&mut tx, cx, &entry);
    let first_year = Some(prev.first_year.map_or(date.year(), |y| y.min(date.year())));
    let head = Head { seq: entry.seq, hash: entry.hash.clone(), first_year, ..prev };
    write_head(&mut tx, cx, &s.head, &head);
    if origin == Origin::Manual {
        tx.guard_membership(cx.scope);
    }
    Ok(Decision::Commit(tx, Posted::New(Box::new(entry))))
}

/// The entry `draft` becomes as number `seq` after the entry hashed `prev_hash`, landed on
/// `date` (its own, or the first open day after a closed month).
pub fn chain(
    org: &OrgId,
    draft: &Draft,
    (seq, prev_hash): (u64, &str),
    date: NaiveDate,
    (at, by): (DateTime<Utc>, &str),
) -> Result<EntryRecord> {
    let lines: Vec<LineRecord> = draft
        .legs
        .iter()
        .map(|l| LineRecord {
            account_id: AccountId::of(org, &l.account),
            code: l.account.clone(),
            currency: l.currency,
            minor: l.minor,
            building_id: l.tag.building_id.clone(),
            unit_id: l.tag.unit_id.clone(),
            base: l.base,
            of: l.tag.of.clone(),
        })
        .collect();
    if lines.len() > MAX_LINES {
        return Err(Error::invalid("lines", format!("an entry has at most {MAX_LINES} lines")));
    }
    let mut entry = EntryRecord {
        id: JournalEntryId::of(org, &draft.key),
        seq,
        key: draft.key.clone(),
        source: draft.source.clone(),
        date,
        original_date: (date != draft.date).then_some(draft.date),
        memo: draft.memo.clone(),
        lines,
        prev_hash: prev_hash.to_owned(),
        hash: String::new(),
        posted_at: at,
        posted_by: by.to_owned(),
    };
    let prev_bytes = unhex(prev_hash).unwrap_or([0; 32]);
    entry.hash = hex(&chain_hash(&prev_bytes, &entry.canonical()));
    Ok(entry)
}

/// The entry, its id marker and its postings (the registers).
pub fn write_entry(tx: &mut Tx, cx: &Ctx<'_>, e: &EntryRecord) {
    tx.put(ItemBuilder::new(ENTRY_ENTITY, &keys::journal_entry(cx.scope, e.seq), e).build(), Some(Expr::not_exists()));
    let marker = serde_json::json!({"entryId": e.id, "seq": e.seq});
    tx.create(ItemBuilder::new(ENTRY_ID_ENTITY, &keys::journal_id(cx.scope, &e.id), &marker).build());
    for (i, l) in e.lines.iter().enumerate() {
        let p = PostingRecord {
            entry_id: e.id.clone(),
            seq: e.seq,
            date: e.date,
            memo: e.memo.clone(),
            currency: l.currency,
            minor: l.minor,
            building_id: l.building_id.clone(),
            unit_id: l.unit_id.clone(),
            base: l.base,
        };
        tx.put(
            ItemBuilder::new(POSTING_ENTITY, &keys::account_posting(cx.scope, &l.code, e.date, e.seq, i), &p).build(),
            None,
        );
    }
}

/// The number of items `write_entry` writes for `e`.
pub fn entry_items(e: &EntryRecord) -> usize {
    2 + e.lines.len()
}

fn emit_posted(tx: &mut Tx, cx: &Ctx<'_>, e: &EntryRecord) {
    let posted = super::events::JournalPosted {
        entry_id: e.id.clone(),
        seq: e.seq,
        date: e.date,
        original_date: e.original_date,
        source: e.source.clone(),
        hash: e.hash.clone(),
    };
    events::emit(tx, cx.scope, &posted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_month_moves_automatic_postings_to_the_first_open_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let closed: BTreeSet<String> = ["2026-01".to_owned(), "2026-02".to_owned(), "2026-12".to_owned()].into();
        assert_eq!(landing(&closed, d("2026-01-15")), d("2026-03-01"));
        assert_eq!(landing(&closed, d("2026-03-15")), d("2026-03-15"));
        assert_eq!(landing(&closed, d("2026-12-31")), d("2027-01-01"));
    }

    #[test]
    fn hashes_round_trip_through_hex() {
        let h = chain_hash(&[0; 32], b"entry");
        assert_eq!(unhex(&hex(&h)), Some(h));
        assert_eq!(unhex("zz"), None);
    }
}

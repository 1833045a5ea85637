//! Reading the books: the journal, one entry, the trial balance as of a day, an account's
//! register with running balances, and the verification of the hash chain.

use super::accounts::{chart, find};
use super::journal::chain_hash;
use super::model::*;
use super::poster::{hex, unhex};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, PageOf, PageRequest, Query};
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Every entry in `seq` order (one paged Query of the journal partition).
pub async fn all_entries(cx: &Ctx<'_>) -> Result<Vec<EntryRecord>> {
    let q = Query::partition(db::Index::Primary, keys::journal_partition(cx.scope)).consistent();
    let items = cx.db.query_all(q).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

/// Journal filters (`from`, `to`, `accountId`, `source` type).
#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub account_id: Option<String>,
    pub source: Option<String>,
}

impl JournalFilter {
    fn keeps(&self, e: &EntryRecord) -> bool {
        self.from.is_none_or(|f| e.date >= f)
            && self.to.is_none_or(|t| e.date <= t)
            && self.source.as_ref().is_none_or(|s| &e.source.type_ == s)
            && self.account_id.as_ref().is_none_or(|a| e.lines.iter().any(|l| l.account_id.as_str() == a))
    }
}

/// Entries newest first. Filters apply within each page read, so a page may hold fewer than
/// `limit` entries while `nextCursor` still leads on.
pub async fn list_journal(cx: &Ctx<'_>, filter: &JournalFilter, page: PageRequest) -> Result<PageOf<JournalEntry>> {
    let q = Query::partition(db::Index::Primary, keys::journal_partition(cx.scope)).descending();
    let got: PageOf<EntryRecord> = cx.db.page_of(q, page).await?;
    let items = got.items.into_iter().filter(|e| filter.keeps(e)).map(JournalEntry::from).collect();
    Ok(PageOf { items, last_key: got.last_key })
}

pub async fn get_entry(cx: &Ctx<'_>, id: &str) -> Result<JournalEntry> {
    let id = crate::ids::JournalEntryId::parse(id).ok_or(Error::NotFound("journal entry"))?;
    let marker = cx.db.get(&keys::journal_id(cx.scope, &id)).await?.ok_or(Error::NotFound("journal entry"))?;
    let seq = marker.get("seq").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    let entry: EntryRecord =
        cx.db.get_as(&keys::journal_entry(cx.scope, seq)).await?.ok_or(Error::NotFound("journal entry"))?;
    Ok(entry.into())
}

fn totals(sums: &BTreeMap<(String, String), (Currency, i64)>) -> Vec<CurrencyTotals> {
    let mut per: BTreeMap<String, (Currency, i64, i64)> = BTreeMap::new();
    for ((_, c), (currency, minor)) in sums {
        let t = per.entry(c.clone()).or_insert((*currency, 0, 0));
        if *minor > 0 {
            t.1 += minor;
        } else {
            t.2 -= minor;
        }
    }
    per.into_iter()
        .map(|(c, (currency, d, cr))| CurrencyTotals {
            currency: c,
            debits: Money::new(d, currency).into(),
            credits: Money::new(cr, currency).into(),
        })
        .collect()
}

/// Net debit per (account code, currency) of `entries` dated on or before `as_of`.
pub fn balances(entries: &[EntryRecord], as_of: NaiveDate) -> BTreeMap<(String, String), (Currency, i64)> {
    let mut sums: BTreeMap<(String, String), (Currency, i64)> = BTreeMap::new();
    for l in entries.iter().filter(|e| e.date <= as_of).flat_map(|e| &e.lines) {
        sums.entry((l.code.clone(), l.currency.code().to_owned())).or_insert((l.currency, 0)).1 += l.minor;
    }
    sums.retain(|_, (_, v)| *v != 0);
    sums
}

/// Net debit in the base currency per (account code, currency) of `entries` dated on or before
/// `as_of`: a base-currency line counts as it is, a foreign one at its stored base amount;
/// `None` when a foreign line had none.
pub fn base_balances(
    entries: &[EntryRecord],
    as_of: NaiveDate,
    base: Currency,
) -> BTreeMap<(String, String), Option<i64>> {
    let mut sums: BTreeMap<(String, String), Option<i64>> = BTreeMap::new();
    for l in entries.iter().filter(|e| e.date <= as_of).flat_map(|e| &e.lines) {
        let worth = match l.base {
            _ if l.currency == base => Some(l.minor),
            Some(b) if b.currency == base => Some(b.minor),
            _ => None,
        };
        let sum = sums.entry((l.code.clone(), l.currency.code().to_owned())).or_insert(Some(0));
        *sum = sum.zip(worth).map(|(s, w)| s + w);
    }
    sums
}

pub async fn trial_balance(cx: &Ctx<'_>, as_of: NaiveDate) -> Result<TrialBalance> {
    let (chart, entries) = (chart(cx).await?, all_entries(cx).await?);
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    let sums = balances(&entries, as_of);
    let bases = base_balances(&entries, as_of, base);
    let (mut accounts, mut unvalued, mut base_sums) = (Vec::new(), Vec::new(), (0i64, 0i64));
    for ((code, cur), b) in &bases {
        let (currency, minor) = sums.get(&(code.clone(), cur.clone())).copied().unwrap_or((base, 0));
        if minor == 0 && b.unwrap_or(0) == 0 {
            continue;
        }
        match b {
            Some(v) if *v > 0 => base_sums.0 += v,
            Some(v) => base_sums.1 -= v,
            None => unvalued.push(format!("{code} {cur}")),
        }
        let a = chart.get(code);
        let m = |v: i64| Some(MoneyDto::from(Money::new(v, currency)));
        let (base_debit, base_credit) = sides(b.map(|v| Money::new(v, base)));
        accounts.push(TrialBalanceRow {
            account_id: a.map_or_else(|| crate::ids::AccountId::of(cx.scope.org_id(), code), |a| a.id.clone()),
            code: code.clone(),
            name: a.map_or_else(|| code.clone(), |a| a.name.clone()),
            type_: a.map_or(super::chart::AccountType::Asset, |a| a.type_),
            debit: if minor > 0 { m(minor) } else { None },
            credit: if minor < 0 { m(-minor) } else { None },
            base_debit,
            base_credit,
        });
    }
    let totals = totals(&sums);
    let balanced = totals.iter().all(|t| t.debits == t.credits);
    let base_totals = CurrencyTotals {
        currency: base.code().to_owned(),
        debits: Money::new(base_sums.0, base).into(),
        credits: Money::new(base_sums.1, base).into(),
    };
    let base_balanced = base_sums.0 == base_sums.1;
    Ok(TrialBalance { as_of, accounts, totals, balanced, base_totals, base_balanced, unvalued })
}

/// Recomputes the chain from the first entry: each entry's `seq` follows the last, its
/// `prevHash` is the last hash, its hash is SHA-256(prev ‖ canonical entry), its lines balance.
pub fn verify_entries(entries: &[EntryRecord], head_seq: u64) -> Verification {
    let mut prev = [0u8; 32];
    let mut first_break = None;
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        let reason = if e.seq != expected_seq {
            Some(format!("entry {expected_seq} is missing"))
        } else if unhex(&e.prev_hash) != Some(prev) {
            Some("prevHash is not the previous entry's hash".to_owned())
        } else if hex(&chain_hash(&prev, &e.canonical())) != e.hash {
            Some("the entry does not match its hash (edited after posting)".to_owned())
        } else if !balanced(e) {
            Some("debits and credits differ".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            first_break = Some(Break { seq: expected_seq, id: Some(e.id.clone()), reason });
            break;
        }
        prev = unhex(&e.hash).unwrap_or([0; 32]);
    }
    // The head is read before the entries: more entries than it says were posted meanwhile;
    // fewer means entries at the end are gone.
    if first_break.is_none() && head_seq > entries.len() as u64 {
        let reason = format!("the books' head is at {head_seq} but {} entries are stored", entries.len());
        first_break = Some(Break { seq: entries.len() as u64 + 1, id: None, reason });
    }
    let sums = balances(entries, NaiveDate::MAX);
    Verification { entries: entries.len() as u64, ok: first_break.is_none(), first_break, totals: totals(&sums) }
}

fn balanced(e: &EntryRecord) -> bool {
    let mut per: BTreeMap<&str, i64> = BTreeMap::new();
    for l in &e.lines {
        *per.entry(l.currency.code()).or_default() += l.minor;
    }
    // Base amounts (kept for foreign lines, realized FX included) balance too.
    let base: i64 = e.lines.iter().filter_map(|l| l.base.map(|b| b.minor)).sum();
    e.lines.len() >= 2 && per.values().all(|v| *v == 0) && base == 0
}

pub async fn verify(cx: &Ctx<'_>) -> Result<Verification> {
    let head = super::poster::read_head(cx).await?.map_or(0, |(h, _)| h.seq);
    Ok(verify_entries(&all_entries(cx).await?, head))
}

/// An account's postings from `from` to `to` with running balances per currency.
pub async fn register(
    cx: &Ctx<'_>,
    account_id: &str,
    from: Option<NaiveDate>,
    to: NaiveDate,
    building: Option<&str>,
) -> Result<Register> {
    let chart = chart(cx).await?;
    let a = find(&chart, account_id).cloned().ok_or(Error::NotFound("account"))?;
    let head = super::poster::read_head(cx).await?.map(|(h, _)| h);
    let first_year = head.and_then(|h| h.first_year).unwrap_or(to.year());
    let sign = if a.type_.debit_normal() { 1 } else { -1 };
    let mut running: BTreeMap<String, (Currency, i64)> = BTreeMap::new();
    let mut opening = BTreeMap::new();
    let mut items = Vec::new();
    for year in first_year..=to.year() {
        let q = Query::partition(db::Index::Primary, keys::account_postings(cx.scope, &a.code, year));
        for item in cx.db.query_all(q).await? {
            let p: PostingRecord = db::from_item(item)?;
            if p.date > to || building.is_some_and(|b| p.building_id.as_deref() != Some(b)) {
                continue;
            }
            let r = running.entry(p.currency.code().to_owned()).or_insert((p.currency, 0));
            r.1 += sign * p.minor;
            if from.is_some_and(|f| p.date < f) {
                opening.insert(p.currency.code().to_owned(), *r);
                continue;
            }
            let m = |v: i64| Some(MoneyDto::from(Money::new(v, p.currency)));
            items.push(RegisterRow {
                date: p.date,
                entry_id: p.entry_id,
                seq: p.seq,
                memo: p.memo,
                debit: if p.minor > 0 { m(p.minor) } else { None },
                credit: if p.minor < 0 { m(-p.minor) } else { None },
                balance: Money::new(r.1, p.currency).into(),
                building_id: p.building_id,
                unit_id: p.unit_id,
            });
        }
    }
    let dto = |m: &BTreeMap<String, (Currency, i64)>| m.values().map(|(c, v)| Money::new(*v, *c).into()).collect();
    Ok(Register { account_id: a.id, from, to, opening: dto(&opening), items, closing: dto(&running) })
}

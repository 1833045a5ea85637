//! `consumer-bank-sync`'s work: bring one Item's transactions in step with Plaid. It pages
//! `/transactions/sync` from the stored cursor until `has_more` is false, restarting from that
//! first cursor when Plaid answers `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`, applies the
//! run's added, modified and removed transactions, and only then stores the new cursor (a failed
//! run leaves the cursor where it was, and the next run applies the same changes again: every
//! write is an upsert by Plaid's transaction id). A posted transaction naming its pending one
//! (`pending_transaction_id`) replaces it and takes over its match. New posted transactions are
//! then matched automatically or booked by the org's rules.

use super::events::BankFeedSynced;
use super::items::{access_token, item_record, plaid_error};
use super::model::*;
use super::reconcile::{self, transaction_item, write_unmatch};
use super::rules;
use crate::integrations::plaid::client::{PlaidApi, PlaidError, SyncPage, SyncTransaction, MUTATION_DURING_PAGINATION};
use crate::money::{Currency, Money, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Expr, ItemBuilder, Tx};
use crate::platform::secrets::Secrets;
use crate::{Error, Result};
use std::collections::{HashMap, HashSet};

/// Pagination restarts before the sync gives up (and is retried from the queue).
pub const MAX_RESTARTS: u32 = 5;

/// What one pagination run collected.
#[derive(Debug, Default)]
pub struct Run {
    pub added: Vec<SyncTransaction>,
    pub modified: Vec<SyncTransaction>,
    pub removed: Vec<String>,
    pub next_cursor: String,
    pub pages: u32,
    pub restarts: u32,
}

/// Pages from `cursor` to the end, restarting on a mutation during pagination.
pub async fn collect(
    plaid: &dyn PlaidApi,
    token: &str,
    cursor: &str,
    page_size: u32,
) -> std::result::Result<Run, PlaidError> {
    let mut restarts = 0;
    'run: loop {
        let mut run = Run { restarts, ..Run::default() };
        let mut at = cursor.to_owned();
        loop {
            let page: SyncPage = match plaid.transactions_sync(token, &at, page_size).await {
                Ok(p) => p,
                Err(PlaidError::Refused { error_code, .. })
                    if error_code == MUTATION_DURING_PAGINATION && restarts < MAX_RESTARTS =>
                {
                    restarts += 1;
                    tracing::info!(
                        restarts,
                        "Plaid's data changed during pagination; restarting from the first cursor"
                    );
                    continue 'run;
                }
                Err(e) => return Err(e),
            };
            run.pages += 1;
            run.added.extend(page.added);
            run.modified.extend(page.modified);
            run.removed.extend(page.removed.into_iter().map(|r| r.transaction_id));
            at = page.next_cursor;
            if !page.has_more {
                run.next_cursor = at;
                return Ok(run);
            }
        }
    }
}

/// Plaid's amount (positive = out) as ours (positive = in), in its currency.
fn ours(t: &SyncTransaction) -> Option<StoredMoney> {
    let currency = Currency::parse(t.iso_currency_code.as_deref().unwrap_or("USD"))?;
    let m = Money::parse(t.amount.0.trim_start_matches('-'), currency).ok()?;
    let minor = if t.amount.0.starts_with('-') { m.minor } else { -m.minor };
    Some(StoredMoney { minor, currency })
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub added: u32,
    pub modified: u32,
    pub removed: u32,
    pub pages: u32,
    pub restarts: u32,
    pub matched: u32,
    pub categorized: u32,
}

/// Syncs `item_id` in pages of `page_size` (a disconnected Item is left alone).
pub async fn sync_item(
    cx: &Ctx<'_>,
    (plaid, tokens, page_size): (&dyn PlaidApi, &Secrets, u32),
    item_id: &str,
) -> Result<Option<Outcome>> {
    let item = item_record(cx, item_id).await?;
    if item.status != ItemStatus::Active {
        return Ok(None);
    }
    let Some(token) = access_token(cx, tokens, &item).await? else { return Ok(None) };
    let run = match collect(plaid, &token, &item.cursor, page_size).await {
        Ok(run) => run,
        Err(e) => {
            note_error(cx, &item, &e.to_string()).await;
            return Err(plaid_error(e, "itemId"));
        }
    };
    let mut out = Outcome { pages: run.pages, restarts: run.restarts, ..Outcome::default() };
    let fresh = apply(cx, &item, &run, &mut out).await?;
    let mut tx = Tx::new();
    let set = Expr::new("SET #c = :c, #s = :s REMOVE #e")
        .name("#c", "cursor")
        .name("#s", "lastSyncedAt")
        .name("#e", "lastSyncError")
        .value(":c", crate::platform::db::s(&run.next_cursor))
        .value(":s", crate::platform::db::s(cx.now.to_rfc3339()));
    // Another run that stored its cursor first applied the same changes: leave its cursor.
    let same = Expr::new("#c = :was AND #st = :active")
        .name("#c", "cursor")
        .name("#st", "status")
        .value(":was", crate::platform::db::s(&item.cursor))
        .value(":active", crate::platform::db::s("active"));
    tx.update(keys::plaid_item(cx.scope, item_id), set, Some(same));
    let (matched, categorized) = place(cx, fresh).await?;
    out.matched = matched;
    out.categorized = categorized;
    let event = BankFeedSynced {
        item_id: item_id.to_owned(),
        added: out.added,
        modified: out.modified,
        removed: out.removed,
        pages: out.pages,
        restarts: out.restarts,
        matched,
        categorized,
    };
    crate::events::emit(&mut tx, cx.scope, &event);
    if let Err(e) = cx.db.transact(tx).await {
        match e.failed_conditions().is_some() || e.is_conflict() {
            true => tracing::info!(item = item_id, "another sync stored its cursor first"),
            false => return Err(e.into()),
        }
    }
    Ok(Some(out))
}

async fn note_error(cx: &Ctx<'_>, item: &ItemRecord, why: &str) {
    let set = Expr::new("SET #e = :e").name("#e", "lastSyncError").value(":e", crate::platform::db::s(why));
    let mut tx = Tx::new();
    tx.update(keys::plaid_item(cx.scope, &item.item_id), set, Some(Expr::exists()));
    if let Err(e) = cx.db.transact(tx).await {
        tracing::warn!(item = %item.item_id, error = %e, "could not note the sync error");
    }
}

/// Applies a run: upserts, pending → posted replacements, removals. Answers the transactions to
/// place (new or changed, posted, unmatched).
async fn apply(cx: &Ctx<'_>, item: &ItemRecord, run: &Run, out: &mut Outcome) -> Result<Vec<TransactionRecord>> {
    let mapped: HashMap<&str, &MappedAccount> =
        item.accounts.iter().map(|a| (a.plaid_account_id.as_str(), a)).collect();
    let mut fresh = Vec::new();
    let mut replaced = HashSet::new();
    for (t, is_new) in run.added.iter().map(|t| (t, true)).chain(run.modified.iter().map(|t| (t, false))) {
        let Some(account) = mapped.get(t.account_id.as_str()) else { continue };
        let Some(amount) = ours(t) else {
            tracing::warn!(transaction = %t.transaction_id, amount = %t.amount.0, "an amount we cannot read; skipped");
            continue;
        };
        if is_new {
            out.added += 1
        } else {
            out.modified += 1
        }
        if let Some(pending) = t.pending_transaction_id.as_deref() {
            replaced.insert(pending.to_owned());
        }
        if let Some(r) = upsert(cx, item, account, t, amount).await? {
            fresh.push(r);
        }
    }
    for id in &run.removed {
        if replaced.contains(id) {
            continue;
        }
        if remove(cx, id).await? {
            out.removed += 1;
        }
    }
    Ok(fresh)
}

/// The record of Plaid's `t` as it stands now: the bank's facts, and what the org made of it
/// (status and match) kept from the record there before — or from the pending one it replaces.
fn merged(
    cx: &Ctx<'_>,
    (item, account): (&ItemRecord, &MappedAccount),
    (t, amount): (&SyncTransaction, StoredMoney),
    (existing, predecessor): (Option<&TransactionRecord>, Option<&TransactionRecord>),
) -> TransactionRecord {
    let base = existing.or(predecessor);
    let status = match base.map_or(BankStatus::Unmatched, |b| b.status) {
        // Plaid sent back one it had removed.
        BankStatus::Removed => BankStatus::Unmatched,
        s => s,
    };
    TransactionRecord {
        id: t.transaction_id.clone(),
        item_id: item.item_id.clone(),
        plaid_account_id: t.account_id.clone(),
        account_id: account.account_id.clone(),
        account_code: account.account_code.clone().unwrap_or_default(),
        date: t.date,
        amount,
        description: t.name.clone(),
        merchant_name: t.merchant_name.clone(),
        reference: t.payment_meta.as_ref().and_then(|m| m.reference_number.clone()),
        pending: t.pending,
        replaces: predecessor.map(|p| p.id.clone()).or_else(|| existing.and_then(|e| e.replaces.clone())),
        status,
        lines: base.map(|b| b.lines.clone()).unwrap_or_default(),
        matched_by: base.and_then(|b| b.matched_by.clone()),
        matched_at: base.and_then(|b| b.matched_at),
        revision: base.map_or(0, |b| b.revision),
        created_at: existing.map_or(cx.now, |e| e.created_at),
        updated_at: cx.now,
        v: existing.map_or(1, |e| e.v + 1),
    }
}

/// Writes one transaction from Plaid; answers it when it is posted and unmatched (to place).
async fn upsert(
    cx: &Ctx<'_>,
    item: &ItemRecord,
    account: &MappedAccount,
    t: &SyncTransaction,
    amount: StoredMoney,
) -> Result<Option<TransactionRecord>> {
    let existing: Option<TransactionRecord> =
        cx.db.get_as(&keys::bank_transaction(cx.scope, &t.transaction_id)).await?;
    let predecessor = match (&existing, t.pending_transaction_id.as_deref()) {
        (None, Some(p)) => cx.db.get_as::<TransactionRecord>(&keys::bank_transaction(cx.scope, p)).await?,
        _ => None,
    };
    let base = existing.as_ref().or(predecessor.as_ref());
    let mut r = merged(cx, (item, account), (t, amount), (existing.as_ref(), predecessor.as_ref()));
    let mut tx = Tx::new();
    // The money changed under a match: the match no longer holds.
    let broken = base
        .as_ref()
        .is_some_and(|b| b.status == BankStatus::Matched && (b.amount != r.amount || b.account_code != r.account_code));
    if let (true, Some(b)) = (broken, base) {
        r.status = BankStatus::Unmatched;
        r.lines.clear();
        r.matched_by = None;
        r.matched_at = None;
        reconcile::release(&mut tx, cx, b, "the bank changed the transaction");
    }
    let cond = match &existing {
        Some(e) => reconcile::at_version(e.v),
        None => Expr::not_exists(),
    };
    tx.put(transaction_item(cx, &r), Some(cond));
    if let Some(p) = &predecessor {
        // The pending one is gone; its claims now name the posted one.
        tx.delete(keys::bank_transaction(cx.scope, &p.id), Some(reconcile::at_version(p.v)));
        if !broken {
            for l in &p.lines {
                let claim = serde_json::json!({"bankTransactionId": r.id, "revision": r.revision});
                tx.put(
                    ItemBuilder::new(MATCH_ENTITY, &keys::bank_match(cx.scope, &l.kind, &l.id), &claim).build(),
                    None,
                );
            }
        }
    }
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("a bank transaction changed during the sync; it will be retried".into()),
        false => e.into(),
    })?;
    let to_place = !r.pending && r.status == BankStatus::Unmatched;
    Ok(to_place.then_some(r))
}

/// Tombstones a transaction Plaid removed (a match is undone first). False if unknown.
async fn remove(cx: &Ctx<'_>, id: &str) -> Result<bool> {
    let Some(t) = cx.db.get_as::<TransactionRecord>(&keys::bank_transaction(cx.scope, id)).await? else {
        return Ok(false);
    };
    if t.status == BankStatus::Removed {
        return Ok(false);
    }
    let mut tx = Tx::new();
    write_unmatch(&mut tx, cx, &t, BankStatus::Removed, "the bank removed the transaction");
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("a bank transaction changed during the sync; it will be retried".into()),
        false => e.into(),
    })?;
    Ok(true)
}

/// Places new posted transactions: the matcher's confident match, else the first rule that fits.
/// Answers (matched, categorized).
async fn place(cx: &Ctx<'_>, fresh: Vec<TransactionRecord>) -> Result<(u32, u32)> {
    let (Some(lo), Some(hi)) = (fresh.iter().map(|t| t.date).min(), fresh.iter().map(|t| t.date).max()) else {
        return Ok((0, 0));
    };
    let w = chrono::Duration::days(super::matching::WINDOW_DAYS);
    let mut pool = super::matching::Pool::new(reconcile::candidates(cx, lo - w, hi + w).await?);
    let rules = rules::list(cx).await?;
    let (mut matched, mut categorized) = (0, 0);
    for t in &fresh {
        let ranked = pool.rank(t);
        if let Some(best) = super::matching::confident(&ranked).cloned() {
            if reconcile::auto_match(cx, t, std::slice::from_ref(&best)).await? {
                matched += 1;
                pool.remove(&best);
                continue;
            }
        }
        if let Some(rule) = rules::first_fit(&rules, t) {
            if rules::book(cx, rule, t).await? {
                categorized += 1;
            }
        }
    }
    Ok((matched, categorized))
}

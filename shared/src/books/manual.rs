//! Manual journal entries (owners, accountants): every line names an account of the chart and
//! a debit or a credit, the entry balances per currency, and it is refused in a closed month.

use super::accounts::{chart, find};
use super::journal::{check_balanced, EntryError, Side};
use super::model::*;
use super::poster::{post, Origin, Posted, MAX_LINES};
use super::posting::{Draft, Leg, Source, Tag};
use super::sources::Provenance;
use crate::ids::{next_ulid, JournalEntryId, OrgId};
use crate::money::Money;
use crate::platform::ctx::Ctx;
use crate::{Error, FieldError, Result};

const MISSING: &str = "no such account in this org";

type Chart = std::collections::BTreeMap<String, Account>;

/// One line as a leg (debit positive), or `None` with what is wrong added to `errors`. The
/// ids' form was checked with the body (`ManualEntry::validate`).
fn leg(chart: &Chart, i: usize, l: &ManualLine, errors: &mut Vec<FieldError>) -> Option<Leg> {
    let at = |f: &str| format!("lines[{i}].{f}");
    let account = find(chart, &l.account_id);
    match account {
        None => errors.push(FieldError::new(at("accountId"), MISSING)),
        Some(a) if a.archived => errors.push(FieldError::new(at("accountId"), "the account is archived")),
        Some(_) => {}
    }
    let (dto, field, sign) = match (&l.debit, &l.credit) {
        (Some(d), None) => (d, at("debit"), 1),
        (None, Some(c)) => (c, at("credit"), -1),
        _ => {
            errors.push(FieldError::new(format!("lines[{i}]"), "needs exactly one of debit or credit"));
            return None;
        }
    };
    let m = match dto.to_money(&field) {
        Ok(m) if m.minor > 0 && m.minor <= crate::billing::model::MAX_MINOR => m,
        Ok(_) => {
            errors.push(FieldError::new(format!("{field}.amount"), "must be more than zero"));
            return None;
        }
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    if let Some(c) = account.and_then(|a| a.currency.as_deref()).filter(|c| *c != m.currency.code()) {
        errors.push(FieldError::new(format!("{field}.currency"), format!("the account holds {c}")));
    }
    let tag = Tag { building_id: l.building_id.clone(), unit_id: l.unit_id.clone(), of: None };
    let code = account.map(|a| a.code.clone()).unwrap_or_default();
    Some(Leg { account: code, currency: m.currency, minor: sign * m.minor, base: None, tag })
}

/// The draft of a manual entry, or every field that is wrong (404 when it names an account
/// this org does not have).
fn draft(chart: &Chart, input: &ManualEntry, id: ulid::Ulid) -> Result<Draft> {
    let mut errors = Vec::new();
    let memo = input.memo.trim();
    if memo.is_empty() || memo.chars().count() > 200 {
        errors.push(FieldError::new("memo", "must be 1–200 characters"));
    }
    if input.lines.len() < 2 || input.lines.len() > MAX_LINES {
        errors.push(FieldError::new("lines", format!("an entry has 2–{MAX_LINES} lines")));
    }
    let legs: Vec<Leg> = input.lines.iter().enumerate().filter_map(|(i, l)| leg(chart, i, l, &mut errors)).collect();
    if errors.is_empty() {
        let sides: Vec<Side> = legs
            .iter()
            .map(|l| match l.minor > 0 {
                true => Side::Debit(Money::new(l.minor, l.currency)),
                false => Side::Credit(Money::new(-l.minor, l.currency)),
            })
            .collect();
        if let Err(e @ EntryError::Unbalanced { .. }) = check_balanced(&sides) {
            errors.push(FieldError::new("lines", e.to_string()));
        }
    }
    if errors.iter().any(|e| e.message == MISSING) {
        return Err(Error::NotFound("account"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let source = Source { type_: "manual".into(), id: id.to_string() };
    Ok(Draft { key: draft_key(id), source, date: input.date, memo: memo.to_owned(), legs })
}

fn draft_key(id: ulid::Ulid) -> String {
    format!("manual:{id}")
}

/// The journal entry id a manual entry posted as `id` gets (`post_manual_as`).
pub fn entry_id(org: &OrgId, id: ulid::Ulid) -> JournalEntryId {
    JournalEntryId::of(org, &draft_key(id))
}

pub async fn post_manual(cx: &Ctx<'_>, input: ManualEntry) -> Result<JournalEntry> {
    match post_manual_as(cx, input, next_ulid()).await? {
        Posted::New(e) => Ok((*e).into()),
        Posted::Already(_) => Err(Error::Conflict("this entry was already posted".into())),
    }
}

/// As `post_manual`, under an id the caller derives from what the entry is (an import's rows),
/// so posting it again writes nothing and answers `Posted::Already`.
pub async fn post_manual_as(cx: &Ctx<'_>, input: ManualEntry, id: ulid::Ulid) -> Result<Posted> {
    let chart = chart(cx).await?;
    let d = draft(&chart, &input, id)?;
    let from = Provenance::Manual { draft: Box::new(d.clone()) };
    post(cx, &d, Origin::Manual, cx.scope.actor_id(), &from).await
}

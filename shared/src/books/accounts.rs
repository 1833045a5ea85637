//! The org's chart of accounts: seeded with the org (and on first use for orgs made before the
//! books existed), custom accounts classified for Schedule E, seeded ones renamed but never
//! removed or re-typed.

use super::chart::{self, check_classification, SEEDED};
use super::events::{AccountCreated, AccountUpdated};
use super::model::*;
use crate::core::audit::audit;
use crate::events;
use crate::ids::AccountId;
use crate::money::Currency;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Decision, Expr, Item, ItemBuilder, Query, Retry, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The seeded chart's items, each created only if absent (what org creation adds to its write).
pub fn chart_items(scope: &OrgScope, now: DateTime<Utc>) -> Vec<Item> {
    SEEDED.iter().map(|s| account_item(scope, &Account::seeded(scope.org_id(), s, now))).collect()
}

fn account_item(scope: &OrgScope, a: &Account) -> Item {
    ItemBuilder::new(ACCOUNT_ENTITY, &keys::account(scope, &a.code), a).build()
}

/// The org's chart by code, seeding the missing seeded accounts first (orgs made before the
/// books, or a seeded account added to the product since).
pub async fn chart(cx: &Ctx<'_>) -> Result<BTreeMap<String, Account>> {
    let read = || async {
        let (pk, prefix) = keys::accounts(cx.scope);
        let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix).consistent()).await?;
        let accounts = items.into_iter().map(db::from_item::<Account>).collect::<std::result::Result<Vec<_>, _>>()?;
        Ok::<_, Error>(accounts.into_iter().map(|a| (a.code.clone(), a)).collect::<BTreeMap<_, _>>())
    };
    let decide = |have: &BTreeMap<String, Account>| {
        let missing: Vec<_> = SEEDED.iter().filter(|s| !have.contains_key(s.code)).collect();
        if missing.is_empty() {
            return Ok(Decision::Done(have.clone()));
        }
        let mut tx = Tx::new();
        for s in missing {
            tx.put(account_item(cx.scope, &Account::seeded(cx.scope.org_id(), s, cx.now)), Some(Expr::not_exists()));
        }
        Ok::<_, Error>(Decision::Continue(tx))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}

pub async fn list_accounts(cx: &Ctx<'_>) -> Result<Vec<Account>> {
    Ok(chart(cx).await?.into_values().collect())
}

/// An account by id (`404` for an id of no account of this org).
pub fn find<'a>(chart: &'a BTreeMap<String, Account>, id: &str) -> Option<&'a Account> {
    let id = AccountId::parse(id)?;
    chart.values().find(|a| a.id == id)
}

pub async fn get_account(cx: &Ctx<'_>, id: &str) -> Result<Account> {
    find(&chart(cx).await?, id).cloned().ok_or(Error::NotFound("account"))
}

/// A named account that does not exist in this org: answered 404 (`Error::NotFound`).
const MISSING: &str = "no such account in this org";

/// 404 when a named account does not exist; 400 for every other problem.
fn refused(errors: Vec<FieldError>) -> Error {
    if errors.iter().any(|e| e.message == MISSING) {
        Error::NotFound("account")
    } else {
        Error::Invalid(errors)
    }
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("accounts serialize")
}

fn check_code(code: &str) -> Option<FieldError> {
    let ok = (1..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| FieldError::new("code", "must be 1–10 digits"))
}

fn check_name(name: &str) -> Option<FieldError> {
    let n = name.trim();
    (n.is_empty() || n.chars().count() > 200).then(|| FieldError::new("name", "must be 1–200 characters"))
}

/// The parent, when named: an account of the same type in this chart.
fn check_parent(
    chart: &BTreeMap<String, Account>,
    parent: &Option<String>,
    kind: chart::AccountType,
) -> std::result::Result<Option<AccountId>, FieldError> {
    let Some(p) = parent else { return Ok(None) };
    match find(chart, p) {
        Some(a) if a.type_ == kind => Ok(Some(a.id.clone())),
        Some(_) => Err(FieldError::new("parentId", "must be an account of the same type")),
        None => Err(FieldError::new("parentId", MISSING)),
    }
}

pub async fn create_account(cx: &Ctx<'_>, input: CreateAccount) -> Result<Account> {
    let chart = chart(cx).await?;
    let mut errors: Vec<FieldError> =
        [check_code(&input.code), check_name(&input.name)].into_iter().flatten().collect();
    match schedule_e(&input.schedule_e) {
        Ok(line) => errors.extend(check_classification(input.type_, input.subtype, line)),
        Err(e) => errors.push(e),
    }
    let currency = match &input.currency {
        Some(c) => match Currency::parse(c) {
            Some(c) => Some(c.code().to_owned()),
            None => {
                errors.push(FieldError::new("currency", "unknown ISO 4217 currency code"));
                None
            }
        },
        None => None,
    };
    let parent_id = check_parent(&chart, &input.parent_id, input.type_).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    if chart.contains_key(&input.code) {
        return Err(Error::Conflict(format!("account code {} is already used in this chart", input.code)));
    }
    let a = Account {
        id: AccountId::of(cx.scope.org_id(), &input.code),
        code: input.code,
        name: input.name.trim().to_owned(),
        type_: input.type_,
        subtype: input.subtype,
        parent_id,
        schedule_e: input.schedule_e,
        currency,
        seeded: false,
        archived: false,
        created_at: cx.now,
        updated_at: cx.now,
    };
    let mut tx = Tx::new();
    tx.create(account_item(cx.scope, &a));
    audit(&mut tx, cx, "account.created", ("account", a.id.as_str()), None, Some(json(&a)));
    let created = AccountCreated {
        account_id: a.id.clone(),
        code: a.code.clone(),
        name: a.name.clone(),
        type_: a.type_,
        schedule_e: a.schedule_e.clone(),
    };
    events::emit(&mut tx, cx.scope, &created);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e {
        db::DbError::AlreadyExists => Error::Conflict("account code already used in this chart".into()),
        other => other.into(),
    })?;
    Ok(a)
}

/// What an update changes, checked against the account as it is.
fn apply(chart: &BTreeMap<String, Account>, before: &Account, input: UpdateAccount) -> Result<Account> {
    let mut a = before.clone();
    let mut errors = Vec::new();
    if let Some(name) = input.name {
        match check_name(&name) {
            Some(e) => errors.push(e),
            None => a.name = name.trim().to_owned(),
        }
    }
    if input.parent_id.is_some() {
        match check_parent(chart, &input.parent_id, a.type_) {
            Ok(p) if p.as_ref() == Some(&a.id) => {
                errors.push(FieldError::new("parentId", "cannot be the account itself"))
            }
            Ok(p) => a.parent_id = p,
            Err(e) => errors.push(e),
        }
    }
    if let Some(line) = input.schedule_e {
        if a.seeded {
            return Err(Error::Conflict("a seeded account keeps its Schedule E line".into()));
        }
        match schedule_e(&Some(line.clone())) {
            Ok(parsed) => {
                errors.extend(check_classification(a.type_, a.subtype, parsed));
                a.schedule_e = Some(line);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(archived) = input.archived {
        if a.seeded && archived {
            return Err(Error::Conflict("seeded accounts cannot be archived; rename it instead".into()));
        }
        a.archived = archived;
    }
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    Ok(a)
}

pub async fn update_account(cx: &Ctx<'_>, id: &str, input: UpdateAccount) -> Result<Account> {
    let chart = chart(cx).await?;
    let before = find(&chart, id).cloned().ok_or(Error::NotFound("account"))?;
    let mut a = apply(&chart, &before, input)?;
    if a == before {
        return Ok(a);
    }
    a.updated_at = cx.now;
    let mut tx = Tx::new();
    let stamp = json(&before.updated_at).as_str().unwrap_or_default().to_owned();
    let cond = Expr::new("updatedAt = :u").value(":u", db::s(stamp));
    tx.put(account_item(cx.scope, &a), Some(cond));
    let (b, after) = (json(&before), json(&a));
    audit(&mut tx, cx, "account.updated", ("account", a.id.as_str()), Some(b), Some(after));
    let updated = AccountUpdated {
        account_id: a.id.clone(),
        code: a.code.clone(),
        name: a.name.clone(),
        schedule_e: a.schedule_e.clone(),
        archived: a.archived,
    };
    events::emit(&mut tx, cx.scope, &updated);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.is_conflict() || e.failed_conditions().is_some() {
        true => Error::Conflict("the account changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(a)
}

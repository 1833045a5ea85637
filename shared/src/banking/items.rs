//! The org's connected banks (Plaid Items): Link token → public token exchange → the access
//! token encrypted with KMS (bound to the org and the Item) → the Item's accounts mapped to bank
//! accounts of the chart. Two items per bank: the org's (`PLAID_ITEM#…`) and the Item's route
//! (`PLAID_ITEM#… / ROUTE`), by which Plaid's webhook — naming only the Item — finds its org.
//! Disconnecting revokes the token at Plaid and deletes the route; the transactions stay.

use super::events::{BankFeedConnected, BankFeedDisconnected};
use super::model::*;
use crate::books::chart::{AccountSubtype, AccountType};
use crate::core::audit::audit;
use crate::ids::{AccountId, OrgId};
use crate::integrations::plaid::client::{PlaidApi, PlaidError};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, s, Expr, ItemBuilder, Query, Tx};
use crate::platform::secrets::Secrets;
use crate::{Error, FieldError, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST …/integrations/plaid/link-token`'s answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkTokenAnswer {
    pub link_token: String,
    pub expiration: String,
}

/// `POST …/integrations/plaid/link-token`: nothing to say (an empty object or no body).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkTokenRequest {}

impl crate::validation::Validate for LinkTokenRequest {
    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

/// One Plaid account of the Item and the chart's bank account it is seen in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountMapping {
    #[schema(min_length = 1, max_length = 100)]
    pub plaid_account_id: String,
    pub account_id: String,
}

/// `POST …/integrations/plaid/items`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectItem {
    /// What Plaid Link returned (`public-…`); usable once.
    #[schema(min_length = 1, max_length = 200)]
    pub public_token: String,
    /// At least one; the Item's other accounts are not synced.
    #[schema(min_items = 1, max_items = 50)]
    pub accounts: Vec<AccountMapping>,
}

impl crate::validation::Validate for ConnectItem {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let token = self.public_token.trim();
        if token.is_empty() || token.len() > 200 {
            errors.push(FieldError::new("publicToken", "the public token Plaid Link returned"));
        }
        if self.accounts.is_empty() || self.accounts.len() > 50 {
            errors.push(FieldError::new("accounts", "map 1 to 50 accounts"));
        }
        for (i, a) in self.accounts.iter().enumerate() {
            if a.plaid_account_id.trim().is_empty() || a.plaid_account_id.len() > 100 {
                errors.push(FieldError::new(format!("accounts[{i}].plaidAccountId"), "a Plaid account id"));
            }
        }
        errors
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Route {
    org_id: OrgId,
}

/// Plaid's failure as the API answers it.
pub fn plaid_error(e: PlaidError, field: &str) -> Error {
    match e {
        PlaidError::Refused { error_type, message, .. } if error_type == "INVALID_INPUT" => {
            Error::invalid(field, format!("Plaid: {message}"))
        }
        PlaidError::Refused { message, .. } => Error::Conflict(format!("Plaid refused: {message}")),
        PlaidError::Unavailable { retry_after_secs } => {
            Error::Unavailable { detail: "Plaid is unavailable; no call was made".into(), retry_after_secs }
        }
        PlaidError::Failed(why) => Error::Upstream(format!("Plaid did not answer: {why}")),
    }
}

/// A Link token for the org (its Items' webhooks go to `webhook`).
pub async fn link_token(cx: &Ctx<'_>, plaid: &dyn PlaidApi, webhook: Option<&str>) -> Result<LinkTokenAnswer> {
    let t = plaid.link_token(cx.scope.org_id().as_str(), webhook).await.map_err(|e| plaid_error(e, "linkToken"))?;
    Ok(LinkTokenAnswer { link_token: t.link_token, expiration: t.expiration })
}

fn kms(what: &str, e: crate::platform::secrets::SecretsError) -> Error {
    Error::Store(db::DbError::Invalid(format!("{what} a Plaid access token: {e}")))
}

/// The encryption context of an Item's access token.
fn owner<'a>(org: &'a str, item: &'a str) -> [(&'static str, &'a str); 2] {
    [("org", org), ("item", item)]
}

/// The mapping's chart accounts: each must be an active bank account of the org.
async fn chart_accounts(cx: &Ctx<'_>, input: &ConnectItem) -> Result<Vec<(AccountId, String)>> {
    let chart = crate::books::accounts::chart(cx).await?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    if input.public_token.trim().is_empty() {
        errors.push(FieldError::new("publicToken", "required"));
    }
    if input.accounts.is_empty() {
        errors.push(FieldError::new("accounts", "map at least one account"));
    }
    for (i, m) in input.accounts.iter().enumerate() {
        let field = format!("accounts[{i}].accountId");
        match crate::books::accounts::find(&chart, &m.account_id) {
            Some(a) if a.type_ == AccountType::Asset && a.subtype == Some(AccountSubtype::Bank) && !a.archived => {
                out.push((a.id.clone(), a.code.clone()))
            }
            Some(_) => errors.push(FieldError::new(field, "must be an active bank account of the chart")),
            None => errors.push(FieldError::new(field, "no such account in this org")),
        }
        if input.accounts[..i].iter().any(|o| o.plaid_account_id == m.plaid_account_id) {
            errors.push(FieldError::new(format!("accounts[{i}].plaidAccountId"), "mapped twice"));
        }
    }
    match errors.is_empty() {
        true => Ok(out),
        false => Err(Error::Invalid(errors)),
    }
}

/// Connects a bank: exchanges the public token, checks the mapping against the Item's
/// accounts, keeps the access token encrypted, and queues the first sync (`bank_feed.connected`).
pub async fn connect(cx: &Ctx<'_>, plaid: &dyn PlaidApi, tokens: &Secrets, input: ConnectItem) -> Result<PlaidItem> {
    let chart = chart_accounts(cx, &input).await?;
    let ex = plaid.exchange_public_token(input.public_token.trim()).await.map_err(|e| plaid_error(e, "publicToken"))?;
    let result = connect_exchanged(cx, plaid, tokens, &input, chart, &ex).await;
    if result.is_err() {
        // Nothing kept: the access token must not outlive the failed connection.
        if let Err(e) = plaid.remove_item(&ex.access_token).await {
            tracing::warn!(item = %ex.item_id, error = %e, "could not remove the Item of a failed connection");
        }
    }
    result
}

async fn connect_exchanged(
    cx: &Ctx<'_>,
    plaid: &dyn PlaidApi,
    tokens: &Secrets,
    input: &ConnectItem,
    chart: Vec<(AccountId, String)>,
    ex: &crate::integrations::plaid::client::Exchanged,
) -> Result<PlaidItem> {
    let found = plaid.accounts(&ex.access_token).await.map_err(|e| plaid_error(e, "publicToken"))?;
    let mut accounts = Vec::new();
    let mut errors = Vec::new();
    for (i, (m, (id, code))) in input.accounts.iter().zip(chart).enumerate() {
        match found.accounts.iter().find(|a| a.account_id == m.plaid_account_id) {
            Some(a) => accounts.push(MappedAccount {
                plaid_account_id: a.account_id.clone(),
                account_id: id,
                account_code: Some(code),
                name: Some(a.name.clone()),
                mask: a.mask.clone(),
            }),
            None => {
                errors.push(FieldError::new(format!("accounts[{i}].plaidAccountId"), "not an account of this bank"))
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let org = cx.scope.org_id().to_string();
    let cipher = tokens.encrypt(&ex.access_token, &owner(&org, &ex.item_id)).await.map_err(|e| kms("encrypting", e))?;
    let record = ItemRecord {
        item_id: ex.item_id.clone(),
        institution_name: found.institution_name.clone(),
        accounts,
        status: ItemStatus::Active,
        access_token: Some(cipher),
        cursor: String::new(),
        last_synced_at: None,
        last_sync_error: None,
        connected_at: cx.now,
        connected_by: cx.scope.actor_id().to_owned(),
        disconnected_at: None,
        v: 1,
    };
    let mut tx = Tx::new();
    tx.put(item_of(cx, &record), Some(Expr::not_exists()));
    let route = Route { org_id: cx.scope.org_id().clone() };
    tx.put(
        ItemBuilder::new(ITEM_ROUTE_ENTITY, &keys::plaid_item_route(&record.item_id), &route).build(),
        Some(Expr::not_exists()),
    );
    let shown = PlaidItem::from(record.clone());
    audit(&mut tx, cx, "bank_feed.connected", ("bank_feed", &record.item_id), None, serde_json::to_value(&shown).ok());
    let event = BankFeedConnected {
        item_id: record.item_id.clone(),
        institution_name: record.institution_name.clone(),
        accounts: record.accounts.len() as u32,
    };
    crate::events::emit(&mut tx, cx.scope, &event);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("that bank is already connected".into()),
        false => e.into(),
    })?;
    Ok(shown)
}

pub fn item_of(cx: &Ctx<'_>, r: &ItemRecord) -> db::Item {
    ItemBuilder::new(ITEM_ENTITY, &keys::plaid_item(cx.scope, &r.item_id), r).version(r.v).build()
}

pub async fn item_record(cx: &Ctx<'_>, item_id: &str) -> Result<ItemRecord> {
    cx.db.get_as(&keys::plaid_item(cx.scope, item_id)).await?.ok_or(Error::NotFound("bank connection"))
}

pub async fn list_items(cx: &Ctx<'_>) -> Result<Vec<PlaidItem>> {
    let (pk, prefix) = keys::plaid_items(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    let records = items.into_iter().map(db::from_item::<ItemRecord>).collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(records.into_iter().map(PlaidItem::from).collect())
}

/// The Item's access token in the clear (for a sync or a disconnect).
pub async fn access_token(cx: &Ctx<'_>, tokens: &Secrets, r: &ItemRecord) -> Result<Option<String>> {
    let Some(cipher) = &r.access_token else { return Ok(None) };
    let org = cx.scope.org_id().to_string();
    let plain = tokens.decrypt(cipher, &owner(&org, &r.item_id)).await.map_err(|e| kms("decrypting", e))?;
    Ok(Some(plain))
}

/// Disconnects a bank: the access token is revoked at Plaid and forgotten, the route deleted (its
/// webhooks are ignored), every transaction and match kept. Disconnecting one already
/// disconnected answers it again.
pub async fn disconnect(cx: &Ctx<'_>, plaid: &dyn PlaidApi, tokens: &Secrets, item_id: &str) -> Result<PlaidItem> {
    let before = item_record(cx, item_id).await?;
    if before.status == ItemStatus::Disconnected {
        return Ok(before.into());
    }
    if let Some(token) = access_token(cx, tokens, &before).await? {
        match plaid.remove_item(&token).await {
            Ok(()) => {}
            // Already gone at Plaid (removed there, or by an earlier attempt).
            Err(PlaidError::Refused { error_code, .. }) if error_code == "INVALID_ACCESS_TOKEN" => {}
            Err(e) => return Err(plaid_error(e, "itemId")),
        }
    }
    let after = ItemRecord {
        status: ItemStatus::Disconnected,
        access_token: None,
        disconnected_at: Some(cx.now),
        v: before.v + 1,
        ..before.clone()
    };
    let mut tx = Tx::new();
    tx.put(item_of(cx, &after), Some(Expr::new("#v = :v").name("#v", "v").value(":v", n(before.v))));
    let ours = Expr::new("#o = :o").name("#o", "orgId").value(":o", s(cx.scope.org_id().to_string()));
    tx.delete(keys::plaid_item_route(item_id), Some(ours));
    let json = |r: &ItemRecord| serde_json::to_value(PlaidItem::from(r.clone())).ok();
    audit(&mut tx, cx, "bank_feed.disconnected", ("bank_feed", item_id), json(&before), json(&after));
    crate::events::emit(&mut tx, cx.scope, &BankFeedDisconnected { item_id: item_id.to_owned() });
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the bank connection changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(after.into())
}

/// The org an Item belongs to (for Plaid's webhooks), if it is connected.
pub async fn org_of_item(db: &crate::platform::db::Db, item_id: &str) -> Result<Option<OrgId>> {
    let route: Option<Route> = db.get_as(&keys::plaid_item_route(item_id)).await?;
    Ok(route.map(|r| r.org_id))
}

/// The daily catch-up (`job-bank-catch-up`): a sync of every active bank of the org, in case one
/// of Plaid's webhooks never reached us (the sync takes up from the stored cursor, so a sync with
/// nothing new costs one call). One `bank_feed.sync_requested` per Item, in one transaction.
pub async fn request_catch_up(cx: &Ctx<'_>) -> Result<serde_json::Value> {
    let active: Vec<PlaidItem> =
        list_items(cx).await?.into_iter().filter(|i| i.status == super::model::ItemStatus::Active).collect();
    if active.is_empty() {
        return Ok(serde_json::json!({"items": 0}));
    }
    let mut tx = Tx::new();
    for item in &active {
        let event = super::events::BankSyncRequested { item_id: item.item_id.clone(), reason: "DAILY_CATCH_UP".into() };
        crate::events::emit(&mut tx, cx.scope, &event);
    }
    cx.db.transact(tx).await?;
    Ok(serde_json::json!({"items": active.len()}))
}

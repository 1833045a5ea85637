//! The org's Stripe connection (Connect): which connected account its tenants pay into.
//!
//! Two items: the org's own (`ORG#o` / `INTEGRATION#stripe`) and the account's route
//! (`STRIPE_ACCOUNT#acct_…` / `ROUTE`), by which a webhook — signed by Stripe, carrying only the
//! account — finds its org. One account belongs to one org: connecting an account another org
//! holds is a 409. Both are written in one transaction with `stripe.connected` and an audit entry.

use super::client::{StripeApi, StripeError};
use super::events::{StripeConnected, StripeDisconnected};
use crate::core::audit::audit;
use crate::ids::OrgId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, s, Expr, ItemBuilder, Tx};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const CONNECTION_ENTITY: &str = "StripeConnection";
pub const ROUTE_ENTITY: &str = "StripeAccountRoute";

/// `PUT …/integrations/stripe`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectStripe {
    /// The connected account (`acct_…`), as Stripe Connect's onboarding returned it.
    #[schema(example = "acct_1Nv0FGQ9RKHgCVdK", pattern = "^acct_[A-Za-z0-9]{1,255}$")]
    pub account_id: String,
}

/// The org's Stripe connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StripeConnection {
    /// `connected`, or `not_connected` (then nothing else is set).
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charges_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payouts_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_by: Option<String>,
}

impl StripeConnection {
    fn none() -> StripeConnection {
        StripeConnection {
            status: "not_connected".into(),
            account_id: None,
            charges_enabled: None,
            payouts_enabled: None,
            connected_at: None,
            connected_by: None,
        }
    }
}

/// The route item's body: the org an account's events belong to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Route {
    org_id: OrgId,
}

impl crate::validation::Validate for ConnectStripe {
    fn validate(&self) -> Vec<crate::FieldError> {
        match valid_account_id(self.account_id.trim()) {
            true => Vec::new(),
            false => vec![crate::FieldError::new("accountId", "must be a Stripe account id (acct_…)")],
        }
    }
}

/// `acct_` and 1–255 letters or digits: anything else never reaches Stripe.
fn valid_account_id(id: &str) -> bool {
    id.strip_prefix("acct_")
        .is_some_and(|rest| (1..=255).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub async fn get_connection(cx: &Ctx<'_>) -> Result<StripeConnection> {
    let stored: Option<StripeConnection> = cx.db.get_as(&keys::stripe_connection(cx.scope)).await?;
    Ok(stored.unwrap_or_else(StripeConnection::none))
}

/// The org's connected account, or a 409 telling the owner to connect one.
pub async fn connected_account(cx: &Ctx<'_>) -> Result<String> {
    get_connection(cx)
        .await?
        .account_id
        .ok_or_else(|| Error::Conflict("the org has no Stripe account connected (PUT …/integrations/stripe)".into()))
}

/// A Stripe failure as the API answers it: a refusal of the account is the caller's input.
pub fn stripe_error(e: StripeError, field: &str) -> Error {
    match e {
        StripeError::Refused { status: 403 | 404, message, .. } => Error::invalid(field, format!("Stripe: {message}")),
        StripeError::Refused { message, .. } => Error::Conflict(format!("Stripe refused: {message}")),
        StripeError::Unavailable { retry_after_secs } => {
            Error::Unavailable { detail: "Stripe is unavailable; no call was made".into(), retry_after_secs }
        }
        StripeError::Failed(why) => Error::Upstream(format!("Stripe did not answer: {why}")),
    }
}

/// Connects `input.account_id` after Stripe confirms the platform can act for it. Connecting the
/// account already connected answers it again and writes nothing.
pub async fn connect(cx: &Ctx<'_>, stripe: &dyn StripeApi, input: ConnectStripe) -> Result<StripeConnection> {
    let id = input.account_id.trim().to_owned();
    if !valid_account_id(&id) {
        return Err(Error::invalid("accountId", "must be a Stripe account id (acct_…)"));
    }
    let before = get_connection(cx).await?;
    if before.account_id.as_deref() == Some(id.as_str()) {
        return Ok(before);
    }
    if before.account_id.is_some() {
        return Err(Error::Conflict("another Stripe account is connected; disconnect it first".into()));
    }
    let account = stripe.retrieve_account(&id).await.map_err(|e| stripe_error(e, "accountId"))?;
    let after = StripeConnection {
        status: "connected".into(),
        account_id: Some(account.id.clone()),
        charges_enabled: Some(account.charges_enabled),
        payouts_enabled: Some(account.payouts_enabled),
        connected_at: Some(cx.now),
        connected_by: Some(cx.scope.actor_id().to_owned()),
    };
    let mut tx = Tx::new();
    let key = keys::stripe_connection(cx.scope);
    tx.put(ItemBuilder::new(CONNECTION_ENTITY, &key, &after).build(), Some(Expr::not_exists()));
    let route = Route { org_id: cx.scope.org_id().clone() };
    tx.put(ItemBuilder::new(ROUTE_ENTITY, &keys::stripe_account_route(&id), &route).build(), Some(Expr::not_exists()));
    audit(&mut tx, cx, "stripe.connected", ("stripe_account", &id), None, serde_json::to_value(&after).ok());
    let connected = StripeConnected {
        account_id: id.clone(),
        charges_enabled: account.charges_enabled,
        payouts_enabled: account.payouts_enabled,
    };
    crate::events::emit(&mut tx, cx.scope, &connected);
    match cx.db.transact(tx).await {
        Ok(()) => Ok(after),
        Err(e) if e.failed_conditions().is_some_and(|f| f.contains(&1)) => {
            Err(Error::Conflict("that Stripe account is connected to another organization".into()))
        }
        Err(e) if e.is_conflict() => Err(Error::Conflict("a Stripe account was connected concurrently".into())),
        Err(e) => Err(e.into()),
    }
}

/// Disconnects the org's account: no new payments through it; payments and their history stay.
pub async fn disconnect(cx: &Ctx<'_>) -> Result<()> {
    let before = get_connection(cx).await?;
    let Some(id) = before.account_id.clone() else { return Err(Error::NotFound("Stripe connection")) };
    let mut tx = Tx::new();
    let same = Expr::new("#a = :a").name("#a", "accountId").value(":a", s(&id));
    tx.delete(keys::stripe_connection(cx.scope), Some(same));
    let ours = Expr::new("#o = :o").name("#o", "orgId").value(":o", s(cx.scope.org_id().to_string()));
    tx.delete(keys::stripe_account_route(&id), Some(ours));
    audit(&mut tx, cx, "stripe.disconnected", ("stripe_account", &id), serde_json::to_value(&before).ok(), None);
    crate::events::emit(&mut tx, cx.scope, &StripeDisconnected { account_id: id });
    cx.db.transact(tx).await.map_err(|e| match e.is_conflict() {
        true => Error::Conflict("the Stripe connection changed concurrently; retry".into()),
        false => e.into(),
    })
}

/// The org a connected account belongs to (for Stripe's webhooks), if any.
pub async fn org_of_account(db: &crate::platform::db::Db, account: &str) -> Result<Option<OrgId>> {
    let route: Option<Route> = db.get_as(&keys::stripe_account_route(account)).await?;
    Ok(route.map(|r| r.org_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_checked_before_stripe_is_called() {
        assert!(valid_account_id("acct_1Nv0FGQ9RKHgCVdK"));
        for bad in ["", "acct_", "1Nv0FG", "acct_1/../x", "acct_ x", "cus_123"] {
            assert!(!valid_account_id(bad), "{bad}");
        }
        assert!(!valid_account_id(&format!("acct_{}", "a".repeat(256))));
    }
}

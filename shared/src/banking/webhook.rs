//! Plaid's webhooks (`POST /webhooks/plaid`). Only a body whose `Plaid-Verification` JWT checks
//! out (`integrations::plaid::verification`) is read; the Item it names leads to its org through
//! the Item's route (a disconnected Item has none: its webhooks are ignored).
//! `SYNC_UPDATES_AVAILABLE` queues a sync (`bank_feed.sync_requested`, which the bus hands to
//! `consumer-bank-sync`); an Item error is noted on the connection for the org to see.

use super::events::BankSyncRequested;
use super::items::org_of_item;
use crate::integrations::plaid::client::PlaidApi;
use crate::integrations::plaid::verification::{KeyCache, VerifyError};
use crate::platform::db::{keys, s, Db, Expr, Tx};
use crate::platform::scope::OrgScope;
use crate::Result;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize)]
struct Body {
    webhook_type: String,
    webhook_code: String,
    #[serde(default)]
    item_id: Option<String>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// What a verified webhook did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum Outcome {
    /// A sync was queued for the Item.
    SyncQueued {
        item_id: String,
    },
    /// The Item's error was noted on its connection.
    ErrorNoted {
        item_id: String,
        code: String,
    },
    Ignored {
        reason: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Verification(#[from] VerifyError),
    #[error("the body is not a Plaid webhook: {0}")]
    Body(String),
}

/// Verifies the webhook (`header`, the raw `body`, at `now` unix seconds) and reads its body.
async fn verified(
    plaid: &dyn PlaidApi,
    keys: &KeyCache,
    header: Option<&str>,
    body: &[u8],
    now: i64,
) -> std::result::Result<Body, WebhookError> {
    keys.verify(plaid, header, body, now).await?;
    serde_json::from_slice(body).map_err(|e| WebhookError::Body(e.to_string()))
}

/// Handles one webhook: `Err(WebhookError)` is a 400 (nothing written), `Ok(Err)` a failure to
/// act on a good one (a 500).
pub async fn handle(
    db: &Db,
    plaid: &dyn PlaidApi,
    keys: &KeyCache,
    (header, body): (Option<&str>, &[u8]),
    now: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<Result<Outcome>, WebhookError> {
    let b = verified(plaid, keys, header, body, now.timestamp()).await?;
    Ok(act(db, b, now).await)
}

async fn act(db: &Db, b: Body, now: chrono::DateTime<chrono::Utc>) -> Result<Outcome> {
    let Some(item_id) = b.item_id.clone() else { return Ok(ignored("no item_id")) };
    let Some(org) = org_of_item(db, &item_id).await? else { return Ok(ignored("no org has this Item connected")) };
    let scope = OrgScope::system(org, "plaid");
    let mut tx = Tx::new();
    let outcome = match (b.webhook_type.as_str(), b.webhook_code.as_str()) {
        ("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE") => {
            let event = BankSyncRequested { item_id: item_id.clone(), reason: b.webhook_code.clone() };
            crate::events::emit(&mut tx, &scope, &event);
            Outcome::SyncQueued { item_id }
        }
        ("ITEM", "ERROR" | "PENDING_DISCONNECT" | "USER_PERMISSION_REVOKED") => {
            let code = b
                .error
                .as_ref()
                .and_then(|e| e.get("error_code"))
                .and_then(|c| c.as_str())
                .unwrap_or(b.webhook_code.as_str())
                .to_owned();
            let set =
                Expr::new("SET #e = :e").name("#e", "lastSyncError").value(":e", s(format!("{code} (Plaid, {now})")));
            tx.update(keys::plaid_item(&scope, &item_id), set, Some(Expr::exists()));
            Outcome::ErrorNoted { item_id, code }
        }
        (t, c) => return Ok(ignored(&format!("{t} {c} needs nothing"))),
    };
    db.transact(tx).await?;
    Ok(outcome)
}

fn ignored(why: &str) -> Outcome {
    Outcome::Ignored { reason: why.to_owned() }
}

//! `webhook-stripe`'s work: verify Stripe's signature, find the org by the connected account the
//! event names, and move the tenant's payment along with what Stripe says happened to its
//! PaymentIntent. Idempotent by Stripe's event id (a marker per org and event), and every effect is
//! idempotent by itself (`billing::online`), so a redelivery, a replay after a crash between the
//! effect and the marker, or events out of order all end in the same state.
//!
//! | event                         | the payment                                                   |
//! |-------------------------------|---------------------------------------------------------------|
//! | `payment_intent.processing`   | recorded **pending** (no late fee for what it covers)         |
//! | `payment_intent.succeeded`    | recorded or cleared, and allocated                            |
//! | `payment_intent.payment_failed` | reversed (waived late fees charged again); nothing if never recorded |
//! | `charge.dispute.created`      | reversed as disputed                                          |
//! | `charge.refunded` (in full)   | reversed as refunded (net of earlier partial refunds)         |
//! | `charge.refunded` (in part)   | refunded in part: out of its unapplied credit, then its latest charges |
//! | `payout.paid`                 | the payout recorded for the books (`payouts`)                 |
//!
//! The intent's progress is kept on our record of it (`IntentRecord::status`), so a late
//! `processing` after `succeeded` or `payment_failed` changes nothing.

use super::client::StripeApi;
use super::payment_intents::{self, IntentRecord, IntentStatus};
use super::signature::{self, SignatureError};
use crate::billing::model::{PaymentMethod, Processor};
use crate::billing::online::{self, ProcessorPayment};
use crate::ids::OrgId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Db, Expr, ItemBuilder};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const EVENT_ENTITY: &str = "StripeEventHandled";
/// Stripe retries a delivery for up to three days; the marker outlives that.
const MARKER_RETENTION_SECS: i64 = 30 * 24 * 3600;

/// A Stripe event whose signature checked out. Only `verify` makes one, so an org scope can be
/// derived from it (`scope`) the way one is from our own queues: what Stripe signed, for an
/// account our table routes to an org.
#[derive(Debug, Clone)]
pub struct VerifiedEvent {
    pub id: String,
    pub type_: String,
    pub account: Option<String>,
    pub created: DateTime<Utc>,
    pub object: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the body is not a Stripe event: {0}")]
    Body(String),
}

#[derive(Deserialize)]
struct Envelope {
    id: String,
    #[serde(rename = "type")]
    type_: String,
    #[serde(default)]
    account: Option<String>,
    created: i64,
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    object: Value,
}

/// Checks `Stripe-Signature` against any of `secrets` (300 s tolerance) and reads the event.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secrets: &[String],
    now: DateTime<Utc>,
) -> Result<VerifiedEvent, WebhookError> {
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    signature::verify(header, body, &secrets, now.timestamp(), signature::TOLERANCE_SECS)?;
    let e: Envelope = serde_json::from_slice(body).map_err(|e| WebhookError::Body(e.to_string()))?;
    let created = DateTime::from_timestamp(e.created, 0).ok_or_else(|| WebhookError::Body("created".into()))?;
    Ok(VerifiedEvent { id: e.id, type_: e.type_, account: e.account, created, object: e.data.object })
}

/// What the webhook did with an event (logged, and answered to Stripe).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum Outcome {
    Applied {
        org_id: String,
        effect: String,
    },
    /// Handled before (same event id).
    Duplicate,
    /// Nothing for us to do, and why.
    Ignored {
        reason: String,
    },
}

fn ignored(reason: impl Into<String>) -> Result<Outcome> {
    Ok(Outcome::Ignored { reason: reason.into() })
}

impl VerifiedEvent {
    /// The org the event's connected account belongs to, as the platform acting for it.
    async fn scope(&self, db: &Db) -> Result<Option<OrgScope>> {
        let Some(account) = &self.account else { return Ok(None) };
        let org: Option<OrgId> = super::connection::org_of_account(db, account).await?;
        Ok(org.map(|o| OrgScope::system(o, "stripe")))
    }

    /// The PaymentIntent the event is about.
    fn payment_intent(&self) -> Option<&str> {
        let field = if self.type_.starts_with("payment_intent.") { "id" } else { "payment_intent" };
        self.object.get(field).and_then(Value::as_str)
    }
}

/// The event types the webhook acts on (the endpoint registered with Stripe needs only these).
pub const HANDLED: &[&str] = &[
    "payment_intent.processing",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.dispute.created",
    "charge.refunded",
    "payout.paid",
];

/// What an event does to an intent in `status`: the effect, and the status after it.
fn transition(e: &VerifiedEvent, status: IntentStatus) -> Option<(Effect, IntentStatus)> {
    use IntentStatus::*;
    let fully_refunded = || {
        let amount = e.object.get("amount").and_then(Value::as_i64);
        amount.is_some() && amount == e.object.get("amount_refunded").and_then(Value::as_i64)
    };
    match (e.type_.as_str(), status) {
        ("payment_intent.processing", Created) => Some((Effect::Pending, Processing)),
        ("payment_intent.succeeded", Created | Processing) => Some((Effect::Succeeded, Succeeded)),
        ("payment_intent.payment_failed", Created | Processing) => Some((Effect::Failed, Failed)),
        ("charge.dispute.created", Created | Processing | Succeeded) => Some((Effect::Disputed, Disputed)),
        ("charge.refunded", Created | Processing | Succeeded) if fully_refunded() => Some((Effect::Refunded, Refunded)),
        ("charge.refunded", Succeeded) => Some((Effect::PartlyRefunded, Succeeded)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Pending,
    Succeeded,
    Failed,
    Disputed,
    Refunded,
    PartlyRefunded,
}

/// Handles one verified event at `now` (`stripe` for what the event does not carry: a payout's
/// balance transactions).
pub async fn handle(db: &Db, stripe: &dyn StripeApi, event: &VerifiedEvent, now: DateTime<Utc>) -> Result<Outcome> {
    // Stripe sends more than we act on (charge.succeeded beside payment_intent.succeeded, …):
    // those cost nothing, not even the route lookup.
    if !HANDLED.contains(&event.type_.as_str()) {
        return ignored(format!("{} is not an event this integration acts on", event.type_));
    }
    let Some(scope) = event.scope(db).await? else { return ignored("no org has this Stripe account connected") };
    let cx = Ctx::at(db, &scope, now);
    let marker = keys::stripe_event(&scope, &event.id);
    if db.get(&marker).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let outcome = match (event.type_.as_str(), event.account.as_deref()) {
        ("payout.paid", Some(account)) => {
            let new = super::payouts::paid(&cx, stripe, account, &event.object).await?;
            let effect = if new { "payout recorded" } else { "payout already recorded" };
            Outcome::Applied { org_id: scope.org_id().to_string(), effect: effect.into() }
        }
        _ => apply(&cx, event).await?,
    };
    let record = serde_json::json!({ "eventId": event.id, "type": event.type_, "handledAt": now });
    let item =
        ItemBuilder::new(EVENT_ENTITY, &marker, &record).expires_at(now.timestamp() + MARKER_RETENTION_SECS).build();
    db.put_if(item, Expr::not_exists()).await.or_else(|e| if e.is_conflict() { Ok(()) } else { Err(e) })?;
    Ok(outcome)
}

async fn apply(cx: &Ctx<'_>, event: &VerifiedEvent) -> Result<Outcome> {
    let Some(pi) = event.payment_intent() else { return ignored(format!("{} is not about a payment", event.type_)) };
    let Some(intent) = payment_intents::intent(cx, pi).await? else { return ignored("not a payment this org started") };
    let Some((effect, after)) = transition(event, intent.status) else {
        return ignored(format!("{} changes nothing for an intent that is {:?}", event.type_, intent.status));
    };
    let org = crate::core::service::get_org(cx).await?;
    let p = payment_of(&intent, event, crate::core::service::org_today(&org, event.created));
    let on = p.received_on;
    match effect {
        Effect::Pending => online::pending(cx, &p).await?,
        Effect::Succeeded => online::succeeded(cx, &p).await?,
        Effect::Failed => online::reversed(cx, &p, on, &failure_reason(event), false).await?,
        Effect::Disputed => online::reversed(cx, &p, on, &dispute_reason(event), true).await?,
        Effect::Refunded => online::reversed(cx, &p, on, "refunded through Stripe", true).await?,
        Effect::PartlyRefunded => {
            let (charge, total) = refunded_so_far(event);
            online::partly_refunded(cx, &p, &format!("{charge}:{total}"), total, on).await?
        }
    }
    if !payment_intents::advance(cx, &intent, after).await? {
        // Another event moved the intent meanwhile: what this one does is decided again from
        // where that left it (each effect is idempotent).
        return Box::pin(apply(cx, event)).await;
    }
    Ok(Outcome::Applied { org_id: cx.scope.org_id().to_string(), effect: format!("{effect:?}").to_lowercase() })
}

fn payment_of(intent: &IntentRecord, event: &VerifiedEvent, on: chrono::NaiveDate) -> ProcessorPayment {
    let ach = event
        .object
        .pointer("/payment_method_types")
        .and_then(Value::as_array)
        .is_some_and(|t| t.len() == 1 && t[0] == "us_bank_account")
        || intent.payment_method_types == ["us_bank_account"];
    ProcessorPayment {
        id: intent.payment_id.clone(),
        lease_id: intent.lease_id.clone(),
        amount: intent.amount.clone(),
        received_on: on,
        method: if ach { PaymentMethod::Ach } else { PaymentMethod::Card },
        reference: format!("Stripe {}", intent.payment_intent_id),
        processor: Processor::Stripe,
    }
}

/// A `charge.refunded` Charge: its id and all refunded of it so far (`amount_refunded`).
fn refunded_so_far(e: &VerifiedEvent) -> (String, i64) {
    let charge = e.object.get("id").and_then(Value::as_str).unwrap_or("charge").to_owned();
    (charge, e.object.get("amount_refunded").and_then(Value::as_i64).unwrap_or(0))
}

fn failure_reason(e: &VerifiedEvent) -> String {
    let err = e.object.get("last_payment_error");
    let code = err.and_then(|x| x.get("code")).and_then(Value::as_str).unwrap_or("payment_failed");
    format!("Stripe: payment failed ({code})")
}

fn dispute_reason(e: &VerifiedEvent) -> String {
    let reason = e.object.get("reason").and_then(Value::as_str).unwrap_or("unspecified");
    format!("disputed through Stripe ({reason})")
}

impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Error {
        Error::invalid("Stripe-Signature", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IntentStatus::*;

    fn event(type_: &str, object: Value) -> VerifiedEvent {
        VerifiedEvent {
            id: "evt_1".into(),
            type_: type_.into(),
            account: Some("acct_1".into()),
            created: DateTime::from_timestamp(1_796_000_000, 0).expect("a time"),
            object,
        }
    }

    #[test]
    fn events_move_an_intent_forward_only() {
        let pi = |t: &str| event(t, serde_json::json!({"id": "pi_1"}));
        assert_eq!(transition(&pi("payment_intent.processing"), Created), Some((Effect::Pending, Processing)));
        assert_eq!(transition(&pi("payment_intent.succeeded"), Processing), Some((Effect::Succeeded, Succeeded)));
        assert_eq!(
            transition(&pi("payment_intent.succeeded"), Created),
            Some((Effect::Succeeded, Succeeded)),
            "out of order"
        );
        assert_eq!(transition(&pi("payment_intent.processing"), Succeeded), None, "a late processing changes nothing");
        assert_eq!(transition(&pi("payment_intent.processing"), Failed), None);
        assert_eq!(transition(&pi("payment_intent.payment_failed"), Processing), Some((Effect::Failed, Failed)));
        assert_eq!(transition(&pi("payment_intent.payment_failed"), Succeeded), None);
        assert_eq!(transition(&pi("payment_intent.created"), Created), None);
        let dispute = event("charge.dispute.created", serde_json::json!({"payment_intent": "pi_1"}));
        assert_eq!(transition(&dispute, Succeeded), Some((Effect::Disputed, Disputed)));
        assert_eq!(transition(&dispute, Disputed), None, "once");
        let refund = |refunded: i64| {
            event(
                "charge.refunded",
                serde_json::json!({"payment_intent": "pi_1", "amount": 1000, "amount_refunded": refunded}),
            )
        };
        assert_eq!(transition(&refund(1000), Succeeded), Some((Effect::Refunded, Refunded)));
        assert_eq!(
            transition(&refund(400), Succeeded),
            Some((Effect::PartlyRefunded, Succeeded)),
            "a partial refund is not a reversal"
        );
        assert_eq!(transition(&refund(400), Processing), None, "nothing to refund before the money is in");
        assert_eq!(dispute.payment_intent(), Some("pi_1"));
        assert_eq!(pi("payment_intent.succeeded").payment_intent(), Some("pi_1"));
    }
}

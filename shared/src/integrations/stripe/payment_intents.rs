//! A tenant payment started online: a PaymentIntent on the org's connected account, created with
//! the request's `Idempotency-Key` passed through to Stripe (so a retry after a lost answer finds
//! the same intent, on Stripe's side as on ours). Nothing is booked here: the payment is recorded
//! when Stripe's webhook says the money is moving (`webhook`). The intent is kept under the org
//! (`ORG#o` / `STRIPE_PI#pi_…`) with the lease and the id of the payment it becomes, so a webhook
//! trusts our record, not the metadata it carries.

use super::client::{NewPaymentIntent, StripeApi};
use super::connection::{connected_account, stripe_error};
use super::events::PaymentIntentCreated;
use crate::ids::{LeaseId, PaymentId};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, s, Expr, ItemBuilder, Tx};
use crate::platform::idempotency::Claim;
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const INTENT_ENTITY: &str = "StripePaymentIntent";

/// How a tenant may pay: a card, or an ACH debit of a US bank account (USD only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethodType {
    Card,
    UsBankAccount,
}

impl PaymentMethodType {
    /// Stripe's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethodType::Card => "card",
            PaymentMethodType::UsBankAccount => "us_bank_account",
        }
    }
}

/// Stripe's largest amount (eight digits of minor units).
const MAX_AMOUNT: i64 = 99_999_999;

/// `POST …/leases/{leaseId}/payment-intents`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePaymentIntent {
    /// In the lease's currency.
    #[schema(value_type = crate::money::MoneyInput)]
    pub amount: MoneyDto,
    /// `card` and/or `us_bank_account` (ACH, USD only), each once.
    #[schema(min_items = 1, max_items = 2, example = json!(["card", "us_bank_account"]))]
    pub payment_method_types: Vec<PaymentMethodType>,
}

/// The intent as the SPA needs it to collect the payment (Stripe.js takes the client secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentIntentAnswer {
    pub payment_intent_id: String,
    pub client_secret: String,
    /// Stripe's status (`requires_payment_method` when new).
    pub status: String,
    /// The payment it is recorded as once Stripe reports the money moving.
    pub payment_id: PaymentId,
    pub lease_id: LeaseId,
    pub amount: MoneyDto,
}

/// How far Stripe's webhooks have taken an intent (forward only: `webhook::transition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentStatus {
    #[default]
    Created,
    Processing,
    Succeeded,
    Failed,
    Disputed,
    Refunded,
}

impl IntentStatus {
    fn as_str(self) -> &'static str {
        match self {
            IntentStatus::Created => "created",
            IntentStatus::Processing => "processing",
            IntentStatus::Succeeded => "succeeded",
            IntentStatus::Failed => "failed",
            IntentStatus::Disputed => "disputed",
            IntentStatus::Refunded => "refunded",
        }
    }
}

/// What we keep of an intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentRecord {
    pub payment_intent_id: String,
    pub account_id: String,
    pub lease_id: LeaseId,
    pub payment_id: PaymentId,
    pub amount: MoneyDto,
    pub payment_method_types: Vec<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub status: IntentStatus,
}

impl crate::validation::Validate for CreatePaymentIntent {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = self.amount.to_money("amount").err().into_iter().collect();
        // The currency rules need the lease; what the body alone says is checked here.
        if let Err(Error::Invalid(e)) = method_types(&self.payment_method_types, Currency::parse("USD").expect("USD")) {
            errors.extend(e);
        }
        errors
    }
}

/// The method types, checked: at least one, each named once, ACH only in USD; Stripe's names.
fn method_types(input: &[PaymentMethodType], currency: Currency) -> Result<Vec<String>> {
    let mut errors = Vec::new();
    if input.is_empty() {
        errors.push(FieldError::new("paymentMethodTypes", "name at least one of card, us_bank_account"));
    }
    for (i, t) in input.iter().enumerate() {
        let field = format!("paymentMethodTypes[{i}]");
        if input[..i].contains(t) {
            errors.push(FieldError::new(field, "named twice"));
        } else if *t == PaymentMethodType::UsBankAccount && currency.code() != "USD" {
            errors.push(FieldError::new(field, "ACH debits are in USD only"));
        }
    }
    match errors.is_empty() {
        true => Ok(input.iter().map(|t| t.as_str().to_owned()).collect()),
        false => Err(Error::Invalid(errors)),
    }
}

/// The amount in minor units of the lease's currency, within what Stripe takes.
fn amount(dto: &MoneyDto, currency: Currency) -> Result<i64> {
    let m = dto.to_money("amount").map_err(|e| Error::Invalid(vec![e]))?;
    if m.currency != currency {
        return Err(Error::invalid("amount.currency", format!("the lease is billed in {currency}")));
    }
    let minimum = if currency.code() == "GBP" { 30 } else { 50 };
    if m.minor < minimum || m.minor > MAX_AMOUNT {
        let (low, high) =
            (Money::new(minimum, currency).amount_string(), Money::new(MAX_AMOUNT, currency).amount_string());
        return Err(Error::invalid("amount.amount", format!("must be at least {low} and at most {high}")));
    }
    Ok(m.minor)
}

/// Creates the intent on the org's connected account and keeps it (see the module doc).
pub async fn create_payment_intent(
    cx: &Ctx<'_>,
    stripe: &dyn StripeApi,
    lease_id: &str,
    input: CreatePaymentIntent,
    (key, claim): (&str, &Claim),
) -> Result<PaymentIntentAnswer> {
    let (lease, currency) = crate::billing::service::billable(cx, lease_id).await?;
    let minor = amount(&input.amount, currency)?;
    let methods = method_types(&input.payment_method_types, currency)?;
    let account = connected_account(cx).await?;
    let payment_id = crate::billing::service::payment_id_for_key(cx.scope, lease.as_str(), &format!("stripe:{key}"));
    let intent = NewPaymentIntent {
        amount: minor,
        currency: currency.code().to_lowercase(),
        payment_method_types: methods.clone(),
        metadata: vec![
            ("org_id".into(), cx.scope.org_id().to_string()),
            ("lease_id".into(), lease.to_string()),
            ("payment_id".into(), payment_id.to_string()),
        ],
        description: format!("Rent, lease {lease}"),
    };
    let pi = stripe.create_payment_intent(&account, &intent, key).await.map_err(|e| stripe_error(e, "amount"))?;
    let record = IntentRecord {
        payment_intent_id: pi.id.clone(),
        account_id: account.clone(),
        lease_id: lease.clone(),
        payment_id: payment_id.clone(),
        amount: Money::new(minor, currency).into(),
        payment_method_types: methods,
        created_at: cx.now,
        status: IntentStatus::Created,
    };
    let answer = PaymentIntentAnswer {
        payment_intent_id: pi.id.clone(),
        client_secret: pi.client_secret.unwrap_or_default(),
        status: pi.status,
        payment_id,
        lease_id: lease,
        amount: record.amount.clone(),
    };
    let mut tx = Tx::new();
    tx.put(ItemBuilder::new(INTENT_ENTITY, &keys::stripe_payment_intent(cx.scope, &pi.id), &record).build(), None);
    let created = PaymentIntentCreated {
        payment_intent_id: pi.id,
        account_id: account,
        lease_id: record.lease_id.clone(),
        payment_id: record.payment_id.clone(),
        amount: record.amount.clone(),
        payment_method_types: record.payment_method_types.clone(),
    };
    crate::events::emit(&mut tx, cx.scope, &created);
    claim.complete_in(&mut tx, 201, &serde_json::to_string(&answer).expect("serializes"));
    cx.db.transact(tx).await?;
    Ok(answer)
}

/// Moves the intent from the status it was read in to `to`; false when another event moved it
/// first (the caller decides again).
pub async fn advance(cx: &Ctx<'_>, intent: &IntentRecord, to: IntentStatus) -> Result<bool> {
    let key = keys::stripe_payment_intent(cx.scope, &intent.payment_intent_id);
    let cond = Expr::new("#st = :from OR (attribute_not_exists(#st) AND :from = :created)")
        .name("#st", "status")
        .value(":from", s(intent.status.as_str()))
        .value(":created", s(IntentStatus::Created.as_str()));
    let mut tx = Tx::new();
    tx.update(key, Expr::set([("status", s(to.as_str()))]), Some(cond));
    match cx.db.transact(tx).await {
        Ok(()) => Ok(true),
        Err(e) if e.is_conflict() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// A kept intent of this org (the webhook's view of what we started).
pub async fn intent(cx: &Ctx<'_>, payment_intent_id: &str) -> Result<Option<IntentRecord>> {
    Ok(cx.db.get_as(&keys::stripe_payment_intent(cx.scope, payment_intent_id)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn method_types_are_named_once_and_ach_is_usd_only() {
        use PaymentMethodType::{Card, UsBankAccount};
        assert_eq!(method_types(&[Card, UsBankAccount], usd()).unwrap(), ["card", "us_bank_account"]);
        let fields = |r: Result<Vec<String>>| match r {
            Err(Error::Invalid(e)) => e.into_iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(method_types(&[], usd())), ["paymentMethodTypes"]);
        assert_eq!(fields(method_types(&[Card, UsBankAccount, Card], usd())), ["paymentMethodTypes[2]"]);
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(fields(method_types(&[UsBankAccount], eur)), ["paymentMethodTypes[0]"]);
        let unknown =
            serde_json::json!({"amount": {"amount": "1.00", "currency": "USD"}, "paymentMethodTypes": ["sepa_debit"]});
        assert!(serde_json::from_value::<CreatePaymentIntent>(unknown).is_err());
    }

    #[test]
    fn amounts_are_in_the_lease_currency_and_within_stripe_limits() {
        let m = |a: &str, c: &str| MoneyDto { amount: a.into(), currency: c.into() };
        assert_eq!(amount(&m("1500.00", "USD"), usd()).unwrap(), 150_000);
        assert_eq!(amount(&m("0.50", "USD"), usd()).unwrap(), 50);
        for (bad, field) in [
            (m("0.49", "USD"), "amount.amount"),
            (m("1000000.00", "USD"), "amount.amount"),
            (m("10.00", "EUR"), "amount.currency"),
            (m("10.001", "USD"), "amount.amount"),
        ] {
            match amount(&bad, usd()) {
                Err(Error::Invalid(e)) => assert_eq!(e[0].field, field, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}

//! Stripe payouts: what reaches the bank. Stripe pays an account's balance out net of its fees;
//! the money tenants paid waits in Stripe clearing until then. On `payout.paid` the payout's
//! balance transactions (`GET /v1/balance_transactions?payout=`) say what it paid out: their
//! amounts (the gross: charges, less refunds and disputes) leave Stripe clearing, the payout's
//! amount reaches the bank, and the difference is Stripe's fees (card, ACH, dispute fees),
//! booked as an expense (`payout.paid`, posted by the books). So the deposit a bank feed later
//! shows is the payout, and rent is never counted twice.

use super::client::StripeApi;
use super::connection::stripe_error;
use super::events::PayoutPaid;
use crate::money::{Currency, Money};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Expr, ItemBuilder, Tx};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const PAYOUT_ENTITY: &str = "StripePayout";

/// A payout as we keep it (amounts in minor units of `currency`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutRecord {
    pub payout_id: String,
    pub account_id: String,
    pub currency: Currency,
    pub arrival_date: NaiveDate,
    /// What left Stripe clearing: the balance transactions' amounts.
    pub gross: i64,
    /// Stripe's fees: gross − net.
    pub fees: i64,
    /// What reached the bank: the payout's amount.
    pub net: i64,
    pub transactions: usize,
    pub recorded_at: DateTime<Utc>,
}

/// The payout's figures from its balance transactions: (gross, fees), where fees make gross
/// reach the payout's `net` exactly (Stripe's own `fee` fields are checked against it).
pub fn figures(net: i64, transactions: &[super::client::BalanceTransaction]) -> (i64, i64) {
    let gross: i64 = transactions.iter().map(|t| t.amount).sum();
    let stated: i64 = transactions.iter().map(|t| t.fee).sum();
    if gross - stated != net {
        tracing::warn!(gross, fees = stated, net, "a payout's balance transactions do not add up to its amount");
    }
    (gross, gross - net)
}

/// Records `payout` (a `payout.paid` object of `account`) once, with `payout.paid` for the books.
pub async fn paid(cx: &Ctx<'_>, stripe: &dyn StripeApi, account: &str, payout: &Value) -> Result<bool> {
    let id = payout.get("id").and_then(Value::as_str).ok_or_else(|| Error::invalid("data.object.id", "missing"))?;
    let key = keys::stripe_payout(cx.scope, id);
    if cx.db.get(&key).await?.is_some() {
        return Ok(false);
    }
    let currency = payout
        .get("currency")
        .and_then(Value::as_str)
        .and_then(|c| Currency::parse(&c.to_uppercase()))
        .ok_or_else(|| Error::invalid("data.object.currency", "not a currency"))?;
    let net =
        payout.get("amount").and_then(Value::as_i64).ok_or_else(|| Error::invalid("data.object.amount", "missing"))?;
    let arrival = payout
        .get("arrival_date")
        .and_then(Value::as_i64)
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .map_or_else(|| cx.now.date_naive(), |t| t.date_naive());
    let txns = stripe.payout_transactions(account, id).await.map_err(|e| stripe_error(e, "payout"))?;
    let (gross, fees) = figures(net, &txns);
    let record = PayoutRecord {
        payout_id: id.to_owned(),
        account_id: account.to_owned(),
        currency,
        arrival_date: arrival,
        gross,
        fees,
        net,
        transactions: txns.len(),
        recorded_at: cx.now,
    };
    let mut tx = Tx::new();
    tx.put(ItemBuilder::new(PAYOUT_ENTITY, &key, &record).build(), Some(Expr::not_exists()));
    let event = PayoutPaid {
        payout_id: id.to_owned(),
        arrival_date: arrival,
        amount: Money::new(net, currency).into(),
        gross: Money::new(gross, currency).into(),
        fees: Money::new(fees, currency).into(),
        transactions: txns.len() as u32,
    };
    crate::events::emit(&mut tx, cx.scope, &event);
    match cx.db.transact(tx).await {
        Ok(()) => Ok(true),
        Err(e) if e.is_conflict() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::client::BalanceTransaction;
    use super::*;

    fn txn(amount: i64, fee: i64, type_: &str) -> BalanceTransaction {
        BalanceTransaction {
            id: format!("txn_{amount}"),
            amount,
            fee,
            net: amount - fee,
            currency: "usd".into(),
            type_: type_.into(),
            source: None,
        }
    }

    #[test]
    fn the_fees_make_the_gross_reach_the_payout() {
        // A card rent (2.9% + 30¢), an ACH rent (0.8%), a dispute (−amount, 15.00 fee).
        let t = [txn(150_000, 4_380, "charge"), txn(50_000, 400, "charge"), txn(-20_000, 1_500, "adjustment")];
        let net = t.iter().map(|t| t.net).sum();
        assert_eq!(net, 173_720);
        assert_eq!(figures(net, &t), (180_000, 6_280));
    }
}

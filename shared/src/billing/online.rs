//! Payments a processor (Stripe) took, recorded on its word rather than by hand. The payment's id
//! is derived from the processor's own (the caller's), and each step reads the lease's ledger and
//! does only what is still to do, so a redelivered or out-of-order notice ends in the same state:
//! "succeeded" before "processing" records the payment cleared and allocated, and the late
//! "processing" then finds it and does nothing.
//!
//! The money waits in the processor's clearing account on the books (`processor` on the payment
//! and its events) until the processor pays it out to the bank.

use super::model::{
    Allocate, AllocateMode, ApplyCredit, CreatePayment, PaymentMethod, PaymentStatus, Processor, ReversePayment,
};
use super::payments::{apply, clear, record, reverse};
use super::store;
use crate::ids::{LeaseId, PaymentId};
use crate::money::MoneyDto;
use crate::platform::ctx::Ctx;
use crate::{Error, Result};
use chrono::NaiveDate;

/// A payment as the processor reports it.
#[derive(Debug, Clone)]
pub struct ProcessorPayment {
    pub id: PaymentId,
    pub lease_id: LeaseId,
    pub amount: MoneyDto,
    /// The day the processor reported it (in the org's timezone).
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    /// The processor's reference (the PaymentIntent id).
    pub reference: String,
    pub processor: Processor,
}

/// What the ledger holds of the payment now.
async fn status(cx: &Ctx<'_>, p: &ProcessorPayment) -> Result<Option<(PaymentStatus, i64)>> {
    let l = store::read_ledger(cx.db, cx.scope, &p.lease_id).await?;
    Ok(l.payments.iter().find(|r| r.id == p.id).map(|r| (r.status, r.unapplied)))
}

async fn record_as(cx: &Ctx<'_>, p: &ProcessorPayment, pending: bool) -> Result<()> {
    let input = CreatePayment {
        amount: p.amount.clone(),
        received_on: p.received_on,
        method: p.method,
        reference: Some(p.reference.clone()),
        allocate: Allocate::Mode(if pending { AllocateMode::None } else { AllocateMode::Auto }),
        pending,
    };
    record(cx, p.lease_id.as_str(), input, (p.id.clone(), Some(p.processor)), None).await.map(drop)
}

/// Applies what the payment still holds unapplied (nothing open to apply it to is not an error).
async fn allocate(cx: &Ctx<'_>, p: &ProcessorPayment) -> Result<()> {
    let input = ApplyCredit { allocate: Allocate::Mode(AllocateMode::Auto) };
    match apply(cx, &p.lease_id, &p.id, input).await {
        Ok(_) | Err(Error::Conflict(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The money is on its way (ACH processing): a pending payment, left unapplied until it clears,
/// which keeps late fees off the charges it covers. Nothing when it is recorded already.
pub async fn pending(cx: &Ctx<'_>, p: &ProcessorPayment) -> Result<()> {
    match status(cx, p).await? {
        None => record_as(cx, p, true).await,
        Some(_) => Ok(()),
    }
}

/// The money arrived: the payment recorded cleared (or a pending one cleared) and its credit
/// applied to the lease's open charges, oldest first. Nothing for a reversed payment.
pub async fn succeeded(cx: &Ctx<'_>, p: &ProcessorPayment) -> Result<()> {
    match status(cx, p).await? {
        None => record_as(cx, p, false).await,
        Some((PaymentStatus::Pending, _)) => {
            match clear(cx, &p.lease_id, &p.id).await {
                Ok(_) | Err(Error::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
            allocate(cx, p).await
        }
        Some((PaymentStatus::Cleared, unapplied)) if unapplied > 0 => allocate(cx, p).await,
        Some(_) => Ok(()),
    }
}

/// Part of the money went back (a partial refund): `total` is all the processor has refunded of
/// it so far; what is new of it is refunded (`refunds`). Nothing for a payment not recorded or
/// reversed.
pub async fn partly_refunded(
    cx: &Ctx<'_>,
    p: &ProcessorPayment,
    refund_id: &str,
    total: i64,
    on: NaiveDate,
) -> Result<()> {
    match status(cx, p).await? {
        Some((PaymentStatus::Cleared, _)) => {}
        _ => return Ok(()),
    }
    let r = super::refunds::RefundRequest {
        payment_id: p.id.clone(),
        refund_id: refund_id.to_owned(),
        total,
        on,
        reason: Some(format!("refunded in part through {}", processor_name(p.processor))),
    };
    super::refunds::refund(cx, &p.lease_id, &r).await
}

fn processor_name(p: Processor) -> &'static str {
    match p {
        Processor::Stripe => "Stripe",
    }
}

/// The money did not come, or went back (failed, disputed, refunded): the payment reversed on
/// `on` with `reason` (waived late fees charged again). `took_money`: the processor had taken it
/// (a dispute or refund), so a payment not yet recorded is recorded first, then reversed, and the
/// books show both; a failure of a payment never recorded changes nothing.
pub async fn reversed(cx: &Ctx<'_>, p: &ProcessorPayment, on: NaiveDate, reason: &str, took_money: bool) -> Result<()> {
    match status(cx, p).await? {
        None if !took_money => return Ok(()),
        None => record_as(cx, p, false).await?,
        Some((PaymentStatus::Reversed, _)) => return Ok(()),
        Some(_) => {}
    }
    let input = ReversePayment { reversed_on: Some(on), reason: Some(reason.to_owned()) };
    match reverse(cx, &p.lease_id, &p.id, input).await {
        Ok(_) => Ok(()),
        // Reversed meanwhile by another delivery.
        Err(Error::Conflict(_)) if matches!(status(cx, p).await?, Some((PaymentStatus::Reversed, _))) => Ok(()),
        Err(e) => Err(e),
    }
}

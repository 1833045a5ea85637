//! The events of a lease's money: charges, payments, allocations, late fees, deposits, and the
//! org's billing settings and exchange rates.

use super::allocation::ChargeKind;
use super::model::{AllocationSource, ChargeSource, DeductionOut, Fx, FxRate, PaymentMethod, PaymentStatus, Processor};
use crate::events::EventSpec;
use crate::ids::{AllocationId, ChargeId, LeaseId, OrgId, PaymentId};
use crate::leasing::model::LateFeePolicy;
use crate::money::MoneyDto;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One allocation of money (a payment's or a credit's) to a charge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllocationMade {
    pub allocation_id: AllocationId,
    pub charge_id: ChargeId,
    pub payment_id: Option<PaymentId>,
    /// The credit charge applied, when the money came from a credit.
    pub credit_id: Option<ChargeId>,
    /// Negative when it reverses an earlier allocation.
    pub amount: MoneyDto,
    pub date: NaiveDate,
    /// What the money came from: a payment, a credit, or the deposit at move-out.
    pub source: AllocationSource,
    /// The kind of the charge it meets (a deposit charge paid moves money into deposits held).
    pub charge_kind: ChargeKind,
    /// In a foreign currency: the base amount it moved of the charge (at the charge's rate)
    /// and of the money (at the payment's or credit's rate); their difference is realized FX.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_base: Option<MoneyDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money_base: Option<MoneyDto>,
}

crate::domain_event! {
    /// A charge was added to a lease's ledger (by hand, a rent run or a late fee).
    ChargeCreated = "charge.created", version 1, subject "charge" by charge_id {
        charge_id: ChargeId,
        lease_id: LeaseId,
        kind: ChargeKind,
        amount: MoneyDto,
        due_date: NaiveDate,
        source: ChargeSource,
        /// `YYYY-MM` for rent.
        period: Option<String>,
        /// The rate into the base currency the charge was valued at.
        fx: Option<Fx>,
    }

    /// A charge was voided by a reversing entry; what was allocated to it became credit again.
    ChargeVoided = "charge.voided", version 1, subject "charge" by charge_id {
        charge_id: ChargeId,
        lease_id: LeaseId,
        kind: ChargeKind,
        amount: MoneyDto,
        date: NaiveDate,
        reason: Option<String>,
        /// The reversing allocations that released what was allocated to it.
        allocations: Vec<AllocationMade>,
        /// Where the charge came from (an opening balance is reversed against opening equity).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<ChargeSource>,
        /// The charge's rate into the base currency (its base amount is reversed).
        fx: Option<Fx>,
    }

    /// A payment was recorded, with the allocations made in the same transaction.
    PaymentReceived = "payment.received", version 1, subject "payment" by payment_id {
        payment_id: PaymentId,
        lease_id: LeaseId,
        amount: MoneyDto,
        received_on: NaiveDate,
        method: PaymentMethod,
        status: PaymentStatus,
        allocations: Vec<AllocationMade>,
        /// The rate into the base currency the payment was valued at.
        fx: Option<Fx>,
        /// Set when a processor took the money (it waits in the processor's clearing account).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        processor: Option<Processor>,
    }

    /// A payment was reversed (returned, bounced); its allocations were reversed with it.
    PaymentReversed = "payment.reversed", version 1, subject "payment" by payment_id {
        payment_id: PaymentId,
        lease_id: LeaseId,
        amount: MoneyDto,
        reversed_on: NaiveDate,
        reason: Option<String>,
        allocations: Vec<AllocationMade>,
        /// The payment's rate into the base currency (its base amount is reversed).
        fx: Option<Fx>,
        /// The processor that had taken the money, if one had.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        processor: Option<Processor>,
    }

    /// Part of a payment went back to the tenant (through its processor): the refund comes first
    /// out of what the payment left unapplied, then out of the charges it paid last, which are
    /// owed again (`allocations`, negative).
    PaymentRefunded = "payment.refunded", version 1, subject "payment" by payment_id {
        payment_id: PaymentId,
        lease_id: LeaseId,
        /// The refund's id (the processor's, with the total refunded so far).
        refund_id: String,
        amount: MoneyDto,
        refunded_on: NaiveDate,
        reason: Option<String>,
        allocations: Vec<AllocationMade>,
        /// The payment's rate into the base currency (the refunded part of its base amount goes).
        fx: Option<Fx>,
        /// The processor the money goes back through.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        processor: Option<Processor>,
    }

    /// A pending payment cleared.
    PaymentCleared = "payment.cleared", version 1, subject "payment" by payment_id {
        payment_id: PaymentId,
        lease_id: LeaseId,
    }

    /// Money (a payment's continuation, its credit, or a credit charge) was applied to charges.
    AllocationCreated = "allocation.created", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        allocations: Vec<AllocationMade>,
    }

    /// A late fee was charged for an overdue charge (`feeFor`).
    LateFeeAssessed = "late_fee.assessed", version 1, subject "charge" by charge_id {
        charge_id: ChargeId,
        lease_id: LeaseId,
        fee_for: ChargeId,
        due_date: NaiveDate,
        amount: MoneyDto,
        grace_days: u8,
    }

    /// A lease's deposit was settled at move-out: deductions, what went to open charges, the refund.
    DepositSettled = "deposit.settled", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        settled_on: NaiveDate,
        held: MoneyDto,
        deductions: Vec<DeductionOut>,
        applied_to_balance: MoneyDto,
        refund: MoneyDto,
        /// The deposit's allocations to the deductions and to what was still open.
        allocations: Vec<AllocationMade>,
        /// The settlement day's rate (the deductions and the refund's cash are valued at it),
        /// and what the refunded part of the deposit was worth when it was paid.
        fx: Option<Fx>,
        refund_base: Option<MoneyDto>,
    }

    /// The org's billing settings changed.
    BillingSettingsUpdated = "billing_settings.updated", version 1, subject "org" by org_id {
        org_id: OrgId,
        rent_lead_days: u8,
        late_fee_policy: Option<LateFeePolicy>,
        rent_reminder_days: Option<u8>,
        bank_base_rates: Vec<super::model::BankBaseRate>,
    }

    /// Exchange rates into the org's base currency were recorded for a day.
    FxRatesRecorded = "fx_rates.recorded", version 1, subject "org" by org_id {
        org_id: OrgId,
        date: NaiveDate,
        rates: Vec<FxRate>,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<ChargeCreated>(),
    EventSpec::of::<ChargeVoided>(),
    EventSpec::of::<PaymentReceived>(),
    EventSpec::of::<PaymentReversed>(),
    EventSpec::of::<PaymentRefunded>(),
    EventSpec::of::<PaymentCleared>(),
    EventSpec::of::<AllocationCreated>(),
    EventSpec::of::<LateFeeAssessed>(),
    EventSpec::of::<DepositSettled>(),
    EventSpec::of::<BillingSettingsUpdated>(),
    EventSpec::of::<FxRatesRecorded>(),
];

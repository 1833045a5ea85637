//! The events of the Stripe integration.

use crate::events::EventSpec;
use crate::ids::{LeaseId, PaymentId};

crate::domain_event! {
    /// The org connected its Stripe account (Connect): payments are taken through it.
    StripeConnected = "stripe.connected", version 1, subject "stripe_account" by account_id {
        account_id: String,
        charges_enabled: bool,
        payouts_enabled: bool,
    }

    /// The org disconnected its Stripe account; payments already taken keep their history.
    StripeDisconnected = "stripe.disconnected", version 1, subject "stripe_account" by account_id {
        account_id: String,
    }

    /// A tenant payment was started as a PaymentIntent; nothing is booked until Stripe says the
    /// money moved.
    PaymentIntentCreated = "payment_intent.created", version 1, subject "payment_intent" by payment_intent_id {
        payment_intent_id: String,
        account_id: String,
        lease_id: LeaseId,
        /// The payment it becomes once Stripe reports it processing or succeeded.
        payment_id: PaymentId,
        amount: crate::money::MoneyDto,
        payment_method_types: Vec<String>,
    }

    /// Stripe paid an account's balance out: `gross` left Stripe clearing, `amount` reached the
    /// bank, `fees` (gross − amount) were Stripe's.
    PayoutPaid = "payout.paid", version 1, subject "payout" by payout_id {
        payout_id: String,
        arrival_date: chrono::NaiveDate,
        amount: crate::money::MoneyDto,
        gross: crate::money::MoneyDto,
        fees: crate::money::MoneyDto,
        /// How many balance transactions it paid out.
        transactions: u32,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<StripeConnected>(),
    EventSpec::of::<StripeDisconnected>(),
    EventSpec::of::<PaymentIntentCreated>(),
    EventSpec::of::<PayoutPaid>(),
];

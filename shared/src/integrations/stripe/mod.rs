//! Stripe: rent paid online through the org's connected account.

pub mod client;
pub mod connection;
pub mod events;
pub mod payment_intents;
pub mod payouts;
pub mod signature;
pub mod webhook;

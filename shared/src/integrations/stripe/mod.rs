//! Stripe: rent paid online through the org's connected account.

pub mod signature;

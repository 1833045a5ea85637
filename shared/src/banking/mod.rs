//! Bank feeds (Plaid): the org's connected banks (`items`), their transactions kept in step with
//! Plaid's `/transactions/sync` (`sync`), reconciled against what the product recorded — tenant
//! payments, Stripe payouts, expenses — by scoring (`matching`), by the org's bank rules
//! (`rules`) or by hand (`reconcile`). A matched bank transaction moves the money's account on
//! the books into the bank account it was seen in (`bank_transaction.matched`); disconnecting a
//! bank stops its syncs and keeps every transaction and match.

pub mod events;
pub mod items;
pub mod matching;
pub mod model;
pub mod reconcile;
pub mod rules;
pub mod sync;
pub mod webhook;

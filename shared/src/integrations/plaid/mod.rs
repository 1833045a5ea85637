//! Plaid: the org's bank feeds. So far the port (`client`) and how its webhooks are verified
//! (`verification`); Link, the sync consumer and matching build on them.

pub mod client;
pub mod verification;

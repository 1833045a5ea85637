//! Handlers of the third parties' webhooks (`/webhooks/<provider>`): no bearer token, the
//! provider's signature is the only authentication.

pub mod plaid;
pub mod stripe;

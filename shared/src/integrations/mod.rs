//! Money from outside (ARCHITECTURE §2 "integrations"): Stripe payments and payouts, Plaid bank
//! feeds, CSV and SFTP imports. Each third party sits behind a port whose production adapter speaks
//! the provider's wire format; `make dev` and the tests point it at a local fake in `infra/fakes/`.

pub mod breaker;
pub mod plaid;
pub mod sftp;
pub mod stripe;

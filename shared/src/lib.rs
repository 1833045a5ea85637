//! PortfolioOS as a library: the platform plumbing (`platform`), money (`money`), and one module
//! per domain (`core`, `properties`, …), each with a pure model and a service over `platform::db`.
//! Handlers in the `functions` crate parse, authorize, call one service and answer.

pub mod banking;
pub mod billing;
pub mod books;
pub mod catalog;
pub mod core;
pub mod documents;
pub mod error;
pub mod events;
pub mod ids;
pub mod imports;
pub mod integrations;
pub mod jobs;
pub mod leasing;
pub mod maintenance;
pub mod money;
pub mod notify;
pub mod platform;
pub mod policies;
pub mod ports;
pub mod properties;
pub mod reports;
pub mod validation;
pub mod webhooks;
pub mod workflows;

pub use error::{Error, FieldError, Result};

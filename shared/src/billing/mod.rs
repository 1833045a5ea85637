//! The ledger (ARCHITECTURE §4, API "Billing"): immutable charges, payments and allocations in
//! each lease's partition; the pure rules (`allocation`, `proration`, `rent`, `ledger`) and the
//! use cases over the store (`service`, `rent_run`, `late_fees`, `delinquency`).

pub mod allocation;
pub mod charges;
pub(crate) mod common;
pub mod delinquency;
pub mod deposits;
pub mod events;
pub mod late_fees;
pub mod ledger;
pub mod model;
pub mod online;
pub mod payments;
pub mod proration;
pub mod refunds;
pub mod rent;
pub mod rent_credit;
pub mod rent_run;
pub mod service;
pub mod settings;
pub(crate) mod store;
pub mod voids;

#[cfg(test)]
mod decision_tests;

/// What tests and benchmarks build raw ledger items with (the `test-support` feature only).
#[cfg(feature = "test-support")]
pub mod testing {
    pub use super::store::{charge_event, charge_item, ledger_from_items};
}

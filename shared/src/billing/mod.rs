//! The ledger's pure rules: how a payment is allocated to open charges and how rent is prorated.
//! (The ledger's storage, API and jobs build on these.)

pub mod allocation;
pub mod proration;

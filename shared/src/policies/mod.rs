//! Jurisdiction rules that bind the product: a built-in pack (deposit caps, late fees, notice
//! periods, deposit-return deadlines, each with its sources and effective dates), the org's own
//! rules that outrank it, and the resolver that picks the rule in effect for a place, an area
//! and a date. Leases (deposit caps, German instalments), the late-fee job, lease ends
//! (deposit-return obligations) and the obligations board (notice deadlines) ask it.

pub mod events;
pub mod jurisdiction;
pub mod limits;
pub mod model;
pub mod pack;
pub mod resolve;
pub mod service;

#[cfg(test)]
mod resolve_tests;

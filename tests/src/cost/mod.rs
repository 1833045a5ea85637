//! The cost model (`make bench`, benches/cost.rs): unit arithmetic, the price table, and the
//! recorder that counts what a month of an org's traffic would bill.

pub mod prices;
pub mod recorder;
pub mod units;

//! Reports (issue "3 of 6", ARCHITECTURE §2, §5a): what a landlord and an accountant act on,
//! read only from the books and their own read models, never another domain's items.
//!
//! - `cash_flow`: cash in and out per month and currency, per property or the portfolio;
//! - `exports`, `export_files`: files of the books and reports, built asynchronously;
//! - `kpi`: the daily KPI mart and the dashboard;
//! - `ledger_files`: the books as a general ledger CSV, an hledger journal, a Beancount ledger;
//! - `noi`: NOI per building and month with the cap rate;
//! - `owner_pack`: the monthly owner report as a PDF;
//! - `owner_statement`: per property, cash at the start, each movement, cash at the end;
//! - `pnl`: profit and loss per month on the cash or accrual basis, with NOI and net income;
//! - `rent_roll`: every unit, its lease, deposit held and balance as of a day;
//! - `schedule_e`: Schedule E Part I per building for a tax year;
//! - `vendors_1099`: vendors to report on Form 1099 for a year;
//! - `service`: the reads behind the routes.

pub mod cash_flow;
pub mod events;
pub mod export_files;
pub mod exports;
pub mod kpi;
pub mod ledger_files;
pub mod noi;
pub mod owner_pack;
pub mod owner_statement;
pub mod pnl;
pub mod rent_roll;
pub mod schedule_e;
pub mod service;
pub mod vendors_1099;

#[cfg(test)]
mod test_support;

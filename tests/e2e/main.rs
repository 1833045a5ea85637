//! End-to-end tests over HTTP against a devstack per test (its own table on the emulator).

mod billing;
mod books;
mod books_year;
mod dashboard;
mod documents;
mod events;
mod expenses;
mod exports;
mod flow;
mod golden;
mod idempotency;
mod imports;
mod input;
mod leasing;
mod maintenance;
mod members;
mod openapi;
mod plaid;
mod policies;
mod properties;
mod receipts;
mod reports;
mod security;
mod sftp;
mod stripe;
mod template_truth;

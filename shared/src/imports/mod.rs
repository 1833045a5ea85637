//! CSV imports: a landlord's spreadsheet of tenants or units, uploaded to the imports bucket
//! through a presigned URL (`service`); `consumer-import` reads it when it lands and validates
//! every row (`run`: types, references, duplicates within the file; rows already in the org are
//! skipped, so importing the same file twice creates nothing the second time), answering
//! `[{row, field, message}]` with `row` the file's line number (the header is line 1). A dry run
//! stops there; a commit writes the rows in transactions of at most 100 items, each row isolated
//! (a row that fails alone is reported, the others go in), and records its progress as it goes.
//! Committing a dry run is refused while it has errors. Each kind says how its columns become
//! records (`kinds`: `tenants`, `units`, `payments`, `expenses`; `leases`; `opening`: tenants'
//! balances and the accounts' as of a go-live date).

pub mod events;
pub mod kinds;
pub mod leases;
pub mod model;
pub mod opening;
pub mod run;
pub mod service;

#[cfg(test)]
mod fixtures;

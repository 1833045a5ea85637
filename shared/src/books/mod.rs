//! The books (issue "2 of 6", ARCHITECTURE §5a): the org's double-entry general ledger, a
//! projection of the money events on the org's chart of accounts.
//!
//! - `chart`: account types, Schedule E lines, the seeded chart; `accounts`: the org's chart;
//! - `posting`: the pure rules turning a money event into balanced drafts;
//! - `journal`: the balance rule and the hash chain; `poster`: a draft becomes the next entry;
//! - `from_events`: what `consumer-books` posts; `manual`: entries people make;
//! - `reads`: journal, trial balance, registers, verification; `periods`: closing months;
//! - `split`: exact splits by units or area;
//! - `sources`: what every entry was posted from; `rebuild`: the journal re-posted from it.

pub mod accounts;
pub mod assets;
pub mod chart;
pub mod events;
pub mod expense_model;
pub mod expenses;
pub mod from_events;
pub mod journal;
pub mod manual;
pub mod model;
pub mod periods;
pub mod poster;
pub mod posting;
pub mod reads;
pub mod rebuild;
pub mod receipts;
pub mod recurring;
pub mod sources;
pub mod split;
pub mod vendors;

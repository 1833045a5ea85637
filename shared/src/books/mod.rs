//! The books (issue "2 of 6", ARCHITECTURE §5a): the org's double-entry general ledger, a
//! projection of the money events on the org's chart of accounts. So far its pure core: the
//! chart every org is seeded with (`chart`), the rule every journal entry obeys (`journal`) and
//! the exact split of an amount by units or area (`split`).
//! Storage, the poster (`consumer-books`) and the HTTP routes come with the rest of the issue.

pub mod chart;
pub mod journal;
pub mod posting;
pub mod split;

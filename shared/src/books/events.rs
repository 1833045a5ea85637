//! The events of the books: the chart changed, an entry was posted, a month closed or reopened.

use super::chart::AccountType;
use super::posting::Source;
use crate::events::EventSpec;
use crate::ids::{AccountId, JournalEntryId};
use chrono::NaiveDate;

crate::domain_event! {
    /// An account was added to the chart.
    AccountCreated = "account.created", version 1, subject "account" by account_id {
        account_id: AccountId,
        code: String,
        name: String,
        #[serde(rename = "type")]
        type_: AccountType,
        schedule_e: Option<String>,
    }

    /// An account was renamed, re-parented, re-mapped or archived.
    AccountUpdated = "account.updated", version 1, subject "account" by account_id {
        account_id: AccountId,
        code: String,
        name: String,
        schedule_e: Option<String>,
        archived: bool,
    }

    /// A journal entry was posted to the books.
    JournalPosted = "journal.posted", version 1, subject "journal_entry" by entry_id {
        entry_id: JournalEntryId,
        seq: u64,
        date: NaiveDate,
        original_date: Option<NaiveDate>,
        source: Source,
        hash: String,
    }

    /// A month of the books was closed: it takes no new postings.
    PeriodClosed = "period.closed", version 1, subject "period" by month {
        month: String,
        reason: Option<String>,
    }

    /// A closed month was reopened (owner only).
    PeriodReopened = "period.reopened", version 1, subject "period" by month {
        month: String,
        reason: Option<String>,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<AccountCreated>(),
    EventSpec::of::<AccountUpdated>(),
    EventSpec::of::<JournalPosted>(),
    EventSpec::of::<PeriodClosed>(),
    EventSpec::of::<PeriodReopened>(),
];

//! The events of the books: the chart changed, an entry was posted, a month closed or reopened.

use super::chart::AccountType;
use super::posting::Source;
use crate::billing::model::Fx;
use crate::events::EventSpec;
use crate::ids::{AccountId, ExpenseId, JournalEntryId, OrgId, VendorId};
use chrono::NaiveDate;

/// One part of an expense on the books: an amount, and the building or unit it is for (neither:
/// the portfolio).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExpensePart {
    pub building_id: Option<String>,
    pub unit_id: Option<String>,
    pub amount: crate::money::MoneyDto,
}

crate::domain_event! {
    /// An expense was booked: paid from a bank or cash account, or owed as a bill.
    ExpenseRecorded = "expense.recorded", version 1, subject "expense" by expense_id {
        expense_id: ExpenseId,
        date: NaiveDate,
        amount: crate::money::MoneyDto,
        /// The expense (or fixed-asset) account debited.
        account_code: String,
        vendor_id: Option<VendorId>,
        parts: Vec<ExpensePart>,
        /// The account credited: the bank or cash it was paid from, or Accounts payable.
        credit_account: String,
        status: super::expense_model::ExpenseStatus,
        /// The rate into the base currency it is valued at.
        fx: Option<Fx>,
    }

    /// An expense was entered over an approval workflow's threshold: it is held, not booked,
    /// until the workflow completes (then `expense.recorded`) or is rejected (`expense.rejected`).
    ExpenseApprovalRequested = "expense.approval_requested", version 1, subject "expense" by expense_id {
        expense_id: ExpenseId,
        date: NaiveDate,
        amount: crate::money::MoneyDto,
        account_code: String,
        vendor_id: Option<VendorId>,
        parts: Vec<ExpensePart>,
        credit_account: String,
        fx: Option<Fx>,
    }

    /// An expense held for approval was rejected: void, never booked.
    ExpenseRejected = "expense.rejected", version 1, subject "expense" by expense_id {
        expense_id: ExpenseId,
        reason: Option<String>,
    }

    /// A bill was paid.
    ExpensePaid = "expense.paid", version 1, subject "expense" by expense_id {
        expense_id: ExpenseId,
        paid_on: NaiveDate,
        paid_from_code: String,
        parts: Vec<ExpensePart>,
        /// The expense account the bill is for (older events: unknown).
        #[serde(default)]
        account_code: Option<String>,
        /// The bill's rate (what it owes is valued at) and the rate on the day it was paid.
        fx: Option<Fx>,
        paid_fx: Option<Fx>,
    }

    /// An expense was voided by a reversing entry.
    ExpenseVoided = "expense.voided", version 1, subject "expense" by expense_id {
        expense_id: ExpenseId,
        date: NaiveDate,
        account_code: String,
        parts: Vec<ExpensePart>,
        /// What the booking credited (a bank, or Accounts payable for a bill).
        credit_account: String,
        /// The bank a bill was paid from, if it was paid.
        paid_from_code: Option<String>,
        reason: Option<String>,
        fx: Option<Fx>,
        paid_fx: Option<Fx>,
    }

    /// An expense moved to another account or other buildings/units (a correcting entry).
    ExpenseReclassified = "expense.reclassified", version 1, subject "expense" by expense_id {
        expense_id: ExpenseId,
        date: NaiveDate,
        revision: u32,
        before_account_code: String,
        before_parts: Vec<ExpensePart>,
        account_code: String,
        parts: Vec<ExpensePart>,
        fx: Option<Fx>,
        /// The bill is still owed: what it owes moves to the new account too.
        #[serde(default)]
        payable: bool,
    }

    /// An uploaded receipt was checked and read (or kept as unreadable or rejected).
    ReceiptRead = "receipt.read", version 1, subject "receipt" by receipt_id {
        receipt_id: crate::ids::ReceiptId,
        expense_id: ExpenseId,
        status: super::receipts::ReceiptStatus,
        extracted: Option<super::receipts::Extracted>,
    }

    /// A vendor was added.
    VendorCreated = "vendor.created", version 1, subject "vendor" by vendor_id {
        vendor_id: VendorId,
        name: String,
        kind: super::vendors::VendorKind,
        form1099: bool,
    }

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

    /// The owner asked for the books to be rebuilt from their sources (queued for
    /// `consumer-books`, behind the org's money events).
    BooksRebuildRequested = "books.rebuild_requested", version 1, subject "org" by org_id {
        org_id: OrgId,
        reason: Option<String>,
    }

    /// The journal was deleted and re-posted from the source log: `sameHash` says the chain
    /// ended where it did before.
    BooksRebuilt = "books.rebuilt", version 1, subject "org" by org_id {
        org_id: OrgId,
        entries: u64,
        hash: String,
        previous_hash: Option<String>,
        same_hash: bool,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<ReceiptRead>(),
    EventSpec::of::<ExpenseRecorded>(),
    EventSpec::of::<ExpenseApprovalRequested>(),
    EventSpec::of::<ExpenseRejected>(),
    EventSpec::of::<ExpensePaid>(),
    EventSpec::of::<ExpenseVoided>(),
    EventSpec::of::<ExpenseReclassified>(),
    EventSpec::of::<VendorCreated>(),
    EventSpec::of::<AccountCreated>(),
    EventSpec::of::<AccountUpdated>(),
    EventSpec::of::<JournalPosted>(),
    EventSpec::of::<PeriodClosed>(),
    EventSpec::of::<PeriodReopened>(),
    EventSpec::of::<BooksRebuildRequested>(),
    EventSpec::of::<BooksRebuilt>(),
];

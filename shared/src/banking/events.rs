//! The events of bank feeds.

use crate::events::EventSpec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a bank transaction was matched to, and the account its money sat in before (the books
/// move it from there into the bank account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchedLine {
    /// `payment`, `expense` or `payout`.
    pub kind: String,
    pub id: String,
    /// Signed as the bank sees it: money in is positive.
    pub amount: crate::money::MoneyDto,
    /// The account the money was booked to (Undeposited funds for a payment, the bank or cash
    /// account an expense was paid from, Operating for a Stripe payout).
    pub from_account_code: String,
}

crate::domain_event! {
    /// The org connected a bank (a Plaid Item); its mapped accounts are synced from now on.
    BankFeedConnected = "bank_feed.connected", version 1, subject "bank_feed" by item_id {
        item_id: String,
        institution_name: Option<String>,
        accounts: u32,
    }

    /// The org disconnected a bank: no more syncs; its transactions and matches stay.
    BankFeedDisconnected = "bank_feed.disconnected", version 1, subject "bank_feed" by item_id {
        item_id: String,
    }

    /// Plaid said new transactions are ready (`SYNC_UPDATES_AVAILABLE`): a sync is queued.
    BankSyncRequested = "bank_feed.sync_requested", version 1, subject "bank_feed" by item_id {
        item_id: String,
        /// The webhook code, or what else asked.
        reason: String,
    }

    /// A sync applied Plaid's changes up to its new cursor.
    BankFeedSynced = "bank_feed.synced", version 1, subject "bank_feed" by item_id {
        item_id: String,
        added: u32,
        modified: u32,
        removed: u32,
        /// Pages read, and how many times pagination restarted because the data changed.
        pages: u32,
        restarts: u32,
        /// New transactions matched automatically, and categorized by a rule.
        matched: u32,
        categorized: u32,
    }

    /// A bank transaction was reconciled: the books move each line's money from its account
    /// into the bank account.
    BankTransactionMatched = "bank_transaction.matched", version 1, subject "bank_transaction" by bank_transaction_id {
        bank_transaction_id: String,
        /// Increases with every match of this transaction (its postings' source).
        revision: u32,
        date: NaiveDate,
        /// The chart's bank account the transaction was seen in.
        account_code: String,
        amount: crate::money::MoneyDto,
        lines: Vec<MatchedLine>,
        /// `auto`, `rule:<id>` or the member's id.
        matched_by: String,
    }

    /// A match was undone: the books move the money back.
    BankTransactionUnmatched = "bank_transaction.unmatched", version 1, subject "bank_transaction" by bank_transaction_id {
        bank_transaction_id: String,
        revision: u32,
        date: NaiveDate,
        account_code: String,
        amount: crate::money::MoneyDto,
        lines: Vec<MatchedLine>,
        reason: String,
    }

    /// A bank rule was created, changed or deleted (`change`).
    BankRuleChanged = "bank_rule.changed", version 1, subject "bank_rule" by rule_id {
        rule_id: String,
        change: String,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<BankFeedConnected>(),
    EventSpec::of::<BankFeedDisconnected>(),
    EventSpec::of::<BankSyncRequested>(),
    EventSpec::of::<BankFeedSynced>(),
    EventSpec::of::<BankTransactionMatched>(),
    EventSpec::of::<BankTransactionUnmatched>(),
    EventSpec::of::<BankRuleChanged>(),
];

//! Bank feeds as stored and as the API shows them.

use super::events::MatchedLine;
use crate::ids::AccountId;
use crate::money::{MoneyDto, StoredMoney};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const ITEM_ENTITY: &str = "PlaidItem";
pub const ITEM_ROUTE_ENTITY: &str = "PlaidItemRoute";
pub const TRANSACTION_ENTITY: &str = "BankTransaction";
pub const MATCH_ENTITY: &str = "BankMatch";
pub const RULE_ENTITY: &str = "BankRule";

/// A Plaid account mapped to a bank account of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MappedAccount {
    pub plaid_account_id: String,
    /// The chart's bank account its transactions are seen in.
    pub account_id: AccountId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Active,
    /// No more syncs; the transactions and matches stay.
    Disconnected,
}

/// A connected bank (a Plaid Item) as stored: the access token only as KMS ciphertext.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemRecord {
    pub item_id: String,
    pub institution_name: Option<String>,
    pub accounts: Vec<MappedAccount>,
    pub status: ItemStatus,
    /// KMS ciphertext of the access token (removed on disconnect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Plaid's cursor after the last complete sync ("" before the first).
    #[serde(default)]
    pub cursor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_error: Option<String>,
    pub connected_at: DateTime<Utc>,
    pub connected_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnected_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub v: i64,
}

/// A connected bank as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaidItem {
    pub item_id: String,
    pub institution_name: Option<String>,
    pub accounts: Vec<MappedAccount>,
    pub status: ItemStatus,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub last_sync_error: Option<String>,
    pub connected_at: DateTime<Utc>,
    /// The member who connected it.
    pub connected_by: String,
    pub disconnected_at: Option<DateTime<Utc>>,
}

impl From<ItemRecord> for PlaidItem {
    fn from(r: ItemRecord) -> PlaidItem {
        PlaidItem {
            item_id: r.item_id,
            institution_name: r.institution_name,
            accounts: r.accounts,
            status: r.status,
            last_synced_at: r.last_synced_at,
            last_sync_error: r.last_sync_error,
            connected_at: r.connected_at,
            connected_by: r.connected_by,
            disconnected_at: r.disconnected_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BankStatus {
    Unmatched,
    Matched,
    Ignored,
    /// Plaid removed it (a tombstone: it stays for the record, out of every list).
    Removed,
}

impl BankStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BankStatus::Unmatched => "unmatched",
            BankStatus::Matched => "matched",
            BankStatus::Ignored => "ignored",
            BankStatus::Removed => "removed",
        }
    }
}

/// The statuses a list asks for (the removed ones are kept out of every list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListedStatus {
    Unmatched,
    Matched,
    Ignored,
}

impl From<ListedStatus> for BankStatus {
    fn from(s: ListedStatus) -> BankStatus {
        match s {
            ListedStatus::Unmatched => BankStatus::Unmatched,
            ListedStatus::Matched => BankStatus::Matched,
            ListedStatus::Ignored => BankStatus::Ignored,
        }
    }
}

/// A bank transaction as stored (its id is Plaid's `transaction_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionRecord {
    pub id: String,
    pub item_id: String,
    pub plaid_account_id: String,
    pub account_id: AccountId,
    pub account_code: String,
    pub date: NaiveDate,
    /// Money in is positive (Plaid's sign turned around).
    pub amount: StoredMoney,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub pending: bool,
    /// The pending transaction this posted one replaced (its match, if any, came along).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    pub status: BankStatus,
    #[serde(default)]
    pub lines: Vec<MatchedLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_at: Option<DateTime<Utc>>,
    /// How many times it was matched (each match posts under its own revision).
    #[serde(default)]
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub v: i64,
}

impl TransactionRecord {
    pub fn money(&self) -> crate::money::Money {
        crate::money::Money::new(self.amount.minor, self.amount.currency)
    }

    /// Everything the matcher and the rules read of its words.
    pub fn text(&self) -> String {
        [Some(self.description.as_str()), self.merchant_name.as_deref(), self.reference.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A ranked candidate for an unmatched bank transaction.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// `payment`, `expense` or `payout`.
    pub kind: String,
    pub id: String,
    pub date: NaiveDate,
    pub amount: MoneyDto,
    pub description: String,
    /// 0–100: 60 for the exact amount, up to 30 for the date, up to 10 for the words.
    pub score: u32,
    /// A payment's lease.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease_id: Option<String>,
}

/// What a match is made of (as shown).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankTransaction {
    pub id: String,
    pub item_id: String,
    pub account_id: AccountId,
    pub date: NaiveDate,
    /// Money in is positive, money out negative.
    pub amount: MoneyDto,
    /// `in` or `out`.
    pub direction: String,
    pub description: String,
    pub merchant_name: Option<String>,
    pub reference: Option<String>,
    pub pending: bool,
    pub replaces: Option<String>,
    pub status: BankStatus,
    pub matches: Vec<MatchedLine>,
    pub matched_by: Option<String>,
    pub matched_at: Option<DateTime<Utc>>,
    /// Unmatched ones: the ranked candidates (best first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Vec<Suggestion>>,
}

impl BankTransaction {
    pub fn of(r: TransactionRecord, suggestions: Option<Vec<Suggestion>>) -> BankTransaction {
        let direction = if r.amount.minor >= 0 { "in" } else { "out" };
        BankTransaction {
            amount: r.money().into(),
            direction: direction.into(),
            id: r.id,
            item_id: r.item_id,
            account_id: r.account_id,
            date: r.date,
            description: r.description,
            merchant_name: r.merchant_name,
            reference: r.reference,
            pending: r.pending,
            replaces: r.replaces,
            status: r.status,
            matches: r.lines,
            matched_by: r.matched_by,
            matched_at: r.matched_at,
            suggestions,
        }
    }
}

/// An unmatched posted transaction in the Operating account (the unit tests' one).
#[cfg(test)]
pub(crate) fn sample(minor: i64, currency: &str, date: &str, text: &str) -> TransactionRecord {
    let at = chrono::DateTime::UNIX_EPOCH;
    TransactionRecord {
        id: "t".into(),
        item_id: "i".into(),
        plaid_account_id: "a".into(),
        account_id: AccountId::of(&crate::ids::OrgId::new(), "1000"),
        account_code: "1000".into(),
        date: date.parse().expect("a date"),
        amount: StoredMoney { minor, currency: crate::money::Currency::parse(currency).expect("a currency") },
        description: text.into(),
        merchant_name: None,
        reference: None,
        pending: false,
        replaces: None,
        status: BankStatus::Unmatched,
        lines: vec![],
        matched_by: None,
        matched_at: None,
        revision: 0,
        created_at: at,
        updated_at: at,
        v: 0,
    }
}

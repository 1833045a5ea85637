//! What the books store and answer: accounts, journal entries with their lines, the books' head,
//! periods, and the inputs that change them.

use super::chart::{AccountSubtype, AccountType, ScheduleE, Seeded};
use super::posting::Source;
use crate::ids::{AccountId, JournalEntryId, OrgId};
use crate::money::{Currency, Money, MoneyDto, StoredMoney};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const ACCOUNT_ENTITY: &str = "Account";
pub const HEAD_ENTITY: &str = "BooksHead";
pub const ENTRY_ENTITY: &str = "JournalEntry";
pub const ENTRY_ID_ENTITY: &str = "JournalEntryId";
pub const POSTING_ENTITY: &str = "AccountPosting";
pub const PERIOD_ENTITY: &str = "Period";

/// An account as stored and answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: AccountId,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub type_: AccountType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<AccountSubtype>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<AccountId>,
    /// Income and expense accounts: the Schedule E line (`"3"`–`"19"`) or `"none"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "14")]
    pub schedule_e: Option<String>,
    /// The currency a bank account holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "USD")]
    pub currency: Option<String>,
    /// One of the accounts every org starts with: it can be renamed, never removed or re-typed.
    pub seeded: bool,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Account {
    pub fn seeded(org: &OrgId, s: &Seeded, now: DateTime<Utc>) -> Account {
        Account {
            id: AccountId::of(org, s.code),
            code: s.code.to_owned(),
            name: s.name.to_owned(),
            type_: s.kind,
            subtype: s.subtype,
            parent_id: None,
            schedule_e: s.kind.needs_schedule_e().then(|| s.schedule_e.as_str()),
            currency: None,
            seeded: true,
            archived: false,
            created_at: now,
            updated_at: now,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateAccount {
    /// 1–10 digits, unique in the org (sorts the chart).
    #[schema(example = "5145", pattern = "^[0-9]{1,10}$")]
    pub code: String,
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    #[serde(rename = "type")]
    pub type_: AccountType,
    #[serde(default)]
    pub subtype: Option<AccountSubtype>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub parent_id: Option<String>,
    /// Required on income and expense accounts: `"3"`–`"19"` or `"none"`.
    #[serde(default)]
    #[schema(example = "14", pattern = "^(none|[3-9]|1[0-9])$")]
    pub schedule_e: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::money::CurrencyCode>)]
    pub currency: Option<String>,
}

/// Rename, re-parent, archive; a custom account's Schedule E line. Type and code never change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateAccount {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub parent_id: Option<String>,
    #[serde(default)]
    #[schema(pattern = "^(none|[3-9]|1[0-9])$")]
    pub schedule_e: Option<String>,
    #[serde(default)]
    pub archived: Option<bool>,
}

/// A parsed Schedule E line, for the classification check.
pub fn schedule_e(v: &Option<String>) -> Result<Option<ScheduleE>, crate::FieldError> {
    match v {
        None => Ok(None),
        Some(s) => ScheduleE::parse(s)
            .map(Some)
            .ok_or_else(|| crate::FieldError::new("scheduleE", "must be a Schedule E line \"3\"–\"19\" or \"none\"")),
    }
}

/// The books' head: what the next posting chains from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Head {
    pub seq: u64,
    /// Hex SHA-256 of the last entry (64 zeros before the first).
    pub hash: String,
    /// The earliest year any entry is dated in (where registers start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_year: Option<i32>,
    /// Bumped by every close and reopen, so a posting decided on stale periods does not commit.
    #[serde(default)]
    pub periods_version: u64,
    /// Set while the books are rebuilt from their sources: nothing else posts meanwhile.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rebuilding: bool,
}

pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored line: an account, a currency, a debit or a credit in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineRecord {
    pub account_id: AccountId,
    pub code: String,
    pub currency: Currency,
    /// Debit positive, credit negative.
    pub minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    /// A foreign line's amount in the base currency at its source's rate (signed like `minor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<StoredMoney>,
    /// On a receivable or payable line: the code of the income or expense account it is owed for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
}

/// A journal entry as stored (`ORG#o#JRNL` / `<seq>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryRecord {
    pub id: JournalEntryId,
    pub seq: u64,
    /// What it was posted from, deterministic (`payment:pay_…`).
    pub key: String,
    pub source: Source,
    pub date: NaiveDate,
    /// The day it belonged to when that month was closed (it was posted on `date` instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_date: Option<NaiveDate>,
    pub memo: String,
    pub lines: Vec<LineRecord>,
    pub prev_hash: String,
    pub hash: String,
    pub posted_at: DateTime<Utc>,
    pub posted_by: String,
}

/// What the hash covers: everything of the entry but when and by whom it was written (so a
/// rebuild reproduces it), in a fixed field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Canonical<'a> {
    seq: u64,
    id: &'a JournalEntryId,
    key: &'a str,
    source: &'a Source,
    date: NaiveDate,
    original_date: Option<NaiveDate>,
    memo: &'a str,
    lines: &'a [LineRecord],
}

impl EntryRecord {
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(&Canonical {
            seq: self.seq,
            id: &self.id,
            key: &self.key,
            source: &self.source,
            date: self.date,
            original_date: self.original_date,
            memo: &self.memo,
            lines: &self.lines,
        })
        .expect("entries serialize")
    }
}

/// A line as the API shows it: `debit` or `credit`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub account_id: AccountId,
    pub account_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debit: Option<MoneyDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<MoneyDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    /// A foreign line's amount in the base currency at its source's rate; a realized FX line
    /// has only this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_debit: Option<MoneyDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_credit: Option<MoneyDto>,
    /// On a receivable or payable line: the code of the income or expense account it is owed
    /// for (what a cash-basis report counts the money meeting it as).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owed_for: Option<String>,
}

/// `GET …/journal/{entryId}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub id: JournalEntryId,
    pub seq: u64,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_date: Option<NaiveDate>,
    pub memo: String,
    pub source: Source,
    pub lines: Vec<Line>,
    pub hash: String,
    pub prev_hash: String,
    pub posted_at: DateTime<Utc>,
    /// The member, or `system:books` for what the poster posted from an event.
    pub posted_by: String,
}

/// A signed amount as (debit, credit).
pub fn sides(m: Option<Money>) -> (Option<MoneyDto>, Option<MoneyDto>) {
    match m {
        Some(m) if m.minor > 0 => (Some(m.into()), None),
        Some(m) if m.minor < 0 => (None, Some(Money::new(-m.minor, m.currency).into())),
        _ => (None, None),
    }
}

impl From<EntryRecord> for JournalEntry {
    fn from(r: EntryRecord) -> Self {
        let lines = r
            .lines
            .into_iter()
            .map(|l| {
                let m = |v: i64| Some(MoneyDto::from(Money::new(v, l.currency)));
                let (base_debit, base_credit) = sides(l.base.map(Money::from));
                Line {
                    account_id: l.account_id,
                    account_code: l.code,
                    debit: if l.minor > 0 { m(l.minor) } else { None },
                    credit: if l.minor < 0 { m(-l.minor) } else { None },
                    building_id: l.building_id,
                    unit_id: l.unit_id,
                    base_debit,
                    base_credit,
                    owed_for: l.of,
                }
            })
            .collect();
        JournalEntry {
            id: r.id,
            seq: r.seq,
            date: r.date,
            original_date: r.original_date,
            memo: r.memo,
            source: r.source,
            lines,
            hash: r.hash,
            prev_hash: r.prev_hash,
            posted_at: r.posted_at,
            posted_by: r.posted_by,
        }
    }
}

/// One line of a manual entry: an account and a debit or a credit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualLine {
    #[schema(value_type = AccountId)]
    pub account_id: String,
    #[serde(default)]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub debit: Option<MoneyDto>,
    #[serde(default)]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub credit: Option<MoneyDto>,
    #[serde(default)]
    #[schema(value_type = Option<crate::ids::BuildingId>)]
    pub building_id: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::ids::UnitId>)]
    pub unit_id: Option<String>,
}

/// `POST …/journal`: an owner's or accountant's own entry, balanced per currency.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualEntry {
    #[serde(deserialize_with = "crate::validation::date::strict")]
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    #[schema(value_type = crate::validation::schema::Text200)]
    pub memo: String,
    #[schema(min_items = 2, max_items = 90)]
    pub lines: Vec<ManualLine>,
}

/// One account's balance in one currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalanceRow {
    pub account_id: AccountId,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub type_: AccountType,
    /// The balance when it is a debit balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debit: Option<MoneyDto>,
    /// The balance when it is a credit balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<MoneyDto>,
    /// The balance in the base currency: a foreign balance at its entries' stored rates (absent
    /// when one of its lines had no rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_debit: Option<MoneyDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_credit: Option<MoneyDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyTotals {
    #[schema(example = "USD")]
    pub currency: String,
    pub debits: MoneyDto,
    pub credits: MoneyDto,
}

/// `GET …/trial-balance?asOf=`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalance {
    pub as_of: NaiveDate,
    pub accounts: Vec<TrialBalanceRow>,
    /// Per currency: total debit balances and total credit balances (equal in balanced books).
    pub totals: Vec<CurrencyTotals>,
    pub balanced: bool,
    /// In the org's base currency over every row with a base amount (realized FX included);
    /// `baseBalanced` when they are equal.
    pub base_totals: CurrencyTotals,
    pub base_balanced: bool,
    /// Rows in a foreign currency some line of which had no rate (not in `baseTotals`).
    pub unvalued: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Break {
    pub seq: u64,
    pub id: Option<JournalEntryId>,
    pub reason: String,
}

/// `GET …/books/verify`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub entries: u64,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_break: Option<Break>,
    pub totals: Vec<CurrencyTotals>,
}

/// One posting of an account's register, with the running balance (in the account's normal
/// direction: a debit raises an asset's balance, a credit a liability's).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRow {
    pub date: NaiveDate,
    pub entry_id: JournalEntryId,
    pub seq: u64,
    pub memo: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debit: Option<MoneyDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<MoneyDto>,
    pub balance: MoneyDto,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
}

/// `GET …/accounts/{accountId}/register`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Register {
    pub account_id: AccountId,
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// The balance before `from`, per currency.
    pub opening: Vec<MoneyDto>,
    pub items: Vec<RegisterRow>,
    pub closing: Vec<MoneyDto>,
}

/// A stored posting of one line (`ORG#o#ACCT#<code>#<yyyy>` / `<date>#<seq>#<line>`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingRecord {
    pub entry_id: JournalEntryId,
    pub seq: u64,
    pub date: NaiveDate,
    pub memo: String,
    pub currency: Currency,
    pub minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<StoredMoney>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    Open,
    Closed,
}

/// A month of the books.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// `YYYY-MM`.
    #[schema(example = "2026-03")]
    pub month: String,
    pub status: PeriodStatus,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
}

use crate::ids::check_id;
use crate::validation::{check_opt_text, check_text, Validate};

impl Validate for CreateAccount {
    fn validate(&self) -> Vec<crate::FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        check_id(&mut e, "parentId", self.parent_id.as_deref(), AccountId::parse, "an account id");
        e
    }
}

impl Validate for UpdateAccount {
    fn validate(&self) -> Vec<crate::FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "name", self.name.as_deref(), 200);
        check_id(&mut e, "parentId", self.parent_id.as_deref(), AccountId::parse, "an account id");
        e
    }
}

impl Validate for ManualEntry {
    fn validate(&self) -> Vec<crate::FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "memo", &self.memo, 200);
        for (i, l) in self.lines.iter().enumerate() {
            check_id(&mut e, &format!("lines[{i}].accountId"), Some(&l.account_id), AccountId::parse, "an account id");
            check_id(
                &mut e,
                &format!("lines[{i}].buildingId"),
                l.building_id.as_deref(),
                crate::ids::BuildingId::parse,
                "a building id",
            );
            check_id(
                &mut e,
                &format!("lines[{i}].unitId"),
                l.unit_id.as_deref(),
                crate::ids::UnitId::parse,
                "a unit id",
            );
        }
        e
    }
}

/// `POST …/periods/{month}:close|:reopen`: why (kept in the audit log and the event).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeriodChange {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub reason: Option<String>,
}

impl Validate for PeriodChange {
    fn validate(&self) -> Vec<crate::FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "reason", self.reason.as_deref(), 500);
        e
    }
}

//! The chart of accounts: account types and subtypes, the Schedule E line every income and
//! expense account maps to (so nothing silently drops off the tax report), and the accounts every
//! org is seeded with (REFERENCE §C1, §D: peers align their categories with Schedule E Part I,
//! lines 3–19).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
}

impl AccountType {
    /// Income and expense accounts reach the P&L, so they must name their Schedule E line.
    pub fn needs_schedule_e(self) -> bool {
        matches!(self, AccountType::Income | AccountType::Expense)
    }

    /// Debit-normal accounts (assets, expenses) grow with debits; the others with credits.
    pub fn debit_normal(self) -> bool {
        matches!(self, AccountType::Asset | AccountType::Expense)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountSubtype {
    Bank,
    Cash,
    Clearing,
    Receivable,
    DepositsHeld,
    PrepaidRent,
    Payable,
    FixedAsset,
    AccumulatedDepreciation,
    Loan,
}

/// A line of Schedule E Part I that an account's amounts are reported on: 3 (rents) to 19
/// (other), or none (an account outside the P&L, or deliberately not reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleE {
    Line(u8),
    None,
}

impl ScheduleE {
    /// `"3"`–`"19"` or `"none"`, as the API takes it.
    pub fn parse(s: &str) -> Option<ScheduleE> {
        if s == "none" {
            return Some(ScheduleE::None);
        }
        if s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse::<u8>().ok().filter(|n| (3..=19).contains(n)).map(ScheduleE::Line)
    }

    pub fn as_str(self) -> String {
        match self {
            ScheduleE::Line(n) => n.to_string(),
            ScheduleE::None => "none".into(),
        }
    }
}

/// An account of the seeded chart: a stable code, its name, type, subtype and Schedule E line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: AccountType,
    pub subtype: Option<AccountSubtype>,
    pub schedule_e: ScheduleE,
}

const fn acct(
    code: &'static str,
    name: &'static str,
    kind: AccountType,
    subtype: Option<AccountSubtype>,
    schedule_e: ScheduleE,
) -> Seeded {
    Seeded { code, name, kind, subtype, schedule_e }
}

use AccountSubtype as S;
use AccountType as T;
use ScheduleE::{Line, None as Off};

/// The accounts every org starts with (issue "2 of 6", point 1): renamable, never deleted or
/// re-typed. Codes follow the usual numbering (1xxx assets … 5xxx expenses).
pub const SEEDED: &[Seeded] = &[
    acct("1000", "Operating account", T::Asset, Some(S::Bank), Off),
    acct("1050", "Undeposited funds", T::Asset, Some(S::Clearing), Off),
    acct("1060", "Stripe clearing", T::Asset, Some(S::Clearing), Off),
    acct("1200", "Accounts receivable", T::Asset, Some(S::Receivable), Off),
    acct("1500", "Fixed assets", T::Asset, Some(S::FixedAsset), Off),
    acct("1510", "Accumulated depreciation", T::Asset, Some(S::AccumulatedDepreciation), Off),
    acct("2000", "Accounts payable", T::Liability, Some(S::Payable), Off),
    acct("2100", "Security deposits held", T::Liability, Some(S::DepositsHeld), Off),
    acct("2110", "Security deposits due", T::Liability, None, Off),
    acct("2200", "Prepaid rent", T::Liability, Some(S::PrepaidRent), Off),
    acct("3000", "Owner contributions", T::Equity, None, Off),
    acct("3100", "Owner draws", T::Equity, None, Off),
    // Where balances brought over from another system start (imported opening balances).
    acct("3900", "Opening balance equity", T::Equity, None, Off),
    acct("4000", "Rent", T::Income, None, Line(3)),
    acct("4100", "Late fees", T::Income, None, Line(3)),
    acct("4900", "Other income", T::Income, None, Line(3)),
    // Rent received in a foreign currency is income at its value when received: the difference
    // to its value when charged belongs with the rent (line 3).
    acct("4950", "Realized FX gain/loss", T::Income, None, Line(3)),
    acct("5050", "Advertising", T::Expense, None, Line(5)),
    acct("5060", "Auto and travel", T::Expense, None, Line(6)),
    acct("5070", "Cleaning and maintenance", T::Expense, None, Line(7)),
    acct("5080", "Commissions", T::Expense, None, Line(8)),
    acct("5090", "Insurance", T::Expense, None, Line(9)),
    acct("5100", "Legal and other professional fees", T::Expense, None, Line(10)),
    acct("5110", "Management fees", T::Expense, None, Line(11)),
    acct("5120", "Mortgage interest paid to banks", T::Expense, None, Line(12)),
    acct("5130", "Other interest", T::Expense, None, Line(13)),
    acct("5140", "Repairs", T::Expense, None, Line(14)),
    acct("5150", "Supplies", T::Expense, None, Line(15)),
    acct("5160", "Taxes", T::Expense, None, Line(16)),
    acct("5170", "Utilities", T::Expense, None, Line(17)),
    acct("5180", "Depreciation", T::Expense, None, Line(18)),
    acct("5190", "Other", T::Expense, None, Line(19)),
];

/// The seeded accounts the posting rules write to, by code.
pub mod code {
    pub const OPERATING: &str = "1000";
    pub const UNDEPOSITED_FUNDS: &str = "1050";
    pub const STRIPE_CLEARING: &str = "1060";
    pub const RECEIVABLE: &str = "1200";
    pub const FIXED_ASSETS: &str = "1500";
    pub const ACCUMULATED_DEPRECIATION: &str = "1510";
    pub const PAYABLE: &str = "2000";
    pub const DEPOSITS_HELD: &str = "2100";
    /// A deposit charged and not yet paid: it becomes held when paid.
    pub const DEPOSITS_DUE: &str = "2110";
    pub const PREPAID_RENT: &str = "2200";
    /// What tenants owed on the go-live day was income in the books before ours.
    pub const OPENING_EQUITY: &str = "3900";
    pub const RENT: &str = "4000";
    pub const LATE_FEES: &str = "4100";
    pub const OTHER_INCOME: &str = "4900";
    pub const FX_GAIN_LOSS: &str = "4950";
    pub const DEPRECIATION: &str = "5180";
    /// Schedule E line 19: where a draft from a receipt starts.
    pub const OTHER_EXPENSE: &str = "5190";
}

impl AccountSubtype {
    /// The account type a subtype belongs to.
    pub fn kind(self) -> AccountType {
        match self {
            S::Bank | S::Cash | S::Clearing | S::Receivable | S::FixedAsset | S::AccumulatedDepreciation => T::Asset,
            S::DepositsHeld | S::PrepaidRent | S::Payable | S::Loan => T::Liability,
        }
    }
}

/// Checks the classification of an account someone creates: its subtype belongs to its type,
/// and its Schedule E line fits — income on line 3 or 4, expenses on 5–19, or `none` said
/// explicitly; accounts outside the P&L take `none` or nothing. `None` for `schedule_e` means
/// the field was not sent.
pub fn check_classification(
    kind: AccountType,
    subtype: Option<AccountSubtype>,
    schedule_e: Option<ScheduleE>,
) -> Vec<crate::FieldError> {
    let mut errors = Vec::new();
    if let Some(sub) = subtype.filter(|s| s.kind() != kind) {
        let name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        let (sub_name, kind_name) = (name(serde_json::json!(sub)), name(serde_json::json!(sub.kind())));
        errors.push(crate::FieldError::new("subtype", format!("{sub_name} accounts are {kind_name} accounts")));
    }
    let fits = match (kind, schedule_e) {
        (T::Income | T::Expense, None) => {
            Err("required for income and expense accounts: a Schedule E line (\"3\"–\"19\") or \"none\"")
        }
        (T::Income, Some(Line(n))) if !(3..=4).contains(&n) => {
            Err("income is reported on Schedule E line 3 (rents) or 4 (royalties), or \"none\"")
        }
        (T::Expense, Some(Line(n))) if !(5..=19).contains(&n) => {
            Err("expenses are reported on Schedule E lines 5–19, or \"none\"")
        }
        (T::Asset | T::Liability | T::Equity, Some(Line(_))) => {
            Err("only income and expense accounts are reported on Schedule E; use \"none\"")
        }
        _ => Ok(()),
    };
    if let Err(msg) = fits {
        errors.push(crate::FieldError::new("scheduleE", msg));
    }
    errors
}

/// The seeded account of `subtype` (the postings of §5a name accounts by role, not by id).
pub fn seeded_by_subtype(subtype: AccountSubtype) -> Option<&'static Seeded> {
    SEEDED.iter().find(|a| a.subtype == Some(subtype))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_schedule_e_expense_line_has_exactly_one_seeded_account() {
        for line in 5..=19u8 {
            let n = SEEDED.iter().filter(|a| a.kind == T::Expense && a.schedule_e == Line(line)).count();
            assert_eq!(n, 1, "line {line}");
        }
    }

    #[test]
    fn income_and_expense_accounts_name_a_line_and_the_others_do_not() {
        for a in SEEDED {
            assert_eq!(a.kind.needs_schedule_e(), a.schedule_e != Off, "{}", a.name);
        }
        assert!(SEEDED.iter().any(|a| a.kind == T::Income && a.schedule_e == Line(3)));
    }

    #[test]
    fn codes_and_names_are_unique_and_roles_resolve() {
        assert_eq!(SEEDED.iter().map(|a| a.code).collect::<HashSet<_>>().len(), SEEDED.len());
        assert_eq!(SEEDED.iter().map(|a| a.name).collect::<HashSet<_>>().len(), SEEDED.len());
        for s in [S::Bank, S::Receivable, S::DepositsHeld, S::PrepaidRent, S::Payable, S::AccumulatedDepreciation] {
            assert!(seeded_by_subtype(s).is_some(), "{s:?}");
        }
    }

    #[test]
    fn custom_accounts_must_say_where_they_land_on_schedule_e() {
        let fields = |k, sub, e| check_classification(k, sub, e).into_iter().map(|f| f.field).collect::<Vec<_>>();
        assert!(fields(T::Expense, None, Some(Line(14))).is_empty());
        assert!(fields(T::Expense, None, Some(Off)).is_empty());
        assert!(fields(T::Income, None, Some(Line(4))).is_empty());
        assert!(fields(T::Asset, Some(S::Bank), None).is_empty());
        assert_eq!(fields(T::Expense, None, None), ["scheduleE"], "an unmapped expense account");
        assert_eq!(fields(T::Income, None, None), ["scheduleE"]);
        assert_eq!(fields(T::Income, None, Some(Line(14))), ["scheduleE"]);
        assert_eq!(fields(T::Expense, None, Some(Line(3))), ["scheduleE"]);
        assert_eq!(fields(T::Liability, None, Some(Line(19))), ["scheduleE"]);
        assert_eq!(fields(T::Liability, Some(S::Bank), None), ["subtype"]);
        let msg = &check_classification(T::Asset, Some(S::DepositsHeld), None)[0].message;
        assert_eq!(msg, "deposits_held accounts are liability accounts");
        assert_eq!(fields(T::Asset, Some(S::Loan), Some(Line(5))), ["subtype", "scheduleE"]);
        for a in SEEDED {
            assert!(check_classification(a.kind, a.subtype, Some(a.schedule_e)).is_empty(), "{}", a.name);
        }
    }

    #[test]
    fn schedule_e_lines_parse_strictly() {
        assert_eq!(ScheduleE::parse("3"), Some(Line(3)));
        assert_eq!(ScheduleE::parse("19"), Some(Line(19)));
        assert_eq!(ScheduleE::parse("none"), Some(Off));
        for bad in ["2", "20", "03", "+5", "", "None", "4.0"] {
            assert_eq!(ScheduleE::parse(bad), None, "{bad}");
        }
        assert_eq!(Line(12).as_str(), "12");
    }
}

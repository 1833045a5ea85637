//! The chart of accounts: account types and subtypes, the Schedule E line every income and
//! expense account maps to (so nothing silently drops off the tax report), and the accounts every
//! org is seeded with (REFERENCE §C1, §D: peers align their categories with Schedule E Part I,
//! lines 3–19).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    acct("2200", "Prepaid rent", T::Liability, Some(S::PrepaidRent), Off),
    acct("3000", "Owner contributions", T::Equity, None, Off),
    acct("3100", "Owner draws", T::Equity, None, Off),
    acct("4000", "Rent", T::Income, None, Line(3)),
    acct("4100", "Late fees", T::Income, None, Line(3)),
    acct("4900", "Other income", T::Income, None, Line(3)),
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

//! Journal entries: the rule every entry obeys (Σ debits = Σ credits per currency, at least two
//! lines, no zero or negative line) and the hash chain that makes an edit or a gap in the org's
//! sequence of entries detectable (`hash = SHA-256(prevHash ‖ canonical entry)`).

use crate::money::{Currency, Money};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Which side of the entry a line is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Debit(Money),
    Credit(Money),
}

/// Why a set of lines is not an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("an entry needs at least two lines")]
    TooFewLines,
    #[error("lines[{0}]: an amount must be greater than zero")]
    NotPositive(usize),
    #[error("debits and credits differ in {currency}: {debits} debited, {credits} credited")]
    Unbalanced { currency: Currency, debits: String, credits: String },
}

/// Checks `lines` form a balanced entry: each currency's debits equal its credits exactly.
pub fn check_balanced(lines: &[Side]) -> Result<(), EntryError> {
    if lines.len() < 2 {
        return Err(EntryError::TooFewLines);
    }
    let mut totals: BTreeMap<String, (Currency, i128, i128)> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let (m, debit) = match line {
            Side::Debit(m) => (m, true),
            Side::Credit(m) => (m, false),
        };
        if m.minor <= 0 {
            return Err(EntryError::NotPositive(i));
        }
        let t = totals.entry(m.currency.code().to_owned()).or_insert((m.currency, 0, 0));
        if debit {
            t.1 += i128::from(m.minor);
        } else {
            t.2 += i128::from(m.minor);
        }
    }
    for (currency, debits, credits) in totals.into_values() {
        if debits != credits {
            let show = |minor: i128| Money::new(minor as i64, currency).amount_string();
            return Err(EntryError::Unbalanced { currency, debits: show(debits), credits: show(credits) });
        }
    }
    Ok(())
}

/// The hash of an entry: SHA-256 over the previous entry's hash and this entry's canonical bytes.
/// The first entry of an org chains from 32 zero bytes.
pub fn chain_hash(prev: &[u8; 32], canonical: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical);
    h.finalize().into()
}

/// The first position where a sequence of `(canonical entry, stored hash)` stops matching its
/// chain (an edited, removed or inserted entry), or `None` if the whole chain holds.
pub fn first_break<'a>(entries: impl IntoIterator<Item = (&'a [u8], [u8; 32])>) -> Option<usize> {
    let mut prev = [0u8; 32];
    for (i, (canonical, stored)) in entries.into_iter().enumerate() {
        if chain_hash(&prev, canonical) != stored {
            return Some(i);
        }
        prev = stored;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::parse("USD").unwrap())
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::parse("EUR").unwrap())
    }

    #[test]
    fn a_rent_charge_balances_and_a_cent_off_does_not() {
        assert_eq!(check_balanced(&[Side::Debit(usd(155_000)), Side::Credit(usd(155_000))]), Ok(()));
        let off = check_balanced(&[Side::Debit(usd(155_000)), Side::Credit(usd(154_999))]).unwrap_err();
        assert_eq!(off.to_string(), "debits and credits differ in USD: 1550.00 debited, 1549.99 credited");
    }

    #[test]
    fn each_currency_balances_on_its_own() {
        let crossed = [Side::Debit(usd(100)), Side::Credit(eur(100))];
        assert!(matches!(check_balanced(&crossed), Err(EntryError::Unbalanced { .. })));
        let both = [Side::Debit(usd(100)), Side::Credit(usd(100)), Side::Debit(eur(7)), Side::Credit(eur(7))];
        assert_eq!(check_balanced(&both), Ok(()));
    }

    #[test]
    fn degenerate_entries_are_refused() {
        assert_eq!(check_balanced(&[Side::Debit(usd(1))]), Err(EntryError::TooFewLines));
        assert_eq!(check_balanced(&[Side::Debit(usd(0)), Side::Credit(usd(0))]), Err(EntryError::NotPositive(0)));
        assert_eq!(check_balanced(&[Side::Debit(usd(5)), Side::Credit(usd(-5))]), Err(EntryError::NotPositive(1)));
    }

    #[test]
    fn the_chain_finds_an_edit_and_a_gap() {
        let bodies: Vec<Vec<u8>> = (0..5).map(|i| format!("entry {i}").into_bytes()).collect();
        let mut prev = [0u8; 32];
        let hashes: Vec<[u8; 32]> = bodies
            .iter()
            .map(|b| {
                prev = chain_hash(&prev, b);
                prev
            })
            .collect();
        let chain = |b: &[Vec<u8>], h: &[[u8; 32]]| first_break(b.iter().map(Vec::as_slice).zip(h.iter().copied()));
        assert_eq!(chain(&bodies, &hashes), None);
        let mut edited = bodies.clone();
        edited[2] = b"entry 2, amount changed".to_vec();
        assert_eq!(chain(&edited, &hashes), Some(2));
        let (mut gap_b, mut gap_h) = (bodies.clone(), hashes.clone());
        gap_b.remove(3);
        gap_h.remove(3);
        assert_eq!(chain(&gap_b, &gap_h), Some(3));
    }

    proptest! {
        /// Any split of a debit into several credits balances; moving one cent breaks it.
        #[test]
        fn splits_balance_exactly(parts in proptest::collection::vec(1i64..10_000_000, 1..12), nudge in 0usize..12) {
            let total: i64 = parts.iter().sum();
            let mut lines = vec![Side::Debit(usd(total))];
            lines.extend(parts.iter().map(|p| Side::Credit(usd(*p))));
            prop_assert_eq!(check_balanced(&lines), Ok(()));
            let i = 1 + nudge % parts.len();
            if let Side::Credit(m) = lines[i] {
                lines[i] = Side::Credit(usd(m.minor + 1));
            }
            prop_assert!(matches!(check_balanced(&lines), Err(EntryError::Unbalanced { .. })), "one cent more must not balance");
        }
    }
}

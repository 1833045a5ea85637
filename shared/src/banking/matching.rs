//! Scoring bank transactions against what the product recorded: tenant payments banked by hand
//! (they wait in Undeposited funds), Stripe payouts (the deposit Stripe makes, never the rents it
//! pays out), and expenses paid from a bank account. A candidate must have the transaction's
//! exact amount and currency and a date within `WINDOW_DAYS`; its score is 60 for the amount, up
//! to 30 for the date (5 less per day apart) and up to 10 for the words they share. One
//! candidate scoring `CONFIDENT` or more, `MARGIN` ahead of the next, is matched automatically;
//! otherwise the candidates are suggestions, best first.

use super::model::{Suggestion, TransactionRecord};
use crate::money::{Currency, Money};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

pub const WINDOW_DAYS: i64 = 7;
pub const CONFIDENT: u32 = 80;
pub const MARGIN: u32 = 10;
/// Suggestions shown per transaction.
pub const SHOWN: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Payment,
    Payout,
    Expense,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Payment => "payment",
            Kind::Payout => "payout",
            Kind::Expense => "expense",
        }
    }
}

/// Something recorded that a bank transaction may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: Kind,
    pub id: String,
    pub date: NaiveDate,
    /// Signed as the bank would see it: a payment or payout is money in, an expense money out.
    pub minor: i64,
    pub currency: Currency,
    /// Its words: reference, vendor, memo.
    pub text: String,
    /// The account its money sits in on the books.
    pub account_code: String,
    /// A payment's lease.
    pub lease_id: Option<String>,
}

impl Candidate {
    pub fn suggestion(&self, score: u32) -> Suggestion {
        Suggestion {
            kind: self.kind.as_str().into(),
            id: self.id.clone(),
            date: self.date,
            amount: Money::new(self.minor, self.currency).into(),
            description: self.text.clone(),
            score,
            lease_id: self.lease_id.clone(),
        }
    }
}

/// The words of `text` worth comparing: lowercase letters and digits, 3 characters or more
/// (a check number counts; "the", "inc" and "llc" do not say much).
fn words(text: &str) -> BTreeSet<String> {
    const NOISE: &[&str] =
        &["the", "inc", "llc", "ltd", "and", "for", "payment", "pmt", "ach", "pos", "debit", "credit"];
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|w| w.len() >= 3 && !NOISE.contains(&w.as_str()))
        .collect()
}

/// The score of `candidate` for `txn`, None when it cannot be it.
pub fn score(txn: &TransactionRecord, candidate: &Candidate) -> Option<u32> {
    scored(txn, &words(&txn.text()), candidate, &words(&candidate.text))
}

fn scored(
    txn: &TransactionRecord,
    txn_words: &BTreeSet<String>,
    c: &Candidate,
    c_words: &BTreeSet<String>,
) -> Option<u32> {
    if c.minor != txn.amount.minor || c.currency != txn.amount.currency {
        return None;
    }
    let days = (txn.date - c.date).num_days().abs();
    if days > WINDOW_DAYS {
        return None;
    }
    let date = 30u32.saturating_sub(5 * days as u32);
    let shared = txn_words.intersection(c_words).count() as u32;
    Some(60 + date + (shared * 5).min(10))
}

/// Candidates indexed by currency and exact amount, their words read once: ranking a
/// transaction looks only at the records of its amount, so matching n transactions against m
/// records costs about n + m, not n × m.
#[derive(Debug, Default, Clone)]
pub struct Pool {
    by_amount: HashMap<(Currency, i64), Vec<Indexed>>,
}

/// A candidate with its words.
type Indexed = (Candidate, BTreeSet<String>);

impl Pool {
    pub fn new(candidates: Vec<Candidate>) -> Pool {
        let mut by_amount: HashMap<(Currency, i64), Vec<Indexed>> = HashMap::new();
        for c in candidates {
            let w = words(&c.text);
            by_amount.entry((c.currency, c.minor)).or_default().push((c, w));
        }
        Pool { by_amount }
    }

    /// The candidates for `txn`, best first (ties: the nearer date, then the id), at most `SHOWN`.
    pub fn rank(&self, txn: &TransactionRecord) -> Vec<(u32, Candidate)> {
        let Some(same) = self.by_amount.get(&(txn.amount.currency, txn.amount.minor)) else { return Vec::new() };
        let txn_words = words(&txn.text());
        let mut out: Vec<(u32, Candidate)> =
            same.iter().filter_map(|(c, w)| scored(txn, &txn_words, c, w).map(|s| (s, c.clone()))).collect();
        out.sort_by(|(sa, a), (sb, b)| {
            sb.cmp(sa)
                .then_with(|| (txn.date - a.date).num_days().abs().cmp(&(txn.date - b.date).num_days().abs()))
                .then_with(|| a.id.cmp(&b.id))
        });
        out.truncate(SHOWN);
        out
    }

    /// Takes a candidate out (it was matched).
    pub fn remove(&mut self, c: &Candidate) {
        if let Some(same) = self.by_amount.get_mut(&(c.currency, c.minor)) {
            same.retain(|(x, _)| !(x.kind == c.kind && x.id == c.id));
        }
    }
}

/// The candidates for `txn` among `candidates`, best first, at most `SHOWN` (see `Pool`).
pub fn rank(txn: &TransactionRecord, candidates: &[Candidate]) -> Vec<(u32, Candidate)> {
    Pool::new(candidates.to_vec()).rank(txn)
}

/// The one candidate to match automatically, if the ranking has a clear winner.
pub fn confident(ranked: &[(u32, Candidate)]) -> Option<&Candidate> {
    let (best, c) = ranked.first()?;
    let runner_up = ranked.get(1).map_or(0, |(s, _)| *s);
    (*best >= CONFIDENT && best - runner_up >= MARGIN).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn txn(minor: i64, date: &str, text: &str) -> TransactionRecord {
        crate::banking::model::sample(minor, "USD", date, text)
    }

    fn cand(kind: Kind, id: &str, minor: i64, date: &str, text: &str) -> Candidate {
        Candidate {
            kind,
            id: id.into(),
            date: date.parse().unwrap(),
            minor,
            currency: usd(),
            text: text.into(),
            account_code: "1050".into(),
            lease_id: None,
        }
    }

    #[test]
    fn only_the_exact_amount_within_the_window_is_a_candidate() {
        let t = txn(155_000, "2026-11-03", "MOBILE DEPOSIT");
        assert_eq!(score(&t, &cand(Kind::Payment, "p", 155_001, "2026-11-03", "")), None);
        assert_eq!(score(&t, &cand(Kind::Payment, "p", -155_000, "2026-11-03", "")), None);
        assert_eq!(score(&t, &cand(Kind::Payment, "p", 155_000, "2026-10-26", "")), None, "8 days");
        assert_eq!(score(&t, &cand(Kind::Payment, "p", 155_000, "2026-10-27", "")), Some(60), "7 days: in the window");
        assert_eq!(score(&t, &cand(Kind::Payment, "p", 155_000, "2026-10-28", "")), Some(60), "6 days: no date points");
        assert_eq!(score(&t, &cand(Kind::Payment, "p", 155_000, "2026-11-03", "")), Some(90));
        assert_eq!(score(&t, &cand(Kind::Payment, "p", 155_000, "2026-11-02", "")), Some(85));
    }

    #[test]
    fn shared_words_count_but_noise_does_not() {
        let t = txn(-123_456, "2026-11-10", "ACE PLUMBING INC POS DEBIT");
        assert_eq!(score(&t, &cand(Kind::Expense, "e", -123_456, "2026-11-09", "Ace Plumbing")), Some(60 + 25 + 10));
        assert_eq!(score(&t, &cand(Kind::Expense, "e", -123_456, "2026-11-09", "Inc debit")), Some(85));
        let check = txn(155_000, "2026-11-03", "DEPOSIT CHECK 1042");
        assert_eq!(score(&check, &cand(Kind::Payment, "p", 155_000, "2026-11-03", "1042")), Some(95));
    }

    #[test]
    fn a_single_clear_winner_is_confident_two_equal_ones_are_not() {
        let t = txn(155_000, "2026-11-03", "DEPOSIT");
        let one = [cand(Kind::Payment, "a", 155_000, "2026-11-02", "")];
        assert_eq!(confident(&rank(&t, &one)).map(|c| c.id.as_str()), Some("a"));
        let two =
            [cand(Kind::Payment, "a", 155_000, "2026-11-02", ""), cand(Kind::Payment, "b", 155_000, "2026-11-02", "")];
        let ranked = rank(&t, &two);
        assert_eq!(ranked.len(), 2);
        assert_eq!(confident(&ranked), None);
        let far = [cand(Kind::Payment, "a", 155_000, "2026-10-30", "")];
        assert_eq!(confident(&rank(&t, &far)), None, "70 is a suggestion only");
        let clear =
            [cand(Kind::Payment, "a", 155_000, "2026-11-03", ""), cand(Kind::Payment, "b", 155_000, "2026-11-01", "")];
        assert_eq!(confident(&rank(&t, &clear)).map(|c| c.id.as_str()), Some("a"), "90 against 80");
    }
}

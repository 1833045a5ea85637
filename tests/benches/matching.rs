//! `make bench` (matching): bank transactions scored against recorded payments, payouts and
//! expenses (`portfolio::banking::matching`), in process. N transactions against N candidates at
//! N = 500, 1 000, 2 000 and 5 000 (`BENCH_MATCH_SIZES`): most transactions are a candidate seen
//! a few days later (its amount, some of its words), the rest match nothing. Three ways per size:
//! - the matcher: `Pool::new` (candidates indexed by currency and exact amount, their words read
//!   once) and `Pool::rank` for every transaction, as a sync places a batch;
//! - the raw floor: one hash lookup of each transaction's exact amount in a prebuilt index —
//!   what any exact-amount matcher must at least do;
//! - the naive scan: every transaction against every candidate (amount first, then date and
//!   words), which the index replaced.
//!
//! Printed: time per transaction for each, the matcher over the floor, and how the matcher's
//! time per transaction grows with N (flat = linear in total).

use chrono::{Duration as Days, NaiveDate};
use portfolio::banking::matching::{confident, score, Candidate, Kind, Pool};
use portfolio::banking::model::{BankStatus, TransactionRecord};
use portfolio::ids::{AccountId, OrgId};
use portfolio::money::{Currency, StoredMoney};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A small deterministic generator (the same data every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const VENDORS: &[&str] = &["Ace Plumbing", "City Water", "Bright Electric", "Green Lawn", "Metro Gas", "Roof Pros"];

fn data(n: usize) -> (Vec<TransactionRecord>, Vec<Candidate>) {
    let usd = Currency::parse("USD").unwrap();
    let start: NaiveDate = "2026-01-01".parse().unwrap();
    let account = AccountId::of(&OrgId::new(), "1000");
    let mut g = Lcg(42);
    let mut candidates = Vec::with_capacity(n);
    for i in 0..n {
        let date = start + Days::days(g.next(365) as i64);
        let (kind, minor, text, code) = match g.next(10) {
            // Rent: a few hundred distinct amounts, so many candidates share one.
            0..=3 => (Kind::Payment, 90_000 + 2_500 * g.next(300) as i64, format!("{}", 1000 + i), "1050"),
            4 => (Kind::Payout, 100_000 + g.next(900_000) as i64, format!("stripe payout po_{i}"), "1000"),
            _ => {
                let vendor = VENDORS[g.next(VENDORS.len() as u64) as usize];
                (Kind::Expense, -(1_000 + g.next(499_000) as i64), vendor.to_owned(), "1000")
            }
        };
        candidates.push(Candidate {
            kind,
            id: format!("{}_{i:06}", kind.as_str()),
            date,
            minor,
            currency: usd,
            text,
            account_code: code.into(),
            lease_id: None,
        });
    }
    let at = chrono::DateTime::UNIX_EPOCH;
    let txns = (0..n)
        .map(|i| {
            let (minor, date, text) = if g.next(10) < 8 {
                let c = &candidates[g.next(n as u64) as usize];
                (c.minor, c.date + Days::days(g.next(4) as i64), format!("DEPOSIT {}", c.text.to_uppercase()))
            } else {
                (-(7 + g.next(99_000) as i64), start + Days::days(g.next(365) as i64), "CORNER SHOP".to_owned())
            };
            TransactionRecord {
                id: format!("txn{i:06}"),
                item_id: "item".into(),
                plaid_account_id: "acct".into(),
                account_id: account.clone(),
                account_code: "1000".into(),
                date,
                amount: StoredMoney { minor, currency: usd },
                description: text,
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
        })
        .collect();
    (txns, candidates)
}

fn matcher(txns: &[TransactionRecord], candidates: &[Candidate]) -> (Duration, usize) {
    let started = Instant::now();
    let pool = Pool::new(candidates.to_vec());
    let confident_ones = txns.iter().filter(|t| confident(&pool.rank(t)).is_some()).count();
    (started.elapsed(), black_box(confident_ones))
}

fn raw(txns: &[TransactionRecord], candidates: &[Candidate]) -> Duration {
    let mut index: HashMap<(Currency, i64), Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        index.entry((c.currency, c.minor)).or_default().push(i);
    }
    let started = Instant::now();
    let hits: usize = txns.iter().map(|t| index.get(&(t.amount.currency, t.amount.minor)).map_or(0, Vec::len)).sum();
    black_box(hits);
    started.elapsed()
}

fn naive(txns: &[TransactionRecord], candidates: &[Candidate]) -> Duration {
    let started = Instant::now();
    let mut found = 0usize;
    for t in txns {
        for c in candidates.iter().filter(|c| c.minor == t.amount.minor && c.currency == t.amount.currency) {
            found += usize::from(score(t, c).is_some());
        }
    }
    black_box(found);
    started.elapsed()
}

fn per(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n as f64
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_MATCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![500, 1_000, 2_000, 5_000]);
    println!("== matching: N bank transactions against N candidates (payments, payouts, expenses), in process");
    println!(
        "   {:>6} {:>14} {:>14} {:>14} {:>10} {:>10}",
        "N", "matcher µs/txn", "raw µs/txn", "naive µs/txn", "vs raw", "confident"
    );
    let mut first = None;
    for n in sizes {
        let (txns, candidates) = data(n);
        let _ = matcher(&txns, &candidates);
        let mut runs = Vec::new();
        let mut raws = Vec::new();
        let mut confident_ones = 0;
        for _ in 0..5 {
            let (d, c) = matcher(&txns, &candidates);
            runs.push(d);
            confident_ones = c;
            raws.push(raw(&txns, &candidates));
        }
        let (m, r) = (median(runs), median(raws));
        let naive_d = naive(&txns, &candidates);
        println!(
            "   {n:>6} {:>14.2} {:>14.3} {:>14.2} {:>9.0}x {:>10}",
            per(m, n),
            per(r, n),
            per(naive_d, n),
            m.as_secs_f64() / r.as_secs_f64().max(1e-9),
            confident_ones
        );
        let base = *first.get_or_insert(per(m, n));
        if n != 500 {
            println!(
                "          growth of the matcher's time per transaction since the first size: {:.2}x",
                per(m, n) / base
            );
        }
    }
}

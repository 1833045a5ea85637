use super::*;
use crate::books::model::{LineRecord, ZERO_HASH};
use crate::books::posting::Source;
use crate::ids::{AccountId, JournalEntryId};

use crate::reports::test_support::{chart, org, usd};

fn entry(seq: u64, date: &str, memo: &str, lines: &[(&str, i64)]) -> EntryRecord {
    let key = format!("manual:{seq}");
    EntryRecord {
        id: JournalEntryId::of(&org(), &key),
        seq,
        key,
        source: Source { type_: "manual".into(), id: seq.to_string() },
        date: date.parse().unwrap(),
        original_date: None,
        memo: memo.into(),
        lines: lines
            .iter()
            .map(|(code, minor)| LineRecord {
                account_id: AccountId::of(&org(), code),
                code: (*code).to_owned(),
                currency: usd(),
                minor: *minor,
                building_id: None,
                unit_id: None,
                base: None,
                of: None,
            })
            .collect(),
        prev_hash: ZERO_HASH.into(),
        hash: ZERO_HASH.into(),
        posted_at: chrono::DateTime::UNIX_EPOCH,
        posted_by: "test".into(),
    }
}

fn books() -> Vec<EntryRecord> {
    vec![
        entry(1, "2025-12-15", "owner \"contribution\"", &[("1000", 500_000), ("3000", -500_000)]),
        entry(3, "2026-02-10", "repair: sink", &[("5140", 40_000), ("1000", -40_000)]),
        entry(2, "2026-01-05", "payment received", &[("1050", 100_000), ("1200", -100_000)]),
    ]
}

fn span() -> (NaiveDate, NaiveDate) {
    ("2026-01-01".parse().unwrap(), "2026-02-28".parse().unwrap())
}

#[test]
fn the_general_ledger_csv_starts_from_the_opening_balances_and_adds_up_to_the_balances_at_its_end() {
    let csv = general_ledger_csv(&books(), &chart(), span()).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6, "two opening balances, two entries of two lines");
    assert_eq!((&rows[0][3], &rows[0][6], &rows[0][9]), ("opening", "1000", "5000.00"));
    assert_eq!((&rows[2][0], &rows[2][5]), ("2026-01-05", "payment received"), "by date, not by seq");
    let mut balances: BTreeMap<String, i64> = BTreeMap::new();
    for row in &rows {
        let cents = |s: &str| if s.is_empty() { 0 } else { Money::parse(s, usd()).unwrap().minor };
        *balances.entry(row[6].to_owned()).or_default() += cents(&row[9]) - cents(&row[10]);
    }
    let want: BTreeMap<String, i64> =
        [("1000", 460_000), ("1050", 100_000), ("1200", -100_000), ("3000", -500_000), ("5140", 40_000)]
            .into_iter()
            .map(|(c, v)| (c.to_owned(), v))
            .collect();
    assert_eq!(balances, want);
}

#[test]
fn the_hledger_journal_declares_its_accounts_and_asserts_cash_at_each_month_end() {
    let j = hledger_journal(&books(), &chart(), span());
    for want in [
        "commodity 100000.00 USD\n",
        "account assets:1000 Operating account  ; type:A\n",
        "account expenses:5140 Repairs  ; type:X\n",
        "2026-01-01 opening balances\n    assets:1000 Operating account  5000.00 USD\n    equity:3000 Owner contributions  -5000.00 USD\n",
        "2026-01-05 payment received  ; entry:",
        "2026-01-31 balance assertion\n    assets:1000 Operating account  0 = 5000.00 USD\n",
        "2026-01-31 balance assertion\n    assets:1050 Undeposited funds  0 = 1000.00 USD\n",
        "2026-02-10 repair sink  ; entry:",
        "2026-02-28 balance assertion\n    assets:1000 Operating account  0 = 4600.00 USD\n",
    ] {
        assert!(j.contains(want), "{want:?} is not in\n{j}");
    }
    assert!(j.find("2026-01-31 balance").unwrap() < j.find("2026-02-10 repair").unwrap(), "{j}");
}

#[test]
fn the_beancount_ledger_opens_its_accounts_and_asserts_cash_at_the_start_of_each_next_month() {
    let b = beancount_ledger(&books(), &chart(), span(), usd());
    for want in [
        "option \"operating_currency\" \"USD\"\n",
        "2026-01-01 open Assets:1000-Operating-account\n",
        "2026-01-01 open Equity:3000-Owner-contributions\n",
        "2026-01-01 * \"opening balances\"\n  Assets:1000-Operating-account  5000.00 USD\n",
        "2026-02-10 * \"repair: sink\"\n  entry: \"jrn_",
        "2026-02-01 balance Assets:1000-Operating-account  5000.00 USD\n",
        "2026-03-01 balance Assets:1000-Operating-account  4600.00 USD\n",
    ] {
        assert!(b.contains(want), "{want:?} is not in\n{b}");
    }
    let with_quotes =
        hledger_journal(&[entry(9, "2026-01-02", "a \"quoted\" memo", &[("1000", 1), ("3000", -1)])], &chart(), span());
    assert!(with_quotes.contains("2026-01-02 a quoted memo  ; entry:"), "{with_quotes}");
}

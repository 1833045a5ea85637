use super::*;
use crate::books::chart::SEEDED;
use crate::books::model::ZERO_HASH;
use crate::books::posting::Source;
use crate::ids::{AccountId, JournalEntryId};
use proptest::prelude::*;

use crate::reports::test_support::{chart, org, usd};

fn line(code: &str, minor: i64, building: Option<&str>) -> LineRecord {
    LineRecord {
        account_id: AccountId::of(&org(), code),
        code: code.to_owned(),
        currency: usd(),
        minor,
        building_id: building.map(str::to_owned),
        unit_id: None,
        base: None,
        of: None,
    }
}

fn entry(seq: u64, date: &str, lines: Vec<LineRecord>) -> EntryRecord {
    EntryRecord {
        id: JournalEntryId::of(&org(), &format!("t:{seq}")),
        seq,
        key: format!("t:{seq}"),
        source: Source { type_: "manual".into(), id: seq.to_string() },
        date: date.parse().unwrap(),
        original_date: None,
        memo: "t".into(),
        lines,
        prev_hash: ZERO_HASH.into(),
        hash: ZERO_HASH.into(),
        posted_at: chrono::DateTime::UNIX_EPOCH,
        posted_by: "t".into(),
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn amounts(lines: &[FlowLine]) -> Vec<(&str, &str)> {
    lines.iter().map(|l| (l.code.as_str(), l.amount.amount.as_str())).collect()
}

#[test]
fn rent_comes_in_repairs_go_out_and_transfers_between_cash_accounts_are_neither() {
    let (oak, elm) = (Some("bld_oak"), Some("bld_elm"));
    let entries = vec![
        // December: the owner puts in 5,000.00 (opening cash for January).
        entry(1, "2025-12-15", vec![line("1000", 500_000, None), line("3000", -500_000, None)]),
        // January: Oak's tenant pays 1,550.00 (into Undeposited funds), deposited to the bank.
        entry(2, "2026-01-03", vec![line("1050", 155_000, oak), line("1200", -155_000, oak)]),
        entry(3, "2026-01-05", vec![line("1000", 155_000, oak), line("1050", -155_000, oak)]),
        // A repair at Elm paid from the bank, and a rent charge (no cash).
        entry(4, "2026-01-20", vec![line("5140", 40_000, elm), line("1000", -40_000, elm)]),
        entry(5, "2026-02-01", vec![line("1200", 155_000, oak), line("4000", -155_000, oak)]),
    ];
    let cf = cash_flow(&entries, &chart(), (d("2026-01-01"), d("2026-02-28")), None);
    let usd = &cf.currencies[0];
    let jan = &usd.months[0];
    assert_eq!((jan.opening.amount.as_str(), jan.closing.amount.as_str()), ("5000.00", "6150.00"));
    assert_eq!(amounts(&jan.inflows), [("1200", "1550.00")], "the deposit to the bank is not income");
    assert_eq!(amounts(&jan.outflows), [("5140", "400.00")]);
    assert_eq!(jan.net.amount, "1150.00");
    let feb = &usd.months[1];
    assert_eq!(
        (feb.opening.amount.as_str(), feb.net.amount.as_str(), feb.closing.amount.as_str()),
        ("6150.00", "0.00", "6150.00")
    );

    let oak_only = cash_flow(&entries, &chart(), (d("2026-01-01"), d("2026-01-31")), oak);
    let jan = &oak_only.currencies[0].months[0];
    assert_eq!(
        (jan.opening.amount.as_str(), jan.total_in.amount.as_str(), jan.closing.amount.as_str()),
        ("0.00", "1550.00", "1550.00")
    );
    assert!(jan.outflows.is_empty(), "Elm's repair is not Oak's");
}

#[test]
fn a_manual_entry_split_across_properties_shows_what_its_lines_do_not_explain() {
    // 300.00 into the bank tagged to Oak, its other side untagged.
    let entries =
        vec![entry(1, "2026-03-02", vec![line("1000", 30_000, Some("bld_oak")), line("3000", -30_000, None)])];
    let cf = cash_flow(&entries, &chart(), (d("2026-03-01"), d("2026-03-31")), Some("bld_oak"));
    let m = &cf.currencies[0].months[0];
    assert_eq!(amounts(&m.inflows), [(UNALLOCATED, "300.00")]);
    assert_eq!(m.closing.amount, "300.00");
}

fn arb_entry() -> impl Strategy<Value = (u32, i64, usize, usize, bool)> {
    (0..120u32, 1..1_000_000i64, 0..31usize, 0..31usize, any::<bool>())
}

proptest! {
    /// For any journal, per property or not: each month opens where the last closed, and
    /// opening + in − out = closing.
    #[test]
    fn opening_plus_in_minus_out_is_closing(raw in proptest::collection::vec(arb_entry(), 0..40), by_oak in any::<bool>()) {
        let codes: Vec<&str> = SEEDED.iter().map(|s| s.code).collect();
        let entries: Vec<EntryRecord> = raw.iter().enumerate().map(|(i, (day, minor, a, b, oak))| {
            let date = d("2026-01-01") + chrono::Days::new(u64::from(*day));
            let tag = oak.then_some("bld_oak");
            entry(i as u64 + 1, &date.to_string(), vec![line(codes[*a], *minor, tag), line(codes[*b], -*minor, None)])
        }).collect();
        let cf = cash_flow(&entries, &chart(), (d("2026-02-01"), d("2026-04-30")), by_oak.then_some("bld_oak"));
        for c in &cf.currencies {
            let cents = |m: &MoneyDto| Money::parse(&m.amount, usd()).unwrap().minor;
            let mut prev: Option<i64> = None;
            for m in &c.months {
                let lines_in: i64 = m.inflows.iter().map(|l| cents(&l.amount)).sum();
                let lines_out: i64 = m.outflows.iter().map(|l| cents(&l.amount)).sum();
                prop_assert_eq!((lines_in, lines_out), (cents(&m.total_in), cents(&m.total_out)));
                prop_assert_eq!(cents(&m.opening) + cents(&m.total_in) - cents(&m.total_out), cents(&m.closing));
                if let Some(p) = prev { prop_assert_eq!(p, cents(&m.opening)); }
                prev = Some(cents(&m.closing));
            }
        }
        // The last closing is the cash the lines hold at the end, counted directly.
        let chart = chart();
        let held: i64 = entries.iter().filter(|e| e.date <= d("2026-04-30")).flat_map(|e| &e.lines)
            .filter(|l| is_cash(&chart[&l.code]) && (!by_oak || l.building_id.as_deref() == Some("bld_oak")))
            .map(|l| l.minor).sum();
        let last = cf.currencies.first().and_then(|c| c.months.last()).map_or(0, |m| Money::parse(&m.closing.amount, usd()).unwrap().minor);
        prop_assert_eq!(last, held);
    }
}

#[test]
fn the_owner_statement_of_each_property_adds_up_and_lists_what_moved_its_cash() {
    use crate::reports::owner_statement::owner_statement;
    let (oak, elm) = (Some("bld_oak"), Some("bld_elm"));
    let entries = vec![
        entry(1, "2025-12-15", vec![line("1000", 500_000, None), line("3000", -500_000, None)]),
        entry(2, "2026-01-20", vec![line("5140", 40_000, elm), line("1000", -40_000, elm)]),
        // Posted later but dated earlier: the statement lists it first.
        entry(3, "2026-01-03", vec![line("1050", 155_000, oak), line("1200", -155_000, oak)]),
        entry(4, "2026-02-10", vec![line("1050", 10_000, oak), line("1200", -10_000, oak)]),
    ];
    let all = owner_statement(&entries, &chart(), (d("2026-01-01"), d("2026-01-31")), None);
    let figures: Vec<(Option<&str>, &str, &str, &str, &str)> = all
        .properties
        .iter()
        .map(|p| {
            (
                p.building_id.as_deref(),
                p.beginning.amount.as_str(),
                p.money_in.amount.as_str(),
                p.money_out.amount.as_str(),
                p.ending.amount.as_str(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (None, "5000.00", "0.00", "0.00", "5000.00"),
            (elm, "0.00", "0.00", "400.00", "-400.00"),
            (oak, "0.00", "1550.00", "0.00", "1550.00"),
        ]
    );
    let oak_only = owner_statement(&entries, &chart(), (d("2026-01-01"), d("2026-02-28")), oak);
    let lines: Vec<(String, &str, &str)> = oak_only.properties[0]
        .entries
        .iter()
        .map(|l| (l.date.to_string(), l.account_code.as_str(), l.amount.amount.as_str()))
        .collect();
    assert_eq!(lines, [("2026-01-03".to_owned(), "1200", "1550.00"), ("2026-02-10".to_owned(), "1200", "100.00")]);
    assert_eq!(oak_only.properties.len(), 1);
}

#[test]
fn cash_is_attributed_to_the_lines_on_its_side_and_a_non_cash_transfer_in_the_same_entry_is_neither_in_nor_out() {
    let cash = |c: &str| c == "1000" || c == "1050";
    // A deposit settled: 300.00 kept as income, 600.00 refunded (Security deposits held −900).
    let settle = [line("4900", -30_000, None), line("2100", 90_000, None), line("1000", -60_000, None)];
    let refs: Vec<&LineRecord> = settle.iter().collect();
    assert_eq!(movements(&refs, &cash), vec![(usd(), -60_000, vec![("2100".to_owned(), -60_000)])]);
    // Rent and the deposit paid at once: the deposit due is a receivable like the rent.
    let pay = [
        line("1050", 200_000, None),
        line("1200", -200_000, None),
        line("2110", 100_000, None),
        line("2100", -100_000, None),
    ];
    let refs: Vec<&LineRecord> = pay.iter().collect();
    assert_eq!(
        movements(&refs, &cash),
        vec![(usd(), 200_000, vec![("1200".to_owned(), 100_000), ("2100".to_owned(), 100_000)])]
    );
    // More on the cash's side than moved: shared in proportion, to the cent.
    let odd = [line("1000", 100, None), line("4000", -200, None), line("4100", -100, None), line("5140", 200, None)];
    let refs: Vec<&LineRecord> = odd.iter().collect();
    assert_eq!(movements(&refs, &cash), vec![(usd(), 100, vec![("4000".to_owned(), 67), ("4100".to_owned(), 33)])]);
}

use super::*;
use crate::billing::model::{PaymentMethod, PaymentStatus};
use crate::events::Subject;
use crate::ids::{AllocationId, ChargeId, EventId, LeaseId, PaymentId};
use proptest::prelude::*;

fn usd(minor: i64) -> MoneyDto {
    Money::new(minor, Currency::parse("USD").unwrap()).into()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i64::from(d))
}

fn envelope<E: DomainEvent>(e: &E) -> Event {
    Event {
        id: EventId::new(),
        type_: E::TYPE.to_owned(),
        version: E::VERSION,
        org_id: "org_01J00000000000000000000000".into(),
        occurred_at: chrono::DateTime::UNIX_EPOCH,
        actor: "system:test".into(),
        subject: Subject { type_: E::SUBJECT.into(), id: e.subject_id() },
        data: serde_json::to_value(e).unwrap(),
    }
}

fn drafts<E: DomainEvent>(e: &E) -> Vec<Draft> {
    billing_drafts(&envelope(e), &Tag::default()).expect("a money event")
}

/// Σ per account over every draft (debit positive).
fn net(all: &[Draft]) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for l in all.iter().flat_map(|d| &d.legs) {
        *m.entry(l.account.clone()).or_insert(0) += l.minor;
    }
    m.retain(|_, v| *v != 0);
    m
}

fn assert_balanced(all: &[Draft]) {
    for d in all {
        assert!(d.legs.len() >= 2, "{d:?}");
        let mut per: BTreeMap<&str, i64> = BTreeMap::new();
        for l in &d.legs {
            *per.entry(l.currency.code()).or_default() += l.minor;
        }
        assert!(per.values().all(|v| *v == 0), "unbalanced {d:?}");
    }
}

const KINDS: [ChargeKind; 6] = [
    ChargeKind::Rent,
    ChargeKind::LateFee,
    ChargeKind::Deposit,
    ChargeKind::Utility,
    ChargeKind::Fee,
    ChargeKind::Credit,
];
const SOURCES: [AllocationSource; 3] = [AllocationSource::Payment, AllocationSource::Credit, AllocationSource::Deposit];

fn alloc(source: AllocationSource, kind: ChargeKind, minor: i64, d: u32) -> AllocationMade {
    AllocationMade {
        allocation_id: AllocationId::new(),
        charge_id: ChargeId::new(),
        payment_id: (source == AllocationSource::Payment).then(PaymentId::new),
        credit_id: (source == AllocationSource::Credit).then(ChargeId::new),
        amount: usd(minor),
        date: day(d),
        source,
        charge_kind: kind,
        charge_base: None,
        money_base: None,
    }
}

fn arb_alloc() -> impl Strategy<Value = AllocationMade> {
    (0..3usize, 0..5usize, 1..1_000_000i64, 0..60u32).prop_map(|(s, k, m, d)| alloc(SOURCES[s], KINDS[k], m, d))
}

fn charge_created(kind: ChargeKind, minor: i64, d: u32) -> ChargeCreated {
    let minor = if kind == ChargeKind::Credit { -minor } else { minor };
    ChargeCreated {
        charge_id: ChargeId::new(),
        lease_id: LeaseId::new(),
        kind,
        amount: usd(minor),
        due_date: day(d),
        source: crate::billing::model::ChargeSource::Manual,
        period: None,
        fx: None,
    }
}

fn received(minor: i64, d: u32, allocations: Vec<AllocationMade>) -> PaymentReceived {
    PaymentReceived {
        payment_id: PaymentId::new(),
        lease_id: LeaseId::new(),
        amount: usd(minor),
        received_on: day(d),
        method: PaymentMethod::Ach,
        status: PaymentStatus::Cleared,
        allocations,
        fx: None,
        processor: None,
    }
}

#[test]
fn rent_debits_receivable_and_credits_rent_income() {
    let d = drafts(&charge_created(ChargeKind::Rent, 155_000, 0));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].key, format!("charge:{}", d[0].source.id));
    assert_eq!(net(&d), BTreeMap::from([("1200".into(), 155_000), ("4000".into(), -155_000)]));
}

#[test]
fn a_payment_meets_rent_through_prepaid_and_a_prepayment_waits_for_its_due_date() {
    let a = alloc(AllocationSource::Payment, ChargeKind::Rent, 100_000, 31);
    let d = drafts(&received(150_000, 28, vec![a]));
    assert_eq!(d.len(), 2, "the payment's day and the rent's due date");
    assert_eq!(d[0].date, day(28));
    assert_eq!(net(&d[..1]), BTreeMap::from([("1050".into(), 150_000), ("2200".into(), -150_000)]));
    assert_eq!(d[1].key, format!("{}@{}", d[0].key, day(31)));
    assert_eq!(net(&d[1..]), BTreeMap::from([("1200".into(), -100_000), ("2200".into(), 100_000)]));
}

#[test]
fn a_paid_deposit_is_held_and_a_refund_leaves_the_bank() {
    let a = alloc(AllocationSource::Payment, ChargeKind::Deposit, 200_000, 0);
    let d = drafts(&received(200_000, 0, vec![a]));
    let want = BTreeMap::from([
        ("1050".into(), 200_000),
        ("1200".into(), -200_000),
        ("2100".into(), -200_000),
        ("2110".into(), 200_000),
    ]);
    assert_eq!(net(&d), want);
}

proptest! {
    #[test]
    fn every_entry_of_every_event_kind_balances(
        kind in 0..6usize, minor in 1..10_000_000i64, d in 0..60u32,
        allocs in proptest::collection::vec(arb_alloc(), 0..6),
        refund in 0..1_000_000i64,
    ) {
        let c = charge_created(KINDS[kind], minor, d);
        assert_balanced(&drafts(&c));
        let v = ChargeVoided {
            charge_id: c.charge_id.clone(), lease_id: c.lease_id.clone(), kind: c.kind, amount: c.amount.clone(),
            date: day(d), reason: None, allocations: allocs.clone(), fx: None,
            source: None,
        };
        assert_balanced(&drafts(&v));
        assert_balanced(&drafts(&received(minor, d, allocs.clone())));
        if let Some(first) = allocs.first() {
            let created = AllocationCreated { lease_id: LeaseId::new(), allocations: allocs.clone() };
            let all = drafts(&created);
            assert_balanced(&all);
            assert!(all.iter().all(|x| x.source.id == first.allocation_id.to_string()));
        }
        let s = DepositSettled {
            lease_id: LeaseId::new(), settled_on: day(d), held: usd(refund + minor),
            deductions: vec![crate::billing::model::DeductionOut { charge_id: ChargeId::new(), description: "paint".into(), amount: usd(minor) }],
            applied_to_balance: usd(0), refund: usd(refund), allocations: allocs, fx: None, refund_base: None,
        };
        assert_balanced(&drafts(&s));
    }

    #[test]
    fn an_event_and_its_reversal_net_every_account_to_zero(
        kind in 0..6usize, minor in 1..10_000_000i64, d in 0..60u32,
        allocs in proptest::collection::vec(arb_alloc(), 0..6),
    ) {
        let c = charge_created(KINDS[kind], minor, d);
        let v = ChargeVoided {
            charge_id: c.charge_id.clone(), lease_id: c.lease_id.clone(), kind: c.kind, amount: c.amount.clone(),
            date: day(d), reason: None, allocations: vec![], fx: None,
            source: None,
        };
        let mut both = drafts(&c);
        both.extend(drafts(&v));
        prop_assert!(net(&both).is_empty(), "{:?}", net(&both));

        let p = received(minor, d, allocs.clone());
        let undo: Vec<AllocationMade> = allocs.iter().map(|a| {
            let m = money(&a.amount).unwrap();
            AllocationMade { allocation_id: AllocationId::new(), amount: Money::new(-m.minor, m.currency).into(), ..a.clone() }
        }).collect();
        let r = PaymentReversed {
            payment_id: p.payment_id.clone(), lease_id: p.lease_id.clone(), amount: p.amount.clone(),
            reversed_on: day(d), reason: None, allocations: undo, fx: None, processor: None,
        };
        let mut both = drafts(&p);
        both.extend(drafts(&r));
        prop_assert!(net(&both).is_empty(), "{:?}", net(&both));
    }
}

fn eur(minor: i64) -> MoneyDto {
    Money::new(minor, Currency::parse("EUR").unwrap()).into()
}

fn fx(rate: &str) -> Fx {
    let usd = Currency::parse("USD").unwrap();
    Fx { rate: rate.parse().unwrap(), rate_date: day(0), base_currency: usd, base_minor: 0 }
}

/// Σ base per account over every draft, and every draft balanced in the base currency.
fn base_net(all: &[Draft]) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for d in all {
        let sum: i64 = d.legs.iter().filter_map(|l| l.base.map(|b| b.minor)).sum();
        assert_eq!(sum, 0, "unbalanced in the base currency: {d:?}");
        for l in &d.legs {
            *m.entry(l.account.clone()).or_insert(0) += l.base.map_or(0, |b| b.minor);
        }
    }
    m.retain(|_, v| *v != 0);
    m
}

#[test]
fn euros_settled_at_a_better_rate_than_they_were_charged_at_realize_a_gain() {
    // 999.99 EUR of rent charged at 1.085 (1084.99 USD), paid at 1.12 (1119.99 USD).
    let mut c = charge_created(ChargeKind::Rent, 0, 0);
    (c.amount, c.fx) = (eur(99_999), Some(fx("1.085")));
    let charged = drafts(&c);
    assert_eq!(base_net(&charged), BTreeMap::from([("1200".into(), 108_499), ("4000".into(), -108_499)]));
    let mut a = alloc(AllocationSource::Payment, ChargeKind::Rent, 0, 0);
    a.amount = eur(99_999);
    a.charge_base = Some(Money::new(108_499, Currency::parse("USD").unwrap()).into());
    a.money_base = Some(Money::new(111_999, Currency::parse("USD").unwrap()).into());
    let mut p = received(0, 0, vec![a]);
    (p.amount, p.fx) = (eur(99_999), Some(fx("1.12")));
    let paid = drafts(&p);
    assert_eq!(paid.len(), 1);
    assert_eq!(net(&paid), BTreeMap::from([("1050".into(), 99_999), ("1200".into(), -99_999)]), "in euros");
    let want = BTreeMap::from([("1050".into(), 111_999), ("1200".into(), -108_499), ("4950".into(), -3_500)]);
    assert_eq!(base_net(&paid), want, "35.00 USD gained, and the receivable's base is gone");
    let fx_line = paid[0].legs.iter().find(|l| l.account == "4950").unwrap();
    assert_eq!((fx_line.minor, fx_line.currency.code()), (0, "EUR"), "no euros move on the FX line");
    let mut both = charged;
    both.extend(paid);
    assert_eq!(base_net(&both).get("1200"), None);
}

#[test]
fn an_event_in_a_foreign_currency_without_a_rate_keeps_no_base_amounts() {
    let mut c = charge_created(ChargeKind::Rent, 0, 0);
    c.amount = eur(50_000);
    let d = drafts(&c);
    assert!(d[0].legs.iter().all(|l| l.base.is_none()), "{d:?}");
}

fn arb_valued_alloc() -> impl Strategy<Value = AllocationMade> {
    (arb_alloc(), 0..2_000_000i64, 0..2_000_000i64, any::<bool>()).prop_map(|(mut a, cb, mb, with_money)| {
        let usd = Currency::parse("USD").unwrap();
        let m = money(&a.amount).unwrap();
        a.amount = eur(m.minor);
        a.charge_base = Some(Money::new(cb, usd).into());
        a.money_base = with_money.then(|| Money::new(mb, usd).into());
        a
    })
}

proptest! {
    #[test]
    fn entries_in_a_foreign_currency_balance_in_both_currencies(
        kind in 0..6usize, minor in 1..10_000_000i64, d in 0..60u32, rate in 1u32..30_000,
        allocs in proptest::collection::vec(arb_valued_alloc(), 0..6),
    ) {
        let rate = format!("{}.{:04}", rate / 10_000, rate % 10_000);
        let mut c = charge_created(KINDS[kind], minor, d);
        let signed = money(&c.amount).unwrap().minor;
        (c.amount, c.fx) = (eur(signed), Some(fx(&rate)));
        let mut p = received(minor, d, allocs.clone());
        (p.amount, p.fx) = (eur(minor), Some(fx(&rate)));
        let v = ChargeVoided {
            charge_id: c.charge_id.clone(), lease_id: c.lease_id.clone(), kind: c.kind, amount: c.amount.clone(),
            date: day(d), reason: None, allocations: allocs.clone(), fx: c.fx.clone(),
            source: None,
        };
        for all in [drafts(&c), drafts(&p), drafts(&v)] {
            assert_balanced(&all);
            base_net(&all);
        }
        if !allocs.is_empty() {
            let all = drafts(&AllocationCreated { lease_id: LeaseId::new(), allocations: allocs });
            assert_balanced(&all);
            base_net(&all);
        }
    }
}

#[test]
fn events_that_move_no_money_post_nothing() {
    let e = crate::billing::events::PaymentCleared { payment_id: PaymentId::new(), lease_id: LeaseId::new() };
    assert!(billing_drafts(&envelope(&e), &Tag::default()).is_none());
}

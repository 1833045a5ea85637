//! The ledger's decisions tested without any I/O: a ledger is built in memory, a decision is
//! made over it, and its writes are applied to the in-memory ledger the way the store's
//! conditional updates would apply them.

use super::common::{AllocationRequest, LedgerState};
use super::model::*;
use super::payments::{decide_payment, decide_reversal, PaymentRequest, PaymentStep};
use super::store::{Plan, ALLOCATIONS_PER_TX};
use super::voids::decide_void;
use crate::ids::{ChargeId, LeaseId, PaymentId};
use crate::money::{Currency, StoredMoney};
use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;

fn usd() -> Currency {
    Currency::parse("USD").expect("USD")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).expect("date") + chrono::Days::new(u64::from(d))
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).expect("time")
}

fn charge(lease: &LeaseId, kind: ChargeKind, minor: i64, due: NaiveDate) -> ChargeRecord {
    ChargeRecord { created_at: now(), ..ChargeRecord::open_for_tests(lease, kind, minor, usd(), due) }
}

fn ledger_with(charges: Vec<ChargeRecord>) -> LedgerState {
    LedgerState { charges, ..LedgerState::default() }
}

fn request(lease: &LeaseId, amount: i64, allocate: AllocationRequest) -> PaymentRequest {
    PaymentRequest {
        id: PaymentId::new(),
        lease_id: lease.clone(),
        currency: usd(),
        amount,
        received_on: day(0),
        method: PaymentMethod::Check,
        reference: None,
        pending: false,
        allocate,
        fx: None,
        request_hash: None,
        processor: None,
    }
}

/// Applies a plan's counters and allocations to the in-memory ledger, asserting the same
/// bounds the store's conditions enforce (0 ≤ open ≤ amount; 0 ≤ unapplied ≤ amount). As in
/// `Plan::write`, a payment written whole by the same step (`fresh`) gets no counter update.
fn apply_plan(l: &mut LedgerState, plan: &Plan) {
    apply_plan_except(l, plan, None)
}

fn apply_plan_except(l: &mut LedgerState, plan: &Plan, fresh: Option<&PaymentId>) {
    for (id, delta) in &plan.charge_deltas {
        let c = l.charges.iter_mut().find(|c| &c.id == id).expect("planned charge exists");
        c.open += delta;
        assert!((0..=c.amount.minor).contains(&c.open), "charge {id} open {} outside 0..={}", c.open, c.amount.minor);
        c.status = if c.open > 0 { ChargeStatus::Open } else { ChargeStatus::Paid };
    }
    for (id, delta) in plan.payment_deltas.iter().filter(|(id, _)| Some(*id) != fresh) {
        if let Some(p) = l.payments.iter_mut().find(|p| &p.id == id) {
            p.unapplied += delta;
            assert!((0..=p.amount.minor).contains(&p.unapplied), "payment {id} unapplied {}", p.unapplied);
        }
    }
    l.allocations.extend(plan.allocations.iter().cloned());
}

fn apply_payment(l: &mut LedgerState, step: &PaymentStep) {
    if step.fresh {
        l.payments.push(step.after.clone());
        apply_plan_except(l, &step.plan, Some(&step.after.id));
        return;
    }
    apply_plan(l, &step.plan);
    let p = l.payments.iter_mut().find(|p| p.id == step.after.id).expect("payment");
    assert_eq!(p.unapplied, step.after.unapplied, "the step's record matches the counters it wrote");
}

/// Records a payment the way the commit loop would: decide, apply, decide again while more.
fn record(l: &mut LedgerState, req: &PaymentRequest) -> usize {
    let mut steps = 0;
    loop {
        let step = decide_payment(l, req, now()).expect("decides");
        assert!(step.plan.allocations.len() <= ALLOCATIONS_PER_TX);
        apply_payment(l, &step);
        steps += 1;
        assert!(steps < 100, "a split payment must finish");
        if !step.more {
            return steps;
        }
    }
}

fn allocated_to(l: &LedgerState, id: &ChargeId) -> i64 {
    l.allocations.iter().filter(|a| &a.charge_id == id).map(|a| a.amount.minor).sum()
}

#[test]
fn a_payment_over_fifty_charges_splits_and_pays_them_all() {
    let lease = LeaseId::new();
    let mut l = ledger_with((0..50).map(|i| charge(&lease, ChargeKind::Rent, 10_000, day(i))).collect());
    let req = request(&lease, 500_000, AllocationRequest::Auto);
    assert_eq!(record(&mut l, &req), 2, "50 allocations take two transactions of at most 40");
    assert!(l.charges.iter().all(|c| c.open == 0 && c.status == ChargeStatus::Paid));
    assert_eq!(l.payments[0].unapplied, 0);
    assert_eq!(l.allocations.len(), 50, "no charge is paid twice across the split");
}

#[test]
fn explicit_allocations_are_checked_against_what_is_open() {
    let lease = LeaseId::new();
    let l = ledger_with(vec![charge(&lease, ChargeKind::Rent, 10_000, day(0))]);
    let id = l.charges[0].id.to_string();
    let too_much = request(&lease, 50_000, AllocationRequest::Explicit(vec![(id.clone(), 10_001)]));
    assert!(decide_payment(&l, &too_much, now()).is_err());
    let beyond_payment = request(&lease, 5_000, AllocationRequest::Explicit(vec![(id.clone(), 6_000)]));
    assert!(decide_payment(&l, &beyond_payment, now()).is_err());
    let unknown = request(&lease, 5_000, AllocationRequest::Explicit(vec![(ChargeId::new().to_string(), 100)]));
    assert!(decide_payment(&l, &unknown, now()).is_err());
    let ok = request(&lease, 5_000, AllocationRequest::Explicit(vec![(id, 4_000)]));
    let step = decide_payment(&l, &ok, now()).expect("fits");
    assert_eq!(step.after.unapplied, 1_000);
}

#[test]
fn the_same_key_with_another_amount_is_refused() {
    let lease = LeaseId::new();
    let mut l = LedgerState::default();
    let req = request(&lease, 5_000, AllocationRequest::Nothing);
    record(&mut l, &req);
    let again = PaymentRequest { amount: 6_000, ..req.clone() };
    assert!(matches!(
        decide_payment(&l, &again, now()),
        Err(crate::Error::Store(crate::platform::db::DbError::KeyTaken))
    ));
    let replay = decide_payment(&l, &req, now()).expect("same request");
    assert!(!replay.fresh && replay.plan.allocations.is_empty(), "a replay writes nothing new");
}

#[test]
fn reversing_a_payment_reopens_exactly_what_it_paid() {
    let lease = LeaseId::new();
    let mut l = ledger_with((0..3).map(|i| charge(&lease, ChargeKind::Rent, 10_000, day(i))).collect());
    let req = request(&lease, 25_000, AllocationRequest::Auto);
    record(&mut l, &req);
    let step = decide_reversal(&l, &req.id, day(5), now()).expect("reverses");
    assert!(!step.more);
    apply_plan(&mut l, &step.plan);
    assert!(l.charges.iter().all(|c| c.open == 10_000), "every charge is open in full again");
    assert!(decide_reversal(&l, &req.id, day(0) - chrono::Days::new(1), now()).is_err(), "not before receipt");
}

#[test]
fn a_partial_refund_takes_unapplied_credit_first_then_reopens_the_latest_charges() {
    use super::refunds::{decide_refund, RefundRequest};
    let lease = LeaseId::new();
    // Three charges of 100.00; a payment of 270.00 pays two and 70.00 of the third.
    let mut l = ledger_with((0..3).map(|i| charge(&lease, ChargeKind::Rent, 10_000, day(i))).collect());
    let req = request(&lease, 27_000, AllocationRequest::Auto);
    record(&mut l, &req);
    let refund = |total: i64, id: &str| RefundRequest {
        payment_id: req.id.clone(),
        refund_id: id.into(),
        total,
        on: day(5),
        reason: None,
    };
    // 120.00 back: 70.00 from the third charge (the latest due), 50.00 from the second.
    let step = decide_refund(&l, &refund(12_000, "ch:12000"), now()).expect("decides").expect("new");
    assert_eq!(step.amount, 12_000);
    let back: Vec<(ChargeId, i64)> =
        step.plan.allocations.iter().map(|a| (a.charge_id.clone(), a.amount.minor)).collect();
    assert_eq!(back, [(l.charges[2].id.clone(), -7_000), (l.charges[1].id.clone(), -5_000)]);
    apply_plan_except(&mut l, &step.plan, Some(&req.id));
    l.payments[0].refunded = 12_000;
    assert_eq!(l.charges.iter().map(|c| c.open).collect::<Vec<_>>(), [0, 5_000, 10_000]);
    // The same total again, or a smaller one arriving late: nothing more.
    assert!(decide_refund(&l, &refund(12_000, "ch:12000"), now()).unwrap().is_none());
    assert!(decide_refund(&l, &refund(5_000, "ch:5000"), now()).unwrap().is_none());
    // All of it is not a partial refund (it reverses the payment).
    assert!(decide_refund(&l, &refund(27_000, "ch:27000"), now()).is_err());
}

#[test]
fn a_refund_within_the_unapplied_credit_reopens_nothing() {
    use super::refunds::{decide_refund, RefundRequest};
    let lease = LeaseId::new();
    let mut l = ledger_with(vec![charge(&lease, ChargeKind::Rent, 10_000, day(0))]);
    let req = request(&lease, 15_000, AllocationRequest::Auto);
    record(&mut l, &req);
    let r = RefundRequest { payment_id: req.id.clone(), refund_id: "x".into(), total: 4_000, on: day(1), reason: None };
    let step = decide_refund(&l, &r, now()).expect("decides").expect("new");
    assert!(step.plan.allocations.is_empty(), "50.00 was unapplied: the refund comes out of it");
}

proptest! {
    /// Auto allocation applies min(payment, Σ open), never more than a charge has open or the
    /// payment has, across however many transactions it takes.
    #[test]
    fn auto_allocation_applies_min_of_payment_and_open(
        opens in proptest::collection::vec(1i64..50_000, 0..90),
        amount in 1i64..3_000_000,
    ) {
        let lease = LeaseId::new();
        let mut l = ledger_with(opens.iter().enumerate().map(|(i, m)| charge(&lease, ChargeKind::Rent, *m, day(i as u32 % 40))).collect());
        let total_open: i64 = opens.iter().sum();
        let req = request(&lease, amount, AllocationRequest::Auto);
        record(&mut l, &req);
        let applied: i64 = l.allocations.iter().map(|a| a.amount.minor).sum();
        prop_assert_eq!(applied, amount.min(total_open));
        prop_assert_eq!(l.payments[0].unapplied, amount - applied);
        for c in &l.charges {
            prop_assert!(allocated_to(&l, &c.id) <= c.amount.minor);
            prop_assert_eq!(c.open, c.amount.minor - allocated_to(&l, &c.id));
        }
    }

    /// Voiding a charge releases exactly what is allocated to it, back to each payment.
    #[test]
    fn voiding_a_charge_releases_exactly_its_allocations(
        opens in proptest::collection::vec(1i64..50_000, 1..20),
        payments in proptest::collection::vec(1i64..60_000, 1..5),
        pick in 0usize..20,
    ) {
        let lease = LeaseId::new();
        let mut l = ledger_with(opens.iter().enumerate().map(|(i, m)| charge(&lease, ChargeKind::Rent, *m, day(i as u32))).collect());
        for amount in &payments {
            record(&mut l, &request(&lease, *amount, AllocationRequest::Auto));
        }
        let target = l.charges[pick % l.charges.len()].clone();
        let before: i64 = allocated_to(&l, &target.id);
        let unapplied_before: i64 = l.payments.iter().map(|p| p.unapplied).sum();
        let (c, plan, _) = decide_void(&l, &target.id, day(60), now()).expect("voids");
        prop_assert_eq!(c.id, target.id.clone());
        let released: i64 = plan.allocations.iter().map(|a| a.amount.minor).sum();
        prop_assert_eq!(released, -before);
        // The void writes the charge itself; the payments get their money back as credit.
        let mut without_charge = plan.clone();
        without_charge.charge_deltas.remove(&target.id);
        apply_plan(&mut l, &without_charge);
        prop_assert_eq!(allocated_to(&l, &target.id), 0);
        let unapplied_after: i64 = l.payments.iter().map(|p| p.unapplied).sum();
        prop_assert_eq!(unapplied_after - unapplied_before, before);
    }
}

fn eur_fx(rate_ten_thousandths: u32) -> Fx {
    let rate = rust_decimal::Decimal::new(i64::from(rate_ten_thousandths), 4);
    Fx { rate, rate_date: day(0), base_currency: usd(), base_minor: 0 }
}

/// What `minor` euros are worth at `fx`, in cents.
fn worth(fx: &Fx, minor: i64) -> i64 {
    fx.worth(minor, Currency::parse("EUR").expect("EUR")).expect("a foreign amount")
}

proptest! {
    /// Whatever the order and sizes of payments (and a reversal), the base amounts the
    /// allocations move add up, per charge, to the worth of what was settled of it at its rate,
    /// and per payment to the worth of what was applied of it at its rate: a settled charge
    /// leaves no base amount behind in the receivable, an applied payment none in prepaid rent.
    #[test]
    fn allocations_in_a_foreign_currency_move_exactly_the_worth_of_what_they_settle(
        charges in proptest::collection::vec((1i64..300_000, 5_000u32..30_000), 1..6),
        payments in proptest::collection::vec((1i64..400_000, 5_000u32..30_000), 1..6),
        reverse in any::<prop::sample::Index>(),
    ) {
        let lease = LeaseId::new();
        let eur = Currency::parse("EUR").expect("EUR");
        let mut l = ledger_with(charges.iter().enumerate().map(|(i, (minor, rate))| {
            let mut c = charge(&lease, ChargeKind::Rent, *minor, day(i as u32));
            (c.amount.currency, c.fx) = (eur, Some(eur_fx(*rate)));
            c
        }).collect());
        let mut reqs = Vec::new();
        for (minor, rate) in &payments {
            let req = PaymentRequest { currency: eur, fx: Some(eur_fx(*rate)), ..request(&lease, *minor, AllocationRequest::Auto) };
            record(&mut l, &req);
            reqs.push(req);
        }
        let base = |a: &AllocationRecord, of: fn(&AllocationRecord) -> Option<StoredMoney>| of(a).expect("valued").minor;
        for p in &l.payments {
            let moved: i64 = l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(&p.id)).map(|a| base(a, |a| a.money_base)).sum();
            let fx = p.fx.as_ref().expect("fx");
            prop_assert_eq!(moved, worth(fx, p.amount.minor) - worth(fx, p.unapplied));
        }
        let undo = &reqs[reverse.index(reqs.len())];
        let step = decide_reversal(&l, &undo.id, day(40), now()).expect("reverses");
        apply_plan(&mut l, &step.plan);
        for c in &l.charges {
            let moved: i64 = l.allocations.iter().filter(|a| a.charge_id == c.id).map(|a| base(a, |a| a.charge_base)).sum();
            let fx = c.fx.as_ref().expect("fx");
            prop_assert_eq!(moved, worth(fx, c.amount.minor) - worth(fx, c.open), "charge {}", c.id);
        }
        let undone: i64 = l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(&undo.id)).map(|a| base(a, |a| a.money_base)).sum();
        prop_assert_eq!(undone, 0, "a reversed payment's allocations move back what they moved");
    }
}

//! The P&L through the real posting rules: money events become drafts, drafts become entries,
//! and both bases are checked figure by figure.

use super::*;
use crate::billing::allocation::ChargeKind;
use crate::billing::events::{AllocationMade, ChargeCreated, DepositSettled, PaymentReceived, PaymentReversed};
use crate::billing::model::{AllocationSource, ChargeSource, DeductionOut, PaymentMethod, PaymentStatus};
use crate::books::events::{ExpensePaid, ExpensePart, ExpenseReclassified, ExpenseRecorded};
use crate::books::expense_model::ExpenseStatus;
use crate::books::model::ZERO_HASH;
use crate::books::posting::{billing_drafts, expense_drafts, Draft, Tag};
use crate::events::{DomainEvent, Event, Subject};
use crate::ids::{AccountId, AllocationId, ChargeId, EventId, ExpenseId, JournalEntryId, LeaseId, PaymentId};

use crate::reports::test_support::{chart, org, usd};

fn m(minor: i64) -> MoneyDto {
    Money::new(minor, usd()).into()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn envelope<E: DomainEvent>(e: &E) -> Event {
    Event {
        id: EventId::new(),
        type_: E::TYPE.to_owned(),
        version: E::VERSION,
        org_id: org().to_string(),
        occurred_at: chrono::DateTime::UNIX_EPOCH,
        actor: "system:test".into(),
        subject: Subject { type_: E::SUBJECT.into(), id: e.subject_id() },
        data: serde_json::to_value(e).unwrap(),
    }
}

/// The books: every event's drafts as entries, in order.
#[derive(Default)]
struct Books(Vec<EntryRecord>);

impl Books {
    fn post(&mut self, drafts: Vec<Draft>) {
        for dr in drafts {
            let seq = self.0.len() as u64 + 1;
            let lines = dr
                .legs
                .iter()
                .map(|l| LineRecord {
                    account_id: AccountId::of(&org(), &l.account),
                    code: l.account.clone(),
                    currency: l.currency,
                    minor: l.minor,
                    building_id: l.tag.building_id.clone(),
                    unit_id: None,
                    base: l.base,
                    of: l.tag.of.clone(),
                })
                .collect();
            self.0.push(EntryRecord {
                id: JournalEntryId::of(&org(), &dr.key),
                seq,
                key: dr.key,
                source: dr.source,
                date: dr.date,
                original_date: None,
                memo: dr.memo,
                lines,
                prev_hash: ZERO_HASH.into(),
                hash: ZERO_HASH.into(),
                posted_at: chrono::DateTime::UNIX_EPOCH,
                posted_by: "test".into(),
            });
        }
    }

    fn billing<E: DomainEvent>(&mut self, e: &E) {
        let tag = Tag { building_id: Some("bld_a".into()), ..Tag::default() };
        self.post(billing_drafts(&envelope(e), &tag).expect("a money event"));
    }

    fn expense<E: DomainEvent>(&mut self, e: &E) {
        self.post(expense_drafts(&envelope(e)).expect("an expense event"));
    }

    fn pnl(&self, basis: Basis, building: Option<&str>) -> ProfitAndLoss {
        profit_and_loss(&self.0, &chart(), (d("2026-01-01"), d("2026-03-31"), basis), building, usd())
    }
}

fn charge(id: &ChargeId, kind: ChargeKind, minor: i64, due: &str) -> ChargeCreated {
    ChargeCreated {
        charge_id: id.clone(),
        lease_id: LeaseId::new(),
        kind,
        amount: m(minor),
        due_date: d(due),
        source: ChargeSource::Manual,
        period: None,
        fx: None,
    }
}

fn alloc(source: AllocationSource, kind: ChargeKind, minor: i64, date: &str) -> AllocationMade {
    AllocationMade {
        allocation_id: AllocationId::new(),
        charge_id: ChargeId::new(),
        payment_id: (source == AllocationSource::Payment).then(PaymentId::new),
        credit_id: None,
        amount: m(minor),
        date: d(date),
        source,
        charge_kind: kind,
        charge_base: None,
        money_base: None,
    }
}

fn paid(id: &PaymentId, minor: i64, on: &str, allocations: Vec<AllocationMade>) -> PaymentReceived {
    PaymentReceived {
        payment_id: id.clone(),
        lease_id: LeaseId::new(),
        amount: m(minor),
        received_on: d(on),
        method: PaymentMethod::Check,
        status: PaymentStatus::Cleared,
        allocations,
        fx: None,
        processor: None,
    }
}

/// `(period, account code) → amount` of a section, income and expenses alike.
fn figures(s: &PnlSection) -> BTreeMap<(String, String), String> {
    s.months
        .iter()
        .chain(std::iter::once(&s.total))
        .flat_map(|p| {
            p.income
                .iter()
                .chain(&p.expenses)
                .map(move |l| ((p.period.clone(), l.code.clone()), l.amount.amount.clone()))
        })
        .collect()
}

fn fig(rows: &[(&str, &str, &str)]) -> BTreeMap<(String, String), String> {
    rows.iter().map(|(p, c, a)| (((*p).into(), (*c).into()), (*a).into())).collect()
}

/// January's rent paid in two parts, a late fee paid in February, a prepayment in March for
/// April, a deposit paid and partly kept, a bounced check.
fn tenant_year() -> Books {
    let mut b = Books::default();
    b.billing(&charge(&ChargeId::new(), ChargeKind::Rent, 100_000, "2026-01-01"));
    b.billing(&charge(&ChargeId::new(), ChargeKind::Deposit, 150_000, "2026-01-01"));
    let deposit = alloc(AllocationSource::Payment, ChargeKind::Deposit, 150_000, "2026-01-01");
    b.billing(&paid(&PaymentId::new(), 150_000, "2026-01-01", vec![deposit]));
    b.billing(&paid(
        &PaymentId::new(),
        60_000,
        "2026-01-05",
        vec![alloc(AllocationSource::Payment, ChargeKind::Rent, 60_000, "2026-01-05")],
    ));
    b.billing(&charge(&ChargeId::new(), ChargeKind::LateFee, 5_000, "2026-01-10"));
    let feb = vec![
        alloc(AllocationSource::Payment, ChargeKind::Rent, 40_000, "2026-02-03"),
        alloc(AllocationSource::Payment, ChargeKind::LateFee, 5_000, "2026-02-03"),
    ];
    b.billing(&paid(&PaymentId::new(), 45_000, "2026-02-03", feb));
    // February's rent: paid by a check that bounces in March.
    b.billing(&charge(&ChargeId::new(), ChargeKind::Rent, 100_000, "2026-02-01"));
    let check = PaymentId::new();
    let a = alloc(AllocationSource::Payment, ChargeKind::Rent, 100_000, "2026-02-01");
    b.billing(&paid(&check, 100_000, "2026-02-01", vec![a.clone()]));
    let undo = AllocationMade { amount: m(-100_000), date: d("2026-03-02"), ..a };
    b.billing(&PaymentReversed {
        payment_id: check,
        lease_id: LeaseId::new(),
        amount: m(100_000),
        reversed_on: d("2026-03-02"),
        reason: Some("NSF".into()),
        allocations: vec![undo],
        fx: None,
        processor: None,
    });
    // March 20: April's rent paid ahead (advance rent: income when received on the cash basis).
    b.billing(&paid(&PaymentId::new(), 100_000, "2026-03-20", vec![]));
    // March 31: move-out; 200.00 of the deposit kept for damage, the rest refunded.
    let damage = ChargeId::new();
    b.billing(&DepositSettled {
        lease_id: LeaseId::new(),
        settled_on: d("2026-03-31"),
        held: m(150_000),
        deductions: vec![DeductionOut { charge_id: damage, description: "damage".into(), amount: m(20_000) }],
        applied_to_balance: m(0),
        refund: m(130_000),
        allocations: vec![alloc(AllocationSource::Deposit, ChargeKind::Fee, 20_000, "2026-03-31")],
        fx: None,
        refund_base: None,
    });
    b
}

#[test]
fn accrual_income_is_what_was_charged_cash_income_what_was_paid_for_it() {
    let b = tenant_year();
    let accrual = b.pnl(Basis::Accrual, None);
    assert_eq!(
        figures(&accrual.base),
        fig(&[
            ("2026-01", "4000", "1000.00"),
            ("2026-01", "4100", "50.00"),
            ("2026-02", "4000", "1000.00"),
            ("2026-03", "4900", "200.00"),
            ("total", "4000", "2000.00"),
            ("total", "4100", "50.00"),
            ("total", "4900", "200.00"),
        ])
    );
    let cash = b.pnl(Basis::Cash, None);
    assert_eq!(
        figures(&cash.base),
        fig(&[
            ("2026-01", "4000", "600.00"),
            // February: the rest of January's rent, the late fee, and the check (bounced in March).
            ("2026-02", "4000", "1400.00"),
            ("2026-02", "4100", "50.00"),
            // March: the bounce takes the check back, April's rent paid ahead counts, the kept
            // part of the deposit is income when kept.
            ("2026-03", "4900", "200.00"),
            ("total", "4000", "2000.00"),
            ("total", "4100", "50.00"),
            ("total", "4900", "200.00"),
        ])
    );
    assert_eq!(cash.base.months[2].total_income.amount, "200.00", "−1000.00 bounced + 1000.00 ahead + 200.00 kept");
    assert_eq!(cash.base.total.net_income.amount, "2250.00");
    assert_eq!(cash.currencies.len(), 1);
    assert_eq!(figures(&cash.currencies[0]), figures(&cash.base));
    assert!(!cash.unvalued);
}

fn part(minor: i64, building: &str) -> ExpensePart {
    ExpensePart { building_id: Some(building.into()), unit_id: None, amount: m(minor) }
}

fn recorded(id: &ExpenseId, account: &str, credit: &str, on: &str, parts: Vec<ExpensePart>) -> ExpenseRecorded {
    let total: i64 = parts.iter().map(|p| Money::parse(&p.amount.amount, usd()).unwrap().minor).sum();
    ExpenseRecorded {
        expense_id: id.clone(),
        date: d(on),
        amount: m(total),
        account_code: account.into(),
        vendor_id: None,
        parts,
        credit_account: credit.into(),
        status: if credit == code::PAYABLE { ExpenseStatus::Unpaid } else { ExpenseStatus::Paid },
        fx: None,
    }
}

/// A bill for Repairs split across two buildings, re-classified while owed to Cleaning at one
/// building, paid in March; mortgage interest and depreciation in March.
fn bill_year() -> Books {
    let mut b = Books::default();
    let bill = ExpenseId::new();
    b.expense(&recorded(
        &bill,
        "5140",
        code::PAYABLE,
        "2026-01-20",
        vec![part(30_000, "bld_a"), part(10_000, "bld_b")],
    ));
    // Re-classified from Repairs to Cleaning and maintenance while still owed, then paid.
    b.expense(&ExpenseReclassified {
        expense_id: bill.clone(),
        date: d("2026-02-02"),
        revision: 1,
        before_account_code: "5140".into(),
        before_parts: vec![part(30_000, "bld_a"), part(10_000, "bld_b")],
        account_code: "5070".into(),
        parts: vec![part(40_000, "bld_a")],
        fx: None,
        payable: true,
    });
    b.expense(&ExpensePaid {
        expense_id: bill,
        paid_on: d("2026-03-05"),
        paid_from_code: code::OPERATING.into(),
        parts: vec![part(40_000, "bld_a")],
        account_code: Some("5070".into()),
        fx: None,
        paid_fx: None,
    });
    // Depreciation and mortgage interest: expenses, not operating ones.
    b.expense(&recorded(&ExpenseId::new(), "5120", code::OPERATING, "2026-03-01", vec![part(70_000, "bld_a")]));
    b.expense(&recorded(&ExpenseId::new(), code::DEPRECIATION, "1510", "2026-03-31", vec![part(25_000, "bld_a")]));
    b
}

#[test]
fn a_bill_is_an_expense_when_booked_on_accrual_and_when_paid_on_cash_in_the_account_it_ends_in() {
    let b = bill_year();
    let accrual = b.pnl(Basis::Accrual, None);
    assert_eq!(
        figures(&accrual.base),
        fig(&[
            ("2026-01", "5140", "400.00"),
            ("2026-02", "5070", "400.00"),
            ("2026-02", "5140", "-400.00"),
            ("2026-03", "5120", "700.00"),
            ("2026-03", "5180", "250.00"),
            ("total", "5070", "400.00"),
            ("total", "5120", "700.00"),
            ("total", "5180", "250.00"),
        ])
    );
    let cash = b.pnl(Basis::Cash, None);
    assert_eq!(
        figures(&cash.base),
        fig(&[
            ("2026-03", "5070", "400.00"),
            ("2026-03", "5120", "700.00"),
            ("2026-03", "5180", "250.00"),
            ("total", "5070", "400.00"),
            ("total", "5120", "700.00"),
            ("total", "5180", "250.00"),
        ])
    );
    let march = &cash.base.months[2];
    assert_eq!(march.total_expenses.amount, "1350.00");
    assert_eq!(march.operating_expenses.amount, "400.00");
    assert_eq!((march.noi.amount.as_str(), march.net_income.amount.as_str()), ("-400.00", "-1350.00"));
    // Building B's part moved to A: B has nothing left on either basis by March.
    let b_cash = b.pnl(Basis::Cash, Some("bld_b"));
    assert!(b_cash.base.total.expenses.is_empty(), "{:?}", b_cash.base.total);
    let b_accrual = b.pnl(Basis::Accrual, Some("bld_b"));
    assert_eq!(figures(&b_accrual.base).get(&("2026-01".into(), "5140".into())).map(String::as_str), Some("100.00"));
    assert_eq!(b_accrual.base.total.total_expenses.amount, "0.00");
}

#[test]
fn the_basis_is_cash_unless_accrual_is_asked_for() {
    assert_eq!(Basis::parse(None).unwrap(), Basis::Cash);
    assert_eq!(Basis::parse(Some("accrual")).unwrap(), Basis::Accrual);
    assert!(Basis::parse(Some("Accrual")).is_err());
}

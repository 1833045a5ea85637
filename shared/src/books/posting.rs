//! The posting rules (pure): what one money event does to the books. Each event becomes one
//! balanced entry per day its parts are dated on (a payment that prepays next month's rent meets
//! that rent on its due date), so the books as of any day agree with the lease ledgers as of
//! that day. The rules mirror the ledger's own arithmetic (`billing::ledger`), account by
//! account:
//!
//! - Accounts receivable moves with the lease balance (charges up, payment and deposit
//!   allocations down);
//! - Prepaid rent moves with unapplied credit (payments up, payment allocations down);
//! - Security deposits held moves with the deposit held (a deposit charge paid up, deposit
//!   allocations and the refund down); a deposit charged but not yet paid waits in Security
//!   deposits due;
//! - the other leg is income by charge kind, Undeposited funds for money received, or the bank
//!   for a refund.

use super::chart::code;
use super::events::{ExpensePaid, ExpensePart, ExpenseReclassified, ExpenseRecorded, ExpenseVoided};
use crate::billing::allocation::ChargeKind;
use crate::billing::events::{
    AllocationCreated, AllocationMade, ChargeCreated, ChargeVoided, DepositSettled, PaymentReceived, PaymentReversed,
};
use crate::billing::model::AllocationSource;
use crate::events::{DomainEvent, Event};
use crate::money::{Currency, Money, MoneyDto};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an entry was posted from: `{"type": "payment", "id": "pay_…"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    #[serde(rename = "type")]
    pub type_: String,
    pub id: String,
}

/// Where a line's amount belongs (for reports by property).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
}

/// One line of a draft: an account (by code), a currency and a signed amount in minor units
/// (debit positive, credit negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    pub account: String,
    pub currency: Currency,
    pub minor: i64,
    #[serde(default)]
    pub tag: Tag,
}

/// An entry before it is numbered and chained: what the poster writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// Deterministic: the same source always yields the same key (re-delivery posts nothing twice).
    pub key: String,
    pub source: Source,
    pub date: NaiveDate,
    pub memo: String,
    pub legs: Vec<Leg>,
}

/// Signed amounts per day, account, currency and tag, netted.
#[derive(Debug, Default)]
struct Sums(BTreeMap<(NaiveDate, String, String, Tag), (Currency, i64)>);

impl Sums {
    fn add(&mut self, date: NaiveDate, account: &str, m: Money, tag: &Tag) {
        let k = (date, account.to_owned(), m.currency.code().to_owned(), tag.clone());
        self.0.entry(k).or_insert((m.currency, 0)).1 += m.minor;
    }

    /// One draft per day, the event's own day first; accounts that net to zero are left out.
    fn drafts(self, source: Source, main: NaiveDate, memo: &str) -> Vec<Draft> {
        let mut by_day: BTreeMap<NaiveDate, Vec<Leg>> = BTreeMap::new();
        for ((date, account, _, tag), (currency, minor)) in self.0 {
            if minor != 0 {
                by_day.entry(date).or_default().push(Leg { account, currency, minor, tag });
            }
        }
        let mut out: Vec<Draft> = by_day
            .into_iter()
            .map(|(date, legs)| {
                let base = format!("{}:{}", source.type_, source.id);
                let key = if date == main { base } else { format!("{base}@{date}") };
                Draft { key, source: source.clone(), date, memo: memo.to_owned(), legs }
            })
            .collect();
        out.sort_by_key(|d| d.date != main);
        out
    }
}

/// An event's amount (signed: credits and reversing allocations are negative).
fn money(dto: &MoneyDto) -> Option<Money> {
    Money::parse(&dto.amount, Currency::parse(&dto.currency)?).ok()
}

/// The account a charge of `kind` credits.
pub fn charge_account(kind: ChargeKind) -> &'static str {
    match kind {
        ChargeKind::Rent | ChargeKind::Credit => code::RENT,
        ChargeKind::LateFee => code::LATE_FEES,
        ChargeKind::Utility | ChargeKind::Fee => code::OTHER_INCOME,
        ChargeKind::Deposit => code::DEPOSITS_DUE,
    }
}

/// A charge (negative for a credit) raises what is owed.
fn charge(s: &mut Sums, date: NaiveDate, kind: ChargeKind, m: Money, tag: &Tag) {
    s.add(date, code::RECEIVABLE, m, tag);
    s.add(date, charge_account(kind), Money::new(-m.minor, m.currency), tag);
}

fn allocation(s: &mut Sums, a: &AllocationMade, tag: &Tag) {
    let Some(m) = money(&a.amount) else { return };
    let neg = Money::new(-m.minor, m.currency);
    match a.source {
        AllocationSource::Payment => {
            s.add(a.date, code::RECEIVABLE, neg, tag);
            s.add(a.date, code::PREPAID_RENT, m, tag);
        }
        AllocationSource::Credit => {}
        AllocationSource::Deposit => {
            s.add(a.date, code::RECEIVABLE, neg, tag);
            s.add(a.date, code::DEPOSITS_HELD, m, tag);
        }
    }
    if a.charge_kind == ChargeKind::Deposit {
        s.add(a.date, code::DEPOSITS_DUE, m, tag);
        s.add(a.date, code::DEPOSITS_HELD, neg, tag);
    }
}

fn src(type_: &str, id: impl ToString) -> Source {
    Source { type_: type_.to_owned(), id: id.to_string() }
}

/// The drafts a billing event posts (none for events that move no money), every line tagged
/// with the lease's unit and building.
pub fn billing_drafts(event: &Event, tag: &Tag) -> Option<Vec<Draft>> {
    let mut s = Sums::default();
    let (source, date, memo) = if let Some(e) = decode::<ChargeCreated>(event) {
        charge(&mut s, e.due_date, e.kind, money(&e.amount)?, tag);
        (src("charge", &e.charge_id), e.due_date, format!("{} charge", kind_name(e.kind)))
    } else if let Some(e) = decode::<ChargeVoided>(event) {
        let m = money(&e.amount)?;
        charge(&mut s, e.date, e.kind, Money::new(-m.minor, m.currency), tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("charge_void", &e.charge_id), e.date, format!("{} charge voided", kind_name(e.kind)))
    } else if let Some(e) = decode::<PaymentReceived>(event) {
        let m = money(&e.amount)?;
        s.add(e.received_on, code::UNDEPOSITED_FUNDS, m, tag);
        s.add(e.received_on, code::PREPAID_RENT, Money::new(-m.minor, m.currency), tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("payment", &e.payment_id), e.received_on, "payment received".to_owned())
    } else if let Some(e) = decode::<PaymentReversed>(event) {
        let m = money(&e.amount)?;
        s.add(e.reversed_on, code::UNDEPOSITED_FUNDS, Money::new(-m.minor, m.currency), tag);
        s.add(e.reversed_on, code::PREPAID_RENT, m, tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("payment_reversal", &e.payment_id), e.reversed_on, "payment reversed".to_owned())
    } else if let Some(e) = decode::<AllocationCreated>(event) {
        let first = e.allocations.first()?;
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("allocation", &first.allocation_id), first.date, "credit applied".to_owned())
    } else if let Some(e) = decode::<DepositSettled>(event) {
        for d in &e.deductions {
            charge(&mut s, e.settled_on, ChargeKind::Fee, money(&d.amount)?, tag);
        }
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        let refund = money(&e.refund)?;
        s.add(e.settled_on, code::DEPOSITS_HELD, refund, tag);
        s.add(e.settled_on, code::OPERATING, Money::new(-refund.minor, refund.currency), tag);
        (src("deposit_settlement", &e.lease_id), e.settled_on, "deposit settled".to_owned())
    } else {
        return None;
    };
    Some(s.drafts(source, date, &memo))
}

fn part_tag(p: &ExpensePart) -> Tag {
    Tag { building_id: p.building_id.clone(), unit_id: p.unit_id.clone() }
}

/// Each part debits `debit` and credits `credit` (signed by `sign`), tagged with its building or unit.
fn parts(s: &mut Sums, date: NaiveDate, parts: &[ExpensePart], debit: &str, credit: &str, sign: i64) -> Option<()> {
    for p in parts {
        let m = money(&p.amount)?;
        s.add(date, debit, Money::new(sign * m.minor, m.currency), &part_tag(p));
        s.add(date, credit, Money::new(-sign * m.minor, m.currency), &part_tag(p));
    }
    Some(())
}

/// The drafts an expense event posts.
pub fn expense_drafts(event: &Event) -> Option<Vec<Draft>> {
    let mut s = Sums::default();
    let (source, date, memo) = if let Some(e) = decode::<ExpenseRecorded>(event) {
        parts(&mut s, e.date, &e.parts, &e.account_code, &e.credit_account, 1)?;
        (src("expense", &e.expense_id), e.date, "expense recorded".to_owned())
    } else if let Some(e) = decode::<ExpensePaid>(event) {
        parts(&mut s, e.paid_on, &e.parts, code::PAYABLE, &e.paid_from_code, 1)?;
        (src("expense_payment", &e.expense_id), e.paid_on, "bill paid".to_owned())
    } else if let Some(e) = decode::<ExpenseVoided>(event) {
        parts(&mut s, e.date, &e.parts, &e.account_code, &e.credit_account, -1)?;
        if let Some(bank) = &e.paid_from_code {
            parts(&mut s, e.date, &e.parts, code::PAYABLE, bank, -1)?;
        }
        (src("expense_void", &e.expense_id), e.date, "expense voided".to_owned())
    } else if let Some(e) = decode::<ExpenseReclassified>(event) {
        let (before, after) = (&e.before_account_code, &e.account_code);
        for p in &e.before_parts {
            let m = money(&p.amount)?;
            s.add(e.date, before, Money::new(-m.minor, m.currency), &part_tag(p));
        }
        for p in &e.parts {
            let m = money(&p.amount)?;
            s.add(e.date, after, m, &part_tag(p));
        }
        let id = format!("{}#{}", e.expense_id, e.revision);
        (src("expense_reclassification", id), e.date, "expense re-classified".to_owned())
    } else {
        return None;
    };
    Some(s.drafts(source, date, &memo))
}

fn decode<E: DomainEvent>(event: &Event) -> Option<E> {
    event.decode::<E>()?.ok()
}

/// The lease an event of the ledger is about, if it is one the books post.
pub fn billing_lease(event: &Event) -> Option<String> {
    let lease = event.data.get("leaseId")?.as_str()?;
    POSTED_TYPES.contains(&event.type_.as_str()).then(|| lease.to_owned())
}

/// The event types the books post: the ones the relay queues for `consumer-books`.
pub const POSTED_TYPES: &[&str] = &[
    ExpenseRecorded::TYPE,
    ExpensePaid::TYPE,
    ExpenseVoided::TYPE,
    ExpenseReclassified::TYPE,
    ChargeCreated::TYPE,
    ChargeVoided::TYPE,
    PaymentReceived::TYPE,
    PaymentReversed::TYPE,
    AllocationCreated::TYPE,
    DepositSettled::TYPE,
];

fn kind_name(kind: ChargeKind) -> &'static str {
    match kind {
        ChargeKind::Rent => "rent",
        ChargeKind::LateFee => "late fee",
        ChargeKind::Deposit => "deposit",
        ChargeKind::Utility => "utility",
        ChargeKind::Fee => "fee",
        ChargeKind::Credit => "credit",
    }
}

#[cfg(test)]
#[path = "posting_tests.rs"]
mod tests;

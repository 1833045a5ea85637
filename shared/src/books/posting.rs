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
    AllocationCreated, AllocationMade, ChargeCreated, ChargeVoided, DepositSettled, PaymentReceived, PaymentRefunded,
    PaymentReversed,
};
use crate::billing::model::{AllocationSource, ChargeSource, Fx};
use crate::events::{DomainEvent, Event};
use crate::integrations::stripe::events::PayoutPaid;
use crate::money::{Currency, Money, MoneyDto, StoredMoney};
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
    /// On a receivable or payable line: the income or expense account it is owed for (so a
    /// cash-basis report knows what the money meeting it was for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
}

impl Tag {
    /// This tag, for a receivable or payable line owed for `account`.
    pub fn of(&self, account: &str) -> Tag {
        Tag { of: Some(account.to_owned()), ..self.clone() }
    }
}

/// One line of a draft: an account (by code), a currency and a signed amount in minor units
/// (debit positive, credit negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    pub account: String,
    pub currency: Currency,
    pub minor: i64,
    /// For a line in a foreign currency: its amount in the org's base currency (minor units) at
    /// the rate its source was valued at. A realized FX line has `minor` 0 and only a base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<StoredMoney>,
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

/// A netted amount: the transaction amount, the base amount of the parts that had one, and
/// whether some part had none (a base-currency amount, or a foreign one without a rate).
#[derive(Debug, Clone, Copy)]
struct Net {
    currency: Currency,
    minor: i64,
    base: Option<StoredMoney>,
    unvalued: bool,
}

/// Signed amounts per day, account, currency and tag, netted.
#[derive(Debug, Default)]
struct Sums(BTreeMap<(NaiveDate, String, String, Tag), Net>);

impl Sums {
    /// `m` worth `base` in the base currency (`None`: not valued).
    fn add_valued(&mut self, date: NaiveDate, account: &str, m: Money, base: Option<Money>, tag: &Tag) {
        let k = (date, account.to_owned(), m.currency.code().to_owned(), tag.clone());
        let net = self.0.entry(k).or_insert(Net { currency: m.currency, minor: 0, base: None, unvalued: false });
        net.minor += m.minor;
        match (base, &mut net.base) {
            (Some(b), Some(sum)) if sum.currency == b.currency => sum.minor += b.minor,
            (Some(b), None) => net.base = Some(b.into()),
            _ => net.unvalued = true,
        }
    }

    /// One draft per day, the event's own day first; accounts that net to zero are left out.
    fn drafts(self, source: Source, main: NaiveDate, memo: &str) -> Vec<Draft> {
        let mut by_day: BTreeMap<NaiveDate, Vec<(Leg, bool)>> = BTreeMap::new();
        for ((date, account, _, tag), n) in self.0 {
            if n.minor != 0 || (!n.unvalued && n.base.is_some_and(|b| b.minor != 0)) {
                let leg = Leg { account, currency: n.currency, minor: n.minor, base: n.base, tag };
                by_day.entry(date).or_default().push((leg, n.unvalued));
            }
        }
        let mut out: Vec<Draft> = by_day
            .into_iter()
            .map(|(date, legs)| {
                let legs = realize_fx(legs);
                let base = format!("{}:{}", source.type_, source.id);
                let key = if date == main { base } else { format!("{base}@{date}") };
                Draft { key, source: source.clone(), date, memo: memo.to_owned(), legs }
            })
            .collect();
        out.sort_by_key(|d| d.date != main);
        out
    }
}

/// A day's legs with their base amounts when every leg has one (else none keeps one), and the
/// difference of the base amounts — what settling at one rate what was valued at another
/// gained or lost — on Realized FX gain/loss, so the entry balances in the base currency too.
fn realize_fx(legs: Vec<(Leg, bool)>) -> Vec<Leg> {
    let base_currency = legs.iter().find_map(|(l, _)| l.base.map(|b| b.currency));
    let valued = legs.iter().all(|(l, unvalued)| !unvalued && l.base.map(|b| b.currency) == base_currency);
    let mut legs: Vec<Leg> = legs
        .into_iter()
        .map(|(mut l, _)| {
            l.base = l.base.filter(|b| valued && b.minor != 0);
            l
        })
        .filter(|l| l.minor != 0 || l.base.is_some())
        .collect();
    let residual: i64 = legs.iter().filter_map(|l| l.base.map(|b| b.minor)).sum();
    if let (true, Some(first), Some(base)) = (residual != 0, legs.first(), base_currency) {
        let (currency, tag) = (first.currency, first.tag.clone());
        let base = Some(StoredMoney { minor: -residual, currency: base });
        legs.push(Leg { account: code::FX_GAIN_LOSS.to_owned(), currency, minor: 0, base, tag });
    }
    legs
}

/// `m`'s worth in the base currency at `fx` (for a foreign amount with a rate).
fn worth(fx: Option<&Fx>, m: Money) -> Option<Money> {
    let fx = fx?;
    Some(Money::new(fx.worth(m.minor, m.currency)?, fx.base_currency))
}

fn neg(b: Option<Money>) -> Option<Money> {
    b.map(|b| Money::new(-b.minor, b.currency))
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

/// The account a charge credits: its kind's income (or deposits due), or opening equity for a
/// balance brought over from another system's books (where it was income already).
fn credited(kind: ChargeKind, source: Option<ChargeSource>) -> &'static str {
    match source {
        Some(ChargeSource::OpeningBalance) => code::OPENING_EQUITY,
        _ => charge_account(kind),
    }
}

/// A charge (negative for a credit) raises what is owed, valued at the charge's rate.
fn charge(s: &mut Sums, date: NaiveDate, (kind, credit): (ChargeKind, &str), (m, fx): (Money, Option<&Fx>), tag: &Tag) {
    let base = worth(fx, m);
    s.add_valued(date, code::RECEIVABLE, m, base, &tag.of(charge_account(kind)));
    s.add_valued(date, credit, Money::new(-m.minor, m.currency), neg(base), tag);
}

/// Money meeting a charge: the receivable goes down by what it moved of the charge's base
/// amount, the money's account by what it moved of the money's (their difference is realized
/// FX). A deposit's own money is valued at the charge's rate (no FX is realized on deposits).
fn allocation(s: &mut Sums, a: &AllocationMade, tag: &Tag) {
    let Some(m) = money(&a.amount) else { return };
    let minus = Money::new(-m.minor, m.currency);
    let (charge_base, money_base) = (a.charge_base.as_ref().and_then(money), a.money_base.as_ref().and_then(money));
    s.add_valued(a.date, code::RECEIVABLE, minus, neg(charge_base), &tag.of(charge_account(a.charge_kind)));
    match a.source {
        AllocationSource::Payment => s.add_valued(a.date, code::PREPAID_RENT, m, money_base, tag),
        // The credit is a negative receivable: applied, it moves towards zero.
        AllocationSource::Credit => {
            let credit = tag.of(charge_account(ChargeKind::Credit));
            s.add_valued(a.date, code::RECEIVABLE, m, money_base, &credit)
        }
        // Valued as the deposit held (paid at its charges' rates); older events: as the charge.
        AllocationSource::Deposit => s.add_valued(a.date, code::DEPOSITS_HELD, m, money_base.or(charge_base), tag),
    }
    if a.charge_kind == ChargeKind::Deposit {
        s.add_valued(a.date, code::DEPOSITS_DUE, m, charge_base, tag);
        s.add_valued(a.date, code::DEPOSITS_HELD, minus, neg(charge_base), tag);
    }
}

/// Where a payment's money lands: Undeposited funds (the landlord banks it), or the processor's
/// clearing account (its payout moves it to the bank, fees taken).
fn cash_in(processor: Option<crate::billing::model::Processor>) -> &'static str {
    match processor {
        None => code::UNDEPOSITED_FUNDS,
        Some(crate::billing::model::Processor::Stripe) => code::STRIPE_CLEARING,
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
        let credit = credited(e.kind, Some(e.source));
        charge(&mut s, e.due_date, (e.kind, credit), (money(&e.amount)?, e.fx.as_ref()), tag);
        (src("charge", &e.charge_id), e.due_date, format!("{} charge", kind_name(e.kind)))
    } else if let Some(e) = decode::<ChargeVoided>(event) {
        let m = money(&e.amount)?;
        let credit = credited(e.kind, e.source);
        charge(&mut s, e.date, (e.kind, credit), (Money::new(-m.minor, m.currency), e.fx.as_ref()), tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("charge_void", &e.charge_id), e.date, format!("{} charge voided", kind_name(e.kind)))
    } else if let Some(e) = decode::<PaymentReceived>(event) {
        let m = money(&e.amount)?;
        let base = worth(e.fx.as_ref(), m);
        s.add_valued(e.received_on, cash_in(e.processor), m, base, tag);
        s.add_valued(e.received_on, code::PREPAID_RENT, Money::new(-m.minor, m.currency), neg(base), tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("payment", &e.payment_id), e.received_on, "payment received".to_owned())
    } else if let Some(e) = decode::<PaymentReversed>(event) {
        let m = money(&e.amount)?;
        let base = worth(e.fx.as_ref(), m);
        s.add_valued(e.reversed_on, cash_in(e.processor), Money::new(-m.minor, m.currency), neg(base), tag);
        s.add_valued(e.reversed_on, code::PREPAID_RENT, m, base, tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("payment_reversal", &e.payment_id), e.reversed_on, "payment reversed".to_owned())
    } else if let Some(e) = decode::<PaymentRefunded>(event) {
        // The refund leaves the money's account from the payment's credit; what that credit had
        // paid of charges is owed again (the reversing allocations).
        let m = money(&e.amount)?;
        let base = worth(e.fx.as_ref(), m);
        s.add_valued(e.refunded_on, cash_in(e.processor), Money::new(-m.minor, m.currency), neg(base), tag);
        s.add_valued(e.refunded_on, code::PREPAID_RENT, m, base, tag);
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        let id = format!("{}:{}", e.payment_id, e.refund_id);
        (src("payment_refund", id), e.refunded_on, "payment refunded in part".to_owned())
    } else if let Some(e) = decode::<AllocationCreated>(event) {
        let first = e.allocations.first()?;
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        (src("allocation", &first.allocation_id), first.date, "credit applied".to_owned())
    } else if let Some(e) = decode::<DepositSettled>(event) {
        let fx = e.fx.as_ref();
        for d in &e.deductions {
            let m = money(&d.amount)?;
            let valued = fx.and_then(|f| Fx::convert(m.minor, m.currency, f.rate, f.rate_date, f.base_currency));
            charge(&mut s, e.settled_on, (ChargeKind::Fee, charge_account(ChargeKind::Fee)), (m, valued.as_ref()), tag);
        }
        e.allocations.iter().for_each(|a| allocation(&mut s, a, tag));
        // The refund leaves the deposit at what it was worth when paid, the bank at today's rate.
        let refund = money(&e.refund)?;
        let held = e.refund_base.as_ref().and_then(money);
        s.add_valued(e.settled_on, code::DEPOSITS_HELD, refund, held, tag);
        let out = Money::new(-refund.minor, refund.currency);
        s.add_valued(e.settled_on, code::OPERATING, out, worth(fx, out), tag);
        (src("deposit_settlement", &e.lease_id), e.settled_on, "deposit settled".to_owned())
    } else {
        return None;
    };
    Some(s.drafts(source, date, &memo))
}

fn part_tag(p: &ExpensePart) -> Tag {
    Tag { building_id: p.building_id.clone(), unit_id: p.unit_id.clone(), of: None }
}

/// The tag of a part's line on `account`: a payable line names the expense account it is owed
/// for (`expense`, when the event tells it).
fn line_tag(p: &ExpensePart, account: &str, expense: Option<&str>) -> Tag {
    match expense {
        Some(e) if account == code::PAYABLE => part_tag(p).of(e),
        _ => part_tag(p),
    }
}

/// Each part debits `debit` and credits `credit` (signed by `sign`), tagged with its building or
/// unit, each side valued at its own rate (a bill owed at its date's, paid at its payment's).
fn parts(
    s: &mut Sums,
    date: NaiveDate,
    parts: &[ExpensePart],
    (debit, debit_fx): (&str, Option<&Fx>),
    (credit, credit_fx): (&str, Option<&Fx>),
    (sign, expense): (i64, Option<&str>),
) -> Option<()> {
    for p in parts {
        let m = money(&p.amount)?;
        let (d, c) = (Money::new(sign * m.minor, m.currency), Money::new(-sign * m.minor, m.currency));
        s.add_valued(date, debit, d, worth(debit_fx, d), &line_tag(p, debit, expense));
        s.add_valued(date, credit, c, worth(credit_fx, c), &line_tag(p, credit, expense));
    }
    Some(())
}

/// Moves what a bill owes on its parts' payable lines from or to `account` (`sign` 1: a debit,
/// it is no longer owed for it; -1: a credit, it now is).
fn retag_payable(
    s: &mut Sums,
    date: NaiveDate,
    (parts, account): (&[ExpensePart], &str),
    sign: i64,
    fx: Option<&Fx>,
) -> Option<()> {
    for p in parts {
        let m = money(&p.amount)?;
        let signed = Money::new(sign * m.minor, m.currency);
        s.add_valued(date, code::PAYABLE, signed, worth(fx, signed), &part_tag(p).of(account));
    }
    Some(())
}

/// The drafts an expense event posts.
pub fn expense_drafts(event: &Event) -> Option<Vec<Draft>> {
    let mut s = Sums::default();
    let (source, date, memo) = if let Some(e) = decode::<ExpenseRecorded>(event) {
        let fx = e.fx.as_ref();
        parts(&mut s, e.date, &e.parts, (&e.account_code, fx), (&e.credit_account, fx), (1, Some(&e.account_code)))?;
        (src("expense", &e.expense_id), e.date, "expense recorded".to_owned())
    } else if let Some(e) = decode::<ExpensePaid>(event) {
        let (owed, paid) = (e.fx.as_ref(), e.paid_fx.as_ref());
        let expense = (1, e.account_code.as_deref());
        parts(&mut s, e.paid_on, &e.parts, (code::PAYABLE, owed), (&e.paid_from_code, paid), expense)?;
        (src("expense_payment", &e.expense_id), e.paid_on, "bill paid".to_owned())
    } else if let Some(e) = decode::<ExpenseVoided>(event) {
        let (fx, paid) = (e.fx.as_ref(), e.paid_fx.as_ref());
        let expense = (-1, Some(e.account_code.as_str()));
        parts(&mut s, e.date, &e.parts, (&e.account_code, fx), (&e.credit_account, fx), expense)?;
        if let Some(bank) = &e.paid_from_code {
            parts(&mut s, e.date, &e.parts, (code::PAYABLE, fx), (bank, paid), expense)?;
        }
        (src("expense_void", &e.expense_id), e.date, "expense voided".to_owned())
    } else if let Some(e) = decode::<ExpenseReclassified>(event) {
        let (before, after) = (&e.before_account_code, &e.account_code);
        for p in &e.before_parts {
            let m = money(&p.amount)?;
            let minus = Money::new(-m.minor, m.currency);
            s.add_valued(e.date, before, minus, worth(e.fx.as_ref(), minus), &part_tag(p));
        }
        for p in &e.parts {
            let m = money(&p.amount)?;
            s.add_valued(e.date, after, m, worth(e.fx.as_ref(), m), &part_tag(p));
        }
        // A bill still owed: what it owes is now owed for the new account.
        if e.payable {
            let fx = e.fx.as_ref();
            let (before, after) = ((e.before_parts.as_slice(), before.as_str()), (e.parts.as_slice(), after.as_str()));
            retag_payable(&mut s, e.date, before, 1, fx)?;
            retag_payable(&mut s, e.date, after, -1, fx)?;
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

/// The drafts a Stripe payout posts: the gross out of Stripe clearing, the payout into the bank
/// (Operating), Stripe's fees to Other (Schedule E line 19), on the day it arrives.
pub fn payout_drafts(event: &Event) -> Option<Vec<Draft>> {
    let e = decode::<PayoutPaid>(event)?;
    let (net, fees, gross) = (money(&e.amount)?, money(&e.fees)?, money(&e.gross)?);
    let (mut s, tag) = (Sums::default(), Tag::default());
    s.add_valued(e.arrival_date, code::OPERATING, net, None, &tag);
    s.add_valued(e.arrival_date, code::OTHER_EXPENSE, fees, None, &tag);
    s.add_valued(e.arrival_date, code::STRIPE_CLEARING, Money::new(-gross.minor, gross.currency), None, &tag);
    Some(s.drafts(src("payout", &e.payout_id), e.arrival_date, &format!("Stripe payout {}", e.payout_id)))
}

/// The drafts a bank match posts: each line's money moves from the account it was booked to into
/// the bank account the transaction was seen in (nothing for a line already there); an unmatch
/// moves it back. Each match has its own source (`bank_match`, id and revision).
pub fn bank_drafts(event: &Event) -> Option<Vec<Draft>> {
    use crate::banking::events::{BankTransactionMatched, BankTransactionUnmatched, MatchedLine};
    let (id, revision, date, bank, lines, sign, kind, memo) = if let Some(e) = decode::<BankTransactionMatched>(event) {
        (
            e.bank_transaction_id,
            e.revision,
            e.date,
            e.account_code,
            e.lines,
            1,
            "bank_match",
            "bank transaction matched",
        )
    } else {
        let e = decode::<BankTransactionUnmatched>(event)?;
        (e.bank_transaction_id, e.revision, e.date, e.account_code, e.lines, -1, "bank_unmatch", "bank match undone")
    };
    let (mut s, tag) = (Sums::default(), Tag::default());
    for MatchedLine { amount, from_account_code, .. } in lines.iter().filter(|l| l.from_account_code != bank) {
        let m = money(amount)?;
        s.add_valued(date, &bank, Money::new(sign * m.minor, m.currency), None, &tag);
        s.add_valued(date, from_account_code, Money::new(-sign * m.minor, m.currency), None, &tag);
    }
    Some(s.drafts(src(kind, format!("{id}#{revision}")), date, memo))
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
    PaymentRefunded::TYPE,
    AllocationCreated::TYPE,
    DepositSettled::TYPE,
    PayoutPaid::TYPE,
    crate::banking::events::BankTransactionMatched::TYPE,
    crate::banking::events::BankTransactionUnmatched::TYPE,
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

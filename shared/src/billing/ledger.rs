//! A lease's ledger computed from its entries (pure): every entry in date order with running
//! totals, and the balance, unapplied credit, deposit held and aging as of any day.
//!
//! - balance   = Σ charges (credits negative, voids reversing) − Σ payment and deposit allocations
//! - unapplied = Σ payments (reversals and refunds negative) − Σ payment allocations
//! - deposit   = Σ allocations to deposit charges − Σ deposit allocations − refund
//!
//! Credits applied to charges move amounts between charges and leave the balance as it is.

use super::model::*;
use crate::ids::{ChargeId, LeaseId};
use crate::money::{Currency, Money, MoneyDto};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// Everything stored in one lease's ledger partition.
#[derive(Debug, Clone, Default)]
pub struct LedgerItems {
    pub charges: Vec<ChargeRecord>,
    pub voids: Vec<ChargeVoidRecord>,
    pub payments: Vec<PaymentRecord>,
    pub reversals: Vec<PaymentReversalRecord>,
    pub refunds: Vec<PaymentRefundRecord>,
    pub allocations: Vec<AllocationRecord>,
    pub settlement: Option<SettlementRecord>,
}

impl LedgerItems {
    pub fn charge(&self, id: &ChargeId) -> Option<&ChargeRecord> {
        self.charges.iter().find(|c| &c.id == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryType {
    Charge,
    Payment,
    Allocation,
    ChargeVoid,
    PaymentReversal,
    DepositRefund,
    /// Part of a payment refunded (through its processor).
    PaymentRefund,
}

/// One line of the ledger, with the totals after it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    #[serde(rename = "type")]
    pub type_: EntryType,
    /// The charge, payment or allocation id.
    pub id: String,
    pub date: NaiveDate,
    /// The entry's own amount (negative for reversing entries and credits).
    pub amount: MoneyDto,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ChargeKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge_id: Option<ChargeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<AllocationSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx: Option<Fx>,
    /// Running balance owed after this entry.
    pub balance: MoneyDto,
    /// Running unapplied credit after this entry.
    pub unapplied: MoneyDto,
    /// Running deposit held after this entry.
    pub deposit: MoneyDto,
}

/// Open amounts by age (days past due) as of a day; charges not yet due are not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Buckets {
    pub current: i64,
    pub d1_30: i64,
    pub d31_60: i64,
    pub d61_90: i64,
    pub d90_plus: i64,
}

impl Buckets {
    pub fn add(&mut self, days_past_due: i64, open: i64) {
        match days_past_due {
            i64::MIN..=0 => self.current += open,
            1..=30 => self.d1_30 += open,
            31..=60 => self.d31_60 += open,
            61..=90 => self.d61_90 += open,
            _ => self.d90_plus += open,
        }
    }

    pub fn merge(&mut self, o: &Buckets) {
        self.current += o.current;
        self.d1_30 += o.d1_30;
        self.d31_60 += o.d31_60;
        self.d61_90 += o.d61_90;
        self.d90_plus += o.d90_plus;
    }

    pub fn total(&self) -> i64 {
        self.current + self.d1_30 + self.d31_60 + self.d61_90 + self.d90_plus
    }

    pub fn dto(&self, currency: Currency) -> Aging {
        let m = |v| Money::new(v, currency).into();
        Aging {
            current: m(self.current),
            d1_30: m(self.d1_30),
            d31_60: m(self.d31_60),
            d61_90: m(self.d61_90),
            d90_plus: m(self.d90_plus),
            total: m(self.total()),
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Aging {
    /// Due today (or earlier today in a report as of the due date): not yet late.
    pub current: MoneyDto,
    #[serde(rename = "d1_30")]
    pub d1_30: MoneyDto,
    #[serde(rename = "d31_60")]
    pub d31_60: MoneyDto,
    #[serde(rename = "d61_90")]
    pub d61_90: MoneyDto,
    #[serde(rename = "d90_plus")]
    pub d90_plus: MoneyDto,
    pub total: MoneyDto,
}

/// `GET …/ledger?asOf=`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ledger {
    pub lease_id: LeaseId,
    pub as_of: NaiveDate,
    pub currency: String,
    pub entries: Vec<LedgerEntry>,
    pub balance: MoneyDto,
    pub unapplied: MoneyDto,
    pub deposit: MoneyDto,
    pub aging: Aging,
}

struct Row {
    type_: EntryType,
    id: String,
    date: NaiveDate,
    created: DateTime<Utc>,
    amount: i64,
    d_balance: i64,
    d_unapplied: i64,
    d_deposit: i64,
    kind: Option<ChargeKind>,
    memo: Option<String>,
    charge_id: Option<ChargeId>,
    payment_id: Option<String>,
    source: Option<AllocationSource>,
    fx: Option<Fx>,
}

impl Row {
    /// An entry that moves only the balance, with nothing linked.
    fn entry(type_: EntryType, id: String, date: NaiveDate, created: DateTime<Utc>, amount: i64) -> Row {
        Row {
            type_,
            id,
            date,
            created,
            amount,
            d_balance: 0,
            d_unapplied: 0,
            d_deposit: 0,
            kind: None,
            memo: None,
            charge_id: None,
            payment_id: None,
            source: None,
            fx: None,
        }
    }
}

fn charge_row(c: &ChargeRecord) -> Row {
    let base = Row::entry(EntryType::Charge, c.id.to_string(), c.due_date, c.created_at, c.amount.minor);
    Row { d_balance: c.amount.minor, kind: Some(c.kind), memo: c.memo.clone(), fx: c.fx.clone(), ..base }
}

fn void_row(v: &ChargeVoidRecord) -> Row {
    let base = Row::entry(EntryType::ChargeVoid, v.charge_id.to_string(), v.date, v.created_at, v.amount.minor);
    Row {
        d_balance: v.amount.minor,
        kind: Some(v.kind),
        memo: v.reason.clone(),
        charge_id: Some(v.charge_id.clone()),
        ..base
    }
}

fn payment_row(p: &PaymentRecord) -> Row {
    let base = Row::entry(EntryType::Payment, p.id.to_string(), p.received_on, p.created_at, p.amount.minor);
    Row { d_unapplied: p.amount.minor, memo: p.reference.clone(), fx: p.fx.clone(), ..base }
}

fn reversal_row(r: &PaymentReversalRecord) -> Row {
    let id = r.payment_id.to_string();
    let base = Row::entry(EntryType::PaymentReversal, id.clone(), r.date, r.created_at, r.amount.minor);
    Row { d_unapplied: r.amount.minor, memo: r.reason.clone(), payment_id: Some(id), ..base }
}

fn payment_refund_row(r: &PaymentRefundRecord) -> Row {
    let id = format!("{}:{}", r.payment_id, r.refund_id);
    let base = Row::entry(EntryType::PaymentRefund, id, r.date, r.created_at, r.amount.minor);
    Row { d_unapplied: r.amount.minor, memo: r.reason.clone(), payment_id: Some(r.payment_id.to_string()), ..base }
}

/// An allocation moves the balance and unapplied credit by its source, and the deposit held
/// when it pays a deposit charge or is paid from the deposit.
fn allocation_row(a: &AllocationRecord, kind: Option<ChargeKind>) -> Row {
    let amt = a.amount.minor;
    let (d_balance, d_unapplied, mut d_deposit) = match a.source {
        AllocationSource::Payment => (-amt, -amt, 0),
        AllocationSource::Credit => (0, 0, 0),
        AllocationSource::Deposit => (-amt, 0, -amt),
    };
    if kind == Some(ChargeKind::Deposit) {
        d_deposit += amt;
    }
    let from = a.payment_id.as_ref().map(|p| p.to_string()).or(a.credit_id.as_ref().map(|c| c.to_string()));
    Row {
        d_balance,
        d_unapplied,
        d_deposit,
        kind,
        charge_id: Some(a.charge_id.clone()),
        payment_id: from,
        source: Some(a.source),
        ..Row::entry(EntryType::Allocation, a.id.to_string(), a.date, a.created_at, amt)
    }
}

fn refund_row(s: &SettlementRecord) -> Option<Row> {
    let id = format!("{}:refund", s.lease_id);
    let base = Row::entry(EntryType::DepositRefund, id, s.settled_on, s.created_at, -s.refund.minor);
    (s.refund.minor != 0).then(|| Row { d_deposit: -s.refund.minor, memo: Some("deposit refund".into()), ..base })
}

fn rows(l: &LedgerItems) -> Vec<Row> {
    let kinds: HashMap<&ChargeId, ChargeKind> = l.charges.iter().map(|c| (&c.id, c.kind)).collect();
    let mut rows: Vec<Row> = l.charges.iter().map(charge_row).collect();
    rows.extend(l.voids.iter().map(void_row));
    rows.extend(l.payments.iter().map(payment_row));
    rows.extend(l.reversals.iter().map(reversal_row));
    rows.extend(l.refunds.iter().map(payment_refund_row));
    rows.extend(l.allocations.iter().map(|a| allocation_row(a, kinds.get(&a.charge_id).copied())));
    rows.extend(l.settlement.as_ref().and_then(refund_row));
    // Date, then charges before the money that meets them, then reversals; ties by creation.
    rows.sort_by(|a, b| {
        let reversing = |r: &Row| r.type_ == EntryType::Allocation && r.amount < 0;
        (a.date, a.type_, reversing(a), a.created, &a.id).cmp(&(b.date, b.type_, reversing(b), b.created, &b.id))
    });
    rows
}

/// Totals as of `as_of` (entries dated after it are left out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub balance: i64,
    pub unapplied: i64,
    pub deposit: i64,
}

pub fn totals(l: &LedgerItems, as_of: NaiveDate) -> Totals {
    rows(l).iter().filter(|r| r.date <= as_of).fold(Totals::default(), |t, r| Totals {
        balance: t.balance + r.d_balance,
        unapplied: t.unapplied + r.d_unapplied,
        deposit: t.deposit + r.d_deposit,
    })
}

/// What was still owed on each charge due by `as_of`, on `as_of` (credits and charges voided by
/// then are left out), in the ledger's order.
pub fn open_on(l: &LedgerItems, as_of: NaiveDate) -> Vec<(&ChargeRecord, i64)> {
    let mut open: HashMap<&ChargeId, i64> = HashMap::new();
    for c in l.charges.iter().filter(|c| c.due_date <= as_of && c.amount.minor > 0) {
        open.insert(&c.id, c.amount.minor);
    }
    for v in l.voids.iter().filter(|v| v.date <= as_of) {
        open.remove(&v.charge_id);
    }
    for a in l.allocations.iter().filter(|a| a.date <= as_of) {
        if let Some(o) = open.get_mut(&a.charge_id) {
            *o -= a.amount.minor;
        }
    }
    l.charges.iter().filter_map(|c| open.get(&c.id).filter(|o| **o > 0).map(|o| (c, *o))).collect()
}

/// What was still owed on `as_of`, aged by days past due.
pub fn aging(l: &LedgerItems, as_of: NaiveDate) -> Buckets {
    let mut b = Buckets::default();
    for (c, open) in open_on(l, as_of) {
        b.add((as_of - c.due_date).num_days(), open);
    }
    b
}

/// The ledger as of `as_of`, in `currency` (the lease's).
pub fn ledger(lease_id: LeaseId, currency: Currency, l: &LedgerItems, as_of: NaiveDate) -> Ledger {
    let m = |v: i64| -> MoneyDto { Money::new(v, currency).into() };
    let mut t = Totals::default();
    let mut entries = Vec::new();
    for r in rows(l).into_iter().filter(|r| r.date <= as_of) {
        t.balance += r.d_balance;
        t.unapplied += r.d_unapplied;
        t.deposit += r.d_deposit;
        entries.push(LedgerEntry {
            type_: r.type_,
            id: r.id,
            date: r.date,
            amount: m(r.amount),
            kind: r.kind,
            memo: r.memo,
            charge_id: r.charge_id,
            payment_id: r.payment_id,
            source: r.source,
            fx: r.fx,
            balance: m(t.balance),
            unapplied: m(t.unapplied),
            deposit: m(t.deposit),
        });
    }
    Ledger {
        lease_id,
        as_of,
        currency: currency.code().to_owned(),
        entries,
        balance: m(t.balance),
        unapplied: m(t.unapplied),
        deposit: m(t.deposit),
        aging: aging(l, as_of).dto(currency),
    }
}

/// Recomputes what the stored counters must be from the entries alone: each charge's open
/// amount and each payment's unapplied amount (a consistency check for tests and audits).
pub fn recompute_counters(l: &LedgerItems) -> (HashMap<ChargeId, i64>, HashMap<String, i64>) {
    let mut open: HashMap<ChargeId, i64> = l.charges.iter().map(|c| (c.id.clone(), c.amount.minor)).collect();
    let mut unapplied: HashMap<String, i64> = l.payments.iter().map(|p| (p.id.to_string(), p.amount.minor)).collect();
    for v in &l.voids {
        open.insert(v.charge_id.clone(), 0);
    }
    let voided: std::collections::HashSet<&ChargeId> = l.voids.iter().map(|v| &v.charge_id).collect();
    for a in &l.allocations {
        if !voided.contains(&a.charge_id) {
            *open.entry(a.charge_id.clone()).or_default() -= a.amount.minor;
        }
        if let Some(c) = &a.credit_id {
            if !voided.contains(c) {
                *open.entry(c.clone()).or_default() += a.amount.minor;
            }
        }
        if let Some(p) = &a.payment_id {
            *unapplied.entry(p.to_string()).or_default() -= a.amount.minor;
        }
    }
    for r in &l.reversals {
        *unapplied.entry(r.payment_id.to_string()).or_default() += r.amount.minor;
    }
    for r in &l.refunds {
        *unapplied.entry(r.payment_id.to_string()).or_default() += r.amount.minor;
    }
    (open, unapplied)
}

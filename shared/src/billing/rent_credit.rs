//! Money a tenant paid ahead meets the charges the rent run creates, in the run's own
//! transaction (a tenant who prepaid owes nothing on the 1st): each new charge, oldest due first,
//! takes what is left unapplied on the lease's cleared payments and open credits, oldest first.
//! Pure; the run writes the plan with the charges.

use super::ledger::LedgerItems;
use super::model::*;
use super::store::Plan;
use crate::money::Currency;
use chrono::{DateTime, NaiveDate, Utc};

/// Money the run may apply: a cleared payment's unapplied part, or what is left of an open
/// credit (a negative charge).
#[derive(Debug, Clone)]
pub enum Prepaid {
    Payment(PaymentRecord),
    Credit(ChargeRecord),
}

impl Prepaid {
    fn left(&self) -> i64 {
        match self {
            Prepaid::Payment(p) => p.unapplied,
            Prepaid::Credit(c) => -c.open,
        }
    }

    fn take(&mut self, amount: i64) {
        match self {
            Prepaid::Payment(p) => p.unapplied -= amount,
            Prepaid::Credit(c) => c.open += amount,
        }
    }

    fn date(&self) -> NaiveDate {
        match self {
            Prepaid::Payment(p) => p.received_on,
            Prepaid::Credit(c) => c.due_date,
        }
    }

    fn currency(&self) -> Currency {
        match self {
            Prepaid::Payment(p) => p.amount.currency,
            Prepaid::Credit(c) => c.amount.currency,
        }
    }

    fn id(&self) -> String {
        match self {
            Prepaid::Payment(p) => p.id.to_string(),
            Prepaid::Credit(c) => c.id.to_string(),
        }
    }

    fn source(&self) -> AllocationSource {
        match self {
            Prepaid::Payment(_) => AllocationSource::Payment,
            Prepaid::Credit(_) => AllocationSource::Credit,
        }
    }
}

/// The money the run may apply (cleared payments not reversed, open credits), oldest first.
pub fn usable(payments: Vec<PaymentRecord>, charges: Vec<ChargeRecord>) -> Vec<Prepaid> {
    let payments = payments.into_iter().filter(|p| p.status == PaymentStatus::Cleared).map(Prepaid::Payment);
    let credits = charges
        .into_iter()
        .filter(|c| c.kind == ChargeKind::Credit && c.status == ChargeStatus::Open)
        .map(Prepaid::Credit);
    let mut all: Vec<Prepaid> = payments.chain(credits).filter(|m| m.left() > 0).collect();
    all.sort_by_key(|m| (m.date(), m.id()));
    all
}

/// Applies `money` (updated in place: what is left) to `charges` (a copy is answered with their
/// open amounts and status after). `None` when nothing applies. The ledger answered holds the
/// money as it was before, for the plan's counter conditions.
pub fn apply(
    charges: &[ChargeRecord],
    money: &mut [Prepaid],
    now: DateTime<Utc>,
) -> Option<(Vec<ChargeRecord>, LedgerItems, Plan)> {
    let mut before = LedgerItems::default();
    for m in money.iter() {
        match m {
            Prepaid::Payment(p) => before.payments.push(p.clone()),
            Prepaid::Credit(c) => before.charges.push(c.clone()),
        }
    }
    let mut out: Vec<ChargeRecord> = charges.to_vec();
    out.sort_by(|a, b| (a.due_date, &a.id).cmp(&(b.due_date, &b.id)));
    let mut plan = Plan::over(now, &before);
    for c in out.iter_mut().filter(|c| c.kind != ChargeKind::Credit && c.amount.minor > 0) {
        // The plan values allocations from the charge as it was before it (it tracks its changes).
        let unplanned = c.clone();
        for m in money.iter_mut().filter(|m| m.left() > 0 && m.currency() == c.amount.currency) {
            if c.open == 0 {
                break;
            }
            let amount = c.open.min(m.left());
            let (source, from) = (m.source(), m.id());
            plan.allocate(&c.lease_id, source, Some(&from), &unplanned, amount, c.due_date.max(m.date()));
            c.open -= amount;
            m.take(amount);
        }
        if c.open == 0 {
            c.status = ChargeStatus::Paid;
        }
    }
    (!plan.allocations.is_empty()).then_some((out, before, plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{LeaseId, PaymentId};
    use crate::money::Currency;
    use chrono::NaiveDate;

    fn charge(lease: &LeaseId, due: &str, minor: i64) -> ChargeRecord {
        let usd = Currency::parse("USD").unwrap();
        let c = ChargeRecord::open_for_tests(lease, ChargeKind::Rent, minor, usd, due.parse().unwrap());
        ChargeRecord { source: ChargeSource::RentRun, ..c }
    }

    fn payment(lease: &LeaseId, on: &str, unapplied: i64) -> PaymentRecord {
        let mut p: PaymentRecord = serde_json::from_value(serde_json::json!({
            "id": PaymentId::new(), "leaseId": lease, "amount": {"minor": unapplied, "currency": "USD"},
            "receivedOn": on, "method": "check", "status": "cleared", "unapplied": unapplied,
            "requestHash": "h", "createdAt": "2026-01-01T00:00:00Z"
        }))
        .expect("a payment record");
        p.received_on = on.parse::<NaiveDate>().unwrap();
        p
    }

    #[test]
    fn prepaid_rent_pays_new_charges_oldest_first_and_what_is_left_stays_unapplied() {
        let lease = LeaseId::new();
        let charges = [charge(&lease, "2026-02-01", 100_000), charge(&lease, "2026-01-01", 100_000)];
        let mut pays = usable(vec![payment(&lease, "2025-12-28", 150_000)], vec![]);
        let (after, before, plan) = apply(&charges, &mut pays, DateTime::UNIX_EPOCH).expect("something applies");
        assert_eq!(
            after.iter().map(|c| (c.due_date.to_string(), c.open)).collect::<Vec<_>>(),
            [("2026-01-01".to_owned(), 0), ("2026-02-01".to_owned(), 50_000)]
        );
        assert_eq!(after[0].status, ChargeStatus::Paid);
        assert_eq!(pays[0].left(), 0);
        assert_eq!(before.payments[0].unapplied, 150_000, "the counter condition uses the value read");
        assert_eq!(plan.allocations.iter().map(|a| a.amount.minor).sum::<i64>(), 150_000);
        assert_eq!(plan.allocations[0].date.to_string(), "2026-01-01", "met on the due date");
        let mut none = usable(vec![], vec![]);
        assert!(apply(&charges, &mut none, DateTime::UNIX_EPOCH).is_none());
    }

    #[test]
    fn an_open_credit_older_than_the_payment_is_applied_first() {
        let lease = LeaseId::new();
        let mut credit = charge(&lease, "2025-12-15", -30_000);
        credit.kind = ChargeKind::Credit;
        let mut spent = charge(&lease, "2025-12-01", -5_000);
        (spent.kind, spent.open, spent.status) = (ChargeKind::Credit, 0, ChargeStatus::Paid);
        let charges = [charge(&lease, "2026-01-01", 100_000)];
        let mut money = usable(vec![payment(&lease, "2025-12-28", 100_000)], vec![credit.clone(), spent]);
        assert_eq!(money.len(), 2, "a used-up credit is not money");
        let (after, before, plan) = apply(&charges, &mut money, DateTime::UNIX_EPOCH).expect("something applies");
        assert_eq!(after[0].open, 0);
        let made: Vec<(AllocationSource, i64)> = plan.allocations.iter().map(|a| (a.source, a.amount.minor)).collect();
        assert_eq!(made, [(AllocationSource::Credit, 30_000), (AllocationSource::Payment, 70_000)]);
        assert_eq!(plan.allocations[0].credit_id.as_ref(), Some(&credit.id));
        assert_eq!((money[0].left(), money[1].left()), (0, 30_000));
        assert_eq!(plan.charge_delta(&credit.id), 30_000, "the credit's open amount moves to zero");
        assert_eq!(before.charges[0].open, -30_000, "its counter condition uses the value read");
    }
}

//! Money a tenant paid ahead meets the charges the rent run creates, in the run's own
//! transaction (a tenant who prepaid owes nothing on the 1st): each new charge, oldest due first,
//! takes what is left unapplied on the lease's cleared payments, oldest payment first. Pure; the
//! run writes the plan with the charges.

use super::ledger::LedgerItems;
use super::model::*;
use super::store::Plan;
use chrono::{DateTime, Utc};

/// The payments whose unapplied money the run may apply (cleared, not reversed).
pub fn usable(payments: Vec<PaymentRecord>) -> Vec<PaymentRecord> {
    let mut p: Vec<PaymentRecord> =
        payments.into_iter().filter(|p| p.status == PaymentStatus::Cleared && p.unapplied > 0).collect();
    p.sort_by(|a, b| (a.received_on, &a.id).cmp(&(b.received_on, &b.id)));
    p
}

/// Applies `payments` (updated in place: what is left) to `charges` (a copy is answered with
/// their open amounts and status after). `None` when nothing applies. The ledger answered holds
/// the payments as they were before, for the plan's counter conditions.
pub fn apply(
    charges: &[ChargeRecord],
    payments: &mut [PaymentRecord],
    now: DateTime<Utc>,
) -> Option<(Vec<ChargeRecord>, LedgerItems, Plan)> {
    let before = LedgerItems { payments: payments.to_vec(), ..LedgerItems::default() };
    let mut out: Vec<ChargeRecord> = charges.to_vec();
    out.sort_by(|a, b| (a.due_date, &a.id).cmp(&(b.due_date, &b.id)));
    let mut plan = Plan::over(now, &before);
    for c in out.iter_mut().filter(|c| c.kind != ChargeKind::Credit && c.amount.minor > 0) {
        // The plan values allocations from the charge as it was before it (it tracks its changes).
        let unplanned = c.clone();
        for p in payments.iter_mut().filter(|p| p.unapplied > 0 && p.amount.currency == c.amount.currency) {
            if c.open == 0 {
                break;
            }
            let amount = c.open.min(p.unapplied);
            plan.allocate(
                &c.lease_id,
                AllocationSource::Payment,
                Some(p.id.as_str()),
                &unplanned,
                amount,
                c.due_date.max(p.received_on),
            );
            c.open -= amount;
            p.unapplied -= amount;
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
    use crate::ids::{ChargeId, LeaseId, PaymentId, UnitId};
    use crate::money::{Currency, StoredMoney};
    use chrono::NaiveDate;

    fn usd(minor: i64) -> StoredMoney {
        StoredMoney { minor, currency: Currency::parse("USD").unwrap() }
    }

    fn charge(lease: &LeaseId, due: &str, minor: i64) -> ChargeRecord {
        ChargeRecord {
            id: ChargeId::new(),
            lease_id: lease.clone(),
            unit_id: UnitId::new(),
            kind: ChargeKind::Rent,
            amount: usd(minor),
            due_date: due.parse().unwrap(),
            memo: None,
            source: ChargeSource::RentRun,
            period: None,
            fee_for: None,
            grace_days: None,
            open: minor,
            status: ChargeStatus::Open,
            fx: None,
            created_at: DateTime::UNIX_EPOCH,
            voided_at: None,
            void_reason: None,
            v: 1,
        }
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
        let mut pays = usable(vec![payment(&lease, "2025-12-28", 150_000)]);
        let (after, before, plan) = apply(&charges, &mut pays, DateTime::UNIX_EPOCH).expect("something applies");
        assert_eq!(
            after.iter().map(|c| (c.due_date.to_string(), c.open)).collect::<Vec<_>>(),
            [("2026-01-01".to_owned(), 0), ("2026-02-01".to_owned(), 50_000)]
        );
        assert_eq!(after[0].status, ChargeStatus::Paid);
        assert_eq!(pays[0].unapplied, 0);
        assert_eq!(before.payments[0].unapplied, 150_000, "the counter condition uses the value read");
        assert_eq!(plan.allocations.iter().map(|a| a.amount.minor).sum::<i64>(), 150_000);
        assert_eq!(plan.allocations[0].date.to_string(), "2026-01-01", "met on the due date");
        let mut none = usable(vec![]);
        assert!(apply(&charges, &mut none, DateTime::UNIX_EPOCH).is_none());
    }
}

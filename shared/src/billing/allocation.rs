//! Which charges a payment settles. `auto` pays the oldest due first and, within a due date,
//! rent before utilities, fees, late fees and deposits; explicit allocations are checked against
//! what is open and what the payment has left. Whatever is not allocated stays unapplied credit.
//! Amounts are minor units of one currency (allocations never cross currencies).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    Rent,
    LateFee,
    Deposit,
    Utility,
    Fee,
    Credit,
}

impl ChargeKind {
    /// Order within one due date (lower first). Credits are never paid, only applied.
    fn priority(self) -> u8 {
        match self {
            ChargeKind::Rent => 0,
            ChargeKind::Utility => 1,
            ChargeKind::Fee => 2,
            ChargeKind::LateFee => 3,
            ChargeKind::Deposit => 4,
            ChargeKind::Credit => 5,
        }
    }
}

/// A charge with something still owed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCharge {
    pub id: String,
    pub kind: ChargeKind,
    pub due: NaiveDate,
    /// Amount minus what is already allocated (> 0 to be payable).
    pub open: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub charge_id: String,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("charge {0} is not open on this lease")]
    UnknownCharge(String),
    #[error("allocation to {0} must be more than zero")]
    NotPositive(String),
    #[error("charge {0} is named twice")]
    Duplicate(String),
    #[error("{requested} exceeds the {open} still open on charge {charge}")]
    ExceedsCharge { charge: String, open: i64, requested: i64 },
    #[error("allocations total {requested}, more than the {available} available")]
    ExceedsPayment { available: i64, requested: i64 },
}

/// The order `auto` pays in: due date, then kind, then id (so the result never depends on the
/// order charges were read in).
fn ordered(charges: &[OpenCharge]) -> Vec<&OpenCharge> {
    let mut v: Vec<&OpenCharge> = charges.iter().filter(|c| c.open > 0 && c.kind != ChargeKind::Credit).collect();
    v.sort_by(|a, b| a.due.cmp(&b.due).then(a.kind.priority().cmp(&b.kind.priority())).then(a.id.cmp(&b.id)));
    v
}

/// Allocates up to `available` to the open charges, oldest due first.
pub fn auto(available: i64, charges: &[OpenCharge]) -> Vec<Allocation> {
    let mut left = available.max(0);
    let mut out = Vec::new();
    for c in ordered(charges) {
        if left == 0 {
            break;
        }
        let amount = c.open.min(left);
        left -= amount;
        out.push(Allocation { charge_id: c.id.clone(), amount });
    }
    out
}

/// Checks explicit allocations against the open charges and the payment's `available` amount.
pub fn explicit(
    available: i64,
    charges: &[OpenCharge],
    requested: &[(String, i64)],
) -> Result<Vec<Allocation>, AllocationError> {
    let mut total: i64 = 0;
    let mut out: Vec<Allocation> = Vec::with_capacity(requested.len());
    for (id, amount) in requested {
        if out.iter().any(|a| &a.charge_id == id) {
            return Err(AllocationError::Duplicate(id.clone()));
        }
        let charge = charges
            .iter()
            .find(|c| &c.id == id && c.kind != ChargeKind::Credit)
            .ok_or_else(|| AllocationError::UnknownCharge(id.clone()))?;
        if *amount <= 0 {
            return Err(AllocationError::NotPositive(id.clone()));
        }
        if *amount > charge.open {
            return Err(AllocationError::ExceedsCharge { charge: id.clone(), open: charge.open, requested: *amount });
        }
        total = total.saturating_add(*amount);
        out.push(Allocation { charge_id: id.clone(), amount: *amount });
    }
    if total > available {
        return Err(AllocationError::ExceedsPayment { available, requested: total });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn charge(id: &str, kind: ChargeKind, due: &str, open: i64) -> OpenCharge {
        OpenCharge { id: id.into(), kind, due: due.parse().unwrap(), open }
    }

    #[test]
    fn pays_the_oldest_first_and_rent_before_fees_on_the_same_day() {
        let charges = [
            charge("fee-feb", ChargeKind::LateFee, "2027-02-01", 5_000),
            charge("rent-mar", ChargeKind::Rent, "2027-03-01", 155_000),
            charge("rent-feb", ChargeKind::Rent, "2027-02-01", 155_000),
        ];
        let got = auto(200_000, &charges);
        assert_eq!(
            got,
            [
                Allocation { charge_id: "rent-feb".into(), amount: 155_000 },
                Allocation { charge_id: "fee-feb".into(), amount: 5_000 },
                Allocation { charge_id: "rent-mar".into(), amount: 40_000 }
            ]
        );
        assert!(auto(0, &charges).is_empty());
        assert_eq!(
            auto(1_000_000, &charges).iter().map(|a| a.amount).sum::<i64>(),
            315_000,
            "the rest stays unapplied"
        );
    }

    #[test]
    fn explicit_allocations_are_checked() {
        let charges =
            [charge("a", ChargeKind::Rent, "2027-02-01", 100), charge("b", ChargeKind::Fee, "2027-02-01", 50)];
        let req = |v: &[(&str, i64)]| v.iter().map(|(i, a)| (i.to_string(), *a)).collect::<Vec<_>>();
        assert_eq!(explicit(150, &charges, &req(&[("b", 50), ("a", 100)])).unwrap().len(), 2);
        assert!(matches!(explicit(100, &charges, &req(&[("a", 101)])), Err(AllocationError::ExceedsCharge { .. })));
        assert!(matches!(
            explicit(100, &charges, &req(&[("a", 60), ("b", 50)])),
            Err(AllocationError::ExceedsPayment { .. })
        ));
        assert!(matches!(explicit(100, &charges, &req(&[("a", 10), ("a", 10)])), Err(AllocationError::Duplicate(_))));
        assert!(matches!(explicit(100, &charges, &req(&[("zz", 10)])), Err(AllocationError::UnknownCharge(_))));
        assert!(matches!(explicit(100, &charges, &req(&[("a", 0)])), Err(AllocationError::NotPositive(_))));
    }

    fn arb_charges() -> impl Strategy<Value = Vec<OpenCharge>> {
        let kind = prop_oneof![
            Just(ChargeKind::Rent),
            Just(ChargeKind::LateFee),
            Just(ChargeKind::Utility),
            Just(ChargeKind::Fee),
            Just(ChargeKind::Deposit),
            Just(ChargeKind::Credit)
        ];
        prop::collection::vec((kind, 0u32..120, -10i64..500_000), 0..30).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (kind, day, open))| OpenCharge {
                    id: format!("c{i:02}"),
                    kind,
                    due: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap() + chrono::Days::new(day.into()),
                    open,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn allocation_never_exceeds_any_charge_or_the_payment(available in -1_000i64..3_000_000, charges in arb_charges()) {
            let got = auto(available, &charges);
            let total: i64 = got.iter().map(|a| a.amount).sum();
            prop_assert!(total <= available.max(0));
            let payable: i64 = charges.iter().filter(|c| c.open > 0 && c.kind != ChargeKind::Credit).map(|c| c.open).sum();
            prop_assert_eq!(total, available.max(0).min(payable), "allocates all it can");
            for a in &got {
                let c = charges.iter().find(|c| c.id == a.charge_id).unwrap();
                prop_assert!(a.amount > 0 && a.amount <= c.open && c.kind != ChargeKind::Credit);
            }
            // Oldest first: only the last allocation may leave its charge partly open.
            for a in got.iter().rev().skip(1) {
                let c = charges.iter().find(|c| c.id == a.charge_id).unwrap();
                prop_assert_eq!(a.amount, c.open);
            }
        }

        #[test]
        fn allocation_order_is_deterministic(available in 0i64..3_000_000, charges in arb_charges(), seed in any::<u64>()) {
            let mut shuffled = charges.clone();
            // A deterministic shuffle from the seed.
            let n = shuffled.len();
            for i in 0..n {
                let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
                shuffled.swap(i, j);
            }
            prop_assert_eq!(auto(available, &charges), auto(available, &shuffled));
        }

        #[test]
        fn explicit_never_exceeds_what_is_open_or_available(available in 0i64..1_000_000, charges in arb_charges(), picks in prop::collection::vec((0usize..30, 1i64..600_000), 0..10)) {
            let requested: Vec<(String, i64)> = picks.iter().map(|(i, a)| (format!("c{i:02}"), *a)).collect();
            if let Ok(got) = explicit(available, &charges, &requested) {
                prop_assert!(got.iter().map(|a| a.amount).sum::<i64>() <= available);
                for a in &got {
                    let c = charges.iter().find(|c| c.id == a.charge_id).unwrap();
                    prop_assert!(a.amount > 0 && a.amount <= c.open);
                }
            }
        }
    }
}

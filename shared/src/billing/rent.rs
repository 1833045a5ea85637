//! Which rent a lease owes, month by month (pure). Rent covers calendar months; the first and
//! last months are prorated by the actual days of the month covered, with the largest-remainder
//! rounding of `proration`, so the covered and uncovered parts always sum to the rent. A month's
//! rent is due on the lease's due day, or on the start date if the lease starts later that month,
//! and never after the lease's last day.

use super::proration::{days_in_month, prorate};
use crate::ids::{ChargeId, LeaseId};
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone)]
pub struct RentTerms {
    pub lease_id: LeaseId,
    pub start: NaiveDate,
    /// The last day rent is owed for (the move-out date, else the end date; none: open-ended).
    pub last_day: Option<NaiveDate>,
    /// Monthly rent in minor units.
    pub rent: i64,
    pub due_day: u8,
}

/// One month's rent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentDue {
    pub id: ChargeId,
    /// `YYYY-MM`.
    pub period: String,
    pub due: NaiveDate,
    pub amount: i64,
    /// Days of the month covered, of `days`.
    pub covered: u32,
    pub days: u32,
}

fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("first of month")
}

fn next_month(d: NaiveDate) -> NaiveDate {
    if d.month() == 12 {
        first_of(d.year() + 1, 1)
    } else {
        first_of(d.year(), d.month() + 1)
    }
}

/// Every month's rent due on or before `through`, starting after the month `after` (`YYYY-MM`)
/// when given.
pub fn schedule(t: &RentTerms, after: Option<&str>, through: NaiveDate) -> Vec<RentDue> {
    let mut out = Vec::new();
    let mut month = first_of(t.start.year(), t.start.month());
    loop {
        if t.last_day.is_some_and(|l| month > l) || t.last_day.is_some_and(|l| l < t.start) {
            break;
        }
        let days = days_in_month(month);
        let month_end = month + chrono::Days::new(u64::from(days) - 1);
        let from = t.start.max(month);
        let to = t.last_day.map_or(month_end, |l| l.min(month_end));
        let covered = (to - from).num_days() as u32 + 1;
        let due_day = month.with_day(u32::from(t.due_day).min(days)).expect("due day exists");
        let due = due_day.max(from).min(to);
        if due > through {
            break;
        }
        let period = format!("{:04}-{:02}", month.year(), month.month());
        if after.is_none_or(|a| period.as_str() > a) {
            out.push(RentDue {
                id: ChargeId::rent(&t.lease_id, month.year(), month.month()),
                period,
                due,
                amount: if covered == days { t.rent } else { prorate(t.rent, covered, days) },
                covered,
                days,
            });
        }
        month = next_month(month);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn terms(start: &str, last: Option<&str>, rent: i64, due_day: u8) -> RentTerms {
        RentTerms { lease_id: LeaseId::new(), start: d(start), last_day: last.map(d), rent, due_day }
    }

    #[test]
    fn first_month_from_the_17th_is_15_31_and_then_full_months_on_the_due_day() {
        let t = terms("2026-01-17", None, 155_000, 1);
        let s = schedule(&t, None, d("2026-03-31"));
        let got: Vec<(&str, NaiveDate, i64)> = s.iter().map(|r| (r.period.as_str(), r.due, r.amount)).collect();
        assert_eq!(
            got,
            [
                ("2026-01", d("2026-01-17"), 75_000),
                ("2026-02", d("2026-02-01"), 155_000),
                ("2026-03", d("2026-03-01"), 155_000)
            ]
        );
        assert_eq!(s[0].id, ChargeId::rent(&t.lease_id, 2026, 1));
        assert_eq!((s[0].covered, s[0].days), (15, 31));
    }

    #[test]
    fn last_month_is_prorated_to_the_move_out_day_and_nothing_after() {
        let t = terms("2026-01-01", Some("2026-04-10"), 300_000, 5);
        let s = schedule(&t, None, d("2027-01-01"));
        let got: Vec<(NaiveDate, i64)> = s.iter().map(|r| (r.due, r.amount)).collect();
        assert_eq!(
            got,
            [
                (d("2026-01-05"), 300_000),
                (d("2026-02-05"), 300_000),
                (d("2026-03-05"), 300_000),
                (d("2026-04-05"), 100_000)
            ]
        );
        // Moving out before the due day: due on the last day.
        let t = terms("2026-01-01", Some("2026-02-03"), 280_000, 15);
        assert_eq!(schedule(&t, None, d("2027-01-01"))[1].due, d("2026-02-03"));
        assert_eq!(schedule(&t, None, d("2027-01-01"))[1].amount, 30_000);
    }

    #[test]
    fn only_what_is_due_by_the_date_and_after_the_watermark() {
        let t = terms("2026-01-17", None, 155_000, 1);
        assert!(schedule(&t, None, d("2026-01-16")).is_empty());
        assert_eq!(schedule(&t, None, d("2026-01-17")).len(), 1);
        let later = schedule(&t, Some("2026-01"), d("2026-05-01"));
        assert_eq!(
            later.iter().map(|r| r.period.as_str()).collect::<Vec<_>>(),
            ["2026-02", "2026-03", "2026-04", "2026-05"]
        );
        // A one-month stay inside a month.
        let t = terms("2026-02-10", Some("2026-02-19"), 280_000, 1);
        let s = schedule(&t, None, d("2027-01-01"));
        assert_eq!((s.len(), s[0].due, s[0].amount), (1, d("2026-02-10"), 100_000));
    }

    proptest! {
        #[test]
        fn a_year_of_rent_never_charges_a_month_twice_and_full_months_pay_the_rent(
            start_day in 0u32..365, len in 1u32..800, rent in 1i64..10_000_000, due_day in 1u8..=28,
        ) {
            let start = d("2026-01-01") + chrono::Days::new(start_day.into());
            let last = start + chrono::Days::new(len.into());
            let t = RentTerms { lease_id: LeaseId::new(), start, last_day: Some(last), rent, due_day };
            let s = schedule(&t, None, d("2030-01-01"));
            let mut periods: Vec<&str> = s.iter().map(|r| r.period.as_str()).collect();
            periods.dedup();
            prop_assert_eq!(periods.len(), s.len());
            let days: u32 = s.iter().map(|r| r.covered).sum();
            prop_assert_eq!(days, len + 1, "every day of the lease is covered once");
            for r in &s {
                prop_assert!(r.due >= start && r.due <= last);
                if r.covered == r.days { prop_assert_eq!(r.amount, rent); } else { prop_assert!(r.amount <= rent); }
            }
        }
    }
}

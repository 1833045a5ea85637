//! Proration by actual days, in integer minor units, with parts that always sum to the whole.

use chrono::{Datelike, NaiveDate};

/// Splits `total` minor units in proportion to `weights` by the largest-remainder method: each
/// part is floored, and the units left over go to the largest remainders (earlier parts win ties).
/// The parts always sum to `total`. All-zero weights give all-zero parts except a zero total.
pub fn split(total: i64, weights: &[u64]) -> Vec<i64> {
    let sum: u128 = weights.iter().map(|w| *w as u128).sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum == 0 {
        let mut parts = vec![0; weights.len()];
        parts[0] = total;
        return parts;
    }
    let sign = if total < 0 { -1 } else { 1 };
    let abs = total.unsigned_abs() as u128;
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = abs * (*w as u128);
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let mut left = abs - parts.iter().sum::<u128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.into_iter().map(|p| sign * p as i64).collect()
}

/// Days in the month of `day`.
pub fn days_in_month(day: NaiveDate) -> u32 {
    let first = day.with_day(1).expect("day 1 exists");
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .expect("valid date");
    (next - first).num_days() as u32
}

/// The share of a month's `rent` for `covered` of the month's `days_in_month` days: the first
/// part of `split(rent, [covered, rest])`, so the covered and uncovered parts sum to the rent.
pub fn prorate(rent: i64, covered: u32, days_in_month: u32) -> i64 {
    let covered = covered.min(days_in_month);
    split(rent, &[covered as u64, (days_in_month - covered) as u64])[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_lease_from_the_17th_of_a_31_day_month_owes_15_31_of_the_rent() {
        let first = NaiveDate::from_ymd_opt(2027, 1, 17).unwrap();
        let days = days_in_month(first);
        assert_eq!(days, 31);
        let covered = days - first.day() + 1;
        assert_eq!(covered, 15);
        assert_eq!(prorate(155_000, covered, days), 75_000);
    }

    #[test]
    fn months_have_their_real_length() {
        let d = |y, m| days_in_month(NaiveDate::from_ymd_opt(y, m, 10).unwrap());
        assert_eq!((d(2027, 2), d(2028, 2), d(2027, 4), d(2027, 12)), (28, 29, 30, 31));
    }

    #[test]
    fn remainders_go_to_the_largest_fractions_then_the_earliest() {
        assert_eq!(split(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(split(10, &[3, 3, 4]), [3, 3, 4]);
        assert_eq!(split(-100, &[1, 1, 1]), [-34, -33, -33]);
        assert_eq!(split(7, &[0, 0]), [7, 0]);
        assert_eq!(prorate(100_000, 1, 3), 33_333);
        assert_eq!(prorate(100_000, 2, 3), 66_667);
    }

    proptest! {
        #[test]
        fn the_parts_of_a_split_sum_to_the_whole(total in -10_000_000_000i64..10_000_000_000, weights in prop::collection::vec(0u64..10_000, 1..40)) {
            let parts = split(total, &weights);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let wsum: u64 = weights.iter().sum();
            if wsum > 0 {
                for (p, w) in parts.iter().zip(&weights) {
                    // Each part is within one unit of its exact share: |p·Σw − total·w| < Σw.
                    let off = (*p as i128 * wsum as i128 - total as i128 * *w as i128).abs();
                    prop_assert!(off < wsum as i128);
                }
            }
        }

        #[test]
        fn prorated_covered_and_uncovered_parts_sum_to_the_rent(rent in 0i64..100_000_000, days in 28u32..=31, covered in 0u32..=31) {
            let covered = covered.min(days);
            let a = prorate(rent, covered, days);
            let parts = split(rent, &[covered as u64, (days - covered) as u64]);
            prop_assert_eq!(parts[0], a);
            prop_assert_eq!(parts[0] + parts[1], rent);
            prop_assert!(a >= 0 && a <= rent);
        }
    }
}

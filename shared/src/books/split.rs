//! Splitting an amount across buildings or units by weight (unit count, area) with the largest
//! remainder method: each part gets the floor of its exact share, and the cents left over go one
//! each to the parts with the largest remainders (ties to the earlier part), so the parts sum to
//! the amount exactly and none is more than one minor unit from its exact share.

/// Why an amount cannot be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("nothing to split across")]
    NoParts,
    #[error("the weights add up to zero")]
    ZeroWeight,
    #[error("the amount must be greater than zero")]
    NotPositive,
}

/// `total` minor units split by `weights`, in their order.
pub fn largest_remainder(total: i64, weights: &[u64]) -> Result<Vec<i64>, SplitError> {
    if weights.is_empty() {
        return Err(SplitError::NoParts);
    }
    if total <= 0 {
        return Err(SplitError::NotPositive);
    }
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 {
        return Err(SplitError::ZeroWeight);
    }
    let total = total as u128;
    let mut parts: Vec<(u128, u128)> = weights
        .iter()
        .map(|w| {
            let exact = total * u128::from(*w);
            (exact / sum, exact % sum)
        })
        .collect();
    let given: u128 = parts.iter().map(|p| p.0).sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].1.cmp(&parts[*a].1).then(a.cmp(b)));
    for i in order.into_iter().take((total - given) as usize) {
        parts[i].0 += 1;
    }
    Ok(parts.into_iter().map(|p| p.0 as i64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_hundred_dollars_across_three_equal_units() {
        assert_eq!(largest_remainder(10_000, &[1, 1, 1]), Ok(vec![3_334, 3_333, 3_333]));
    }

    #[test]
    fn by_area_the_largest_remainders_get_the_cents() {
        // 1000.00 by 700 / 200 / 100 m² is exact; 1000.01 leaves one cent for the largest remainder.
        assert_eq!(largest_remainder(100_000, &[700, 200, 100]), Ok(vec![70_000, 20_000, 10_000]));
        assert_eq!(largest_remainder(100_001, &[700, 200, 100]), Ok(vec![70_001, 20_000, 10_000]));
        assert_eq!(largest_remainder(5, &[1, 0, 1]), Ok(vec![3, 0, 2]));
    }

    #[test]
    fn nothing_to_split_is_an_error() {
        assert_eq!(largest_remainder(100, &[]), Err(SplitError::NoParts));
        assert_eq!(largest_remainder(100, &[0, 0]), Err(SplitError::ZeroWeight));
        assert_eq!(largest_remainder(0, &[1]), Err(SplitError::NotPositive));
    }

    proptest! {
        #[test]
        fn parts_sum_exactly_and_stay_within_a_cent_of_their_share(
            total in 1i64..1_000_000_000_000,
            weights in proptest::collection::vec(0u64..100_000, 1..50),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = largest_remainder(total, &weights).unwrap();
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
            for (p, w) in parts.iter().zip(&weights) {
                let exact_floor = (total as u128 * u128::from(*w) / sum) as i64;
                prop_assert!(*p == exact_floor || *p == exact_floor + 1, "{} vs share {}", p, exact_floor);
                if *w == 0 {
                    prop_assert_eq!(*p, 0);
                }
            }
        }
    }
}

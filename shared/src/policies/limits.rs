//! What a resolved rule means for the product: the most a deposit may be, the late fee allowed,
//! a renewal's notice deadline, the deposit-return deadline. Pure arithmetic on minor units and
//! `Decimal`, always rounding in the tenant's favour (down).

use super::model::{NoticeTier, RuleTerms};
use crate::money::Money;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

fn floor_minor(d: Decimal) -> i64 {
    d.floor().to_i64().unwrap_or(i64::MAX)
}

/// The most a deposit may be under `rule` for a monthly `rent` (minor units), or `None` when
/// the rule sets no amount.
pub fn deposit_cap(rule: &RuleTerms, rent: Money, furnished: bool) -> Option<i64> {
    let monthly = Decimal::from(rent.minor);
    let months = if furnished { rule.max_months_furnished.or(rule.max_months) } else { rule.max_months };
    let by_months = months.map(|m| floor_minor(monthly * m));
    let by_weeks = rule.max_weeks.map(|w| {
        let annual = monthly * Decimal::from(12);
        let high = match (&rule.high_rent_annual_threshold, rule.high_rent_weeks) {
            (Some(t), Some(hw)) => t
                .to_money("threshold")
                .ok()
                .filter(|t| t.currency == rent.currency && annual >= Decimal::from(t.minor))
                .map(|_| hw),
            _ => None,
        };
        floor_minor(annual * Decimal::from(high.unwrap_or(w)) / Decimal::from(52))
    });
    match (by_months, by_weeks) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The late fee the rule allows `days_late` days after the due date: the lease's `fee` lowered
/// to the rule's caps, or why none may be charged. `rent` is the month's rent, `open` what is
/// still owed of the charge, `base_rate` the bank base rate (percent) in effect, if recorded.
pub fn allowed_fee(
    rule: &RuleTerms,
    fee: i64,
    rent: Money,
    open: i64,
    days_late: i64,
    base_rate: Option<Decimal>,
) -> Result<i64, String> {
    if let Some(g) = rule.grace_days {
        if days_late <= i64::from(g) {
            return Err(format!("no late fee until rent is more than {g} days overdue"));
        }
    }
    let mut fee = fee;
    if let Some(flat) = rule.max_flat.as_ref().and_then(|m| m.to_money("maxFlat").ok()) {
        if flat.currency == rent.currency {
            fee = fee.min(flat.minor);
        }
    }
    if let Some(p) = rule.max_percent_of_rent {
        fee = fee.min(floor_minor(Decimal::from(rent.minor) * p / Decimal::from(100)));
    }
    if let Some(over) = rule.interest_over_base_rate {
        let Some(base) = base_rate else {
            return Err("the fee is interest over the bank base rate, and no base rate is recorded".into());
        };
        let yearly = (base + over) / Decimal::from(100);
        fee = fee.min(floor_minor(Decimal::from(open) * yearly * Decimal::from(days_late) / Decimal::from(365)));
    }
    Ok(fee.max(0))
}

/// Whole months from `start` to `end`.
pub fn tenure_months(start: NaiveDate, end: NaiveDate) -> u32 {
    let mut m = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    if end.day() < start.day() {
        m -= 1;
    }
    m.max(0) as u32
}

/// The notice tier for a tenancy of `months`.
fn tier(tiers: &[NoticeTier], months: u32) -> Option<&NoticeTier> {
    tiers.iter().rev().find(|t| u32::from(t.min_tenure_months) <= months)
}

/// The `n`th working day (Monday to Friday; public holidays are not known here) of the month
/// of `any_day`.
fn nth_working_day(any_day: NaiveDate, n: u8) -> NaiveDate {
    let mut d = any_day.with_day(1).expect("day 1 exists");
    let mut seen = 0;
    loop {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            seen += 1;
            if seen == n {
                return d;
            }
        }
        d = d.succ_opt().expect("dates go on");
    }
}

/// The last day notice may be given for a tenancy from `start` to end on `end` (a rise or a
/// non-renewal), and the tier's period as words.
pub fn notice_deadline(rule: &RuleTerms, start: NaiveDate, end: NaiveDate) -> Option<(NaiveDate, String)> {
    let t = tier(rule.tiers.as_deref()?, tenure_months(start, end))?;
    if let Some(days) = t.days {
        return Some((end - chrono::Days::new(u64::from(days)), format!("{days} days")));
    }
    let months = t.months?;
    let period = format!("{months} months");
    match rule.by_working_day_of_month {
        // Notice arriving by the nth working day of a month ends the tenancy at the end of the
        // month `months - 1` later.
        Some(n) => {
            let month = end.with_day(1)?.checked_sub_months(Months::new(u32::from(months) - 1))?;
            Some((nth_working_day(month, n), period))
        }
        None => Some((end.checked_sub_months(Months::new(u32::from(months)))?, period)),
    }
}

/// The day a deposit must be returned by after moving out on `move_out`.
pub fn deposit_return_due(rule: &RuleTerms, move_out: NaiveDate) -> Option<NaiveDate> {
    rule.return_within_days.map(|d| move_out + chrono::Days::new(u64::from(d)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, MoneyDto};

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::parse("USD").unwrap())
    }

    #[test]
    fn deposit_caps_by_months_and_weeks() {
        let one = RuleTerms { max_months: Some(Decimal::ONE), ..Default::default() };
        assert_eq!(deposit_cap(&one, usd(200_000), false), Some(200_000));
        let gbp = Currency::parse("GBP").unwrap();
        let eng = RuleTerms {
            max_weeks: Some(5),
            high_rent_weeks: Some(6),
            high_rent_annual_threshold: Some(MoneyDto { amount: "50000.00".into(), currency: "GBP".into() }),
            ..Default::default()
        };
        // 1,000.00 a month: 12,000.00 a year, 5 weeks = 1,153.846… → 1,153.84.
        assert_eq!(deposit_cap(&eng, Money::new(100_000, gbp), false), Some(115_384));
        // 5,000.00 a month: 60,000.00 a year ≥ 50,000.00 → 6 weeks = 6,923.07.
        assert_eq!(deposit_cap(&eng, Money::new(500_000, gbp), false), Some(692_307));
    }

    #[test]
    fn german_notice_by_the_third_working_day() {
        let de = RuleTerms {
            tiers: Some(vec![
                NoticeTier { min_tenure_months: 0, days: None, months: Some(3) },
                NoticeTier { min_tenure_months: 60, days: None, months: Some(6) },
            ]),
            by_working_day_of_month: Some(3),
            ..Default::default()
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Ending 2025-03-31 after 2 years: 3 months, notice by the 3rd working day of January
        // 2025 (Wed 1, Thu 2, Fri 3).
        assert_eq!(notice_deadline(&de, d("2023-04-01"), d("2025-03-31")), Some((d("2025-01-03"), "3 months".into())));
        // After 6 years: 6 months, by the 3rd working day of October 2024 (Tue 1 … Thu 3).
        assert_eq!(notice_deadline(&de, d("2019-01-01"), d("2025-03-31")), Some((d("2024-10-03"), "6 months".into())));
    }
}

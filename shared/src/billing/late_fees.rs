//! Late fees (the daily job): a rent charge still open after its grace period gets one fee, with
//! a deterministic id (`<rent charge id>_late`), so re-running assesses nothing twice. The
//! lease's policy applies, else the org's default: flat, or a percentage of the overdue rent,
//! with an optional cap per month. No fee while pending payments would cover the charge. A
//! payment dated within the grace period that arrives later voids the fee (see `record_payment`).

use super::events::LateFeeAssessed;
use super::ledger::LedgerItems;
use super::model::*;
use super::service::get_settings;
use super::store::{self, charge_event, charge_item};
use crate::ids::{ChargeId, LeaseId};
use crate::leasing::model::LateFeePolicy;
use crate::money::{Money, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::Tx;
use crate::policies::limits::allowed_fee;
use crate::policies::model::PolicyArea;
use crate::policies::service::{Place, Rules};
use crate::Result;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LateFeeReport {
    pub assessed: usize,
    pub existing: usize,
    pub skipped_pending: usize,
    /// Late charges the jurisdiction does not (yet) allow a fee on.
    pub held_by_law: usize,
}

/// The fee for `open` overdue minor units under `policy` (before any cap), or `None` when the
/// policy's flat amount is in another currency.
pub fn fee_amount(policy: &LateFeePolicy, open: i64, currency: crate::money::Currency) -> Option<i64> {
    if let Some(flat) = &policy.flat {
        let m = flat.to_money("flat").ok()?;
        return (m.currency == currency).then_some(m.minor);
    }
    let pct = policy.percent?;
    let fee = Money::new(open, currency).to_decimal() * pct / Decimal::from(100);
    let fee = fee.round_dp_with_strategy(currency.exponent(), rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Money::from_decimal(fee, currency).ok().map(|m| m.minor)
}

/// What binds one lease's fees: its policy, the jurisdiction's late-fee rules, its rent.
struct Terms<'a> {
    policy: &'a LateFeePolicy,
    rules: &'a Rules,
    place: Option<&'a Place>,
    rent: Money,
    settings: &'a BillingSettings,
    today: NaiveDate,
}

impl Terms<'_> {
    /// The jurisdiction's late-fee rule in effect on the charge's due date.
    fn law(&self, due: NaiveDate) -> Option<crate::policies::model::Policy> {
        let place = self.place?;
        self.rules.for_lease(PolicyArea::LateFee, place, due, Some("late_fee")).winner
    }
}

/// Assesses fees for one org as of `today`. The jurisdiction's rule binds every fee: none
/// before its grace days, none above its caps (a fee it forbids is not assessed at all).
pub async fn assess_org(cx: &Ctx<'_>, today: NaiveDate) -> Result<LateFeeReport> {
    let settings = get_settings(cx).await?;
    let open = store::open_charges_due_before(cx.db, cx.scope, &today.to_string()).await?;
    let mut by_lease: BTreeMap<LeaseId, Vec<ChargeRecord>> = BTreeMap::new();
    for c in open.into_iter().filter(|c| c.kind == ChargeKind::Rent) {
        by_lease.entry(c.lease_id.clone()).or_default().push(c);
    }
    let mut report = LateFeeReport::default();
    if by_lease.is_empty() {
        return Ok(report);
    }
    let ids: Vec<LeaseId> = by_lease.keys().cloned().collect();
    let leases = crate::leasing::service::leases_by_id(cx, &ids).await?;
    let rules = crate::policies::service::rules(cx).await?;
    let places: BTreeMap<_, _> = crate::properties::buildings::all_buildings(cx)
        .await?
        .into_iter()
        .map(|b| (b.id.clone(), Place::of(&b.address)))
        .collect();
    for lease in leases {
        let Some(policy) = lease.late_fee_policy.clone().or_else(|| settings.late_fee_policy.clone()) else { continue };
        let grace = u64::from(policy.grace_days);
        let late: Vec<&ChargeRecord> =
            by_lease[&lease.id].iter().filter(|c| c.due_date + chrono::Days::new(grace) < today).collect();
        if late.is_empty() {
            continue;
        }
        let terms = Terms {
            policy: &policy,
            rules: &rules,
            place: places.get(&lease.building_id),
            rent: Money::from(lease.rent),
            settings: &settings,
            today,
        };
        let mut ledger = store::read_ledger(cx.db, cx.scope, &lease.id).await?;
        // Pending payments cover late charges oldest first, each amount once.
        let mut pending: i64 =
            ledger.payments.iter().filter(|p| p.status == PaymentStatus::Pending).map(|p| p.unapplied).sum();
        for c in late {
            assess_one(cx, &mut ledger, &mut pending, &terms, c, &mut report).await?;
        }
    }
    tracing::info!(org_id = %cx.scope.org_id(), %today, assessed = report.assessed, existing = report.existing,
        skipped_pending = report.skipped_pending, held_by_law = report.held_by_law, "late fees assessed");
    Ok(report)
}

/// The fee the lease's policy and the jurisdiction allow on `c` today (with the grace days it
/// was assessed under), or why none.
fn allowed(terms: &Terms<'_>, c: &ChargeRecord, open: i64) -> std::result::Result<Option<(i64, u8)>, String> {
    let currency = c.amount.currency;
    let Some(fee) = fee_amount(terms.policy, open, currency) else {
        tracing::warn!(charge = %c.id, "late-fee policy in another currency than the rent; no fee");
        return Ok(None);
    };
    let Some(law) = terms.law(c.due_date) else { return Ok(Some((fee, terms.policy.grace_days))) };
    let days_late = (terms.today - c.due_date).num_days();
    let base = terms.settings.base_rate_on(c.due_date);
    let fee =
        allowed_fee(&law.rule, fee, terms.rent, open, days_late, base).map_err(|why| format!("{why} ({})", law.id))?;
    let grace = law.rule.grace_days.map_or(terms.policy.grace_days, |g| terms.policy.grace_days.max(g.min(255) as u8));
    Ok(Some((fee, grace)))
}

async fn assess_one(
    cx: &Ctx<'_>,
    ledger: &mut LedgerItems,
    pending: &mut i64,
    terms: &Terms<'_>,
    c: &ChargeRecord,
    report: &mut LateFeeReport,
) -> Result<()> {
    let id = ChargeId::late_fee(&c.id);
    if ledger.charge(&id).is_some() {
        report.existing += 1;
        return Ok(());
    }
    let Some(current) = ledger.charge(&c.id).filter(|c| c.status == ChargeStatus::Open && c.open > 0).cloned() else {
        return Ok(());
    };
    if *pending >= current.open {
        *pending -= current.open;
        report.skipped_pending += 1;
        return Ok(());
    }
    let currency = current.amount.currency;
    let (mut fee, grace) = match allowed(terms, c, current.open) {
        Ok(Some(f)) => f,
        Ok(None) => return Ok(()),
        Err(why) => {
            tracing::info!(charge = %c.id, %why, "no late fee: the jurisdiction does not allow one yet");
            report.held_by_law += 1;
            return Ok(());
        }
    };
    let policy = LateFeePolicy { grace_days: grace, ..terms.policy.clone() };
    let due = c.due_date + chrono::Days::new(u64::from(grace) + 1);
    fee = capped(ledger, &policy, fee, due, currency);
    if fee <= 0 {
        return Ok(());
    }
    let record = fee_record(c, id, fee, due, &policy, cx.now);
    write_fee(cx, ledger, record, c, &policy, report).await
}

/// The fee, lowered so the month's late fees stay within the policy's cap.
fn capped(
    ledger: &LedgerItems,
    policy: &LateFeePolicy,
    fee: i64,
    due: NaiveDate,
    currency: crate::money::Currency,
) -> i64 {
    let cap = policy.cap_per_month.as_ref().and_then(|m| m.to_money("cap").ok()).filter(|m| m.currency == currency);
    let Some(cap) = cap else { return fee };
    let month = (due.year(), due.month());
    let charged: i64 = ledger
        .charges
        .iter()
        .filter(|f| f.kind == ChargeKind::LateFee && f.status != ChargeStatus::Void)
        .filter(|f| (f.due_date.year(), f.due_date.month()) == month)
        .map(|f| f.amount.minor)
        .sum();
    fee.min((cap.minor - charged).max(0))
}

fn fee_record(
    c: &ChargeRecord,
    id: ChargeId,
    fee: i64,
    due: NaiveDate,
    policy: &LateFeePolicy,
    now: DateTime<Utc>,
) -> ChargeRecord {
    let currency = c.amount.currency;
    ChargeRecord {
        id: id.clone(),
        lease_id: c.lease_id.clone(),
        unit_id: c.unit_id.clone(),
        kind: ChargeKind::LateFee,
        amount: StoredMoney { minor: fee, currency },
        due_date: due,
        memo: Some(format!("late fee on {}", c.memo.clone().unwrap_or_else(|| c.id.to_string()))),
        source: ChargeSource::LateFeeJob,
        period: c.period.clone(),
        fee_for: Some(c.id.clone()),
        grace_days: Some(policy.grace_days),
        open: fee,
        status: ChargeStatus::Open,
        fx: c.fx.as_ref().map(|f| Fx::convert(fee, currency, f.rate, f.rate_date, f.base_currency)).unwrap_or(None),
        created_at: now,
        voided_at: None,
        void_reason: None,
        v: 1,
    }
}

/// The fee with its `charge.created` and `late_fee.assessed` events; a fee that exists already
/// (an earlier run) is counted, not written twice.
async fn write_fee(
    cx: &Ctx<'_>,
    ledger: &mut LedgerItems,
    record: ChargeRecord,
    c: &ChargeRecord,
    policy: &LateFeePolicy,
    report: &mut LateFeeReport,
) -> Result<()> {
    let (id, fee, currency) = (record.id.clone(), record.amount.minor, record.amount.currency);
    let mut tx = Tx::new();
    tx.create(charge_item(cx.scope, &record));
    crate::events::emit(&mut tx, cx.scope, &charge_event(&record));
    let assessed = LateFeeAssessed {
        charge_id: id.clone(),
        lease_id: record.lease_id.clone(),
        fee_for: c.id.clone(),
        due_date: record.due_date,
        amount: super::store::money_dto(fee, currency),
        grace_days: policy.grace_days,
    };
    crate::events::emit(&mut tx, cx.scope, &assessed);
    match cx.db.transact(tx).await {
        Ok(()) => {
            report.assessed += 1;
            // Later fees of this run count towards the same month's cap.
            ledger.charges.push(record);
        }
        Err(crate::platform::db::DbError::AlreadyExists) => report.existing += 1,
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, MoneyDto};

    #[test]
    fn flat_or_percent_rounded_to_the_currency() {
        let usd = Currency::parse("USD").unwrap();
        let flat = LateFeePolicy {
            grace_days: 5,
            flat: Some(MoneyDto { amount: "50.00".into(), currency: "USD".into() }),
            percent: None,
            cap_per_month: None,
        };
        assert_eq!(fee_amount(&flat, 155_000, usd), Some(5_000));
        assert_eq!(fee_amount(&flat, 155_000, Currency::parse("EUR").unwrap()), None);
        let pct = LateFeePolicy { grace_days: 5, flat: None, percent: Some(Decimal::new(5, 0)), cap_per_month: None };
        assert_eq!(fee_amount(&pct, 155_000, usd), Some(7_750));
        assert_eq!(fee_amount(&pct, 101, usd), Some(5), "5.05 cents rounds to 5");
        assert_eq!(fee_amount(&pct, 110, usd), Some(6), "5.5 cents rounds away from zero");
        assert_eq!(fee_amount(&pct, 1_001, Currency::parse("JPY").unwrap()), Some(50));
    }

    mod jurisdiction {
        use super::super::*;
        use crate::money::{Currency, MoneyDto};
        use proptest::prelude::*;

        fn rent_charge(due: NaiveDate, minor: i64) -> ChargeRecord {
            ChargeRecord::open_for_tests(&LeaseId::new(), ChargeKind::Rent, minor, Currency::parse("USD").unwrap(), due)
        }

        fn policy() -> impl Strategy<Value = LateFeePolicy> {
            let flat = (1i64..100_000)
                .prop_map(|m| Some(MoneyDto { amount: format!("{}.{:02}", m / 100, m % 100), currency: "USD".into() }));
            (
                0u8..=60,
                prop_oneof![flat.prop_map(|f| (f, None)), (1i64..=100).prop_map(|p| (None, Some(Decimal::from(p))))],
            )
                .prop_map(|(grace_days, (flat, percent))| LateFeePolicy {
                    grace_days,
                    flat,
                    percent,
                    cap_per_month: None,
                })
        }

        /// The fee `policy` would assess on a charge of `rent` in `region`, `days_late` days on.
        fn fee_in(region: &str, policy: &LateFeePolicy, rent: i64, days_late: u64) -> Option<(i64, u8)> {
            let rules = Rules::new(vec![]);
            let place = Place { country: "US".into(), region: Some(region.into()) };
            let due = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let terms = Terms {
                policy,
                rules: &rules,
                place: Some(&place),
                rent: Money::new(rent, Currency::parse("USD").unwrap()),
                settings: &BillingSettings::default(),
                today: due + chrono::Days::new(days_late),
            };
            allowed(&terms, &rent_charge(due, rent), rent).ok().flatten()
        }

        proptest! {
            #[test]
            fn massachusetts_never_before_day_thirty(p in policy(), rent in 1i64..2_000_000, days in 0u64..=30) {
                prop_assert_eq!(fee_in("MA", &p, rent, days), None);
            }

            #[test]
            fn massachusetts_after_day_thirty_as_the_lease_says(p in policy(), rent in 1i64..2_000_000, days in 31u64..90) {
                let (fee, grace) = fee_in("MA", &p, rent, days).unwrap();
                prop_assert_eq!(Some(fee), fee_amount(&p, rent, Currency::parse("USD").unwrap()));
                prop_assert!(grace >= 30);
            }

            #[test]
            fn new_york_never_more_than_fifty_dollars_or_five_percent(p in policy(), rent in 1i64..2_000_000, days in 0u64..90) {
                match fee_in("NY", &p, rent, days) {
                    None => prop_assert!(days <= 5, "a fee is allowed after day 5"),
                    Some((fee, _)) => {
                        prop_assert!(days > 5);
                        prop_assert!(fee <= 5_000 && fee * 20 <= rent, "fee {} on rent {}", fee, rent);
                    }
                }
            }
        }

        #[test]
        fn new_york_caps_at_fifty_on_two_thousand_and_forty_on_eight_hundred() {
            let flat = LateFeePolicy {
                grace_days: 5,
                flat: Some(MoneyDto { amount: "75.00".into(), currency: "USD".into() }),
                percent: None,
                cap_per_month: None,
            };
            assert_eq!(fee_in("NY", &flat, 200_000, 6), Some((5_000, 5)));
            assert_eq!(fee_in("NY", &flat, 80_000, 6), Some((4_000, 5)));
            // Oregon: 5% of the rent at most; California: the lease's own fee.
            assert_eq!(fee_in("OR", &flat, 100_000, 5), Some((5_000, 5)));
            assert_eq!(fee_in("CA", &flat, 100_000, 6), Some((7_500, 5)));
        }
    }
}

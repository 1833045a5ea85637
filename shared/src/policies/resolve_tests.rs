//! Table tests of the resolver over the built-in pack, as of dates on both sides of every
//! change, and of org rules outranking it.

use super::model::*;
use super::pack::pack;
use super::resolve::{resolve, Query};
use super::service::Rules;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn q<'a>(area: PolicyArea, country: &'a str, region: Option<&'a str>, date: &str) -> Query<'a> {
    Query { area, country, region, date: d(date), entity_type: None, action: None, facts: Facts::default() }
}

fn winner(rules: &[Policy], q: &Query<'_>) -> Option<String> {
    resolve(rules, q).winner.map(|w| w.id)
}

#[test]
fn the_pack_as_of_dates_on_both_sides_of_every_change() {
    use PolicyArea::*;
    // (area, country, region, as of, the winner)
    type Row = (PolicyArea, &'static str, Option<&'static str>, &'static str, Option<&'static str>);
    let table: &[Row] = &[
        (Deposit, "US", Some("CA"), "2024-06-30", Some("us-ca-deposit-1950-5")),
        (Deposit, "US", Some("CA"), "2024-07-01", Some("us-ca-deposit-ab12")),
        (Deposit, "US", Some("NY"), "2019-06-13", None),
        (Deposit, "US", Some("NY"), "2019-06-14", Some("us-ny-deposit-hstpa")),
        (Deposit, "US", Some("MA"), "2026-01-01", Some("us-ma-deposit-186-15b")),
        (Deposit, "US", Some("TX"), "2026-01-01", None),
        (Deposit, "DE", Some("BE"), "2013-04-30", None),
        (Deposit, "DE", None, "2013-05-01", Some("de-deposit-bgb-551")),
        (Deposit, "GB", Some("ENG"), "2019-05-31", None),
        (Deposit, "GB", Some("ENG"), "2019-06-01", Some("gb-eng-deposit-tfa-2019")),
        (Deposit, "GB", Some("SCT"), "2026-01-01", None),
        (LateFee, "US", Some("NY"), "2026-01-01", Some("us-ny-late-fee-rpl-238a")),
        (LateFee, "US", Some("MA"), "2026-01-01", Some("us-ma-late-fee-186-15b")),
        (LateFee, "US", Some("OR"), "2026-01-01", Some("us-or-late-fee-ors-90-260")),
        (LateFee, "US", Some("CA"), "2026-01-01", Some("us-ca-late-fee-1671")),
        (LateFee, "GB", Some("ENG"), "2019-05-31", None),
        (LateFee, "GB", Some("ENG"), "2019-06-01", Some("gb-eng-late-fee-tfa-2019")),
        (Notice, "US", Some("NY"), "2024-08-17", Some("us-ny-notice-226c")),
        (Notice, "US", Some("NY"), "2024-08-18", Some("us-ny-notice-226c-gce")),
        (Notice, "US", Some("NY"), "2034-06-15", Some("us-ny-notice-226c-gce")),
        (Notice, "US", Some("NY"), "2034-06-16", None),
        (Notice, "DE", None, "2026-01-01", Some("de-notice-bgb-573c")),
        (DepositReturn, "US", Some("NY"), "2026-01-01", Some("us-ny-deposit-return")),
        (DepositReturn, "US", Some("MA"), "2026-01-01", Some("us-ma-deposit-return")),
        (DepositReturn, "US", Some("CA"), "2026-01-01", Some("us-ca-deposit-return")),
        (DepositReturn, "DE", None, "2026-01-01", None),
    ];
    for (area, country, region, date, want) in table {
        let got = winner(pack(), &q(*area, country, *region, date));
        assert_eq!(got.as_deref(), *want, "{area:?} {country}-{region:?} on {date}");
    }
}

#[test]
fn the_losers_are_listed_with_their_reasons() {
    let r = resolve(pack(), &q(PolicyArea::Notice, "US", Some("NY"), "2024-08-17"));
    assert_eq!(r.winner.unwrap().id, "us-ny-notice-226c");
    assert_eq!(r.candidates.len(), 1);
    assert_eq!(r.candidates[0].policy.id, "us-ny-notice-226c-gce");
    assert_eq!(r.candidates[0].outcome, Outcome::NotInEffect);
    assert_eq!(r.candidates[0].reason, "not in effect on 2024-08-17: it takes effect on 2024-08-18");
    let r = resolve(pack(), &q(PolicyArea::Notice, "US", Some("NY"), "2024-08-18"));
    assert_eq!(r.candidates[0].reason, "not in effect on 2024-08-18: it ended on 2024-08-17");
}

#[test]
fn californias_small_landlord_exception_needs_its_facts() {
    let mut query = q(PolicyArea::Deposit, "US", Some("CA"), "2024-07-01");
    let r = resolve(pack(), &query);
    assert_eq!(r.winner.unwrap().id, "us-ca-deposit-ab12");
    let small = r.candidates.iter().find(|c| c.policy.id == "us-ca-deposit-ab12-small-landlord").unwrap();
    assert_eq!(small.outcome, Outcome::ConditionNotMet);
    assert!(small.reason.contains("not known"), "{}", small.reason);
    query.facts = Facts { small_landlord: Some(true), service_member_tenant: Some(false) };
    let r = resolve(pack(), &query);
    assert_eq!(r.winner.as_ref().unwrap().id, "us-ca-deposit-ab12-small-landlord");
    assert_eq!(r.winner.unwrap().rule.max_months, Some(Decimal::from(2)));
    assert_eq!(r.candidates[0].policy.id, "us-ca-deposit-ab12");
    assert_eq!(r.candidates[0].reason, "us-ca-deposit-ab12-small-landlord has a higher priority (10 > 0)");
    query.facts.service_member_tenant = Some(true);
    assert_eq!(winner(pack(), &query).as_deref(), Some("us-ca-deposit-ab12"));
    // Before AB 12 the exception did not exist: 2 months for everyone.
    query.date = d("2024-06-30");
    assert_eq!(winner(pack(), &query).as_deref(), Some("us-ca-deposit-1950-5"));
}

fn org_rule(id: &str, priority: i32, from: &str, months: i64) -> Policy {
    let mut p = pack().iter().find(|p| p.id == "us-ny-deposit-hstpa").unwrap().clone();
    p.id = id.into();
    p.origin = Origin::Org;
    p.priority = priority;
    p.effective_from = d(from);
    p.rule.max_months = Some(Decimal::from(months));
    p.sources.clear();
    p
}

#[test]
fn an_org_rule_outranks_the_pack_and_ties_break_the_same_way_every_time() {
    let ny = q(PolicyArea::Deposit, "US", Some("NY"), "2026-01-01");
    let rules = Rules::new(vec![org_rule("pol_b", 0, "2025-01-01", 2)]);
    let r = rules.for_lease(
        PolicyArea::Deposit,
        &super::service::Place { country: "US".into(), region: Some("NY".into()) },
        d("2026-01-01"),
        None,
    );
    assert_eq!(r.winner.unwrap().id, "pol_b");
    assert_eq!(r.candidates[0].reason, "the org's own rule pol_b outranks the built-in pack");
    // Among org rules: priority, then the later effectiveFrom, then the id.
    let rules = vec![org_rule("pol_b", 0, "2025-01-01", 2), org_rule("pol_a", 0, "2025-01-01", 3)];
    for order in [rules.clone(), rules.iter().rev().cloned().collect()] {
        let r = resolve(&order, &ny);
        assert_eq!(r.winner.unwrap().id, "pol_a");
        assert_eq!(
            r.candidates[0].reason,
            "same priority and effective date; the tie goes to the id that sorts first (pol_a)"
        );
    }
    let later = vec![org_rule("pol_a", 0, "2025-01-01", 2), org_rule("pol_z", 0, "2025-06-01", 3)];
    let r = resolve(&later, &ny);
    assert_eq!(r.winner.unwrap().id, "pol_z");
    assert_eq!(r.candidates[0].reason, "same priority; pol_z took effect later (2025-06-01 after 2025-01-01)");
    let higher = vec![org_rule("pol_a", 5, "2025-01-01", 2), org_rule("pol_z", 0, "2025-06-01", 3)];
    assert_eq!(winner(&higher, &ny).as_deref(), Some("pol_a"));
}

#[test]
fn a_region_rule_is_more_specific_than_a_country_wide_one() {
    let mut country_wide = org_rule("pol_c", 50, "2025-01-01", 2);
    country_wide.region = None;
    let region = org_rule("pol_r", 0, "2025-01-01", 1);
    let r = resolve(&[country_wide, region], &q(PolicyArea::Deposit, "US", Some("NY"), "2026-01-01"));
    assert_eq!(r.winner.unwrap().id, "pol_r");
    assert_eq!(r.candidates[0].reason, "pol_r is more specific (US-NY)");
    // Elsewhere in the country only the country-wide one applies.
    let mut country_wide = org_rule("pol_c", 50, "2025-01-01", 2);
    country_wide.region = None;
    let r = resolve(
        &[country_wide, org_rule("pol_r", 0, "2025-01-01", 1)],
        &q(PolicyArea::Deposit, "US", Some("NJ"), "2026-01-01"),
    );
    assert_eq!(r.winner.unwrap().id, "pol_c");
    assert!(r.candidates.is_empty());
}

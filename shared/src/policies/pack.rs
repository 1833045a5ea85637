//! The built-in pack: jurisdiction rules with their sources and effective dates
//! (REFERENCE.md §G). Where a rule is long-standing and the sources give no start, it starts on
//! 1900-01-01 and its notes say so; that date is a floor, not an enactment date.

use super::model::*;
use crate::money::MoneyDto;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::OnceLock;

const LONG_STANDING: &str = "long-standing: in force before any date this product deals with";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("pack dates are valid")
}

fn money(amount: &str, currency: &str) -> Option<MoneyDto> {
    Some(MoneyDto { amount: amount.into(), currency: currency.into() })
}

struct Place(&'static str, Option<&'static str>);

fn rule(
    id: &str,
    name: &str,
    area: PolicyArea,
    place: Place,
    (from, to): (&str, Option<&str>),
    rule: RuleTerms,
    sources: &[&str],
) -> Policy {
    Policy {
        id: id.into(),
        origin: Origin::Pack,
        name: name.into(),
        area,
        country: place.0.into(),
        region: place.1.map(Into::into),
        entity_type: None,
        action: None,
        effective_from: day(from),
        effective_to: to.map(day),
        priority: 0,
        when: None,
        rule,
        sources: sources.iter().map(|s| (*s).to_owned()).collect(),
        notes: None,
        created_at: None,
        updated_at: None,
    }
}

fn with_notes(mut p: Policy, notes: &str) -> Policy {
    p.notes = Some(notes.into());
    p
}

fn months(n: i64) -> Option<Decimal> {
    Some(Decimal::from(n))
}

/// Every built-in rule, in a stable order.
pub fn pack() -> &'static [Policy] {
    static PACK: OnceLock<Vec<Policy>> = OnceLock::new();
    PACK.get_or_init(|| [deposits(), late_fees(), notices(), deposit_returns()].concat())
}

fn deposits() -> Vec<Policy> {
    [california_deposits(), other_deposits()].concat()
}

/// California: 2 months (3 furnished) until AB 12, then 1, or 2 for an eligible small landlord.
fn california_deposits() -> Vec<Policy> {
    use PolicyArea::Deposit;
    const CA: &[&str] = &[
        "https://portersimon.com/?p=7941",
        "https://www.attorneydavid.com/blog/ab-12-new-residential-security-deposit-rules-coming-to-california-in-2024/",
    ];
    let mut small = rule(
        "us-ca-deposit-ab12-small-landlord",
        "California small-landlord deposit cap (AB 12 exception)",
        Deposit,
        Place("US", Some("CA")),
        ("2024-07-01", None),
        RuleTerms { max_months: months(2), ..Default::default() },
        CA,
    );
    small.priority = 10;
    small.when = Some(Condition { small_landlord: Some(true), service_member_tenant: Some(false) });
    small.notes = Some(
        "a natural person (or an LLC of natural persons) owning at most 2 residential rental properties with at most 4 units; not when the tenant is a service member".into(),
    );
    vec![
        with_notes(
            rule(
                "us-ca-deposit-1950-5",
                "California deposit cap (Civ. Code §1950.5, before AB 12)",
                Deposit,
                Place("US", Some("CA")),
                ("1900-01-01", Some("2024-06-30")),
                RuleTerms { max_months: months(2), max_months_furnished: months(3), ..Default::default() },
                CA,
            ),
            LONG_STANDING,
        ),
        rule(
            "us-ca-deposit-ab12",
            "California deposit cap (Civ. Code §1950.5 as amended by AB 12)",
            Deposit,
            Place("US", Some("CA")),
            ("2024-07-01", None),
            RuleTerms { max_months: months(1), ..Default::default() },
            CA,
        ),
        small,
    ]
}

fn other_deposits() -> Vec<Policy> {
    use PolicyArea::Deposit;
    vec![
        rule(
            "us-ny-deposit-hstpa",
            "New York deposit cap (HSTPA 2019)",
            Deposit,
            Place("US", Some("NY")),
            ("2019-06-14", None),
            RuleTerms { max_months: months(1), ..Default::default() },
            &[
                "https://nysba.org/housing-stability-and-tenant-protection-act-2019-2020-update",
                "https://jordifernandezlaw.com/security-deposits-under-the-housing-stability-and-tenant-protection-act-of-2019/",
            ],
        ),
        with_notes(
            rule(
                "us-ma-deposit-186-15b",
                "Massachusetts deposit cap (M.G.L. c.186 §15B)",
                Deposit,
                Place("US", Some("MA")),
                ("1900-01-01", None),
                RuleTerms { max_months: months(1), ..Default::default() },
                &["https://www.joinpassive.com/states/massachusetts", "http://www.shivicklaw.com/business/what-can-a-landlord-charge-me-to-move-into-an-apartment-in-massachusetts/"],
            ),
            LONG_STANDING,
        ),
        with_notes(
            rule(
                "de-deposit-bgb-551",
                "Germany Mietkaution (BGB §551)",
                Deposit,
                Place("DE", None),
                ("2013-05-01", None),
                RuleTerms { max_months: months(3), instalments: Some(3), ..Default::default() },
                &["https://lexetius.com/BGB/551", "https://berliner-mieterverein.de/?p=14846"],
            ),
            "3 months' rent net of operating costs (a lease's rent is taken as the net cold rent); the tenant may pay in 3 equal monthly instalments, the first at the start, the others with the next two rents",
        ),
        rule(
            "gb-eng-deposit-tfa-2019",
            "England tenancy deposit cap (Tenant Fees Act 2019)",
            Deposit,
            Place("GB", Some("ENG")),
            ("2019-06-01", None),
            RuleTerms {
                max_weeks: Some(5),
                high_rent_weeks: Some(6),
                high_rent_annual_threshold: money("50000.00", "GBP"),
                ..Default::default()
            },
            &["https://www.tenancydepositscheme.com/depositcap", "https://depositprotection.com/news-insights/agent-resources/the-tenant-fees-act-and-tenancy-deposit-cap"],
        ),
    ]
}

fn late_fees() -> Vec<Policy> {
    use PolicyArea::LateFee;
    vec![
        rule(
            "us-ny-late-fee-rpl-238a",
            "New York late fee (RPL §238-a)",
            LateFee,
            Place("US", Some("NY")),
            ("2019-06-14", None),
            RuleTerms {
                grace_days: Some(5),
                max_flat: money("50.00", "USD"),
                max_percent_of_rent: Some(Decimal::from(5)),
                ..Default::default()
            },
            &["https://legalservicesli.org/?p=1414", "https://www.sgrlaw.com/articles/a-disguised-late-fee-is-nevertheless-a-late-fee-landlord-fails-to-navigate-statutory-restrictions/"],
        ),
        with_notes(
            rule(
                "us-ma-late-fee-186-15b",
                "Massachusetts late fee (M.G.L. c.186 §15B(1)(c))",
                LateFee,
                Place("US", Some("MA")),
                ("1900-01-01", None),
                RuleTerms { grace_days: Some(30), ..Default::default() },
                &["https://nislick.com/2015/08/23/late-fees-in-massachusetts-residential-leases/", "https://www.masslegalhelp.org/es/node/145"],
            ),
            "no interest or penalty until thirty days after the rent was due; no dollar cap. Long-standing",
        ),
        with_notes(
            rule(
                "us-or-late-fee-ors-90-260",
                "Oregon late fee (ORS 90.260)",
                LateFee,
                Place("US", Some("OR")),
                ("1900-01-01", None),
                RuleTerms { grace_days: Some(4), max_percent_of_rent: Some(Decimal::from(5)), ..Default::default() },
                &["https://flawfinder.ai/state/oregon/oregon-revised-statutes-chapter-90/90-260"],
            ),
            "only if unpaid by the 4th day, under a written agreement: a reasonable flat fee once per period, a daily fee of at most 6% of that flat fee, or 5% of the rent per 5-day period. One fee per rent charge is assessed here, at most 5% of the rent (the strictest reading). Current through 2024",
        ),
        with_notes(
            rule(
                "gb-eng-late-fee-tfa-2019",
                "England late rent default fee (Tenant Fees Act 2019)",
                LateFee,
                Place("GB", Some("ENG")),
                ("2019-06-01", None),
                RuleTerms { grace_days: Some(14), interest_over_base_rate: Some(Decimal::from(3)), ..Default::default() },
                &["https://www.property118.com/tenant-fees-act-rent-arrears-default-fees/"],
            ),
            "interest at most 3% above the Bank of England base rate (the org's billing setting, by its effective date) per day outstanding, only once rent is 14 days late; no letter fees",
        ),
        with_notes(
            rule(
                "us-ca-late-fee-1671",
                "California late fee (Civ. Code §1671(d))",
                LateFee,
                Place("US", Some("CA")),
                ("1900-01-01", None),
                RuleTerms { reasonable_only: Some(true), ..Default::default() },
                &["https://californialitigation.blogspot.com/2014/02/late-charges-in-california-residential.html", "https://cetient.com/case/2259549/orozco-v-casimiro"],
            ),
            "no statutory cap; a fee must be a reasonable estimate of damages that are impracticable to fix (Orozco v. Casimiro). Long-standing",
        ),
    ]
}

fn ny_tiers() -> RuleTerms {
    let tier = |m, d| NoticeTier { min_tenure_months: m, days: Some(d), months: None };
    RuleTerms { tiers: Some(vec![tier(0, 30), tier(12, 60), tier(24, 90)]), ..Default::default() }
}

fn notices() -> Vec<Policy> {
    use PolicyArea::Notice;
    const NY: &[&str] = &[
        "https://nysenate.gov/legislation/laws/RPP/226-C",
        "https://getpocketlaw.com/law/state_new_york/section-226-c-notice-of-rent-increase-or-non-renewal-of-residential-tenancy_f8b41c00ac99",
    ];
    let tier = |m, months| NoticeTier { min_tenure_months: m, days: None, months: Some(months) };
    vec![
        with_notes(
            rule("us-ny-notice-226c", "New York notice of rent increase ≥ 5% or non-renewal (RPL §226-c, original text)", Notice, Place("US", Some("NY")), ("2019-06-14", Some("2024-08-17")), ny_tiers(), NY),
            "30 days' notice for an occupancy under 1 year, 60 for 1 to 2 years, 90 for 2 years or more; late notice extends the tenancy on its terms",
        ),
        with_notes(
            rule("us-ny-notice-226c-gce", "New York notice of rent increase ≥ 5% or non-renewal (RPL §226-c as amended by Good Cause Eviction)", Notice, Place("US", Some("NY")), ("2024-08-18", Some("2034-06-15")), ny_tiers(), &["https://tenantwiki.com/documents/37691", NY[0]]),
            "the same 30/60/90 days; the notice must also carry the Good Cause Eviction contents. The amended text sunsets after 2034-06-15",
        ),
        with_notes(
            rule(
                "de-notice-bgb-573c",
                "Germany landlord's notice period (BGB §573c)",
                Notice,
                Place("DE", None),
                ("2001-09-01", None),
                RuleTerms { tiers: Some(vec![tier(0, 3), tier(60, 6), tier(96, 9)]), by_working_day_of_month: Some(3), ..Default::default() },
                &["https://gesetzklar.de/bgb/16379/fristen-der-ordentlichen-k-ndigung"],
            ),
            "notice arrives by the 3rd working day of a month and takes effect at the end of the month after next (3 months); the landlord's period grows to 6 months after 5 years and 9 after 8",
        ),
    ]
}

fn deposit_returns() -> Vec<Policy> {
    use PolicyArea::DepositReturn;
    let days = |d| RuleTerms { return_within_days: Some(d), ..Default::default() };
    vec![
        rule("us-ny-deposit-return", "New York deposit return (HSTPA 2019)", DepositReturn, Place("US", Some("NY")), ("2019-06-14", None), days(14), &["https://jordifernandezlaw.com/security-deposits-under-the-housing-stability-and-tenant-protection-act-of-2019/"]),
        with_notes(
            rule("us-ma-deposit-return", "Massachusetts deposit return (M.G.L. c.186 §15B)", DepositReturn, Place("US", Some("MA")), ("1900-01-01", None), days(30), &["https://www.joinpassive.com/states/massachusetts"]),
            LONG_STANDING,
        ),
        with_notes(
            rule("us-ca-deposit-return", "California deposit return (Civ. Code §1950.5(g))", DepositReturn, Place("US", Some("CA")), ("1900-01-01", None), days(21), &["https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1950.5"]),
            LONG_STANDING,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Validate;

    #[test]
    fn every_pack_rule_is_valid_sourced_and_uniquely_named() {
        let mut ids = std::collections::BTreeSet::new();
        for p in pack() {
            assert!(ids.insert(p.id.clone()), "{} twice", p.id);
            assert!(!p.sources.is_empty(), "{} has no source", p.id);
            let input = CreatePolicy {
                name: Some(p.name.clone()),
                area: p.area,
                country: p.country.clone(),
                region: p.region.clone(),
                entity_type: None,
                action: None,
                effective_from: p.effective_from,
                effective_to: p.effective_to,
                priority: p.priority,
                when: p.when.clone(),
                rule: p.rule.clone(),
                notes: None,
            };
            assert_eq!(input.validate(), vec![], "{}", p.id);
        }
    }
}

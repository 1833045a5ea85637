//! The resolver: of the rules for one area and place, which applies on a date, and why each
//! other one does not. Pure: the rules come in, the answer goes out.
//!
//! A rule is a candidate when its area and country match, its region is the place's or absent,
//! and its entity type and action are the query's or absent. A candidate not in effect on the
//! date, or whose condition the facts do not meet, is set aside with that reason. Of the rest,
//! the winner is first by: the org's own rules before the pack's; the more specific scope
//! (region, then entity type, then action); the higher priority; the later `effectiveFrom`; and
//! last the id, so that ties are always broken the same way.

use super::model::*;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// What to resolve (codes already normalized: see `jurisdiction`).
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub area: PolicyArea,
    pub country: &'a str,
    pub region: Option<&'a str>,
    pub date: NaiveDate,
    pub entity_type: Option<&'a str>,
    pub action: Option<&'a str>,
    pub facts: Facts,
}

fn matches(p: &Policy, q: &Query<'_>) -> bool {
    let opt = |rule: &Option<String>, asked: Option<&str>| match rule {
        None => true,
        Some(r) => asked.is_some_and(|a| r.eq_ignore_ascii_case(a)),
    };
    p.area == q.area
        && p.country.eq_ignore_ascii_case(q.country)
        && opt(&p.region, q.region)
        && opt(&p.entity_type, q.entity_type)
        && opt(&p.action, q.action)
}

/// The order of rank: `Less` ranks first.
fn rank(a: &Policy, b: &Policy) -> Ordering {
    a.origin
        .cmp(&b.origin)
        .then(b.specificity().cmp(&a.specificity()))
        .then(b.priority.cmp(&a.priority))
        .then(b.effective_from.cmp(&a.effective_from))
        .then(a.id.cmp(&b.id))
}

/// Why `w` outranks `l` (the first thing of the rank order they differ in).
fn why_outranked(w: &Policy, l: &Policy) -> String {
    if w.origin != l.origin {
        return format!("the org's own rule {} outranks the built-in pack", w.id);
    }
    if w.specificity() != l.specificity() {
        return format!("{} is more specific ({})", w.id, scope_of(w));
    }
    if w.priority != l.priority {
        return format!("{} has a higher priority ({} > {})", w.id, w.priority, l.priority);
    }
    if w.effective_from != l.effective_from {
        return format!("same priority; {} took effect later ({} after {})", w.id, w.effective_from, l.effective_from);
    }
    format!("same priority and effective date; the tie goes to the id that sorts first ({})", w.id)
}

fn scope_of(p: &Policy) -> String {
    let mut parts = vec![match &p.region {
        Some(r) => format!("{}-{r}", p.country),
        None => p.country.clone(),
    }];
    parts.extend(p.entity_type.iter().map(|e| format!("entity {e}")));
    parts.extend(p.action.iter().map(|a| format!("action {a}")));
    parts.join(", ")
}

fn not_in_effect(p: &Policy, date: NaiveDate) -> String {
    match p.effective_to {
        Some(to) if date > to => format!("not in effect on {date}: it ended on {to}"),
        _ => format!("not in effect on {date}: it takes effect on {}", p.effective_from),
    }
}

/// The winner among `rules` for `q`, and every other candidate in rank order with its reason.
pub fn resolve(rules: &[Policy], q: &Query<'_>) -> Resolution {
    let mut live: Vec<&Policy> = Vec::new();
    let mut aside: Vec<Candidate> = Vec::new();
    for p in rules.iter().filter(|p| matches(p, q)) {
        if !p.in_effect(q.date) {
            aside.push(Candidate {
                policy: p.clone(),
                outcome: Outcome::NotInEffect,
                reason: not_in_effect(p, q.date),
            });
        } else if let Some(why) = p.when.as_ref().and_then(|c| c.unmet(&q.facts)) {
            aside.push(Candidate { policy: p.clone(), outcome: Outcome::ConditionNotMet, reason: why });
        } else {
            live.push(p);
        }
    }
    live.sort_by(|a, b| rank(a, b));
    aside.sort_by(|a, b| rank(&a.policy, &b.policy));
    let winner = live.first().copied();
    let reason = match (winner, live.len()) {
        (None, _) => format!("no rule for {} applies here on {}", q.area.as_str(), q.date),
        (Some(w), 1) => format!("{} is the only rule in effect and applicable", w.id),
        (Some(w), n) => format!("{} outranks {} other rule(s) in effect", w.id, n - 1),
    };
    let mut candidates: Vec<Candidate> = live
        .iter()
        .skip(1)
        .map(|l| Candidate {
            policy: (*l).clone(),
            outcome: Outcome::Outranked,
            reason: why_outranked(winner.expect("a winner when any is live"), l),
        })
        .collect();
    candidates.extend(aside);
    Resolution {
        area: q.area,
        country: q.country.to_owned(),
        region: q.region.map(str::to_owned),
        date: q.date,
        winner: winner.cloned(),
        reason,
        candidates,
    }
}

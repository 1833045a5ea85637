//! The org's own rules (stored under the org), and resolving along them and the pack.

use super::events::{PolicyCreated, PolicyDeleted, PolicyUpdated};
use super::jurisdiction::{country_code, region_code};
use super::model::*;
use super::pack::pack;
use super::resolve::{resolve, Query as RuleQuery};
use crate::core::audit::audit;
use crate::events;
use crate::ids::PolicyId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::properties::model::Address;
use crate::validation::Validate;
use crate::{Error, Result};
use chrono::NaiveDate;

/// The rules an org resolves along: its own and the pack.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    all: Vec<Policy>,
}

/// A place rules are resolved for: a country code and an optional region code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub country: String,
    pub region: Option<String>,
}

impl Place {
    pub fn of(address: &Address) -> Place {
        Place {
            country: country_code(&address.country),
            region: region_code(&address.country, address.region.as_deref()),
        }
    }
}

impl Rules {
    pub fn new(org: Vec<Policy>) -> Rules {
        Rules { all: org.into_iter().chain(pack().iter().cloned()).collect() }
    }

    /// The rule for `area` at `place` on `date` about a lease (`action`, if any), with the
    /// facts known.
    pub fn for_lease(&self, area: PolicyArea, place: &Place, date: NaiveDate, action: Option<&str>) -> Resolution {
        resolve(
            &self.all,
            &RuleQuery {
                area,
                country: &place.country,
                region: place.region.as_deref(),
                date,
                entity_type: Some("lease"),
                action,
                facts: Facts::default(),
            },
        )
    }
}

/// The org's rules and the pack.
pub async fn rules(cx: &Ctx<'_>) -> Result<Rules> {
    Ok(Rules::new(org_policies(cx).await?))
}

pub async fn org_policies(cx: &Ctx<'_>) -> Result<Vec<Policy>> {
    let (pk, prefix) = keys::policies(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn list_policies(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Policy>> {
    let (pk, prefix) = keys::policies(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?)
}

fn policy_id(id: &str) -> Result<PolicyId> {
    PolicyId::parse(id).ok_or(Error::NotFound("policy"))
}

pub async fn get_policy(cx: &Ctx<'_>, id: &str) -> Result<Policy> {
    cx.db.get_as(&keys::policy(cx.scope, &policy_id(id)?)).await?.ok_or(Error::NotFound("policy"))
}

fn item(cx: &Ctx<'_>, p: &Policy) -> Result<db::Item> {
    Ok(ItemBuilder::new(POLICY_ENTITY, &keys::policy(cx.scope, &policy_id(&p.id)?), p).build())
}

fn json(p: &Policy) -> serde_json::Value {
    serde_json::to_value(p).expect("policies serialize")
}

fn created(p: &Policy, id: PolicyId) -> PolicyCreated {
    PolicyCreated {
        policy_id: id,
        area: p.area,
        country: p.country.clone(),
        region: p.region.clone(),
        priority: p.priority,
    }
}

pub async fn create_policy(cx: &Ctx<'_>, input: CreatePolicy) -> Result<Policy> {
    let id = PolicyId::new();
    let p = Policy {
        id: id.to_string(),
        origin: Origin::Org,
        name: input.name.map(|n| n.trim().to_owned()).unwrap_or_else(|| format!("{} rule", input.area.as_str())),
        area: input.area,
        country: country_code(&input.country),
        region: region_code(&input.country, input.region.as_deref()),
        entity_type: input.entity_type.map(|e| e.trim().to_owned()),
        action: input.action.map(|a| a.trim().to_owned()),
        effective_from: input.effective_from,
        effective_to: input.effective_to,
        priority: input.priority,
        when: input.when,
        rule: input.rule,
        sources: Vec::new(),
        notes: input.notes,
        created_at: Some(cx.now),
        updated_at: Some(cx.now),
    };
    let mut tx = Tx::new();
    tx.put(item(cx, &p)?, Some(Expr::not_exists()));
    audit(&mut tx, cx, "policy.created", ("policy", &p.id), None, Some(json(&p)));
    events::emit(&mut tx, cx.scope, &created(&p, id));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    Ok(p)
}

fn apply(before: &Policy, input: UpdatePolicy, cx: &Ctx<'_>) -> Result<Policy> {
    let mut p = before.clone();
    if let Some(n) = input.name {
        p.name = n.trim().to_owned();
    }
    p.effective_from = input.effective_from.unwrap_or(p.effective_from);
    p.effective_to = input.effective_to.or(p.effective_to);
    p.priority = input.priority.unwrap_or(p.priority);
    p.when = input.when.or(p.when);
    p.rule = input.rule.unwrap_or(p.rule);
    p.notes = input.notes.or(p.notes);
    p.updated_at = Some(cx.now);
    // The whole rule is checked again as a new one would be.
    let again = CreatePolicy {
        name: Some(p.name.clone()),
        area: p.area,
        country: p.country.clone(),
        region: p.region.clone(),
        entity_type: p.entity_type.clone(),
        action: p.action.clone(),
        effective_from: p.effective_from,
        effective_to: p.effective_to,
        priority: p.priority,
        when: p.when.clone(),
        rule: p.rule.clone(),
        notes: p.notes.clone(),
    };
    let errors = again.validate();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(p)
}

pub async fn update_policy(cx: &Ctx<'_>, id: &str, input: UpdatePolicy) -> Result<Policy> {
    let before = get_policy(cx, id).await?;
    let p = apply(&before, input, cx)?;
    let pid = policy_id(&p.id)?;
    let mut tx = Tx::new();
    let stamp = serde_json::to_value(before.updated_at).expect("timestamps serialize");
    tx.put(item(cx, &p)?, Some(Expr::new("updatedAt = :u").value(":u", db::s(stamp.as_str().unwrap_or_default()))));
    audit(&mut tx, cx, "policy.updated", ("policy", &p.id), Some(json(&before)), Some(json(&p)));
    let c = created(&p, pid);
    let updated = PolicyUpdated {
        policy_id: c.policy_id,
        area: c.area,
        country: c.country,
        region: c.region,
        priority: c.priority,
    };
    events::emit(&mut tx, cx.scope, &updated);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the rule changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(p)
}

pub async fn delete_policy(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let before = get_policy(cx, id).await?;
    let pid = policy_id(&before.id)?;
    let mut tx = Tx::new();
    tx.delete(keys::policy(cx.scope, &pid), Some(Expr::exists()));
    audit(&mut tx, cx, "policy.deleted", ("policy", &before.id), Some(json(&before)), None);
    let c = created(&before, pid);
    let deleted = PolicyDeleted {
        policy_id: c.policy_id,
        area: c.area,
        country: c.country,
        region: c.region,
        priority: c.priority,
    };
    events::emit(&mut tx, cx.scope, &deleted);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() {
        true => Error::NotFound("policy"),
        false => e.into(),
    })?;
    Ok(())
}

/// `policies:resolve`: the rule in effect, and the candidates it beat.
pub async fn resolve_query(cx: &Ctx<'_>, q: ResolveQuery) -> Result<Resolution> {
    let area = PolicyArea::parse(&q.area).ok_or_else(|| {
        Error::invalid("area", "must be one of deposit, late_fee, notice, rent_increase, deposit_return")
    })?;
    if !crate::core::geo::is_country(&country_code(&q.country)) {
        return Err(Error::invalid("country", "must be an ISO 3166-1 alpha-2 country code"));
    }
    let country = country_code(&q.country);
    let region = region_code(&country, q.region.as_deref());
    let rules = rules(cx).await?;
    Ok(resolve(
        &rules.all,
        &RuleQuery {
            area,
            country: &country,
            region: region.as_deref(),
            date: q.date.unwrap_or_else(|| cx.today_utc()),
            entity_type: q.entity_type.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            action: q.action.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            facts: Facts { small_landlord: q.small_landlord, service_member_tenant: q.service_member },
        },
    ))
}

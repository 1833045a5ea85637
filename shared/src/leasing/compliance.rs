//! Where jurisdiction rules bind a lease: activation checks the deposit against the cap (an
//! owner may go past it with a reason, audited) and the instalments the rule allows; ending a
//! lease opens its deposit-return obligation with the jurisdiction's deadline.

use super::model::LeaseRecord;
use crate::core::audit::audit;
use crate::documents::model::{
    DocumentSubject, Obligation, ObligationKind, ObligationStatus, SubjectType, OBLIGATION_ENTITY,
};
use crate::money::Money;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, ItemBuilder, Tx};
use crate::platform::scope::Role;
use crate::policies::events::PolicyOverridden;
use crate::policies::limits::{deposit_cap, deposit_return_due};
use crate::policies::model::{Policy, PolicyArea};
use crate::policies::service::{rules, Place};
use crate::validation::Validate;
use crate::{Error, FieldError, Result};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

/// `POST …/leases/{id}:activate` (the body is optional).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivateLease {
    /// An owner activates a lease past a jurisdiction rule's limit (the deposit cap), saying
    /// why; the override is audited and emits `policy.overridden`.
    #[serde(default, rename = "override")]
    pub override_: Option<PolicyOverride>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyOverride {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub reason: String,
}

impl Validate for ActivateLease {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(o) = &self.override_ {
            crate::validation::check_text(&mut e, "override.reason", &o.reason, 200);
        }
        e
    }
}

fn show(m: Money) -> String {
    format!("{} {}", m.amount_string(), m.currency.code())
}

/// The place a lease's building is in.
pub async fn place_of(cx: &Ctx<'_>, lease: &LeaseRecord) -> Result<Place> {
    let building = crate::properties::service::get_building(cx, lease.building_id.as_str()).await?;
    Ok(Place::of(&building.address))
}

/// What activation writes besides the lease: the override's audit entry and event.
pub struct Overridden {
    event: PolicyOverridden,
    limit: Money,
    value: Money,
    policy: Policy,
}

impl Overridden {
    pub fn write(&self, tx: &mut Tx, cx: &Ctx<'_>) {
        let before = serde_json::json!({"policyId": self.policy.id, "policy": self.policy.name, "limit": crate::money::MoneyDto::from(self.limit)});
        let after =
            serde_json::json!({"deposit": crate::money::MoneyDto::from(self.value), "reason": self.event.reason});
        audit(tx, cx, "lease.policy_overridden", ("lease", self.event.lease_id.as_str()), Some(before), Some(after));
        crate::events::emit(tx, cx.scope, &self.event);
    }
}

/// Checks `lease` against the deposit rule in effect on its start date; `Ok(Some)` when an
/// owner's override lets it past the cap.
pub async fn check_activation(
    cx: &Ctx<'_>,
    lease: &LeaseRecord,
    override_: Option<&PolicyOverride>,
) -> Result<Option<Overridden>> {
    let place = place_of(cx, lease).await?;
    let resolution = rules(cx).await?.for_lease(PolicyArea::Deposit, &place, lease.start_date, Some("activate"));
    let Some(rule) = resolution.winner else { return Ok(None) };
    let rent = Money::from(lease.rent);
    if let (Some(n), Some(max)) = (lease.deposit_instalments, rule.rule.instalments) {
        if n > max {
            return Err(Error::Conflict(format!(
                "{} ({}) allows the deposit in at most {max} instalments, not {n}",
                rule.name, rule.id
            )));
        }
    }
    let deposit = lease.deposit.map(Money::from).unwrap_or(Money::new(0, rent.currency));
    let Some(cap) = deposit_cap(&rule.rule, rent, false) else { return Ok(None) };
    if deposit.minor <= cap {
        return Ok(None);
    }
    let limit = Money::new(cap, rent.currency);
    let Some(o) = override_ else {
        return Err(Error::Conflict(format!(
            "the deposit {} is more than {}, the most {} ({}) allows on {}; an owner may activate it anyway with {{\"override\": {{\"reason\": …}}}}",
            show(deposit), show(limit), rule.name, rule.id, lease.start_date
        )));
    };
    // The handler answers 403 first; this keeps the rule in the use case for every caller.
    if cx.scope.role() != Role::Owner {
        return Err(Error::Conflict("only an owner may override a jurisdiction rule".into()));
    }
    let event = PolicyOverridden {
        lease_id: lease.id.clone(),
        policy_id: rule.id.clone(),
        area: PolicyArea::Deposit,
        limit: limit.into(),
        value: deposit.into(),
        reason: o.reason.trim().to_owned(),
    };
    Ok(Some(Overridden { event, limit, value: deposit, policy: rule }))
}

/// The deposit-return obligation of a lease ending on `move_out`, when its jurisdiction sets a
/// deadline (and the lease holds a deposit).
pub async fn deposit_return_obligation(
    cx: &Ctx<'_>,
    lease: &LeaseRecord,
    move_out: NaiveDate,
) -> Result<Option<Obligation>> {
    if lease.deposit.is_none_or(|d| d.minor == 0) {
        return Ok(None);
    }
    let place = place_of(cx, lease).await?;
    let resolution = rules(cx).await?.for_lease(PolicyArea::DepositReturn, &place, move_out, Some("end"));
    let Some(rule) = resolution.winner else { return Ok(None) };
    let Some(due) = deposit_return_due(&rule.rule, move_out) else { return Ok(None) };
    let days = rule.rule.return_within_days.unwrap_or_default();
    Ok(Some(Obligation {
        kind: ObligationKind::DepositReturn,
        document_id: None,
        name: "Return the deposit".into(),
        subject: DocumentSubject { type_: SubjectType::Lease, id: lease.id.to_string() },
        due_on: due,
        status: ObligationStatus::Open,
        fulfilled_by_version: None,
        detail: Some(format!("within {days} days of move-out on {move_out} ({})", rule.name)),
        policy_id: Some(rule.id),
        assignee_role: None,
        assignee_user_id: None,
    }))
}

/// The stored item of a lease's obligation.
pub fn lease_obligation_item(cx: &Ctx<'_>, lease: &crate::ids::LeaseId, o: &Obligation) -> crate::platform::db::Item {
    let kind = o.kind.as_str();
    let (g2pk, g2sk) = keys::obligation_gsi2(cx.scope, o.due_on, &format!("{lease}#{kind}"));
    ItemBuilder::new(OBLIGATION_ENTITY, &keys::lease_obligation(cx.scope, lease, kind), o).gsi2(g2pk, g2sk).build()
}

/// The lease's open deposit-return obligation as fulfilled (the deposit is being settled).
pub async fn fulfilled_deposit_return(
    cx: &Ctx<'_>,
    lease: &crate::ids::LeaseId,
) -> Result<Option<crate::platform::db::Item>> {
    let key = keys::lease_obligation(cx.scope, lease, ObligationKind::DepositReturn.as_str());
    let Some(o) = cx.db.get_as::<Obligation>(&key).await? else { return Ok(None) };
    if o.status != ObligationStatus::Open {
        return Ok(None);
    }
    Ok(Some(lease_obligation_item(cx, lease, &Obligation { status: ObligationStatus::Fulfilled, ..o })))
}

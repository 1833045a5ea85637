//! The events of jurisdiction rules.

use super::model::PolicyArea;
use crate::events::EventSpec;
use crate::ids::{LeaseId, PolicyId};
use crate::money::MoneyDto;

crate::domain_event! {
    /// The org added a rule of its own.
    PolicyCreated = "policy.created", version 1, subject "policy" by policy_id {
        policy_id: PolicyId,
        area: PolicyArea,
        country: String,
        region: Option<String>,
        priority: i32,
    }

    /// One of the org's rules changed.
    PolicyUpdated = "policy.updated", version 1, subject "policy" by policy_id {
        policy_id: PolicyId,
        area: PolicyArea,
        country: String,
        region: Option<String>,
        priority: i32,
    }

    /// One of the org's rules was deleted (the pack's apply again where it stood).
    PolicyDeleted = "policy.deleted", version 1, subject "policy" by policy_id {
        policy_id: PolicyId,
        area: PolicyArea,
        country: String,
        region: Option<String>,
        priority: i32,
    }

    /// An owner went past a rule's limit, with a reason (also in the audit log).
    PolicyOverridden = "policy.overridden", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        policy_id: String,
        area: PolicyArea,
        /// What the rule allows…
        limit: MoneyDto,
        /// …and what was done.
        value: MoneyDto,
        reason: String,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<PolicyCreated>(),
    EventSpec::of::<PolicyUpdated>(),
    EventSpec::of::<PolicyDeleted>(),
    EventSpec::of::<PolicyOverridden>(),
];

//! Who acts and what they may do: the caller (`Principal`), roles and the one permission matrix
//! (`permits`), and `OrgScope`, the proof that an actor may act inside one org. The store takes
//! a scope for every key it builds; it imports this module, never authentication.

use crate::ids::{OrgId, UserId};
use std::collections::HashMap;

/// The authenticated caller, from the token's `sub` and `email` claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub email: Option<String>,
}

impl Principal {
    /// `None` without a usable `sub`, or with one in the platform's own `system:` namespace.
    pub fn from_claims(claims: &HashMap<String, String>) -> Option<Principal> {
        let sub = claims.get("sub")?;
        if sub.starts_with(SYSTEM_PREFIX) {
            return None;
        }
        let user_id = UserId::parse(sub)?;
        Some(Principal { user_id, email: claims.get("email").cloned() })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Manager,
    Accountant,
    Readonly,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Manager, Role::Accountant, Role::Readonly];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Accountant => "accountant",
            Role::Readonly => "readonly",
        }
    }
}

/// Everything a caller can ask to do inside an org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    OrgRead,
    OrgUpdate,
    MemberRead,
    MemberManage,
    AuditRead,
    PropertyRead,
    PropertyWrite,
    LeasingRead,
    LeasingWrite,
    DocumentRead,
    DocumentWrite,
    /// Ledgers, delinquency, FX rates, billing settings.
    LedgerRead,
    /// Charges, payments, allocations, voids, reversals, rent runs, FX rates.
    LedgerWrite,
    /// The org's billing settings (rent lead time, default late-fee policy).
    BillingConfigure,
    /// The org's event log.
    EventRead,
    /// Webhook endpoints and their deliveries.
    WebhookRead,
    /// Registering, changing, removing endpoints; redelivering.
    WebhookManage,
    /// The books: accounts, journal, trial balance, registers, periods.
    BooksRead,
    /// Accounts of the chart and manual journal entries.
    BooksWrite,
    /// Closing a month of the books.
    PeriodClose,
    /// Reopening a closed month (owner only, audited).
    PeriodReopen,
    /// Rebuilding the books from their sources (owner only, audited).
    BooksRebuild,
    /// The org's integrations (Stripe, bank feeds): their status.
    IntegrationRead,
    /// Connecting and disconnecting them (owner only, audited).
    IntegrationManage,
    /// The org's own jurisdiction rules, which outrank the built-in pack (owner only, audited).
    PolicyManage,
    /// Maintenance requests: reporting, assigning, completing (a cost books an expense).
    MaintenanceWrite,
    /// Workflow definitions: what needs approval (owner only, audited).
    WorkflowManage,
    /// Completing or rejecting workflow tasks (as their assignee; readonly members never).
    WorkflowAct,
}

/// The one permission matrix (API.md "Roles"): owner everything; manager operations; accountant
/// reads all and records money; readonly reads all but the audit log.
pub fn permits(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        OrgRead | MemberRead | PropertyRead | LeasingRead | DocumentRead | LedgerRead => true,
        OrgUpdate | MemberManage => role == Owner,
        AuditRead => matches!(role, Owner | Accountant),
        PropertyWrite | LeasingWrite => matches!(role, Owner | Manager),
        // Accountants file receipts and statements; readonly members upload nothing.
        DocumentWrite => matches!(role, Owner | Manager | Accountant),
        LedgerWrite => matches!(role, Owner | Manager | Accountant),
        BillingConfigure => matches!(role, Owner | Manager),
        // Events and webhook configuration carry every change: not for read-only members.
        EventRead | WebhookRead => matches!(role, Owner | Manager | Accountant),
        WebhookManage => matches!(role, Owner | Manager),
        BooksRead => true,
        // Accountants keep the books; managers run operations and book what they spend.
        BooksWrite => matches!(role, Owner | Manager | Accountant),
        // Closing a month is the owner's call (a manager runs it for them); accountants book
        // into open months but do not close them.
        PeriodClose => matches!(role, Owner | Manager),
        PeriodReopen | BooksRebuild => role == Owner,
        // Which accounts money flows through is the owner's call; the others see the status.
        IntegrationRead => matches!(role, Owner | Manager | Accountant),
        IntegrationManage => role == Owner,
        PolicyManage => role == Owner,
        // Operations, like leasing; completing one books its cost, as managers book expenses.
        MaintenanceWrite => matches!(role, Owner | Manager),
        WorkflowManage => role == Owner,
        WorkflowAct => matches!(role, Owner | Manager | Accountant),
    }
}

/// Who acts inside a scope: a member (from a verified token), or the platform itself on
/// something from its own infrastructure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(Principal),
    /// `system:<job or consumer>` (e.g. `system:rent-run`): never a user id.
    System(String),
}

/// Proof that the actor may act inside `org_id` with `role`. A member's scope comes only from
/// `Authorizer::scope` (and org creation, which makes its first member). The platform's own
/// scope comes only from what our infrastructure hands a function: an outbox event from our bus
/// (`events::consumer::Received`), a job's org or message (`jobs::JobOrg`, `jobs::OrgMessage`),
/// a webhook delivery message from our queue, an object under `org/<id>/` in our bucket
/// (`blob::OwnObject`). None of those can be built from an org id a caller sends, so no HTTP
/// handler can turn a path or body into a scope it was not granted.
#[derive(Debug, Clone)]
pub struct OrgScope {
    org_id: OrgId,
    actor: Actor,
    role: Role,
    /// The action a member was authorized for: every write made under this scope is
    /// conditioned on the membership still allowing it (`write_guard`). None for the platform
    /// itself and for an org's founder (whose membership is created in the same write).
    authorized_for: Option<Action>,
}

impl OrgScope {
    pub fn org_id(&self) -> &OrgId {
        &self.org_id
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The member acting, if a person is.
    pub fn principal(&self) -> Option<&Principal> {
        match &self.actor {
            Actor::User(p) => Some(p),
            Actor::System(_) => None,
        }
    }

    /// What events, audit entries and records name as the actor: the user id, or
    /// `system:<name>`.
    pub fn actor_id(&self) -> &str {
        match &self.actor {
            Actor::User(p) => p.user_id.as_str(),
            Actor::System(name) => name,
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The platform (`system:<name>`) acting inside one org it found in its own infrastructure.
    /// Crate-private: only the modules that decode that infrastructure call it.
    pub(crate) fn system(org_id: OrgId, name: &'static str) -> OrgScope {
        debug_assert!(!name.is_empty() && !name.contains(['#', ':']), "system actor names are plain words");
        OrgScope {
            org_id,
            actor: Actor::System(format!("{SYSTEM_PREFIX}{name}")),
            role: Role::Owner,
            authorized_for: None,
        }
    }

    /// Who must still be a member, and with which roles, for a write under this scope to
    /// commit: the member and every role that permits the action they were authorized for.
    /// None for the platform itself and for an org's founder. The store turns it into a
    /// `ConditionCheck` on the membership item inside the write's own transaction, so a member
    /// removed or demoted a moment ago cannot write, whatever a cache says.
    pub fn write_guard(&self) -> Option<(&Principal, Vec<Role>)> {
        let action = self.authorized_for?;
        let principal = self.principal()?;
        Some((principal, Role::ALL.into_iter().filter(|r| permits(*r, action)).collect()))
    }

    /// A member's scope, after `platform::auth` found their membership permits `action`.
    pub(crate) fn member(org_id: OrgId, principal: Principal, role: Role, action: Action) -> OrgScope {
        OrgScope { org_id, actor: Actor::User(principal), role, authorized_for: Some(action) }
    }

    /// The founder's scope for an org being created in the same transaction.
    pub(crate) fn founding(org_id: OrgId, principal: Principal) -> OrgScope {
        OrgScope { org_id, actor: Actor::User(principal), role: Role::Owner, authorized_for: None }
    }

    /// Tests only (the `test-support` feature, never in Lambda builds): `system:test` acting
    /// inside `org_id`, to read or seed the table directly.
    #[cfg(any(test, feature = "test-support"))]
    pub fn for_tests(org_id: OrgId) -> OrgScope {
        OrgScope::system(org_id, "test")
    }
}

/// The actor prefix of the platform's own scopes.
pub const SYSTEM_PREFIX: &str = "system:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_matches_the_api_contract() {
        use Action::*;
        let table: &[(Action, [bool; 4])] = &[
            // owner, manager, accountant, readonly
            (OrgRead, [true, true, true, true]),
            (OrgUpdate, [true, false, false, false]),
            (MemberRead, [true, true, true, true]),
            (MemberManage, [true, false, false, false]),
            (AuditRead, [true, false, true, false]),
            (PropertyRead, [true, true, true, true]),
            (PropertyWrite, [true, true, false, false]),
            (LeasingRead, [true, true, true, true]),
            (LeasingWrite, [true, true, false, false]),
            (DocumentRead, [true, true, true, true]),
            (DocumentWrite, [true, true, true, false]),
            (LedgerRead, [true, true, true, true]),
            (LedgerWrite, [true, true, true, false]),
            (BillingConfigure, [true, true, false, false]),
            (EventRead, [true, true, true, false]),
            (WebhookRead, [true, true, true, false]),
            (WebhookManage, [true, true, false, false]),
            (PolicyManage, [true, false, false, false]),
            (MaintenanceWrite, [true, true, false, false]),
            (WorkflowManage, [true, false, false, false]),
            (WorkflowAct, [true, true, true, false]),
        ];
        for (action, expected) in table {
            for (role, want) in Role::ALL.iter().zip(expected) {
                assert_eq!(permits(*role, *action), *want, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn principal_needs_a_usable_sub() {
        let claims = HashMap::from([("sub".to_owned(), "u-1".to_owned()), ("email".to_owned(), "a@b.c".to_owned())]);
        assert_eq!(Principal::from_claims(&claims).unwrap().user_id.as_str(), "u-1");
        assert!(Principal::from_claims(&HashMap::new()).is_none());
        assert!(Principal::from_claims(&HashMap::from([("sub".to_owned(), "a#b".to_owned())])).is_none());
        let system = HashMap::from([("sub".to_owned(), "system:rent-run".to_owned())]);
        assert!(Principal::from_claims(&system).is_none(), "no token speaks as the platform");
    }

    #[test]
    fn a_system_scope_names_a_system_actor_not_a_user() {
        let org = OrgId::new();
        let s = OrgScope::system(org.clone(), "rent-run");
        assert_eq!(s.actor_id(), "system:rent-run");
        assert_eq!(s.actor(), &Actor::System("system:rent-run".into()));
        assert!(s.principal().is_none());
        assert_eq!(s.org_id(), &org);
        let p = Principal { user_id: UserId::parse("u-1").unwrap(), email: None };
        let f = OrgScope::founding(org, p.clone());
        assert_eq!((f.actor_id(), f.principal()), ("u-1", Some(&p)));
    }
}

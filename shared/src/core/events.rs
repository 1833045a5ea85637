//! The events of orgs and their members.

use crate::events::EventSpec;
use crate::ids::{OrgId, UserId};
use crate::money::Currency;
use crate::platform::scope::Role;

crate::domain_event! {
    /// An org was created (its first owner is `member.added` in the same transaction).
    OrgCreated = "org.created", version 1, subject "org" by org_id {
        org_id: OrgId,
        name: String,
        #[schema(value_type = String, example = "USD")]
        base_currency: Currency,
    }

    /// The org's name, base currency, country or time zone changed.
    OrgUpdated = "org.updated", version 1, subject "org" by org_id {
        org_id: OrgId,
        name: String,
        #[schema(value_type = String, example = "USD")]
        base_currency: Currency,
        country: String,
        timezone: String,
    }

    /// A user became a member.
    MemberAdded = "member.added", version 1, subject "member" by user_id {
        #[schema(value_type = String)]
        user_id: UserId,
        email: String,
        role: Role,
    }

    /// A member's role changed.
    MemberRoleChanged = "member.role_changed", version 1, subject "member" by user_id {
        #[schema(value_type = String)]
        user_id: UserId,
        from: Role,
        to: Role,
    }

    /// A member was removed (their role at the time is kept).
    MemberRemoved = "member.removed", version 1, subject "member" by user_id {
        #[schema(value_type = String)]
        user_id: UserId,
        email: String,
        role: Role,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<OrgCreated>(),
    EventSpec::of::<OrgUpdated>(),
    EventSpec::of::<MemberAdded>(),
    EventSpec::of::<MemberRoleChanged>(),
    EventSpec::of::<MemberRemoved>(),
];

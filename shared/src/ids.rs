//! Prefixed ULID identifiers (`bld_01J…`). Parsing checks the prefix and the ULID, so a malformed
//! id from a path never reaches a key builder.

use std::fmt;

macro_rules! prefixed_id {
    ($(#[$m:meta])* $name:ident, $prefix:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn new() -> Self {
                Self(format!("{}_{}", $prefix, ulid::Ulid::new()))
            }

            /// Parses `<prefix>_<ulid>`; anything else is `None`.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix($prefix)?.strip_prefix('_')?;
                ulid::Ulid::from_string(rest).ok()?;
                Some(Self(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .pattern(Some(concat!("^", $prefix, "_[0-9A-HJKMNP-TV-Z]{26}$")))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s).ok_or_else(|| format!("not a valid {} id", $prefix))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

prefixed_id!(/// An organization.
    OrgId, "org");
prefixed_id!(/// A building.
    BuildingId, "bld");
prefixed_id!(/// A unit.
    UnitId, "unt");
prefixed_id!(/// A tenant (a person renting).
    TenantId, "tnt");
prefixed_id!(/// A lease.
    LeaseId, "lse");
prefixed_id!(/// A document (its versions are numbered).
    DocumentId, "doc");
prefixed_id!(/// An outbox event.
    EventId, "evt");
prefixed_id!(/// An audit entry.
    AuditId, "aud");

/// A user, as the identity provider names them (the token's `sub`); not minted by us.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserId(String);

impl UserId {
    /// A `sub` is 1–128 visible ASCII characters without `#` (which would split our keys).
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_graphic() && b != b'#');
        ok.then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for UserId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| "not a valid user id".to_owned())
    }
}

impl From<UserId> for String {
    fn from(id: UserId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_wrong_prefix_or_garbage() {
        let b = BuildingId::new();
        assert!(b.as_str().starts_with("bld_"));
        assert_eq!(BuildingId::parse(b.as_str()), Some(b.clone()));
        assert_eq!(UnitId::parse(b.as_str()), None);
        assert_eq!(BuildingId::parse("bld_nope"), None);
        assert_eq!(BuildingId::parse("bld"), None);
    }

    #[test]
    fn user_ids_cannot_carry_key_separators() {
        assert!(UserId::parse("abc-123").is_some());
        assert!(UserId::parse("a#b").is_none());
        assert!(UserId::parse("").is_none());
        assert!(UserId::parse("a b").is_none());
    }
}

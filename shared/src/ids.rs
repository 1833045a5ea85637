//! Prefixed ULID identifiers (`bld_01J…`). Parsing checks the prefix and the ULID, so a malformed
//! id from a path never reaches a key builder.

use std::fmt;
use std::sync::Mutex;

/// A new ULID, strictly greater than every one this process made before: ids made within one
/// millisecond (the events of one transaction) keep the order they were made in.
pub fn next_ulid() -> ulid::Ulid {
    static GENERATOR: Mutex<Option<ulid::Generator>> = Mutex::new(None);
    let mut guard = GENERATOR.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // Overflow needs 2^80 ids in one millisecond; a fresh random one is then the best we have.
    guard.get_or_insert_with(ulid::Generator::new).generate().unwrap_or_else(|_| ulid::Ulid::new())
}

macro_rules! prefixed_id {
    ($(#[$m:meta])* $name:ident, $prefix:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn new() -> Self {
                Self(format!("{}_{}", $prefix, next_ulid()))
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

            /// The id carrying a given ULID (for ids derived from something stable, such as an
            /// idempotency key).
            pub fn from_ulid(u: ulid::Ulid) -> Self {
                Self(format!("{}_{}", $prefix, u))
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .pattern(Some(concat!("^", $prefix, "_[0-7][0-9A-HJKMNP-TV-Z]{25}$")))
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
prefixed_id!(/// An outbound webhook endpoint.
    WebhookId, "whk");
prefixed_id!(/// One event's delivery to one webhook endpoint (its attempts).
    DeliveryId, "dlv");
prefixed_id!(/// A payment received on a lease.
    PaymentId, "pay");
prefixed_id!(/// An allocation (part of a payment, a credit or the deposit settling a charge).
    AllocationId, "alc");
prefixed_id!(/// A vendor (who an expense is paid to).
    VendorId, "ven");
prefixed_id!(/// An expense or a bill.
    ExpenseId, "exp");
prefixed_id!(/// A receipt (of an expense, or of a draft made from it).
    ReceiptId, "rct");
prefixed_id!(/// A fixed asset (a building's basis or a capital improvement).
    FixedAssetId, "fxa");
prefixed_id!(/// A recurring expense (booked once per occurrence by the daily job).
    RecurringExpenseId, "rcx");
prefixed_id!(/// An export (a file of the books or the reports, built asynchronously).
    ExportId, "xpt");
prefixed_id!(/// A CSV import (one uploaded file: validated, then committed).
    ImportId, "imp");
prefixed_id!(/// A bank rule (conditions on a bank transaction → how it is booked).
    BankRuleId, "brl");
prefixed_id!(/// An account of an org's chart (derived from the org and the account's code).
    AccountId, "acc");
prefixed_id!(/// A journal entry (derived from the org and what it was posted from).
    JournalEntryId, "jrn");
prefixed_id!(/// A workflow definition (a trigger and ordered steps).
    WorkflowDefinitionId, "wfd");
prefixed_id!(/// A workflow instance (derived from its definition and the event that started it).
    WorkflowId, "wfl");
prefixed_id!(/// A maintenance request on a unit.
    MaintenanceId, "mnt");
prefixed_id!(/// An org's own jurisdiction rule (the built-in pack's rules have readable ids).
    PolicyId, "pol");

/// `field` must hold an id of the kind `parse` accepts (`what`: "an account id"); a malformed
/// one is a 400 naming the field, a well-formed one that names nothing is the use case's 404.
pub fn check_id<T>(
    errors: &mut Vec<crate::FieldError>,
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    what: &str,
) {
    if value.is_some_and(|v| parse(v).is_none()) {
        errors.push(crate::FieldError::new(field, format!("must be {what}")));
    }
}

/// A building or unit id (`bld_…` or `unt_…`).
pub fn building_or_unit(s: &str) -> Option<()> {
    BuildingId::parse(s).map(|_| ()).or_else(|| UnitId::parse(s).map(|_| ()))
}

/// A ULID derived from `parts` (SHA-256, first 16 bytes): the same parts, the same id.
pub fn derived_ulid(parts: &[&str]) -> ulid::Ulid {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    let bytes: [u8; 32] = h.finalize().into();
    let mut first = [0u8; 16];
    first.copy_from_slice(&bytes[..16]);
    ulid::Ulid::from(u128::from_be_bytes(first))
}

impl AccountId {
    /// The id of `code` in `org`'s chart.
    pub fn of(org: &OrgId, code: &str) -> AccountId {
        AccountId::from_ulid(derived_ulid(&["account", org.as_str(), code]))
    }
}

impl WorkflowId {
    /// The one instance of `definition` that `event` starts.
    pub fn of(definition: &WorkflowDefinitionId, event: &EventId) -> WorkflowId {
        WorkflowId::from_ulid(derived_ulid(&["workflow", definition.as_str(), event.as_str()]))
    }
}

impl JournalEntryId {
    /// The id of the entry posted from `key` (`payment:pay_…`) in `org`'s books.
    pub fn of(org: &OrgId, key: &str) -> JournalEntryId {
        JournalEntryId::from_ulid(derived_ulid(&["journal", org.as_str(), key]))
    }
}

/// A charge. Entered charges carry a ULID (`chg_01J…`); generated ones a deterministic id built
/// from what they are for, so a re-run finds the same key: rent `chg_<lease ulid>_rent_2027_01`,
/// the deposit `chg_<lease ulid>_deposit`, a late fee `<rent charge id>_late`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChargeId(String);

impl ChargeId {
    pub const PREFIX: &'static str = "chg";

    pub fn new() -> Self {
        Self(format!("chg_{}", next_ulid()))
    }

    /// `chg_` then a ULID and optionally `_` and lowercase/digit/underscore words (≤ 100 chars).
    pub fn parse(s: &str) -> Option<Self> {
        if !s.is_ascii() {
            return None;
        }
        let rest = s.strip_prefix("chg_")?;
        let (u, suffix) = rest.split_at(rest.len().min(26));
        ulid::Ulid::from_string(u).ok()?;
        let ok_suffix = suffix.is_empty()
            || (suffix.starts_with('_')
                && suffix.len() <= 60
                && suffix[1..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
        ok_suffix.then(|| Self(s.to_owned()))
    }

    /// Rent of `lease` for the month `year-month`.
    pub fn rent(lease: &LeaseId, year: i32, month: u32) -> Self {
        Self(format!("chg_{}_rent_{year:04}_{month:02}", lease_ulid(lease)))
    }

    /// The security deposit of `lease`.
    pub fn deposit(lease: &LeaseId) -> Self {
        Self(format!("chg_{}_deposit", lease_ulid(lease)))
    }

    /// The `n`th instalment (from 2) of a deposit charged in parts; the first is `deposit`.
    pub fn deposit_part(lease: &LeaseId, n: u8) -> Self {
        Self(format!("chg_{}_deposit{n}", lease_ulid(lease)))
    }

    /// The rent credited back when a lease ends inside a month already charged in full.
    pub fn move_out_credit(lease: &LeaseId) -> Self {
        Self(format!("chg_{}_moveout", lease_ulid(lease)))
    }

    /// The late fee on `charge`.
    pub fn late_fee(charge: &ChargeId) -> Self {
        Self(format!("{}_late", charge.0))
    }

    /// A waived late fee `fee` charged again because the payment that waived it bounced.
    pub fn reinstated(fee: &ChargeId) -> Self {
        Self(format!("{}_again", fee.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn lease_ulid(lease: &LeaseId) -> &str {
    lease.as_str().trim_start_matches("lse_")
}

impl Default for ChargeId {
    fn default() -> Self {
        Self::new()
    }
}

impl utoipa::PartialSchema for ChargeId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^chg_[0-7][0-9A-HJKMNP-TV-Z]{25}(_[a-z0-9_]{0,59})?$"))
            .into()
    }
}

impl utoipa::ToSchema for ChargeId {}

impl fmt::Display for ChargeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ChargeId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| "not a valid chg id".to_owned())
    }
}

impl From<ChargeId> for String {
    fn from(id: ChargeId) -> String {
        id.0
    }
}

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
    fn charge_ids_are_random_or_derived_from_what_they_charge() {
        let lease = LeaseId::new();
        let rent = ChargeId::rent(&lease, 2027, 1);
        assert!(rent.as_str().ends_with("_rent_2027_01"));
        assert_eq!(ChargeId::parse(rent.as_str()), Some(rent.clone()));
        assert_eq!(ChargeId::rent(&lease, 2027, 1), rent, "deterministic");
        assert_ne!(ChargeId::rent(&lease, 2027, 2), rent);
        assert!(ChargeId::parse(ChargeId::late_fee(&rent).as_str()).is_some());
        assert!(ChargeId::parse(ChargeId::deposit(&lease).as_str()).is_some());
        assert!(ChargeId::parse(ChargeId::new().as_str()).is_some());
        for bad in [
            "chg_",
            "chg_x",
            "chg_0123456789012345678901234é",
            "pay_01J00000000000000000000000",
            &format!("{rent}#x"),
            &format!("{rent}_A"),
        ] {
            assert!(ChargeId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn user_ids_cannot_carry_key_separators() {
        assert!(UserId::parse("abc-123").is_some());
        assert!(UserId::parse("a#b").is_none());
        assert!(UserId::parse("").is_none());
        assert!(UserId::parse("a b").is_none());
    }

    #[test]
    fn ids_made_in_one_burst_keep_their_order() {
        let ids: Vec<EventId> = (0..2_000).map(|_| EventId::new()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "strictly increasing, even within a millisecond");
        let charges: Vec<ChargeId> = (0..100).map(|_| ChargeId::new()).collect();
        assert!(charges.windows(2).all(|w| w[0] < w[1]));
    }
}

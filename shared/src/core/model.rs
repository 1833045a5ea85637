//! Organization, member and audit types: stored records, API shapes and their input rules.

use crate::ids::{AuditId, OrgId, UserId};
use crate::money::Currency;
use crate::platform::scope::Role;
use crate::validation::{check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const ORG_ENTITY: &str = "Organization";
pub const MEMBER_ENTITY: &str = "Member";
pub const AUDIT_ENTITY: &str = "AuditEntry";

/// An organization as stored and as answered (the owner count guards the last owner).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: OrgId,
    pub name: String,
    #[schema(value_type = String, example = "USD")]
    pub base_currency: Currency,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// IANA time zone; rent runs and "today" follow it.
    pub timezone: String,
    /// The phone an emergency (an `emergency` maintenance request) is texted to at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing)]
    #[schema(ignore)]
    pub owner_count: i64,
    #[serde(default, skip_serializing)]
    #[schema(ignore)]
    pub v: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateOrg {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    #[schema(value_type = crate::money::CurrencyCode)]
    pub base_currency: String,
    #[schema(value_type = crate::core::geo::Country)]
    pub country: String,
    #[schema(value_type = crate::validation::schema::TimeZone)]
    pub timezone: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateOrg {
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::money::CurrencyCode>)]
    pub base_currency: Option<String>,
    #[schema(value_type = Option<crate::core::geo::Country>)]
    pub country: Option<String>,
    #[schema(value_type = Option<crate::validation::schema::TimeZone>)]
    pub timezone: Option<String>,
    /// The phone emergencies are texted to (`""` clears it).
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Phone>)]
    pub alert_phone: Option<String>,
}

pub const NAME_MAX: usize = 200;
pub const EMAIL_MAX: usize = 254;

fn check_currency(errors: &mut Vec<FieldError>, v: &str) {
    if Currency::parse(v).is_none() {
        errors.push(FieldError::new("baseCurrency", "must be an ISO 4217 currency code such as USD"));
    }
}

fn check_country(errors: &mut Vec<FieldError>, field: &str, v: &str) {
    if !super::geo::is_country(v) {
        errors.push(FieldError::new(field, "must be an ISO 3166-1 alpha-2 country code such as US"));
    }
}

fn check_timezone(errors: &mut Vec<FieldError>, v: &str) {
    if !super::geo::is_timezone(v) {
        errors.push(FieldError::new("timezone", "must be an IANA time zone such as America/New_York"));
    }
}

impl Validate for CreateOrg {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, NAME_MAX);
        check_currency(&mut e, &self.base_currency);
        check_country(&mut e, "country", &self.country);
        check_timezone(&mut e, &self.timezone);
        e
    }
}

impl Validate for UpdateOrg {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(v) = &self.name {
            check_text(&mut e, "name", v, NAME_MAX);
        }
        if let Some(v) = &self.base_currency {
            check_currency(&mut e, v);
        }
        if let Some(v) = &self.country {
            check_country(&mut e, "country", v);
        }
        if let Some(v) = &self.timezone {
            check_timezone(&mut e, v);
        }
        if let Some(v) = self.alert_phone.as_deref().filter(|v| !v.is_empty()) {
            let mut p = Vec::new();
            check_phone(&mut p, v);
            e.extend(p.into_iter().map(|f| FieldError::new("alertPhone", f.message)));
        }
        e
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    #[schema(value_type = String)]
    pub user_id: UserId,
    pub email: String,
    pub role: Role,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
    #[serde(default, skip_serializing)]
    #[schema(ignore)]
    pub org_id: Option<OrgId>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddMember {
    /// The user's id at the identity provider (their token's `sub`): 1–128 letters, digits, `-`,
    /// `_`, `.` or `|`, starting with a letter or digit, never `..`.
    #[schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._|-]{0,127}$", example = "71d4f55f-72fa-128d-fb46-8a1a3901507c")]
    pub user_id: String,
    #[schema(value_type = crate::core::model::Email)]
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateMember {
    pub role: Role,
}

/// A plausible email: one `@`, something on each side, a dot in the domain, no spaces.
/// `email` must be an email address.
pub fn check_email(e: &mut Vec<FieldError>, v: &str) {
    if !is_email(v) {
        e.push(FieldError::new("email", "must be an email address"));
    }
}

/// `phone`, E.164-ish: an optional `+`, then 7–15 digits, spaces, dashes, dots or parentheses.
pub fn check_phone(e: &mut Vec<FieldError>, v: &str) {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let ok = v.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (i == 0 && c == '+'));
    if !ok || !(7..=15).contains(&digits) {
        e.push(FieldError::new("phone", "must be a phone number such as +1 555 010 0100"));
    }
}

pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.len() <= EMAIL_MAX
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || crate::validation::is_bidi_or_separator(c))
}

impl Validate for AddMember {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !crate::validation::is_subject(&self.user_id) || UserId::parse(&self.user_id).is_none() {
            e.push(FieldError::new(
                "userId",
                "must be the user's subject at the identity provider: 1–128 letters, digits, '-', '_', '.' or '|', \
                 starting with a letter or digit",
            ));
        }
        if !is_email(&self.email) {
            e.push(FieldError::new("email", "must be an email address"));
        }
        e
    }
}

impl Validate for UpdateMember {
    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

/// `GET /me`: the caller and their organizations.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: String,
    pub email: Option<String>,
    pub memberships: Vec<Membership>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub org_id: String,
    pub org_name: String,
    pub role: Role,
}

/// Who did what to which record, with the record before and after.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    /// The acting user's id.
    pub actor: String,
    /// What happened, as an event type (`member.role_changed`).
    pub action: String,
    pub target: crate::events::Subject,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// An email address as `core::model::is_email` takes it (schema only).
pub struct Email;
impl utoipa::PartialSchema for Email {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::validation::schema::string()
            .max_length(Some(EMAIL_MAX))
            .pattern(Some(crate::validation::schema::EMAIL_PATTERN))
            .examples(["jane@example.com"])
            .into()
    }
}
impl utoipa::ToSchema for Email {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for ok in ["a@b.co", "first.last+tag@example.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.co", "a@.co", "a b@c.co", "a@b.co.", "a@b@c.co", "moc.b\u{202e}@a.co"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn create_org_names_every_bad_field() {
        let bad = CreateOrg {
            name: " ".into(),
            base_currency: "XYZ".into(),
            country: "ZZ".into(),
            timezone: "Nowhere".into(),
        };
        let fields: Vec<_> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "baseCurrency", "country", "timezone"]);
    }

    #[test]
    fn members_are_identity_provider_subjects() {
        let add = |id: &str| AddMember { user_id: id.into(), email: "a@b.co".into(), role: Role::Readonly };
        assert!(add("71d4f55f-72fa-128d-fb46-8a1a3901507c").validate().is_empty());
        for bad in ["../x", "a#b", "system:rent-run", "", "x/../../y"] {
            let fields: Vec<_> = add(bad).validate().into_iter().map(|e| e.field).collect();
            assert_eq!(fields, ["userId"], "{bad}");
        }
    }
}

//! Vendors: who expenses are paid to. A tax id (SSN or EIN, for 1099 filing) is encrypted with
//! KMS before it is stored, bound to the org and the vendor, and only ever answered masked.
//! A vendor with expenses cannot be deleted (archive it instead).

use super::accounts::{chart, find};
use super::events::VendorCreated;
use crate::core::audit::audit;
use crate::events;
use crate::ids::{AccountId, VendorId};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, Query, Tx};
use crate::platform::secrets::Secrets;
use crate::validation::{check_opt_text, check_text, Validate};
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const VENDOR_ENTITY: &str = "Vendor";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VendorKind {
    Company,
    Individual,
}

/// A vendor as stored: the tax id's ciphertext and its last four digits, never the plaintext.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorRecord {
    pub id: VendorId,
    pub name: String,
    pub kind: VendorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id_ciphertext: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id_last4: Option<String>,
    pub form1099: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_account_id: Option<AccountId>,
    pub archived: bool,
    /// Expenses booked to it (a vendor with any cannot be deleted).
    #[serde(default)]
    pub expense_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A vendor as the API answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vendor {
    pub id: VendorId,
    pub name: String,
    pub kind: VendorKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Masked: `***-**-1234`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "***-**-1234")]
    pub tax_id: Option<String>,
    pub form1099: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_account_id: Option<AccountId>,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<VendorRecord> for Vendor {
    fn from(r: VendorRecord) -> Self {
        Vendor {
            id: r.id,
            name: r.name,
            kind: r.kind,
            email: r.email,
            phone: r.phone,
            tax_id: r.tax_id_last4.map(|l| format!("***-**-{l}")),
            form1099: r.form1099,
            default_account_id: r.default_account_id,
            archived: r.archived,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateVendor {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    pub kind: VendorKind,
    #[serde(default)]
    #[schema(value_type = Option<crate::core::model::Email>)]
    pub email: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Phone>)]
    pub phone: Option<String>,
    /// An SSN (`123-45-6789`) or EIN (`12-3456789`): nine digits, dashes optional.
    #[serde(default)]
    #[schema(example = "12-3456789", pattern = "^([0-9]{3}-?[0-9]{2}-?[0-9]{4}|[0-9]{2}-?[0-9]{7})$")]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub form1099: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub default_account_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateVendor {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::core::model::Email>)]
    pub email: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Phone>)]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(pattern = "^([0-9]{3}-?[0-9]{2}-?[0-9]{4}|[0-9]{2}-?[0-9]{7})$")]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub form1099: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub default_account_id: Option<String>,
    #[serde(default)]
    pub archived: Option<bool>,
}

fn check_contact(e: &mut Vec<FieldError>, email: &Option<String>, phone: &Option<String>, tax_id: &Option<String>) {
    if let Some(m) = email {
        crate::core::model::check_email(e, m);
    }
    if let Some(p) = phone {
        crate::core::model::check_phone(e, p);
    }
    if tax_id.as_deref().is_some_and(|t| tax_digits(t).is_none()) {
        e.push(FieldError::new("taxId", "must be nine digits (SSN 123-45-6789 or EIN 12-3456789)"));
    }
}

impl Validate for CreateVendor {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        check_contact(&mut e, &self.email, &self.phone, &self.tax_id);
        crate::ids::check_id(
            &mut e,
            "defaultAccountId",
            self.default_account_id.as_deref(),
            AccountId::parse,
            "an account id",
        );
        e
    }
}

impl Validate for UpdateVendor {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "name", self.name.as_deref(), 200);
        check_contact(&mut e, &self.email, &self.phone, &self.tax_id);
        crate::ids::check_id(
            &mut e,
            "defaultAccountId",
            self.default_account_id.as_deref(),
            AccountId::parse,
            "an account id",
        );
        e
    }
}

/// The nine digits of an SSN or EIN (dashes and spaces allowed between them).
fn tax_digits(t: &str) -> Option<String> {
    let digits: String = t.chars().filter(|c| *c != '-').collect();
    (digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Names compare without case, punctuation or extra spaces ("ACME Plumbing, Inc." ~ "acme plumbing inc").
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn sealed(secrets: &Secrets, cx: &Ctx<'_>, id: &VendorId, tax_id: &str) -> Result<(String, String)> {
    let digits = tax_digits(tax_id).ok_or_else(|| Error::invalid("taxId", "must be nine digits"))?;
    let owner = [("org", cx.scope.org_id().as_str()), ("vendor", id.as_str())];
    let cipher =
        secrets.encrypt(&digits, &owner).await.map_err(|e| Error::Store(db::DbError::Invalid(e.to_string())))?;
    Ok((cipher, digits[5..].to_owned()))
}

async fn default_account(cx: &Ctx<'_>, id: &Option<String>) -> Result<Option<AccountId>> {
    let Some(id) = id else { return Ok(None) };
    let chart = chart(cx).await?;
    let a = find(&chart, id).ok_or(Error::NotFound("account"))?;
    Ok(Some(a.id.clone()))
}

fn item(cx: &Ctx<'_>, v: &VendorRecord) -> db::Item {
    ItemBuilder::new(VENDOR_ENTITY, &keys::vendor(cx.scope, &v.id), v).build()
}

pub async fn create_vendor(cx: &Ctx<'_>, secrets: &Secrets, input: CreateVendor) -> Result<Vendor> {
    let id = VendorId::new();
    let default_account_id = default_account(cx, &input.default_account_id).await?;
    let tax = match &input.tax_id {
        Some(t) => Some(sealed(secrets, cx, &id, t).await?),
        None => None,
    };
    let v = VendorRecord {
        id,
        name: input.name.trim().to_owned(),
        kind: input.kind,
        email: input.email,
        phone: input.phone,
        tax_id_ciphertext: tax.as_ref().map(|t| t.0.clone()),
        tax_id_last4: tax.map(|t| t.1),
        form1099: input.form1099.unwrap_or(false),
        default_account_id,
        archived: false,
        expense_count: 0,
        created_at: cx.now,
        updated_at: cx.now,
    };
    let mut tx = Tx::new();
    tx.put(item(cx, &v), Some(Expr::not_exists()));
    let shown = Vendor::from(v.clone());
    audit(
        &mut tx,
        cx,
        "vendor.created",
        ("vendor", v.id.as_str()),
        None,
        Some(serde_json::to_value(&shown).expect("vendors serialize")),
    );
    let created = VendorCreated { vendor_id: v.id.clone(), name: v.name.clone(), kind: v.kind, form1099: v.form1099 };
    events::emit(&mut tx, cx.scope, &created);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    Ok(shown)
}

pub async fn vendor_record(cx: &Ctx<'_>, id: &str) -> Result<VendorRecord> {
    let id = VendorId::parse(id).ok_or(Error::NotFound("vendor"))?;
    cx.db.get_as(&keys::vendor(cx.scope, &id)).await?.ok_or(Error::NotFound("vendor"))
}

pub async fn get_vendor(cx: &Ctx<'_>, id: &str) -> Result<Vendor> {
    Ok(vendor_record(cx, id).await?.into())
}

pub async fn all_vendors(cx: &Ctx<'_>) -> Result<Vec<VendorRecord>> {
    let (pk, prefix) = keys::vendors(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn list_vendors(cx: &Ctx<'_>, page: db::PageRequest) -> Result<db::PageOf<Vendor>> {
    let (pk, prefix) = keys::vendors(cx.scope);
    let got: db::PageOf<VendorRecord> =
        cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?;
    Ok(db::PageOf { items: got.items.into_iter().map(Vendor::from).collect(), last_key: got.last_key })
}

/// The open vendor whose name matches `name` (case, punctuation and spacing aside).
pub async fn match_by_name(cx: &Ctx<'_>, name: &str) -> Result<Option<VendorRecord>> {
    let key = name_key(name);
    Ok(all_vendors(cx).await?.into_iter().find(|v| !v.archived && !key.is_empty() && name_key(&v.name) == key))
}

pub async fn update_vendor(cx: &Ctx<'_>, secrets: &Secrets, id: &str, input: UpdateVendor) -> Result<Vendor> {
    let before = vendor_record(cx, id).await?;
    let mut v = before.clone();
    if let Some(n) = input.name {
        v.name = n.trim().to_owned();
    }
    if input.email.is_some() {
        v.email = input.email;
    }
    if input.phone.is_some() {
        v.phone = input.phone;
    }
    if let Some(t) = &input.tax_id {
        let (cipher, last4) = sealed(secrets, cx, &v.id, t).await?;
        v.tax_id_ciphertext = Some(cipher);
        v.tax_id_last4 = Some(last4);
    }
    if let Some(f) = input.form1099 {
        v.form1099 = f;
    }
    if input.default_account_id.is_some() {
        v.default_account_id = default_account(cx, &input.default_account_id).await?;
    }
    if let Some(a) = input.archived {
        v.archived = a;
    }
    v.updated_at = cx.now;
    let mut tx = Tx::new();
    let stamp = serde_json::to_value(before.updated_at).expect("timestamps serialize");
    let cond = Expr::new("updatedAt = :u").value(":u", db::s(stamp.as_str().unwrap_or_default()));
    tx.put(item(cx, &v), Some(cond));
    let json = |r: &VendorRecord| serde_json::to_value(Vendor::from(r.clone())).expect("vendors serialize");
    audit(&mut tx, cx, "vendor.updated", ("vendor", v.id.as_str()), Some(json(&before)), Some(json(&v)));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the vendor changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(v.into())
}

/// Deletes a vendor without expenses (409 otherwise: archive it).
pub async fn delete_vendor(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let v = vendor_record(cx, id).await?;
    if v.expense_count > 0 {
        return Err(Error::Conflict("the vendor has expenses; archive it with {\"archived\": true}".into()));
    }
    let mut tx = Tx::new();
    tx.delete(keys::vendor(cx.scope, &v.id), Some(Expr::new("expenseCount = :z").value(":z", db::n(0))));
    let before = serde_json::to_value(Vendor::from(v.clone())).expect("vendors serialize");
    audit(&mut tx, cx, "vendor.deleted", ("vendor", v.id.as_str()), Some(before), None);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() {
        true => Error::Conflict("the vendor has expenses; archive it instead".into()),
        false => e.into(),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_ids_are_nine_digits_and_names_match_loosely() {
        assert_eq!(tax_digits("123-45-6789").as_deref(), Some("123456789"));
        assert_eq!(tax_digits("12-3456789").as_deref(), Some("123456789"));
        assert_eq!(tax_digits("12345678"), None);
        assert_eq!(tax_digits("12345678x"), None);
        assert_eq!(name_key("ACME  Plumbing, Inc."), name_key("acme plumbing inc"));
        assert_ne!(name_key("Acme Plumbing"), name_key("Acme Electric"));
    }
}

//! Building and unit types and their input rules.

use crate::ids::{BuildingId, LeaseId, UnitId};
use crate::money::{MoneyDto, StoredMoney};
use crate::validation::{check_opt_text, check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const BUILDING_ENTITY: &str = "Building";
pub const UNIT_ENTITY: &str = "Unit";
pub const LABEL_ENTITY: &str = "UnitLabel";
pub const LABEL_MAX: usize = 50;
/// Most units one bulk request creates.
pub const BULK_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Address {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub line2: Option<String>,
    #[schema(value_type = crate::validation::schema::Text100)]
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub region: Option<String>,
    #[schema(value_type = crate::validation::schema::Text20)]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    #[schema(value_type = crate::core::geo::Country)]
    pub country: String,
}

impl Address {
    fn check(&self, e: &mut Vec<FieldError>, at: &str) {
        check_text(e, &format!("{at}.line1"), &self.line1, 200);
        check_opt_text(e, &format!("{at}.line2"), self.line2.as_deref(), 200);
        check_text(e, &format!("{at}.city"), &self.city, 100);
        check_opt_text(e, &format!("{at}.region"), self.region.as_deref(), 100);
        check_text(e, &format!("{at}.postalCode"), &self.postal_code, 20);
        if !crate::core::geo::is_country(&self.country) {
            e.push(FieldError::new(format!("{at}.country"), "must be an ISO 3166-1 alpha-2 country code"));
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Building {
    pub id: BuildingId,
    pub name: String,
    pub address: Address,
    #[serde(flatten)]
    pub facts: BuildingFacts,
    pub archived: bool,
    /// Units currently in the building.
    pub unit_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing)]
    #[schema(ignore)]
    pub v: i64,
}

/// What the tax and investment reports need of a building (all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuildingFacts {
    /// Schedule E line 1b: 1 single family residence, 2 multi-family residence, 3 vacation or
    /// short-term rental, 4 commercial, 5 land, 6 royalties, 7 self-rental, 8 other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 8, example = 2)]
    pub property_type: Option<u8>,
    /// What the property would sell for today (the NOI report's cap rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_value: Option<MoneyDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_price: Option<MoneyDto>,
}

impl BuildingFacts {
    fn check(&self, e: &mut Vec<FieldError>) {
        if self.property_type.is_some_and(|t| !(1..=8).contains(&t)) {
            e.push(FieldError::new("propertyType", "must be a Schedule E property type, 1 to 8"));
        }
        for (field, m) in [("marketValue", &self.market_value), ("purchasePrice", &self.purchase_price)] {
            match m.as_ref().map(|m| m.to_money(field)) {
                Some(Ok(m)) if m.minor <= 0 => e.push(FieldError::new(format!("{field}.amount"), "must be positive")),
                Some(Err(err)) => e.push(err),
                _ => {}
            }
        }
    }

    /// `other`'s facts where it has one, ours otherwise.
    pub fn merged(&self, other: &BuildingFacts) -> BuildingFacts {
        BuildingFacts {
            property_type: other.property_type.or(self.property_type),
            market_value: other.market_value.clone().or_else(|| self.market_value.clone()),
            purchase_date: other.purchase_date.or(self.purchase_date),
            purchase_price: other.purchase_price.clone().or_else(|| self.purchase_price.clone()),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateBuilding {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    pub address: Address,
    /// Schedule E line 1b: 1 single family residence, 2 multi-family residence, 3 vacation or
    /// short-term rental, 4 commercial, 5 land, 6 royalties, 7 self-rental, 8 other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 8, example = 2)]
    pub property_type: Option<u8>,
    /// What the property would sell for today (the NOI report's cap rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub market_value: Option<MoneyDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub purchase_price: Option<MoneyDto>,
}

impl CreateBuilding {
    pub fn facts(&self) -> BuildingFacts {
        BuildingFacts {
            property_type: self.property_type,
            market_value: self.market_value.clone(),
            purchase_date: self.purchase_date,
            purchase_price: self.purchase_price.clone(),
        }
    }
}

impl Validate for CreateBuilding {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        self.address.check(&mut e, "address");
        self.facts().check(&mut e);
        e
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateBuilding {
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    pub address: Option<Address>,
    /// Archived buildings stay readable but take no new units.
    pub archived: Option<bool>,
    // Facts given replace the ones held; facts left out stay.
    /// Schedule E line 1b: 1 single family residence, 2 multi-family residence, 3 vacation or
    /// short-term rental, 4 commercial, 5 land, 6 royalties, 7 self-rental, 8 other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 8, example = 2)]
    pub property_type: Option<u8>,
    /// What the property would sell for today (the NOI report's cap rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub market_value: Option<MoneyDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub purchase_price: Option<MoneyDto>,
}

impl UpdateBuilding {
    pub fn facts(&self) -> BuildingFacts {
        BuildingFacts {
            property_type: self.property_type,
            market_value: self.market_value.clone(),
            purchase_date: self.purchase_date,
            purchase_price: self.purchase_price.clone(),
        }
    }
}

impl Validate for UpdateBuilding {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "name", self.name.as_deref(), 200);
        if let Some(a) = &self.address {
            a.check(&mut e, "address");
        }
        self.facts().check(&mut e);
        e
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    pub id: UnitId,
    pub building_id: BuildingId,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bedrooms: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "1.5")]
    pub bathrooms: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_sqft: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_rent: Option<MoneyDto>,
    /// Leases ever written for the unit; a unit with history cannot be deleted.
    pub lease_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A unit as stored: market rent in minor units, plus the item version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitRecord {
    pub id: UnitId,
    pub building_id: BuildingId,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bedrooms: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bathrooms: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_sqft: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_rent: Option<StoredMoney>,
    #[serde(default)]
    pub lease_count: i64,
    /// Terms of the unit's activated leases (the occupancy record; see `Term`).
    #[serde(default)]
    pub terms: Vec<UnitTerm>,
    /// Version of `terms`: activations and endings are conditioned on it.
    #[serde(default)]
    pub terms_version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub v: i64,
}

impl From<UnitRecord> for Unit {
    fn from(r: UnitRecord) -> Self {
        Unit {
            id: r.id,
            building_id: r.building_id,
            label: r.label,
            bedrooms: r.bedrooms,
            bathrooms: r.bathrooms,
            area_sqft: r.area_sqft,
            market_rent: r.market_rent.map(|m| crate::money::Money::from(m).into()),
            lease_count: r.lease_count,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUnit {
    #[schema(value_type = crate::validation::schema::Text50)]
    pub label: String,
    #[schema(maximum = 50)]
    pub bedrooms: Option<u8>,
    #[schema(pattern = "^([0-9]|[1-4][0-9])(\\.[05]0*)?$|^50(\\.0+)?$", value_type = Option<String>, example = "1.5")]
    pub bathrooms: Option<Decimal>,
    #[schema(minimum = 1, maximum = 1000000)]
    pub area_sqft: Option<u32>,
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub market_rent: Option<MoneyDto>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUnit {
    #[schema(value_type = Option<crate::validation::schema::Text50>)]
    pub label: Option<String>,
    #[schema(maximum = 50)]
    pub bedrooms: Option<u8>,
    #[schema(pattern = "^([0-9]|[1-4][0-9])(\\.[05]0*)?$|^50(\\.0+)?$", value_type = Option<String>, example = "1.5")]
    pub bathrooms: Option<Decimal>,
    #[schema(minimum = 1, maximum = 1000000)]
    pub area_sqft: Option<u32>,
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub market_rent: Option<MoneyDto>,
}

fn check_unit_fields(
    e: &mut Vec<FieldError>,
    bedrooms: Option<u8>,
    bathrooms: Option<Decimal>,
    area: Option<u32>,
    rent: Option<&MoneyDto>,
) {
    if bedrooms.is_some_and(|b| b > 50) {
        e.push(FieldError::new("bedrooms", "must be from 0 to 50"));
    }
    if let Some(b) = bathrooms {
        if b.is_sign_negative() || b > Decimal::from(50) || (b * Decimal::from(2)).fract() != Decimal::ZERO {
            e.push(FieldError::new("bathrooms", "must be a multiple of 0.5 from 0 to 50"));
        }
    }
    if area.is_some_and(|a| a == 0 || a > 1_000_000) {
        e.push(FieldError::new("areaSqft", "must be from 1 to 1000000"));
    }
    if let Some(r) = rent {
        match r.to_money("marketRent") {
            Ok(m) if m.minor < 0 => e.push(FieldError::new("marketRent.amount", "must not be negative")),
            Ok(_) => {}
            Err(err) => e.push(err),
        }
    }
}

impl Validate for CreateUnit {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "label", &self.label, LABEL_MAX);
        check_unit_fields(&mut e, self.bedrooms, self.bathrooms, self.area_sqft, self.market_rent.as_ref());
        e
    }
}

impl Validate for UpdateUnit {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "label", self.label.as_deref(), LABEL_MAX);
        check_unit_fields(&mut e, self.bedrooms, self.bathrooms, self.area_sqft, self.market_rent.as_ref());
        e
    }
}

/// `{"labels": [...]}` or `{"pattern": "1{01..12}"}`: exactly one of them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkUnits {
    #[schema(value_type = Option<Vec<crate::validation::schema::Text50>>, min_items = 1, max_items = 500)]
    pub labels: Option<Vec<String>>,
    pub pattern: Option<String>,
}

impl BulkUnits {
    /// The labels asked for, expanded and checked (order kept).
    pub fn labels(&self) -> Result<Vec<String>, Vec<FieldError>> {
        let labels = match (&self.labels, &self.pattern) {
            (Some(l), None) => {
                if l.len() > BULK_MAX {
                    return Err(vec![FieldError::new("labels", format!("at most {BULK_MAX} units per request"))]);
                }
                l.clone()
            }
            (None, Some(p)) => {
                if p.chars().count() > 200 {
                    return Err(vec![FieldError::new("pattern", "must be at most 200 characters")]);
                }
                super::pattern::expand(p, BULK_MAX).map_err(|m| vec![FieldError::new("pattern", m)])?
            }
            _ => return Err(vec![FieldError::new("labels", "give exactly one of labels or pattern")]),
        };
        if labels.is_empty() {
            return Err(vec![FieldError::new("labels", "must not be empty")]);
        }
        let mut e = Vec::new();
        for (i, l) in labels.iter().enumerate() {
            check_text(&mut e, &format!("labels[{i}]"), l, LABEL_MAX);
        }
        if e.is_empty() {
            Ok(labels.into_iter().map(|l| l.trim().to_owned()).collect())
        } else {
            Err(e)
        }
    }
}

impl Validate for BulkUnits {
    fn validate(&self) -> Vec<FieldError> {
        self.labels().err().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkCreated {
    pub items: Vec<Unit>,
}

/// The stretch of days an activated lease covers on its unit: `start..=end` (open-ended while
/// month-to-month). Ending a lease shortens its term to the move-out date; terms are never removed,
/// so occupancy on any past date stays answerable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Term {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day <= e)
    }

    pub fn overlaps(&self, other: &Term) -> bool {
        let starts_before_other_ends = other.end.is_none_or(|e| self.start <= e);
        let ends_after_other_starts = self.end.is_none_or(|e| other.start <= e);
        starts_before_other_ends && ends_after_other_starts
    }
}

/// A lease's term on its unit, as kept on the unit item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitTerm {
    pub lease_id: LeaseId,
    #[serde(flatten)]
    pub term: Term,
}

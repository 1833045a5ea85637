//! Fixed assets and their depreciation: a building's depreciable basis (cost − land value) and
//! capital improvements, depreciated straight-line by month with the mid-month convention
//! (IRS Pub. 946: residential rental 27.5 years, nonresidential 39, or a given life). The
//! monthly job posts each ended month once (deterministic key per asset and month) on Schedule E
//! line 18 (Depreciation) against Accumulated depreciation. Each month's amount is the change in
//! the rounded cumulative total, so the months of a year add up to the year's exact amount.

use super::chart::code;
use super::poster::{post, Origin, Posted};
use super::posting::{Draft, Leg, Source, Tag};
use super::sources::Provenance;
use crate::core::audit::audit;
use crate::ids::{BuildingId, FixedAssetId};
use crate::money::{Currency, Money, MoneyDto, StoredMoney};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, Query, Tx};
use crate::validation::{check_text, Validate};
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const ASSET_ENTITY: &str = "FixedAsset";
/// Most months one run posts (a long catch-up continues on the next day's run).
pub const MONTHS_PER_RUN: usize = 240;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Residential rental property: 27.5 years.
    #[serde(rename = "residential_27_5")]
    Residential275,
    /// Nonresidential real property: 39 years.
    #[serde(rename = "commercial_39")]
    Commercial39,
    /// Straight line over `lifeYears`.
    StraightLine,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FixedAsset {
    pub id: FixedAssetId,
    pub building_id: BuildingId,
    pub name: String,
    pub cost: MoneyDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_value: Option<MoneyDto>,
    /// Cost − land value: what is depreciated.
    pub basis: MoneyDto,
    pub placed_in_service: NaiveDate,
    pub method: Method,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_years: Option<u32>,
    /// The last month (`YYYY-MM`) whose depreciation is posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depreciated_through: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateFixedAsset {
    #[schema(value_type = BuildingId)]
    pub building_id: String,
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    #[schema(value_type = crate::money::MoneyInput)]
    pub cost: MoneyDto,
    #[serde(deserialize_with = "crate::validation::date::strict")]
    #[schema(value_type = String, format = Date)]
    pub placed_in_service: NaiveDate,
    pub method: Method,
    /// Required with `straight_line` (1–100).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100)]
    pub life_years: Option<u32>,
    /// Not depreciated (land is not used up).
    #[serde(default)]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub land_value: Option<MoneyDto>,
}

impl Validate for CreateFixedAsset {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        crate::ids::check_id(&mut e, "buildingId", Some(&self.building_id), BuildingId::parse, "a building id");
        match (self.method, self.life_years) {
            (Method::StraightLine, Some(1..=100)) | (Method::Residential275 | Method::Commercial39, None) => {}
            (Method::StraightLine, _) => e.push(FieldError::new("lifeYears", "straight_line needs 1–100 years")),
            _ => e.push(FieldError::new("lifeYears", "only with straight_line")),
        }
        e
    }
}

/// The asset's life in months.
pub fn life_months(method: Method, life_years: Option<u32>) -> i64 {
    match method {
        Method::Residential275 => 330,
        Method::Commercial39 => 468,
        Method::StraightLine => i64::from(life_years.unwrap_or(1)) * 12,
    }
}

fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// Depreciation through the end of `month` (any day in it), rounded half up to the minor unit:
/// half a month in the month placed in service, a whole one for each month after, never more
/// than the basis.
pub fn cumulative(basis: i64, life: i64, placed: NaiveDate, month: NaiveDate) -> i64 {
    let months = month_index(month) - month_index(placed);
    if months < 0 || basis <= 0 || life <= 0 {
        return 0;
    }
    let halves = i128::from(1 + 2 * months);
    let (num, den) = (i128::from(basis) * halves, 2 * i128::from(life));
    let rounded = (2 * num + den) / (2 * den);
    (rounded as i64).min(basis)
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("a month starts") - chrono::Duration::days(1)
}

fn first_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first")
}

/// The months to post on `run_date` after `through`: each ended month's date (its last day)
/// and amount, at most `MONTHS_PER_RUN`.
pub fn due_months(a: &FixedAssetRecord, through: Option<NaiveDate>, run_date: NaiveDate) -> Vec<(NaiveDate, i64)> {
    let life = life_months(a.method, a.life_years);
    let mut m = match through {
        Some(t) => first_of(month_end(t) + chrono::Duration::days(1)),
        None => first_of(a.placed_in_service),
    };
    let mut out = Vec::new();
    while month_end(m) <= run_date && out.len() < MONTHS_PER_RUN {
        let prev = if first_of(m) == first_of(a.placed_in_service) {
            0
        } else {
            cumulative(a.basis, life, a.placed_in_service, m - chrono::Duration::days(1))
        };
        let now = cumulative(a.basis, life, a.placed_in_service, m);
        if now == prev && now == a.basis {
            break;
        }
        out.push((month_end(m), now - prev));
        m = month_end(m) + chrono::Duration::days(1);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixedAssetRecord {
    pub id: FixedAssetId,
    pub building_id: BuildingId,
    pub name: String,
    pub cost: StoredMoney,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_value: Option<i64>,
    pub basis: i64,
    pub placed_in_service: NaiveDate,
    pub method: Method,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depreciated_through: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl From<FixedAssetRecord> for FixedAsset {
    fn from(r: FixedAssetRecord) -> Self {
        let c = r.cost.currency;
        FixedAsset {
            id: r.id,
            building_id: r.building_id,
            name: r.name,
            cost: Money::from(r.cost).into(),
            land_value: r.land_value.map(|l| Money::new(l, c).into()),
            basis: Money::new(r.basis, c).into(),
            placed_in_service: r.placed_in_service,
            method: r.method,
            life_years: r.life_years,
            depreciated_through: r.depreciated_through.map(|d| d.format("%Y-%m").to_string()),
            created_at: r.created_at,
        }
    }
}

fn item(cx: &Ctx<'_>, a: &FixedAssetRecord) -> db::Item {
    ItemBuilder::new(ASSET_ENTITY, &keys::fixed_asset(cx.scope, &a.id), a).build()
}

pub async fn create_fixed_asset(cx: &Ctx<'_>, input: CreateFixedAsset) -> Result<FixedAsset> {
    let cost = input.cost.to_money("cost").map_err(|e| Error::Invalid(vec![e]))?;
    if cost.minor <= 0 || cost.minor > crate::billing::model::MAX_MINOR {
        return Err(Error::invalid("cost.amount", "must be more than zero"));
    }
    let land = match &input.land_value {
        Some(l) => {
            let m = l.to_money("landValue").map_err(|e| Error::Invalid(vec![e]))?;
            if m.currency != cost.currency {
                return Err(Error::invalid("landValue.currency", format!("the cost is in {}", cost.currency)));
            }
            if m.minor >= cost.minor {
                return Err(Error::invalid("landValue.amount", "must be less than the cost"));
            }
            Some(m.minor)
        }
        None => None,
    };
    let building = BuildingId::parse(&input.building_id).ok_or(Error::NotFound("building"))?;
    cx.db.get(&keys::building(cx.scope, &building)).await?.ok_or(Error::NotFound("building"))?;
    let a = FixedAssetRecord {
        id: FixedAssetId::new(),
        building_id: building,
        name: input.name.trim().to_owned(),
        cost: StoredMoney::from(cost),
        land_value: land,
        basis: cost.minor - land.unwrap_or(0),
        placed_in_service: input.placed_in_service,
        method: input.method,
        life_years: input.life_years,
        depreciated_through: None,
        created_at: cx.now,
    };
    let mut tx = Tx::new();
    tx.put(item(cx, &a), Some(Expr::not_exists()));
    let shown = FixedAsset::from(a.clone());
    audit(
        &mut tx,
        cx,
        "fixed_asset.created",
        ("fixed_asset", a.id.as_str()),
        None,
        Some(serde_json::to_value(&shown).expect("serializes")),
    );
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    Ok(shown)
}

pub async fn assets(cx: &Ctx<'_>) -> Result<Vec<FixedAssetRecord>> {
    let (pk, prefix) = keys::fixed_assets(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn list_fixed_assets(cx: &Ctx<'_>) -> Result<Vec<FixedAsset>> {
    Ok(assets(cx).await?.into_iter().map(FixedAsset::from).collect())
}

/// Who posts depreciation.
pub const DEPRECIATOR: &str = "system:depreciation";

/// The entry of one month's depreciation of `a`.
pub fn draft(a: &FixedAssetRecord, date: NaiveDate, minor: i64, c: Currency) -> Draft {
    let month = date.format("%Y-%m").to_string();
    let tag = Tag { building_id: Some(a.building_id.to_string()), unit_id: None, of: None };
    let leg = |account: &str, minor: i64| Leg {
        account: account.to_owned(),
        currency: c,
        minor,
        base: None,
        tag: tag.clone(),
    };
    Draft {
        key: format!("depreciation:{}:{month}", a.id),
        source: Source { type_: "depreciation".into(), id: format!("{}#{month}", a.id) },
        date,
        memo: format!("depreciation {month}: {}", a.name),
        legs: vec![leg(code::DEPRECIATION, minor), leg(code::ACCUMULATED_DEPRECIATION, -minor)],
    }
}

/// Posts every ended month not yet posted for every asset; answers how many entries were new.
pub async fn run_depreciation(cx: &Ctx<'_>, run_date: NaiveDate) -> Result<usize> {
    let mut new = 0;
    for a in assets(cx).await? {
        let months = due_months(&a, a.depreciated_through, run_date);
        let Some(last) = months.last().map(|(d, _)| *d) else { continue };
        for (date, minor) in months.into_iter().filter(|(_, m)| *m > 0) {
            let from = Provenance::Depreciation { asset_id: a.id.clone(), date, minor };
            if let Posted::New(_) =
                post(cx, &draft(&a, date, minor, a.cost.currency), Origin::Automatic, DEPRECIATOR, &from).await?
            {
                new += 1;
            }
        }
        let watermark = Expr::new("SET depreciatedThrough = :d").value(":d", db::s(last.to_string()));
        let mut tx = Tx::new();
        tx.update(keys::fixed_asset(cx.scope, &a.id), watermark, Some(Expr::exists()));
        cx.db.transact(tx).await?;
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn asset(basis: i64, placed: &str, method: Method, life: Option<u32>) -> FixedAssetRecord {
        FixedAssetRecord {
            id: FixedAssetId::new(),
            building_id: BuildingId::new(),
            name: "Oak Court".into(),
            cost: StoredMoney { minor: basis, currency: Currency::parse("USD").unwrap() },
            land_value: None,
            basis,
            placed_in_service: d(placed),
            method,
            life_years: life,
            depreciated_through: None,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_first_year_of_a_residential_building_is_nine_and_a_half_months() {
        // 275,000 × (9.5 / 12) / 27.5 = 7,916.67 (the figure).
        assert_eq!(cumulative(27_500_000, 330, d("2026-03-10"), d("2026-12-31")), 791_667);
        let a = asset(27_500_000, "2026-03-10", Method::Residential275, None);
        let months = due_months(&a, None, d("2026-12-31"));
        assert_eq!(months.len(), 10, "March to December");
        assert_eq!(months[0], (d("2026-03-31"), 41_667), "half a month in March");
        assert_eq!(months.iter().map(|m| m.1).sum::<i64>(), 791_667, "the months add up to the year");
        assert!(due_months(&a, None, d("2026-03-30")).is_empty(), "March has not ended");
        let rest = due_months(&a, Some(d("2026-12-31")), d("2027-02-28"));
        assert_eq!(rest.iter().map(|m| m.0).collect::<Vec<_>>(), [d("2027-01-31"), d("2027-02-28")]);
    }

    #[test]
    fn depreciation_stops_at_the_basis() {
        let a = asset(1_000, "2020-01-15", Method::StraightLine, Some(1));
        let all = due_months(&a, None, d("2030-12-31"));
        assert_eq!(all.iter().map(|m| m.1).sum::<i64>(), 1_000);
        assert_eq!(all.len(), 13, "half of January, eleven months, the last half in January");
        assert_eq!(cumulative(1_000, 468, d("2026-05-01"), d("2026-04-30")), 0, "nothing before service");
    }
}

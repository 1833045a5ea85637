//! The `leases` import: one lease per row on a unit (its building's name, its label) for tenants
//! already in the org (their emails, `;` between them, the first the primary tenant), created as
//! `POST …/leases` creates one and activated as `…:activate` does unless the row says `draft`.
//! Its id comes from the unit and the start date, and a lease of the unit starting that day is
//! the row's already, so importing the file again creates nothing. A row overlapping an
//! activated lease of its unit, or an earlier row of the file on the same unit, is refused on
//! `startDate`.

use super::kinds::{object, refused, Kind, Problems, Row, Settled, UnitLeases, Written};
use super::model::ImportKind;
use crate::ids::{LeaseId, TenantId, UnitId};
use crate::leasing::model::{email_key, CreateLease, Term, MAX_TENANTS};
use crate::money::Currency;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Key, Tx};
use crate::validation::Validate;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::HashMap;

pub struct Leases;

/// What lease rows are checked against: the org's units and their leases, its tenants by
/// email, and its base currency (a row's rent is in it unless the row names another).
pub struct LeaseBook {
    units: UnitLeases,
    tenants: HashMap<String, TenantId>,
    currency: Currency,
}

/// A lease to create: its id, what `POST …/leases` would have been sent, and whether to
/// activate it.
#[derive(Debug, Clone)]
pub struct LeasePlan {
    pub id: LeaseId,
    pub input: CreateLease,
    pub activate: bool,
}

impl LeasePlan {
    fn term(&self) -> Term {
        Term { start: self.input.start_date, end: self.input.end_date }
    }
}

impl Kind for Leases {
    type Plan = LeasePlan;
    type Lookup = LeaseBook;
    const KIND: ImportKind = ImportKind::Leases;
    const COLUMNS: &'static [&'static str] =
        &["building", "unit", "tenants", "startDate", "endDate", "rent", "currency", "dueDay", "deposit", "status"];
    /// `startDate` last: a second row of one unit and start date is reported on it.
    const REQUIRED: &'static [&'static str] = &["building", "unit", "tenants", "rent", "dueDay", "startDate"];
    const EXAMPLE: &'static [&'static [&'static str]] = &[
        &[
            "Elm Court",
            "1A",
            "ada.lee@example.com",
            "2026-01-01",
            "2026-12-31",
            "1450.00",
            "USD",
            "1",
            "1450.00",
            "active",
        ],
        &[
            "Elm Court",
            "1B",
            "sam.ortiz@example.com;kim.ortiz@example.com",
            "2026-02-01",
            "",
            "1200.00",
            "",
            "5",
            "",
            "",
        ],
    ];
    /// The lease, a check and a party per tenant, the unit's count, the event.
    const ITEMS_PER_ROW: usize = 3 + 2 * MAX_TENANTS;
    const BULK: bool = false;

    async fn lookup(cx: &Ctx<'_>) -> Result<LeaseBook> {
        let units = UnitLeases::read(cx).await?;
        let tenants = crate::leasing::service::all_tenants(cx).await?;
        let org = crate::core::service::get_org(cx).await?;
        Ok(LeaseBook {
            units,
            tenants: tenants.into_iter().map(|t| (email_key(&t.email), t.id)).collect(),
            currency: org.base_currency,
        })
    }

    fn plan(
        b: &LeaseBook,
        row: &Row,
        _: chrono::DateTime<chrono::Utc>,
    ) -> std::result::Result<(String, LeasePlan), Problems> {
        let mut problems = Problems::new();
        let mut row = row.clone();
        let unit = b.units.unit(row.remove("building"), row.remove("unit"), &mut problems).cloned();
        let tenants = b.tenant_ids(row.remove("tenants"), &mut problems);
        let activate = activate(row.remove("status"), &mut problems);
        let input = b.input(row, unit.as_ref(), tenants, &mut problems);
        let (Some(unit), Some(input)) = (unit, input) else { return Err(problems) };
        if !problems.is_empty() {
            return Err(problems);
        }
        let key = format!("{unit}#{}", input.start_date);
        let existing = b.units.leases.get(&unit).into_iter().flatten().find(|l| l.start_date == input.start_date);
        let plan = match existing {
            Some(l) => LeasePlan { id: l.id.clone(), input, activate },
            None => LeasePlan { id: lease_id(&unit, input.start_date), input, activate },
        };
        if activate && existing.is_none() {
            if let Some(other) = b.overlapping(&unit, &plan) {
                return Err(vec![("startDate".into(), other)]);
            }
        }
        Ok((key, plan))
    }

    fn existing_key(cx: &Ctx<'_>, p: &LeasePlan) -> Key {
        keys::lease(cx.scope, &p.id)
    }

    fn write(_: &mut Tx, _: &Ctx<'_>, _: &[&LeasePlan]) {
        unreachable!("leases are written one by one (BULK is false)")
    }

    async fn write_one<'a>(cx: &'a Ctx<'a>, p: &'a LeasePlan) -> Result<Written> {
        use crate::leasing::service::{activate_lease, create_lease_as};
        match create_lease_as(cx, p.input.clone(), p.id.clone()).await {
            Ok(_) => {}
            Err(Error::NotFound(_) | Error::Invalid(_) | Error::Conflict(_)) => {
                let why = "not created: the lease is there already, or its unit or a tenant is gone";
                return Ok(Written::Refused(Some(("row".into(), why.into()))));
            }
            Err(e) => return Err(e),
        }
        if !p.activate {
            return Ok(Written::Created);
        }
        match activate_lease(cx, p.id.as_str()).await {
            Ok(_) => Ok(Written::Created),
            Err(Error::Conflict(why)) => {
                Ok(Written::Refused(Some(("startDate".into(), format!("created as a draft, not activated: {why}")))))
            }
            Err(e) => Err(e),
        }
    }

    /// A row whose term overlaps an earlier row's on the same unit is refused on `startDate`.
    fn settle(planned: Vec<(u32, LeasePlan)>) -> Settled<LeasePlan> {
        let mut taken: HashMap<String, Vec<(u32, Term)>> = HashMap::new();
        let (mut kept, mut refused) = (Vec::new(), Vec::new());
        for (line, plan) in planned {
            let (unit, term) = (plan.input.unit_id.clone(), plan.term());
            let terms = taken.entry(unit).or_default();
            match terms.iter().find(|(_, t)| t.overlaps(&term)) {
                Some((first, t)) => {
                    let why = format!("overlaps line {first}: the same unit {}", span(t));
                    refused.push((line, vec![("startDate".to_owned(), why)]));
                }
                None => {
                    terms.push((line, term));
                    kept.push((line, plan));
                }
            }
        }
        (kept, refused)
    }
}

/// `from 2026-01-01 to 2026-12-31`, or `from 2026-01-01, open-ended`.
fn span(t: &Term) -> String {
    match t.end {
        Some(end) => format!("from {} to {end}", t.start),
        None => format!("from {}, open-ended", t.start),
    }
}

/// The lease a row of `unit` starting on `start` creates (the same row, the same lease).
fn lease_id(unit: &UnitId, start: NaiveDate) -> LeaseId {
    LeaseId::from_ulid(crate::ids::derived_ulid(&["import", "lease", unit.as_str(), &start.to_string()]))
}

/// `status`: `active` (the default) or `draft`.
fn activate(status: Option<String>, problems: &mut Problems) -> bool {
    match status.map(|s| s.to_lowercase()).as_deref() {
        None | Some("active") => true,
        Some("draft") => false,
        Some(_) => {
            problems.push(("status".into(), "must be draft or active".into()));
            true
        }
    }
}

/// The column of the file a field of `CreateLease` comes from.
fn column(field: &str) -> &str {
    match field {
        "unitId" => "unit",
        f if f.starts_with("tenantIds") => "tenants",
        "rent.amount" => "rent",
        "deposit.amount" => "deposit",
        "rent.currency" | "deposit.currency" => "currency",
        f => f,
    }
}

/// Adds `problem` unless its column has one already (one problem per column is enough, and a
/// stand-in value must not be blamed twice).
fn add(problems: &mut Problems, (column, message): (String, String)) {
    if !problems.iter().any(|(c, _)| *c == column) {
        problems.push((column, message));
    }
}

impl LeaseBook {
    /// The tenants a `tenants` cell names by email; the unknown ones are a problem.
    fn tenant_ids(&self, cell: Option<String>, problems: &mut Problems) -> Vec<String> {
        let Some(cell) = cell else {
            problems.push(("tenants".into(), "required".into()));
            return Vec::new();
        };
        let (mut ids, mut unknown) = (Vec::new(), Vec::new());
        for email in cell.split(';').map(str::trim).filter(|e| !e.is_empty()) {
            match self.tenants.get(&email_key(email)) {
                Some(id) => ids.push(id.to_string()),
                None => unknown.push(email),
            }
        }
        if !unknown.is_empty() {
            problems.push(("tenants".into(), format!("no tenant of this org has the email {}", unknown.join(", "))));
        }
        ids
    }

    /// What `POST …/leases` would have been sent for the row, checked by its rules. A bad date
    /// or due day is a problem on its column, and a stand-in keeps the other columns checked.
    fn input(
        &self,
        mut row: Row,
        unit: Option<&UnitId>,
        tenants: Vec<String>,
        problems: &mut Problems,
    ) -> Option<CreateLease> {
        let currency = row.remove("currency").unwrap_or_else(|| self.currency.code().to_owned());
        let money = |amount: String| json!({"amount": amount, "currency": currency});
        let (rent, deposit) = (row.remove("rent").map(money), row.remove("deposit").map(money));
        let due_day = row.remove("dueDay").map(|d| d.parse::<u8>().unwrap_or(0));
        for (column, stand_in) in [("startDate", Some("1900-01-01")), ("endDate", None)] {
            let Some(Err(why)) = row.get(column).map(|d| crate::validation::date::parse(d)) else { continue };
            problems.push((column.to_owned(), why));
            match stand_in {
                Some(s) => row.insert(column.to_owned(), s.to_owned()),
                None => row.remove(column),
            };
        }
        let mut o = object(&row, &[], problems);
        let unit = unit.map_or_else(|| UnitId::from_ulid(ulid::Ulid::nil()).to_string(), UnitId::to_string);
        o.insert("unitId".into(), Value::String(unit));
        o.insert("tenantIds".into(), json!(tenants));
        for (k, v) in [("rent", rent), ("deposit", deposit), ("dueDay", due_day.map(Value::from))] {
            if let Some(v) = v {
                o.insert(k.into(), v);
            }
        }
        let input: CreateLease = match serde_json::from_value(Value::Object(o)) {
            Ok(i) => i,
            Err(e) => {
                add(problems, refused(e, Leases::COLUMNS));
                return None;
            }
        };
        for f in input.validate() {
            add(problems, (column(&f.field).to_owned(), f.message));
        }
        Some(input)
    }

    /// What an activated lease of `unit` overlapping `p` says, if one does.
    fn overlapping(&self, unit: &UnitId, p: &LeasePlan) -> Option<String> {
        let term = p.term();
        let other = self.units.terms.get(unit)?.iter().find(|t| t.lease_id != p.id && t.term.overlaps(&term))?;
        Some(format!("the unit is already leased by {} {}", other.lease_id, span(&other.term)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::fixtures::{day, now, row, usd, Org};
    use crate::leasing::model::LeaseStatus;

    const HEAD: &str = "building,unit,tenants,startDate,endDate,rent,currency,dueDay,deposit,status";

    fn book(org: &Org, leases: &[crate::leasing::model::LeaseRecord]) -> (LeaseBook, [TenantId; 2]) {
        let tenants = [TenantId::new(), TenantId::new()];
        let by_email = [("ada@example.com", &tenants[0]), ("Sam@Example.com", &tenants[1])];
        let book = LeaseBook {
            units: org.unit_leases(leases),
            tenants: by_email.iter().map(|(e, id)| (email_key(e), (*id).clone())).collect(),
            currency: usd(),
        };
        (book, tenants)
    }

    fn problems(book: &LeaseBook, cells: &str) -> Problems {
        Leases::plan(book, &row(HEAD, cells), now()).err().unwrap_or_default()
    }

    #[test]
    fn each_bad_cell_is_a_problem_on_its_own_column() {
        let org = Org::new();
        let (book, _) = book(&org, &[]);
        let cases: &[(&str, &[&str])] = &[
            ("Oak Row,1A,ada@example.com,2026-01-01,,1450.00,,1,,", &["building"]),
            ("Elm Court,9Z,ada@example.com,2026-01-01,,1450.00,,1,,", &["unit"]),
            (",,ada@example.com,2026-01-01,,1450.00,,1,,", &["building", "unit"]),
            ("Elm Court,1A,ada@example.com;bob@example.com,2026-01-01,,1450.00,,1,,", &["tenants"]),
            ("Elm Court,1A,,2026-01-01,,1450.00,,1,,", &["tenants"]),
            ("Elm Court,1A,ada@example.com;ADA@example.com,2026-01-01,,1450.00,,1,,", &["tenants"]),
            ("Elm Court,1A,ada@example.com,2026-02-30,,1450.00,,1,,", &["startDate"]),
            ("Elm Court,1A,ada@example.com,01/02/2026,,1450.00,,1,,", &["startDate"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,2025-12-31,1450.00,,1,,", &["endDate"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,someday,1450.00,,1,,", &["endDate"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,1450.005,,1,,", &["rent"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,0,,1,,", &["rent"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,,,1,,", &["rent"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,1450.00,XYZ,1,,", &["currency"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,1450.00,,31,,", &["dueDay"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,1450.00,,first,,", &["dueDay"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,1450.00,,1,-5,", &["deposit"]),
            ("Elm Court,1A,ada@example.com,2026-01-01,,1450.00,,1,,pending", &["status"]),
            (
                "Oak Row,1A,bob@example.com,2026-13-01,,1450.00,,40,,maybe",
                &["building", "tenants", "status", "startDate", "dueDay"],
            ),
        ];
        for (cells, want) in cases {
            let got: Vec<String> = problems(&book, cells).into_iter().map(|(c, _)| c).collect();
            assert_eq!(got, *want, "{cells}");
        }
        let p = problems(&book, "Elm Court,1A,ada@example.com;bob@example.com,2026-01-01,,1450.00,,1,,");
        assert_eq!(p[0].1, "no tenant of this org has the email bob@example.com");
        assert_eq!(problems(&book, "Elm Court,1A,ada@example.com,2026-01-01,,,,1,,")[0].1, "required");
        assert_eq!(
            problems(&book, "Elm Court,1A,ada@example.com,2026-01-01,,1450.00,,31,,")[0].1,
            "must be from 1 to 28"
        );
    }

    #[test]
    fn a_good_row_is_what_post_leases_would_be_sent_with_a_derived_id() {
        let org = Org::new();
        let (book, tenants) = book(&org, &[]);
        let cells = "elm  court,1a, sam@example.com ; ada@example.com,2026-01-01,2026-12-31,1450.00,,5,1450.00,";
        let (key, plan) = Leases::plan(&book, &row(HEAD, cells), now()).expect("valid");
        assert_eq!(key, format!("{}#2026-01-01", org.units[0]));
        assert_eq!(plan.input.unit_id, org.units[0].to_string());
        assert_eq!(plan.input.tenant_ids, [tenants[1].to_string(), tenants[0].to_string()], "the first is primary");
        assert_eq!((plan.input.start_date, plan.input.end_date), (day("2026-01-01"), Some(day("2026-12-31"))));
        assert_eq!((plan.input.rent.amount.as_str(), plan.input.rent.currency.as_str()), ("1450.00", "USD"));
        assert_eq!(plan.input.deposit.as_ref().map(|d| d.currency.as_str()), Some("USD"), "the rent's currency");
        assert_eq!(plan.input.due_day, 5);
        assert!(plan.activate, "active by default");
        let (_, again) = Leases::plan(&book, &row(HEAD, cells), now()).expect("valid");
        assert_eq!(again.id, plan.id, "the same row, the same lease");
        let draft = "Elm Court,1A,ada@example.com,2026-01-01,,1450.00,EUR,1,,Draft";
        let (_, draft) = Leases::plan(&book, &row(HEAD, draft), now()).expect("valid");
        assert!(!draft.activate);
        assert_eq!(draft.input.rent.currency, "EUR");
    }

    #[test]
    fn a_lease_of_the_unit_starting_that_day_is_the_rows_and_an_overlap_is_refused_on_start_date() {
        let org = Org::new();
        let there = org.lease(0, LeaseStatus::Active, "2025-01-01", Some("2025-12-31"));
        let (book, _) = book(&org, std::slice::from_ref(&there));
        let (_, same) =
            Leases::plan(&book, &row(HEAD, "Elm Court,1A,ada@example.com,2025-01-01,,1450.00,,1,,"), now()).unwrap();
        assert_eq!(same.id, there.id, "counted as existing, not refused as an overlap");
        let overlap = problems(&book, "Elm Court,1A,ada@example.com,2025-06-01,,1450.00,,1,,");
        assert_eq!(
            overlap,
            [(
                "startDate".to_owned(),
                format!("the unit is already leased by {} from 2025-01-01 to 2025-12-31", there.id)
            )]
        );
        assert!(problems(&book, "Elm Court,1A,ada@example.com,2025-06-01,,1450.00,,1,,draft").is_empty(), "drafts may");
        assert!(problems(&book, "Elm Court,1A,ada@example.com,2026-01-01,,1450.00,,1,,").is_empty(), "after it");
        assert!(problems(&book, "Elm Court,1B,ada@example.com,2025-06-01,,1450.00,,1,,").is_empty(), "another unit");
    }

    #[test]
    fn a_later_row_overlapping_an_earlier_one_on_its_unit_is_refused() {
        let org = Org::new();
        let (book, _) = book(&org, &[]);
        let plan = |cells: &str| Leases::plan(&book, &row(HEAD, cells), now()).expect("valid").1;
        let planned = vec![
            (2, plan("Elm Court,1A,ada@example.com,2025-01-01,2025-12-31,1450.00,,1,,")),
            (3, plan("Elm Court,1B,ada@example.com,2025-06-01,,1450.00,,1,,")),
            (4, plan("Elm Court,1A,sam@example.com,2025-12-01,,1450.00,,1,,draft")),
            (5, plan("Elm Court,1A,sam@example.com,2026-01-01,,1450.00,,1,,")),
        ];
        let (kept, refused) = Leases::settle(planned);
        assert_eq!(kept.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 3, 5]);
        assert_eq!(
            refused,
            [(
                4,
                vec![(
                    "startDate".to_owned(),
                    "overlaps line 2: the same unit from 2025-01-01 to 2025-12-31".to_owned()
                )]
            )]
        );
    }
}

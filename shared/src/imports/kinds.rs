//! How each kind of import reads its rows: its columns (the template), how a row becomes a
//! record or field errors, how the rows settle against one another (merged, or one refused for
//! an earlier one), the key that says a row is already in the org, and the writes of a chunk of
//! rows. `leases` and `opening` hold the kinds that need a module of their own.

use super::model::ImportKind;
use crate::leasing::model::{email_key, CreateTenant, Tenant};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Key, Tx};
use crate::properties::model::{Building, CreateUnit, UnitRecord};
use crate::validation::Validate;
use crate::Result;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A data row: column → non-empty cell (trimmed).
pub type Row = BTreeMap<String, String>;

/// A row's problems: (column, message).
pub type Problems = Vec<(String, String)>;

/// What writing one row alone did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Created,
    /// Not written: on this column, for this reason; or (`None`) for the usual reason of its
    /// kind (it is there already, or what it names changed meanwhile).
    Refused(Option<(String, String)>),
}

/// Rows planned together (`Kind::settle`): the ones kept, and the lines refused with why.
pub type Settled<P> = (Vec<(u32, P)>, Vec<(u32, Problems)>);

/// One kind of import.
pub trait Kind {
    type Plan: Send + Sync;
    /// What the rows are checked against, read once per file (buildings by name, say).
    type Lookup: Send + Sync;
    const KIND: ImportKind;
    /// The columns, in the template's order; the required ones.
    const COLUMNS: &'static [&'static str];
    const REQUIRED: &'static [&'static str];
    /// The template's example rows.
    const EXAMPLE: &'static [&'static [&'static str]];
    /// Table items one row writes.
    const ITEMS_PER_ROW: usize;

    fn lookup(cx: &Ctx<'_>) -> impl std::future::Future<Output = Result<Self::Lookup>> + Send;
    /// The row as a record, with its natural key (two rows with one key are duplicates).
    fn plan(
        lookup: &Self::Lookup,
        row: &Row,
        now: chrono::DateTime<chrono::Utc>,
    ) -> std::result::Result<(String, Self::Plan), Problems>;
    /// The item whose existence says the row is already in the org.
    fn existing_key(cx: &Ctx<'_>, plan: &Self::Plan) -> Key;
    /// The writes of `plans` (one chunk).
    fn write(tx: &mut Tx, cx: &Ctx<'_>, plans: &[&Self::Plan]);

    /// Whether rows are written in shared transactions (`write`), or each on its own through its
    /// domain's service (`write_one`: a payment is allocated as the ledger decides).
    const BULK: bool = true;

    /// Writes one row alone: `Refused` when it could not be (it is reported on its line).
    fn write_one<'a>(
        cx: &'a Ctx<'a>,
        plan: &'a Self::Plan,
    ) -> impl std::future::Future<Output = Result<Written>> + Send + 'a {
        async move {
            let mut tx = Tx::new();
            Self::write(&mut tx, cx, &[plan]);
            match cx.db.transact(tx).await {
                Ok(()) => Ok(Written::Created),
                Err(e) if e.failed_conditions().is_some() || e.is_conflict() => Ok(Written::Refused(None)),
                Err(e) => Err(e.into()),
            }
        }
    }

    /// The valid rows of the file (in file order, duplicates left out) checked against one
    /// another: a kind whose rows only make sense together merges them here (the account rows
    /// of one date are one journal entry), and refuses a row that conflicts with an earlier one
    /// (two leases of one unit overlapping). A merged plan is kept at its last line. The default
    /// keeps every row as it is.
    fn settle(planned: Vec<(u32, Self::Plan)>) -> Settled<Self::Plan> {
        (planned, Vec::new())
    }

    /// How many rows of the file `plan` stands for (a merged one: all of them).
    fn rows(_plan: &Self::Plan) -> u32 {
        1
    }
}

/// The columns as a JSON object of strings, numbers where `numbers` says so.
pub(super) fn object(row: &Row, numbers: &[&str], problems: &mut Problems) -> Map<String, Value> {
    let mut o = Map::new();
    for (k, v) in row {
        let value = if numbers.contains(&k.as_str()) {
            match v.parse::<u64>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    problems.push((k.clone(), "must be a whole number".into()));
                    continue;
                }
            }
        } else {
            Value::String(v.clone())
        };
        o.insert(k.clone(), value);
    }
    o
}

/// A serde refusal of a row's object, on the column it names when it names one.
pub(super) fn refused(e: serde_json::Error, columns: &[&str]) -> (String, String) {
    let text = e.to_string();
    let column = columns.iter().find(|c| text.contains(&format!("`{c}`"))).map_or("row", |c| c);
    let message = match text.starts_with("missing field") {
        true => "required".to_owned(),
        false => text.split(" at line").next().unwrap_or(&text).to_owned(),
    };
    (column.to_owned(), message)
}

pub struct Tenants;

impl Kind for Tenants {
    type Plan = Tenant;
    type Lookup = ();
    const KIND: ImportKind = ImportKind::Tenants;
    const COLUMNS: &'static [&'static str] = &["firstName", "lastName", "email", "phone"];
    const REQUIRED: &'static [&'static str] = &["firstName", "lastName", "email"];
    const EXAMPLE: &'static [&'static [&'static str]] =
        &[&["Ada", "Lee", "ada.lee@example.com", "+1 555 010 0101"], &["Sam", "Ortiz", "sam.ortiz@example.com", ""]];
    const ITEMS_PER_ROW: usize = 3;

    async fn lookup(_: &Ctx<'_>) -> Result<()> {
        Ok(())
    }

    fn plan(_: &(), row: &Row, now: chrono::DateTime<chrono::Utc>) -> std::result::Result<(String, Tenant), Problems> {
        let mut problems = Problems::new();
        let o = object(row, &[], &mut problems);
        let input: CreateTenant =
            serde_json::from_value(Value::Object(o)).map_err(|e| vec![refused(e, Self::COLUMNS)])?;
        problems.extend(input.validate().into_iter().map(|f| (f.field, f.message)));
        if !problems.is_empty() {
            return Err(problems);
        }
        let t = crate::leasing::tenants::new_tenant(input, crate::ids::TenantId::new(), now);
        Ok((email_key(&t.email), t))
    }

    fn existing_key(cx: &Ctx<'_>, t: &Tenant) -> Key {
        keys::tenant_email(cx.scope, &email_key(&t.email))
    }

    fn write(tx: &mut Tx, cx: &Ctx<'_>, plans: &[&Tenant]) {
        for t in plans {
            crate::leasing::tenants::write_new(tx, cx.scope, t);
        }
    }
}

pub struct Units;

/// The org's buildings by name (case and spacing aside).
pub struct Buildings(HashMap<String, Building>);

pub(super) fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl Kind for Units {
    type Plan = UnitRecord;
    type Lookup = Buildings;
    const KIND: ImportKind = ImportKind::Units;
    const COLUMNS: &'static [&'static str] =
        &["building", "label", "bedrooms", "bathrooms", "areaSqft", "marketRent", "currency"];
    const REQUIRED: &'static [&'static str] = &["building", "label"];
    const EXAMPLE: &'static [&'static [&'static str]] =
        &[&["Elm Court", "1A", "2", "1.5", "850", "1450.00", "USD"], &["Elm Court", "1B", "1", "1", "600", "", ""]];
    /// Unit, label reservation, event (the building's counter: once per building per chunk).
    const ITEMS_PER_ROW: usize = 4;

    async fn lookup(cx: &Ctx<'_>) -> Result<Buildings> {
        let all = crate::properties::buildings::all_buildings(cx).await?;
        Ok(Buildings(all.into_iter().map(|b| (name_key(&b.name), b)).collect()))
    }

    fn plan(
        b: &Buildings,
        row: &Row,
        now: chrono::DateTime<chrono::Utc>,
    ) -> std::result::Result<(String, UnitRecord), Problems> {
        let mut problems = Problems::new();
        let mut row = row.clone();
        let building = row.remove("building").and_then(|n| b.0.get(&name_key(&n)));
        match (building, row.contains_key("label")) {
            (None, _) => problems.push(("building".into(), "no building of this org has that name".into())),
            (Some(b), _) if b.archived => problems.push(("building".into(), "the building is archived".into())),
            _ => {}
        }
        let currency = row.remove("currency");
        let rent = row.remove("marketRent");
        let mut o = object(&row, &["bedrooms", "areaSqft"], &mut problems);
        match (rent, currency) {
            (Some(amount), Some(currency)) => {
                o.insert("marketRent".into(), serde_json::json!({"amount": amount, "currency": currency}));
            }
            (Some(_), None) => problems.push(("currency".into(), "required with marketRent".into())),
            (None, Some(_)) => problems.push(("marketRent".into(), "required with currency".into())),
            (None, None) => {}
        }
        let input: CreateUnit = match serde_json::from_value(Value::Object(o)) {
            Ok(i) => i,
            Err(e) => {
                problems.push(refused(e, Self::COLUMNS));
                return Err(problems);
            }
        };
        problems.extend(
            input.validate().into_iter().map(|f| (f.field.replace("marketRent.amount", "marketRent"), f.message)),
        );
        let Some(building) = building.filter(|_| problems.is_empty()) else { return Err(problems) };
        let unit = crate::properties::units::new_unit(&building.id, input, now).map_err(|e| match e {
            crate::Error::Invalid(f) => f.into_iter().map(|f| (f.field, f.message)).collect(),
            other => vec![("row".to_owned(), other.to_string())],
        })?;
        Ok((format!("{}#{}", building.id, keys::label_key(&unit.label)), unit))
    }

    fn existing_key(cx: &Ctx<'_>, u: &UnitRecord) -> Key {
        keys::unit_label(cx.scope, &u.building_id, &u.label)
    }

    fn write(tx: &mut Tx, cx: &Ctx<'_>, plans: &[&UnitRecord]) {
        let mut per_building: BTreeMap<&crate::ids::BuildingId, i64> = BTreeMap::new();
        for u in plans {
            crate::properties::units::create_unit_actions(tx, cx.scope, u);
            *per_building.entry(&u.building_id).or_default() += 1;
        }
        for (b, n) in per_building {
            crate::properties::writes::building_unit_delta(tx, cx.scope, b, n, true);
        }
    }
}

/// The header's problems: unknown columns, missing required ones.
pub fn check_header<K: Kind>(header: &[String]) -> Problems {
    let mut out = Problems::new();
    let mut seen = HashSet::new();
    for h in header {
        if !K::COLUMNS.contains(&h.as_str()) {
            out.push((
                h.clone(),
                format!("not a column of a {} import (columns: {})", K::KIND.as_str(), K::COLUMNS.join(", ")),
            ));
        } else if !seen.insert(h.as_str()) {
            out.push((h.clone(), "the column appears twice".into()));
        }
    }
    for r in K::REQUIRED {
        if !header.iter().any(|h| h == r) {
            out.push(((*r).to_owned(), "a required column is missing".into()));
        }
    }
    out
}

/// The template of `kind`: its header and example rows, as CSV.
pub fn template_of(kind: ImportKind) -> String {
    match kind {
        ImportKind::Tenants => template::<Tenants>(),
        ImportKind::Units => template::<Units>(),
        ImportKind::Payments => template::<Payments>(),
        ImportKind::Expenses => template::<Expenses>(),
        ImportKind::Leases => template::<super::leases::Leases>(),
        ImportKind::OpeningBalances => template::<super::opening::OpeningBalances>(),
    }
}

/// The template of `K`: the header and the example rows, as CSV.
pub fn template<K: Kind>() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(K::COLUMNS).expect("writes to memory");
    for row in K::EXAMPLE {
        w.write_record(*row).expect("writes to memory");
    }
    String::from_utf8(w.into_inner().expect("flushes to memory")).expect("UTF-8")
}

/// Tenant payments recorded by hand before the org moved here: one per row, on the lease of
/// the unit (`building`'s name, `unit`'s label) on the day it was received, allocated as the
/// ledger allocates any payment. Its id comes from the row, so a second import finds it.
pub struct Payments;

/// The org's units by building name and label, the terms of their activated leases, and the
/// leases of each unit.
pub struct UnitLeases {
    pub(super) units: HashMap<(String, String), crate::ids::UnitId>,
    pub(super) buildings: HashSet<String>,
    pub(super) terms: HashMap<crate::ids::UnitId, Vec<crate::leasing::model::UnitTerm>>,
    pub(super) leases: HashMap<crate::ids::UnitId, Vec<crate::leasing::model::LeaseRecord>>,
}

impl UnitLeases {
    pub(super) async fn read(cx: &Ctx<'_>) -> Result<UnitLeases> {
        let buildings = crate::properties::buildings::all_buildings(cx).await?;
        let names: HashMap<_, _> = buildings.iter().map(|b| (b.id.clone(), name_key(&b.name))).collect();
        let units = crate::properties::units::all_units(cx).await?;
        let (pk, prefix) = keys::leases(cx.scope);
        let q = crate::platform::db::Query::partition(crate::platform::db::Index::Primary, pk).begins_with(prefix);
        let mut leases: HashMap<crate::ids::UnitId, Vec<crate::leasing::model::LeaseRecord>> = HashMap::new();
        for item in cx.db.query_all(q).await? {
            let l: crate::leasing::model::LeaseRecord = crate::platform::db::from_item(item)?;
            leases.entry(l.unit_id.clone()).or_default().push(l);
        }
        Ok(UnitLeases {
            terms: units.iter().map(|u| (u.id.clone(), u.terms.clone())).collect(),
            units: units
                .into_iter()
                .filter_map(|u| Some(((names.get(&u.building_id)?.clone(), keys::label_key(&u.label)), u.id)))
                .collect(),
            buildings: names.into_values().collect(),
            leases,
        })
    }

    /// The unit a row names (its building's name, its label); else a problem on the column at
    /// fault.
    pub(super) fn unit(
        &self,
        building: Option<String>,
        unit: Option<String>,
        problems: &mut Problems,
    ) -> Option<&crate::ids::UnitId> {
        let (Some(building), Some(unit)) = (&building, &unit) else {
            for (column, cell) in [("building", &building), ("unit", &unit)] {
                if cell.is_none() {
                    problems.push((column.into(), "required".into()));
                }
            }
            return None;
        };
        let found = self.units.get(&(name_key(building), keys::label_key(unit)));
        if found.is_none() {
            match self.buildings.contains(&name_key(building)) {
                true => problems.push(("unit".into(), "no unit of that building has this label".into())),
                false => problems.push(("building".into(), "no building of this org has that name".into())),
            }
        }
        found
    }
}

/// A payment to record: its lease, its id, what the API would have been sent.
pub struct PaymentPlan {
    pub lease: crate::ids::LeaseId,
    pub id: crate::ids::PaymentId,
    pub input: crate::billing::model::CreatePayment,
}

impl Kind for Payments {
    type Plan = PaymentPlan;
    type Lookup = UnitLeases;
    const KIND: ImportKind = ImportKind::Payments;
    const COLUMNS: &'static [&'static str] =
        &["building", "unit", "receivedOn", "amount", "currency", "method", "reference"];
    const REQUIRED: &'static [&'static str] = &["building", "unit", "receivedOn", "amount", "currency", "method"];
    const EXAMPLE: &'static [&'static [&'static str]] = &[
        &["Elm Court", "1A", "2026-01-03", "1450.00", "USD", "check", "1042"],
        &["Elm Court", "1B", "2026-01-05", "1200.00", "USD", "ach", ""],
    ];
    const ITEMS_PER_ROW: usize = 25;
    const BULK: bool = false;

    async fn lookup(cx: &Ctx<'_>) -> Result<UnitLeases> {
        UnitLeases::read(cx).await
    }

    fn plan(
        l: &UnitLeases,
        row: &Row,
        _: chrono::DateTime<chrono::Utc>,
    ) -> std::result::Result<(String, PaymentPlan), Problems> {
        use crate::leasing::model::LeaseStatus;
        let mut problems = Problems::new();
        let mut row = row.clone();
        let (building, unit) = (row.remove("building").unwrap_or_default(), row.remove("unit").unwrap_or_default());
        let unit_id = l.units.get(&(name_key(&building), keys::label_key(&unit)));
        if unit_id.is_none() {
            match l.buildings.contains(&name_key(&building)) {
                true => problems.push(("unit".into(), "no unit of that building has this label".into())),
                false => problems.push(("building".into(), "no building of this org has that name".into())),
            }
        }
        let (amount, currency) = (row.remove("amount"), row.remove("currency"));
        let mut o = object(&row, &[], &mut problems);
        if let (Some(a), Some(c)) = (amount, currency) {
            o.insert("amount".into(), serde_json::json!({"amount": a, "currency": c}));
        }
        o.insert("allocate".into(), Value::String("auto".into()));
        let input: crate::billing::model::CreatePayment = match serde_json::from_value(Value::Object(o)) {
            Ok(i) => i,
            Err(e) => {
                problems.push(refused(e, Self::COLUMNS));
                return Err(problems);
            }
        };
        problems.extend(input.validate().into_iter().map(|f| (f.field.replace("amount.amount", "amount"), f.message)));
        let Some(unit_id) = unit_id.filter(|_| problems.is_empty()) else { return Err(problems) };
        let on = input.received_on;
        let lease = l
            .leases
            .get(unit_id)
            .into_iter()
            .flatten()
            .filter(|x| x.status != LeaseStatus::Draft)
            .filter(|x| x.start_date <= on && x.end_date.is_none_or(|end| on <= end + chrono::Duration::days(60)));
        let Some(lease) = lease.max_by_key(|x| x.start_date) else {
            return Err(vec![("receivedOn".into(), "the unit has no lease on that day".into())]);
        };
        if input.amount.currency != lease.rent.currency.code() {
            return Err(vec![("currency".into(), format!("the lease is billed in {}", lease.rent.currency.code()))]);
        }
        let key = format!(
            "{}#{on}#{}#{}",
            lease.id,
            input.amount.amount,
            input.reference.as_deref().unwrap_or_default().to_lowercase()
        );
        Ok((key.clone(), PaymentPlan { lease: lease.id.clone(), id: Self::id_of(&lease.id, &key), input }))
    }

    fn existing_key(cx: &Ctx<'_>, p: &PaymentPlan) -> Key {
        keys::payment(cx.scope, &p.lease, p.input.received_on, &p.id)
    }

    fn write(_: &mut Tx, _: &Ctx<'_>, _: &[&PaymentPlan]) {
        unreachable!("payments are written one by one (BULK is false)")
    }

    async fn write_one<'a>(cx: &'a Ctx<'a>, p: &'a PaymentPlan) -> Result<Written> {
        match crate::billing::payments::record(cx, p.lease.as_str(), p.input.clone(), (p.id.clone(), None), None).await
        {
            Ok(_) => Ok(Written::Created),
            Err(crate::Error::Conflict(_) | crate::Error::Invalid(_) | crate::Error::NotFound(_)) => {
                Ok(Written::Refused(None))
            }
            Err(e) => Err(e),
        }
    }
}

impl Payments {
    /// The payment a row names (the same row, the same payment: a re-import finds it).
    fn id_of(lease: &crate::ids::LeaseId, key: &str) -> crate::ids::PaymentId {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(format!("import\n{lease}\n{key}").as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&h[..16]);
        crate::ids::PaymentId::from_ulid(ulid::Ulid::from_bytes(b))
    }
}

/// Expenses paid before the org moved here: one per row, booked like `POST …/expenses` (its
/// account and the account it was paid from by their codes, the vendor by name, a building or a
/// unit by name and label), one by one, with an id derived from the row so a second import finds
/// it.
pub struct Expenses;

/// The chart by code, the vendors, buildings and units by name.
pub struct Books {
    pub(super) chart: std::collections::BTreeMap<String, crate::books::model::Account>,
    pub(super) vendors: HashMap<String, crate::ids::VendorId>,
    pub(super) buildings: HashMap<String, crate::ids::BuildingId>,
    pub(super) units: HashMap<(String, String), crate::ids::UnitId>,
}

impl Books {
    fn expense_account(a: &crate::books::model::Account) -> Result<(), &'static str> {
        use crate::books::chart::{AccountSubtype, AccountType};
        match a.type_ == AccountType::Expense || a.subtype == Some(AccountSubtype::FixedAsset) {
            true => Ok(()),
            false => Err("an expense or fixed-asset account"),
        }
    }

    fn bank(a: &crate::books::model::Account) -> Result<(), &'static str> {
        use crate::books::chart::AccountSubtype;
        match matches!(a.subtype, Some(AccountSubtype::Bank | AccountSubtype::Cash)) {
            true => Ok(()),
            false => Err("a bank or cash account"),
        }
    }

    /// The id of the active account with `code` that `ok` accepts; else a problem on `column`.
    fn account(
        &self,
        column: &str,
        code: Option<String>,
        ok: fn(&crate::books::model::Account) -> Result<(), &'static str>,
        problems: &mut Problems,
    ) -> Option<String> {
        self.active_account(column, code, ok, problems).map(|a| a.id.to_string())
    }

    /// The active account with `code` that `ok` accepts; else a problem on `column`.
    pub(super) fn active_account(
        &self,
        column: &str,
        code: Option<String>,
        ok: fn(&crate::books::model::Account) -> Result<(), &'static str>,
        problems: &mut Problems,
    ) -> Option<&crate::books::model::Account> {
        let code = code?;
        let problem = match self.chart.get(code.trim()) {
            None => format!("no account of the chart has the code {code}"),
            Some(a) => match ok(a) {
                Ok(()) if !a.archived => return Some(a),
                Ok(()) => format!("account {code} is archived"),
                Err(what) => format!("account {code} is not {what}"),
            },
        };
        problems.push((column.to_owned(), problem));
        None
    }

    /// The expense's scope: a unit (by its building's name and its label), a building, or none.
    fn scope(&self, building: Option<String>, unit: Option<String>, problems: &mut Problems) -> Option<Value> {
        Some(match self.place(building, unit, problems)? {
            (_, Some(u)) => serde_json::json!({"type": "unit", "id": u}),
            (b, None) => serde_json::json!({"type": "building", "id": b}),
        })
    }

    /// A building (by name) and maybe one of its units (by label); none when neither is given,
    /// or when one is wrong (then a problem on its column).
    pub(super) fn place(
        &self,
        building: Option<String>,
        unit: Option<String>,
        problems: &mut Problems,
    ) -> Option<(crate::ids::BuildingId, Option<crate::ids::UnitId>)> {
        let mut refuse = |column: &str, why: &str| {
            problems.push((column.to_owned(), why.to_owned()));
            None
        };
        let name = match (&building, &unit) {
            (None, None) => return None,
            (None, Some(_)) => return refuse("building", "a unit needs its building"),
            (Some(n), _) => name_key(n),
        };
        let Some(id) = self.buildings.get(&name) else {
            return refuse("building", "no building of this org has that name");
        };
        match unit {
            None => Some((id.clone(), None)),
            Some(label) => match self.units.get(&(name, keys::label_key(&label))) {
                Some(u) => Some((id.clone(), Some(u.clone()))),
                None => refuse("unit", "no unit of that building has this label"),
            },
        }
    }
}

impl Kind for Expenses {
    type Plan = (crate::books::expense_model::CreateExpense, crate::ids::ExpenseId);
    type Lookup = Books;
    const KIND: ImportKind = ImportKind::Expenses;
    const COLUMNS: &'static [&'static str] =
        &["date", "amount", "currency", "account", "paidFrom", "vendor", "building", "unit", "memo", "reference"];
    const REQUIRED: &'static [&'static str] = &["date", "amount", "currency", "account", "paidFrom"];
    const EXAMPLE: &'static [&'static [&'static str]] = &[
        &[
            "2026-01-09",
            "1234.56",
            "USD",
            "5140",
            "1000",
            "Ace Plumbing",
            "Elm Court",
            "1A",
            "leak under the sink",
            "INV-311",
        ],
        &["2026-01-15", "86.40", "USD", "5170", "1000", "", "Elm Court", "", "water", ""],
    ];
    const ITEMS_PER_ROW: usize = 6;
    const BULK: bool = false;

    async fn lookup(cx: &Ctx<'_>) -> Result<Books> {
        let chart = crate::books::accounts::chart(cx).await?;
        let vendors = crate::books::vendors::all_vendors(cx)
            .await?
            .into_iter()
            .filter(|v| !v.archived)
            .map(|v| (name_key(&v.name), v.id))
            .collect();
        let all = crate::properties::buildings::all_buildings(cx).await?;
        let names: HashMap<_, _> = all.iter().map(|b| (b.id.clone(), name_key(&b.name))).collect();
        let units = crate::properties::units::all_units(cx)
            .await?
            .into_iter()
            .filter_map(|u| Some(((names.get(&u.building_id)?.clone(), keys::label_key(&u.label)), u.id)))
            .collect();
        Ok(Books { chart, vendors, buildings: all.into_iter().map(|b| (name_key(&b.name), b.id)).collect(), units })
    }

    fn plan(
        b: &Books,
        row: &Row,
        _: chrono::DateTime<chrono::Utc>,
    ) -> std::result::Result<(String, Self::Plan), Problems> {
        let mut problems = Problems::new();
        let mut row = row.clone();
        let account = b.account("account", row.remove("account"), Books::expense_account, &mut problems);
        let paid_from = b.account("paidFrom", row.remove("paidFrom"), Books::bank, &mut problems);
        let vendor = row.remove("vendor").map(|v| b.vendors.get(&name_key(&v)).ok_or(v));
        if let Some(Err(v)) = &vendor {
            problems.push(("vendor".into(), format!("no vendor of this org is named {v}")));
        }
        let scope = b.scope(row.remove("building"), row.remove("unit"), &mut problems);
        let (amount, currency) = (row.remove("amount"), row.remove("currency"));
        let mut o = object(&row, &[], &mut problems);
        if let (Some(a), Some(c)) = (amount, currency) {
            o.insert("amount".into(), serde_json::json!({"amount": a, "currency": c}));
        }
        for (k, v) in [("accountId", account), ("paidFrom", paid_from)] {
            o.insert(k.into(), Value::String(v.unwrap_or_else(|| "acc_00000000000000000000000000".into())));
        }
        if let Some(Ok(v)) = vendor {
            o.insert("vendorId".into(), Value::String(v.to_string()));
        }
        if let Some(s) = scope {
            o.insert("scope".into(), s);
        }
        let input: crate::books::expense_model::CreateExpense = match serde_json::from_value(Value::Object(o)) {
            Ok(i) => i,
            Err(e) => {
                problems.push(refused(e, Self::COLUMNS));
                return Err(problems);
            }
        };
        problems.extend(input.validate().into_iter().map(|f| (f.field.replace("amount.amount", "amount"), f.message)));
        if !problems.is_empty() {
            return Err(problems);
        }
        let key = format!(
            "{}#{}#{}#{}#{}#{}#{}",
            input.date,
            input.amount.amount,
            input.amount.currency,
            input.account_id,
            input.vendor_id.as_deref().unwrap_or_default(),
            input.reference.as_deref().unwrap_or_default().to_lowercase(),
            input.memo.as_deref().unwrap_or_default().to_lowercase()
        );
        let id = {
            use sha2::{Digest, Sha256};
            let h = Sha256::digest(format!("import\nexpense\n{key}").as_bytes());
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&h[..16]);
            crate::ids::ExpenseId::from_ulid(ulid::Ulid::from_bytes(bytes))
        };
        Ok((key, (input, id)))
    }

    fn existing_key(cx: &Ctx<'_>, (input, id): &Self::Plan) -> Key {
        keys::expense(cx.scope, input.date, id)
    }

    fn write(_: &mut Tx, _: &Ctx<'_>, _: &[&Self::Plan]) {
        unreachable!("expenses are written one by one (BULK is false)")
    }

    async fn write_one<'a>(cx: &'a Ctx<'a>, (input, id): &'a Self::Plan) -> Result<Written> {
        let e = match crate::books::expenses::decide_new(cx, input, id.clone()).await {
            Ok(e) => e,
            Err(crate::Error::Invalid(_) | crate::Error::NotFound(_) | crate::Error::Conflict(_)) => {
                return Ok(Written::Refused(None))
            }
            Err(e) => return Err(e),
        };
        let mut tx = Tx::new();
        crate::books::expenses::write_new(&mut tx, cx, &e);
        match cx.db.transact(tx).await {
            Ok(()) => Ok(Written::Created),
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => Ok(Written::Refused(None)),
            Err(e) => Err(e.into()),
        }
    }
}

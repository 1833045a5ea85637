//! The `opening-balances` import: where a landlord's books stood on the day they moved here.
//! Two kinds of row, by `type`:
//!
//! - `tenant_balance`: what the tenant of a unit owed on `date` (a positive amount: a `rent`
//!   charge due that day) or was owed (negative: a `credit`), on the lease holding the unit that
//!   day, added as `POST …/leases/{leaseId}/charges` adds one but marked as an opening balance
//!   (`source: opening_balance`): it was income in the books before ours, so the books credit
//!   opening balance equity (3900), not rent — the account rows must then leave receivables
//!   (1200) out, or they would be counted twice;
//! - `account`: an account of the chart by code and a signed amount (debit positive). The
//!   account rows of one date are one manual journal entry, posted as `POST …/journal` posts
//!   one; they must balance in each currency, or the last of them is refused on `amount` with
//!   the totals (and nothing of that date is written).
//!
//! Every charge and entry has an id derived from its rows, so importing the file again finds
//! them and creates nothing.

use super::kinds::{object, refused, Books, Expenses, Kind, Problems, Row, Settled, UnitLeases, Written};
use super::model::ImportKind;
use crate::billing::model::{ChargeSource, CreateCharge, MAX_MINOR};
use crate::books::model::{ManualEntry, ManualLine};
use crate::ids::{ChargeId, LeaseId, UnitId};
use crate::leasing::model::{LeaseRecord, LeaseStatus};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, Key, Tx};
use crate::validation::Validate;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

pub struct OpeningBalances;

/// What opening balances are checked against: the units and their leases, the chart, the
/// buildings and units by name, the closed months of the books, the org's base currency.
pub struct Opening {
    units: UnitLeases,
    books: Books,
    closed: BTreeSet<String>,
    currency: Currency,
}

/// What one row (or, once settled, one date's account rows) writes.
#[derive(Debug, Clone)]
pub enum OpeningPlan {
    /// A tenant's balance: a charge, or a credit, on the lease of the unit.
    Balance { lease: LeaseId, id: ChargeId, input: CreateCharge },
    /// Account rows of one date: one journal entry.
    Entry(EntryPlan),
}

/// The account rows of one date.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryPlan {
    pub date: NaiveDate,
    pub lines: Vec<AccountLine>,
}

/// One account row: the account, the signed amount (debit positive), where it belongs.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountLine {
    /// The row's natural key (what makes two rows the same).
    pub key: String,
    pub account_id: String,
    pub amount: Money,
    pub building_id: Option<String>,
    pub unit_id: Option<String>,
    pub memo: Option<String>,
}

impl EntryPlan {
    /// The entry's id: from its rows (their order aside), so the same rows post nothing twice.
    pub fn id(&self) -> ulid::Ulid {
        let date = self.date.to_string();
        let mut parts: Vec<&str> = vec!["import", "opening-balances", &date];
        let mut keys: Vec<&str> = self.lines.iter().map(|l| l.key.as_str()).collect();
        keys.sort_unstable();
        parts.extend(keys);
        crate::ids::derived_ulid(&parts)
    }

    /// The rows' memos (each once, in order; `Opening balance` when none has one), cut to the
    /// 200 characters an entry's memo holds.
    fn memo(&self) -> String {
        let mut memos: Vec<&str> = Vec::new();
        for m in self.lines.iter().filter_map(|l| l.memo.as_deref()) {
            if !memos.contains(&m) {
                memos.push(m);
            }
        }
        match memos.is_empty() {
            true => "Opening balance".into(),
            false => memos.join("; ").chars().take(200).collect(),
        }
    }

    /// What `POST …/journal` would have been sent.
    pub fn manual(&self) -> ManualEntry {
        let lines = self
            .lines
            .iter()
            .map(|l| {
                let side = Some(MoneyDto::from(Money::new(l.amount.minor.abs(), l.amount.currency)));
                let debit = l.amount.minor > 0;
                ManualLine {
                    account_id: l.account_id.clone(),
                    debit: side.clone().filter(|_| debit),
                    credit: side.filter(|_| !debit),
                    building_id: l.building_id.clone(),
                    unit_id: l.unit_id.clone(),
                }
            })
            .collect();
        ManualEntry { date: self.date, memo: self.memo(), lines }
    }

    /// Why the rows cannot be one entry: more lines than an entry holds, or debits and credits
    /// that differ in a currency (their totals named).
    pub fn check(&self) -> std::result::Result<(), String> {
        let most = crate::books::poster::MAX_LINES;
        if self.lines.len() > most {
            return Err(format!("{} account rows on {}: one entry holds at most {most}", self.lines.len(), self.date));
        }
        let mut totals: BTreeMap<&str, (Currency, i128, i128)> = BTreeMap::new();
        for l in &self.lines {
            let t = totals.entry(l.amount.currency.code()).or_insert((l.amount.currency, 0, 0));
            match l.amount.minor > 0 {
                true => t.1 += i128::from(l.amount.minor),
                false => t.2 -= i128::from(l.amount.minor),
            }
        }
        match totals.into_values().find(|(_, debits, credits)| debits != credits) {
            None => Ok(()),
            Some((currency, debits, credits)) => {
                let show = |minor: i128| Money::new(minor as i64, currency).amount_string();
                Err(format!(
                    "the account rows of {} do not balance: debits {} {currency}, credits {} {currency}",
                    self.date,
                    show(debits),
                    show(credits)
                ))
            }
        }
    }
}

impl Kind for OpeningBalances {
    type Plan = OpeningPlan;
    type Lookup = Opening;
    const KIND: ImportKind = ImportKind::OpeningBalances;
    const COLUMNS: &'static [&'static str] =
        &["type", "date", "building", "unit", "account", "amount", "currency", "memo"];
    /// `amount` last: a second row the same as an earlier one is reported on it.
    const REQUIRED: &'static [&'static str] = &["type", "date", "amount"];
    const EXAMPLE: &'static [&'static [&'static str]] = &[
        &["tenant_balance", "2026-01-01", "Elm Court", "1A", "", "325.00", "", "January rent still owed"],
        &["tenant_balance", "2026-01-01", "Elm Court", "1B", "", "-50.00", "", "overpaid in December"],
        &["account", "2026-01-01", "", "", "1000", "18250.00", "", "bank balance"],
        &["account", "2026-01-01", "", "", "2100", "-2900.00", "", "deposits held"],
        &["account", "2026-01-01", "", "", "3900", "-15350.00", "", "opening balance equity"],
    ];
    /// A journal entry's lines, its marker, head, source row, event and guard.
    const ITEMS_PER_ROW: usize = crate::books::poster::MAX_LINES + 6;
    const BULK: bool = false;

    async fn lookup(cx: &Ctx<'_>) -> Result<Opening> {
        Ok(Opening {
            units: UnitLeases::read(cx).await?,
            books: Expenses::lookup(cx).await?,
            closed: crate::books::poster::read_closed(cx).await?,
            currency: crate::core::service::get_org(cx).await?.base_currency,
        })
    }

    fn plan(
        o: &Opening,
        row: &Row,
        _: chrono::DateTime<chrono::Utc>,
    ) -> std::result::Result<(String, OpeningPlan), Problems> {
        let mut row = row.clone();
        match row.remove("type").map(|t| t.to_lowercase()).as_deref() {
            Some("tenant_balance") => o.balance(row),
            Some("account") => o.account(row),
            Some(_) => Err(vec![("type".into(), "must be tenant_balance or account".into())]),
            None => Err(vec![("type".into(), "required".into())]),
        }
    }

    fn existing_key(cx: &Ctx<'_>, plan: &OpeningPlan) -> Key {
        match plan {
            OpeningPlan::Balance { lease, id, input } => keys::charge(cx.scope, lease, input.due_date, id),
            OpeningPlan::Entry(e) => {
                keys::journal_id(cx.scope, &crate::books::manual::entry_id(cx.scope.org_id(), e.id()))
            }
        }
    }

    fn write(_: &mut Tx, _: &Ctx<'_>, _: &[&OpeningPlan]) {
        unreachable!("opening balances are written one by one (BULK is false)")
    }

    async fn write_one<'a>(cx: &'a Ctx<'a>, plan: &'a OpeningPlan) -> Result<Written> {
        use crate::books::poster::Posted;
        let written = match plan {
            OpeningPlan::Balance { lease, id, input } => {
                let source = ChargeSource::OpeningBalance;
                crate::billing::service::create_charge_as(cx, lease.as_str(), input.clone(), None, id.clone(), source)
                    .await
                    .map(|_| Written::Created)
            }
            OpeningPlan::Entry(e) => match crate::books::manual::post_manual_as(cx, e.manual(), e.id()).await {
                Ok(Posted::New(_)) => Ok(Written::Created),
                Ok(Posted::Already(_)) => Ok(Written::Refused(None)),
                // A month closed meanwhile, or the books being rebuilt.
                Err(Error::Conflict(why)) => Ok(Written::Refused(Some(("date".into(), why)))),
                Err(e) => Err(e),
            },
        };
        match written {
            Err(e) if refusal(&e) => Ok(Written::Refused(None)),
            other => other,
        }
    }

    /// The account rows of each date become one entry, kept at the date's last line; a date
    /// whose rows do not balance is refused there.
    fn settle(planned: Vec<(u32, OpeningPlan)>) -> Settled<OpeningPlan> {
        let mut kept = Vec::new();
        let mut dates: BTreeMap<NaiveDate, (u32, Vec<AccountLine>)> = BTreeMap::new();
        for (line, plan) in planned {
            match plan {
                OpeningPlan::Entry(e) => {
                    let date = dates.entry(e.date).or_default();
                    date.0 = line;
                    date.1.extend(e.lines);
                }
                balance => kept.push((line, balance)),
            }
        }
        let mut refused = Vec::new();
        for (date, (last, lines)) in dates {
            let entry = EntryPlan { date, lines };
            match entry.check() {
                Ok(()) => kept.push((last, OpeningPlan::Entry(entry))),
                Err(why) => refused.push((last, vec![("amount".to_owned(), why)])),
            }
        }
        kept.sort_by_key(|(line, _)| *line);
        (kept, refused)
    }

    fn rows(plan: &OpeningPlan) -> u32 {
        match plan {
            OpeningPlan::Balance { .. } => 1,
            OpeningPlan::Entry(e) => e.lines.len() as u32,
        }
    }
}

/// Whether a service's error says the row cannot be written (reported on its line), not that
/// the import should be retried.
fn refusal(e: &Error) -> bool {
    matches!(e, Error::Conflict(_) | Error::Invalid(_) | Error::NotFound(_))
        || crate::billing::service::is_existing_charge(e)
}

/// A strict `YYYY-MM-DD` in `column`, or a problem there.
fn date(row: &mut Row, column: &str, problems: &mut Problems) -> Option<NaiveDate> {
    let Some(cell) = row.remove(column) else {
        problems.push((column.to_owned(), "required".into()));
        return None;
    };
    crate::validation::date::parse(&cell).map_err(|why| problems.push((column.to_owned(), why))).ok()
}

/// A signed amount (`-50.00` is owed to the tenant, or a credit): whether it is negative, and
/// its digits; or a problem on `amount`.
fn signed(cell: Option<String>, problems: &mut Problems) -> Option<(bool, String)> {
    let Some(cell) = cell else {
        problems.push(("amount".into(), "required".into()));
        return None;
    };
    let (negative, digits) = match cell.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, cell.strip_prefix('+').unwrap_or(&cell)),
    };
    if !crate::validation::amount::is_unsigned_decimal(digits) {
        problems.push(("amount".into(), "must be a decimal number, such as 1250.00 or -80.00".into()));
        return None;
    }
    Some((negative, digits.to_owned()))
}

/// The column of the file a field of a charge comes from.
fn column(field: &str) -> &str {
    match field {
        "amount.amount" => "amount",
        "amount.currency" => "currency",
        f => f,
    }
}

impl Opening {
    /// The lease holding `unit` on `day`: not a draft, and its term (to its move-out, once
    /// ended) covering the day.
    fn lease_on(&self, unit: &UnitId, day: NaiveDate) -> Option<&LeaseRecord> {
        let leases = self.units.leases.get(unit)?.iter().filter(|l| l.status != LeaseStatus::Draft);
        leases
            .filter(|l| l.start_date <= day && l.move_out_date.or(l.end_date).is_none_or(|end| day <= end))
            .max_by_key(|l| l.start_date)
    }

    /// A `tenant_balance` row: a charge (or a credit) due on `date` on the lease of the unit.
    fn balance(&self, mut row: Row) -> std::result::Result<(String, OpeningPlan), Problems> {
        let mut problems = Problems::new();
        if row.remove("account").is_some() {
            problems.push(("account".into(), "only account rows name an account".into()));
        }
        let unit = self.units.unit(row.remove("building"), row.remove("unit"), &mut problems).cloned();
        let day = date(&mut row, "date", &mut problems);
        let amount = signed(row.remove("amount"), &mut problems);
        let (Some(unit), Some(day), Some((negative, amount))) = (unit, day, amount) else { return Err(problems) };
        let Some(lease) = self.lease_on(&unit, day) else {
            problems.push(("date".into(), "the unit has no lease on that day".into()));
            return Err(problems);
        };
        let billed = lease.rent.currency.code();
        let currency = row.remove("currency").unwrap_or_else(|| billed.to_owned());
        if currency != billed {
            problems.push(("currency".into(), format!("the lease is billed in {billed}")));
        }
        let memo = row.remove("memo").unwrap_or_else(|| "Opening balance".into());
        let mut o = object(&row, &[], &mut problems);
        o.insert("kind".into(), Value::String(if negative { "credit" } else { "rent" }.into()));
        o.insert("amount".into(), json!({"amount": amount, "currency": currency}));
        o.insert("dueDate".into(), Value::String(day.to_string()));
        o.insert("memo".into(), Value::String(memo));
        let input: CreateCharge = serde_json::from_value(Value::Object(o)).map_err(|e| vec![refused(e, &[])])?;
        for f in input.validate() {
            let message = if f.message == "must be more than zero" { "must not be zero".into() } else { f.message };
            problems.push((column(&f.field).to_owned(), message));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let sign = if negative { "-" } else { "" };
        let memo = input.memo.as_deref().unwrap_or_default().to_lowercase();
        let key = format!("balance#{}#{day}#{sign}{}#{memo}", lease.id, input.amount.amount);
        let id = crate::ids::derived_ulid(&["import", "opening-balance", &key]);
        let id = ChargeId::parse(&format!("chg_{id}")).expect("a ULID makes a charge id");
        Ok((key, OpeningPlan::Balance { lease: lease.id.clone(), id, input }))
    }

    /// An `account` row: a line of its date's journal entry.
    fn account(&self, mut row: Row) -> std::result::Result<(String, OpeningPlan), Problems> {
        let mut problems = Problems::new();
        let account = match row.remove("account") {
            None => {
                problems.push(("account".into(), "required".into()));
                None
            }
            code => self.books.active_account("account", code, |_| Ok(()), &mut problems).cloned(),
        };
        let place = self.books.place(row.remove("building"), row.remove("unit"), &mut problems);
        let day = date(&mut row, "date", &mut problems);
        if let Some(month) = day.map(|d| d.format("%Y-%m").to_string()).filter(|m| self.closed.contains(m)) {
            problems.push(("date".into(), format!("{month} is closed in the books; reopen it or date the rows later")));
        }
        let amount = signed(row.remove("amount"), &mut problems);
        let memo = row.remove("memo");
        let mut memo_problems = Vec::new();
        crate::validation::check_opt_text(&mut memo_problems, "memo", memo.as_deref(), 200);
        problems.extend(memo_problems.into_iter().map(|f| (f.field, f.message)));
        let held = account.as_ref().and_then(|a| a.currency.clone());
        let currency = row.remove("currency").or(held.clone()).unwrap_or_else(|| self.currency.code().to_owned());
        if let Some(held) = held.filter(|h| *h != currency) {
            problems.push(("currency".into(), format!("the account holds {held}")));
        }
        let money = amount.and_then(|(negative, digits)| line_amount(negative, digits, &currency, &mut problems));
        let (Some(account), Some(day), Some(amount)) = (account, day, money) else { return Err(problems) };
        if !problems.is_empty() {
            return Err(problems);
        }
        let (building_id, unit_id) = match place {
            Some((b, u)) => (Some(b.to_string()), u.map(|u| u.to_string())),
            None => (None, None),
        };
        let key = format!(
            "account#{day}#{}#{}#{}#{}#{}#{}",
            account.code,
            amount.currency.code(),
            amount.minor,
            building_id.as_deref().unwrap_or_default(),
            unit_id.as_deref().unwrap_or_default(),
            memo.as_deref().unwrap_or_default().to_lowercase()
        );
        let line =
            AccountLine { key: key.clone(), account_id: account.id.to_string(), amount, building_id, unit_id, memo };
        Ok((key, OpeningPlan::Entry(EntryPlan { date: day, lines: vec![line] })))
    }
}

/// A line's signed amount in `currency`; or a problem (on `currency` or `amount`).
fn line_amount(negative: bool, digits: String, currency: &str, problems: &mut Problems) -> Option<Money> {
    let m = match (MoneyDto { amount: digits, currency: currency.to_owned() }).to_money("amount") {
        Ok(m) => m,
        Err(f) => {
            problems.push((column(&f.field).to_owned(), f.message));
            return None;
        }
    };
    let why = match m.minor {
        0 => "must not be zero",
        n if n > MAX_MINOR => "is too large",
        _ => return Some(Money::new(if negative { -m.minor } else { m.minor }, m.currency)),
    };
    problems.push(("amount".into(), why.into()));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::fixtures::{day, now, row, usd, Org};

    const HEAD: &str = "type,date,building,unit,account,amount,currency,memo";

    fn opening(org: &Org, leases: &[LeaseRecord]) -> Opening {
        Opening {
            units: org.unit_leases(leases),
            books: org.books(&["5060"]),
            closed: BTreeSet::from(["2025-12".to_owned()]),
            currency: usd(),
        }
    }

    fn planned(o: &Opening, cells: &str) -> std::result::Result<(String, OpeningPlan), Problems> {
        OpeningBalances::plan(o, &row(HEAD, cells), now())
    }

    fn columns(o: &Opening, cells: &str) -> Vec<String> {
        planned(o, cells).err().unwrap_or_default().into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn each_bad_cell_is_a_problem_on_its_own_column() {
        let org = Org::new();
        let o = opening(&org, &[org.lease(0, LeaseStatus::Active, "2025-06-01", None)]);
        let cases: &[(&str, &[&str])] = &[
            ("balance,2026-01-01,Elm Court,1A,,100.00,,", &["type"]),
            (",2026-01-01,Elm Court,1A,,100.00,,", &["type"]),
            ("tenant_balance,2026-01-01,Oak Row,1A,,100.00,,", &["building"]),
            ("tenant_balance,2026-01-01,Elm Court,9Z,,100.00,,", &["unit"]),
            ("tenant_balance,2026-01-01,,,,100.00,,", &["building", "unit"]),
            ("tenant_balance,2026-01-01,Elm Court,1B,,100.00,,", &["date"]),
            ("tenant_balance,2025-05-31,Elm Court,1A,,100.00,,", &["date"]),
            ("tenant_balance,2026-1-1,Elm Court,1A,,100.00,,", &["date"]),
            ("tenant_balance,2026-01-01,Elm Court,1A,,1OO,,", &["amount"]),
            ("tenant_balance,2026-01-01,Elm Court,1A,,-0.00,,", &["amount"]),
            ("tenant_balance,2026-01-01,Elm Court,1A,,100.001,,", &["amount"]),
            ("tenant_balance,2026-01-01,Elm Court,1A,,100.00,EUR,", &["currency"]),
            ("tenant_balance,2026-01-01,Elm Court,1A,1200,100.00,,", &["account"]),
            ("account,2026-01-01,,,,100.00,,", &["account"]),
            ("account,2026-01-01,,,9999,100.00,,", &["account"]),
            ("account,2026-01-01,,,5060,100.00,,", &["account"]),
            ("account,2025-12-31,,,1000,100.00,,", &["date"]),
            ("account,2026-01-01,,,1000,0,,", &["amount"]),
            ("account,2026-01-01,,,1000,12.345,,", &["amount"]),
            ("account,2026-01-01,,,1000,100.00,XYZ,", &["currency"]),
            ("account,2026-01-01,Oak Row,,1000,100.00,,", &["building"]),
            ("account,2026-01-01,,1A,1000,100.00,,", &["building"]),
            ("account,2026-01-01,Elm Court,9Z,1000,100.00,,", &["unit"]),
        ];
        for (cells, want) in cases {
            assert_eq!(columns(&o, cells), *want, "{cells}");
        }
        let message = |cells: &str| planned(&o, cells).err().unwrap()[0].1.clone();
        assert_eq!(message("tenant_balance,2026-01-01,Elm Court,1B,,100.00,,"), "the unit has no lease on that day");
        assert_eq!(message("tenant_balance,2026-01-01,Elm Court,1A,,-0.00,,"), "must not be zero");
        assert_eq!(message("tenant_balance,2026-01-01,Elm Court,1A,,100.00,EUR,"), "the lease is billed in USD");
        assert_eq!(message("account,2026-01-01,,,5060,100.00,,"), "account 5060 is archived");
        assert_eq!(
            message("account,2025-12-31,,,1000,100.00,,"),
            "2025-12 is closed in the books; reopen it or date the rows later"
        );
    }

    #[test]
    fn a_tenant_balance_is_a_rent_charge_or_a_credit_on_the_lease_of_that_day() {
        let org = Org::new();
        let old = org.lease(0, LeaseStatus::Ended, "2024-01-01", Some("2024-12-31"));
        let lease = org.lease(0, LeaseStatus::Active, "2025-01-01", None);
        let o = opening(&org, &[old, lease.clone(), org.lease(1, LeaseStatus::Draft, "2025-01-01", None)]);
        let charge = |cells: &str| match planned(&o, cells).expect("valid").1 {
            OpeningPlan::Balance { lease, id, input } => (lease, id, input),
            other => panic!("not a balance: {other:?}"),
        };
        let (on, id, owed) = charge("tenant_balance,2026-01-01,elm court,1a,,325.00,,");
        assert_eq!(on, lease.id);
        use crate::billing::model::ChargeKind;
        assert_eq!(
            (owed.kind, owed.amount.amount.as_str(), owed.amount.currency.as_str()),
            (ChargeKind::Rent, "325.00", "USD")
        );
        assert_eq!((owed.due_date, owed.memo.as_deref()), (day("2026-01-01"), Some("Opening balance")));
        assert_eq!(charge("tenant_balance,2026-01-01,elm court,1a,,325.00,,").1, id, "the same row, the same charge");
        let (_, other, credit) = charge("tenant_balance,2026-01-01,Elm Court,1A,,-50.00,USD,overpaid");
        assert_eq!((credit.kind, credit.amount.amount.as_str()), (ChargeKind::Credit, "50.00"));
        assert_eq!(credit.memo.as_deref(), Some("overpaid"));
        assert_ne!(other, id);
        assert_eq!(columns(&o, "tenant_balance,2026-01-01,Elm Court,1B,,10.00,,"), ["date"], "a draft holds nothing");
    }

    fn entry_rows(o: &Opening, rows: &[(u32, &str)]) -> Vec<(u32, OpeningPlan)> {
        rows.iter().map(|(line, cells)| (*line, planned(o, cells).expect("valid").1)).collect()
    }

    #[test]
    fn the_account_rows_of_a_date_are_one_balanced_entry_kept_at_its_last_line() {
        let org = Org::new();
        let o = opening(&org, &[org.lease(0, LeaseStatus::Active, "2025-06-01", None)]);
        let rows = entry_rows(
            &o,
            &[
                (2, "account,2026-01-01,,,1000,18250.00,,bank"),
                (3, "tenant_balance,2026-01-01,Elm Court,1A,,325.00,,"),
                (4, "account,2026-01-01,Elm Court,,2100,-2900.00,,deposits"),
                (5, "account,2026-01-01,,,3000,-15350.00,,"),
            ],
        );
        let (kept, refused) = OpeningBalances::settle(rows.clone());
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(kept.iter().map(|(l, p)| (*l, OpeningBalances::rows(p))).collect::<Vec<_>>(), [(3, 1), (5, 3)]);
        let OpeningPlan::Entry(entry) = &kept[1].1 else { panic!("an entry") };
        let manual = entry.manual();
        assert_eq!((manual.date, manual.memo.as_str()), (day("2026-01-01"), "bank; deposits"));
        let sides: Vec<_> = manual
            .lines
            .iter()
            .map(|l| (l.debit.as_ref().map(|m| m.amount.as_str()), l.credit.as_ref().map(|m| m.amount.as_str())))
            .collect();
        assert_eq!(sides, [(Some("18250.00"), None), (None, Some("2900.00")), (None, Some("15350.00"))]);
        assert_eq!(manual.lines[1].building_id, Some(org.building.to_string()));
        let mut reordered = rows.clone();
        reordered.reverse();
        let (again, _) = OpeningBalances::settle(reordered);
        let OpeningPlan::Entry(same) = &again.iter().find(|(_, p)| OpeningBalances::rows(p) == 3).unwrap().1 else {
            panic!("an entry")
        };
        assert_eq!(same.id(), entry.id(), "the id comes from the rows, not their order");
    }

    #[test]
    fn a_date_that_does_not_balance_is_one_error_on_its_last_row_naming_the_totals() {
        let org = Org::new();
        let o = opening(&org, &[]);
        let rows = entry_rows(
            &o,
            &[
                (2, "account,2026-01-01,,,1000,1000.00,,"),
                (3, "account,2026-01-01,,,3000,-900.00,,"),
                (4, "account,2026-02-01,,,1000,5.00,,"),
                (5, "account,2026-02-01,,,3000,-5.00,,"),
                (6, "account,2026-03-01,,,1000,5.00,,"),
            ],
        );
        let (kept, refused) = OpeningBalances::settle(rows);
        assert_eq!(kept.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [5]);
        assert_eq!(
            refused,
            [
                (
                    3,
                    vec![(
                        "amount".into(),
                        "the account rows of 2026-01-01 do not balance: debits 1000.00 USD, credits 900.00 USD".into()
                    )]
                ),
                (
                    6,
                    vec![(
                        "amount".into(),
                        "the account rows of 2026-03-01 do not balance: debits 5.00 USD, credits 0.00 USD".into()
                    )]
                ),
            ]
        );
    }
}

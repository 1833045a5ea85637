//! Recurring expenses (monthly, quarterly, yearly on a day of the month): the daily job books
//! each occurrence once, as an expense with an id derived from the recurring expense and the
//! occurrence's date, created only if absent — so re-runs, late runs and overlapping runs book
//! nothing twice. A day past a month's end is that month's last day.

use super::expense_model::*;
use super::expenses::{decide_new, write_new};
use crate::core::audit::audit;
use crate::ids::{derived_ulid, ExpenseId, RecurringExpenseId};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, DbError, Expr, ItemBuilder, Query, Tx};
use crate::validation::{check_opt_text, Validate};
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const RECURRING_ENTITY: &str = "RecurringExpense";
/// Most occurrences one run books per recurring expense (a long catch-up continues next day).
pub const OCCURRENCES_PER_RUN: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::Yearly => 12,
        }
    }
}

/// The expense each occurrence books (the fields of `POST …/expenses` but the date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    #[schema(value_type = crate::money::MoneyInput)]
    pub amount: crate::money::MoneyDto,
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ExpenseScope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub splits: Option<Vec<Split>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_from: Option<String>,
    /// `unpaid` books each occurrence as a bill due `dueInDays` after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<NewStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_in_days: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub memo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecurringExpense {
    pub id: RecurringExpenseId,
    pub frequency: Frequency,
    /// Day of the month (1–31; past a month's end, its last day).
    pub day: u8,
    pub start_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    #[serde(flatten)]
    pub template: Template,
    /// The last occurrence booked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked_through: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST …/recurring-expenses`: when, and the expense fields (flat, as `POST …/expenses` takes them).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateRecurring {
    pub frequency: Frequency,
    #[schema(minimum = 1, maximum = 31)]
    pub day: u8,
    #[serde(deserialize_with = "crate::validation::date::strict")]
    #[schema(value_type = String, format = Date)]
    pub start_date: NaiveDate,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<NaiveDate>,
    #[schema(value_type = crate::money::MoneyInput)]
    pub amount: crate::money::MoneyDto,
    #[schema(value_type = crate::ids::AccountId)]
    pub account_id: String,
    #[serde(default)]
    #[schema(value_type = Option<crate::ids::VendorId>)]
    pub vendor_id: Option<String>,
    #[serde(default)]
    pub scope: Option<ExpenseScope>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 50)]
    pub splits: Option<Vec<Split>>,
    #[serde(default)]
    pub split: Option<SplitRule>,
    #[serde(default)]
    #[schema(value_type = Option<crate::ids::AccountId>)]
    pub paid_from: Option<String>,
    #[serde(default)]
    pub status: Option<NewStatus>,
    #[serde(default)]
    pub due_in_days: Option<u16>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub memo: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub reference: Option<String>,
}

impl CreateRecurring {
    fn template(&self) -> Template {
        Template {
            amount: self.amount.clone(),
            account_id: self.account_id.clone(),
            vendor_id: self.vendor_id.clone(),
            scope: self.scope.clone(),
            splits: self.splits.clone(),
            split: self.split.clone(),
            paid_from: self.paid_from.clone(),
            status: self.status,
            due_in_days: self.due_in_days,
            memo: self.memo.clone(),
            reference: self.reference.clone(),
        }
    }
}

impl Validate for CreateRecurring {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !(1..=31).contains(&self.day) {
            e.push(FieldError::new("day", "must be 1–31"));
        }
        if self.end_date.is_some_and(|end| end < self.start_date) {
            e.push(FieldError::new("endDate", "must not be before startDate"));
        }
        check_opt_text(&mut e, "memo", self.memo.as_deref(), 500);
        check_opt_text(&mut e, "reference", self.reference.as_deref(), 100);
        let ids = (Some(self.account_id.as_str()), self.vendor_id.as_deref(), self.paid_from.as_deref());
        super::expense_model::check_refs(&mut e, ids, &self.scope, &self.splits, &self.split);
        e
    }
}

/// What may change: the end, the amount, the memo and reference (future occurrences only).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateRecurring {
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub amount: Option<crate::money::MoneyDto>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub memo: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub reference: Option<String>,
}

impl Validate for UpdateRecurring {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "memo", self.memo.as_deref(), 500);
        check_opt_text(&mut e, "reference", self.reference.as_deref(), 100);
        e
    }
}

/// The occurrence in the month of `d`: the day, or the month's last day.
fn in_month(year: i32, month: u32, day: u8) -> NaiveDate {
    (1..=u32::from(day))
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .expect("every month has a first day")
}

/// Occurrences after `after` and on or before `until`, from the start, at most `limit`.
pub fn occurrences(r: &RecurringExpense, after: Option<NaiveDate>, until: NaiveDate, limit: usize) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let (mut y, mut m) = (r.start_date.year(), r.start_date.month());
    let last = r.end_date.map_or(until, |e| e.min(until));
    loop {
        let d = in_month(y, m, r.day);
        if d > last || out.len() >= limit {
            return out;
        }
        if d >= r.start_date && after.is_none_or(|a| d > a) {
            out.push(d);
        }
        let next = m - 1 + r.frequency.months();
        (y, m) = (y + (next / 12) as i32, next % 12 + 1);
    }
}

/// The request that books the occurrence on `date`.
fn occurrence_request(t: &Template, date: NaiveDate) -> CreateExpense {
    let unpaid = t.status == Some(NewStatus::Unpaid);
    CreateExpense {
        date,
        amount: t.amount.clone(),
        account_id: t.account_id.clone(),
        vendor_id: t.vendor_id.clone(),
        scope: t.scope.clone(),
        splits: t.splits.clone(),
        split: t.split.clone(),
        paid_from: t.paid_from.clone(),
        status: t.status,
        due_date: unpaid.then(|| date + chrono::Duration::days(i64::from(t.due_in_days.unwrap_or(0)))),
        memo: t.memo.clone(),
        reference: t.reference.clone(),
    }
}

/// The id of the expense booked for the occurrence on `date`.
pub fn occurrence_id(r: &RecurringExpenseId, date: NaiveDate) -> ExpenseId {
    ExpenseId::from_ulid(derived_ulid(&["recurring", r.as_str(), &date.to_string()]))
}

fn item(cx: &Ctx<'_>, r: &RecurringExpense) -> db::Item {
    ItemBuilder::new(RECURRING_ENTITY, &keys::recurring_expense(cx.scope, &r.id), r).build()
}

pub async fn create_recurring(cx: &Ctx<'_>, input: CreateRecurring) -> Result<RecurringExpense> {
    let id = RecurringExpenseId::new();
    // The first occurrence's expense, checked as `POST …/expenses` would check it.
    let template = input.template();
    let first = occurrences_from(&input, &template, cx.now).first().copied().unwrap_or(input.start_date);
    decide_new(cx, &occurrence_request(&template, first), occurrence_id(&id, first)).await?;
    let r = RecurringExpense {
        id,
        frequency: input.frequency,
        day: input.day,
        start_date: input.start_date,
        end_date: input.end_date,
        template,
        booked_through: None,
        created_at: cx.now,
        updated_at: cx.now,
    };
    let mut tx = Tx::new();
    tx.put(item(cx, &r), Some(Expr::not_exists()));
    audit(&mut tx, cx, "recurring_expense.created", ("recurring_expense", r.id.as_str()), None, Some(json(&r)));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    Ok(r)
}

/// The first occurrence a new recurring expense would book.
fn occurrences_from(input: &CreateRecurring, template: &Template, now: DateTime<Utc>) -> Vec<NaiveDate> {
    let probe = RecurringExpense {
        id: RecurringExpenseId::new(),
        frequency: input.frequency,
        day: input.day,
        start_date: input.start_date,
        end_date: None,
        template: template.clone(),
        booked_through: None,
        created_at: now,
        updated_at: now,
    };
    occurrences(&probe, None, NaiveDate::MAX, 1)
}

fn json(r: &RecurringExpense) -> serde_json::Value {
    serde_json::to_value(r).expect("recurring expenses serialize")
}

pub async fn get_recurring(cx: &Ctx<'_>, id: &str) -> Result<RecurringExpense> {
    let id = RecurringExpenseId::parse(id).ok_or(Error::NotFound("recurring expense"))?;
    cx.db.get_as(&keys::recurring_expense(cx.scope, &id)).await?.ok_or(Error::NotFound("recurring expense"))
}

pub async fn all_recurring(cx: &Ctx<'_>) -> Result<Vec<RecurringExpense>> {
    let (pk, prefix) = keys::recurring_expenses(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn update_recurring(cx: &Ctx<'_>, id: &str, input: UpdateRecurring) -> Result<RecurringExpense> {
    let before = get_recurring(cx, id).await?;
    let mut r = before.clone();
    if let Some(e) = input.end_date {
        if e < r.start_date {
            return Err(Error::invalid("endDate", "must not be before startDate"));
        }
        r.end_date = Some(e);
    }
    if let Some(a) = input.amount {
        r.template.amount = a;
    }
    if input.memo.is_some() {
        r.template.memo = input.memo;
    }
    if input.reference.is_some() {
        r.template.reference = input.reference;
    }
    let next = occurrences(&r, r.booked_through, NaiveDate::MAX, 1).first().copied().unwrap_or(r.start_date);
    decide_new(cx, &occurrence_request(&r.template, next), occurrence_id(&r.id, next)).await?;
    r.updated_at = cx.now;
    let mut tx = Tx::new();
    let stamp = serde_json::to_value(before.updated_at).expect("timestamps serialize");
    tx.put(item(cx, &r), Some(Expr::new("updatedAt = :u").value(":u", db::s(stamp.as_str().unwrap_or_default()))));
    audit(
        &mut tx,
        cx,
        "recurring_expense.updated",
        ("recurring_expense", r.id.as_str()),
        Some(json(&before)),
        Some(json(&r)),
    );
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() {
        true => Error::Conflict("the recurring expense changed meanwhile; read it again".into()),
        false => e.into(),
    })?;
    Ok(r)
}

/// Stops future occurrences (what was booked stays booked).
pub async fn delete_recurring(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let r = get_recurring(cx, id).await?;
    let mut tx = Tx::new();
    tx.delete(keys::recurring_expense(cx.scope, &r.id), Some(Expr::exists()));
    audit(&mut tx, cx, "recurring_expense.deleted", ("recurring_expense", r.id.as_str()), Some(json(&r)), None);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    Ok(())
}

/// Books every occurrence due by `run_date` not booked yet; answers how many were new.
pub async fn run_recurring(cx: &Ctx<'_>, run_date: NaiveDate) -> Result<usize> {
    let mut new = 0;
    for r in all_recurring(cx).await? {
        let due = occurrences(&r, r.booked_through, run_date, OCCURRENCES_PER_RUN);
        let Some(last) = due.last().copied() else { continue };
        for date in due {
            let mut e = decide_new(cx, &occurrence_request(&r.template, date), occurrence_id(&r.id, date)).await?;
            e.recurring_id = Some(r.id.to_string());
            let mut tx = Tx::new();
            write_new(&mut tx, cx, &e);
            match cx.db.transact(tx).await {
                Ok(()) => new += 1,
                // Booked by an earlier or concurrent run: the pointer already exists.
                Err(err) if err.failed_conditions().is_some() || matches!(err, DbError::AlreadyExists) => {}
                Err(err) => return Err(err.into()),
            }
        }
        let mut tx = Tx::new();
        tx.update(
            keys::recurring_expense(cx.scope, &r.id),
            Expr::new("SET bookedThrough = :d").value(":d", db::s(last.to_string())),
            Some(Expr::exists()),
        );
        if let Err(e) = cx.db.transact(tx).await {
            if e.failed_conditions().is_none() {
                return Err(e.into());
            }
        }
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(freq: Frequency, day: u8, start: &str, end: Option<&str>) -> RecurringExpense {
        RecurringExpense {
            id: RecurringExpenseId::new(),
            frequency: freq,
            day,
            start_date: start.parse().unwrap(),
            end_date: end.map(|e| e.parse().unwrap()),
            template: serde_json::from_value(
                serde_json::json!({"amount": {"amount": "1.00", "currency": "USD"}, "accountId": "x"}),
            )
            .unwrap(),
            booked_through: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    fn dates(v: Vec<NaiveDate>) -> Vec<String> {
        v.into_iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn occurrences_fall_on_the_day_or_the_months_last_day() {
        let r = rec(Frequency::Monthly, 31, "2026-01-15", None);
        assert_eq!(
            dates(occurrences(&r, None, "2026-04-30".parse().unwrap(), 10)),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
        let q = rec(Frequency::Quarterly, 10, "2026-02-11", Some("2026-12-31"));
        assert_eq!(
            dates(occurrences(&q, None, "2027-12-31".parse().unwrap(), 10)),
            ["2026-05-10", "2026-08-10", "2026-11-10"]
        );
        let y = rec(Frequency::Yearly, 1, "2026-03-01", None);
        assert_eq!(
            dates(occurrences(&y, None, "2028-03-01".parse().unwrap(), 10)),
            ["2026-03-01", "2027-03-01", "2028-03-01"]
        );
    }

    #[test]
    fn a_later_run_books_only_what_came_due_since_and_ids_are_stable() {
        let r = rec(Frequency::Monthly, 5, "2026-01-01", None);
        let after = occurrences(&r, Some("2026-02-05".parse().unwrap()), "2026-04-04".parse().unwrap(), 10);
        assert_eq!(dates(after), ["2026-03-05"]);
        let d: NaiveDate = "2026-03-05".parse().unwrap();
        assert_eq!(occurrence_id(&r.id, d), occurrence_id(&r.id, d));
        assert_ne!(occurrence_id(&r.id, d), occurrence_id(&r.id, d.succ_opt().unwrap()));
    }
}

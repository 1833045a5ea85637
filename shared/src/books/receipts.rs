//! Receipts: uploaded straight to the receipts bucket through a presigned URL (the content types
//! and size limit of documents), then checked by content sniffing and read by the receipt reader
//! (Textract) into `extracted {vendorName, date, total, confidence}`. "Snap first, book later":
//! a receipt without an expense makes a `draft` expense, filled from the receipt once read
//! (its vendor matched by name) and booked only on `:confirm`. A receipt that cannot be read is
//! kept and marked, never lost.

use super::events::ReceiptRead;
use super::expense_model::check_refs;
use super::expense_model::*;
use super::expenses::{decide_new, expense_record, recorded_event, write_new};
use super::vendors::match_by_name;
use crate::core::audit::audit;
use crate::documents::sniff;
use crate::events;
use crate::ids::{AccountId, ExpenseId, ReceiptId};
use crate::money::{Currency, Money, MoneyDto, StoredMoney};
use crate::platform::blob::{Blob, PresignedUpload};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, Expr, ItemBuilder, Query, Tx};
use crate::ports::receipts::{ReadError, ReceiptFields, ReceiptReader};
use crate::validation::{check_text, Validate};
use crate::{Error, FieldError, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const RECEIPT_ENTITY: &str = "Receipt";
/// The types a receipt may be: what the reader reads.
pub const RECEIPT_TYPES: &[&str] = &["application/pdf", "image/png", "image/jpeg"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    /// Waiting for the upload.
    Pending,
    /// Read: `extracted` holds what it says.
    Read,
    /// Kept, but nothing could be read from it.
    Unreadable,
    /// Kept, but its bytes are not what it was declared as (or its size differs).
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Extracted {
    pub vendor_name: Option<String>,
    pub date: Option<NaiveDate>,
    pub total: Option<MoneyDto>,
    /// The lowest confidence (0–100) of the fields read, as a decimal string.
    #[schema(value_type = Option<String>, example = "95.8")]
    pub confidence: Option<rust_decimal::Decimal>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub id: ReceiptId,
    pub expense_id: ExpenseId,
    pub name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub status: ReceiptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extracted: Option<Extracted>,
    /// Why it is unreadable or rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where to PUT the file (in the answer that created it; never stored: the item is written
    /// before the URL is signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<PresignedUpload>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateReceipt {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    #[schema(example = "application/pdf", pattern = "^(application/pdf|image/png|image/jpeg)$")]
    pub content_type: String,
    #[schema(minimum = 1, maximum = 26214400)]
    pub size_bytes: u64,
}

impl Validate for CreateReceipt {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        if !RECEIPT_TYPES.contains(&self.content_type.as_str()) {
            e.push(FieldError::new("contentType", format!("must be one of {}", RECEIPT_TYPES.join(", "))));
        }
        let max = crate::documents::model::MAX_SIZE_BYTES;
        if self.size_bytes == 0 || self.size_bytes > max {
            e.push(FieldError::new("sizeBytes", format!("must be from 1 to {max} bytes")));
        }
        e
    }
}

/// A draft expense with its receipt (`POST …/receipts`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnappedReceipt {
    pub expense: ExpenseWithReceipts,
    pub receipt: Receipt,
}

/// An expense with its receipts (`GET …/expenses/{expenseId}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExpenseWithReceipts {
    #[serde(flatten)]
    pub expense: Expense,
    pub receipts: Vec<Receipt>,
}

/// `POST …/expenses/{expenseId}:confirm`: books a draft. What the receipt did not say (or said
/// wrongly) is given here; everything else comes from the draft.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmExpense {
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<crate::money::MoneyInput>)]
    pub amount: Option<MoneyDto>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub account_id: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::ids::VendorId>)]
    pub vendor_id: Option<String>,
    #[serde(default)]
    pub scope: Option<ExpenseScope>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 50)]
    pub splits: Option<Vec<Split>>,
    #[serde(default)]
    #[schema(value_type = Option<AccountId>)]
    pub paid_from: Option<String>,
    #[serde(default)]
    pub status: Option<NewStatus>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub memo: Option<String>,
}

impl Validate for ConfirmExpense {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        crate::validation::check_opt_text(&mut e, "memo", self.memo.as_deref(), 500);
        let ids = (self.account_id.as_deref(), self.vendor_id.as_deref(), self.paid_from.as_deref());
        check_refs(&mut e, ids, &self.scope, &self.splits, &None);
        e
    }
}

fn item(cx: &Ctx<'_>, r: &Receipt) -> db::Item {
    ItemBuilder::new(RECEIPT_ENTITY, &keys::receipt(cx.scope, &r.expense_id, &r.id), r).build()
}

fn new_receipt(expense: &ExpenseId, input: &CreateReceipt, now: DateTime<Utc>) -> Receipt {
    Receipt {
        id: ReceiptId::new(),
        expense_id: expense.clone(),
        name: input.name.trim().to_owned(),
        content_type: input.content_type.clone(),
        size_bytes: input.size_bytes,
        status: ReceiptStatus::Pending,
        extracted: None,
        reason: None,
        upload: None,
        created_at: now,
        checked_at: None,
    }
}

async fn presign(blob: &Blob, cx: &Ctx<'_>, r: &mut Receipt) -> Result<()> {
    let key = keys::receipt_object(cx.scope, &r.expense_id, &r.id);
    let upload = blob.presign_put(&key, &r.content_type, r.size_bytes).await;
    r.upload = Some(upload.map_err(|e| Error::Store(db::DbError::Invalid(e.to_string())))?);
    Ok(())
}

/// A receipt for an existing expense: answers where to upload it.
pub async fn add_receipt(cx: &Ctx<'_>, blob: &Blob, expense: &str, input: CreateReceipt) -> Result<Receipt> {
    let e = expense_record(cx, expense).await?;
    let mut r = new_receipt(&e.id, &input, cx.now);
    let mut tx = Tx::new();
    tx.check(keys::expense_pointer(cx.scope, &e.id), Expr::exists());
    tx.put(item(cx, &r), Some(Expr::not_exists()));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    presign(blob, cx, &mut r).await?;
    Ok(r)
}

/// Snap first, book later: a draft expense (the org's currency, nothing owed yet) with the
/// receipt to upload; the reader fills it in.
pub async fn snap_receipt(cx: &Ctx<'_>, blob: &Blob, input: CreateReceipt) -> Result<SnappedReceipt> {
    let org = crate::core::service::get_org(cx).await?;
    let today = crate::core::service::org_today(&org, cx.now);
    let draft = draft_expense(cx, org.base_currency, today);
    let mut r = new_receipt(&draft.id, &input, cx.now);
    let mut tx = Tx::new();
    write_new(&mut tx, cx, &draft);
    tx.put(item(cx, &r), Some(Expr::not_exists()));
    audit(&mut tx, cx, "expense.drafted", ("expense", draft.id.as_str()), None, None);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    presign(blob, cx, &mut r).await?;
    let expense = ExpenseWithReceipts { expense: draft.into(), receipts: vec![Receipt { upload: None, ..r.clone() }] };
    Ok(SnappedReceipt { expense, receipt: r })
}

fn draft_expense(cx: &Ctx<'_>, currency: Currency, today: NaiveDate) -> ExpenseRecord {
    let other = super::chart::code::OTHER_EXPENSE;
    ExpenseRecord {
        id: ExpenseId::new(),
        date: today,
        amount: StoredMoney { minor: 0, currency },
        account_id: AccountId::of(cx.scope.org_id(), other),
        account_code: other.to_owned(),
        vendor_id: None,
        scope: Some(ExpenseScope { type_: ScopeType::Portfolio, id: None }),
        parts: vec![PartRecord { building_id: None, unit_id: None, minor: 0 }],
        split: false,
        status: ExpenseStatus::Draft,
        paid_from: None,
        paid_from_code: None,
        paid_on: None,
        due_date: None,
        memo: None,
        reference: None,
        recurring_id: None,
        revision: 0,
        voided_on: None,
        fx: None,
        paid_fx: None,
        created_at: cx.now,
        updated_at: cx.now,
        v: 1,
    }
}

pub async fn receipts_of(cx: &Ctx<'_>, expense: &ExpenseId) -> Result<Vec<Receipt>> {
    let q = Query::partition(db::Index::Primary, keys::receipts_of(cx.scope, expense)).consistent();
    let items = cx.db.query_all(q).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

pub async fn get_expense_with_receipts(cx: &Ctx<'_>, id: &str) -> Result<ExpenseWithReceipts> {
    // Receipts first: reading one fills its draft in the same transaction, so an expense read
    // after a read receipt shows what it filled (the other order could pair a read receipt with
    // the draft as it was before).
    let expense_id = ExpenseId::parse(id).ok_or(Error::NotFound("expense"))?;
    let receipts = receipts_of(cx, &expense_id).await?;
    let e = expense_record(cx, id).await?;
    Ok(ExpenseWithReceipts { expense: e.into(), receipts })
}

/// Books a draft: the draft's fields with what `input` gives, checked as a new expense.
pub async fn confirm(cx: &Ctx<'_>, id: &str, input: ConfirmExpense) -> Result<Expense> {
    let before = expense_record(cx, id).await?;
    if before.status != ExpenseStatus::Draft {
        return Err(Error::Conflict("only a draft is confirmed; this expense is booked".into()));
    }
    let amount = input.amount.clone().unwrap_or_else(|| Money::from(before.amount).into());
    let req = CreateExpense {
        date: input.date.unwrap_or(before.date),
        amount,
        account_id: input.account_id.clone().unwrap_or_else(|| before.account_id.to_string()),
        vendor_id: input.vendor_id.clone().or_else(|| before.vendor_id.as_ref().map(|v| v.to_string())),
        scope: input.scope.clone().or(if input.splits.is_some() { None } else { before.scope.clone() }),
        splits: input.splits.clone(),
        split: None,
        paid_from: input.paid_from.clone(),
        status: input.status,
        due_date: input.due_date,
        memo: input.memo.clone().or(before.memo.clone()),
        reference: before.reference.clone(),
    };
    let mut e = decide_new(cx, &req, before.id.clone()).await?;
    e.created_at = before.created_at;
    e.v = before.v + 1;
    let mut tx = Tx::new();
    rewrite_at(cx, &mut tx, &before, &e);
    if e.vendor_id != before.vendor_id {
        if let Some(v) = &e.vendor_id {
            tx.update(
                keys::vendor(cx.scope, v),
                Expr::new("ADD expenseCount :one").value(":one", n(1)),
                Some(Expr::exists()),
            );
        }
        if let Some(v) = &before.vendor_id {
            tx.update(keys::vendor(cx.scope, v), Expr::new("ADD expenseCount :m").value(":m", n(-1)), None);
        }
    }
    let json = |r: &ExpenseRecord| serde_json::to_value(Expense::from(r.clone())).expect("expenses serialize");
    audit(&mut tx, cx, "expense.confirmed", ("expense", e.id.as_str()), Some(json(&before)), Some(json(&e)));
    events::emit(&mut tx, cx.scope, &recorded_event(&e));
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|err| match err.failed_conditions().is_some() || err.is_conflict() {
        true => Error::Conflict("the expense changed meanwhile; read it again".into()),
        false => err.into(),
    })?;
    Ok(e.into())
}

/// What checking an uploaded receipt did.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    Read,
    Unreadable(String),
    Rejected(String),
    Skipped(&'static str),
}

/// `org/<orgId>/receipts/<expenseId>/<receiptId>` → its ids.
pub fn parse_object_key(key: &str) -> Option<(ExpenseId, ReceiptId)> {
    match key.split('/').collect::<Vec<_>>().as_slice() {
        ["org", _, "receipts", e, r] => Some((ExpenseId::parse(e)?, ReceiptId::parse(r)?)),
        _ => None,
    }
}

/// Checks an uploaded receipt (size, magic bytes), reads it, stores what it says and fills a
/// draft expense from it, in one transaction with `receipt.read`. Safe to run twice. A reader
/// that is unavailable is an error (the notification is retried); a receipt that cannot be read
/// is kept and marked.
pub async fn check_receipt(
    cx: &Ctx<'_>,
    blob: &Blob,
    reader: &dyn ReceiptReader,
    (expense_id, receipt_id): (&ExpenseId, &ReceiptId),
) -> Result<Checked> {
    let Some(r) = cx.db.get_as::<Receipt>(&keys::receipt(cx.scope, expense_id, receipt_id)).await? else {
        return Ok(Checked::Skipped("no such receipt"));
    };
    if r.status != ReceiptStatus::Pending {
        return Ok(Checked::Skipped("already checked"));
    }
    let key = keys::receipt_object(cx.scope, expense_id, receipt_id);
    let unavailable = |e: crate::platform::blob::BlobError| Error::Store(db::DbError::Invalid(e.to_string()));
    let (size, version) = match blob.stat(&key).await {
        Ok(s) => s,
        Err(crate::platform::blob::BlobError::NotFound) => return Ok(Checked::Skipped("object is gone")),
        Err(e) => return Err(unavailable(e)),
    };
    let head = blob.head_bytes(&key, version.as_deref(), sniff::SNIFF_BYTES).await.map_err(unavailable)?;
    let verdict = if size != r.size_bytes {
        Checked::Rejected(format!("uploaded {size} bytes, declared {}", r.size_bytes))
    } else if !sniff::matches(&r.content_type, &head) {
        Checked::Rejected(format!("the file is not {}", r.content_type))
    } else {
        match reader.read(blob.bucket(), &key, version.as_deref()).await {
            Ok(f) if f.is_empty() => Checked::Unreadable("nothing could be read from it".into()),
            Ok(f) => return store_read(cx, r, f).await,
            Err(ReadError::Unreadable(why)) => Checked::Unreadable(why),
            Err(ReadError::Unavailable(e)) => return Err(Error::Store(db::DbError::Invalid(e.to_string()))),
        }
    };
    let (status, reason) = match &verdict {
        Checked::Unreadable(w) => (ReceiptStatus::Unreadable, w.clone()),
        Checked::Rejected(w) => (ReceiptStatus::Rejected, w.clone()),
        _ => unreachable!("read receipts were stored above"),
    };
    let after =
        Receipt { status, reason: Some(reason.chars().take(500).collect()), checked_at: Some(cx.now), ..r.clone() };
    let mut tx = Tx::new();
    tx.put(item(cx, &after), Some(pending()));
    events::emit(&mut tx, cx.scope, &receipt_event(&after));
    commit_check(cx, tx).await?;
    Ok(verdict)
}

fn pending() -> Expr {
    Expr::new("#st = :p").name("#st", "status").value(":p", db::s("pending"))
}

fn receipt_event(r: &Receipt) -> ReceiptRead {
    ReceiptRead {
        receipt_id: r.id.clone(),
        expense_id: r.expense_id.clone(),
        status: r.status,
        extracted: r.extracted.clone(),
    }
}

async fn commit_check(cx: &Ctx<'_>, tx: Tx) -> Result<()> {
    match cx.db.transact(tx).await {
        Ok(()) => Ok(()),
        // Checked concurrently (a redelivered notification): the other check stands.
        Err(e) if e.failed_conditions().is_some() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Stores what a receipt says; a draft expense takes its date, total and vendor.
async fn store_read(cx: &Ctx<'_>, r: Receipt, f: ReceiptFields) -> Result<Checked> {
    let e = expense_record(cx, r.expense_id.as_str()).await?;
    let c = e.amount.currency;
    let total = f.total.and_then(|t| Money::from_decimal(t, c).ok()).filter(|m| m.minor > 0);
    let extracted = Extracted {
        vendor_name: f.vendor_name.clone(),
        date: f.date,
        total: total.map(MoneyDto::from),
        confidence: f.confidence,
    };
    let after = Receipt { status: ReceiptStatus::Read, extracted: Some(extracted), checked_at: Some(cx.now), ..r };
    let mut tx = Tx::new();
    tx.put(item(cx, &after), Some(pending()));
    if e.status == ExpenseStatus::Draft {
        let vendor = match &f.vendor_name {
            Some(name) => match_by_name(cx, name).await?,
            None => None,
        };
        let account = match vendor.as_ref().and_then(|v| v.default_account_id.clone()) {
            Some(id) => super::accounts::chart(cx).await?.into_values().find(|a| a.id == id).map(|a| (a.id, a.code)),
            None => None,
        };
        fill_draft(cx, &mut tx, &e, Fill { date: f.date, total, vendor, account });
    }
    events::emit(&mut tx, cx.scope, &receipt_event(&after));
    commit_check(cx, tx).await?;
    Ok(Checked::Read)
}

/// Writes `after` over `before` under a condition on its version; a new date moves the item
/// (its key holds the date) and its pointer.
fn rewrite_at(cx: &Ctx<'_>, tx: &mut Tx, before: &ExpenseRecord, after: &ExpenseRecord) {
    let cond = Expr::new("#v = :v").name("#v", "v").value(":v", n(before.v));
    let item = ItemBuilder::new(EXPENSE_ENTITY, &keys::expense(cx.scope, after.date, &after.id), after)
        .version(after.v)
        .build();
    if after.date != before.date {
        tx.delete(keys::expense(cx.scope, before.date, &before.id), Some(cond));
        tx.put(item, Some(Expr::not_exists()));
        let pointer = serde_json::json!({"date": after.date});
        tx.put(
            ItemBuilder::new(EXPENSE_POINTER_ENTITY, &keys::expense_pointer(cx.scope, &after.id), &pointer).build(),
            None,
        );
    } else {
        tx.put(item, Some(cond));
    }
}

/// What a read receipt gives its draft.
struct Fill {
    date: Option<NaiveDate>,
    total: Option<Money>,
    vendor: Option<super::vendors::VendorRecord>,
    /// The vendor's default account: `(id, code)`.
    account: Option<(AccountId, String)>,
}

/// The draft moves to the receipt's date with its total and matched vendor (and the vendor's
/// default account).
fn fill_draft(cx: &Ctx<'_>, tx: &mut Tx, before: &ExpenseRecord, fill: Fill) {
    let Fill { date, total, vendor, account } = fill;
    let mut d = before.clone();
    if let Some(date) = date {
        d.date = date;
    }
    if let Some(t) = total {
        d.amount = StoredMoney::from(t);
        d.parts = vec![PartRecord { building_id: None, unit_id: None, minor: t.minor }];
    }
    if let Some(v) = &vendor {
        d.vendor_id = Some(v.id.clone());
        tx.update(
            keys::vendor(cx.scope, &v.id),
            Expr::new("ADD expenseCount :one").value(":one", n(1)),
            Some(Expr::exists()),
        );
    }
    if let Some((id, code)) = account {
        d.account_id = id;
        d.account_code = code;
    }
    d.updated_at = cx.now;
    d.v += 1;
    rewrite_at(cx, tx, before, &d);
}

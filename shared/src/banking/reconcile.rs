//! Reconciling bank transactions: the candidates a transaction may be (`candidates`), matching it
//! — automatically, by a rule or by hand, to one record or to several summing exactly to it —
//! unmatching and ignoring. A match is one transaction: the bank transaction's new state (under
//! its version), one claim per matched record (a payment, expense or payout is in one bank
//! transaction at most) and `bank_transaction.matched`, which the books post.

use super::events::{BankTransactionMatched, BankTransactionUnmatched, MatchedLine};
use super::matching::{self, Candidate, Kind};
use super::model::*;
use crate::billing::model::{PaymentRecord, PaymentStatus};
use crate::books::chart::code;
use crate::books::expense_model::{ExpenseRecord, ExpenseStatus};
use crate::core::audit::audit;
use crate::ids::PaymentId;
use crate::integrations::stripe::payouts::PayoutRecord;
use crate::money::{Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::{Error, FieldError, Result};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;

pub fn transaction_item(cx: &Ctx<'_>, r: &TransactionRecord) -> db::Item {
    let (g1pk, g1sk) = keys::bank_transaction_gsi1(cx.scope, r.status.as_str(), r.date, &r.id);
    ItemBuilder::new(TRANSACTION_ENTITY, &keys::bank_transaction(cx.scope, &r.id), r)
        .gsi1(g1pk, g1sk)
        .version(r.v)
        .build()
}

pub fn at_version(v: i64) -> Expr {
    Expr::new("#v = :v").name("#v", "v").value(":v", n(v))
}

pub async fn transaction(cx: &Ctx<'_>, id: &str) -> Result<TransactionRecord> {
    let found: Option<TransactionRecord> = cx.db.get_as(&keys::bank_transaction(cx.scope, id)).await?;
    found.filter(|t| t.status != BankStatus::Removed).ok_or(Error::NotFound("bank transaction"))
}

/// Everything recorded from `from` to `to` that a bank transaction may be and no other bank
/// transaction is matched to yet.
pub async fn candidates(cx: &Ctx<'_>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Candidate>> {
    let (lo, hi) = (from.to_string(), format!("{to}#~"));
    let mut out = Vec::new();
    let q = Query::partition(db::Index::Gsi2, keys::payments_by_date(cx.scope)).between(lo.clone(), hi.clone());
    for item in cx.db.query_all(q).await? {
        let p: PaymentRecord = db::from_item(item)?;
        // Processor payments reach the bank inside a payout: the payout is the candidate.
        if p.status == PaymentStatus::Cleared && p.processor.is_none() {
            out.push(payment_candidate(&p));
        }
    }
    let q = Query::partition(db::Index::Primary, keys::expenses(cx.scope)).between(lo, hi);
    let expenses: Vec<ExpenseRecord> =
        cx.db.query_all(q).await?.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?;
    let vendors = match expenses.iter().any(|e| e.vendor_id.is_some()) {
        true => crate::books::vendors::all_vendors(cx).await?.into_iter().map(|v| (v.id, v.name)).collect(),
        false => BTreeMap::new(),
    };
    for e in expenses.iter().filter(|e| e.status == ExpenseStatus::Paid) {
        let Some(from_code) = e.paid_from_code.clone() else { continue };
        let vendor = e.vendor_id.as_ref().and_then(|v| vendors.get(v)).cloned();
        let text = [vendor, e.memo.clone(), e.reference.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        out.push(Candidate {
            kind: Kind::Expense,
            id: e.id.to_string(),
            date: e.paid_on.unwrap_or(e.date),
            minor: -e.amount.minor,
            currency: e.amount.currency,
            text,
            account_code: from_code,
            lease_id: None,
        });
    }
    let (pk, prefix) = (keys::stripe_payout(cx.scope, "").pk, "STRIPE_PAYOUT#");
    for item in cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await? {
        let p: PayoutRecord = db::from_item(item)?;
        if p.arrival_date >= from && p.arrival_date <= to {
            out.push(Candidate {
                kind: Kind::Payout,
                id: p.payout_id.clone(),
                date: p.arrival_date,
                minor: p.net,
                currency: p.currency,
                text: format!("stripe payout {}", p.payout_id),
                account_code: code::OPERATING.to_owned(),
                lease_id: None,
            });
        }
    }
    unclaimed(cx, out).await
}

fn payment_candidate(p: &PaymentRecord) -> Candidate {
    Candidate {
        kind: Kind::Payment,
        id: p.id.to_string(),
        date: p.received_on,
        minor: p.amount.minor,
        currency: p.amount.currency,
        text: p.reference.clone().unwrap_or_default(),
        account_code: code::UNDEPOSITED_FUNDS.to_owned(),
        lease_id: Some(p.lease_id.to_string()),
    }
}

/// `candidates` without the ones a bank transaction is matched to already.
async fn unclaimed(cx: &Ctx<'_>, all: Vec<Candidate>) -> Result<Vec<Candidate>> {
    let claim_keys: Vec<_> = all.iter().map(|c| keys::bank_match(cx.scope, c.kind.as_str(), &c.id)).collect();
    let mut claimed = HashSet::new();
    for chunk in claim_keys.chunks(100) {
        for item in cx.db.batch_get(chunk).await? {
            if let Some(k) = db::keys::Key::of_item(&item) {
                claimed.insert(k.sk);
            }
        }
    }
    Ok(all.into_iter().filter(|c| !claimed.contains(&format!("{}#{}", c.kind.as_str(), c.id))).collect())
}

/// The candidates around one transaction's date.
pub async fn candidates_for(cx: &Ctx<'_>, t: &TransactionRecord) -> Result<Vec<Candidate>> {
    let w = Duration::days(matching::WINDOW_DAYS);
    candidates(cx, t.date - w, t.date + w).await
}

fn line_of(c: &Candidate) -> MatchedLine {
    MatchedLine {
        kind: c.kind.as_str().into(),
        id: c.id.clone(),
        amount: Money::new(c.minor, c.currency).into(),
        from_account_code: c.account_code.clone(),
    }
}

/// Writes the match of `t` to `lines` into `tx`: the transaction matched (under its version),
/// a claim per line, `bank_transaction.matched`. Answers the transaction as written.
pub fn write_match(
    tx: &mut Tx,
    cx: &Ctx<'_>,
    t: &TransactionRecord,
    lines: Vec<MatchedLine>,
    by: &str,
) -> TransactionRecord {
    let after = TransactionRecord {
        status: BankStatus::Matched,
        lines,
        matched_by: Some(by.to_owned()),
        matched_at: Some(cx.now),
        revision: t.revision + 1,
        updated_at: cx.now,
        v: t.v + 1,
        ..t.clone()
    };
    tx.put(transaction_item(cx, &after), Some(at_version(t.v)));
    for l in &after.lines {
        let claim = serde_json::json!({"bankTransactionId": t.id, "revision": after.revision});
        tx.put(
            ItemBuilder::new(MATCH_ENTITY, &keys::bank_match(cx.scope, &l.kind, &l.id), &claim).build(),
            Some(Expr::not_exists()),
        );
    }
    let event = BankTransactionMatched {
        bank_transaction_id: t.id.clone(),
        revision: after.revision,
        date: t.date,
        account_code: t.account_code.clone(),
        amount: t.money().into(),
        lines: after.lines.clone(),
        matched_by: by.to_owned(),
    };
    crate::events::emit(tx, cx.scope, &event);
    after
}

async fn commit(cx: &Ctx<'_>, tx: Tx) -> Result<()> {
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict(
            "the bank transaction changed meanwhile, or a record is matched to another bank transaction; read it again"
                .into(),
        ),
        false => e.into(),
    })
}

/// Matches `t` to the one confident candidate, if there is one (the sync's automatic match).
pub async fn auto_match(cx: &Ctx<'_>, t: &TransactionRecord, candidates: &[Candidate]) -> Result<bool> {
    let ranked = matching::rank(t, candidates);
    let Some(best) = matching::confident(&ranked) else { return Ok(false) };
    let mut tx = Tx::new();
    write_match(&mut tx, cx, t, vec![line_of(best)], "auto");
    match commit(cx, tx).await {
        Ok(()) => Ok(true),
        // Someone matched it or the candidate first: leave it to them.
        Err(Error::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A new expense made from a bank transaction: its date, its amount (or the split's), paid from
/// its bank account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpenseFromBank {
    /// The expense account.
    pub account_id: String,
    /// In a split: this part's amount, positive (the whole transaction's otherwise).
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub vendor_id: Option<String>,
    #[serde(default)]
    pub scope: Option<crate::books::expense_model::ExpenseScope>,
    #[serde(default)]
    pub memo: Option<String>,
}

/// A new tenant payment made from a bank deposit: its date and amount, on `leaseId`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentFromBank {
    pub lease_id: String,
}

/// One part of a split match: exactly one of the fields.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchPart {
    #[serde(default)]
    pub payment_id: Option<String>,
    #[serde(default)]
    pub expense_id: Option<String>,
    #[serde(default)]
    pub payout_id: Option<String>,
    #[serde(default)]
    pub create_expense: Option<ExpenseFromBank>,
}

/// `POST …/bank-transactions/{id}:match`: exactly one of the fields.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchBankTransaction {
    #[serde(default)]
    pub payment_id: Option<String>,
    #[serde(default)]
    pub expense_id: Option<String>,
    #[serde(default)]
    pub payout_id: Option<String>,
    #[serde(default)]
    pub create_expense: Option<ExpenseFromBank>,
    #[serde(default)]
    pub create_payment: Option<PaymentFromBank>,
    /// Several records (or new expenses) summing exactly to the bank amount.
    #[serde(default)]
    #[schema(min_items = 1, max_items = 50)]
    pub splits: Option<Vec<MatchPart>>,
}

impl crate::validation::Validate for MatchBankTransaction {
    fn validate(&self) -> Vec<FieldError> {
        let given = [
            self.payment_id.is_some(),
            self.expense_id.is_some(),
            self.payout_id.is_some(),
            self.create_expense.is_some(),
            self.create_payment.is_some(),
            self.splits.is_some(),
        ];
        let mut errors = Vec::new();
        if given.iter().filter(|g| **g).count() != 1 {
            errors.push(FieldError::new(
                "body",
                "give exactly one of paymentId, expenseId, payoutId, createExpense, createPayment, splits",
            ));
        }
        match &self.splits {
            Some(s) if s.is_empty() || s.len() > 50 => errors.push(FieldError::new("splits", "1 to 50 parts")),
            _ => {}
        }
        check_ids(&mut errors, "", (&self.payment_id, &self.expense_id, &self.payout_id));
        if let Some(p) = &self.create_payment {
            if crate::ids::LeaseId::parse(&p.lease_id).is_none() {
                errors.push(FieldError::new("createPayment.leaseId", "not a lease id"));
            }
        }
        for (i, part) in self.splits.iter().flatten().enumerate() {
            check_ids(&mut errors, &format!("splits[{i}]."), (&part.payment_id, &part.expense_id, &part.payout_id));
        }
        errors
    }
}

/// Ids named must have their kind's shape (a Stripe payout's: `po_` and letters or digits).
fn check_ids(
    errors: &mut Vec<FieldError>,
    at: &str,
    (payment, expense, payout): (&Option<String>, &Option<String>, &Option<String>),
) {
    if payment.as_deref().is_some_and(|p| PaymentId::parse(p).is_none()) {
        errors.push(FieldError::new(format!("{at}paymentId"), "not a payment id"));
    }
    if expense.as_deref().is_some_and(|e| crate::ids::ExpenseId::parse(e).is_none()) {
        errors.push(FieldError::new(format!("{at}expenseId"), "not an expense id"));
    }
    let payout_shape = |p: &str| {
        p.strip_prefix("po_")
            .is_some_and(|r| (1..=255).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    if payout.as_deref().is_some_and(|p| !payout_shape(p)) {
        errors.push(FieldError::new(format!("{at}payoutId"), "not a Stripe payout id (po_…)"));
    }
}

impl MatchBankTransaction {
    fn parts(self) -> Result<Vec<MatchPart>> {
        let one = |p: MatchPart| vec![p];
        let given = [
            self.payment_id.is_some(),
            self.expense_id.is_some(),
            self.payout_id.is_some(),
            self.create_expense.is_some(),
            self.create_payment.is_some(),
            self.splits.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(Error::invalid(
                "body",
                "give exactly one of paymentId, expenseId, payoutId, createExpense, createPayment, splits",
            ));
        }
        Ok(match self {
            MatchBankTransaction { payment_id: Some(p), .. } => {
                one(MatchPart { payment_id: Some(p), ..Default::default() })
            }
            MatchBankTransaction { expense_id: Some(e), .. } => {
                one(MatchPart { expense_id: Some(e), ..Default::default() })
            }
            MatchBankTransaction { payout_id: Some(p), .. } => {
                one(MatchPart { payout_id: Some(p), ..Default::default() })
            }
            MatchBankTransaction { create_expense: Some(c), .. } => {
                one(MatchPart { create_expense: Some(c), ..Default::default() })
            }
            MatchBankTransaction { splits: Some(s), .. } => s,
            _ => Vec::new(),
        })
    }
}

/// What one part resolves to: an existing record's line, or an expense to create with it.
enum Resolved {
    Line(MatchedLine),
    New(Box<ExpenseRecord>),
}

/// Matches `id` by hand (`request` names what it is), or answers 409 when it is not unmatched.
pub async fn match_transaction(cx: &Ctx<'_>, id: &str, request: MatchBankTransaction) -> Result<BankTransaction> {
    let t = transaction(cx, id).await?;
    if t.status != BankStatus::Unmatched {
        return Err(Error::Conflict(format!("the bank transaction is {}; unmatch it first", t.status.as_str())));
    }
    if let Some(p) = &request.create_payment {
        return match_new_payment(cx, &t, p).await;
    }
    let parts = request.parts()?;
    if parts.is_empty() {
        return Err(Error::invalid("splits", "name at least one record"));
    }
    let whole = parts.len() == 1;
    let mut resolved = Vec::new();
    let mut errors = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let field = if whole { String::new() } else { format!("splits[{i}].") };
        let named = if whole { "body".to_owned() } else { format!("splits[{i}]") };
        match resolve(cx, &t, part, (&field, &named), whole).await {
            Ok(r) => resolved.push(r),
            Err(Error::Invalid(mut e)) => errors.append(&mut e),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let lines: Vec<MatchedLine> = resolved
        .iter()
        .map(|r| match r {
            Resolved::Line(l) => l.clone(),
            Resolved::New(e) => new_expense_line(e),
        })
        .collect();
    check_sum(&t, &lines)?;
    let mut tx = Tx::new();
    for r in &resolved {
        if let Resolved::New(e) = r {
            crate::books::expenses::write_new(&mut tx, cx, e);
        }
    }
    let after = write_match(&mut tx, cx, &t, lines, cx.scope.actor_id());
    let json = |r: &TransactionRecord| serde_json::to_value(BankTransaction::of(r.clone(), None)).ok();
    audit(&mut tx, cx, "bank_transaction.matched", ("bank_transaction", &t.id), json(&t), json(&after));
    tx.guard_membership(cx.scope);
    commit(cx, tx).await?;
    Ok(BankTransaction::of(after, None))
}

fn new_expense_line(e: &ExpenseRecord) -> MatchedLine {
    MatchedLine {
        kind: Kind::Expense.as_str().into(),
        id: e.id.to_string(),
        amount: Money::new(-e.amount.minor, e.amount.currency).into(),
        from_account_code: e.paid_from_code.clone().unwrap_or_default(),
    }
}

/// The lines must add up to the bank amount exactly (422 otherwise: nothing is written).
fn check_sum(t: &TransactionRecord, lines: &[MatchedLine]) -> Result<()> {
    let mut sum = 0i64;
    for l in lines {
        let m = Money::parse(&l.amount.amount, t.amount.currency)
            .map_err(|_| Error::invalid("splits", "a currency other than the bank's"))?;
        if l.amount.currency != t.amount.currency.code() {
            return Err(Error::invalid(
                "splits",
                format!("{} is in {}, the bank transaction in {}", l.id, l.amount.currency, t.amount.currency.code()),
            ));
        }
        sum += m.minor;
    }
    if sum != t.amount.minor {
        // As entered: sizes (an outflow's parts are given as positive amounts).
        let (got, want) =
            (Money::new(sum.abs(), t.amount.currency), Money::new(t.amount.minor.abs(), t.amount.currency));
        return Err(Error::invalid(
            "splits",
            format!(
                "the parts add up to {}, the bank transaction is {}: they must be equal",
                got.amount_string(),
                want.amount_string()
            ),
        ));
    }
    Ok(())
}

async fn resolve(
    cx: &Ctx<'_>,
    t: &TransactionRecord,
    part: MatchPart,
    (field, named): (&str, &str),
    whole: bool,
) -> Result<Resolved> {
    let given =
        [part.payment_id.is_some(), part.expense_id.is_some(), part.payout_id.is_some(), part.create_expense.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(Error::invalid(named, "give exactly one of paymentId, expenseId, payoutId, createExpense"));
    }
    if let Some(id) = part.payment_id {
        let p = payment_record(cx, &id).await?.ok_or(Error::NotFound("payment"))?;
        if p.status != PaymentStatus::Cleared {
            return Err(Error::Conflict(format!("payment {id} is not cleared")));
        }
        if p.processor.is_some() {
            return Err(Error::Conflict(format!(
                "payment {id} reached the bank in its processor's payout: match the payout"
            )));
        }
        return Ok(Resolved::Line(line_of(&payment_candidate(&p))));
    }
    if let Some(id) = part.expense_id {
        let e = crate::books::expenses::expense_record(cx, &id).await?;
        let Some(from_code) = e.paid_from_code.clone().filter(|_| e.status == ExpenseStatus::Paid) else {
            return Err(Error::Conflict(format!("expense {id} is not paid (pay a bill with :pay first)")));
        };
        return Ok(Resolved::Line(MatchedLine {
            kind: "expense".into(),
            id: e.id.to_string(),
            amount: Money::new(-e.amount.minor, e.amount.currency).into(),
            from_account_code: from_code,
        }));
    }
    if let Some(id) = part.payout_id {
        let p: PayoutRecord =
            cx.db.get_as(&keys::stripe_payout(cx.scope, &id)).await?.ok_or(Error::NotFound("payout"))?;
        return Ok(Resolved::Line(MatchedLine {
            kind: "payout".into(),
            id: p.payout_id,
            amount: Money::new(p.net, p.currency).into(),
            from_account_code: code::OPERATING.into(),
        }));
    }
    let c = part.create_expense.expect("one part is named");
    let amount = match (&c.amount, whole) {
        (Some(a), _) => a.clone(),
        (None, true) => Money::new(-t.amount.minor, t.amount.currency).amount_string(),
        (None, false) => return Err(Error::invalid(format!("{field}createExpense.amount"), "required in a split")),
    };
    let e = expense_from(cx, t, &c, &amount).await.map_err(|e| prefix(e, &format!("{field}createExpense.")))?;
    Ok(Resolved::New(Box::new(e)))
}

fn prefix(e: Error, p: &str) -> Error {
    match e {
        Error::Invalid(errs) => {
            Error::Invalid(errs.into_iter().map(|f| FieldError::new(format!("{p}{}", f.field), f.message)).collect())
        }
        other => other,
    }
}

/// The expense a bank outflow becomes: dated and paid as the bank says.
pub async fn expense_from(
    cx: &Ctx<'_>,
    t: &TransactionRecord,
    c: &ExpenseFromBank,
    amount: &str,
) -> Result<ExpenseRecord> {
    if t.amount.minor >= 0 {
        return Err(Error::invalid("createExpense", "money came in: an expense is money going out"));
    }
    let input = crate::books::expense_model::CreateExpense {
        date: t.date,
        amount: MoneyDto { amount: amount.to_owned(), currency: t.amount.currency.code().to_owned() },
        account_id: c.account_id.clone(),
        vendor_id: c.vendor_id.clone(),
        scope: c.scope.clone(),
        splits: None,
        split: None,
        paid_from: Some(t.account_id.to_string()),
        status: None,
        due_date: None,
        memo: c.memo.clone().or_else(|| Some(t.description.clone())),
        reference: Some(format!("bank:{}", t.id)),
    };
    crate::books::expenses::decide_new(cx, &input, crate::ids::ExpenseId::new()).await
}

/// The payment the deposit is recorded as (its id derived from the bank transaction, so a retry
/// finds it), then the deposit matched to it.
async fn match_new_payment(cx: &Ctx<'_>, t: &TransactionRecord, p: &PaymentFromBank) -> Result<BankTransaction> {
    if t.amount.minor <= 0 {
        return Err(Error::invalid("createPayment", "money went out: a payment is money coming in"));
    }
    let id = crate::billing::payments::payment_id_for_key(cx.scope, &p.lease_id, &format!("bank:{}", t.id));
    if payment_record(cx, id.as_str()).await?.is_none() {
        let input = crate::billing::model::CreatePayment {
            amount: t.money().into(),
            received_on: t.date,
            method: crate::billing::model::PaymentMethod::Ach,
            reference: Some(t.description.chars().take(200).collect()),
            allocate: crate::billing::model::Allocate::Mode(crate::billing::model::AllocateMode::Auto),
            pending: false,
        };
        crate::billing::payments::record(cx, &p.lease_id, input, (id.clone(), None), None)
            .await
            .map_err(|e| prefix(e, "createPayment."))?;
    }
    let request = MatchBankTransaction { payment_id: Some(id.to_string()), ..Default::default() };
    Box::pin(match_transaction(cx, &t.id, request)).await
}

pub async fn payment_record(cx: &Ctx<'_>, id: &str) -> Result<Option<PaymentRecord>> {
    let Some(id) = PaymentId::parse(id) else { return Ok(None) };
    let (g1pk, _) = keys::payment_gsi1(cx.scope, &id);
    let page = cx.db.query(Query::partition(db::Index::Gsi1, g1pk).limit(1)).await?;
    Ok(match page.items.into_iter().next() {
        Some(item) => Some(db::from_item(item)?),
        None => None,
    })
}

/// Writes the undoing of `t`'s match into `tx`: unmatched, claims released,
/// `bank_transaction.unmatched` (the books move the money back). `status`: what it becomes.
pub fn write_unmatch(
    tx: &mut Tx,
    cx: &Ctx<'_>,
    t: &TransactionRecord,
    status: BankStatus,
    reason: &str,
) -> TransactionRecord {
    let after = TransactionRecord {
        status,
        lines: Vec::new(),
        matched_by: None,
        matched_at: None,
        updated_at: cx.now,
        v: t.v + 1,
        ..t.clone()
    };
    tx.put(transaction_item(cx, &after), Some(at_version(t.v)));
    release(tx, cx, t, reason);
    after
}

/// Releases `t`'s match into `tx`: its claims deleted, `bank_transaction.unmatched` (the books
/// move the money back). The caller writes the transaction's new state.
pub fn release(tx: &mut Tx, cx: &Ctx<'_>, t: &TransactionRecord, reason: &str) {
    for l in &t.lines {
        tx.delete(keys::bank_match(cx.scope, &l.kind, &l.id), None);
    }
    if !t.lines.is_empty() {
        let event = BankTransactionUnmatched {
            bank_transaction_id: t.id.clone(),
            revision: t.revision,
            date: t.date,
            account_code: t.account_code.clone(),
            amount: t.money().into(),
            lines: t.lines.clone(),
            reason: reason.to_owned(),
        };
        crate::events::emit(tx, cx.scope, &event);
    }
}

/// Undoes a match (the records matched stay, unmatched), or un-ignores.
pub async fn unmatch(cx: &Ctx<'_>, id: &str) -> Result<BankTransaction> {
    let t = transaction(cx, id).await?;
    if t.status == BankStatus::Unmatched {
        return Err(Error::Conflict("the bank transaction is not matched".into()));
    }
    let mut tx = Tx::new();
    let after = write_unmatch(&mut tx, cx, &t, BankStatus::Unmatched, "unmatched by hand");
    let json = |r: &TransactionRecord| serde_json::to_value(BankTransaction::of(r.clone(), None)).ok();
    audit(&mut tx, cx, "bank_transaction.unmatched", ("bank_transaction", &t.id), json(&t), json(&after));
    tx.guard_membership(cx.scope);
    commit(cx, tx).await?;
    Ok(BankTransaction::of(after, None))
}

/// Sets an unmatched transaction aside (a transfer between the org's own accounts, a personal
/// charge): it moves nothing on the books.
pub async fn ignore(cx: &Ctx<'_>, id: &str) -> Result<BankTransaction> {
    let t = transaction(cx, id).await?;
    if t.status != BankStatus::Unmatched {
        return Err(Error::Conflict(format!(
            "the bank transaction is {}; only an unmatched one is ignored",
            t.status.as_str()
        )));
    }
    let after = TransactionRecord { status: BankStatus::Ignored, updated_at: cx.now, v: t.v + 1, ..t.clone() };
    let mut tx = Tx::new();
    tx.put(transaction_item(cx, &after), Some(at_version(t.v)));
    let json = |r: &TransactionRecord| serde_json::to_value(BankTransaction::of(r.clone(), None)).ok();
    audit(&mut tx, cx, "bank_transaction.ignored", ("bank_transaction", &t.id), json(&t), json(&after));
    tx.guard_membership(cx.scope);
    commit(cx, tx).await?;
    Ok(BankTransaction::of(after, None))
}

/// `GET …/bank-transactions` filters.
#[derive(Debug, Clone, Default)]
pub struct BankFilter {
    pub status: Option<BankStatus>,
    pub account_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Newest first, one status at a time (unmatched by default); unmatched ones with their
/// suggestions.
pub async fn list(cx: &Ctx<'_>, f: &BankFilter, page: PageRequest) -> Result<PageOf<BankTransaction>> {
    let status = f.status.unwrap_or(BankStatus::Unmatched);
    let lo = f.from.map_or_else(|| "0".to_owned(), |d| d.to_string());
    let hi = f.to.map_or_else(|| "9".to_owned(), |d| format!("{d}#~"));
    let q = Query::partition(db::Index::Gsi1, keys::bank_transactions_in(cx.scope, status.as_str()))
        .between(lo, hi)
        .descending();
    let got: PageOf<TransactionRecord> = cx.db.page_of(q, page).await?;
    let records: Vec<TransactionRecord> =
        got.items.into_iter().filter(|t| f.account_id.as_deref().is_none_or(|a| t.account_id.as_str() == a)).collect();
    let pool = match (status, records.iter().map(|t| t.date).min(), records.iter().map(|t| t.date).max()) {
        (BankStatus::Unmatched, Some(lo), Some(hi)) => {
            let w = Duration::days(matching::WINDOW_DAYS);
            matching::Pool::new(candidates(cx, lo - w, hi + w).await?)
        }
        _ => matching::Pool::default(),
    };
    let items = records
        .into_iter()
        .map(|t| {
            let suggestions = (status == BankStatus::Unmatched)
                .then(|| pool.rank(&t).into_iter().map(|(s, c)| c.suggestion(s)).collect());
            BankTransaction::of(t, suggestions)
        })
        .collect();
    Ok(PageOf { items, last_key: got.last_key })
}

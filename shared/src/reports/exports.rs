//! Exports: a file of the books or the reports, asked for with `POST …/exports` (an export item
//! `pending` and `export.requested`, one transaction), built by `consumer-exports` into the
//! bucket under the org's prefix (`org/<orgId>/exports/<exportId>/<file>`), then `ready` (or
//! `failed` with the reason) and downloaded through a short presigned URL.
//!
//! Kinds: `general-ledger-csv`, `hledger`, `beancount` (a span of days, `year` or `from`/`to`),
//! `year-end` (a ZIP of CSVs for a tax year: general ledger, trial balance, P&L by property,
//! Schedule E, rent roll, expenses with their receipts, deposits held, 1099 vendors) and
//! `owner-pack-pdf` (the owner report of the span's last month).

use super::events::{ExportFailed, ExportReady, ExportRequested};
use crate::ids::ExportId;
use crate::platform::blob::Blob;
use crate::platform::blob::BlobError;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, s, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::validation::Validate;
use crate::{events, Error, FieldError, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const EXPORT_ENTITY: &str = "Export";

fn blob_err(e: BlobError) -> Error {
    tracing::error!(error = %e, "object store failure");
    Error::Store(db::DbError::Unavailable(e.to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExportKind {
    /// A ZIP of CSVs for a tax year.
    YearEnd,
    /// Every journal line of the span, after the opening balances.
    GeneralLedgerCsv,
    /// An hledger journal.
    Hledger,
    /// A Beancount ledger.
    Beancount,
    /// The monthly owner report of the span's last month, as a PDF.
    OwnerPackPdf,
}

impl ExportKind {
    /// The file's name and content type.
    pub fn file(self, (from, to): (NaiveDate, NaiveDate)) -> (String, &'static str) {
        match self {
            ExportKind::YearEnd => (format!("year-end-{}.zip", from.format("%Y")), "application/zip"),
            ExportKind::GeneralLedgerCsv => (format!("general-ledger-{from}-{to}.csv"), "text/csv"),
            ExportKind::Hledger => (format!("books-{from}-{to}.journal"), "text/plain"),
            ExportKind::Beancount => (format!("books-{from}-{to}.beancount"), "text/plain"),
            ExportKind::OwnerPackPdf => (format!("owner-pack-{}.pdf", to.format("%Y-%m")), "application/pdf"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Pending,
    Ready,
    Failed,
}

/// `POST …/exports`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateExport {
    pub kind: ExportKind,
    /// A tax year (required for `year-end`; otherwise instead of `from`/`to`).
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub to: Option<NaiveDate>,
    /// The owner pack of one building (the ledger files and the year-end hold the whole books).
    #[schema(value_type = Option<String>, max_length = 40)]
    pub building_id: Option<String>,
}

impl CreateExport {
    /// The days the export covers: the year, or `from`..=`to` (at most five years).
    pub fn span(&self) -> std::result::Result<(NaiveDate, NaiveDate), FieldError> {
        let year_span = |y: i32| {
            (NaiveDate::from_ymd_opt(y, 1, 1).expect("a year"), NaiveDate::from_ymd_opt(y, 12, 31).expect("a year"))
        };
        match (self.year, self.from, self.to) {
            (Some(y), None, None) if (2000..=2100).contains(&y) => Ok(year_span(y)),
            (Some(_), None, None) => Err(FieldError::new("year", "must be a year 2000–2100")),
            (Some(_), _, _) => Err(FieldError::new("year", "give a year or from and to, not both")),
            (None, _, _) if self.kind == ExportKind::YearEnd => {
                Err(FieldError::new("year", "a year-end export needs its year"))
            }
            (None, Some(from), Some(to)) if from > to => Err(FieldError::new("to", "must not be before from")),
            (None, Some(from), Some(to)) if super::service::check_span(from, to).is_err() => {
                Err(FieldError::new("to", format!("an export covers at most {} months", super::service::MAX_MONTHS)))
            }
            (None, Some(from), Some(to)) => Ok((from, to)),
            (None, None, _) => Err(FieldError::new("from", "give a year, or from and to")),
            (None, Some(_), None) => Err(FieldError::new("to", "give to with from")),
        }
    }
}

impl Validate for CreateExport {
    fn validate(&self) -> Vec<FieldError> {
        let mut e: Vec<FieldError> = self.span().err().into_iter().collect();
        match &self.building_id {
            Some(_) if self.kind != ExportKind::OwnerPackPdf => {
                e.push(FieldError::new("buildingId", "only an owner pack is made for one building"))
            }
            Some(b) if crate::ids::BuildingId::parse(b).is_none() => {
                e.push(FieldError::new("buildingId", "must be a building id"))
            }
            _ => {}
        }
        e
    }
}

/// An export as stored and answered (`download` only in answers, when ready).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    pub id: ExportId,
    pub kind: ExportKind,
    pub status: ExportStatus,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub filename: String,
    /// The building an owner pack is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A short-lived GET URL of the file (when ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download: Option<Download>,
    pub requested_by: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Download {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// Records the request and emits `export.requested` (one transaction): `202` with it pending.
pub async fn create_export(cx: &Ctx<'_>, input: CreateExport) -> Result<Export> {
    let (from, to) = input.span().map_err(|e| Error::Invalid(vec![e]))?;
    // Another org's building, or none: 404 (asked of the properties domain).
    let building_id = match &input.building_id {
        Some(b) => Some(crate::properties::buildings::get_building(cx, b).await?.id.to_string()),
        None => None,
    };
    let (filename, _) = input.kind.file((from, to));
    let e = Export {
        id: ExportId::new(),
        kind: input.kind,
        status: ExportStatus::Pending,
        from,
        to,
        filename,
        building_id,
        size: None,
        error: None,
        download: None,
        requested_by: cx.scope.actor_id().to_owned(),
        created_at: cx.now,
        ready_at: None,
    };
    let mut tx = Tx::new();
    tx.put(ItemBuilder::new(EXPORT_ENTITY, &keys::export(cx.scope, &e.id), &e).build(), Some(Expr::not_exists()));
    events::emit(&mut tx, cx.scope, &ExportRequested { export_id: e.id.clone(), kind: e.kind, from, to });
    cx.db.transact(tx).await?;
    Ok(e)
}

async fn record(cx: &Ctx<'_>, id: &str) -> Result<Export> {
    let id = ExportId::parse(id).ok_or(Error::NotFound("export"))?;
    cx.db.get_as::<Export>(&keys::export(cx.scope, &id)).await?.ok_or(Error::NotFound("export"))
}

/// An export, with a fresh download URL when it is ready.
pub async fn get_export(cx: &Ctx<'_>, blob: &Blob, id: &str) -> Result<Export> {
    let mut e = record(cx, id).await?;
    if e.status == ExportStatus::Ready {
        let key = keys::export_object(cx.scope, &e.id, &e.filename);
        let (url, expires_at) = blob.presign_get(&key, None, &e.filename).await.map_err(blob_err)?;
        e.download = Some(Download { url, expires_at });
    }
    Ok(e)
}

/// The org's exports, newest first.
pub async fn list_exports(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Export>> {
    let (pk, prefix) = keys::exports(cx.scope);
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix).descending(), page).await?)
}

/// Builds the file of a requested export and stores it (`consumer-exports`); a build that fails
/// on the org's data marks the export `failed` with the reason (a redelivery of a finished
/// export does nothing).
pub async fn build(cx: &Ctx<'_>, blob: &Blob, id: &ExportId) -> Result<()> {
    let e = record(cx, id.as_str()).await?;
    if e.status != ExportStatus::Pending {
        return Ok(());
    }
    let (filename, content_type) = e.kind.file((e.from, e.to));
    let built = super::export_files::file(cx, e.kind, (e.from, e.to), e.building_id.as_deref()).await;
    let mut tx = Tx::new();
    let key = keys::export(cx.scope, &e.id);
    let pending = Some(Expr::new("#st = :pending").name("#st", "status").value(":pending", s("pending")));
    match built {
        Ok(bytes) => {
            let size = bytes.len() as u64;
            let object = keys::export_object(cx.scope, &e.id, &filename);
            blob.put(&object, bytes, content_type).await.map_err(blob_err)?;
            let at = s(cx.now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
            let set = Expr::set([("status", s("ready")), ("size", n(size as i64)), ("readyAt", at)]);
            tx.update(key, set, pending);
            events::emit(&mut tx, cx.scope, &ExportReady { export_id: e.id.clone(), kind: e.kind, size });
        }
        // What the org's data makes impossible is the export's answer; a store failure is retried.
        Err(err @ (Error::Invalid(_) | Error::NotFound(_) | Error::Conflict(_))) => {
            let reason = match &err {
                Error::Invalid(fields) => {
                    fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
                }
                other => other.to_string(),
            };
            tx.update(key, Expr::set([("status", s("failed")), ("error", s(&reason))]), pending);
            events::emit(&mut tx, cx.scope, &ExportFailed { export_id: e.id.clone(), kind: e.kind, error: reason });
        }
        Err(other) => return Err(other),
    }
    cx.db.transact(tx).await?;
    Ok(())
}

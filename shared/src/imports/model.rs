//! Imports as stored and shown.

use crate::ids::ImportId;
use crate::platform::blob::PresignedUpload;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const IMPORT_ENTITY: &str = "Import";
/// Largest file accepted (10,000 rows of a few hundred bytes fit many times over).
pub const MAX_SIZE_BYTES: u64 = 10 * 1024 * 1024;
/// Most rows per file.
pub const MAX_ROWS: usize = 50_000;
/// Errors kept on the import (the count is always exact).
pub const ERRORS_KEPT: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    Tenants,
    Units,
    Payments,
    Expenses,
    Leases,
    OpeningBalances,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Tenants => "tenants",
            ImportKind::Units => "units",
            ImportKind::Payments => "payments",
            ImportKind::Expenses => "expenses",
            ImportKind::Leases => "leases",
            ImportKind::OpeningBalances => "opening-balances",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        match s {
            "tenants" => Some(ImportKind::Tenants),
            "units" => Some(ImportKind::Units),
            "payments" => Some(ImportKind::Payments),
            "expenses" => Some(ImportKind::Expenses),
            "leases" => Some(ImportKind::Leases),
            "opening-balances" => Some(ImportKind::OpeningBalances),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Waiting for the file.
    Uploading,
    Validating,
    /// Read and checked: a dry run, or a file with errors (nothing written).
    Validated,
    Committing,
    Committed,
    /// The file could not be read at all (`failure` says why).
    Failed,
}

/// One problem: the file's line (the header is line 1), the column, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    pub row: u32,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Data rows in the file.
    pub rows: u32,
    /// Rows that would be (or were) written.
    pub valid: u32,
    /// Rows with at least one error.
    pub invalid: u32,
    /// Rows already in the org (skipped).
    pub existing: u32,
    /// Rows written so far by the commit.
    pub created: u32,
    /// Rows the commit could not write (each in `errors`).
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRecord {
    pub id: ImportId,
    pub kind: ImportKind,
    pub name: String,
    pub size_bytes: u64,
    pub dry_run: bool,
    pub status: ImportStatus,
    #[serde(default)]
    pub counts: Counts,
    /// How many errors there are (only the first `ERRORS_KEPT` are kept).
    #[serde(default)]
    pub error_count: u32,
    #[serde(default)]
    pub errors: Vec<RowError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub v: i64,
}

/// An import as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Import {
    pub id: ImportId,
    pub kind: ImportKind,
    pub name: String,
    pub size_bytes: u64,
    pub dry_run: bool,
    pub status: ImportStatus,
    pub counts: Counts,
    pub error_count: u32,
    pub errors: Vec<RowError>,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// On creation only: where to PUT the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload: Option<PresignedUpload>,
}

impl Import {
    pub fn of(r: ImportRecord, upload: Option<PresignedUpload>) -> Import {
        Import {
            id: r.id,
            kind: r.kind,
            name: r.name,
            size_bytes: r.size_bytes,
            dry_run: r.dry_run,
            status: r.status,
            counts: r.counts,
            error_count: r.error_count,
            errors: r.errors,
            failure: r.failure,
            created_at: r.created_at,
            updated_at: r.updated_at,
            upload,
        }
    }
}

/// `POST …/imports`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateImport {
    pub kind: ImportKind,
    /// The file's name (shown in the list).
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    #[schema(minimum = 1, maximum = 10485760)]
    pub size_bytes: u64,
    /// Validate only; commit later with `:commit`.
    #[serde(default)]
    pub dry_run: bool,
}

impl crate::validation::Validate for CreateImport {
    fn validate(&self) -> Vec<crate::FieldError> {
        let mut e = Vec::new();
        crate::validation::check_text(&mut e, "name", &self.name, 200);
        if self.size_bytes == 0 || self.size_bytes > MAX_SIZE_BYTES {
            e.push(crate::FieldError::new("sizeBytes", format!("must be from 1 to {MAX_SIZE_BYTES} bytes")));
        }
        e
    }
}

/// `POST …/imports/{importId}:commit`: nothing to say (an empty object or no body).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitImport {}

impl crate::validation::Validate for CommitImport {
    fn validate(&self) -> Vec<crate::FieldError> {
        Vec::new()
    }
}

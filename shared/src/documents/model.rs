//! Document, version and obligation types and their input rules.

use crate::ids::DocumentId;
use crate::platform::blob::PresignedUpload;
use crate::validation::{check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DOCUMENT_ENTITY: &str = "Document";
pub const VERSION_ENTITY: &str = "DocumentVersion";
pub const OBLIGATION_ENTITY: &str = "Obligation";
/// Largest file accepted (25 MiB).
pub const MAX_SIZE_BYTES: u64 = 25 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SubjectType {
    Lease,
    Building,
    Unit,
    Tenant,
    Expense,
    /// A maintenance request (its photos).
    Maintenance,
    /// A workflow (its task's due date on the obligations board).
    Workflow,
}

impl SubjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectType::Lease => "lease",
            SubjectType::Building => "building",
            SubjectType::Unit => "unit",
            SubjectType::Tenant => "tenant",
            SubjectType::Maintenance => "maintenance",
            SubjectType::Workflow => "workflow",
            SubjectType::Expense => "expense",
        }
    }
}

/// What a document is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentSubject {
    #[serde(rename = "type")]
    pub type_: SubjectType,
    #[schema(value_type = crate::validation::schema::Text40)]
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VersionStatus {
    /// Upload URL issued; the bytes have not been checked yet.
    Pending,
    /// The stored object matched its declared size and type.
    Available,
    /// The stored object did not match (wrong size or not the declared type).
    Rejected,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Pending => "pending",
            VersionStatus::Available => "available",
            VersionStatus::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRecord {
    pub id: DocumentId,
    pub subject: DocumentSubject,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    pub latest_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_available: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentVersion {
    pub version: u32,
    pub status: VersionStatus,
    pub content_type: String,
    pub size_bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<DateTime<Utc>>,
    /// The S3 object version that was checked: downloads serve exactly those bytes, whatever is
    /// PUT to the key later. Internal.
    #[serde(default, rename = "objectVersionId", skip_serializing)]
    #[schema(ignore)]
    pub object_version_id: Option<String>,
}

/// A short-lived link to the latest available version.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Download {
    pub version: u32,
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: DocumentId,
    pub subject: DocumentSubject,
    pub name: String,
    pub expires_on: Option<NaiveDate>,
    pub latest_version: u32,
    /// Oldest first.
    pub versions: Vec<DocumentVersion>,
    /// Present when a version is available.
    pub download: Option<Download>,
    /// Present right after a create or a new version: PUT the file there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload: Option<PresignedUpload>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A document in a list (no versions or links).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    pub id: DocumentId,
    pub subject: DocumentSubject,
    pub name: String,
    pub expires_on: Option<NaiveDate>,
    pub latest_version: u32,
    pub latest_available: Option<u32>,
    pub created_at: DateTime<Utc>,
}

impl From<DocumentRecord> for DocumentSummary {
    fn from(r: DocumentRecord) -> Self {
        DocumentSummary {
            id: r.id,
            subject: r.subject,
            name: r.name,
            expires_on: r.expires_on,
            latest_version: r.latest_version,
            latest_available: r.latest_available,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDocument {
    pub subject: DocumentSubject,
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    /// One of: application/pdf, image/png, image/jpeg, image/heic, image/webp, .docx, text/csv.
    #[schema(value_type = crate::documents::sniff::ContentType)]
    pub content_type: String,
    /// Exact size of the file to upload (at most 25 MiB).
    #[schema(minimum = 1, maximum = 26214400)]
    pub size_bytes: u64,
    /// When set, an obligation falls due on this date.
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateVersion {
    #[schema(value_type = crate::documents::sniff::ContentType)]
    pub content_type: String,
    #[schema(minimum = 1, maximum = 26214400)]
    pub size_bytes: u64,
    /// The new version's expiry: fulfils the current obligation and opens a new one.
    #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
    pub expires_on: Option<NaiveDate>,
}

fn check_file(e: &mut Vec<FieldError>, content_type: &str, size: u64) {
    if !super::sniff::ALLOWED.contains(&content_type) {
        e.push(FieldError::new("contentType", format!("must be one of {}", super::sniff::ALLOWED.join(", "))));
    }
    if size == 0 || size > MAX_SIZE_BYTES {
        e.push(FieldError::new("sizeBytes", format!("must be from 1 to {MAX_SIZE_BYTES} bytes")));
    }
}

impl Validate for CreateDocument {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        check_text(&mut e, "subject.id", &self.subject.id, 40);
        check_file(&mut e, &self.content_type, self.size_bytes);
        e
    }
}

impl Validate for CreateVersion {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_file(&mut e, &self.content_type, self.size_bytes);
        e
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ObligationStatus {
    Open,
    /// Done: a newer version with a later expiry replaced it, the deposit was settled, the
    /// lease was renewed.
    Fulfilled,
}

/// What falls due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// A document expires (renew it).
    #[default]
    DocumentExpiry,
    /// An ended lease's deposit must be returned (the jurisdiction's deadline after move-out).
    DepositReturn,
    /// The last day to give notice of a rent rise or non-renewal before a lease ends.
    NoticeDeadline,
    /// An active lease's last day.
    LeaseEnd,
    /// An open workflow task's due date.
    TaskDue,
}

impl ObligationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationKind::DocumentExpiry => "document_expiry",
            ObligationKind::DepositReturn => "deposit_return",
            ObligationKind::NoticeDeadline => "notice_deadline",
            ObligationKind::LeaseEnd => "lease_end",
            ObligationKind::TaskDue => "task_due",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Obligation {
    #[serde(default)]
    pub kind: ObligationKind,
    /// The expiring document's (a document expiry's only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<DocumentId>,
    pub name: String,
    pub subject: DocumentSubject,
    pub due_on: NaiveDate,
    pub status: ObligationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilled_by_version: Option<u32>,
    /// The jurisdiction rule that set the date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_id: Option<String>,
    /// What the rule asks, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Who it falls to (a workflow task's assignee); absent: the owners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_role: Option<crate::platform::scope::Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_user_id: Option<String>,
}

impl Obligation {
    /// A new open obligation falling due on `due`.
    pub fn open(document: &DocumentId, name: &str, subject: &DocumentSubject, due: NaiveDate) -> Obligation {
        Obligation {
            kind: ObligationKind::DocumentExpiry,
            policy_id: None,
            detail: None,
            assignee_role: None,
            assignee_user_id: None,
            document_id: Some(document.clone()),
            name: name.to_owned(),
            subject: subject.clone(),
            due_on: due,
            status: ObligationStatus::Open,
            fulfilled_by_version: None,
        }
    }
}

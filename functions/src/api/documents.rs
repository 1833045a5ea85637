//! `api-documents`: documents with presigned uploads and versions, and the obligations their
//! expiry dates create.

use super::route::Call;
use portfolio::documents::model::{
    CreateDocument, CreateVersion, Document, DocumentSummary, Obligation, ObligationKind, SubjectType,
};
use portfolio::documents::service;
use portfolio::platform::http::{date_param, json, json_body, query_param, ApiError, ApiResult, Problem};
use portfolio::FieldError;

crate::routes! {
    org(DocumentWrite) create,
    org(DocumentRead) list_documents,
    org(DocumentRead) get,
    org(DocumentWrite) new_version,
    org(DocumentRead) obligations,
}

/// Creates a document about a lease, building, unit or tenant and answers with `upload`: PUT the
/// file to `upload.url` with exactly `upload.headers` (the URL is bound to the declared type and
/// size and expires in 15 minutes). The version becomes `available` once its bytes are checked.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/documents", tag = "documents", params(("orgId" = String, Path)), request_body = CreateDocument,
    responses((status = 201, body = Document), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateDocument = json_body(c.req)?;
    json(201, &service::create_document(&c.cx, c.app.blob(), input).await?)
}

/// The documents of one subject (`?subjectType=lease&subjectId=lse_…`).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/documents", tag = "documents",
    params(("orgId" = String, Path), ("subjectType" = SubjectType, Query), ("subjectId" = String, Query, min_length = 1, max_length = 40), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<DocumentSummary>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_documents(c: Call<'_>) -> ApiResult {
    let subject_type: SubjectType = query_param(c.req, "subjectType")
        .and_then(|t| serde_json::from_value(serde_json::Value::String(t)).ok())
        .ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "subjectType",
                "required: lease, building, unit, tenant, expense or maintenance",
            )])
        })?;
    let subject_id = query_param(c.req, "subjectId")
        .filter(|v| !v.is_empty() && v.chars().count() <= 40)
        .ok_or_else(|| ApiError::validation(vec![FieldError::new("subjectId", "required")]))?;
    let p = c.page()?;
    c.list(service::list_documents(&c.cx, subject_type, &subject_id, p).await?)
}

/// Metadata, every version, and a download link for the latest available version (≤ 5 minutes).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/documents/{documentId}", tag = "documents",
    params(("orgId" = String, Path), ("documentId" = String, Path)),
    responses((status = 200, body = Document), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &service::get_document(&c.cx, c.app.blob(), &c.param("documentId")?).await?)
}

/// A new version's presigned upload; earlier versions are kept.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/documents/{documentId}/versions", tag = "documents",
    params(("orgId" = String, Path), ("documentId" = String, Path)), request_body = CreateVersion,
    responses((status = 201, body = Document), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn new_version(c: Call<'_>) -> ApiResult {
    let input: CreateVersion = json_body(c.req)?;
    json(201, &service::create_version(&c.cx, c.app.blob(), &c.param("documentId")?, input).await?)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Obligations {
    /// Open obligations first, each group by due date.
    pub items: Vec<Obligation>,
}

/// The board of what falls due before `dueBefore`: document expiries, deposit-return
/// deadlines after move-out, and the notice deadlines of leases coming to an end (from their
/// jurisdiction's notice rule); `kind` narrows it to one of them.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/obligations", tag = "documents",
    params(("orgId" = String, Path), ("dueBefore" = chrono::NaiveDate, Query, description = "YYYY-MM-DD"), ("kind" = Option<ObligationKind>, Query)),
    responses((status = 200, body = Obligations), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn obligations(c: Call<'_>) -> ApiResult {
    let due_before = date_param(c.req, "dueBefore")?;
    let kind = match query_param(c.req, "kind") {
        None => None,
        Some(k) => Some(serde_json::from_value(serde_json::Value::String(k)).map_err(|_| {
            ApiError::validation(vec![FieldError::new(
                "kind",
                "must be document_expiry, deposit_return or notice_deadline",
            )])
        })?),
    };
    json(200, &Obligations { items: portfolio::leasing::obligations::board(&c.cx, due_before, kind).await? })
}

//! `api-documents`: documents with presigned uploads and versions, and the obligations their
//! expiry dates create.

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::documents::model::{CreateDocument, CreateVersion, Document, DocumentSummary, Obligation, SubjectType};
use portfolio::documents::service;
use portfolio::platform::http::{date_param, json, json_body, path_param, query_param, ApiError, ApiResult, Problem};
use portfolio::platform::scope::Action;
use portfolio::platform::App;
use portfolio::FieldError;

pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/documents";
pub const LIST: &str = "GET /api/v1/orgs/{orgId}/documents";
pub const GET: &str = "GET /api/v1/orgs/{orgId}/documents/{documentId}";
pub const NEW_VERSION: &str = "POST /api/v1/orgs/{orgId}/documents/{documentId}/versions";
pub const OBLIGATIONS: &str = "GET /api/v1/orgs/{orgId}/obligations";
pub const ROUTES: &[&str] = &[CREATE, LIST, GET, NEW_VERSION, OBLIGATIONS];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            CREATE => create(app, &req).await,
            LIST => list_documents(app, &req).await,
            GET => get(app, &req).await,
            NEW_VERSION => new_version(app, &req).await,
            OBLIGATIONS => obligations(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

/// Creates a document about a lease, building, unit or tenant and answers with `upload`: PUT the
/// file to `upload.url` with exactly `upload.headers` (the URL is bound to the declared type and
/// size and expires in 15 minutes). The version becomes `available` once its bytes are checked.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/documents", tag = "documents", params(("orgId" = String, Path)), request_body = CreateDocument,
    responses((status = 201, body = Document), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::DocumentWrite).await?;
    let input: CreateDocument = json_body(req)?;
    json(201, &service::create_document(&app.db, &app.blob, &s, input).await?)
}

/// The documents of one subject (`?subjectType=lease&subjectId=lse_…`).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/documents", tag = "documents",
    params(("orgId" = String, Path), ("subjectType" = SubjectType, Query), ("subjectId" = String, Query, min_length = 1, max_length = 40), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<DocumentSummary>)), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_documents(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::DocumentRead).await?;
    let subject_type: SubjectType = query_param(req, "subjectType")
        .and_then(|t| serde_json::from_value(serde_json::Value::String(t)).ok())
        .ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "subjectType",
                "required: lease, building, unit, tenant or expense",
            )])
        })?;
    let subject_id = query_param(req, "subjectId")
        .filter(|v| !v.is_empty() && v.len() <= 40)
        .ok_or_else(|| ApiError::validation(vec![FieldError::new("subjectId", "required")]))?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_documents(&app.db, &s, subject_type, &subject_id, p).await?)
}

/// Metadata, every version, and a download link for the latest available version (≤ 5 minutes).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/documents/{documentId}", tag = "documents",
    params(("orgId" = String, Path), ("documentId" = String, Path)),
    responses((status = 200, body = Document), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::DocumentRead).await?;
    json(200, &service::get_document(&app.db, &app.blob, &s, &path_param(req, "documentId")?).await?)
}

/// A new version's presigned upload; earlier versions are kept.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/documents/{documentId}/versions", tag = "documents",
    params(("orgId" = String, Path), ("documentId" = String, Path)), request_body = CreateVersion,
    responses((status = 201, body = Document), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn new_version(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::DocumentWrite).await?;
    let input: CreateVersion = json_body(req)?;
    json(201, &service::create_version(&app.db, &app.blob, &s, &path_param(req, "documentId")?, input).await?)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Obligations {
    /// Open obligations first, each group by due date.
    pub items: Vec<Obligation>,
}

/// Documents expiring before `dueBefore`.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/obligations", tag = "documents",
    params(("orgId" = String, Path), ("dueBefore" = chrono::NaiveDate, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = Obligations), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn obligations(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::DocumentRead).await?;
    let due_before = date_param(req, "dueBefore")?;
    json(200, &Obligations { items: service::obligations(&app.db, &s, due_before).await? })
}

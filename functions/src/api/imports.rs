//! `api-imports`: CSV imports of units, tenants, leases, payments, expenses and opening
//! balances. `POST …/imports` answers the import with a presigned upload; `consumer-import`
//! validates the file when it lands (and commits it unless it is a dry run);
//! `…/imports/{importId}:commit` commits a validated dry run (409 while it has errors).
//! `GET …/import-templates/{kind}` is the CSV header with example rows.

use super::route::Call;
use portfolio::imports::model::{CommitImport, CreateImport, Import, ImportKind};
use portfolio::imports::service;
use portfolio::platform::http::{json, json_body, json_body_or_default, ApiError, ApiResult, Problem};

crate::routes! {
    org(LeasingWrite) create_import,
    org(LeasingRead) list_imports,
    org(LeasingRead) get_import,
    org(LeasingWrite) commit_import,
    org(LeasingRead) get_template,
}

/// A new import (`kind`: `units`, `tenants`, `leases`, `payments`, `expenses` or
/// `opening-balances`) and its `upload` (PUT the file there, as `text/csv`, exactly
/// `sizeBytes`); processing starts when the file lands.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/imports", tag = "imports",
    params(("orgId" = String, Path)), request_body = CreateImport,
    responses((status = 201, body = Import), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_import(c: Call<'_>) -> ApiResult {
    let input: CreateImport = json_body(c.req)?;
    json(201, &service::create(&c.cx, c.app.imports(), input).await?)
}

/// The org's imports, newest first, without their errors (`errorCount` says how many; `GET` the
/// import for them).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/imports", tag = "imports",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Import>)), (status = 404, body = Problem)))]
pub async fn list_imports(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list(&c.cx, p).await?)
}

/// An import: its `status` (`uploading`, `validating`, `validated`, `committing`, `committed`,
/// `failed`), its counts and `errors` `[{row, field, message}]` (`row`: the file's line, the
/// header being line 1).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/imports/{importId}", tag = "imports",
    params(("orgId" = String, Path), ("importId" = String, Path)),
    responses((status = 200, body = Import), (status = 404, body = Problem)))]
pub async fn get_import(c: Call<'_>) -> ApiResult {
    json(200, &service::get(&c.cx, &c.param("importId")?).await?)
}

/// Commits a validated dry run (409 while it has errors, or when it is not one).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/imports/{importId}:commit", tag = "imports",
    params(("orgId" = String, Path), ("importId" = String, Path)), request_body = Option<CommitImport>,
    responses((status = 202, body = Import), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn commit_import(c: Call<'_>) -> ApiResult {
    let _: CommitImport = json_body_or_default(c.req)?;
    json(202, &service::request_commit(&c.cx, c.app.imports(), &c.param("importId")?).await?)
}

/// The CSV template of a kind: its header and example rows.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/import-templates/{kind}", tag = "imports",
    params(("orgId" = String, Path), ("kind" = inline(ImportKind), Path)),
    responses((status = 200, description = "The template", content_type = "text/csv", body = String), (status = 404, body = Problem)))]
pub async fn get_template(c: Call<'_>) -> ApiResult {
    let kind = c.param("kind")?;
    let csv = service::template(&kind)?;
    lambda_http::Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", format!("attachment; filename=\"{kind}-template.csv\""))
        .body(lambda_http::Body::Text(csv))
        .map_err(|_| ApiError::internal())
}

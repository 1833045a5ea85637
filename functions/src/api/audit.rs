//! `api-audit`: the audit log, newest first (owner and accountant).

use super::route::Call;
use portfolio::core::model::AuditEntry;
use portfolio::core::service;
use portfolio::platform::http::{ApiResult, Problem};

crate::routes! {
    org(AuditRead) list_audit,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/audit", tag = "identity",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<AuditEntry>)), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_audit(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_audit(&c.cx, p).await?)
}

//! `api-vendors`: who expenses are paid to; tax ids are encrypted with KMS and answered masked.

use super::route::Call;
use portfolio::books::vendors::{self, CreateVendor, UpdateVendor, Vendor};
use portfolio::platform::http::{json, json_body, ApiResult, Problem};

crate::routes! {
    org(BooksRead) list_vendors,
    org(BooksWrite) create,
    org(BooksRead) get,
    org(BooksWrite) update,
    org(BooksWrite) delete,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/vendors", tag = "books",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Vendor>)), (status = 404, body = Problem)))]
pub async fn list_vendors(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(vendors::list_vendors(&c.cx, p).await?)
}

/// A vendor; a tax id (SSN or EIN) is stored encrypted and answered masked (`***-**-1234`).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/vendors", tag = "books", params(("orgId" = String, Path)), request_body = CreateVendor,
    responses((status = 201, body = Vendor), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateVendor = json_body(c.req)?;
    json(201, &vendors::create_vendor(&c.cx, c.app.vendor_tax_ids(), input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/vendors/{vendorId}", tag = "books",
    params(("orgId" = String, Path), ("vendorId" = String, Path)),
    responses((status = 200, body = Vendor), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    json(200, &vendors::get_vendor(&c.cx, &c.param("vendorId")?).await?)
}

/// Changes a vendor; `{"archived": true}` retires one that has expenses.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/vendors/{vendorId}", tag = "books",
    params(("orgId" = String, Path), ("vendorId" = String, Path)), request_body = UpdateVendor,
    responses((status = 200, body = Vendor), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateVendor = json_body(c.req)?;
    json(200, &vendors::update_vendor(&c.cx, c.app.vendor_tax_ids(), &c.param("vendorId")?, input).await?)
}

/// Deletes a vendor without expenses (409 otherwise).
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/vendors/{vendorId}", tag = "books",
    params(("orgId" = String, Path), ("vendorId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(c: Call<'_>) -> ApiResult {
    vendors::delete_vendor(&c.cx, &c.param("vendorId")?).await?;
    portfolio::platform::http::no_content()
}

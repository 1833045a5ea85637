//! `api-webhooks`: endpoints (the secret is shown once, on create), their deliveries, and
//! redelivery. `…/deliveries/{deliveryId}:redeliver` arrives on `POST …/deliveries/{deliveryId}`
//! (path parameters span whole segments).

use super::route::Call;
use portfolio::catalog::CATALOG;
use portfolio::platform::http::{json, json_body, json_body_or_default, no_content, ApiResult, Problem};
use portfolio::webhooks::model::{CreateWebhook, Delivery, Redeliver, UpdateWebhook, Webhook};
use portfolio::webhooks::service;

crate::routes! {
    org(WebhookRead) list_webhooks,
    org(WebhookManage) create,
    org(WebhookRead) get,
    org(WebhookManage) update,
    org(WebhookManage) delete,
    org(WebhookRead) deliveries,
    org(WebhookManage) redeliver,
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/webhooks", tag = "events",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Webhook>)), (status = 404, body = Problem)))]
pub async fn list_webhooks(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list(&c.cx, p).await?)
}

/// Registers an endpoint for event types (`payment.received`, `payment.*`, `*`). The response
/// alone carries `secret`, for verifying `Portfolio-Signature`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/webhooks", tag = "events", params(("orgId" = String, Path)), request_body = CreateWebhook,
    responses((status = 201, body = Webhook), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(c: Call<'_>) -> ApiResult {
    let input: CreateWebhook = json_body(c.req)?;
    json(201, &service::create(c.app, &c.cx, &CATALOG, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path)),
    responses((status = 200, body = Webhook), (status = 404, body = Problem)))]
pub async fn get(c: Call<'_>) -> ApiResult {
    let w = service::get_record(&c.cx, &c.param("webhookId")?).await?;
    json(200, &Webhook::from_record(w))
}

/// Changes the URL, event types or description; `status: active` re-enables a disabled one.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path)), request_body = UpdateWebhook,
    responses((status = 200, body = Webhook), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(c: Call<'_>) -> ApiResult {
    let input: UpdateWebhook = json_body(c.req)?;
    let id = c.param("webhookId")?;
    let rules = (&CATALOG, c.app.config.webhooks.allow_private);
    json(200, &service::update(&c.cx, rules, &id, input).await?)
}

#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(c: Call<'_>) -> ApiResult {
    service::delete(&c.cx, &c.param("webhookId")?).await?;
    no_content()
}

/// Deliveries, newest first: attempts with status codes and errors, and the next retry.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Delivery>)), (status = 404, body = Problem)))]
pub async fn deliveries(c: Call<'_>) -> ApiResult {
    let p = c.page()?;
    c.list(service::list_deliveries(&c.cx, &c.param("webhookId")?, p).await?)
}

/// Sends the delivery again now (a new series of attempts).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}:redeliver", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path), ("deliveryId" = String, Path)), request_body = Option<Redeliver>,
    responses((status = 200, body = Delivery), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn redeliver(c: Call<'_>) -> ApiResult {
    let _: Redeliver = json_body_or_default(c.req)?;
    let (webhook, delivery) = (c.param("webhookId")?, c.param("deliveryId")?);
    json(200, &service::redeliver(c.app, &c.cx, &webhook, &delivery).await?)
}

//! `api-webhooks`: endpoints (the secret is shown once, on create), their deliveries, and
//! redelivery. `…/deliveries/{deliveryId}:redeliver` arrives on `POST …/deliveries/{deliveryId}`
//! (path parameters span whole segments).

use super::{list, page, route, scope, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::catalog::CATALOG;
use portfolio::platform::http::{
    json, json_body, json_body_or_default, no_content, path_param, ApiError, ApiResult, Problem,
};
use portfolio::platform::scope::Action;
use portfolio::platform::App;
use portfolio::webhooks::model::{CreateWebhook, Delivery, Redeliver, UpdateWebhook, Webhook};
use portfolio::webhooks::service;

pub const LIST: &str = "GET /api/v1/orgs/{orgId}/webhooks";
pub const CREATE: &str = "POST /api/v1/orgs/{orgId}/webhooks";
pub const GET: &str = "GET /api/v1/orgs/{orgId}/webhooks/{webhookId}";
pub const UPDATE: &str = "PATCH /api/v1/orgs/{orgId}/webhooks/{webhookId}";
pub const DELETE: &str = "DELETE /api/v1/orgs/{orgId}/webhooks/{webhookId}";
pub const DELIVERIES: &str = "GET /api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries";
pub const REDELIVER: &str = "POST /api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}";
pub const ROUTES: &[&str] = &[LIST, CREATE, GET, UPDATE, DELETE, DELIVERIES, REDELIVER];

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            LIST => list_webhooks(app, &req).await,
            CREATE => create(app, &req).await,
            GET => get(app, &req).await,
            UPDATE => update(app, &req).await,
            DELETE => delete(app, &req).await,
            DELIVERIES => deliveries(app, &req).await,
            REDELIVER => redeliver(app, &req).await,
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/webhooks", tag = "events",
    params(("orgId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Webhook>)), (status = 404, body = Problem)))]
pub async fn list_webhooks(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list(&app.db, &s, p).await?)
}

/// Registers an endpoint for event types (`payment.received`, `payment.*`, `*`). The response
/// alone carries `secret`, for verifying `Portfolio-Signature`.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/webhooks", tag = "events", params(("orgId" = String, Path)), request_body = CreateWebhook,
    responses((status = 201, body = Webhook), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookManage).await?;
    let input: CreateWebhook = json_body(req)?;
    json(201, &service::create(app, &s, &CATALOG, input).await?)
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path)),
    responses((status = 200, body = Webhook), (status = 404, body = Problem)))]
pub async fn get(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookRead).await?;
    let w = service::get_record(&app.db, &s, &path_param(req, "webhookId")?).await?;
    json(200, &Webhook::from_record(w))
}

/// Changes the URL, event types or description; `status: active` re-enables a disabled one.
#[utoipa::path(patch, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path)), request_body = UpdateWebhook,
    responses((status = 200, body = Webhook), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookManage).await?;
    let input: UpdateWebhook = json_body(req)?;
    let id = path_param(req, "webhookId")?;
    let rules = (&CATALOG, app.config.webhooks_allow_private);
    json(200, &service::update(&app.db, &s, rules, &id, input).await?)
}

#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookManage).await?;
    service::delete(&app.db, &s, &path_param(req, "webhookId")?).await?;
    no_content()
}

/// Deliveries, newest first: attempts with status codes and errors, and the next retry.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<Delivery>)), (status = 404, body = Problem)))]
pub async fn deliveries(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookRead).await?;
    let p = page(app, req, &s)?;
    list(app, req, &s, service::list_deliveries(&app.db, &s, &path_param(req, "webhookId")?, p).await?)
}

/// Sends the delivery again now (a new series of attempts).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}:redeliver", tag = "events",
    params(("orgId" = String, Path), ("webhookId" = String, Path), ("deliveryId" = String, Path)), request_body = Option<Redeliver>,
    responses((status = 200, body = Delivery), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn redeliver(app: &App, req: &Request) -> ApiResult {
    let s = scope(app, req, Action::WebhookManage).await?;
    let _: Redeliver = json_body_or_default(req)?;
    let raw = path_param(req, "deliveryId")?;
    let Some((id, "redeliver")) = raw.split_once(':') else { return Err(ApiError::not_found("route")) };
    let webhook = path_param(req, "webhookId")?;
    json(200, &service::redeliver(app, &s, &webhook, id).await?)
}

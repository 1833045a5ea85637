//! `api-health`: liveness, the OpenAPI document and the event catalog (documentation, so
//! without auth).

use lambda_http::Request;
use portfolio::platform::http::{json, ApiResult};
use portfolio::platform::App;

crate::routes! {
    public health,
    public openapi,
    public event_types,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json")))]
pub async fn openapi(_: &App, _: &Request) -> ApiResult {
    json(200, &crate::openapi::document_value())
}

/// Liveness.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta", security(()), responses((status = 200, body = Health)))]
pub async fn health(_: &App, _: &Request) -> ApiResult {
    json(200, &Health { status: "ok" })
}

/// One event type of the catalog.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventType {
    /// `<resource>.<past-tense verb>`, as in an event's `type` and a webhook's `eventTypes`.
    #[serde(rename = "type")]
    #[schema(example = "payment.received")]
    pub type_: String,
    /// The version of the payload's shape; a change that would break subscribers is a new one.
    pub version: u32,
    /// The event's `subject.type`.
    #[schema(example = "payment")]
    pub subject: String,
    /// The JSON Schema (2020-12) of the event's `data`, self-contained (`$defs`).
    #[schema(value_type = Object)]
    pub schema: serde_json::Value,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EventTypes {
    pub items: Vec<EventType>,
}

/// Every event type with its payload's JSON Schema: what `eventTypes` of a webhook may name
/// (`payment.received`, `payment.*` or `*`).
#[utoipa::path(get, path = "/api/v1/event-types", tag = "events", security(()), responses((status = 200, body = EventTypes)))]
pub async fn event_types(_: &App, _: &Request) -> ApiResult {
    let items = portfolio::catalog::all()
        .map(|spec| EventType {
            type_: spec.type_.to_owned(),
            version: spec.version,
            subject: spec.subject.to_owned(),
            schema: crate::openapi::payload_json_schema(spec),
        })
        .collect();
    json(200, &EventTypes { items })
}

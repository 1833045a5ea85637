//! `api-health`: liveness and the OpenAPI document (both without auth).

use super::{route, serve, unknown_route};
use lambda_http::{Body, Request, Response};
use portfolio::platform::http::{json, ApiResult};
use portfolio::platform::App;

pub const HEALTH: &str = "GET /api/v1/health";
pub const OPENAPI: &str = "GET /api/v1/openapi.json";
pub const ROUTES: &[&str] = &[HEALTH, OPENAPI];

pub async fn handle(_app: &App, req: Request) -> Response<Body> {
    serve(&req, async {
        match route(&req) {
            HEALTH => health(),
            OPENAPI => json(200, &crate::openapi::document()),
            other => Err(unknown_route(other)),
        }
    })
    .await
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta", security(()), responses((status = 200, body = Health)))]
pub fn health() -> ApiResult {
    json(200, &Health { status: "ok" })
}

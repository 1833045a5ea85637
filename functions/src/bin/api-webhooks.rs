//! The `api-webhooks` Lambda: wiring only (see `functions::api::webhooks`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::WEBHOOK_ENDPOINTS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::webhooks::ROUTES, req))
    })
    .await
}

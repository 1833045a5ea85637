//! The `api-events` Lambda: wiring only (see `functions::api::events`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(|app, req| Box::pin(functions::api::route::dispatch(app, functions::api::events::ROUTES, req)))
        .await
}

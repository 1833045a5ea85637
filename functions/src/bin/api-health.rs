//! The `api-health` Lambda: wiring only (see `functions::api::health`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::NONE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::health::ROUTES, req))
    })
    .await
}

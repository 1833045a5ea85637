//! The `api-exports` Lambda: wiring only (see `functions::api::exports`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::EXPORTS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::exports::ROUTES, req))
    })
    .await
}

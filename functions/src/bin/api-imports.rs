//! The `api-imports` Lambda: wiring only (see `functions::api::imports`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::IMPORTS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::imports::ROUTES, req))
    })
    .await
}

//! The `api-audit` Lambda: wiring only (see `functions::api::audit`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::audit::ROUTES, req))
    })
    .await
}

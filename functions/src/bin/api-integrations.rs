//! The `api-integrations` Lambda: wiring only (see `functions::api::integrations`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::INTEGRATIONS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::integrations::ROUTES, req))
    })
    .await
}

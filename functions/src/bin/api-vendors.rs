//! The `api-vendors` Lambda: wiring only (see `functions::api::vendors`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::VENDORS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::vendors::ROUTES, req))
    })
    .await
}

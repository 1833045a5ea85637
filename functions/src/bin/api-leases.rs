//! The `api-leases` Lambda: wiring only (see `functions::api::leases`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(|app, req| Box::pin(functions::api::route::dispatch(app, functions::api::leases::ROUTES, req)))
        .await
}

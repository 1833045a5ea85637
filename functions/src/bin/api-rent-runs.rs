//! The `api-rent-runs` Lambda: wiring only (see `functions::api::rent_runs`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::rent_runs::ROUTES, req))
    })
    .await
}

//! The `api-buildings` Lambda: wiring only (see `functions::api::buildings`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::buildings::ROUTES, req))
    })
    .await
}

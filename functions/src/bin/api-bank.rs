//! The `api-bank` Lambda: wiring only (see `functions::api::bank`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::bank::ROUTES, req))
    })
    .await
}

//! The `api-workflows` Lambda: wiring only (see `functions::api::workflows`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::workflows::ROUTES, req))
    })
    .await
}

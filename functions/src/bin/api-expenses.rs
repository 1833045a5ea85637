//! The `api-expenses` Lambda: wiring only (see `functions::api::expenses`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::expenses::ROUTES, req))
    })
    .await
}

//! The `api-charges` Lambda: wiring only (see `functions::api::charges`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::charges::ROUTES, req))
    })
    .await
}

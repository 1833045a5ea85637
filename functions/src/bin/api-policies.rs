//! The `api-policies` Lambda: wiring only (see `functions::api::policies`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::TABLE, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::policies::ROUTES, req))
    })
    .await
}

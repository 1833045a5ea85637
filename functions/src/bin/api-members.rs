//! The `api-members` Lambda: wiring only (see `functions::api::members`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(|app, req| Box::pin(functions::api::route::dispatch(app, functions::api::members::ROUTES, req)))
        .await
}

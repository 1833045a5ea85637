//! The `api-charges` Lambda: wiring only (see `functions::api::charges`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(|app, req| Box::pin(functions::api::charges::handle(app, req))).await
}

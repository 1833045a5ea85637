//! The `webhook-plaid` Lambda: wiring only (see `functions::webhooks::plaid`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::PLAID, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::webhooks::plaid::ROUTES, req))
    })
    .await
}

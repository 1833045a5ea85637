//! The `webhook-stripe` Lambda: wiring only (see `functions::webhooks::stripe`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::STRIPE_WEBHOOKS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::webhooks::stripe::ROUTES, req))
    })
    .await
}

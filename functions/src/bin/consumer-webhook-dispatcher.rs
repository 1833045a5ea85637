//! The `consumer-webhook-dispatcher` Lambda: wiring only (see `functions::consumers::webhook_dispatcher`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::WEBHOOK_DISPATCHER, |app, ev| {
        Box::pin(functions::consumers::webhook_dispatcher::handle(app, ev))
    })
    .await
}

//! The `consumer-notifier` Lambda: wiring only (see `functions::consumers::notifier`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::NOTIFIER, |app, ev| Box::pin(functions::consumers::notifier::handle(app, ev)))
        .await
}

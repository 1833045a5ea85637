//! The `consumer-exports` Lambda: wiring only (see `functions::consumers::exports`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::EXPORTS, |app, ev| Box::pin(functions::consumers::exports::handle(app, ev)))
        .await
}

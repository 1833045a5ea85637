//! The `consumer-bank-sync` Lambda: wiring only (see `functions::consumers::bank_sync`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::PLAID, |app, ev| Box::pin(functions::consumers::bank_sync::handle(app, ev)))
        .await
}

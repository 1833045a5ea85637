//! The `consumer-books` Lambda: wiring only (see `functions::consumers::books`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::TABLE, |app, ev| Box::pin(functions::consumers::books::handle(app, ev))).await
}

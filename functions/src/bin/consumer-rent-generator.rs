//! The `consumer-rent-generator` Lambda: wiring only (see `functions::consumers::rent_generator`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(|app, ev| Box::pin(functions::consumers::rent_generator::handle(app, ev))).await
}

//! The `consumer-workflow-runtime` Lambda: wiring only (see `functions::consumers::workflow_runtime`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::TABLE, |app, ev| {
        Box::pin(functions::consumers::workflow_runtime::handle(app, ev))
    })
    .await
}

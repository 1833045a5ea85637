//! The `consumer-obligations` Lambda (its job queue's consumer): wiring only (see `functions::consumers::jobs`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::JOBS, |app, ev| {
        Box::pin(functions::consumers::jobs::handle(app, functions::jobs::Job::Obligations, ev))
    })
    .await
}

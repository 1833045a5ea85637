//! The `job-obligations` Lambda (its schedule's target): wiring only (see `functions::jobs::schedule`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_job(functions::wiring::JOBS, |app, input| {
        Box::pin(functions::jobs::schedule(app, functions::jobs::Job::Obligations, input))
    })
    .await
}

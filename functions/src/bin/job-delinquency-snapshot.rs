//! The `job-delinquency-snapshot` Lambda: wiring only (see `functions::jobs::delinquency_snapshot`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_job(|app, input| Box::pin(functions::jobs::delinquency_snapshot::handle(app, input))).await
}

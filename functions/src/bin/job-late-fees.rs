//! The `job-late-fees` Lambda: wiring only (see `functions::jobs::late_fees`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_job(|app, input| Box::pin(functions::jobs::late_fees::handle(app, input))).await
}

//! The `job-rent-scheduler` Lambda: wiring only (see `functions::jobs::rent_scheduler`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_job(|app, input| Box::pin(functions::jobs::rent_scheduler::handle(app, input))).await
}

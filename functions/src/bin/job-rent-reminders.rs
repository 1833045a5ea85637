//! The `job-rent-reminders` Lambda: wiring only (see `functions::jobs::rent_reminders`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_job(|app, input| Box::pin(functions::jobs::rent_reminders::handle(app, input))).await
}

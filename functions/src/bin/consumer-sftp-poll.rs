//! The `consumer-sftp-poll` Lambda (its job queue's consumer): wiring only (see `functions::consumers::jobs`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_sqs(functions::wiring::SFTP_POLL, |app, ev| {
        Box::pin(functions::consumers::jobs::handle(app, functions::jobs::Job::SftpPoll, ev))
    })
    .await
}

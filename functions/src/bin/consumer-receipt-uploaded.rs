//! The `consumer-receipt-uploaded` Lambda: wiring only (see `functions::consumers::receipt_uploaded`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_s3(functions::wiring::RECEIPTS, |app, ev| {
        Box::pin(functions::consumers::receipt_uploaded::handle(app, ev))
    })
    .await
}

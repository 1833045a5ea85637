//! The `consumer-document-uploaded` Lambda: wiring only (see `functions::consumers::document_uploaded`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_s3(functions::wiring::DOCUMENTS, |app, ev| {
        Box::pin(functions::consumers::document_uploaded::handle(app, ev))
    })
    .await
}

//! The `consumer-import` Lambda: wiring only (see `functions::consumers::import`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_s3(functions::wiring::IMPORTS, |app, ev| Box::pin(functions::consumers::import::handle(app, ev)))
        .await
}

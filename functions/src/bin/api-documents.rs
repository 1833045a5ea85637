//! The `api-documents` Lambda: wiring only (see `functions::api::documents`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_api(functions::wiring::DOCUMENTS, |app, req| {
        Box::pin(functions::api::route::dispatch(app, functions::api::documents::ROUTES, req))
    })
    .await
}

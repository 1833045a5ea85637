//! The `consumer-outbox-relay` Lambda: wiring only (see `functions::consumers::outbox_relay`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    functions::run_stream(functions::wiring::OUTBOX_RELAY, |app, ev| {
        Box::pin(functions::consumers::outbox_relay::handle(app, ev))
    })
    .await
}

//! Structured JSON logs (one line per event, with the request's span fields such as request id,
//! route and org id), configured from `RUST_LOG` (default `info`).

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the JSON subscriber once per process; later calls are no-ops.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .flatten_event(true)
        .with_target(false)
        .try_init();
}

/// As `init`, but through the test harness's captured output (shown when a test fails).
pub fn init_for_tests() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ =
        fmt().json().with_env_filter(filter).with_current_span(true).flatten_event(true).with_test_writer().try_init();
}

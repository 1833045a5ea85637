//! Structured JSON logs (one line per event, with the request's span fields such as request id,
//! route and org id), filtered by `RUST_LOG` (default `info`).
//!
//! `RUST_LOG` takes levels and `target=level` directives (`info,portfolio::billing=debug`), read
//! by `filter::Targets`: `EnvFilter`'s span and field filters would link a regex engine into every
//! function for a feature the functions do not use.

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;
use tracing_subscriber::{fmt, registry};

/// The filter `RUST_LOG` asks for, or everything at `default` and above. A value that does not
/// parse is reported once on stderr and the default is used.
fn filter(default: LevelFilter) -> Targets {
    match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => v.parse().unwrap_or_else(|e| {
            eprintln!("RUST_LOG={v:?} is not a list of [target=]level directives ({e}); logging at {default}");
            Targets::new().with_default(default)
        }),
        _ => Targets::new().with_default(default),
    }
}

/// Installs the JSON subscriber once per process; later calls are no-ops.
pub fn init() {
    let layer =
        fmt::layer().json().with_current_span(true).with_span_list(false).flatten_event(true).with_target(false);
    let _ = registry().with(layer.with_filter(filter(LevelFilter::INFO))).try_init();
}

/// As `init`, but through the test harness's captured output (shown when a test fails).
pub fn init_for_tests() {
    let layer = fmt::layer().json().with_current_span(true).flatten_event(true).with_test_writer();
    let _ = registry().with(layer.with_filter(filter(LevelFilter::WARN))).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_directives_parse_without_a_regex_engine() {
        let t: Targets = "warn,portfolio::billing=debug".parse().unwrap();
        assert!(t.would_enable("portfolio::billing::payments", &tracing::Level::DEBUG));
        assert!(!t.would_enable("portfolio::leasing", &tracing::Level::INFO));
        assert!(t.would_enable("portfolio::leasing", &tracing::Level::WARN));
    }
}

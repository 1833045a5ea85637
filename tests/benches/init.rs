//! `make bench` (init): every function's release binary started cold under a small fake of the
//! Lambda Runtime API (`/2018-06-01/runtime/invocation/next`, `…/response`, `…/error`), next to
//! a hello-world `lambda_runtime` binary built the same way (`hello-lambda`), against the
//! emulator's resources (a devstack supplies each function's resolved environment):
//!
//! - init: from spawning the process to its first `/next` (what Lambda bills as Init);
//! - first response: from handing it its sample event (`events/<kind>/<function>.json`, or an
//!   empty batch) to its response;
//! - peak RSS: `VmHWM` once it asks for the next event;
//! - its deployment zip: `bootstrap` deflated, as `cargo lambda` packages it.
//!
//! Medians of `BENCH_INIT_N` (default 5) cold starts, ratios against hello. Goals (issue
//! "1 of 6"): zip ≤ 4 MB, init ≤ 2× hello, RSS ≤ 16 MB.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use e2e::measure::median;
use e2e::TestApp;
use std::path::{Path as FsPath, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// What one cold start did, as the fake runtime saw it.
#[derive(Default)]
struct Seen {
    first_next: Option<Instant>,
    handed: Option<Instant>,
    answered: Option<Instant>,
    error: Option<String>,
    rss_kib: Option<u64>,
}

struct Runtime {
    event: String,
    pid: Mutex<Option<u32>>,
    seen: Mutex<Seen>,
    done: Notify,
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn next(State(rt): State<Arc<Runtime>>) -> (HeaderMap, String) {
    let first = {
        let mut seen = rt.seen.lock().unwrap();
        if seen.first_next.is_none() {
            seen.first_next = Some(Instant::now());
            true
        } else {
            seen.rss_kib = (*rt.pid.lock().unwrap()).and_then(vm_hwm_kib);
            false
        }
    };
    if !first {
        rt.done.notify_one();
        // The process is killed while it waits here.
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    let mut headers = HeaderMap::new();
    headers.insert("lambda-runtime-aws-request-id", "bench-request-1".parse().unwrap());
    let deadline = chrono::Utc::now().timestamp_millis() + 30_000;
    headers.insert("lambda-runtime-deadline-ms", deadline.to_string().parse().unwrap());
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:bench".parse().unwrap(),
    );
    headers.insert("lambda-runtime-trace-id", "Root=1-00000000-000000000000000000000000".parse().unwrap());
    rt.seen.lock().unwrap().handed = Some(Instant::now());
    (headers, rt.event.clone())
}

async fn response(State(rt): State<Arc<Runtime>>, Path(_id): Path<String>) -> axum::http::StatusCode {
    rt.seen.lock().unwrap().answered = Some(Instant::now());
    axum::http::StatusCode::ACCEPTED
}

async fn error(State(rt): State<Arc<Runtime>>, body: String) -> axum::http::StatusCode {
    let mut seen = rt.seen.lock().unwrap();
    seen.answered = Some(Instant::now());
    seen.error = Some(body);
    axum::http::StatusCode::ACCEPTED
}

async fn init_error(State(rt): State<Arc<Runtime>>, body: String) -> axum::http::StatusCode {
    rt.seen.lock().unwrap().error = Some(format!("init: {body}"));
    rt.done.notify_one();
    axum::http::StatusCode::ACCEPTED
}

/// One cold start of `binary` with `env`, given `event`: when it was spawned, and what it did.
async fn cold_start(binary: &FsPath, env: &[(String, String)], event: &str) -> Result<(Instant, Seen), String> {
    let rt = Arc::new(Runtime {
        event: event.to_owned(),
        pid: Mutex::new(None),
        seen: Mutex::new(Seen::default()),
        done: Notify::new(),
    });
    let api = axum::Router::new()
        .route("/2018-06-01/runtime/invocation/next", axum::routing::get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", axum::routing::post(response))
        .route("/2018-06-01/runtime/invocation/{id}/error", axum::routing::post(error))
        .route("/2018-06-01/runtime/init/error", axum::routing::post(init_error))
        .with_state(rt.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, api).await });
    let started = Instant::now();
    let mut child = Command::new(binary)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    *rt.pid.lock().unwrap() = Some(child.id());
    let waited = tokio::time::timeout(Duration::from_secs(30), rt.done.notified()).await;
    let _ = child.kill();
    let _ = child.wait();
    server.abort();
    waited.map_err(|_| format!("{}: no second /next within 30 s", binary.display()))?;
    let seen = std::mem::take(&mut *rt.seen.lock().unwrap());
    Ok((started, seen))
}

struct Measured {
    init: Duration,
    first_response: Duration,
    rss_kib: u64,
}

async fn measure(binary: &FsPath, env: &[(String, String)], event: &str, n: usize) -> Result<Measured, String> {
    let (mut init, mut first, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let (started, s) = cold_start(binary, env, event).await?;
        if let Some(e) = s.error {
            return Err(format!("{}: {e}", binary.display()));
        }
        let first_next = s.first_next.ok_or("never asked for an event")?;
        init.push(first_next.saturating_duration_since(started));
        first.push(s.answered.ok_or("never answered")?.saturating_duration_since(s.handed.unwrap_or(first_next)));
        rss.push(s.rss_kib.unwrap_or(0));
    }
    rss.sort_unstable();
    Ok(Measured { init: median(&mut init), first_response: median(&mut first), rss_kib: rss[rss.len() / 2] })
}

/// `bootstrap` deflated in a zip, in bytes (what `cargo lambda build --output-format zip` ships).
fn zip_size(binary: &FsPath) -> u64 {
    let out = std::env::temp_dir().join(format!("bench-{}.zip", ulid::Ulid::new()));
    let script = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:\n    z.write(sys.argv[1], 'bootstrap')\n";
    let ok = Command::new("python3").args(["-c", script]).arg(binary).arg(&out).status().is_ok_and(|s| s.success());
    let size = if ok { std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) } else { 0 };
    let _ = std::fs::remove_file(&out);
    size
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| devstack::template::repo_root().join("target"))
}

/// Builds the functions and hello-world in release (as `make build` does, for this machine).
fn build_release() -> Duration {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let t = Instant::now();
    for args in [
        &["build", "--release", "-p", "functions", "--bins"][..],
        &["build", "--release", "-p", "e2e", "--bin", "hello-lambda"],
    ] {
        let status = Command::new(&cargo).args(args).status().expect("cargo runs");
        assert!(status.success(), "cargo {args:?} failed");
    }
    t.elapsed()
}

/// The sample event a function is invoked with.
fn sample_event(name: &str) -> String {
    let root = devstack::template::repo_root().join("events");
    ["api", "jobs", "sqs", "s3", "stream"]
        .iter()
        .map(|kind| root.join(kind).join(format!("{name}.json")))
        .find(|p| p.exists())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .unwrap_or_else(|| r#"{"Records": []}"#.to_owned())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_INIT_N").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let built_in = build_release();
    println!("\n== Cold starts under a fake Lambda Runtime API (median of {n}; release build took {:.0} s incl. cached crates)", built_in.as_secs_f64());
    let app = TestApp::spawn().await;
    let release = target_dir().join("release");
    let hello = measure(&release.join("hello-lambda"), &[], r#"{"hello": "world"}"#, n).await.expect("hello runs");
    let hello_zip = zip_size(&release.join("hello-lambda"));
    println!(
        "{:<32} {:>9} {:>10} {:>9} {:>9} {:>8} {:>8}",
        "function", "init", "1st resp", "RSS", "zip", "init/h", "RSS/h"
    );
    let row = |name: &str, m: &Measured, zip: u64| {
        println!(
            "{:<32} {:>9} {:>10} {:>6} MB {:>6.2} MB {:>7.2}× {:>7.2}×",
            name,
            ms(m.init),
            ms(m.first_response),
            format!("{:.1}", m.rss_kib as f64 / 1024.0),
            zip as f64 / 1_048_576.0,
            m.init.as_secs_f64() / hello.init.as_secs_f64(),
            m.rss_kib as f64 / hello.rss_kib.max(1) as f64,
        )
    };
    row("hello-lambda", &hello, hello_zip);
    let mut worst = (0.0f64, 0.0f64, 0u64);
    for f in &app.stack.gateway.functions {
        let env: Vec<(String, String)> = f.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let binary = release.join(f.def.name);
        match measure(&binary, &env, &sample_event(f.def.name), n).await {
            Ok(m) => {
                let zip = zip_size(&binary);
                row(f.def.name, &m, zip);
                worst.0 = worst.0.max(m.init.as_secs_f64() / hello.init.as_secs_f64());
                worst.1 = worst.1.max(m.rss_kib as f64 / 1024.0);
                worst.2 = worst.2.max(zip);
            }
            Err(e) => println!("{:<32} failed: {e}", f.def.name),
        }
    }
    println!(
        "worst: init {:.2}× hello (goal ≤ 2×), RSS {:.1} MB (goal ≤ 16 MB), zip {:.2} MB (goal ≤ 4 MB)",
        worst.0,
        worst.1,
        worst.2 as f64 / 1_048_576.0
    );
}

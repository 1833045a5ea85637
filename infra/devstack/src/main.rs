//! `devstack up | token --email E | invoke FUNCTION EVENT.json | openapi` — see README.

use devstack::issuer::{self, Issuer};
use devstack::{Stack, StackOptions};
use std::path::PathBuf;
use std::sync::Arc;

fn state_dir() -> PathBuf {
    devstack::template::repo_root().join(".devstack")
}

/// The local issuer key persists in `.devstack/` so `make token` and `make dev` agree.
fn load_or_create_issuer() -> Issuer {
    let path = state_dir().join("issuer.pk8");
    if let Some(i) = std::fs::read(&path)
        .ok()
        .and_then(|der| Issuer::from_pkcs8(&der, issuer::DEFAULT_ISSUER, issuer::DEFAULT_AUDIENCE))
    {
        return i;
    }
    let i = Issuer::generate(issuer::DEFAULT_ISSUER, issuer::DEFAULT_AUDIENCE);
    let _ = std::fs::create_dir_all(state_dir());
    if let Err(e) = std::fs::write(&path, i.pkcs8()) {
        eprintln!("warning: cannot save the issuer key to {}: {e}", path.display());
    }
    i
}

fn arg_value(args: &[String], flag: &str) -> Option<String> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("up") => up(&args).await,
        Some("token") => token(&args),
        Some("invoke") => invoke(&args).await,
        Some("openapi") => {
            print!("{}", functions::openapi::document_json());
            0
        }
        _ => {
            eprintln!("usage: devstack up [--port 3000] | token --email E [--ttl SECS] | invoke FUNCTION EVENT.json | openapi");
            2
        }
    };
    std::process::exit(code);
}

async fn up(args: &[String]) -> i32 {
    portfolio::platform::telemetry::init();
    let port: u16 = arg_value(args, "--port").and_then(|p| p.parse().ok()).unwrap_or(3000);
    let mut opts = StackOptions::local(&std::env::var("DEVSTACK_PREFIX").unwrap_or_else(|_| "portfolio-dev".into()));
    opts.bind = ([127, 0, 0, 1], port).into();
    opts.issuer = Arc::new(load_or_create_issuer());
    opts.run_schedules = true;
    let stack = match Stack::start(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("devstack: {e}");
            return 1;
        }
    };
    let _ =
        std::fs::write(state_dir().join("refs.json"), serde_json::to_string_pretty(&stack.refs).unwrap_or_default());
    println!("\nPortfolioOS devstack is up");
    println!("  API       {}/api/v1/health", stack.base_url);
    println!(
        "  sign-in   {}/oauth2/authorize (Cognito's hosted UI, locally: client_id {}, code + PKCE S256)",
        stack.base_url, stack.gateway.issuer.audience
    );
    println!("  run now   curl -X POST {}/_devstack/jobs/<job-…> (a schedule fired at once)", stack.base_url);
    println!("  emulator  {}", std::env::var("AWS_ENDPOINT_URL").unwrap_or_default());
    println!("  table     {}", stack.table_name());
    for f in &stack.template.functions {
        let events = serde_yaml::to_string(&f.properties["Events"]).unwrap_or_default();
        let trigger = if !f.routes.is_empty() {
            format!("{} routes", f.routes.len())
        } else if events.contains("Type: DynamoDB") {
            "table stream (read by devstack)".to_owned()
        } else if events.contains("Type: SQS") {
            "SQS queue (pumped by devstack)".to_owned()
        } else if events.contains("Type: S3") {
            "S3 notifications (pumped by devstack)".to_owned()
        } else {
            let s = devstack::pumps::schedules(&stack.template).into_iter().find(|s| s.function == f.binary);
            s.map_or("invoked".to_owned(), |s| format!("schedule {} (fired by devstack)", s.expression))
        };
        println!("  function  {:<28} {trigger}", f.binary);
    }
    println!("\nGet a token (valid for this devstack):  make token EMAIL=you@example.com");
    println!("Then:  curl -H \"Authorization: Bearer $TOKEN\" {}/api/v1/me", stack.base_url);
    println!("Ctrl-C stops devstack and the emulator it started.\n");
    let _ = tokio::signal::ctrl_c().await;
    0
}

fn token(args: &[String]) -> i32 {
    let Some(email) = arg_value(args, "--email") else {
        eprintln!("usage: devstack token --email you@example.com");
        return 2;
    };
    let ttl: i64 = arg_value(args, "--ttl").and_then(|t| t.parse().ok()).unwrap_or(12 * 3600);
    let issuer = load_or_create_issuer();
    println!("# bearer token for {email} (sub {}), valid {ttl}s:", issuer::sub_for_email(&email));
    println!("{}", issuer.token_for(&email, ttl));
    0
}

/// Runs one API function on one payload 2.0 event against the running `make dev` resources.
async fn invoke(args: &[String]) -> i32 {
    portfolio::platform::telemetry::init();
    let (Some(name), Some(event_path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: devstack invoke FUNCTION EVENT.json");
        return 2;
    };
    let event = match std::fs::read_to_string(event_path) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot read {event_path}: {e}");
            return 2;
        }
    };
    let refs: std::collections::HashMap<String, String> =
        match std::fs::read_to_string(state_dir().join("refs.json")).ok().and_then(|s| serde_json::from_str(&s).ok()) {
            Some(r) => r,
            None => {
                eprintln!("no running stack found (.devstack/refs.json): start `make dev` first");
                return 1;
            }
        };
    match devstack::invoke_with_refs(name, &event, refs).await {
        Ok((status, body)) => {
            println!("{status}\n{body}");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

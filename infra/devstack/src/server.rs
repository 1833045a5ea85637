//! The HTTP API on localhost, as API Gateway (HTTP API, payload 2.0) would run it: match the
//! template's routes (literal segments beat parameters), verify the bearer token like the JWT
//! authorizer, build the Lambda event, and call the function's handler in-process.

use crate::hosted_ui::HostedUi;
use crate::issuer::Issuer;
use crate::template::Route;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use functions::FunctionDef;
use portfolio::platform::App;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A function as devstack runs it: its handler, its resolved environment, and its App built on
/// first use (a cold start), then reused (warm).
pub struct FunctionRuntime {
    pub def: FunctionDef,
    pub env: HashMap<String, String>,
    pub sdk: aws_config::SdkConfig,
    app: OnceLock<App>,
    invocations: std::sync::atomic::AtomicU64,
    billed_ms: std::sync::atomic::AtomicU64,
}

/// What Lambda would bill a function for so far: its invocations and their durations, each
/// rounded up to the millisecond (the handler's wall time in this process; init not included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Invocations {
    pub count: u64,
    pub billed_ms: u64,
}

impl FunctionRuntime {
    pub fn new(def: FunctionDef, env: HashMap<String, String>, sdk: aws_config::SdkConfig) -> Self {
        FunctionRuntime {
            def,
            env,
            sdk,
            app: OnceLock::new(),
            invocations: Default::default(),
            billed_ms: Default::default(),
        }
    }

    /// Runs one invocation of the handler (`fut`), counting it and its duration.
    pub async fn timed<T>(&self, fut: impl std::future::Future<Output = T>) -> T {
        let started = std::time::Instant::now();
        let out = fut.await;
        let ms = started.elapsed().as_micros().div_ceil(1000) as u64;
        self.invocations.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.billed_ms.fetch_add(ms.max(1), std::sync::atomic::Ordering::Relaxed);
        out
    }

    /// The invocations so far (benchmarks diff two snapshots).
    pub fn invocations(&self) -> Invocations {
        Invocations {
            count: self.invocations.load(std::sync::atomic::Ordering::Relaxed),
            billed_ms: self.billed_ms.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn app(&self) -> Result<&App, String> {
        if let Some(app) = self.app.get() {
            return Ok(app);
        }
        let config =
            portfolio::platform::config::Config::from_vars(|k| self.env.get(k).cloned()).map_err(|e| e.to_string())?;
        Ok(self.app.get_or_init(|| App::with_sdk(config, &self.sdk, self.def.wires)))
    }

    /// DynamoDB calls this function has made (0 before its cold start).
    pub fn db_calls(&self) -> u64 {
        self.app.get().map(|a| a.db.calls().total()).unwrap_or(0)
    }
}

/// API Gateway's HTTP API payload limit.
pub const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

struct CompiledRoute {
    route: Route,
    segments: Vec<String>,
    function: usize,
}

pub struct Gateway {
    routes: Vec<CompiledRoute>,
    pub functions: Vec<FunctionRuntime>,
    pub issuer: Arc<Issuer>,
    /// The local stand-in for Cognito's hosted UI (`/oauth2/*`, `/logout`).
    pub hosted_ui: HostedUi,
    cors: Option<Cors>,
    counter: std::sync::atomic::AtomicU64,
}

/// The HTTP API's `CorsConfiguration`. Locally, a dev server on localhost is allowed as well as
/// the configured SPA origins (an origin devstack cannot resolve, such as the CloudFront
/// distribution's domain, is left out).
#[derive(Debug, Clone)]
pub struct Cors {
    pub allow_origins: Vec<String>,
    pub allow_headers: String,
    pub allow_methods: String,
    pub expose_headers: String,
    pub max_age: String,
}

impl Cors {
    pub fn from_template(t: &crate::template::Template, refs: &crate::resources::Refs) -> Option<Cors> {
        let api = t.resources_of("AWS::Serverless::HttpApi").into_iter().next()?.1;
        let c = &api["Properties"]["CorsConfiguration"];
        if c.is_null() {
            return None;
        }
        let list = |v: &serde_yaml::Value| -> Vec<String> {
            v.as_sequence().into_iter().flatten().filter_map(|x| crate::template::resolve(x, refs)).collect()
        };
        // `!Sub https://${SpaDistribution.DomainName}` resolves to `https://` here: no origin.
        let mut allow_origins = list(&c["AllowOrigins"]);
        allow_origins.retain(|o| o.split_once("://").is_none_or(|(_, host)| !host.is_empty()));
        Some(Cors {
            allow_origins,
            allow_headers: list(&c["AllowHeaders"]).join(","),
            allow_methods: list(&c["AllowMethods"]).join(","),
            expose_headers: list(&c["ExposeHeaders"]).join(","),
            max_age: crate::template::resolve(&c["MaxAge"], refs).unwrap_or_else(|| "0".into()),
        })
    }

    pub fn allows(&self, origin: &str) -> bool {
        local_origin(origin) || self.allow_origins.iter().any(|o| o == origin || o == "*")
    }
}

/// A dev server on this machine (`http://localhost:*`, `http://127.0.0.1:*`): allowed locally.
pub fn local_origin(origin: &str) -> bool {
    ["http://localhost:", "http://127.0.0.1:"].iter().any(|p| origin.starts_with(p))
}

fn segments(path: &str) -> Vec<String> {
    path.trim_matches('/').split('/').map(str::to_owned).collect()
}

impl Gateway {
    pub fn new(functions: Vec<(FunctionRuntime, Vec<Route>)>, issuer: Arc<Issuer>, cors: Option<Cors>) -> Gateway {
        let mut routes = Vec::new();
        let mut fns = Vec::new();
        for (i, (f, rs)) in functions.into_iter().enumerate() {
            for r in rs {
                routes.push(CompiledRoute { segments: segments(&r.path), route: r, function: i });
            }
            fns.push(f);
        }
        // Most specific first: more literal segments win, as in API Gateway.
        routes.sort_by_key(|r| std::cmp::Reverse(r.segments.iter().filter(|s| !s.starts_with('{')).count()));
        let hosted_ui = HostedUi::from_env();
        Gateway { routes, functions: fns, issuer, hosted_ui, cors, counter: Default::default() }
    }

    /// Requests routed to a function so far (what API Gateway bills: not preflights, unknown
    /// routes or requests the JWT authorizer refused).
    pub fn requests(&self) -> u64 {
        self.counter.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The route API Gateway would pick, with the path parameters (URL-decoded).
    fn matches(&self, method: &str, path: &str) -> Option<(&CompiledRoute, HashMap<String, String>)> {
        let segs = segments(path);
        self.routes.iter().filter(|r| r.route.method == method || r.route.method == "ANY").find_map(|r| {
            if r.segments.len() != segs.len() {
                return None;
            }
            let mut params = HashMap::new();
            for (pat, seg) in r.segments.iter().zip(&segs) {
                match pat.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) if !seg.is_empty() => {
                        params.insert(name.to_owned(), percent_decode(seg));
                    }
                    None if pat == seg => {}
                    _ => return None,
                }
            }
            Some((r, params))
        })
    }

    pub async fn handle(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        // Cognito's hosted UI and OAuth2 endpoints (their own CORS), before the API's routes.
        let now = chrono::Utc::now().timestamp();
        if let Some(res) = self.hosted_ui.handle(&self.issuer, &method, &uri, &headers, &body, now) {
            return res;
        }
        let origin = headers.get("origin").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let cors = self.cors.as_ref().zip(origin).filter(|(c, o)| c.allows(o));
        // Preflight is answered by API Gateway itself, before routes and authorizers.
        if let (Some((c, o)), true) =
            (&cors, method == Method::OPTIONS && headers.contains_key("access-control-request-method"))
        {
            let mut r = StatusCode::NO_CONTENT.into_response();
            let h = r.headers_mut();
            for (k, v) in [
                ("access-control-allow-origin", o.as_str()),
                ("access-control-allow-methods", c.allow_methods.as_str()),
                ("access-control-allow-headers", c.allow_headers.as_str()),
                ("access-control-max-age", c.max_age.as_str()),
            ] {
                if let Ok(v) = v.parse() {
                    h.insert(k, v);
                }
            }
            return r;
        }
        let mut res = self.route(method, uri, headers, body).await;
        if let Some((c, o)) = cors {
            if let Ok(v) = o.parse() {
                res.headers_mut().insert("access-control-allow-origin", v);
            }
            match c.expose_headers.parse() {
                Ok(v) if !c.expose_headers.is_empty() => {
                    res.headers_mut().insert("access-control-expose-headers", v);
                }
                _ => {}
            }
        }
        res
    }

    async fn route(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        if body.len() > MAX_PAYLOAD_BYTES {
            return gateway_error(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large");
        }
        let path = uri.path();
        if method == Method::GET && path == "/.well-known/jwks.json" {
            return axum::Json(self.issuer.jwks()).into_response();
        }
        if let Some(name) = path.strip_prefix("/_devstack/jobs/").filter(|_| method == Method::POST) {
            return self.run_job_now(name).await;
        }
        let Some((route, params)) = self.matches(method.as_str(), path) else {
            return gateway_error(StatusCode::NOT_FOUND, "Not Found");
        };
        let claims = if route.route.auth {
            let token = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
            match self.issuer.verify(token, chrono::Utc::now().timestamp()) {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::info!(reason = %e, "JWT authorizer rejected the request");
                    let mut r = gateway_error(StatusCode::UNAUTHORIZED, "Unauthorized");
                    r.headers_mut().insert("www-authenticate", "Bearer".parse().expect("static header"));
                    return r;
                }
            }
        } else {
            None
        };
        let n = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let event = api_event(&route.route, &method, &uri, &headers, &body, &params, claims.as_ref(), n);
        let f = &self.functions[route.function];
        invoke_http(f, &event.to_string()).await
    }
}

impl Gateway {
    /// `POST /_devstack/jobs/<function>`: fires a job's schedule now, with the input its schedule
    /// would give at this moment (the console's "run now"), so the local stack and the browser
    /// tests need not wait for the clock; what the job queues is pumped to its consumer as usual.
    /// devstack only: the template has no such route, nothing deployed answers it.
    async fn run_job_now(&self, name: &str) -> Response {
        let Some(f) = self.functions.iter().find(|f| f.def.name == name) else {
            return gateway_error(StatusCode::NOT_FOUND, &format!("no function {name}"));
        };
        let functions::Handler::Job(handler) = f.def.handler else {
            return gateway_error(StatusCode::BAD_REQUEST, &format!("{name} is not a scheduled job"));
        };
        let app = match f.app() {
            Ok(a) => a,
            Err(e) => return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
        };
        let input = json!({ "scheduledTime": portfolio::platform::clock::now().to_rfc3339() });
        match f.timed(handler(app, input)).await {
            Ok(output) => axum::Json(json!({ "function": name, "output": output })).into_response(),
            Err(e) => gateway_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        }
    }
}

/// Runs an API function on a payload 2.0 event (JSON), through lambda_http's own decoding.
pub async fn invoke_http(f: &FunctionRuntime, event: &str) -> Response {
    let req = match lambda_http::request::from_str(event) {
        Ok(r) => r,
        Err(e) => return gateway_error(StatusCode::BAD_REQUEST, &format!("invalid event: {e}")),
    };
    let app = match f.app() {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(function = f.def.name, error = %e, "function init failed");
            return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
        }
    };
    let functions::Handler::Http(handler) = f.def.handler else {
        return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "not an HTTP function");
    };
    let res = f.timed(handler(app, req)).await;
    let (parts, body) = res.into_parts();
    let bytes: Vec<u8> = match body {
        lambda_http::Body::Empty => Vec::new(),
        lambda_http::Body::Text(t) => t.into_bytes(),
        lambda_http::Body::Binary(b) => b,
        #[allow(unreachable_patterns)]
        _ => Vec::new(),
    };
    let mut out = Response::new(axum::body::Body::from(bytes));
    *out.status_mut() = parts.status;
    *out.headers_mut() = parts.headers;
    out
}

/// API Gateway's own errors are `{"message": "..."}`.
fn gateway_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "message": message }))).into_response()
}

/// `%XX` escapes decoded (a `%` not followed by two hex digits is kept as it is).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            // Two hex digits, read from the bytes (`s[i + 1..i + 3]` may cut a character).
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[allow(clippy::too_many_arguments)]
fn api_event(
    route: &Route,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    params: &HashMap<String, String>,
    claims: Option<&HashMap<String, String>>,
    n: u64,
) -> Value {
    let mut hdrs: HashMap<String, String> = HashMap::new();
    let mut cookies = Vec::new();
    for (k, v) in headers {
        let v = v.to_str().unwrap_or_default().to_owned();
        if k == "cookie" {
            cookies.extend(v.split("; ").map(str::to_owned));
            continue;
        }
        hdrs.entry(k.as_str().to_owned())
            .and_modify(|e| {
                e.push(',');
                e.push_str(&v)
            })
            .or_insert(v);
    }
    let mut query: HashMap<String, String> = HashMap::new();
    for pair in uri.query().unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")));
        query
            .entry(k)
            .and_modify(|e| {
                e.push(',');
                e.push_str(&v)
            })
            .or_insert(v);
    }
    let (body, b64) = match std::str::from_utf8(body) {
        _ if body.is_empty() => (Value::Null, false),
        Ok(s) => (Value::String(s.to_owned()), false),
        Err(_) => (Value::String(base64::engine::general_purpose::STANDARD.encode(body)), true),
    };
    let now = chrono::Utc::now();
    let route_key = route.key();
    let mut ctx = json!({
        "accountId": "123456789012", "apiId": "devstack", "domainName": "127.0.0.1", "domainPrefix": "127",
        "http": {"method": method.as_str(), "path": uri.path(), "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                 "userAgent": hdrs.get("user-agent").cloned().unwrap_or_default()},
        "requestId": format!("devstack-{}-{n}", now.timestamp_millis()), "routeKey": route_key, "stage": "$default",
        "time": now.format("%d/%b/%Y:%H:%M:%S %z").to_string(), "timeEpoch": now.timestamp_millis(),
    });
    if let Some(c) = claims {
        ctx["authorizer"] = json!({"jwt": {"claims": c, "scopes": null}});
    }
    json!({
        "version": "2.0", "routeKey": route_key, "rawPath": uri.path(), "rawQueryString": uri.query().unwrap_or_default(),
        "cookies": if cookies.is_empty() { Value::Null } else { json!(cookies) },
        "headers": hdrs, "queryStringParameters": if query.is_empty() { Value::Null } else { json!(query) },
        "pathParameters": if params.is_empty() { Value::Null } else { json!(params) },
        "requestContext": ctx, "body": body, "isBase64Encoded": b64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template's CORS origins are the distribution's and the Vite dev server's; devstack
    /// cannot resolve the distribution's domain and leaves it out (not `https://`), and allows
    /// any local dev server besides.
    #[test]
    fn cors_comes_from_the_template_without_the_origins_devstack_cannot_resolve() {
        let t = crate::template::Template::load_default().unwrap();
        let mut refs: crate::resources::Refs =
            [("AWS::Region", "us-east-1"), ("AWS::AccountId", "123456789012"), ("AWS::StackName", "portfolio-dev")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        let cors = Cors::from_template(&t, &refs).unwrap();
        assert_eq!(cors.allow_origins, ["http://127.0.0.1:5173"]);
        assert!(cors.allow_headers.split(',').any(|h| h == "idempotency-key"), "{}", cors.allow_headers);
        for origin in ["http://127.0.0.1:5173", "http://localhost:5173", "http://127.0.0.1:4173"] {
            assert!(cors.allows(origin), "{origin}");
        }
        for origin in ["https://", "https://evil.example", "http://localhost.evil.example:5173", "null"] {
            assert!(!cors.allows(origin), "{origin}");
        }
        // Where the distribution's domain is known, it is the app's origin.
        refs.insert("SpaDistribution.DomainName".into(), "d111111abcdef8.cloudfront.net".into());
        let cors = Cors::from_template(&t, &refs).unwrap();
        assert_eq!(cors.allow_origins, ["https://d111111abcdef8.cloudfront.net", "http://127.0.0.1:5173"]);
        assert!(cors.allows("https://d111111abcdef8.cloudfront.net"));
    }

    #[test]
    fn percent_decoding_reads_two_hex_digits_or_keeps_the_percent() {
        assert_eq!(percent_decode("a%20b%2Fc%e2%9c%93"), "a b/c✓");
        assert_eq!(percent_decode("%+1%4"), "%+1%4");
        assert_eq!(percent_decode("%a\u{e9}"), "%a\u{e9}");
    }
}

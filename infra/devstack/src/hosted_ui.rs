//! The local stand-in for Cognito's hosted UI and OAuth2 endpoints, with their wire format: the
//! authorization code grant with PKCE (S256) for the public client, refresh tokens, revocation
//! and logout. Any email signs in (there are no passwords); the tokens are the local issuer's, so
//! the gateway's JWT authorizer accepts the ID and access tokens it returns. Refresh tokens are
//! opaque random strings kept in memory, never JWTs, so the authorizer never accepts one.
//!
//! - `GET /oauth2/authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256&scope`
//!   → the sign-in page; `POST /oauth2/authorize` (the page's form) → `302 <redirect_uri>?code=…&state=…`
//! - `POST /oauth2/token` (form) → `{id_token, access_token, refresh_token, token_type, expires_in}`
//! - `POST /oauth2/revoke` (form: `token`, `client_id`) → 200
//! - `GET /logout?client_id&logout_uri` → `302 <logout_uri>`

use crate::issuer::Issuer;
use crate::server::{local_origin, percent_decode};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// An authorization code is good for one exchange within 5 minutes.
pub const CODE_TTL_SECS: i64 = 300;
/// Refresh tokens last 30 days (the template's `RefreshTokenValidity`).
pub const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;
/// ID and access tokens are short-lived: the SPA refreshes them silently.
pub const DEFAULT_TOKEN_TTL_SECS: i64 = 300;
/// The environment variable that sets the ID and access tokens' lifetime, in seconds.
pub const TOKEN_TTL_ENV: &str = "DEVSTACK_TOKEN_TTL_SECS";
/// The scopes the app client may ask for (the template's `AllowedOAuthScopes`).
const SCOPES: [&str; 2] = ["openid", "email"];

type Form = HashMap<String, String>;

/// A validated authorization request.
#[derive(Debug, Clone)]
struct AuthRequest {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    code_challenge: String,
    scope: String,
}

/// What an authorization code is bound to.
struct Grant {
    request: AuthRequest,
    email: String,
    expires_at: i64,
}

/// What a refresh token stands for.
struct Session {
    client_id: String,
    email: String,
    scope: String,
    expires_at: i64,
}

/// An authorization request refused before any redirect: shown as a page, never sent to the
/// redirect URI (which may be the reason it was refused).
#[derive(Debug)]
struct Refused {
    error: &'static str,
    description: String,
}

fn refused(error: &'static str, description: impl Into<String>) -> Refused {
    Refused { error, description: description.into() }
}

pub struct HostedUi {
    codes: Mutex<HashMap<String, Grant>>,
    sessions: Mutex<HashMap<String, Session>>,
    token_ttl_secs: i64,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl HostedUi {
    pub fn new(token_ttl_secs: i64) -> HostedUi {
        HostedUi { codes: Default::default(), sessions: Default::default(), token_ttl_secs }
    }

    /// Token lifetime from `DEVSTACK_TOKEN_TTL_SECS` (a positive number of seconds), else 300.
    pub fn from_env() -> HostedUi {
        let ttl = std::env::var(TOKEN_TTL_ENV).ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|t| *t > 0);
        HostedUi::new(ttl.unwrap_or(DEFAULT_TOKEN_TTL_SECS))
    }

    pub fn token_ttl_secs(&self) -> i64 {
        self.token_ttl_secs
    }

    /// Answers the hosted UI's endpoints; `None` for any other path.
    pub fn handle(
        &self,
        issuer: &Issuer,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Option<Response> {
        let query = uri.query().unwrap_or_default();
        Some(match (method.as_str(), uri.path()) {
            ("GET", "/oauth2/authorize") => authorize_page(issuer, query),
            ("POST", "/oauth2/authorize") => self.sign_in(issuer, body, now),
            ("POST", "/oauth2/token") => with_cors(self.token(issuer, headers, body, now), headers),
            ("POST", "/oauth2/revoke") => with_cors(self.revoke(issuer, headers, body), headers),
            ("OPTIONS", "/oauth2/token" | "/oauth2/revoke") => preflight(headers),
            ("GET", "/logout") => logout(issuer, query),
            (_, "/oauth2/authorize" | "/oauth2/token" | "/oauth2/revoke" | "/logout") => {
                let mut r = oauth_error(StatusCode::METHOD_NOT_ALLOWED, "invalid_request");
                let allow = if uri.path() == "/oauth2/authorize" { "GET, POST" } else { "POST, OPTIONS" };
                let allow = if uri.path() == "/logout" { "GET" } else { allow };
                r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
                with_cors(r, headers)
            }
            _ => return None,
        })
    }

    /// The sign-in form's submission: a code bound to the request and the email, then back to
    /// the app. A missing or malformed email shows the page again.
    fn sign_in(&self, issuer: &Issuer, body: &[u8], now: i64) -> Response {
        let form = match parse_form(&String::from_utf8_lossy(body)) {
            Ok(f) => f,
            Err(dup) => return refused_page(&refused("invalid_request", format!("{dup} is given twice."))),
        };
        let req = match auth_request(issuer, &form) {
            Ok(r) => r,
            Err(r) => return refused_page(&r),
        };
        let email = form.get("email").map(|e| e.trim()).unwrap_or_default();
        if !portfolio::core::model::is_email(email) {
            let error = "Enter an email address, like you@example.com.";
            return html(StatusCode::BAD_REQUEST, &sign_in_page(&req, email, Some(error)));
        }
        let code = random_token();
        let mut codes = locked(&self.codes);
        codes.retain(|_, g| g.expires_at > now);
        let grant = Grant { request: req.clone(), email: email.to_owned(), expires_at: now + CODE_TTL_SECS };
        codes.insert(code.clone(), grant);
        drop(codes);
        let sep = if req.redirect_uri.contains('?') { '&' } else { '?' };
        let mut location = format!("{}{sep}code={code}", req.redirect_uri);
        if let Some(state) = &req.state {
            location.push_str(&format!("&state={}", encode(state)));
        }
        redirect(&location)
    }

    fn token(&self, issuer: &Issuer, headers: &HeaderMap, body: &[u8], now: i64) -> Response {
        let result = form_body(headers, body).and_then(|form| {
            let client_id = client_of(issuer, &form)?;
            match field(&form, "grant_type") {
                None => Err("invalid_request"),
                Some("authorization_code") => self.exchange_code(issuer, &form, client_id, now),
                Some("refresh_token") => self.refresh(issuer, &form, client_id, now),
                Some(_) => Err("unsupported_grant_type"),
            }
        });
        match result {
            Ok(tokens) => {
                let mut r = axum::Json(tokens).into_response();
                r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                r.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
                r
            }
            Err(e) => oauth_error(StatusCode::BAD_REQUEST, e),
        }
    }

    /// `authorization_code`: the code (consumed by this attempt whatever its outcome), issued to
    /// this client for this redirect URI, unexpired, and the verifier whose S256 is its challenge.
    fn exchange_code(&self, issuer: &Issuer, form: &Form, client_id: &str, now: i64) -> Result<Value, &'static str> {
        let (Some(code), Some(redirect_uri), Some(verifier)) =
            (field(form, "code"), field(form, "redirect_uri"), field(form, "code_verifier"))
        else {
            return Err("invalid_request");
        };
        if !(43..=128).contains(&verifier.len()) || !verifier.bytes().all(|b| is_unreserved(b) && b != b'+') {
            return Err("invalid_request");
        }
        let grant = locked(&self.codes).remove(code).ok_or("invalid_grant")?;
        let r = &grant.request;
        let pkce = aws_lc_rs::constant_time::verify_slices_are_equal(
            pkce_challenge(verifier).as_bytes(),
            r.code_challenge.as_bytes(),
        );
        if grant.expires_at <= now || r.client_id != client_id || r.redirect_uri != redirect_uri || pkce.is_err() {
            return Err("invalid_grant");
        }
        let refresh_token = random_token();
        let mut sessions = locked(&self.sessions);
        sessions.retain(|_, s| s.expires_at > now);
        let session = Session {
            client_id: client_id.to_owned(),
            email: grant.email.clone(),
            scope: r.scope.clone(),
            expires_at: now + REFRESH_TTL_SECS,
        };
        sessions.insert(refresh_token.clone(), session);
        let mut out = self.tokens(issuer, &grant.email, &r.scope, now);
        out["refresh_token"] = refresh_token.into();
        Ok(out)
    }

    /// `refresh_token`: new ID and access tokens for the token's user (no new refresh token).
    fn refresh(&self, issuer: &Issuer, form: &Form, client_id: &str, now: i64) -> Result<Value, &'static str> {
        let token = field(form, "refresh_token").ok_or("invalid_request")?;
        let sessions = locked(&self.sessions);
        let s =
            sessions.get(token).filter(|s| s.expires_at > now && s.client_id == client_id).ok_or("invalid_grant")?;
        Ok(self.tokens(issuer, &s.email, &s.scope, now))
    }

    fn tokens(&self, issuer: &Issuer, email: &str, scope: &str, now: i64) -> Value {
        let ttl = self.token_ttl_secs;
        json!({
            "id_token": issuer.id_token(email, now, ttl),
            "access_token": issuer.access_token(email, scope, now, ttl),
            "token_type": "Bearer",
            "expires_in": ttl,
        })
    }

    /// `POST /oauth2/revoke`: forgets a refresh token (200 whether or not it was known, as RFC
    /// 7009 and Cognito answer). Tokens already issued stay valid until they expire.
    fn revoke(&self, issuer: &Issuer, headers: &HeaderMap, body: &[u8]) -> Response {
        let result = form_body(headers, body).and_then(|form| {
            let client_id = client_of(issuer, &form)?;
            let token = field(&form, "token").ok_or("invalid_request")?;
            let mut sessions = locked(&self.sessions);
            if sessions.get(token).is_some_and(|s| s.client_id == client_id) {
                sessions.remove(token);
            }
            Ok(())
        });
        match result {
            Ok(()) => StatusCode::OK.into_response(),
            Err(e) => oauth_error(StatusCode::BAD_REQUEST, e),
        }
    }
}

/// `GET /oauth2/authorize`: the sign-in page for a valid request, else a 400 page.
fn authorize_page(issuer: &Issuer, query: &str) -> Response {
    let params = match parse_form(query) {
        Ok(p) => p,
        Err(dup) => return refused_page(&refused("invalid_request", format!("{dup} is given twice."))),
    };
    match auth_request(issuer, &params) {
        Ok(req) => html(StatusCode::OK, &sign_in_page(&req, "", None)),
        Err(r) => refused_page(&r),
    }
}

/// `GET /logout?client_id&logout_uri`: back to the app (there is no hosted-UI session to end).
fn logout(issuer: &Issuer, query: &str) -> Response {
    let params = match parse_form(query) {
        Ok(p) => p,
        Err(dup) => return refused_page(&refused("invalid_request", format!("{dup} is given twice."))),
    };
    match (field(&params, "client_id"), field(&params, "logout_uri")) {
        (Some(c), _) if c != issuer.audience => refused_page(&refused("invalid_client", unknown_client(issuer, c))),
        (Some(_), Some(uri)) if local_url(uri) => redirect(uri),
        (Some(_), _) => refused_page(&refused("invalid_request", format!("logout_uri {}", LOCAL_ONLY))),
        (None, _) => refused_page(&refused("invalid_request", "client_id is missing.")),
    }
}

const LOCAL_ONLY: &str = "must be http://127.0.0.1:<port>/… or http://localhost:<port>/… on devstack.";

fn unknown_client(issuer: &Issuer, client_id: &str) -> String {
    format!("Unknown client_id “{client_id}”: devstack's app client is “{}”.", issuer.audience)
}

/// The authorization request's parameters, checked in the order Cognito checks them: the client,
/// the redirect URI, the response type, PKCE, the scopes.
fn auth_request(issuer: &Issuer, p: &Form) -> Result<AuthRequest, Refused> {
    let client_id = field(p, "client_id").ok_or_else(|| refused("invalid_request", "client_id is missing."))?;
    if client_id != issuer.audience {
        return Err(refused("invalid_client", unknown_client(issuer, client_id)));
    }
    let redirect_uri =
        field(p, "redirect_uri").ok_or_else(|| refused("invalid_request", "redirect_uri is missing."))?;
    if !local_url(redirect_uri) {
        return Err(refused("invalid_request", format!("redirect_uri {LOCAL_ONLY}")));
    }
    if field(p, "response_type") != Some("code") {
        return Err(refused("unsupported_response_type", "response_type must be code."));
    }
    if field(p, "code_challenge_method") != Some("S256") {
        return Err(refused("invalid_request", "PKCE is required: code_challenge_method must be S256."));
    }
    let challenge = field(p, "code_challenge").filter(|c| c.len() == 43 && c.bytes().all(is_base64url));
    let code_challenge = challenge.ok_or_else(|| {
        refused(
            "invalid_request",
            "PKCE is required: code_challenge must be BASE64URL(SHA256(code_verifier)), unpadded.",
        )
    })?;
    let requested: Vec<&str> = field(p, "scope").unwrap_or("openid email").split_whitespace().collect();
    if let Some(s) = requested.iter().find(|s| !SCOPES.contains(s)) {
        return Err(refused(
            "invalid_scope",
            format!("Scope “{s}” is not allowed: the client may ask for openid and email."),
        ));
    }
    let scope = SCOPES.iter().filter(|s| requested.contains(s)).copied().collect::<Vec<_>>().join(" ");
    Ok(AuthRequest {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        state: field(p, "state").map(str::to_owned),
        code_challenge: code_challenge.to_owned(),
        scope: if scope.is_empty() { SCOPES.join(" ") } else { scope },
    })
}

/// `http://127.0.0.1:<port>` or `http://localhost:<port>`, then nothing or a path (no fragment).
pub fn local_url(u: &str) -> bool {
    let Some(rest) = u.strip_prefix("http://127.0.0.1:").or_else(|| u.strip_prefix("http://localhost:")) else {
        return false;
    };
    let (port, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let port_ok =
        port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0);
    port_ok && !path.contains('#') && !path.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// BASE64URL-NOPAD(SHA256(verifier)): the S256 code challenge of a PKCE code verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    B64.encode(Sha256::digest(verifier.as_bytes()))
}

/// 32 random bytes, base64url: authorization codes and refresh tokens.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system's random source");
    B64.encode(bytes)
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

/// A non-empty parameter.
fn field<'a>(form: &'a Form, key: &str) -> Option<&'a str> {
    form.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

/// The token and revocation endpoints' client: `client_id` must be the app client.
fn client_of<'a>(issuer: &Issuer, form: &'a Form) -> Result<&'a str, &'static str> {
    match field(form, "client_id") {
        None => Err("invalid_request"),
        Some(c) if c == issuer.audience => Ok(c),
        Some(_) => Err("invalid_client"),
    }
}

/// An `application/x-www-form-urlencoded` body (the token endpoint takes nothing else).
fn form_body(headers: &HeaderMap, body: &[u8]) -> Result<Form, &'static str> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !ct.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err("invalid_request");
    }
    let text = std::str::from_utf8(body).map_err(|_| "invalid_request")?;
    parse_form(text).map_err(|_| "invalid_request")
}

/// Form-urlencoded pairs (`+` is a space); a parameter given twice is refused (its name).
fn parse_form(s: &str) -> Result<Form, String> {
    let mut out = Form::new();
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")));
        if out.insert(k.clone(), v).is_some() {
            return Err(k);
        }
    }
    Ok(out)
}

/// Percent-encodes everything but the unreserved characters.
fn encode(s: &str) -> String {
    s.bytes().map(|b| if is_unreserved(b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A form-urlencoded body or query string of `pairs`.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// OAuth2's error body: `{"error": "..."}`.
fn oauth_error(status: StatusCode, error: &'static str) -> Response {
    let mut r = (status, axum::Json(json!({ "error": error }))).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => {
            let mut r = StatusCode::FOUND.into_response();
            r.headers_mut().insert(header::LOCATION, v);
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(_) => refused_page(&refused("invalid_request", "The redirect is not a valid URL.")),
    }
}

/// The origin of a request from a local dev server (the rule the API's CORS applies locally).
fn allowed_origin(headers: &HeaderMap) -> Option<HeaderValue> {
    headers.get(header::ORIGIN).filter(|o| o.to_str().is_ok_and(local_origin)).cloned()
}

fn with_cors(mut r: Response, headers: &HeaderMap) -> Response {
    if let Some(origin) = allowed_origin(headers) {
        r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    r.headers_mut().insert(header::VARY, HeaderValue::from_static("origin"));
    r
}

/// A CORS preflight of the token or revocation endpoint: POST with a form body.
fn preflight(headers: &HeaderMap) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    if allowed_origin(headers).is_some() {
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    }
    with_cors(r, headers)
}

fn html(status: StatusCode, page: &str) -> Response {
    let mut r = (status, page.to_owned()).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    );
    r
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Dark text on white (16:1), white on the button's blue (6.7:1), a focus ring on every control;
/// one column that fits a 360px screen.
const STYLE: &str = "\
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#111827;font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{max-width:26rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #d1d5db;border-radius:.5rem}
h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.25}
label{display:block;margin-bottom:.25rem;font-weight:600}
input{width:100%;min-height:2.75rem;padding:.5rem .75rem;font:inherit;color:inherit;background:#fff;border:1px solid #6b7280;border-radius:.375rem}
button{width:100%;min-height:2.75rem;margin-top:1rem;padding:.5rem 1rem;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:.375rem;cursor:pointer}
button:hover{background:#1e40af}
input:focus-visible,button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.error{margin:0 0 1rem;padding:.75rem;color:#991b1b;background:#fef2f2;border-left:4px solid #991b1b;font-weight:600}
.note{margin:1.5rem 0 0;padding:.75rem;color:#3f3f46;background:#f4f4f5;border-left:4px solid #52525b;font-size:.9375rem}
code{overflow-wrap:anywhere}
@media (max-width:30rem){main{margin:0;min-height:100vh;border:0;border-radius:0;padding:1.25rem}}";

fn document(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<main>\n{main}\n</main>\n</body>\n</html>\n"
    )
}

/// The sign-in page: the request in hidden fields, one email field, and the error if any.
fn sign_in_page(req: &AuthRequest, email: &str, error: Option<&str>) -> String {
    let mut hidden = vec![
        ("response_type", "code"),
        ("client_id", req.client_id.as_str()),
        ("redirect_uri", req.redirect_uri.as_str()),
        ("code_challenge", req.code_challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("scope", req.scope.as_str()),
    ];
    if let Some(state) = &req.state {
        hidden.push(("state", state.as_str()));
    }
    let hidden: String =
        hidden.iter().map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">\n", escape(v))).collect();
    let mut attrs = String::new();
    if !email.is_empty() {
        attrs.push_str(&format!(" value=\"{}\"", escape(email)));
    }
    let error = match error {
        Some(e) => {
            attrs.push_str(" aria-invalid=\"true\" aria-describedby=\"email-error\"");
            format!("<p class=\"error\" id=\"email-error\" role=\"alert\">{}</p>\n", escape(e))
        }
        None => String::new(),
    };
    let main = format!(
        "<h1>Sign in to PortfolioOS</h1>\n{error}<form method=\"post\" action=\"/oauth2/authorize\">\n{hidden}\
         <label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" required \
         autocomplete=\"email\"{attrs}>\n<button type=\"submit\">Sign in</button>\n</form>\n\
         <p class=\"note\">This is devstack's local issuer, not Cognito: there is no password, and any email \
         address signs in as that user. In AWS, Cognito's hosted sign-in page is shown instead.</p>"
    );
    document("Sign in · PortfolioOS (local)", &main)
}

fn refused_page(r: &Refused) -> Response {
    let main = format!(
        "<h1>This sign-in request was refused</h1>\n<p class=\"error\" role=\"alert\">{}</p>\n\
         <p>Error: <code>{}</code></p>\n<p class=\"note\">devstack's local issuer checks sign-in requests \
         as Cognito's hosted UI does. The app that sent you here needs fixing.</p>",
        escape(&r.description),
        r.error
    );
    html(StatusCode::BAD_REQUEST, &document("Sign-in error · PortfolioOS (local)", &main))
}

#[cfg(test)]
#[path = "hosted_ui_tests.rs"]
mod tests;

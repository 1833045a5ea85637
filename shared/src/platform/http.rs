//! The HTTP edge shared by every API function: request context (route key, path parameters,
//! verified claims), strict JSON bodies, paging parameters, and the one place where errors
//! become RFC 9457 problem+json.

use super::auth::AuthError;
use super::db::{cursor, DbError, Item};
use super::scope::Principal;
pub use crate::validation::{check_opt_text, check_text, Validate};
use crate::{validation, Error, FieldError};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Largest JSON body accepted (API Gateway allows 10 MB; nothing we take is near 1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
pub const DEFAULT_LIMIT: i32 = 50;
pub const MAX_LIMIT: i32 = 200;

/// An RFC 9457 problem.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Sent as the `Retry-After` header (seconds), not in the body.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ApiError(pub Problem);

impl ApiError {
    fn new(status: u16, slug: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError(Problem {
            type_: format!("urn:portfolioos:problem:{slug}"),
            title: title.to_owned(),
            status,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        })
    }

    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        let detail = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
        let mut e = ApiError::new(400, "validation", "Invalid request", detail);
        e.0.errors = errors;
        e
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(400, "bad-request", "Bad request", detail)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(401, "unauthorized", "Unauthorized", "a valid bearer token is required")
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(403, "forbidden", "Forbidden", detail)
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(404, "not-found", "Not found", format!("{what} not found"))
    }

    pub fn conflict(detail: impl Into<String>) -> ApiError {
        ApiError::new(409, "conflict", "Conflict", detail)
    }

    pub fn too_large() -> ApiError {
        ApiError::new(413, "payload-too-large", "Payload too large", format!("the body exceeds {MAX_BODY_BYTES} bytes"))
    }

    /// 415: a body that is not sent as JSON.
    pub fn unsupported_media_type(detail: impl Into<String>) -> ApiError {
        let detail = format!("{}; send the body as JSON with content-type: application/json", detail.into());
        let mut e = ApiError::new(415, "unsupported-media-type", "Unsupported media type", detail);
        e.0.errors = vec![FieldError::new("Content-Type", "must be application/json")];
        e
    }

    pub fn unprocessable(detail: impl Into<String>) -> ApiError {
        ApiError::new(422, "unprocessable", "Unprocessable request", detail)
    }

    pub fn unavailable(detail: impl Into<String>) -> ApiError {
        ApiError::new(503, "unavailable", "Service unavailable", detail)
    }

    /// 503 with `Retry-After`: a provider is down and was not called.
    pub fn unavailable_for(detail: impl Into<String>, retry_after_secs: u64) -> ApiError {
        let mut e = ApiError::new(503, "unavailable", "Service unavailable", detail);
        e.0.retry_after = Some(retry_after_secs);
        e
    }

    /// 502: a provider gave no usable answer.
    pub fn bad_gateway(detail: impl Into<String>) -> ApiError {
        ApiError::new(502, "bad-gateway", "Bad gateway", detail)
    }

    pub fn internal() -> ApiError {
        ApiError::new(500, "internal", "Internal error", "something went wrong on our side; it has been logged")
    }

    pub fn status(&self) -> u16 {
        self.0.status
    }

    pub fn into_response(self) -> Response<Body> {
        let body = serde_json::to_string(&self.0).expect("problems serialize");
        let mut res = Response::builder().status(self.0.status).header("content-type", "application/problem+json");
        if let Some(secs) = self.0.retry_after {
            res = res.header("retry-after", secs.to_string());
        }
        res.body(Body::Text(body)).expect("valid response")
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Throttled => ApiError::unavailable("the store is busy; retry shortly"),
            DbError::Busy => ApiError::conflict("the records are changing concurrently; retry"),
            DbError::AlreadyExists => ApiError::conflict("it already exists"),
            DbError::KeyTaken => {
                ApiError::new(409, KEY_TAKEN, "Conflict", "another request completed this Idempotency-Key first")
            }
            DbError::Revoked => ApiError::forbidden("your membership no longer allows this action"),
            e if e.is_conflict() => ApiError::conflict("a concurrent change touched the same records; retry"),
            e => {
                tracing::error!(error = %e, "store failure");
                ApiError::internal()
            }
        }
    }
}

/// The problem slug of `DbError::KeyTaken`: the HTTP edge answers it with the other request's
/// stored response (`ApiError::is_key_taken`).
const KEY_TAKEN: &str = "idempotency-key-taken";

impl ApiError {
    /// The write lost its idempotency key to another request with the same key.
    pub fn is_key_taken(&self) -> bool {
        self.0.type_.ends_with(KEY_TAKEN)
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::NotFound => ApiError::not_found("organization"),
            AuthError::Forbidden(role) => ApiError::forbidden(format!("your role ({role}) does not allow this action")),
            AuthError::Store(e) => e.into(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(what) => ApiError::not_found(what),
            Error::Conflict(detail) => ApiError::conflict(detail),
            Error::Forbidden(detail) => ApiError::forbidden(detail),
            Error::Invalid(errors) => ApiError::validation(errors),
            Error::Store(e) => e.into(),
            Error::Unavailable { detail, retry_after_secs } => ApiError::unavailable_for(detail, retry_after_secs),
            Error::Upstream(detail) => ApiError::bad_gateway(detail),
        }
    }
}

pub type ApiResult = Result<Response<Body>, ApiError>;

/// `status` with a JSON body.
pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult {
    let body = serde_json::to_string(value).map_err(|_| ApiError::internal())?;
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::Text(body))
        .expect("valid response"))
}

pub fn no_content() -> ApiResult {
    Ok(Response::builder().status(204).body(Body::Empty).expect("valid response"))
}

/// The route key (`GET /api/v1/orgs/{orgId}`) API Gateway matched.
pub fn route_key(req: &Request) -> Option<&str> {
    match req.request_context_ref()? {
        RequestContext::ApiGatewayV2(ctx) => ctx.route_key.as_deref(),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

pub fn request_id(req: &Request) -> String {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.request_id.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The caller, from the claims the JWT authorizer verified; 401 when there are none.
pub fn principal(req: &Request) -> Result<Principal, ApiError> {
    let claims = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => {
            ctx.authorizer.as_ref().and_then(|a| a.jwt.as_ref()).map(|j| &j.claims)
        }
        _ => None,
    };
    claims.and_then(Principal::from_claims).ok_or_else(ApiError::unauthorized)
}

/// A path parameter API Gateway extracted (it is always there when the route matched).
pub fn path_param(req: &Request, name: &str) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first(name))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::bad_request(format!("missing path parameter {name}")))
}

pub fn query_param(req: &Request, name: &str) -> Option<String> {
    req.query_string_parameters_ref().and_then(|q| q.first(name)).map(str::to_owned)
}

/// Whether a `content-type` value names JSON: `application/json` or `application/<x>+json`, with
/// no parameter but `charset=utf-8` (JSON is UTF-8; RFC 8259 §8.1).
pub fn is_json_media_type(value: &str) -> bool {
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let suffixed = essence.strip_prefix("application/").and_then(|sub| sub.strip_suffix("+json")).is_some_and(|name| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.".contains(&b))
    });
    (essence == "application/json" || suffixed)
        && parts.all(|p| {
            let p = p.trim();
            p.is_empty()
                || p.split_once('=').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("charset") && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
                })
        })
}

/// A body must say it is JSON; a request without a body may say nothing.
fn check_media_type(req: &Request, blank: bool) -> Result<(), ApiError> {
    match req.headers().get(lambda_http::http::header::CONTENT_TYPE) {
        None if blank => Ok(()),
        None => Err(ApiError::unsupported_media_type("the request has a body but no content-type")),
        Some(v) if v.to_str().is_ok_and(is_json_media_type) => Ok(()),
        Some(v) => Err(ApiError::unsupported_media_type(format!(
            "content-type {:?} is not accepted",
            String::from_utf8_lossy(v.as_bytes()).chars().take(100).collect::<String>()
        ))),
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

fn body_error(message: impl Into<String>) -> ApiError {
    ApiError::validation(vec![FieldError::new("body", message)])
}

/// Parses a strict JSON body: ≤ 1 MiB (413), sent as `application/json` (415), one JSON object
/// and nothing after it (400), no unknown or repeated fields, every field of the right type (400
/// naming the field in words, never a Rust type), then the type's own rules (400 with every
/// failing field).
pub fn json_body<T: DeserializeOwned + Validate>(req: &Request) -> Result<T, ApiError> {
    let bytes = body_bytes(req);
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::too_large());
    }
    check_media_type(req, is_blank(bytes))?;
    if is_blank(bytes) {
        return Err(body_error("a JSON object is required"));
    }
    parse_object(bytes)
}

/// As `json_body`, for actions whose input is optional: an empty body (with no content-type, or
/// a JSON one) means "all defaults".
pub fn json_body_or_default<T: DeserializeOwned + Validate + Default>(req: &Request) -> Result<T, ApiError> {
    let bytes = body_bytes(req);
    if is_blank(bytes) {
        check_media_type(req, true)?;
        Ok(T::default())
    } else {
        json_body(req)
    }
}

/// One JSON object, nothing after it (whitespace aside), deserialized into `T` and validated.
pub fn parse_object<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde accepts `[…]` for a struct (fields by position): `[]` would be "all defaults". An
    // array is refused here with a plain message, and at any depth by `Strict`.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(body_error("must be a JSON object ({…})"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(super::strict_json::Strict(&mut de)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        // serde_json reports a wrongly typed enum as a syntax error, but at the field's path.
        let (field, msg) = if (path == "." || path.ends_with('?')) && (inner.is_syntax() || inner.is_eof()) {
            ("body".to_owned(), format!("not valid JSON: {msg}"))
        } else if inner.is_syntax() {
            (field_name(&path, &msg), "invalid value for this field".to_owned())
        } else {
            (field_name(&path, &msg), describe(&msg))
        };
        ApiError::validation(vec![FieldError::new(field, msg)])
    })?;
    de.end().map_err(|_| body_error("unexpected data after the JSON object"))?;
    let errors = value.validate();
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(value)
}

/// A `YYYY-MM-DD` query parameter (required).
pub fn date_param(req: &Request, name: &str) -> Result<chrono::NaiveDate, ApiError> {
    let v = query_param(req, name).ok_or_else(|| {
        ApiError::validation(vec![FieldError::new(name, format!("required: {}", validation::date::EXPECTED))])
    })?;
    validation::date::parse(&v).map_err(|m| ApiError::validation(vec![FieldError::new(name, m)]))
}

/// A year query parameter (`2026`; required).
pub fn year_param(req: &Request, name: &str) -> Result<i32, ApiError> {
    let bad = |m: &str| ApiError::validation(vec![FieldError::new(name, m)]);
    let v = query_param(req, name).ok_or_else(|| bad("required: a year, e.g. 2026"))?;
    v.parse::<i32>().ok().filter(|_| v.len() == 4).ok_or_else(|| bad("must be a year, e.g. 2026"))
}

/// An optional `YYYY-MM-DD` query parameter.
pub fn opt_date_param(req: &Request, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match query_param(req, name) {
        None => Ok(None),
        Some(_) => date_param(req, name).map(Some),
    }
}

/// The raw request body.
pub fn body_bytes(req: &Request) -> &[u8] {
    match req.body() {
        Body::Empty => b"",
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        #[allow(unreachable_patterns)]
        _ => b"",
    }
}

/// serde reports a missing or repeated field at its parent's path with the name in backticks (an
/// unknown field's path already ends with its name).
fn field_name(path: &str, msg: &str) -> String {
    let at_parent = msg.starts_with("missing field") || msg.starts_with("duplicate field");
    let named = at_parent.then(|| msg.split('`').nth(1)).flatten();
    match (path, named) {
        (".", Some(n)) => n.to_owned(),
        (p, Some(n)) => format!("{p}.{n}"),
        (".", None) => "body".to_owned(),
        (p, None) => p.to_owned(),
    }
}

/// serde's message about one field, in the API's words: what the field must be and what was
/// sent, never a Rust type (`expected struct MoneyDto`, `u8`, `untagged enum Allocate`).
fn describe(msg: &str) -> String {
    let wrong = msg.strip_prefix("invalid type: ").or_else(|| msg.strip_prefix("invalid value: "));
    if let Some((got, exp)) = wrong.and_then(|r| r.split_once(", expected ")) {
        return format!("must be {} (got {})", expected(exp), sent(got));
    }
    if let Some((_, exp)) = msg.strip_prefix("invalid length ").and_then(|r| r.split_once(", expected ")) {
        return format!("must be {}", expected(exp));
    }
    if msg.starts_with("missing field") {
        return "is required".to_owned();
    }
    if msg.starts_with("duplicate field") {
        return "is given more than once".to_owned();
    }
    if msg.starts_with("unknown field") {
        // serde lists the JSON fields: "unknown field `nme`, expected one of `name`, `address`".
        return match msg.split_once(", expected ") {
            Some((_, known)) => format!("is not a field of this request; expected {known}"),
            None => "is not a field of this request".to_owned(),
        };
    }
    if msg.starts_with("data did not match any variant of untagged enum") {
        return "is not one of the accepted forms (see the API description)".to_owned();
    }
    scrub(msg)
}

/// What serde expected, as the API describes it.
fn expected(exp: &str) -> String {
    let whole = |min: i128, max: i128| format!("a whole number from {min} to {max}");
    match exp {
        "a string" | "a borrowed string" | "string" => "a string".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "u8" => whole(0, u8::MAX.into()),
        "u16" => whole(0, u16::MAX.into()),
        "u32" => whole(0, u32::MAX.into()),
        "u64" | "usize" => whole(0, u64::MAX.into()),
        "i8" => whole(i8::MIN.into(), i8::MAX.into()),
        "i16" => whole(i16::MIN.into(), i16::MAX.into()),
        "i32" => whole(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => whole(i64::MIN.into(), i64::MAX.into()),
        "f32" | "f64" => "a number".to_owned(),
        "a character" | "char" => "a single character".to_owned(),
        "unit" => "null".to_owned(),
        "a map" | "map" => "a JSON object".to_owned(),
        "a sequence" | "sequence" => "an array".to_owned(),
        e if e.starts_with("struct ") || e.contains("map") => "a JSON object".to_owned(),
        e if e.starts_with("tuple") || e.starts_with("a tuple") || e.starts_with("a sequence") => "an array".to_owned(),
        e if e.starts_with("enum ") || e.ends_with("identifier") || e.starts_with("variant") => {
            "one of the allowed values".to_owned()
        }
        e => scrub(e),
    }
}

/// What was sent, in JSON terms (long strings cut short).
fn sent(got: &str) -> String {
    match got {
        "unit value" | "null" => "null".to_owned(),
        "sequence" => "an array".to_owned(),
        "map" => "an object".to_owned(),
        g if g.starts_with("string \"") => {
            let s: String = g["string ".len()..].chars().take(42).collect();
            if g.chars().count() > "string ".len() + 42 {
                format!("the string {s}…")
            } else {
                format!("the string {s}")
            }
        }
        g => {
            // `integer `3``, `floating point `1.5``, `boolean `true``: the value itself.
            match g.split('`').nth(1) {
                Some(v) if !v.is_empty() => v.chars().take(40).collect(),
                _ => scrub(g),
            }
        }
    }
}

/// Drops what reads like a Rust type (`struct Foo`, `enum Bar`) from a message nothing else
/// translated.
fn scrub(msg: &str) -> String {
    let mut out = Vec::new();
    let mut words = msg.split(' ').peekable();
    while let Some(w) = words.next() {
        match w {
            "struct" | "enum" if words.peek().is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase())) => {
                words.next();
                out.push(if w == "struct" { "a JSON object" } else { "one of the allowed values" });
            }
            "untagged" | "internally" | "adjacently" if words.peek() == Some(&"enum") => {}
            w => out.push(w),
        }
    }
    out.join(" ")
}

/// `?limit=&cursor=` for a list, with the cursor opened against its binding.
pub struct ListParams {
    pub limit: i32,
    pub start: Option<Item>,
}

impl ListParams {
    pub fn from_request(req: &Request, secret: &[u8], binding: &str) -> Result<ListParams, ApiError> {
        let limit = match query_param(req, "limit") {
            None => DEFAULT_LIMIT,
            Some(s) => match s.parse::<i32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(ApiError::validation(vec![FieldError::new(
                        "limit",
                        format!("must be an integer from 1 to {MAX_LIMIT}"),
                    )]))
                }
            },
        };
        let start =
            match query_param(req, "cursor") {
                None => None,
                Some(c) => Some(cursor::open(secret, binding, &c).ok_or_else(|| {
                    ApiError::validation(vec![FieldError::new("cursor", "not a cursor from this list")])
                })?),
            };
        Ok(ListParams { limit, start })
    }
}

// Every list's answer, and its schema (`inline(ListResponse<Item>)` in a route's responses).
/// `{"items": [...], "nextCursor": "..." | null}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    /// Opaque; pass as `?cursor=` for the next page. Null on the last page.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_missing_and_unknown_fields() {
        assert_eq!(field_name(".", "missing field `name`"), "name");
        assert_eq!(field_name("address", "missing field `city`"), "address.city");
        assert_eq!(field_name("nme", "unknown field `nme`, expected one of `name`"), "nme");
        assert_eq!(field_name("address.zip", "unknown field `zip`, expected `city`"), "address.zip");
        assert_eq!(field_name("address.city", "invalid type: integer `3`, expected a string"), "address.city");
        assert_eq!(field_name("address", "duplicate field `city`"), "address.city");
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        amount: String,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        #[serde(default)]
        count: u8,
        #[serde(default)]
        money: Option<Inner>,
        #[serde(default)]
        kind: Option<crate::billing::model::PaymentMethod>,
        #[serde(default)]
        allocate: Option<crate::billing::model::Allocate>,
        #[serde(default, deserialize_with = "crate::validation::date::strict_opt")]
        received_on: Option<chrono::NaiveDate>,
    }

    impl Validate for Input {
        fn validate(&self) -> Vec<FieldError> {
            Vec::new()
        }
    }

    fn request(content_type: Option<&str>, body: &str) -> Request {
        let mut b = lambda_http::http::Request::builder().method("POST").uri("/x");
        if let Some(ct) = content_type {
            b = b.header("content-type", ct);
        }
        let body = if body.is_empty() { Body::Empty } else { Body::Text(body.to_owned()) };
        b.body(body).unwrap()
    }

    fn problem(r: Result<Input, ApiError>) -> (u16, Vec<(String, String)>) {
        let e = r.expect_err("refused");
        (e.status(), e.0.errors.iter().map(|f| (f.field.clone(), f.message.clone())).collect())
    }

    /// No problem a body can cause names a Rust type.
    fn assert_no_rust_words(m: &str) {
        for w in [
            "struct",
            "enum ",
            "Inner",
            "Input",
            "Allocate",
            "PaymentMethod",
            "NaiveDate",
            "u8",
            "u64",
            "Option",
            "sequence",
        ] {
            assert!(!m.contains(w), "{m:?} mentions {w}");
        }
    }

    #[test]
    fn a_body_is_one_json_object_and_nothing_after_it() {
        let json = Some("application/json");
        assert_eq!(json_body::<Input>(&request(json, r#"{"count": 2}"#)).unwrap().count, 2);
        for body in ["[]", "[3]", "\"x\"", "3", "null", "true", "  [ ]"] {
            let (status, errors) = problem(json_body::<Input>(&request(json, body)));
            assert_eq!((status, errors[0].0.as_str()), (400, "body"), "{body}");
        }
        for body in [r#"{"count": 2} {"count": 3}"#, r#"{"count": 2}]"#, r#"{"count": 2}x"#, r#"{}{}"#] {
            let (status, errors) = problem(json_body::<Input>(&request(json, body)));
            assert_eq!(status, 400, "{body}");
            assert_eq!(errors, [("body".to_owned(), "unexpected data after the JSON object".to_owned())], "{body}");
        }
        assert_eq!(json_body::<Input>(&request(json, "\n {\"count\": 2} \r\n\t")).unwrap().count, 2);
    }

    #[test]
    fn a_body_must_be_sent_as_json() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=\"UTF-8\"",
            "application/merge-patch+json",
            "application/json;",
        ] {
            assert!(json_body::<Input>(&request(Some(ok), "{}")).is_ok(), "{ok}");
        }
        for bad in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("application/jsonx"),
            Some("application/+json"),
            Some("text/json"),
            Some("application/json; charset=latin1"),
            Some("application/json; boundary=x"),
            Some("multipart/form-data"),
        ] {
            let (status, errors) = problem(json_body::<Input>(&request(bad, "{}")));
            assert_eq!(status, 415, "{bad:?}");
            assert_eq!(errors[0].0, "Content-Type");
        }
        // Optional bodies: nothing sent, with or without a content-type, means defaults.
        assert_eq!(json_body_or_default::<Input>(&request(None, "")).unwrap().count, 0);
        assert_eq!(json_body_or_default::<Input>(&request(Some("application/json"), "")).unwrap().count, 0);
        assert_eq!(problem(json_body_or_default::<Input>(&request(Some("text/plain"), ""))).0, 415);
        assert_eq!(problem(json_body_or_default::<Input>(&request(None, r#"{"count": 1}"#))).0, 415);
        assert_eq!(problem(json_body_or_default::<Input>(&request(Some("application/json"), "[]"))).0, 400);
        // A required body that is missing is a 400 naming it.
        assert_eq!(
            problem(json_body::<Input>(&request(None, ""))),
            (400, vec![("body".into(), "a JSON object is required".into())])
        );
    }

    #[test]
    fn problems_name_json_fields_in_words() {
        let json = Some("application/json");
        for (body, field, says) in [
            (r#"{"count": "x"}"#, "count", "must be a whole number from 0 to 255 (got the string \"x\")"),
            (r#"{"count": 300}"#, "count", "must be a whole number from 0 to 255 (got 300)"),
            (r#"{"count": -1}"#, "count", "must be a whole number from 0 to 255 (got -1)"),
            (r#"{"count": 1.5}"#, "count", "must be a whole number from 0 to 255 (got 1.5)"),
            (r#"{"money": "12"}"#, "money", "must be a JSON object (got the string \"12\")"),
            (r#"{"money": ["12"]}"#, "money", "must be a JSON object (got an array)"),
            (r#"{"money": {}}"#, "money.amount", "is required"),
            (r#"{"money": {"amount": 5}}"#, "money.amount", "must be a string (got 5)"),
            (r#"{"money": {"amount": "5", "amount": "6"}}"#, "money.amount", "is given more than once"),
            (r#"{"cout": 1}"#, "cout", ""),
            (r#"{"kind": "wire"}"#, "kind", ""),
            (r#"{"allocate": 5}"#, "allocate", ""),
            (r#"{"allocate": [{"chargeId": "c", "amount": 5}]}"#, "allocate[0].amount", ""),
            (
                r#"{"allocate": [["c", {"amount": "5", "currency": "USD"}]]}"#,
                "allocate[0]",
                "must be a JSON object (got an array)",
            ),
            (r#"{"allocate": "all"}"#, "allocate", ""),
            (r#"{"receivedOn": "26-01-01"}"#, "receivedOn", ""),
            (r#"{"receivedOn": 20260101}"#, "receivedOn", ""),
        ] {
            let (status, errors) = problem(json_body::<Input>(&request(json, body)));
            assert_eq!((status, errors.len()), (400, 1), "{body}");
            assert_eq!(errors[0].0, field, "{body}: {errors:?}");
            if !says.is_empty() {
                assert_eq!(errors[0].1, says, "{body}");
            }
            assert_no_rust_words(&errors[0].1);
        }
        let long = format!(r#"{{"count": "{}"}}"#, "x".repeat(10_000));
        let (_, errors) = problem(json_body::<Input>(&request(json, &long)));
        assert!(errors[0].1.len() < 200, "a long value is not echoed whole: {}", errors[0].1.len());
    }

    #[test]
    fn scrub_drops_rust_type_names() {
        assert_eq!(scrub("expected struct MoneyDto here"), "expected a JSON object here");
        assert_eq!(scrub("no variant of untagged enum Allocate"), "no variant of one of the allowed values");
        assert_eq!(expected("struct CreatePayment with 4 elements"), "a JSON object");
        assert_eq!(expected("a date as YYYY-MM-DD (years 1900 to 2199)"), "a date as YYYY-MM-DD (years 1900 to 2199)");
    }

    #[test]
    fn query_dates_are_strict_and_named() {
        let req = |q: &str| {
            let mut r = request(None, "");
            let params: std::collections::HashMap<String, String> = [("asOf".to_owned(), q.to_owned())].into();
            r = r.with_query_string_parameters(params);
            r
        };
        assert!(opt_date_param(&req("2026-03-15"), "asOf").unwrap().is_some());
        for bad in ["26-01-01", "-0001-01-01", "2026-1-5", "+2026-01-01", "2026-02-30"] {
            let e = opt_date_param(&req(bad), "asOf").unwrap_err();
            assert_eq!((e.status(), e.0.errors[0].field.as_str()), (400, "asOf"), "{bad}");
        }
        assert_eq!(date_param(&request(None, ""), "date").unwrap_err().0.errors[0].field, "date");
    }
}

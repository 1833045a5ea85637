//! The HTTP edge shared by every API function: request context (route key, path parameters,
//! verified claims), strict JSON bodies, paging parameters, and the one place where errors
//! become RFC 9457 problem+json.

use super::auth::{AuthError, Principal};
use super::db::{cursor, DbError, Item};
use crate::{Error, FieldError};
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

    pub fn unprocessable(detail: impl Into<String>) -> ApiError {
        ApiError::new(422, "unprocessable", "Unprocessable request", detail)
    }

    pub fn unavailable(detail: impl Into<String>) -> ApiError {
        ApiError::new(503, "unavailable", "Service unavailable", detail)
    }

    pub fn internal() -> ApiError {
        ApiError::new(500, "internal", "Internal error", "something went wrong on our side; it has been logged")
    }

    pub fn status(&self) -> u16 {
        self.0.status
    }

    pub fn into_response(self) -> Response<Body> {
        let body = serde_json::to_string(&self.0).expect("problems serialize");
        Response::builder()
            .status(self.0.status)
            .header("content-type", "application/problem+json")
            .body(Body::Text(body))
            .expect("valid response")
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Throttled => ApiError::unavailable("the store is busy; retry shortly"),
            DbError::Busy => ApiError::conflict("the records are changing concurrently; retry"),
            DbError::AlreadyExists => ApiError::conflict("it already exists"),
            DbError::Revoked => ApiError::forbidden("your membership no longer allows this action"),
            e if e.is_conflict() => ApiError::conflict("a concurrent change touched the same records; retry"),
            e => {
                tracing::error!(error = %e, "store failure");
                ApiError::internal()
            }
        }
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
            Error::Invalid(errors) => ApiError::validation(errors),
            Error::Store(e) => e.into(),
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

/// Input types check their own rules after parsing (lengths, ranges, formats).
pub trait Validate {
    fn validate(&self) -> Vec<FieldError>;
}

/// Parses a strict JSON body: ≤ 1 MiB (413), well-formed, no unknown fields, every field of the
/// right type (400 naming the field), then the type's own rules (400 with every failing field).
pub fn json_body<T: DeserializeOwned + Validate>(req: &Request) -> Result<T, ApiError> {
    let bytes: &[u8] = match req.body() {
        Body::Empty => b"",
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        #[allow(unreachable_patterns)]
        _ => b"",
    };
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::too_large());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::validation(vec![FieldError::new("body", "a JSON object is required")]));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
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
            (field_name(&path, &msg), msg)
        };
        ApiError::validation(vec![FieldError::new(field, msg)])
    })?;
    let errors = value.validate();
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(value)
}

/// As `json_body`, but an empty body means "all defaults" (for actions whose input is optional).
pub fn json_body_or_default<T: DeserializeOwned + Validate + Default>(req: &Request) -> Result<T, ApiError> {
    let empty = match req.body() {
        Body::Empty => true,
        Body::Text(t) => t.trim().is_empty(),
        Body::Binary(b) => b.iter().all(u8::is_ascii_whitespace),
        #[allow(unreachable_patterns)]
        _ => true,
    };
    if empty {
        Ok(T::default())
    } else {
        json_body(req)
    }
}

/// A `YYYY-MM-DD` query parameter (required).
pub fn date_param(req: &Request, name: &str) -> Result<chrono::NaiveDate, ApiError> {
    let v = query_param(req, name)
        .ok_or_else(|| ApiError::validation(vec![FieldError::new(name, "required (YYYY-MM-DD)")]))?;
    v.parse().map_err(|_| ApiError::validation(vec![FieldError::new(name, "must be a date (YYYY-MM-DD)")]))
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

/// serde reports a missing field at its parent's path with the name in backticks (an unknown
/// field's path already ends with its name).
fn field_name(path: &str, msg: &str) -> String {
    let named = msg.starts_with("missing field").then(|| msg.split('`').nth(1)).flatten();
    match (path, named) {
        (".", Some(n)) => n.to_owned(),
        (p, Some(n)) => format!("{p}.{n}"),
        (".", None) => "body".to_owned(),
        (p, None) => p.to_owned(),
    }
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

/// `{"items": [...], "nextCursor": "..." | null}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Checks a string field's length in characters (not bytes) and that it is not blank.
pub fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, "must not be blank"));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, format!("must be at most {max} characters")));
    } else if value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "must not contain control characters"));
    }
}

pub fn check_opt_text(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>, max: usize) {
    if let Some(v) = value {
        check_text(errors, field, v, max);
    }
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
    }
}

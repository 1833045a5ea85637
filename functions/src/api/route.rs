//! Routes declared once. Each API module lists its routes in one `routes!` table: the handler,
//! who may call it (`public`, any signed-in `caller`, or an org member permitted an `Action`)
//! and whether it takes an `Idempotency-Key`. The method and path come from the handler's own
//! `#[utoipa::path]`, the one place they are written. From the table derive:
//! - dispatch (`dispatch`): the gateway's route key picks the route; an action route
//!   (`…/{leaseId}:activate`) shares the gateway route `…/{leaseId}` and is picked by the verb the
//!   last path parameter ends with, which the handler no longer sees;
//! - the scope check (an `Org` route's handler only runs with a `Ctx` for the path's org, made
//!   by `api::scope` for the declared action) and the key rule (`idempotent::run` around it);
//! - the function's route keys (`lib::registry`, held against `template.yaml` by a test);
//! - the OpenAPI paths (`openapi::document`);
//! - the test catalog's required action and key rule (`tests/src/catalog.rs`).
//!
//! A macro table rather than an axum router with `utoipa-axum`: the gateway has already matched
//! the route (its route key arrives with the request), so a second router would only re-match
//! paths, and axum's extractors would replace the strict JSON and problem+json edge every
//! handler shares; a table of plain data is also what the tests and the template check read.

use super::{scope, serve, unknown_route};
use crate::api::idempotent;
use lambda_http::{Body, Request, RequestExt, Response};
use portfolio::platform::ctx::Ctx;
use portfolio::platform::http::{self, ApiError, ApiResult};
use portfolio::platform::idempotency::Claim;
use portfolio::platform::scope::Action;
use portfolio::platform::App;
use std::future::Future;
use std::pin::Pin;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;

pub type ApiFuture<'a> = Pin<Box<dyn Future<Output = ApiResult> + Send + 'a>>;
/// A handler outside any org (`public` or `caller` routes).
pub type OpenFn = for<'a> fn(&'a App, &'a Request) -> ApiFuture<'a>;
/// A handler inside an org: it runs only once the caller's scope was granted.
pub type OrgFn = for<'a> fn(Call<'a>) -> ApiFuture<'a>;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token (liveness and documentation); the template declares no authorizer.
    Public,
    /// Any signed-in caller, outside any org (`/me`, creating an org).
    Caller,
    /// A member of the path's org whose role permits the action.
    Org(Action),
}

/// What a route does with an `Idempotency-Key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRule {
    /// Not used.
    None,
    /// Required (a POST that creates money): 400 naming the header without one; the response is
    /// stored with the write and replayed for the same key and body.
    Required,
}

/// What an org route's handler runs with.
pub struct Call<'a> {
    pub app: &'a App,
    pub req: &'a Request,
    pub cx: Ctx<'a>,
    /// The request's claimed `Idempotency-Key` on a `KeyRule::Required` route.
    pub keyed: Option<Keyed>,
}

/// A claimed `Idempotency-Key`: the write that completes it stores the response in its own
/// transaction.
pub struct Keyed {
    pub key: String,
    pub claim: Claim,
}

impl Call<'_> {
    /// A path parameter (an action route's without its `:verb`).
    pub fn param(&self, name: &str) -> Result<String, ApiError> {
        http::path_param(self.req, name)
    }

    /// The page a list request asks for (`?limit=`, `?cursor=` bound to this list).
    pub fn page(&self) -> Result<portfolio::platform::db::PageRequest, ApiError> {
        super::page(self.app, self.req, self.cx.scope)
    }

    /// A page of items with the cursor of the next.
    pub fn list<T: serde::Serialize>(&self, page: portfolio::platform::db::PageOf<T>) -> ApiResult {
        super::list(self.app, self.req, self.cx.scope, page)
    }

    /// The claimed key of a keyed route.
    pub fn keyed(&self) -> &Keyed {
        self.keyed.as_ref().expect("a KeyRule::Required route runs with its claimed key")
    }
}

pub enum Serve {
    Open(OpenFn),
    Org(OrgFn),
}

/// The handler's `#[utoipa::path]` (its `__path_<fn>` type), read through function pointers.
pub struct Doc {
    pub methods: fn() -> Vec<HttpMethod>,
    pub path: fn() -> String,
    pub operation: fn() -> Operation,
    /// The `tag = "…"` of the attribute (utoipa keeps it apart from the operation).
    pub tags: fn() -> Vec<&'static str>,
    /// The schemas the operation refers to, as utoipa's own `#[openapi(paths(...))]` collects them.
    pub schemas: fn(&mut Vec<(String, RefOr<Schema>)>),
}

/// What a route is, without its handler: what the OpenAPI document, the template check and
/// the test sweeps read. `api-health` serves the document from these alone, so it links no
/// handler (and none of the clients they use).
pub struct RouteDoc {
    pub name: &'static str,
    pub access: Access,
    pub key: KeyRule,
    pub doc: Doc,
}

/// One route: its `RouteDoc` and its handler.
pub struct Route {
    pub spec: RouteDoc,
    pub serve: Serve,
}

impl std::ops::Deref for Route {
    type Target = RouteDoc;

    fn deref(&self) -> &RouteDoc {
        &self.spec
    }
}

impl RouteDoc {
    /// The HTTP method, upper case.
    pub fn method(&self) -> &'static str {
        match (self.doc.methods)().first().expect("a path has a method") {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The OpenAPI operation, tagged.
    pub fn operation(&self) -> Operation {
        let mut op = (self.doc.operation)();
        op.tags.get_or_insert_with(Vec::new).extend((self.doc.tags)().into_iter().map(str::to_owned));
        op
    }

    /// The documented path (with an action route's `:verb`).
    pub fn doc_path(&self) -> String {
        (self.doc.path)()
    }

    /// The gateway's route key: the method and the path without `:verb`.
    pub fn route_key(&self) -> String {
        let path = self.doc_path();
        let gateway = match split_verb(&path) {
            Some((base, _)) => base.to_owned(),
            None => path,
        };
        format!("{} {gateway}", self.method())
    }

    /// An action route's verb: `activate` in `…/{leaseId}:activate`.
    pub fn verb(&self) -> Option<String> {
        split_verb(&self.doc_path()).map(|(_, v)| v.to_owned())
    }
}

/// `/x/{id}:verb` → (`/x/{id}`, `verb`).
fn split_verb(path: &str) -> Option<(&str, &str)> {
    let (base, verb) = path.rsplit_once("}:")?;
    Some((&path[..base.len() + 1], verb))
}

/// The last path parameter's name in a gateway path (`leaseId` in `…/{leaseId}`).
fn last_param(route_key: &str) -> Option<&str> {
    route_key.rsplit_once('{')?.1.strip_suffix('}')
}

/// Declares a module's routes: `pub static ROUTES: &[Route]` and, the same without handlers,
/// `pub static DOCS: &[RouteDoc]`. Each line is `public handler`, `caller handler`,
/// `org(Action) handler` or `org(Action, keyed) handler`.
#[macro_export]
macro_rules! routes {
    ($($access:ident $(($action:ident $(, $keyed:ident)?))? $handler:ident),* $(,)?) => {
        pub static ROUTES: &[$crate::api::route::Route] = &[
            $($crate::routes!(@route $access $(($action $(, $keyed)?))? $handler)),*
        ];
        pub static DOCS: &[$crate::api::route::RouteDoc] = &[
            $($crate::routes!(@route $access $(($action $(, $keyed)?))? $handler).spec),*
        ];
    };
    (@route public $handler:ident) => {
        $crate::routes!(@make $handler, $crate::api::route::Access::Public, None,
            $crate::api::route::Serve::Open(|app, req| Box::pin($handler(app, req))))
    };
    (@route caller $handler:ident) => {
        $crate::routes!(@make $handler, $crate::api::route::Access::Caller, None,
            $crate::api::route::Serve::Open(|app, req| Box::pin($handler(app, req))))
    };
    (@route org($action:ident) $handler:ident) => {
        $crate::routes!(@make $handler, $crate::api::route::Access::Org(portfolio::platform::scope::Action::$action), None,
            $crate::api::route::Serve::Org(|call| Box::pin($handler(call))))
    };
    (@route org($action:ident, keyed) $handler:ident) => {
        $crate::routes!(@make $handler, $crate::api::route::Access::Org(portfolio::platform::scope::Action::$action), Required,
            $crate::api::route::Serve::Org(|call| Box::pin($handler(call))))
    };
    (@make $handler:ident, $access:expr, $key:ident, $serve:expr) => {
        paste::paste! {
            $crate::api::route::Route {
                serve: $serve,
                spec: $crate::api::route::RouteDoc {
                name: stringify!($handler),
                access: $access,
                key: $crate::api::route::KeyRule::$key,
                doc: $crate::api::route::Doc {
                    methods: <[<__path_ $handler>] as utoipa::Path>::methods,
                    path: <[<__path_ $handler>] as utoipa::Path>::path,
                    operation: <[<__path_ $handler>] as utoipa::Path>::operation,
                    tags: <[<__path_ $handler>] as utoipa::__dev::Tags>::tags,
                    schemas: <[<__path_ $handler>] as utoipa::__dev::SchemaReferences>::schemas,
                },
                },
            }
        }
    };
}

/// An action route's path parameter and its value without the verb.
type Unverbed = Option<(String, String)>;

/// The route a request names: its gateway route key, and for action routes the verb its last
/// path parameter ends with.
fn find<'r>(routes: &'r [Route], req: &Request) -> Result<(&'r Route, Unverbed), ApiError> {
    let key = super::route_key(req);
    let mut verb_routes = routes.iter().filter(|r| r.route_key() == key).peekable();
    let Some(first) = verb_routes.peek() else { return Err(unknown_route(key)) };
    if first.verb().is_none() {
        return Ok((first, None));
    }
    let param = last_param(key).ok_or_else(|| unknown_route(key))?;
    let value = http::path_param(req, param)?;
    let (id, verb) = value.rsplit_once(':').ok_or_else(|| ApiError::not_found("route"))?;
    let route = verb_routes.find(|r| r.verb().as_deref() == Some(verb)).ok_or_else(|| ApiError::not_found("route"))?;
    Ok((route, Some((param.to_owned(), id.to_owned()))))
}

/// The request with `param` set to `value` (an action route's id without its verb).
fn with_param(req: Request, param: &str, value: String) -> Request {
    let mut params: std::collections::HashMap<String, String> =
        req.path_parameters().iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    params.insert(param.to_owned(), value);
    req.with_path_parameters(params)
}

/// Serves one request from a module's table: the route, the scope check for its action, the
/// key rule, then the handler.
pub async fn dispatch(app: &App, routes: &'static [Route], req: Request) -> Response<Body> {
    let (route, req) = match find(routes, &req) {
        Ok((route, None)) => (route, req),
        Ok((route, Some((param, id)))) => (route, with_param(req, &param, id)),
        Err(e) => return serve(&req, async { Err(e) }).await,
    };
    serve(&req, run(app, route, &req)).await
}

async fn run(app: &App, route: &Route, req: &Request) -> ApiResult {
    match (&route.serve, route.access) {
        (Serve::Open(h), Access::Public | Access::Caller) => h(app, req).await,
        (Serve::Org(h), Access::Org(action)) => {
            let s = scope(app, req, action).await?;
            let cx = Ctx::new(&app.db, &s);
            match route.key {
                KeyRule::None => h(Call { app, req, cx, keyed: None }).await,
                KeyRule::Required => {
                    let key = idempotent::required_key(req)?;
                    let k = key.clone();
                    idempotent::run(app, req, &cx, &key, |claim| {
                        h(Call { app, req, cx, keyed: Some(Keyed { key: k, claim }) })
                    })
                    .await
                }
            }
        }
        _ => unreachable!("the routes! macro pairs open handlers with open access"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_split_off_the_last_parameter() {
        assert_eq!(split_verb("/a/{leaseId}:activate"), Some(("/a/{leaseId}", "activate")));
        assert_eq!(split_verb("/a/{leaseId}"), None);
        assert_eq!(split_verb("/a/{x}/b"), None);
        assert_eq!(last_param("POST /a/{orgId}/leases/{leaseId}"), Some("leaseId"));
        assert_eq!(last_param("GET /a/leases"), None);
    }
}

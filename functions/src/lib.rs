//! The Lambda handlers. Each binary in `src/bin/` is wiring only; the handlers live here so
//! devstack can run them in-process and tests can call them directly. `registry()` lists every
//! function with the route keys it serves: the template test holds it against `template.yaml`.

pub mod api;
pub mod openapi;

use lambda_http::{Body, Request, Response};
use portfolio::platform::App;
use std::future::Future;
use std::pin::Pin;

pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Response<Body>> + Send + 'a>>;
pub type Handler = for<'a> fn(&'a App, Request) -> HandlerFuture<'a>;

/// One Lambda function: its binary (= template logical id in PascalCase) and what it serves.
pub struct FunctionDef {
    pub name: &'static str,
    pub routes: &'static [&'static str],
    pub handler: Handler,
}

macro_rules! api_function {
    ($name:literal, $module:ident) => {
        FunctionDef {
            name: $name,
            routes: api::$module::ROUTES,
            handler: |app, req| Box::pin(api::$module::handle(app, req)),
        }
    };
}

/// Every function of the product.
pub fn registry() -> Vec<FunctionDef> {
    vec![
        api_function!("api-health", health),
        api_function!("api-orgs", orgs),
        api_function!("api-members", members),
        api_function!("api-buildings", buildings),
        api_function!("api-units", units),
        api_function!("api-audit", audit),
        api_function!("api-tenants", tenants),
        api_function!("api-leases", leases),
        api_function!("api-occupancy", occupancy),
    ]
}

/// `main` of an API function: logs, clients once per cold start, then serve.
pub async fn run_api(handler: Handler) -> Result<(), lambda_http::Error> {
    portfolio::platform::telemetry::init();
    let app = App::from_env().await?;
    let app: &'static App = Box::leak(Box::new(app));
    lambda_http::run(lambda_http::service_fn(move |req: Request| async move {
        Ok::<_, std::convert::Infallible>(handler(app, req).await)
    }))
    .await
}

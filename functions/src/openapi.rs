//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the types. It is
//! served at `/api/v1/openapi.json` and committed as `openapi.json` (a test keeps them equal).

use crate::api;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// `{"items": [...], "nextCursor": "..." | null}`.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ListOf<T: ToSchema> {
    pub items: Vec<T>,
    /// Opaque; pass as `?cursor=` for the next page. Null on the last page.
    pub next_cursor: Option<String>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "PortfolioOS API", version = "1.0.0", description = "The financial operating system for small real-estate portfolios."),
    paths(
        api::health::health,
        api::orgs::me, api::orgs::create, api::orgs::get, api::orgs::update,
        api::members::list_members, api::members::add, api::members::update, api::members::remove,
        api::audit::list_audit,
        api::buildings::list_buildings, api::buildings::create, api::buildings::get, api::buildings::update, api::buildings::delete,
        api::buildings::list_units, api::buildings::create_unit, api::buildings::bulk_units,
        api::units::get, api::units::update, api::units::delete,
        api::occupancy::get,
        api::tenants::list_tenants, api::tenants::create, api::tenants::get, api::tenants::update,
        api::leases::list_leases, api::leases::create, api::leases::get, api::leases::update,
        api::leases::activate, api::leases::end, api::leases::renew, api::leases::unit_history,
        api::documents::create, api::documents::list_documents, api::documents::get, api::documents::new_version,
        api::documents::obligations,
        api::charges::list_charges, api::charges::create, api::charges::void, api::charges::settle_deposit,
        api::payments::list_payments, api::payments::create, api::payments::reverse, api::payments::clear, api::payments::allocate,
        api::ledger::get, api::ledger::list_fx, api::ledger::record_fx,
        api::delinquency::get, api::delinquency::snapshots,
        api::rent_runs::run, api::rent_runs::get_settings, api::rent_runs::put_settings,
        api::events::list_events,
        api::webhooks::list_webhooks, api::webhooks::create, api::webhooks::get, api::webhooks::update, api::webhooks::delete,
        api::webhooks::deliveries, api::webhooks::redeliver,
    ),
    security(("bearer" = [])),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

/// The document, with the OpenAPI route itself added (it serves the document, so it is not a
/// typed handler).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Pretty JSON, as committed in `openapi.json`.
pub fn document_json() -> String {
    document().to_pretty_json().expect("the document serializes") + "\n"
}

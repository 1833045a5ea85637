//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the types. It is
//! served at `/api/v1/openapi.json` and committed as `openapi.json` (a test keeps them equal).

use portfolio::events::EventSpec;
use serde_json::{json, Value};
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, KnownFormat, Schema, SchemaFormat};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

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

/// States in the document what the HTTP edge enforces for every route alike: each date (body
/// field or query parameter) is `YYYY-MM-DD` within years 1900–2199 (`pattern`), and a route that
/// takes a body answers 415 when it is not sent as JSON.
struct StrictInput;

impl Modify for StrictInput {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.schemas.values_mut().for_each(strict_dates);
        }
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                op.parameters.iter_mut().flatten().filter_map(|p| p.schema.as_mut()).for_each(strict_dates);
                let bodies = op.request_body.iter_mut().flat_map(|b| b.content.values_mut());
                bodies
                    .chain(op.responses.responses.values_mut().flat_map(|r| match r {
                        RefOr::T(r) => r.content.values_mut().collect::<Vec<_>>(),
                        RefOr::Ref(_) => Vec::new(),
                    }))
                    .filter_map(|c| c.schema.as_mut())
                    .for_each(strict_dates);
                if op.request_body.is_some() {
                    let problem = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
                    let unsupported = ResponseBuilder::new()
                        .description("The body was not sent as JSON (`content-type: application/json`).")
                        .content("application/problem+json", problem)
                        .build();
                    op.responses.responses.entry("415".to_owned()).or_insert(RefOr::T(unsupported));
                }
            }
        }
    }
}

/// Adds the strict date pattern to every `format: date` string inside `schema`.
fn strict_dates(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            if matches!(o.format, Some(SchemaFormat::KnownFormat(KnownFormat::Date))) {
                o.pattern = Some(portfolio::validation::date::PATTERN.to_owned());
            }
            o.properties.values_mut().for_each(strict_dates);
            if let Some(AdditionalProperties::RefOr(r)) = o.additional_properties.as_deref_mut() {
                strict_dates(r);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                strict_dates(items);
            }
        }
        Schema::OneOf(o) => o.items.iter_mut().for_each(strict_dates),
        Schema::AllOf(o) => o.items.iter_mut().for_each(strict_dates),
        Schema::AnyOf(o) => o.items.iter_mut().for_each(strict_dates),
        _ => {}
    }
}

/// Answers any route can give besides its own, so a client (and a contract fuzzer) finds every
/// status documented: 401 from the API's JWT authorizer (its own `{"message"}` body, before any
/// handler runs) on every route that needs a token, 413 when a body is over 1 MiB, and 503 when
/// the store throttles.
struct EdgeResponses;

impl Modify for EdgeResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let authorizer_body = ObjectBuilder::new()
            .property("message", ObjectBuilder::new().schema_type(Type::String))
            .required("message")
            .description(Some("The API Gateway JWT authorizer's answer to a missing, malformed or expired token."));
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.insert("AuthorizerError".to_owned(), RefOr::T(Schema::Object(authorizer_body.build())));
        let problem = |description: &str| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            RefOr::T(
                ResponseBuilder::new().description(description).content("application/problem+json", content).build(),
            )
        };
        let unauthorized = RefOr::T(
            ResponseBuilder::new()
                .description("No valid bearer token (answered by the authorizer).")
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("AuthorizerError"))).build(),
                )
                .build(),
        );
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                let public = serde_json::to_value(&op.security).ok() == Some(serde_json::json!([{}]));
                let responses = &mut op.responses.responses;
                if !public {
                    // Always the authorizer's: a handler behind it never sees a request without a token.
                    responses.insert("401".to_owned(), unauthorized.clone());
                }
                if op.request_body.is_some() {
                    responses.entry("413".to_owned()).or_insert_with(|| problem("The body is larger than 1 MiB."));
                }
                responses.entry("503".to_owned()).or_insert_with(|| problem("The store is busy; retry shortly."));
            }
        }
    }
}

/// Every error is answered as `application/problem+json` (`ApiError::into_response`): a response a
/// handler documents with `body = Problem` is given that content type here, once for all. Any
/// route that takes input (a body or a query parameter) answers 400 when it breaks a rule, so
/// 400 is documented there; the list parameters state their bounds (`?limit=` 1–200). An action
/// whose body is optional (`request_body = Option<T>`) takes no body or a `T`, never `null`. Any
/// route of an org answers 403 to a role that may not act there (or a membership just revoked).
struct Problems;

impl Modify for Problems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = serde_json::json!({"$ref": "#/components/schemas/Problem"});
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                for response in op.responses.responses.values_mut() {
                    let RefOr::T(response) = response else { continue };
                    let is_problem =
                        |c: &utoipa::openapi::Content| serde_json::to_value(&c.schema).ok() == Some(problem.clone());
                    if response.content.get("application/json").is_some_and(is_problem) {
                        let content = response.content.shift_remove("application/json").expect("checked above");
                        response.content.insert("application/problem+json".to_owned(), content);
                    }
                }
                let has_query = op.parameters.iter().flatten().any(|p| matches!(p.parameter_in, ParameterIn::Query));
                if op.request_body.is_some() || has_query {
                    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
                    let invalid = ResponseBuilder::new()
                        .description("The request breaks a rule stated here; `errors` names each field.")
                        .content("application/problem+json", content)
                        .build();
                    op.responses.responses.entry("400".to_owned()).or_insert(RefOr::T(invalid));
                }
                if path.starts_with("/api/v1/orgs/{orgId}") {
                    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
                    let forbidden = ResponseBuilder::new()
                        .description("The caller's role does not allow this, or their membership was just revoked.")
                        .content("application/problem+json", content)
                        .build();
                    op.responses.responses.entry("403".to_owned()).or_insert(RefOr::T(forbidden));
                }
                if let Some(body) = op.request_body.as_mut() {
                    for content in body.content.values_mut() {
                        let Some(RefOr::T(Schema::OneOf(one))) = &content.schema else { continue };
                        let null = serde_json::json!({"type": "null"});
                        if let [a, b] = &one.items[..] {
                            if serde_json::to_value(a).ok() == Some(null) {
                                content.schema = Some(b.clone());
                                body.required = Some(utoipa::openapi::Required::False);
                            }
                        }
                    }
                }
                for p in op.parameters.iter_mut().flatten() {
                    if p.name == "limit" && matches!(p.parameter_in, ParameterIn::Query) {
                        if let Some(RefOr::T(Schema::Object(o))) = p.schema.as_mut() {
                            o.minimum = Some(1.into());
                            o.maximum = Some(portfolio::platform::http::MAX_LIMIT.into());
                            o.default = Some(portfolio::platform::http::DEFAULT_LIMIT.into());
                        }
                    }
                }
            }
        }
    }
}

/// The rules a plain object schema cannot state: "exactly one of" two fields, as the `Validate`
/// impls enforce them. Bulk units take `labels` or `pattern` (its only fields, so one property,
/// not null); a late fee policy `flat` or `percent`, stated as a `oneOf` beside the object.
struct ExactlyOne;

impl Modify for ExactlyOne {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
        let Some(components) = openapi.components.as_mut() else { return };
        if let Some(RefOr::T(Schema::Object(bulk))) = components.schemas.get_mut("BulkUnits") {
            bulk.min_properties = Some(1);
            bulk.max_properties = Some(1);
            if let Some(RefOr::T(Schema::Array(labels))) = bulk.properties.get_mut("labels") {
                let mut plain = ArrayBuilder::new().items(labels.items.clone()).build();
                (plain.min_items, plain.max_items) = (labels.min_items, labels.max_items);
                *labels = plain;
            }
            if let Some(RefOr::T(Schema::Object(pattern))) = bulk.properties.get_mut("pattern") {
                // Literal text (what a label may hold, some of it not blank) and `{1..12}` or
                // `{A..D}` ranges; at most 50 characters, so no label it makes is longer.
                let literal = "[^{}\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]";
                let shown = "[^{}\\s\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]";
                let range = "\\{([0-9]{1,4}\\.\\.[0-9]{1,4}|[A-Z]\\.\\.[A-Z]|[a-z]\\.\\.[a-z])\\}";
                pattern.schema_type = Type::String.into();
                pattern.max_length = Some(50);
                pattern.pattern = Some(format!("^({literal}|{range})*({shown}|{range})({literal}|{range})*$"));
            }
        }
        let Some(policy) = components.schemas.remove("LateFeePolicy") else { return };
        let given = [
            ("flat", "percent", RefOr::from(Ref::from_schema_name("MoneyInput"))),
            ("percent", "flat", ObjectBuilder::new().schema_type(Type::String).into()),
        ];
        let mut one_of = OneOfBuilder::new();
        for (field, other, schema) in given {
            let absent = ObjectBuilder::new().schema_type(Type::Null);
            one_of = one_of.item(ObjectBuilder::new().required(field).property(field, schema).property(other, absent));
        }
        let both = AllOfBuilder::new().item(policy).item(one_of);
        components.schemas.insert("LateFeePolicy".to_owned(), RefOr::T(Schema::AllOf(both.build())));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "PortfolioOS API", version = "1.0.0", description = "The financial operating system for small real-estate portfolios."),
    security(("bearer" = [])),
)]
struct ApiDoc;

/// The document from the route tables and types (without `webhooks`, which utoipa does not
/// model): each route's operation and the schemas it refers to, as `#[openapi(paths(...))]`
/// would add them, then the modifiers over the whole.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let mut schemas = Vec::new();
    for route in crate::api::DOCS.iter().flat_map(|docs| docs.iter()) {
        doc.paths.add_path_operation(route.doc_path(), (route.doc.methods)(), route.operation());
        (route.doc.schemas)(&mut schemas);
    }
    doc.components.get_or_insert_with(Default::default).schemas.extend(schemas);
    for m in MODIFIERS {
        m.modify(&mut doc);
    }
    doc
}

const MODIFIERS: &[&dyn Modify] = &[&BearerAuth, &StrictInput, &EdgeResponses, &Problems, &ExactlyOne];

/// The whole document: [`document`] with every event type of the catalog under `webhooks`
/// (OpenAPI 3.1), each a POST of the event envelope whose `data` is that type's payload.
pub fn document_value() -> Value {
    let mut doc = serde_json::to_value(document()).expect("the document serializes");
    let mut schemas = Vec::new();
    let mut hooks = serde_json::Map::new();
    // The envelope every webhook's payload extends (`allOf` below refers to it).
    schemas.push(("Event".to_owned(), <portfolio::events::Event as utoipa::PartialSchema>::schema()));
    for spec in portfolio::catalog::all() {
        (spec.schemas)(&mut schemas);
        schemas.push(((spec.name)().into_owned(), (spec.schema)()));
        hooks.insert(spec.type_.to_owned(), webhook_operation(spec));
    }
    let components = doc["components"]["schemas"].as_object_mut().expect("the document has schemas");
    for (name, mut schema) in schemas {
        strict_dates(&mut schema);
        components.entry(name).or_insert_with(|| serde_json::to_value(schema).expect("schemas serialize"));
    }
    unique_operation_ids(&mut doc);
    doc["webhooks"] = Value::Object(hooks);
    doc["components"]["schemas"]["EventTypeFilter"] = event_type_filter();
    doc
}

/// Operation ids must be unique in a document (code generators key their types by them), and
/// utoipa takes a handler's function name: a name several handlers share (`create`, `get`) gains
/// the resource its path names last (`create_buildings`, `get_leases`).
fn unique_operation_ids(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for ops in paths.values() {
        for op in ops.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(id) = op["operationId"].as_str() {
                *seen.entry(id.to_owned()).or_default() += 1;
            }
        }
    }
    for (path, ops) in paths.iter_mut() {
        let resource = path.split('/').rfind(|s| !s.is_empty() && !s.starts_with('{')).unwrap_or("api");
        let resource = resource.split(':').next().unwrap_or(resource).replace('-', "_");
        for op in ops.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
            let Some(id) = op["operationId"].as_str().map(str::to_owned) else { continue };
            if seen.get(&id).is_some_and(|n| *n > 1) {
                op["operationId"] = Value::String(format!("{id}_{resource}"));
            }
        }
    }
}

/// What a webhook's `eventTypes` may hold, exactly: `*`, a type of the catalog, or a prefix
/// (`payment.*`, `workflow.task.*`) that names at least one.
fn event_type_filter() -> Value {
    let mut allowed = std::collections::BTreeSet::from(["*".to_owned()]);
    for spec in portfolio::catalog::all() {
        allowed.insert(spec.type_.to_owned());
        let parts: Vec<&str> = spec.type_.split('.').collect();
        for n in 1..parts.len() {
            allowed.insert(format!("{}.*", parts[..n].join(".")));
        }
    }
    json!({
        "type": "string",
        "description": "`*`, an event type (`GET /api/v1/event-types`), or a prefix ending in `.*` that names at least one.",
        "enum": allowed,
        "examples": ["payment.*"],
    })
}

/// What a subscriber of `spec`'s type receives: the signed POST of one event.
fn webhook_operation(spec: &EventSpec) -> Value {
    let name = (spec.name)();
    let envelope = json!({
        "allOf": [
            {"$ref": "#/components/schemas/Event"},
            {"type": "object", "required": ["type", "version", "subject", "data"], "properties": {
                "type": {"const": spec.type_},
                "version": {"const": spec.version},
                "subject": {"type": "object", "properties": {"type": {"const": spec.subject}}},
                "data": {"$ref": format!("#/components/schemas/{name}")},
            }},
        ],
    });
    json!({"post": {
        "operationId": format!("webhook_{}", spec.type_.replace('.', "_")),
        "summary": spec.type_,
        "description": format!("Event `{}` (version {}) about a `{}`, signed with `Portfolio-Signature`.", spec.type_, spec.version, spec.subject),
        "tags": ["webhooks"],
        "requestBody": {"required": true, "content": {"application/json": {"schema": envelope}}},
        "responses": {"2XX": {"description": "Received; any other answer (or none within 10 s) is retried with backoff."}},
    }})
}

/// The payload schema of `spec` as a standalone JSON Schema: the schemas it refers to are
/// carried in `$defs`.
pub fn payload_json_schema(spec: &EventSpec) -> Value {
    let mut deps = Vec::new();
    (spec.schemas)(&mut deps);
    let local = |mut schema: RefOr<Schema>| -> Value {
        strict_dates(&mut schema);
        let text = serde_json::to_string(&schema).expect("schemas serialize");
        serde_json::from_str(&text.replace("#/components/schemas/", "#/$defs/")).expect("still JSON")
    };
    let mut root = local((spec.schema)());
    if !deps.is_empty() {
        let defs: serde_json::Map<String, Value> = deps.into_iter().map(|(n, s)| (n, local(s))).collect();
        root["$defs"] = Value::Object(defs);
    }
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root
}

/// Pretty JSON, as committed in `openapi.json`.
pub fn document_json() -> String {
    serde_json::to_string_pretty(&document_value()).expect("the document serializes") + "\n"
}

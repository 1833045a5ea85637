//! The OpenAPI document: generated from the types, served, committed, and covering every route.

use e2e::TestApp;
use serde_json::{json, Value};

fn generated() -> Value {
    serde_json::from_str(&functions::openapi::document_json()).unwrap()
}

#[test]
fn committed_openapi_json_matches_the_generated_document() {
    let path = devstack::template::repo_root().join("openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("openapi.json is committed")).unwrap();
    assert!(committed == generated(), "openapi.json is stale: run `make openapi` and commit it");
    assert_eq!(generated()["openapi"], "3.1.0");
}

/// Every `$ref` names a schema the document has (a dangling one breaks code generators such as
/// openapi-typescript, which the web app's types come from).
#[test]
fn every_reference_resolves() {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let doc = generated();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "the document refers to its schemas");
    let dangling: Vec<&String> = all
        .iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/").is_none_or(|name| doc["components"]["schemas"][name].is_null())
        })
        .collect();
    assert!(dangling.is_empty(), "unresolved references: {dangling:?}");
}

#[test]
fn operation_ids_are_unique() {
    let doc = generated();
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ops| ops.as_object().unwrap().values().filter_map(|op| op["operationId"].as_str()))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "operation ids repeat");
    assert!(ids.contains(&"create_buildings") && ids.contains(&"void_charges"), "{ids:?}");
}

#[test]
fn every_template_route_is_documented_and_nothing_else() {
    let template = devstack::template::Template::load_default().unwrap();
    let doc = generated();
    let mut documented: Vec<String> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            // `…/{leaseId}:activate` is served by the route `…/{leaseId}` (whole-segment variables).
            let route_path = match path.rsplit_once("}:") {
                Some((head, _)) => format!("{head}}}"),
                None => path.clone(),
            };
            let key = format!("{} {route_path}", method.to_uppercase());
            if !documented.contains(&key) {
                documented.push(key);
            }
        }
    }
    documented.sort();
    let mut routes: Vec<String> = template.functions.iter().flat_map(|f| f.routes.iter().map(|r| r.key())).collect();
    routes.sort();
    assert_eq!(documented, routes);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_is_served_without_auth() {
    let app = TestApp::spawn().await;
    let res = app.raw("GET", "/api/v1/openapi.json", None, None).await.expect(200);
    assert!(res.body == generated());
}

/// Every schema a request body reaches, following `$ref`s (names of components).
fn reachable(doc: &Value, v: &Value, seen: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                let name = r.trim_start_matches("#/components/schemas/").to_owned();
                if seen.insert(name.clone()) {
                    reachable(doc, &doc["components"]["schemas"][&name], seen);
                }
            }
            m.values().for_each(|x| reachable(doc, x, seen));
        }
        Value::Array(a) => a.iter().for_each(|x| reachable(doc, x, seen)),
        _ => {}
    }
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

/// The document states what the server enforces on input (the e2e input tests hold the server to
/// the same rules).
#[test]
fn the_document_states_the_input_rules() {
    let doc = generated();
    let text = doc.to_string();
    // Dates: every one, in bodies, responses and query parameters, is strict YYYY-MM-DD.
    let dates = text.matches(r#""format":"date""#).count();
    assert!(dates > 20, "{dates}");
    assert_eq!(text.matches(&format!(r#""pattern":{}"#, json!(portfolio::validation::date::PATTERN))).count(), dates);
    // Bodies: 415 wherever one is taken; money in requests is unsigned (never the response shape,
    // whose amounts may be negative).
    let mut seen = std::collections::BTreeSet::new();
    let mut with_body = 0;
    for (method, path, op) in operations(&doc) {
        if let Some(body) = op.get("requestBody") {
            with_body += 1;
            assert!(op["responses"]["415"].is_object(), "{method} {path} documents no 415");
            assert_eq!(
                op["responses"]["415"]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem"
            );
            reachable(&doc, body, &mut seen);
        } else {
            assert!(op["responses"]["415"].is_null(), "{method} {path} takes no body");
        }
    }
    assert!(with_body >= 25, "{with_body}");
    assert!(seen.contains("MoneyInput") && !seen.contains("MoneyDto"), "request bodies reach {seen:?}");
    // Input money: per currency group, a positive amount with at most its decimals.
    for branch in doc["components"]["schemas"]["MoneyInput"]["oneOf"].as_array().unwrap() {
        let code = branch["properties"]["currency"]["enum"][0].as_str().unwrap();
        let exponent = portfolio::money::Currency::parse(code).unwrap().exponent();
        assert_eq!(branch["properties"]["amount"]["pattern"], portfolio::money::MoneyInput::amount_pattern(exponent));
    }
    let user = &doc["components"]["schemas"]["AddMember"]["properties"]["userId"];
    assert_eq!(user["pattern"], portfolio::validation::SUBJECT_PATTERN);
    // Money-creating POSTs require the key.
    for path in [
        "/api/v1/orgs/{orgId}/leases/{leaseId}/charges",
        "/api/v1/orgs/{orgId}/leases/{leaseId}/payments",
        "/api/v1/orgs/{orgId}/leases/{leaseId}/payment-intents",
    ] {
        let params = doc["paths"][path]["post"]["parameters"].as_array().unwrap();
        let key = params.iter().find(|p| p["name"] == "Idempotency-Key").expect(path);
        assert_eq!((key["in"].as_str(), key["required"].as_bool()), (Some("header"), Some(true)), "{path}");
        assert_eq!(key["schema"]["type"], "string", "{path}");
    }
}

/// Every answer a route can give is documented: 401 from the authorizer (its `{"message"}`
/// body) on every route that needs a token, 413 and 415 wherever a body is taken, 503 anywhere;
/// and the authorizer's answer is what the document says.
#[tokio::test(flavor = "multi_thread")]
async fn edge_answers_are_documented_and_given_as_documented() {
    let doc = generated();
    for (method, path, op) in operations(&doc) {
        let responses = &op["responses"];
        let public = op["security"] == json!([{}]);
        assert!(public || responses.get("401").is_some(), "{method} {path} documents no 401");
        if op.get("requestBody").is_some() {
            for status in ["413", "415"] {
                assert!(responses.get(status).is_some(), "{method} {path} takes a body but documents no {status}");
            }
        }
        assert!(responses.get("503").is_some(), "{method} {path} documents no 503");
    }
    let schema = &doc["components"]["schemas"]["AuthorizerError"];
    assert_eq!(schema["required"], json!(["message"]));
    let app = TestApp::spawn().await;
    let res = app.raw("GET", "/api/v1/me", None, None).await;
    assert_eq!(res.status, 401);
    assert!(res.body["message"].is_string(), "the authorizer answers {{\"message\"}}: {}", res.text);
}

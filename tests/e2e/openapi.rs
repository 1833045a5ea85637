//! The OpenAPI document: generated from the types, served, committed, and covering every route.

use e2e::TestApp;
use serde_json::Value;

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
    documented.push("GET /api/v1/openapi.json".into());
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

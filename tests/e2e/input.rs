//! Bad input on every write route: a clear 4xx problem naming the field, and nothing written.

use e2e::catalog::{cases, Fixture};
use e2e::TestApp;
use serde_json::{json, Value};

/// The request schema of a route from the OpenAPI document (resolving `$ref`).
fn request_schema(doc: &Value, method: &str, path: &str) -> Value {
    let op = &doc["paths"][path][method.to_lowercase()];
    let mut schema = &op["requestBody"]["content"]["application/json"]["schema"];
    // An optional body is `oneOf: [null, {$ref}]`.
    if let Some(r) = schema["oneOf"].as_array().and_then(|v| v.iter().find(|s| s["$ref"].is_string())) {
        schema = r;
    }
    match schema["$ref"].as_str() {
        Some(r) => doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")].clone(),
        None => schema.clone(),
    }
}

fn wrong_type(v: &Value) -> Value {
    match v {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("not-a-number"),
        Value::Bool(_) => json!("yes"),
        Value::Array(_) => json!("not-a-list"),
        Value::Object(_) => json!(42),
        Value::Null => json!([1]),
    }
}

#[track_caller]
fn assert_names(res: &e2e::Res, field: &str, what: &str) {
    assert_eq!(res.status, 400, "{what}: {}", res.text);
    assert_eq!(res.content_type, "application/problem+json", "{what}");
    let fields = res.error_fields();
    assert!(
        fields.iter().any(|f| f == field || f.starts_with(&format!("{field}.")) || f.starts_with(&format!("{field}["))),
        "{what}: expected {field} in {fields:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_write_route_rejects_bad_bodies_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let token = app.token("owner@example.com");
    let doc: Value = serde_json::from_str(&functions::openapi::document_json()).unwrap();
    let before = app.table_items().await.len();
    let mut checked = 0;
    for c in cases(&app, &fx).into_iter().filter(|c| c.body.is_some()) {
        let sample = c.body.clone().unwrap();
        let schema = request_schema(&doc, &c.method, &c.doc_path);
        assert_eq!(schema["type"], "object", "no request schema for {}", c.route_key);
        let what = |s: &str| format!("{} {s}", c.route_key);

        let res = app.raw(&c.method, &c.path, Some(&token), Some(b"{,".to_vec())).await;
        assert_names(&res, "body", &what("malformed JSON"));
        // Actions whose input is optional accept an empty body; the others name it.
        let op = &doc["paths"][&c.doc_path][c.method.to_lowercase()];
        if op["requestBody"]["required"] == json!(true) {
            let res = app.raw(&c.method, &c.path, Some(&token), Some(Vec::new())).await;
            assert_names(&res, "body", &what("empty body"));
        }

        let mut unknown = sample.clone();
        unknown["unexpectedField"] = json!(1);
        assert_names(
            &app.call(&c.method, &c.path, &token, Some(unknown)).await,
            "unexpectedField",
            &what("unknown field"),
        );

        for (field, value) in sample.as_object().unwrap().iter() {
            let mut bad = sample.clone();
            bad[field] = wrong_type(value);
            assert_names(
                &app.call(&c.method, &c.path, &token, Some(bad)).await,
                field,
                &what(&format!("wrong type of {field}")),
            );
            let long = "x".repeat(10_000);
            match value {
                Value::String(_) => {
                    let mut bad = sample.clone();
                    bad[field] = json!(long);
                    assert_names(
                        &app.call(&c.method, &c.path, &token, Some(bad)).await,
                        field,
                        &what(&format!("over-long {field}")),
                    );
                }
                Value::Object(inner) => {
                    for (sub, sv) in inner.iter().filter(|(_, v)| v.is_string()) {
                        let _ = sv;
                        let mut bad = sample.clone();
                        bad[field][sub] = json!(long);
                        assert_names(
                            &app.call(&c.method, &c.path, &token, Some(bad)).await,
                            &format!("{field}.{sub}"),
                            &what("over-long nested"),
                        );
                    }
                }
                _ => {}
            }
        }
        for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            let mut bad = sample.clone();
            bad.as_object_mut().unwrap().remove(required);
            assert_names(
                &app.call(&c.method, &c.path, &token, Some(bad)).await,
                required,
                &what(&format!("missing {required}")),
            );
        }

        let mut huge = sample.clone();
        huge["padding"] = json!("x".repeat(2 * 1024 * 1024));
        let res = app.raw(&c.method, &c.path, Some(&token), Some(huge.to_string().into_bytes())).await;
        res.problem(413);
        checked += 1;
    }
    assert!(checked >= 16, "every write route is checked; {checked}");
    assert_eq!(app.table_items().await.len(), before, "a rejected request wrote something");
}

#[tokio::test(flavor = "multi_thread")]
async fn domain_rules_name_their_fields() {
    let app = TestApp::spawn().await;
    let t = app.token("o@example.com");
    let res = app
        .post("/api/v1/orgs", &t, json!({"name": " ", "baseCurrency": "usd", "country": "XX", "timezone": "Mars/Base"}))
        .await;
    let mut fields = res.problem(400).error_fields();
    fields.sort();
    assert_eq!(fields, ["baseCurrency", "country", "name", "timezone"]);
    let org = app.create_org("o@example.com", "O").await;
    let b = app.create_building(&org, "o@example.com", "B").await;
    let res = app
        .post(
            &format!("/api/v1/orgs/{org}/buildings/{b}/units"),
            &t,
            json!({"label": "1", "bathrooms": "1.3", "marketRent": {"amount": "10.001", "currency": "USD"}}),
        )
        .await;
    let mut fields = res.problem(400).error_fields();
    fields.sort();
    assert_eq!(fields, ["bathrooms", "marketRent.amount"]);
    let res = app
        .post(&format!("/api/v1/orgs/{org}/members"), &t, json!({"userId": "a#b", "email": "nope", "role": "owner"}))
        .await;
    let mut fields = res.problem(400).error_fields();
    fields.sort();
    assert_eq!(fields, ["email", "userId"]);
    let res = app
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            &t,
            json!({"userId": "u1", "email": "a@b.co", "role": "superuser"}),
        )
        .await;
    assert_eq!(res.problem(400).error_fields(), ["role"]);
    let res = app.get(&format!("/api/v1/orgs/{org}/buildings?limit=0"), &t).await;
    assert_eq!(res.problem(400).error_fields(), ["limit"]);
}

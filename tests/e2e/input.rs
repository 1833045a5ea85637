//! Bad input on every write route: a clear 4xx problem naming the field, and nothing written.

use e2e::catalog::{cases, Fixture};
use e2e::TestApp;
use serde_json::{json, Value};

/// The request schema of a route from the OpenAPI document (resolving `$ref`).
fn request_schema(doc: &Value, method: &str, path: &str) -> Value {
    let op = &doc["paths"][path][method.to_lowercase()];
    let mut schema = &op["requestBody"]["content"]["application/json"]["schema"];
    // An optional body is its `$ref` with `required: false` (a `oneOf: [null, {$ref}]` before).
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

/// Words of Rust that must never reach a client (`expected struct CreatePayment`, `u8`, …).
const RUST_WORDS: &[&str] = &[
    "struct ",
    "enum ",
    "NaiveDate",
    "Decimal",
    "Dto",
    "Option<",
    "u8",
    "u16",
    "u32",
    "u64",
    "i64",
    "usize",
    "sequence",
];

#[track_caller]
fn assert_no_rust_words(res: &e2e::Res, what: &str) {
    for e in res.body["errors"].as_array().into_iter().flatten() {
        let m = e["message"].as_str().unwrap_or_default();
        assert!(!RUST_WORDS.iter().any(|w| m.contains(w)), "{what}: the message names a Rust type: {m}");
    }
    let detail = res.body["detail"].as_str().unwrap_or_default();
    assert!(!RUST_WORDS.iter().any(|w| detail.contains(w)), "{what}: the detail names a Rust type: {detail}");
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
    assert_no_rust_words(res, what);
}

/// Dates that are not `YYYY-MM-DD` within years 1900–2199.
const BAD_DATES: &[&str] = &[
    "26-01-01",
    "-0001-01-01",
    "2026-1-5",
    "+2026-01-01",
    "2026-02-30",
    "1899-12-31",
    "2200-01-01",
    "2026-01-05T00:00:00Z",
    "20260105",
    " 2026-01-05",
];

/// Whether a property schema of the OpenAPI document is a date.
fn is_date(prop: &Value) -> bool {
    prop["format"] == "date"
}

/// Whether a property schema is input money (the schema whose amount has no sign).
fn is_money_input(prop: &Value) -> bool {
    prop.to_string().contains("#/components/schemas/MoneyInput")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_write_route_rejects_bad_bodies_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let token = app.token("owner@example.com");
    let doc: Value = serde_json::from_str(&functions::openapi::document_json()).unwrap();
    let before = app.table_items().await.len();
    let (mut checked, mut dates_checked, mut amounts_checked) = (0, 0, 0);
    for c in cases(&app, &fx).into_iter().filter(|c| c.body.is_some()) {
        let sample = c.body.clone().unwrap();
        let schema = request_schema(&doc, &c.method, &c.doc_path);
        assert_eq!(schema["type"], "object", "no request schema for {}", c.route_key);
        let what = |s: &str| format!("{} {s}", c.route_key);

        let res = c.send_raw(&app, Some(&token), Some(b"{,".to_vec())).await;
        assert_names(&res, "body", &what("malformed JSON"));
        // One JSON object: not an array (serde would read one as the fields by position), nothing
        // after it.
        let positional = Value::Array(sample.as_object().unwrap().values().cloned().collect());
        for body in [json!([]), positional, json!("text"), Value::Null] {
            let res = c.send_raw(&app, Some(&token), Some(body.to_string().into_bytes())).await;
            assert_names(&res, "body", &what(&format!("a body of {body}")));
        }
        for tail in ["{}", "]", "x", ",", " null"] {
            let res = c.send_raw(&app, Some(&token), Some(format!("{sample}{tail}").into_bytes())).await;
            assert_names(&res, "body", &what(&format!("data after the object: {tail}")));
        }
        // Sent as JSON, or 415.
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("application/json; charset=latin1"),
        ] {
            let res = c.send_as(&app, Some(&token), ct, Some(sample.to_string().into_bytes())).await;
            res.problem(415);
        }
        // Dates are strict, amounts unsigned; each problem names the field.
        for (field, value) in sample.as_object().unwrap().iter() {
            let prop = &schema["properties"][field];
            if is_date(prop) {
                for bad in BAD_DATES {
                    let mut body = sample.clone();
                    body[field] = json!(bad);
                    let res = c.send(&app, &token, Some(body)).await;
                    assert_names(&res, field, &what(&format!("date {bad:?} in {field}")));
                }
                dates_checked += 1;
            }
            if is_money_input(prop) && value.is_object() {
                for sign in ["+", "-"] {
                    let mut body = sample.clone();
                    body[field]["amount"] = json!(format!("{sign}{}", value["amount"].as_str().unwrap()));
                    let res = c.send(&app, &token, Some(body)).await;
                    assert_names(&res, &format!("{field}.amount"), &what(&format!("signed amount in {field}")));
                }
                amounts_checked += 1;
            }
        }
        // Actions whose input is optional accept an empty body; the others name it.
        let op = &doc["paths"][&c.doc_path][c.method.to_lowercase()];
        if op["requestBody"]["required"] == json!(true) {
            let res = c.send_raw(&app, Some(&token), Some(Vec::new())).await;
            assert_names(&res, "body", &what("empty body"));
        }

        let mut unknown = sample.clone();
        unknown["unexpectedField"] = json!(1);
        assert_names(&c.send(&app, &token, Some(unknown)).await, "unexpectedField", &what("unknown field"));

        for (field, value) in sample.as_object().unwrap().iter() {
            let mut bad = sample.clone();
            bad[field] = wrong_type(value);
            assert_names(&c.send(&app, &token, Some(bad)).await, field, &what(&format!("wrong type of {field}")));
            let long = "x".repeat(10_000);
            match value {
                Value::String(_) => {
                    let mut bad = sample.clone();
                    bad[field] = json!(long);
                    assert_names(&c.send(&app, &token, Some(bad)).await, field, &what(&format!("over-long {field}")));
                }
                Value::Object(inner) => {
                    for (sub, sv) in inner.iter().filter(|(_, v)| v.is_string()) {
                        let _ = sv;
                        let mut bad = sample.clone();
                        bad[field][sub] = json!(long);
                        assert_names(
                            &c.send(&app, &token, Some(bad)).await,
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
            assert_names(&c.send(&app, &token, Some(bad)).await, required, &what(&format!("missing {required}")));
        }

        let mut huge = sample.clone();
        huge["padding"] = json!("x".repeat(2 * 1024 * 1024));
        let res = c.send_raw(&app, Some(&token), Some(huge.to_string().into_bytes())).await;
        res.problem(413);
        checked += 1;
    }
    assert!(checked >= 16, "every write route is checked; {checked}");
    assert!(dates_checked >= 10, "the date fields of the samples are swept; {dates_checked}");
    assert!(amounts_checked >= 5, "the money fields of the samples are swept; {amounts_checked}");
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

#[tokio::test(flavor = "multi_thread")]
async fn an_array_or_trailing_data_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let t = app.token("owner@example.com");
    let settings = format!("/api/v1/orgs/{}/billing-settings", fx.org);
    let policy =
        json!({"rentLeadDays": 3, "lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}});
    app.call("PUT", &settings, &t, Some(policy.clone())).await.expect(200);
    let before = app.get(&settings, &t).await.expect(200).body;
    assert_eq!(before["lateFeePolicy"]["graceDays"], 5, "{before}");
    let items = app.table_items().await.len();
    // `[]` used to be read as "every field defaulted": 200, and the late-fee policy gone.
    for body in ["[]", "[0]", "[3, null, 3]", " [ ] ", "\"x\"", "null", "42", "true"] {
        let res = app.raw("PUT", &settings, Some(&t), Some(body.into())).await;
        assert_names(&res, "body", &format!("PUT billing-settings {body}"));
    }
    for body in [
        format!("{policy} {policy}"),
        format!("{policy}]"),
        format!("{policy},"),
        format!("{policy}x"),
        format!("{policy}\n{{}}"),
    ] {
        let res = app.raw("PUT", &settings, Some(&t), Some(body.clone().into_bytes())).await;
        assert_names(&res, "body", &format!("PUT billing-settings {body}"));
        assert_eq!(res.body["errors"][0]["message"], "unexpected data after the JSON object");
    }
    // A payment given by position is not recorded.
    let payments = format!("/api/v1/orgs/{}/leases/{}/payments", fx.org, fx.lease);
    let positional = json!([{"amount": "10.00", "currency": "USD"}, "2030-01-10", "cash", null, "none", false]);
    let key = e2e::idempotency_key();
    let headers = [("content-type", "application/json"), ("Idempotency-Key", key.as_str())];
    let res = app.request("POST", &payments, Some(&t), &headers, Some(positional.to_string().into_bytes())).await;
    assert_names(&res, "body", "a positional payment");
    assert_eq!(app.get(&settings, &t).await.expect(200).body, before, "the settings are unchanged");
    assert_eq!(app.table_items().await.len(), items, "nothing was written");
    // Whitespace around the one object is fine.
    let res = app.raw("PUT", &settings, Some(&t), Some(format!("\n  {policy} \r\n\t").into_bytes())).await;
    res.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_not_sent_as_json_is_415() {
    let app = TestApp::spawn().await;
    let t = app.token("owner@example.com");
    let org = json!({"name": "Typed", "baseCurrency": "USD", "country": "US", "timezone": "America/New_York"});
    let body = || Some(org.to_string().into_bytes());
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("text/json"),
        Some("application/jsonp"),
        Some("application/json; charset=iso-8859-1"),
    ] {
        let headers: Vec<(&str, &str)> = ct.iter().map(|v| ("content-type", *v)).collect();
        let res = app.request("POST", "/api/v1/orgs", Some(&t), &headers, body()).await.problem(415);
        assert_eq!(res.body["type"], "urn:portfolioos:problem:unsupported-media-type", "{ct:?}");
        assert_eq!(res.error_fields(), ["Content-Type"], "{ct:?}");
    }
    let me = app.get("/api/v1/me", &t).await.expect(200).body;
    assert_eq!(me["memberships"].as_array().map(Vec::len), Some(0), "no org was created: {me}");
    for ct in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;Charset=\"UTF-8\"",
        "application/merge-patch+json",
    ] {
        app.request("POST", "/api/v1/orgs", Some(&t), &[("content-type", ct)], body()).await.expect(201);
    }
    // An optional body may be left out entirely (no content-type): the action's defaults.
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let void = format!("/api/v1/orgs/{}/charges/{}:void", fx.org, fx.charge);
    let res = app.request("POST", &void, Some(&t), &[("content-type", "text/plain")], None).await;
    res.problem(415);
    let res = app.request("POST", &void, Some(&t), &[], Some(b"{}".to_vec())).await;
    res.problem(415);
    app.request("POST", &void, Some(&t), &[], None).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn dates_are_yyyy_mm_dd_within_1900_to_2199_in_bodies_and_queries() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let t = app.token("owner@example.com");
    let org = &fx.org;
    let payments = format!("/api/v1/orgs/{org}/leases/{}/payments", fx.lease);
    let before = app.get(&payments, &t).await.expect(200).body["items"].as_array().unwrap().len();
    for bad in BAD_DATES {
        let body = json!({"amount": {"amount": "10.00", "currency": "USD"}, "receivedOn": bad, "method": "cash"});
        let res = app.post_keyed(&payments, &t, body).await;
        assert_names(&res, "receivedOn", &format!("receivedOn {bad:?}"));
        let body = json!({"unitId": fx.unit, "tenantIds": [fx.tenant], "startDate": "2031-01-01", "endDate": bad,
                          "rent": {"amount": "1000.00", "currency": "USD"}, "dueDay": 1});
        assert_names(
            &app.post(&format!("/api/v1/orgs/{org}/leases"), &t, body).await,
            "endDate",
            &format!("endDate {bad:?}"),
        );
        let body = json!({"contentType": "application/pdf", "sizeBytes": 10, "expiresOn": bad});
        let res = app.post(&format!("/api/v1/orgs/{org}/documents/{}/versions", fx.document), &t, body).await;
        assert_names(&res, "expiresOn", &format!("expiresOn {bad:?}"));
        let q = bad.replace('+', "%2B").replace(' ', "%20");
        for (path, param) in [
            (format!("/api/v1/orgs/{org}/leases/{}/ledger?asOf={q}", fx.lease), "asOf"),
            (format!("/api/v1/orgs/{org}/delinquency?asOf={q}"), "asOf"),
            (format!("/api/v1/orgs/{org}/occupancy?date={q}"), "date"),
            (format!("/api/v1/orgs/{org}/obligations?dueBefore={q}"), "dueBefore"),
        ] {
            assert_names(&app.get(&path, &t).await, param, &format!("{param}={bad:?}"));
        }
    }
    let res = app.post(&format!("/api/v1/orgs/{org}/rent-runs"), &t, json!({"throughDate": 20270131})).await;
    assert_names(&res, "throughDate", "a number for a date");
    assert_eq!(app.get(&payments, &t).await.body["items"].as_array().unwrap().len(), before);
    // The edges of the range are dates.
    for ok in ["1900-01-01", "2199-12-31"] {
        app.get(&format!("/api/v1/orgs/{org}/occupancy?date={ok}"), &t).await.expect(200);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn amounts_have_no_sign() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let t = app.token("owner@example.com");
    let org = &fx.org;
    let payments = format!("/api/v1/orgs/{org}/leases/{}/payments", fx.lease);
    let charges = format!("/api/v1/orgs/{org}/leases/{}/charges", fx.lease);
    let items = app.table_items().await.len();
    for bad in ["+1550.00", "-1550.00", "+0.01", "1e3", ".50", "1,550.00"] {
        let pay = json!({"amount": {"amount": bad, "currency": "USD"}, "receivedOn": "2030-01-05", "method": "check"});
        assert_names(&app.post_keyed(&payments, &t, pay).await, "amount.amount", &format!("payment {bad}"));
        let fee = json!({"kind": "credit", "amount": {"amount": bad, "currency": "USD"}, "dueDate": "2030-01-05"});
        assert_names(&app.post_keyed(&charges, &t, fee).await, "amount.amount", &format!("credit {bad}"));
        let settings = json!({"lateFeePolicy": {"graceDays": 5, "flat": {"amount": bad, "currency": "USD"}}});
        let res = app.call("PUT", &format!("/api/v1/orgs/{org}/billing-settings"), &t, Some(settings)).await;
        assert_names(&res, "lateFeePolicy.flat.amount", &format!("late fee {bad}"));
        let unit = json!({"label": "Signed", "marketRent": {"amount": bad, "currency": "USD"}});
        let res = app.post(&format!("/api/v1/orgs/{org}/buildings/{}/units", fx.building), &t, unit).await;
        assert_names(&res, "marketRent.amount", &format!("market rent {bad}"));
    }
    let rates = json!({"date": "2030-01-01", "rates": [{"currency": "EUR", "rate": "+1.08"}]});
    assert_names(&app.post(&format!("/api/v1/orgs/{org}/fx-rates"), &t, rates).await, "rates[0].rate", "signed rate");
    let percent = json!({"lateFeePolicy": {"graceDays": 5, "percent": "+5"}});
    let res = app.call("PUT", &format!("/api/v1/orgs/{org}/billing-settings"), &t, Some(percent)).await;
    assert_names(&res, "lateFeePolicy.percent", "signed percent");
    assert_eq!(app.table_items().await.len(), items, "nothing was written");
    // A credit is a kind of charge with a positive amount.
    let credit = json!({"kind": "credit", "amount": {"amount": "5.00", "currency": "USD"}, "dueDate": "2030-01-05"});
    let res = app.post_keyed(&charges, &t, credit).await.expect(201);
    assert_eq!(res.body["amount"]["amount"], "-5.00");
}

#[tokio::test(flavor = "multi_thread")]
async fn names_and_text_refuse_bidi_overrides_and_controls() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let t = app.token("owner@example.com");
    let org = &fx.org;
    let items = app.table_items().await.len();
    let address = json!({"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"});
    for sneaky in
        ["report\u{202e}fdp.exe", "a\u{2066}b", "a\u{200f}b", "a\u{061c}b", "a\u{202a}b", "tab\there", "bell\u{7}"]
    {
        let what = |f: &str| format!("{f} {sneaky:?}");
        let doc = json!({"subject": {"type": "unit", "id": fx.unit}, "name": sneaky, "contentType": "application/pdf", "sizeBytes": 10});
        assert_names(
            &app.post(&format!("/api/v1/orgs/{org}/documents"), &t, doc).await,
            "name",
            &what("document name"),
        );
        let b = json!({"name": sneaky, "address": address});
        assert_names(&app.post(&format!("/api/v1/orgs/{org}/buildings"), &t, b).await, "name", &what("building"));
        let mut a = address.clone();
        a["city"] = json!(sneaky);
        let b = json!({"name": "B", "address": a});
        assert_names(&app.post(&format!("/api/v1/orgs/{org}/buildings"), &t, b).await, "address.city", &what("city"));
        let u = json!({"label": sneaky});
        let res = app.post(&format!("/api/v1/orgs/{org}/buildings/{}/units", fx.building), &t, u).await;
        assert_names(&res, "label", &what("unit label"));
        let tenant = json!({"firstName": sneaky, "lastName": "Doe", "email": "x@example.com"});
        assert_names(&app.post(&format!("/api/v1/orgs/{org}/tenants"), &t, tenant).await, "firstName", &what("tenant"));
        let fee = json!({"kind": "fee", "amount": {"amount": "1.00", "currency": "USD"}, "dueDate": "2030-01-05", "memo": sneaky});
        let res = app.post_keyed(&format!("/api/v1/orgs/{org}/leases/{}/charges", fx.lease), &t, fee).await;
        assert_names(&res, "memo", &what("memo"));
        let pay = json!({"amount": {"amount": "1.00", "currency": "USD"}, "receivedOn": "2030-01-05", "method": "check", "reference": sneaky});
        let res = app.post_keyed(&format!("/api/v1/orgs/{org}/leases/{}/payments", fx.lease), &t, pay).await;
        assert_names(&res, "reference", &what("reference"));
        let res = app.patch(&format!("/api/v1/orgs/{org}"), &t, json!({"name": sneaky})).await;
        assert_names(&res, "name", &what("org name"));
    }
    let tenant = json!({"firstName": "Eve", "lastName": "Doe", "email": "moc.elpmaxe\u{202e}@eve.io"});
    assert_names(&app.post(&format!("/api/v1/orgs/{org}/tenants"), &t, tenant).await, "email", "email");
    assert_eq!(app.table_items().await.len(), items, "nothing was written");
    // Right-to-left scripts themselves are names like any other.
    let b = json!({"name": "בניין שלום", "address": address});
    app.post(&format!("/api/v1/orgs/{org}/buildings"), &t, b).await.expect(201);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_is_an_identity_provider_subject() {
    let app = TestApp::spawn().await;
    let org = app.create_org("owner@example.com", "Members").await;
    let t = app.token("owner@example.com");
    let path = format!("/api/v1/orgs/{org}/members");
    let items = app.table_items().await.len();
    for bad in ["../x", "..", "a/b", "x/../../y", "system:rent-run", "-x", " x", "x\u{202e}", &"a".repeat(129)] {
        let res = app.post(&path, &t, json!({"userId": bad, "email": "m@example.com", "role": "readonly"})).await;
        assert_names(&res, "userId", &format!("userId {bad:?}"));
    }
    assert_eq!(app.table_items().await.len(), items, "nothing was written");
    // The ids the local issuer mints (UUID-shaped, like Cognito's) and other providers' shapes.
    for (i, ok) in
        [TestApp::user_id("new@example.com"), "auth0|5f7c8ec7c33c6c004bbafe82".into(), "000123.abc.0456".into()]
            .into_iter()
            .enumerate()
    {
        let body = json!({"userId": ok, "email": format!("m{i}@example.com"), "role": "readonly"});
        app.post(&path, &t, body).await.expect(201);
    }
    // And a member added by subject can act with their token.
    app.get(&format!("/api/v1/orgs/{org}"), &app.token("new@example.com")).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn money_creating_posts_require_an_idempotency_key() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let t = app.token("owner@example.com");
    let payments = format!("/api/v1/orgs/{}/leases/{}/payments", fx.org, fx.lease);
    let charges = format!("/api/v1/orgs/{}/leases/{}/charges", fx.org, fx.lease);
    let pay = json!({"amount": {"amount": "100.00", "currency": "USD"}, "receivedOn": "2030-01-05", "method": "check"});
    let fee = json!({"kind": "fee", "amount": {"amount": "5.00", "currency": "USD"}, "dueDate": "2030-01-05"});
    let count = async |path: &str| app.get(path, &t).await.expect(200).body["items"].as_array().unwrap().len();
    let (p0, c0) = (count(&payments).await, count(&charges).await);
    let items = app.table_items().await.len();
    // Two identical payments without a key used to be two payments.
    for (path, body) in [(&payments, &pay), (&charges, &fee), (&payments, &pay)] {
        let res = app.post(path, &t, body.clone()).await;
        assert_names(&res, "Idempotency-Key", "no key");
        assert!(res.body["errors"][0]["message"].as_str().unwrap().starts_with("required"), "{}", res.text);
        for bad in ["", " spaced key", &"k".repeat(256)] {
            let (res, _) = app.post_with(path, &t, &[("Idempotency-Key", bad)], body.clone()).await;
            assert_names(&res, "Idempotency-Key", &format!("key {bad:?}"));
        }
    }
    assert_eq!((count(&payments).await, count(&charges).await), (p0, c0), "nothing was recorded");
    assert_eq!(app.table_items().await.len(), items, "nothing was written");
    // With a key: recorded once, however often it is sent.
    let (first, _) = app.post_with(&payments, &t, &[("Idempotency-Key", "check-1001")], pay.clone()).await;
    let (again, headers) = app.post_with(&payments, &t, &[("Idempotency-Key", "check-1001")], pay.clone()).await;
    assert_eq!((first.status, again.status, first.id()), (201, 201, again.id()));
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(count(&payments).await, p0 + 1);
}

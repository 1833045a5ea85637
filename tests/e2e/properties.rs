//! Buildings and units: bulk creation (limits, duplicates, all-or-nothing), archive vs delete,
//! label uniqueness, paging cursors.

use aws_sdk_dynamodb::types::AttributeValue;
use e2e::TestApp;
use serde_json::json;

async fn setup(app: &TestApp) -> (String, String, String) {
    let org = app.create_org("o@example.com", "Org").await;
    let b = app.create_building(&org, "o@example.com", "B").await;
    (org, b, app.token("o@example.com"))
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_creates_500_units_in_chunks_and_refuses_501() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    let bulk = format!("/api/v1/orgs/{org}/buildings/{b}/units:bulk");
    let labels: Vec<String> = (0..501).map(|i| format!("U{i:03}")).collect();
    app.post(&bulk, &t, json!({"labels": labels})).await.problem(400);
    app.post(&bulk, &t, json!({"pattern": "{1..501}"})).await.problem(400);
    let res = app.post(&bulk, &t, json!({"labels": labels[..500]})).await.expect(201);
    assert_eq!(res.body["items"].as_array().unwrap().len(), 500);
    let got = app.get(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t).await.expect(200);
    assert_eq!(got.body["unitCount"], 500);
    let page = app.get(&format!("/api/v1/orgs/{org}/buildings/{b}/units?limit=200"), &t).await.expect(200);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 200);
    assert!(page.body["nextCursor"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_are_refused_naming_them_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    let bulk = format!("/api/v1/orgs/{org}/buildings/{b}/units:bulk");
    app.post(&bulk, &t, json!({"labels": ["1A", "1B"]})).await.expect(201);
    let before = app.table_items().await.len();
    let res = app.post(&bulk, &t, json!({"labels": ["2A", "1a", "2B", "1B"]})).await.problem(409);
    let detail = res.body["detail"].as_str().unwrap();
    assert!(detail.contains("1a") && detail.contains("1B") && !detail.contains("2A"), "{detail}");
    let res = app.post(&bulk, &t, json!({"labels": ["3A", "3a", "3B"]})).await.problem(409);
    assert!(res.body["detail"].as_str().unwrap().contains("3a"));
    app.post(&format!("/api/v1/orgs/{org}/buildings/{b}/units"), &t, json!({"label": " 1A "})).await.problem(409);
    assert_eq!(app.table_items().await.len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_create_that_loses_a_race_in_a_later_chunk_is_undone() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    // A label reserved behind the pre-check's back (as a concurrent request would), in chunk 2.
    app.dynamodb()
        .put_item()
        .table_name(app.stack.table_name())
        .item("PK", AttributeValue::S(format!("ORG#{org}")))
        .item("SK", AttributeValue::S(format!("LABEL#{b}#u040")))
        .item("entity", AttributeValue::S("UnitLabel".into()))
        .send()
        .await
        .unwrap();
    let labels: Vec<String> = (0..60).map(|i| format!("U{i:03}")).collect();
    let res = app
        .post(&format!("/api/v1/orgs/{org}/buildings/{b}/units:bulk"), &t, json!({"labels": labels}))
        .await
        .problem(409);
    assert!(res.body["detail"].as_str().unwrap().contains("U040"), "{}", res.text);
    let units = app.get(&format!("/api/v1/orgs/{org}/buildings/{b}/units"), &t).await.expect(200);
    assert_eq!(units.body["items"].as_array().unwrap().len(), 0, "chunk 1 was rolled back");
    assert_eq!(app.get(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t).await.body["unitCount"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn archived_buildings_take_no_units_and_buildings_with_lease_history_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    let units = format!("/api/v1/orgs/{org}/buildings/{b}/units");
    let u = app.post(&units, &t, json!({"label": "1"})).await.expect(201).id();
    app.patch(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t, json!({"archived": true})).await.expect(200);
    app.post(&units, &t, json!({"label": "2"})).await.problem(409);
    app.post(&format!("{units}:bulk"), &t, json!({"labels": ["3"]})).await.problem(409);
    app.patch(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t, json!({"archived": false})).await.expect(200);
    app.post(&units, &t, json!({"label": "2"})).await.expect(201);

    // Lease history arrives with leasing; here it is set directly on the unit.
    app.dynamodb()
        .update_item()
        .table_name(app.stack.table_name())
        .key("PK", AttributeValue::S(format!("ORG#{org}")))
        .key("SK", AttributeValue::S(format!("UNIT#{u}")))
        .update_expression("SET leaseCount = :one")
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .send()
        .await
        .unwrap();
    app.delete(&format!("/api/v1/orgs/{org}/units/{u}"), &t).await.problem(409);
    let res = app.delete(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t).await.problem(409);
    assert!(res.body["detail"].as_str().unwrap().contains("archive"));
    app.get(&format!("/api/v1/orgs/{org}/units/{u}"), &t).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_building_without_lease_history_deletes_its_units() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    let res = app
        .post(&format!("/api/v1/orgs/{org}/buildings/{b}/units:bulk"), &t, json!({"pattern": "{1..40}"}))
        .await
        .expect(201);
    let u = res.body["items"][0]["id"].as_str().unwrap().to_owned();
    app.delete(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t).await.expect(204);
    app.get(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t).await.problem(404);
    app.get(&format!("/api/v1/orgs/{org}/units/{u}"), &t).await.problem(404);
    app.get(&format!("/api/v1/orgs/{org}/buildings/{b}/units"), &t).await.problem(404);
    let leftovers = app
        .table_items()
        .await
        .into_iter()
        .filter(|i| matches!(i["entity"].as_s().map(String::as_str), Ok("Unit" | "UnitLabel" | "Building")))
        .count();
    assert_eq!(leftovers, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn units_are_updated_relabelled_and_deleted() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    let units = format!("/api/v1/orgs/{org}/buildings/{b}/units");
    let u1 = app
        .post(
            &units,
            &t,
            json!({"label": "1", "marketRent": {"amount": "1250", "currency": "USD"}, "bathrooms": "1.5"}),
        )
        .await
        .expect(201);
    assert_eq!(u1.body["marketRent"], json!({"amount": "1250.00", "currency": "USD"}));
    assert_eq!(u1.body["bathrooms"], "1.5");
    let u1 = u1.id();
    app.post(&units, &t, json!({"label": "2"})).await.expect(201);
    let unit = format!("/api/v1/orgs/{org}/units/{u1}");
    app.patch(&unit, &t, json!({"label": "2"})).await.problem(409);
    let res = app.patch(&unit, &t, json!({"label": "1B", "bedrooms": 2})).await.expect(200);
    assert_eq!(res.body["label"], "1B");
    assert_eq!(res.body["marketRent"]["amount"], "1250.00", "unchanged fields stay");
    app.post(&units, &t, json!({"label": "1"})).await.expect(201);
    app.post(&units, &t, json!({"label": "1b"})).await.problem(409);
    app.delete(&unit, &t).await.expect(204);
    app.post(&units, &t, json!({"label": "1B"})).await.expect(201);
    assert_eq!(app.get(&format!("/api/v1/orgs/{org}/buildings/{b}"), &t).await.body["unitCount"], 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn cursors_are_opaque_signed_and_bound_to_their_list() {
    let app = TestApp::spawn().await;
    let (org, b, t) = setup(&app).await;
    let b2 = app.create_building(&org, "o@example.com", "B2").await;
    app.post(&format!("/api/v1/orgs/{org}/buildings/{b}/units:bulk"), &t, json!({"pattern": "{1..5}"}))
        .await
        .expect(201);
    let page = app.get(&format!("/api/v1/orgs/{org}/buildings/{b}/units?limit=2"), &t).await.expect(200);
    let cursor = page.body["nextCursor"].as_str().unwrap().to_owned();
    app.get(&format!("/api/v1/orgs/{org}/buildings/{b}/units?limit=2&cursor={cursor}"), &t).await.expect(200);
    let res = app.get(&format!("/api/v1/orgs/{org}/buildings/{b2}/units?cursor={cursor}"), &t).await.problem(400);
    assert_eq!(res.error_fields(), ["cursor"]);
    let tampered = format!("x{}", &cursor[1..]);
    app.get(&format!("/api/v1/orgs/{org}/buildings/{b}/units?cursor={tampered}"), &t).await.problem(400);
    let other = app.create_org("p@example.com", "Other").await;
    app.get(&format!("/api/v1/orgs/{other}/buildings?cursor={cursor}"), &app.token("p@example.com")).await.problem(400);
    let buildings = app.get(&format!("/api/v1/orgs/{org}/buildings?limit=1"), &t).await.expect(200);
    let c = buildings.body["nextCursor"].as_str().unwrap();
    let rest = app.get(&format!("/api/v1/orgs/{org}/buildings?limit=1&cursor={c}"), &t).await.expect(200);
    assert_ne!(rest.body["items"][0]["id"], buildings.body["items"][0]["id"]);
}

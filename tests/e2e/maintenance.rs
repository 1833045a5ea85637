//! Maintenance requests over HTTP: request → assign → start → complete with a cost, booked as
//! an expense on the unit (and in the books), the dashboard's open count back to 0; the
//! lifecycle's refusals; an emergency texting the org's alert phone; photos as documents.

use e2e::catalog::account_of;
use e2e::{eventually, TestApp};
use serde_json::{json, Value};

fn emulator() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into())
}

async fn sms_to(phone: &str) -> Vec<Value> {
    let all: Vec<Value> =
        reqwest::get(format!("{}/_emulator/sns/sms", emulator())).await.unwrap().json().await.unwrap();
    all.into_iter().filter(|m| m["phoneNumber"] == phone).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_is_assigned_completed_with_its_cost_booked_on_the_unit_and_the_open_count_returns_to_zero() {
    let app = TestApp::spawn().await;
    let email = "super@example.com";
    let org = app.create_org(email, "Maintained").await;
    let t = app.token(email);
    let path = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
    let building = app.create_building(&org, email, "Elm House").await;
    let unit =
        app.post(&path(&format!("/buildings/{building}/units")), &t, json!({"label": "2B"})).await.expect(201).id();
    let vendor =
        app.post(&path("/vendors"), &t, json!({"name": "Fixit Plumbing", "kind": "company"})).await.expect(201).id();
    let open = async || app.get(&path("/dashboard"), &t).await.expect(200).body["openMaintenance"].as_u64();

    // Bad input changes nothing.
    let bad = app.post(&path("/maintenance-requests"), &t, json!({"unitId": "nope", "title": " "})).await.problem(400);
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["unitId", "title"]);
    let ghost = portfolio::ids::UnitId::new().to_string();
    app.post(&path("/maintenance-requests"), &t, json!({"unitId": ghost, "title": "Tap"})).await.problem(404);
    assert_eq!(open().await, Some(0));

    let r = app
        .post(
            &path("/maintenance-requests"),
            &t,
            json!({"unitId": unit, "title": "Leaking kitchen tap", "reportedBy": "Ida"}),
        )
        .await
        .expect(201)
        .body;
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (r["status"].as_str(), r["priority"].as_str(), r["buildingId"].as_str()),
        (Some("open"), Some("normal"), Some(building.as_str()))
    );
    assert_eq!(open().await, Some(1));
    let act = |verb: &str| path(&format!("/maintenance-requests/{id}:{verb}"));
    app.post(&act("start"), &t, json!({})).await.problem(409);
    app.post(&act("complete"), &t, json!({})).await.problem(409);
    app.post(&act("assign"), &t, json!({"vendorId": "ven_nope"})).await.problem(400);

    let assigned =
        app.post(&act("assign"), &t, json!({"vendorId": vendor, "scheduledFor": "2026-03-03"})).await.expect(200).body;
    assert_eq!(
        (assigned["status"].as_str(), assigned["scheduledFor"].as_str()),
        (Some("assigned"), Some("2026-03-03"))
    );
    app.post(&act("start"), &t, json!({})).await.expect(200);
    let refused = app
        .post(
            &act("complete"),
            &t,
            json!({"cost": {"amount": "180.00", "currency": "USD"}, "paidFrom": account_of(&org, "4000")}),
        )
        .await
        .problem(400);
    assert_eq!(refused.body["errors"][0]["field"], "paidFrom", "{}", refused.text);
    assert_eq!(
        app.get(&path(&format!("/maintenance-requests/{id}")), &t).await.expect(200).body["status"],
        "in_progress"
    );

    let done = app
        .post(
            &act("complete"),
            &t,
            json!({"cost": {"amount": "180.00", "currency": "USD"}, "completedOn": "2026-03-03", "paidFrom": account_of(&org, "1000")}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(done["status"], "completed");
    let expense_id = done["expenseId"].as_str().expect("the cost's expense").to_owned();
    let expense = app.get(&path(&format!("/expenses/{expense_id}")), &t).await.expect(200).body;
    assert_eq!(expense["amount"]["amount"], "180.00");
    assert_eq!(expense["accountId"].as_str(), Some(account_of(&org, "5140").as_str()), "Repairs");
    assert_eq!(
        (expense["scope"]["type"].as_str(), expense["scope"]["id"].as_str()),
        (Some("unit"), Some(unit.as_str()))
    );
    assert_eq!(
        (expense["vendorId"].as_str(), expense["reference"].as_str()),
        (Some(vendor.as_str()), Some(id.as_str()))
    );
    assert_eq!(open().await, Some(0), "the dashboard's open count is back to 0");
    let entry = e2e::books::wait_posted(&app, &org, &t, &expense_id).await;
    assert_eq!(entry["date"], "2026-03-03", "{entry}");
    app.post(&act("cancel"), &t, json!({})).await.problem(409);

    let events = app.get(&path("/events?limit=200"), &t).await.expect(200).body;
    let types: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str().filter(|t| t.starts_with("maintenance.")))
        .collect();
    assert_eq!(types.len(), 4, "{types:?}");
    for t in ["maintenance.requested", "maintenance.assigned", "maintenance.started", "maintenance.completed"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_emergency_texts_the_alert_phone_at_once_and_a_cancelled_one_leaves_the_count() {
    let app = TestApp::spawn().await;
    let email = "alarm@example.com";
    let org = app.create_org(email, "Alarmed").await;
    let t = app.token(email);
    let path = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
    app.patch(&path(""), &t, json!({"alertPhone": "not a phone"})).await.problem(400);
    let patched = app.patch(&path(""), &t, json!({"alertPhone": "+1 (555) 010-0931"})).await.expect(200).body;
    assert_eq!(patched["alertPhone"], "+1 (555) 010-0931");
    let building = app.create_building(&org, email, "Birch Row").await;
    let unit =
        app.post(&path(&format!("/buildings/{building}/units")), &t, json!({"label": "1A"})).await.expect(201).id();
    let r = app
        .post(
            &path("/maintenance-requests"),
            &t,
            json!({"unitId": unit, "title": "Burst pipe", "priority": "emergency"}),
        )
        .await
        .expect(201)
        .body;
    let sms = eventually("the emergency SMS", 15, async || sms_to("+15550100931").await.into_iter().next()).await;
    assert_eq!(sms["message"], "EMERGENCY maintenance at Birch Row unit 1A: Burst pipe");
    // A photo of it, as a document about the request.
    let photo = json!({"name": "pipe.jpg", "contentType": "image/jpeg", "sizeBytes": 1024,
                       "subject": {"type": "maintenance", "id": r["id"]}});
    app.post(&path("/documents"), &t, photo).await.expect(201);
    let id = r["id"].as_str().unwrap();
    let cancelled = app
        .post(&path(&format!("/maintenance-requests/{id}:cancel")), &t, json!({"reason": "a neighbour's pipe"}))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["cancelReason"].as_str()),
        (Some("cancelled"), Some("a neighbour's pipe"))
    );
    let dashboard = app.get(&path("/dashboard"), &t).await.expect(200).body;
    assert_eq!(dashboard["openMaintenance"], 0);
    app.patch(&path(&format!("/maintenance-requests/{id}")), &t, json!({"title": "x"})).await.problem(409);
    // Only one SMS however the event is retried.
    assert_eq!(sms_to("+15550100931").await.len(), 1);
}

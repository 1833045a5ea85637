//! The foundation walked like a client: org → manager → building and 24 units → readonly can
//! read but not write → audit shows the member change → the outbox holds the events.

use aws_sdk_dynamodb::types::AttributeValue;
use e2e::TestApp;
use serde_json::json;
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread")]
async fn a_landlord_sets_up_an_org_a_team_and_a_building() {
    let app = TestApp::spawn().await;
    let owner = app.token("ann@example.com");
    let org = app.create_org("ann@example.com", "Ann's Apartments").await;

    let me = app.get("/api/v1/me", &owner).await.expect(200);
    assert_eq!(me.body["userId"], TestApp::user_id("ann@example.com"));
    assert_eq!(me.body["memberships"][0]["orgId"], org.as_str());
    assert_eq!(me.body["memberships"][0]["role"], "owner");

    app.add_member(&org, "ann@example.com", "max@example.com", "manager").await;
    app.add_member(&org, "ann@example.com", "rita@example.com", "readonly").await;
    let manager = app.token("max@example.com");
    let readonly = app.token("rita@example.com");

    let building = app.create_building(&org, "max@example.com", "Maple Court").await;
    let bulk = app
        .post(
            &format!("/api/v1/orgs/{org}/buildings/{building}/units:bulk"),
            &manager,
            json!({"pattern": "{1..2}{01..12}"}),
        )
        .await
        .expect(201);
    assert_eq!(bulk.body["items"].as_array().unwrap().len(), 24);

    let mut labels = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page =
            app.get(&format!("/api/v1/orgs/{org}/buildings/{building}/units?limit=10{q}"), &readonly).await.expect(200);
        labels.extend(page.body["items"].as_array().unwrap().iter().map(|u| u["label"].as_str().unwrap().to_owned()));
        match page.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(labels.len(), 24);
    assert_eq!(labels.first().unwrap(), "101");
    assert_eq!(labels.last().unwrap(), "212");
    let b = app.get(&format!("/api/v1/orgs/{org}/buildings/{building}"), &readonly).await.expect(200);
    assert_eq!(b.body["unitCount"], 24);

    app.post(&format!("/api/v1/orgs/{org}/buildings/{building}/units"), &readonly, json!({"label": "999"}))
        .await
        .problem(403);
    app.post(
        &format!("/api/v1/orgs/{org}/buildings"),
        &readonly,
        json!({"name": "x", "address": {"line1": "a", "city": "b", "postalCode": "c", "country": "US"}}),
    )
    .await
    .problem(403);
    app.get(&format!("/api/v1/orgs/{org}/audit"), &readonly).await.problem(403);

    app.patch(
        &format!("/api/v1/orgs/{org}/members/{}", TestApp::user_id("rita@example.com")),
        &owner,
        json!({"role": "accountant"}),
    )
    .await
    .expect(200);
    let audit = app.get(&format!("/api/v1/orgs/{org}/audit"), &owner).await.expect(200);
    let entries = audit.body["items"].as_array().unwrap();
    let change = &entries[0];
    assert_eq!(change["action"], "member.role_changed", "newest first: {}", audit.text);
    assert_eq!(change["actor"], TestApp::user_id("ann@example.com"));
    assert_eq!(change["before"]["role"], "readonly");
    assert_eq!(change["after"]["role"], "accountant");
    assert_eq!(entries.iter().filter(|e| e["action"] == "member.added").count(), 3);

    // The outbox: one Event item per write, in the org's event partition.
    let out = app
        .dynamodb()
        .query()
        .table_name(app.stack.table_name())
        .key_condition_expression("PK = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(format!("ORG#{org}#EVT")))
        .send()
        .await
        .unwrap();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for item in out.items() {
        assert_eq!(item["entity"].as_s().unwrap(), "Event");
        assert!(
            item.contains_key("expiresAt")
                && item.contains_key("occurredAt")
                && item.contains_key("actor")
                && item.contains_key("subject")
        );
        assert_eq!(item["orgId"].as_s().unwrap(), &org);
        *counts.entry(item["type"].as_s().unwrap().clone()).or_default() += 1;
    }
    assert_eq!(counts["org.created"], 1);
    assert_eq!(counts["member.added"], 3);
    assert_eq!(counts["member.role_changed"], 1);
    assert_eq!(counts["building.created"], 1);
    assert_eq!(counts["unit.created"], 24);
}

/// Leasing walked like a client: tenant → lease with a roommate → activate → occupied → the
/// signed lease PDF uploaded and available → end the lease → vacant the day after move-out.
#[tokio::test(flavor = "multi_thread")]
async fn a_landlord_leases_a_unit_files_the_signed_lease_and_ends_it() {
    let app = TestApp::spawn().await;
    let t = app.token("ann@example.com");
    let org = app.create_org("ann@example.com", "Ann's Apartments").await;
    let b = app.create_building(&org, "ann@example.com", "Maple Court").await;
    let units = app
        .post(&format!("/api/v1/orgs/{org}/buildings/{b}/units:bulk"), &t, json!({"labels": ["1A", "1B"]}))
        .await
        .expect(201);
    let unit = units.body["items"][0]["id"].as_str().unwrap().to_owned();
    let tenant = |first: &str, email: &str| json!({"firstName": first, "lastName": "Doe", "email": email, "phone": "+1 555 010 0101"});
    let jane =
        app.post(&format!("/api/v1/orgs/{org}/tenants"), &t, tenant("Jane", "jane@example.com")).await.expect(201).id();
    let john =
        app.post(&format!("/api/v1/orgs/{org}/tenants"), &t, tenant("John", "john@example.com")).await.expect(201).id();
    let lease = app
        .post(
            &format!("/api/v1/orgs/{org}/leases"),
            &t,
            json!({"unitId": unit, "tenantIds": [jane, john], "startDate": "2027-01-17", "endDate": "2028-01-16",
                   "rent": {"amount": "1550.00", "currency": "USD"}, "dueDay": 1, "deposit": {"amount": "1550.00", "currency": "USD"}}),
        )
        .await
        .expect(201)
        .id();
    app.post(&format!("/api/v1/orgs/{org}/leases/{lease}:activate"), &t, json!({})).await.expect(200);
    let occ = |date: &'static str| {
        let (app, org, t) = (&app, &org, &t);
        async move { app.get(&format!("/api/v1/orgs/{org}/occupancy?date={date}"), t).await.expect(200).body }
    };
    let during = occ("2027-03-01").await;
    assert_eq!((during["portfolio"]["occupied"].as_u64(), during["portfolio"]["vacant"].as_u64()), (Some(1), Some(1)));
    assert_eq!(during["portfolio"]["rate"], "0.5000");
    assert_eq!(occ("2027-01-16").await["portfolio"]["occupied"], 0, "before move-in");

    const PDF: &[u8] = b"%PDF-1.4\n% signed lease\n1 0 obj << >> endobj\n%%EOF\n";
    let doc = app
        .post(
            &format!("/api/v1/orgs/{org}/documents"),
            &t,
            json!({"subject": {"type": "lease", "id": lease}, "name": "Lease - signed.pdf", "contentType": "application/pdf", "sizeBytes": PDF.len()}),
        )
        .await
        .expect(201)
        .body;
    let mut put = app.http.put(doc["upload"]["url"].as_str().unwrap()).body(PDF.to_vec());
    for (k, v) in doc["upload"]["headers"].as_object().unwrap() {
        put = put.header(k.as_str(), v.as_str().unwrap());
    }
    assert_eq!(put.send().await.unwrap().status(), 200);
    let doc_path = format!("/api/v1/orgs/{org}/documents/{}", doc["id"].as_str().unwrap());
    let mut status = String::new();
    for _ in 0..200 {
        status = app.get(&doc_path, &t).await.expect(200).body["versions"][0]["status"].as_str().unwrap().to_owned();
        if status != "pending" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status, "available");

    app.post(&format!("/api/v1/orgs/{org}/leases/{lease}:end"), &t, json!({"moveOutDate": "2027-08-31"}))
        .await
        .expect(200);
    assert_eq!(occ("2027-08-31").await["portfolio"]["occupied"], 1, "occupied through the move-out day");
    assert_eq!(occ("2027-09-01").await["portfolio"]["occupied"], 0, "vacant the day after move-out");
    assert_eq!(occ("2027-03-01").await["portfolio"]["occupied"], 1, "history is kept");
    let history = app.get(&format!("/api/v1/orgs/{org}/units/{unit}/leases"), &t).await.expect(200);
    assert_eq!(history.body["items"][0]["status"], "ended");
    assert_eq!(history.body["items"][0]["tenantIds"], json!([jane, john]));
}

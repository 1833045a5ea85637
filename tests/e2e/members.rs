//! Members: the last owner stays, concurrent demotions cannot both win, removal takes effect.

use e2e::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_last_owner_can_be_neither_demoted_nor_removed() {
    let app = TestApp::spawn().await;
    let org = app.create_org("solo@example.com", "Solo").await;
    let t = app.token("solo@example.com");
    let me = TestApp::user_id("solo@example.com");
    let members = format!("/api/v1/orgs/{org}/members");
    let before = app.table_items().await.len();
    let res = app.patch(&format!("{members}/{me}"), &t, json!({"role": "manager"})).await.problem(409);
    assert!(res.body["detail"].as_str().unwrap().contains("owner"));
    app.delete(&format!("{members}/{me}"), &t).await.problem(409);
    assert_eq!(app.table_items().await.len(), before, "a refused change wrote nothing");

    app.add_member(&org, "solo@example.com", "second@example.com", "owner").await;
    app.patch(&format!("{members}/{me}"), &t, json!({"role": "manager"})).await.expect(200);
    let second = app.token("second@example.com");
    let second_id = TestApp::user_id("second@example.com");
    app.delete(&format!("{members}/{second_id}"), &second).await.problem(409);
    let list = app.get(&members, &second).await.expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let app = TestApp::spawn().await;
    let org = app.create_org("a@example.com", "Pair").await;
    app.add_member(&org, "a@example.com", "b@example.com", "owner").await;
    let (a, b) = (app.token("a@example.com"), app.token("b@example.com"));
    let path = |email: &str| format!("/api/v1/orgs/{org}/members/{}", TestApp::user_id(email));
    let (pa, pb) = (path("b@example.com"), path("a@example.com"));
    let (ra, rb) =
        tokio::join!(app.patch(&pa, &a, json!({"role": "readonly"})), app.patch(&pb, &b, json!({"role": "readonly"})));
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    // The loser is refused: by the owner count (409), or, when the winner committed first, by its
    // own membership guard (403: it is no longer an owner).
    assert!(statuses == [200, 409] || statuses == [200, 403], "{} / {}", ra.text, rb.text);
    let list = app.get(&format!("/api/v1/orgs/{org}/members"), &a).await;
    let owners = list.body["items"].as_array().map(|m| m.iter().filter(|m| m["role"] == "owner").count());
    // Whoever lost ownership can still read; exactly one owner remains.
    assert_eq!(owners, Some(1), "{}", list.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn members_are_unique_and_removal_revokes_access() {
    let app = TestApp::spawn().await;
    let org = app.create_org("o@example.com", "Org").await;
    let t = app.token("o@example.com");
    app.add_member(&org, "o@example.com", "m@example.com", "manager").await;
    let dup = json!({"userId": TestApp::user_id("m@example.com"), "email": "m@example.com", "role": "readonly"});
    app.post(&format!("/api/v1/orgs/{org}/members"), &t, dup).await.problem(409);
    let m = app.token("m@example.com");
    app.get(&format!("/api/v1/orgs/{org}"), &m).await.expect(200);
    app.delete(&format!("/api/v1/orgs/{org}/members/{}", TestApp::user_id("m@example.com")), &t).await.expect(204);
    app.get(&format!("/api/v1/orgs/{org}"), &m).await.problem(404);
    app.get(&format!("/api/v1/orgs/{org}/buildings"), &m).await.problem(404);
    let audit = app.get(&format!("/api/v1/orgs/{org}/audit"), &t).await.expect(200);
    let removed = &audit.body["items"][0];
    assert_eq!(removed["action"], "member.removed");
    assert_eq!(removed["before"]["role"], "manager");
    assert!(removed["after"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn orgs_can_be_read_and_updated_by_their_owner() {
    let app = TestApp::spawn().await;
    let org = app.create_org("o@example.com", "Org").await;
    let t = app.token("o@example.com");
    let res = app
        .patch(&format!("/api/v1/orgs/{org}"), &t, json!({"name": "Renamed", "timezone": "Europe/Paris"}))
        .await
        .expect(200);
    assert_eq!(res.body["name"], "Renamed");
    let got = app.get(&format!("/api/v1/orgs/{org}"), &t).await.expect(200);
    assert_eq!(got.body["timezone"], "Europe/Paris");
    assert_eq!(got.body["baseCurrency"], "USD");
    assert!(got.body.get("ownerCount").is_none(), "internal counters stay internal");
}

/// Writes carry a check on the caller's membership in their own transaction, so a removal or a
/// demotion binds the very next write, even where a warm function still caches the old role.
#[tokio::test(flavor = "multi_thread")]
async fn removed_or_demoted_members_cannot_write_even_through_warm_caches() {
    // A cache that outlives the test: only the write's own membership check can refuse.
    let app = TestApp::spawn_with(&[("MEMBERSHIP_CACHE_TTL_SECS", "600")]).await;
    let org = app.create_org("o@example.com", "Org").await;
    let owner = app.token("o@example.com");
    app.add_member(&org, "o@example.com", "gone@example.com", "manager").await;
    app.add_member(&org, "o@example.com", "down@example.com", "manager").await;
    let (gone, down) = (app.token("gone@example.com"), app.token("down@example.com"));
    let building = json!({"name": "B", "address": {"line1": "1 St", "city": "X", "postalCode": "1", "country": "US"}});
    let tenant = |n: u32| json!({"firstName": "T", "lastName": "N", "email": format!("t{n}@example.com")});
    // Warm every function's cache with a permitted write.
    for t in [&gone, &down] {
        app.post(&format!("/api/v1/orgs/{org}/buildings"), t, building.clone()).await.expect(201);
    }
    app.post(&format!("/api/v1/orgs/{org}/tenants"), &gone, tenant(1)).await.expect(201);
    app.post(&format!("/api/v1/orgs/{org}/tenants"), &down, tenant(2)).await.expect(201);

    let member = |email: &str| format!("/api/v1/orgs/{org}/members/{}", TestApp::user_id(email));
    app.delete(&member("gone@example.com"), &owner).await.expect(204);
    app.patch(&member("down@example.com"), &owner, json!({"role": "readonly"})).await.expect(200);
    let before = app.table_items().await.len();
    for t in [&gone, &down] {
        app.post(&format!("/api/v1/orgs/{org}/buildings"), t, building.clone()).await.problem(403);
    }
    app.post(&format!("/api/v1/orgs/{org}/tenants"), &gone, tenant(3)).await.problem(403);
    app.post(&format!("/api/v1/orgs/{org}/tenants"), &down, tenant(4)).await.problem(403);
    assert_eq!(app.table_items().await.len(), before, "no refused write left anything behind");
    // The owner, whose membership holds, still writes.
    app.post(&format!("/api/v1/orgs/{org}/buildings"), &owner, building).await.expect(201);
}

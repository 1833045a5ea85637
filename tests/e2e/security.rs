//! Tenant isolation, the permission matrix and the JWT authorizer, swept over every route.

use e2e::catalog::{cases, required_action, Fixture};
use e2e::TestApp;
use portfolio::platform::scope::{permits, Role};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn every_org_route_answers_404_to_a_member_of_another_org() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner-a@example.com").await;
    app.create_org("mallory@example.com", "Mallory Holdings").await;
    let mallory = app.token("mallory@example.com");
    let before = app.table_items().await.len();
    let cases = cases(&app, &fx);
    let org_cases: Vec<_> = cases.iter().filter(|c| c.org_scoped).collect();
    assert!(org_cases.len() >= 34, "the sweep must cover every org route, found {}", org_cases.len());
    for c in org_cases {
        let res = c.send(&app, &mallory, c.body.clone()).await;
        let res = res.problem(404);
        for secret in [&fx.building, &fx.unit, "Seeded"] {
            assert!(!res.text.contains(secret), "{} leaked {secret}: {}", c.route_key, res.text);
        }
    }
    assert_eq!(app.table_items().await.len(), before, "a foreign request wrote something");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_org_that_does_not_exist_answers_404() {
    let app = TestApp::spawn().await;
    let t = app.token("nobody@example.com");
    for path in [
        "/api/v1/orgs/org_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "/api/v1/orgs/not-an-id/buildings",
        "/api/v1/orgs/org_01ARZ3NDEKTSV4RRFFQ69G5FAV/members",
    ] {
        app.get(path, &t).await.problem(404);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_and_role_gets_403_exactly_where_the_matrix_says() {
    let app = TestApp::spawn().await;
    let owner = "owner@example.com";
    let fx = Fixture::seed(&app, owner).await;
    let mut callers = vec![(Role::Owner, owner.to_owned())];
    for role in [Role::Manager, Role::Accountant, Role::Readonly] {
        let email = format!("{}@example.com", role.as_str());
        app.add_member(&fx.org, owner, &email, role.as_str()).await;
        callers.push((role, email));
    }
    // Least privileged first, so a permitted delete never hides a later 403.
    callers.reverse();
    let mut forbidden_seen = 0;
    for c in cases(&app, &fx).iter().filter(|c| c.org_scoped) {
        let action = required_action(&c.route_key);
        for (role, email) in &callers {
            let res = c.send(&app, &app.token(email), c.body.clone()).await;
            if permits(*role, action) {
                assert!(
                    res.status != 403 && res.status != 401 && res.status < 500,
                    "{role:?} {} → {} {}",
                    c.route_key,
                    res.status,
                    res.text
                );
            } else {
                res.problem(403);
                forbidden_seen += 1;
            }
        }
    }
    assert!(forbidden_seen > 20, "the matrix forbids something for most routes; saw {forbidden_seen}");
    // Every route was driven: each event it wrote is a catalog type and fits its schema.
    let seen = e2e::schema::assert_events_fit_the_catalog(&app, &fx.org, &app.token(owner)).await;
    assert!(seen.len() >= 20, "the sweep writes most event types; saw {seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_that_the_authorizer_refuses_get_401_on_every_route() {
    let app = TestApp::spawn().await;
    let fx = Fixture::seed(&app, "owner@example.com").await;
    let now = chrono::Utc::now().timestamp();
    let sub = TestApp::user_id("owner@example.com");
    let iss = app.issuer.issuer.clone();
    let aud = app.issuer.audience.clone();
    let stranger = devstack::issuer::Issuer::generate(&iss, &aud);
    let bad_tokens = [
        ("expired", app.issuer.mint(&json!({"sub": sub, "iss": iss, "aud": aud, "exp": now - 10}))),
        ("other key", stranger.token_for("owner@example.com", 600)),
        ("wrong audience", app.issuer.mint(&json!({"sub": sub, "iss": iss, "aud": "another-app", "exp": now + 600}))),
        (
            "wrong issuer",
            app.issuer.mint(&json!({"sub": sub, "iss": "https://evil.example", "aud": aud, "exp": now + 600})),
        ),
        ("garbage", "not.a.jwt".to_owned()),
    ];
    let before = app.table_items().await.len();
    for c in cases(&app, &fx).iter().filter(|c| c.auth) {
        let body = c.body.as_ref().map(|b| b.to_string().into_bytes());
        assert_eq!(c.send_raw(&app, None, body.clone()).await.status, 401, "no token: {}", c.route_key);
        for (why, t) in &bad_tokens {
            assert_eq!(c.send_raw(&app, Some(t), body.clone()).await.status, 401, "{why}: {}", c.route_key);
        }
    }
    assert_eq!(app.table_items().await.len(), before);
    // The public routes need no token.
    app.raw("GET", "/api/v1/health", None, None).await.expect(200);
    app.raw("GET", "/api/v1/openapi.json", None, None).await.expect(200);
    app.raw("GET", "/api/v1/event-types", None, None).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_allows_the_spa_origin_and_nothing_else() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/orgs", app.stack.base_url);
    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .send()
    };
    // The Vite dev server (the template's local origin) and any other local dev server; the
    // deployed origin is the CloudFront distribution's, which devstack has none of.
    for allowed in ["http://127.0.0.1:5173", "http://localhost:5173"] {
        let res = preflight(allowed).await.unwrap();
        assert_eq!(res.status(), 204);
        assert_eq!(res.headers()["access-control-allow-origin"], allowed);
        let headers = res.headers()["access-control-allow-headers"].to_str().unwrap();
        assert!(headers.contains("authorization") && headers.contains("idempotency-key"), "{headers}");
        assert!(res.headers()["access-control-allow-methods"].to_str().unwrap().contains("PATCH"));
    }
    for refused in ["https://evil.example", "https://", "https://app.portfolioos.example"] {
        let res = preflight(refused).await.unwrap();
        assert!(res.headers().get("access-control-allow-origin").is_none(), "{refused}");
    }
    for origin in ["http://localhost:5173", "http://127.0.0.1:5173"] {
        let res = app
            .http
            .get(format!("{}/api/v1/health", app.stack.base_url))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["access-control-allow-origin"], origin);
        let exposed = res.headers()["access-control-expose-headers"].to_str().unwrap();
        assert!(exposed.contains("retry-after") && exposed.contains("idempotent-replayed"), "{exposed}");
    }
}

/// The SPA's sign-in against devstack over HTTP, as the browser and its fetch calls make it: the
/// hosted page, the form's redirect back with a code, the token exchange with the PKCE verifier
/// (a CORS request from the Vite dev server), the API with the ID token (it carries the email)
/// and the access token, a silent refresh; a refresh token is no bearer token, a code no second
/// exchange.
#[tokio::test(flavor = "multi_thread")]
async fn the_spa_signs_in_through_the_local_hosted_ui_and_calls_the_api() {
    use devstack::hosted_ui::{form, pkce_challenge};
    let app = TestApp::spawn().await;
    let base = &app.stack.base_url;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let (callback, origin, client) = ("http://127.0.0.1:5173/auth/callback", "http://127.0.0.1:5173", "portfolio-spa");
    let verifier = format!("{}-._~{}", "v".repeat(30), "Z9".repeat(20));
    let challenge = pkce_challenge(&verifier);
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", client),
        ("redirect_uri", callback),
        ("state", "s-1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("scope", "openid email"),
    ];
    let page = http.get(format!("{base}/oauth2/authorize?{}", form(&params))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(r#"<input id="email" name="email" type="email" required"#));
    params.push(("email", "spa@example.com"));
    let post = |path: &str, body: String| {
        let req = http.post(format!("{base}{path}")).header("origin", origin);
        req.header("content-type", "application/x-www-form-urlencoded").body(body).send()
    };
    let res = post("/oauth2/authorize", form(&params)).await.unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let query = location.strip_prefix(&format!("{callback}?code=")).unwrap_or_else(|| panic!("{location}"));
    let (code, state) = query.split_once("&state=").unwrap();
    assert_eq!(state, "s-1");
    let exchange = [
        ("grant_type", "authorization_code"),
        ("client_id", client),
        ("code", code),
        ("redirect_uri", callback),
        ("code_verifier", verifier.as_str()),
    ];
    let res = post("/oauth2/token", form(&exchange)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], origin, "the dev server may read the answer");
    let tokens: serde_json::Value = res.json().await.unwrap();
    let token = |k: &str| tokens[k].as_str().unwrap().to_owned();
    let refresh_token = token("refresh_token");
    let me = app.get("/api/v1/me", &token("id_token")).await.expect(200);
    assert_eq!(
        (&me.body["userId"], &me.body["email"]),
        (&json!(TestApp::user_id("spa@example.com")), &json!("spa@example.com"))
    );
    let me = app.get("/api/v1/me", &token("access_token")).await.expect(200);
    assert_eq!(me.body["userId"], TestApp::user_id("spa@example.com"));
    app.get("/api/v1/me", &refresh_token).await.expect(401);
    let again = post("/oauth2/token", form(&exchange)).await.unwrap();
    assert_eq!(
        (again.status().as_u16(), again.json::<serde_json::Value>().await.unwrap()),
        (400, json!({"error": "invalid_grant"}))
    );
    let refresh = [("grant_type", "refresh_token"), ("client_id", client), ("refresh_token", refresh_token.as_str())];
    let res = post("/oauth2/token", form(&refresh)).await.unwrap();
    assert_eq!(res.status(), 200);
    let fresh: serde_json::Value = res.json().await.unwrap();
    assert!(fresh.get("refresh_token").is_none(), "{fresh}");
    app.get("/api/v1/me", fresh["id_token"].as_str().unwrap()).await.expect(200);
}

/// HTTP handlers act only in scopes the authorizer granted: none of them reaches what builds the
/// platform's own scopes (decoding our bus queues, job messages, delivery messages and bucket
/// notifications) or the test-only constructor.
#[test]
fn no_http_handler_reaches_a_system_scope() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../functions/src/api");
    let sources = [
        "events::consumer",
        "Received",
        "jobs::",
        "OrgMessage",
        "DeliveryMessage",
        "own_object",
        "OwnObject",
        "for_tests",
    ];
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for s in sources {
            assert!(!src.contains(s), "{} uses {s}", path.display());
        }
        files += 1;
    }
    assert!(files >= 15, "the API handlers are in {}", dir.display());
}

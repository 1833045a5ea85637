use super::*;
use crate::issuer::{sub_for_email, DEFAULT_AUDIENCE, DEFAULT_ISSUER};
use crate::server::{FunctionRuntime, Gateway};
use crate::template::Route;
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;
const CALLBACK: &str = "http://127.0.0.1:5173/auth/callback";
/// RFC 7636, appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const STATE: &str = "st&te=1 +/ü";

struct Res {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Res {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

async fn res(r: Response) -> Res {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    Res { status, headers, body: String::from_utf8(bytes.to_vec()).unwrap() }
}

fn issuer() -> Issuer {
    Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE)
}

async fn call(
    ui: &HostedUi,
    i: &Issuer,
    method: &str,
    target: &str,
    hdrs: &[(&str, &str)],
    body: &str,
    now: i64,
) -> Res {
    let uri: Uri = target.parse().unwrap();
    let mut headers = HeaderMap::new();
    for (k, v) in hdrs {
        headers.insert(header::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    res(ui.handle(i, &method, &uri, &headers, body.as_bytes(), now).expect("a hosted UI path")).await
}

fn auth_params(redirect_uri: &str) -> Vec<(&str, &str)> {
    vec![
        ("response_type", "code"),
        ("client_id", DEFAULT_AUDIENCE),
        ("redirect_uri", redirect_uri),
        ("state", STATE),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("scope", "openid email"),
    ]
}

/// Signs `email` in through the form; returns the code from the redirect.
async fn sign_in(ui: &HostedUi, i: &Issuer, email: &str, now: i64) -> String {
    let mut params = auth_params(CALLBACK);
    params.push(("email", email));
    let r = call(ui, i, "POST", "/oauth2/authorize", &[], &form(&params), now).await;
    assert_eq!(r.status, 302, "{}", r.body);
    let location = r.header("location").unwrap();
    let query = location.strip_prefix(&format!("{CALLBACK}?")).unwrap_or_else(|| panic!("{location}"));
    let q = parse_form(query).unwrap();
    assert_eq!(q["state"], STATE, "the state comes back as it was sent");
    q["code"].clone()
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

async fn token(ui: &HostedUi, i: &Issuer, params: &[(&str, &str)], now: i64) -> Res {
    call(ui, i, "POST", "/oauth2/token", &[FORM, ("origin", "http://127.0.0.1:5173")], &form(params), now).await
}

async fn exchange(ui: &HostedUi, i: &Issuer, code: &str, verifier: &str, now: i64) -> Res {
    let params = [
        ("grant_type", "authorization_code"),
        ("client_id", DEFAULT_AUDIENCE),
        ("code", code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", verifier),
    ];
    token(ui, i, &params, now).await
}

fn error_of(r: &Res) -> String {
    assert_eq!(r.status, 400, "{}", r.body);
    r.json()["error"].as_str().unwrap().to_owned()
}

/// The ID and access tokens of a token response, verified as the gateway's authorizer does.
fn verified(i: &Issuer, body: &Value, now: i64) -> (HashMap<String, String>, HashMap<String, String>) {
    let id = i.verify(body["id_token"].as_str().unwrap(), now).expect("the ID token passes the authorizer");
    let access = i.verify(body["access_token"].as_str().unwrap(), now).expect("the access token passes the authorizer");
    (id, access)
}

#[test]
fn the_s256_challenge_is_rfc_7636s() {
    assert_eq!(pkce_challenge(VERIFIER), CHALLENGE);
}

#[tokio::test]
async fn the_sign_in_page_is_a_form_with_an_email_field_carrying_the_request() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let r = call(&ui, &i, "GET", &format!("/oauth2/authorize?{}", form(&auth_params(CALLBACK))), &[], "", NOW).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    for part in [
        "<html lang=\"en\">",
        "<title>Sign in · PortfolioOS (local)</title>",
        "<h1>",
        "<form method=\"post\"",
        "<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" required autocomplete=\"email\">",
        "<button type=\"submit\">Sign in</button>",
        "name=\"viewport\"",
        "any email",
        &format!("name=\"redirect_uri\" value=\"{CALLBACK}\""),
        &format!("name=\"code_challenge\" value=\"{CHALLENGE}\""),
        "name=\"state\" value=\"st&amp;te=1 +/ü\"",
    ] {
        assert!(r.body.contains(part), "the page lacks {part}:\n{}", r.body);
    }
}

#[tokio::test]
async fn a_code_and_its_verifier_get_tokens_the_authorizer_accepts() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let code = sign_in(&ui, &i, "Ann@Example.com", NOW).await;
    let r = exchange(&ui, &i, &code, VERIFIER, NOW + 10).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("access-control-allow-origin"), Some("http://127.0.0.1:5173"));
    let body = r.json();
    assert_eq!((body["token_type"].as_str(), body["expires_in"].as_i64()), (Some("Bearer"), Some(300)));
    let (id, access) = verified(&i, &body, NOW + 10);
    let sub = sub_for_email("ann@example.com");
    assert_eq!(
        (id["sub"].as_str(), id["email"].as_str(), id["token_use"].as_str()),
        (sub.as_str(), "Ann@Example.com", "id")
    );
    assert_eq!((id["aud"].as_str(), id["iss"].as_str()), (DEFAULT_AUDIENCE, DEFAULT_ISSUER));
    assert_eq!((id["iat"].as_str(), id["exp"].as_str()), ("1800000010", "1800000310"));
    assert_eq!(access["token_use"], "access");
    assert_eq!((access["client_id"].as_str(), access["scope"].as_str()), (DEFAULT_AUDIENCE, "openid email"));
    assert_eq!((access["sub"].as_str(), access["username"].as_str()), (sub.as_str(), sub.as_str()));
    assert!(!access.contains_key("aud") && !access.contains_key("email"), "{access:?}");
    assert_eq!(i.verify(body["id_token"].as_str().unwrap(), NOW + 311), Err(crate::issuer::Rejected::Expired));
    // The token lifetime is the configured one.
    let ui = HostedUi::new(120);
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    let body = exchange(&ui, &i, &code, VERIFIER, NOW).await.json();
    assert_eq!(body["expires_in"], 120);
    assert_eq!(verified(&i, &body, NOW).1["exp"], (NOW + 120).to_string());
}

#[tokio::test]
async fn a_code_is_single_use_and_needs_its_verifier_redirect_client_and_time() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    assert_eq!(exchange(&ui, &i, &code, VERIFIER, NOW).await.status, 200);
    assert_eq!(error_of(&exchange(&ui, &i, &code, VERIFIER, NOW).await), "invalid_grant", "reused");
    // A wrong verifier burns the code: the right one cannot use it afterwards.
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    let wrong = "x".repeat(43);
    assert_eq!(error_of(&exchange(&ui, &i, &code, &wrong, NOW).await), "invalid_grant");
    assert_eq!(error_of(&exchange(&ui, &i, &code, VERIFIER, NOW).await), "invalid_grant");
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    assert_eq!(error_of(&exchange(&ui, &i, &code, VERIFIER, NOW + CODE_TTL_SECS).await), "invalid_grant", "expired");
    assert_eq!(error_of(&exchange(&ui, &i, "made-up", VERIFIER, NOW).await), "invalid_grant");
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    let other_redirect = [
        ("grant_type", "authorization_code"),
        ("client_id", DEFAULT_AUDIENCE),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:5173/elsewhere"),
        ("code_verifier", VERIFIER),
    ];
    assert_eq!(error_of(&token(&ui, &i, &other_redirect, NOW).await), "invalid_grant");
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    let mut other_client = other_redirect;
    (other_client[1].1, other_client[2].1, other_client[3].1) = ("another-app", code.as_str(), CALLBACK);
    assert_eq!(error_of(&token(&ui, &i, &other_client, NOW).await), "invalid_client");
    // Refused for its client before the code is looked at: still good for the right client.
    assert_eq!(exchange(&ui, &i, &code, VERIFIER, NOW).await.status, 200);
}

#[tokio::test]
async fn the_token_endpoint_answers_oauth2_errors() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let aud = DEFAULT_AUDIENCE;
    for (params, error) in [
        (vec![("grant_type", "password"), ("client_id", aud)], "unsupported_grant_type"),
        (vec![("grant_type", "client_credentials"), ("client_id", aud)], "unsupported_grant_type"),
        (vec![("client_id", aud)], "invalid_request"),
        (vec![("grant_type", "authorization_code")], "invalid_request"),
        (vec![("grant_type", "authorization_code"), ("client_id", aud), ("code", "c")], "invalid_request"),
        (vec![("grant_type", "authorization_code"), ("client_id", "nobody"), ("code", "c")], "invalid_client"),
        (vec![("grant_type", "refresh_token"), ("client_id", aud)], "invalid_request"),
        (vec![("grant_type", "refresh_token"), ("client_id", aud), ("refresh_token", "unknown")], "invalid_grant"),
    ] {
        assert_eq!(error_of(&token(&ui, &i, &params, NOW).await), error, "{params:?}");
    }
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    let short = &VERIFIER[..42];
    assert_eq!(error_of(&exchange(&ui, &i, &code, short, NOW).await), "invalid_request", "a malformed verifier");
    let body = form(&[("grant_type", "refresh_token"), ("client_id", aud), ("refresh_token", "x")]);
    let json = call(&ui, &i, "POST", "/oauth2/token", &[("content-type", "application/json")], &body, NOW).await;
    assert_eq!(error_of(&json), "invalid_request", "the body must be a form");
    let twice = format!("{body}&client_id={aud}");
    assert_eq!(error_of(&call(&ui, &i, "POST", "/oauth2/token", &[FORM], &twice, NOW).await), "invalid_request");
    assert_eq!(call(&ui, &i, "GET", "/oauth2/token", &[], "", NOW).await.status, 405);
}

#[tokio::test]
async fn refresh_tokens_get_new_tokens_until_revoked_and_are_never_bearer_tokens() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let code = sign_in(&ui, &i, "ann@example.com", NOW).await;
    let first = exchange(&ui, &i, &code, VERIFIER, NOW).await.json();
    let refresh_token = first["refresh_token"].as_str().unwrap();
    assert!(refresh_token.len() >= 43 && refresh_token.split('.').count() == 1, "opaque: {refresh_token}");
    assert!(i.verify(refresh_token, NOW).is_err(), "a refresh token is no bearer token");
    let refresh = [("grant_type", "refresh_token"), ("client_id", DEFAULT_AUDIENCE), ("refresh_token", refresh_token)];
    let later = NOW + 3600;
    let r = token(&ui, &i, &refresh, later).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert!(body.get("refresh_token").is_none(), "no new refresh token: {body}");
    assert_eq!(body["expires_in"], 300);
    let (id, access) = verified(&i, &body, later);
    assert_eq!(
        (id["email"].as_str(), id["sub"].as_str()),
        ("ann@example.com", sub_for_email("ann@example.com").as_str())
    );
    assert_eq!(access["exp"], (later + 300).to_string());
    assert_eq!(error_of(&token(&ui, &i, &refresh, NOW + REFRESH_TTL_SECS).await), "invalid_grant", "expired");
    let mut other_client = refresh;
    other_client[1].1 = "another-app";
    assert_eq!(error_of(&token(&ui, &i, &other_client, later).await), "invalid_client");
    // Revoked: refused from then on.
    let revoke = form(&[("token", refresh_token), ("client_id", DEFAULT_AUDIENCE)]);
    let r = call(&ui, &i, "POST", "/oauth2/revoke", &[FORM], &revoke, later).await;
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    assert_eq!(error_of(&token(&ui, &i, &refresh, later).await), "invalid_grant", "revoked");
}

/// Through the gateway: the hosted UI is served before the template's routes, and the JWT
/// authorizer takes the ID and access tokens but refuses a refresh token.
#[tokio::test]
async fn the_gateway_serves_the_hosted_ui_and_its_authorizer_refuses_refresh_tokens() {
    let i = Arc::new(issuer());
    let def = functions::registry().into_iter().find(|f| f.name == "api-orgs").unwrap();
    let sdk = aws_config::SdkConfig::builder().behavior_version(aws_config::BehaviorVersion::latest()).build();
    let route = Route { method: "GET".into(), path: "/api/v1/me".into(), auth: true };
    let f = FunctionRuntime::new(def, HashMap::new(), sdk);
    let gw = Gateway::new(vec![(f, vec![route])], i.clone(), None);
    let send = |method: Method, target: &str, headers: &[(&'static str, String)], body: String| {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, v.parse().unwrap());
        }
        gw.handle(method, target.parse().unwrap(), h, body.into())
    };
    let page =
        res(send(Method::GET, &format!("/oauth2/authorize?{}", form(&auth_params(CALLBACK))), &[], "".into()).await)
            .await;
    assert_eq!(page.status, 200);
    let mut params = auth_params(CALLBACK);
    params.push(("email", "ann@example.com"));
    let r = res(send(Method::POST, "/oauth2/authorize", &[], form(&params)).await).await;
    let code = parse_form(r.header("location").unwrap().split_once('?').unwrap().1).unwrap()["code"].clone();
    let exchange = [
        ("grant_type", "authorization_code"),
        ("client_id", DEFAULT_AUDIENCE),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let ct = [("content-type", FORM.1.to_owned())];
    let tokens = res(send(Method::POST, "/oauth2/token", &ct, form(&exchange)).await).await.json();
    let bearer = |t: &Value| [("authorization", format!("Bearer {}", t.as_str().unwrap()))];
    let r = send(Method::GET, "/api/v1/me", &bearer(&tokens["refresh_token"]), String::new()).await;
    assert_eq!(r.status(), 401, "a refresh token is refused by the authorizer");
    assert_eq!(gw.requests(), 0);
    for t in ["id_token", "access_token"] {
        let r = send(Method::GET, "/api/v1/me", &bearer(&tokens[t]), String::new()).await;
        assert_ne!(r.status(), 401, "the {t} passes the authorizer");
    }
    assert_eq!(gw.requests(), 2, "both reached the function");
}

#[tokio::test]
async fn redirect_uris_off_this_machine_are_refused_without_a_redirect() {
    let (ui, i) = (HostedUi::new(300), issuer());
    for uri in [
        "https://evil.example/auth/callback",
        "http://evil.example:5173/auth/callback",
        "http://127.0.0.1.evil.example:5173/",
        "http://localhost:5173@evil.example/",
        "http://localhost.evil.example:5173/",
        "http://localhost/auth/callback",
        "http://127.0.0.1:/auth/callback",
        "http://127.0.0.1:99999/auth/callback",
        "https://127.0.0.1:5173/auth/callback",
        "http://127.0.0.1:5173/auth/callback#fragment",
        "//127.0.0.1:5173/",
    ] {
        assert!(!local_url(uri), "{uri}");
        let query = form(&auth_params(uri));
        let page = call(&ui, &i, "GET", &format!("/oauth2/authorize?{query}"), &[], "", NOW).await;
        assert_eq!(page.status, 400, "{uri}");
        assert!(page.header("location").is_none() && page.body.contains("redirect_uri"), "{uri}: {}", page.body);
        let mut params = auth_params(uri);
        params.push(("email", "ann@example.com"));
        let post = call(&ui, &i, "POST", "/oauth2/authorize", &[], &form(&params), NOW).await;
        assert_eq!((post.status, post.header("location")), (400, None), "{uri}");
        let logout = format!("/logout?{}", form(&[("client_id", DEFAULT_AUDIENCE), ("logout_uri", uri)]));
        let r = call(&ui, &i, "GET", &logout, &[], "", NOW).await;
        assert_eq!((r.status, r.header("location")), (400, None), "{uri}");
    }
    for uri in ["http://localhost:5173/auth/callback", "http://127.0.0.1:3000", "http://127.0.0.1:5173/?x=1"] {
        assert!(local_url(uri), "{uri}");
    }
}

#[tokio::test]
async fn the_authorization_request_needs_the_client_a_code_response_and_pkce() {
    let (ui, i) = (HostedUi::new(300), issuer());
    for (key, value) in [
        ("client_id", "another-app"),
        ("client_id", ""),
        ("response_type", "token"),
        ("response_type", ""),
        ("code_challenge_method", "plain"),
        ("code_challenge_method", ""),
        ("code_challenge", ""),
        ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM="),
        ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"),
        ("scope", "openid profile"),
    ] {
        let mut params = auth_params(CALLBACK);
        params.iter_mut().find(|(k, _)| *k == key).unwrap().1 = value;
        let r = call(&ui, &i, "GET", &format!("/oauth2/authorize?{}", form(&params)), &[], "", NOW).await;
        assert_eq!((r.status, r.header("location")), (400, None), "{key}={value}");
        assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("<h1>"), "an error page");
    }
    let twice = format!("{}&state=again", form(&auth_params(CALLBACK)));
    assert_eq!(call(&ui, &i, "GET", &format!("/oauth2/authorize?{twice}"), &[], "", NOW).await.status, 400);
    // Without a scope: both; with one of them: that one.
    let mut params: Vec<_> =
        auth_params(CALLBACK).into_iter().filter(|(k, _)| *k != "scope" && *k != "state").collect();
    params.push(("email", "ann@example.com"));
    for (scope, granted) in [(None, "openid email"), (Some("openid"), "openid"), (Some("email openid"), "openid email")]
    {
        let mut p = params.clone();
        p.extend(scope.map(|s| ("scope", s)));
        let r = call(&ui, &i, "POST", "/oauth2/authorize", &[], &form(&p), NOW).await;
        let location = r.header("location").unwrap();
        assert!(!location.contains("state="), "no state asked, none given: {location}");
        let code = parse_form(location.split_once('?').unwrap().1).unwrap()["code"].clone();
        let body = exchange(&ui, &i, &code, VERIFIER, NOW).await.json();
        assert_eq!(verified(&i, &body, NOW).1["scope"], granted);
    }
}

#[tokio::test]
async fn a_missing_or_malformed_email_shows_the_page_again_with_the_error() {
    let (ui, i) = (HostedUi::new(300), issuer());
    for email in ["", "   ", "ann", "ann@", "@example.com", "ann @example.com", "<b>@x"] {
        let mut params = auth_params(CALLBACK);
        params.push(("email", email));
        let r = call(&ui, &i, "POST", "/oauth2/authorize", &[], &form(&params), NOW).await;
        assert_eq!((r.status, r.header("location")), (400, None), "{email:?}");
        assert!(r.body.contains("role=\"alert\"") && r.body.contains("aria-invalid=\"true\""), "{}", r.body);
        assert!(r.body.contains(&format!("name=\"code_challenge\" value=\"{CHALLENGE}\"")), "the request is kept");
        assert!(!r.body.contains("<b>"), "the email is escaped");
    }
    assert!(locked(&ui.codes).is_empty(), "no code was issued");
}

#[tokio::test]
async fn the_token_endpoint_answers_cors_for_local_dev_servers() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let (ui, i) = (&ui, &i);
    let preflight = |origin: &'static str| async move {
        let hdrs = [("origin", origin), ("access-control-request-method", "POST")];
        call(ui, i, "OPTIONS", "/oauth2/token", &hdrs, "", NOW).await
    };
    for origin in ["http://127.0.0.1:5173", "http://localhost:4173"] {
        let r = preflight(origin).await;
        assert_eq!(r.status, 204);
        assert_eq!(r.header("access-control-allow-origin"), Some(origin));
        assert_eq!(r.header("access-control-allow-methods"), Some("POST"));
        assert_eq!(r.header("access-control-allow-headers"), Some("content-type"));
    }
    let r = preflight("https://evil.example").await;
    assert!(r.header("access-control-allow-origin").is_none() && r.header("access-control-allow-methods").is_none());
    let bad = form(&[("grant_type", "password"), ("client_id", DEFAULT_AUDIENCE)]);
    let r = call(ui, i, "POST", "/oauth2/token", &[FORM, ("origin", "https://evil.example")], &bad, NOW).await;
    assert!(r.header("access-control-allow-origin").is_none());
    let r = call(ui, i, "POST", "/oauth2/token", &[FORM, ("origin", "http://localhost:5173")], &bad, NOW).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("http://localhost:5173"), "errors are readable too");
}

#[tokio::test]
async fn logout_goes_back_to_the_app() {
    let (ui, i) = (HostedUi::new(300), issuer());
    let q = form(&[("client_id", DEFAULT_AUDIENCE), ("logout_uri", "http://127.0.0.1:5173/")]);
    let r = call(&ui, &i, "GET", &format!("/logout?{q}"), &[], "", NOW).await;
    assert_eq!((r.status, r.header("location")), (302, Some("http://127.0.0.1:5173/")));
    let q = form(&[("client_id", "another-app"), ("logout_uri", "http://127.0.0.1:5173/")]);
    assert_eq!(call(&ui, &i, "GET", &format!("/logout?{q}"), &[], "", NOW).await.status, 400);
    assert_eq!(call(&ui, &i, "GET", "/logout", &[], "", NOW).await.status, 400);
    assert!(ui.handle(&i, &Method::GET, &"/api/v1/health".parse().unwrap(), &HeaderMap::new(), b"", NOW).is_none());
}

#[test]
fn forms_decode_plus_and_percent_escapes_and_refuse_repeated_names() {
    let f = parse_form("a=1+2%2B3&b=%E2%9C%93&c&d=%zz%4").unwrap();
    assert_eq!((f["a"].as_str(), f["b"].as_str(), f["c"].as_str(), f["d"].as_str()), ("1 2+3", "✓", "", "%zz%4"));
    assert_eq!(parse_form("a=1&a=2"), Err("a".to_owned()));
    assert_eq!(parse_form("x=%a\u{e9}").unwrap()["x"], "%a\u{e9}", "no panic on a character after %");
    assert_eq!(parse_form(&form(&[("s", STATE)])).unwrap()["s"], STATE);
}

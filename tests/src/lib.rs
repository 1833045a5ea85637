//! The test harness: a `TestApp` per test (its own devstack with its own table, bucket, bus and
//! port on the running emulator), helpers per endpoint, and the route catalog the sweeps use.

pub mod books;
pub mod catalog;
pub mod cost;
pub mod hooks;
pub mod schema;

/// Small measurement helpers the benchmarks share.
pub mod measure {
    use std::collections::HashMap;
    use std::time::Duration;

    pub fn median(v: &mut [Duration]) -> Duration {
        v.sort();
        v[v.len() / 2]
    }

    pub fn p95(v: &mut [Duration]) -> Duration {
        v.sort();
        v[v.len() * 95 / 100]
    }

    /// The median of 50 raw `GetItem`s of `org`'s item on the stack's table: one emulator round
    /// trip, what the benchmarks set their paths against.
    pub async fn raw_round_trip(app: &crate::TestApp, org: &str) -> Duration {
        use aws_sdk_dynamodb::types::AttributeValue;
        let client = app.dynamodb();
        let mut raw = Vec::new();
        for _ in 0..50 {
            let t = std::time::Instant::now();
            client
                .get_item()
                .table_name(app.stack.table_name())
                .key("PK", AttributeValue::S(format!("ORG#{org}")))
                .key("SK", AttributeValue::S("ORG".into()))
                .send()
                .await
                .unwrap();
            raw.push(t.elapsed());
        }
        median(&mut raw)
    }

    /// The DynamoDB operations made between two `CallCounter::by_operation` snapshots, as
    /// `GetItem×1 Query×1`.
    pub fn ops_diff(before: &HashMap<String, u64>, after: &HashMap<String, u64>) -> String {
        let mut parts: Vec<String> = after
            .iter()
            .filter_map(|(op, n)| {
                let d = n - before.get(op).copied().unwrap_or(0);
                (d > 0).then(|| format!("{op}×{d}"))
            })
            .collect();
        parts.sort();
        parts.join(" ")
    }
}

use devstack::issuer::{sub_for_email, Issuer};
use devstack::{Stack, StackOptions};
use serde_json::{json, Value};
use std::sync::Arc;

/// A fresh `Idempotency-Key`, for one logical request.
/// Polls `f` every 100 ms until it answers something (a consumer caught up), for up to `secs`.
pub async fn eventually<T>(what: &str, secs: u64, mut f: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub fn idempotency_key() -> String {
    format!("test-{}", ulid::Ulid::new().to_string().to_lowercase())
}

pub struct TestApp {
    pub stack: Stack,
    pub http: reqwest::Client,
    pub issuer: Arc<Issuer>,
}

/// A response: status, content type and JSON body (Null when empty or not JSON).
#[derive(Debug, Clone)]
pub struct Res {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_else(|| panic!("no id in {}", self.text)).to_owned()
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Res {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        self
    }

    /// Asserts an RFC 9457 problem with this status.
    #[track_caller]
    pub fn problem(self, status: u16) -> Res {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        assert_eq!(self.content_type, "application/problem+json", "{}", self.text);
        assert_eq!(self.body["status"], status, "{}", self.text);
        assert!(
            self.body["type"].is_string() && self.body["title"].is_string() && self.body["detail"].is_string(),
            "{}",
            self.text
        );
        self
    }

    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str().map(str::to_owned))
            .collect()
    }
}

impl TestApp {
    /// A fresh stack named after the test, on the emulator in `AWS_ENDPOINT_URL`.
    /// A fresh stack with its own resources on the emulator in `AWS_ENDPOINT_URL`. Membership
    /// caching is off, so role changes in tests take effect at once across functions.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(&[("MEMBERSHIP_CACHE_TTL_SECS", "0")]).await
    }

    /// As `spawn`, with extra function environment (benchmarks keep the production cache).
    pub async fn spawn_with(env: &[(&str, &str)]) -> TestApp {
        TestApp::spawn_opts(env, None).await
    }

    /// As `spawn_with`, with the queue pumps' visibility timeout (seconds) for retry tests.
    pub async fn spawn_opts(env: &[(&str, &str)], sqs_visibility_secs: Option<i32>) -> TestApp {
        TestApp::spawn_custom(env, |opts| opts.sqs_visibility_secs = sqs_visibility_secs).await
    }

    /// As `spawn_with`, with the stack's options adjusted by `customize` (e.g. a recording HTTP
    /// client for the cost benchmark).
    pub async fn spawn_custom(env: &[(&str, &str)], customize: impl FnOnce(&mut StackOptions)) -> TestApp {
        portfolio::platform::telemetry::init_for_tests();
        portfolio::platform::tls::install_provider();
        let prefix = format!("t{}", ulid::Ulid::new().to_string().to_lowercase());
        let mut opts = StackOptions::local(&prefix);
        opts.env.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        customize(&mut opts);
        let issuer = opts.issuer.clone();
        let stack = Stack::start(opts).await.expect("devstack starts (is the emulator running? `make test` starts it)");
        TestApp { stack, http: reqwest::Client::new(), issuer }
    }

    pub fn token(&self, email: &str) -> String {
        self.issuer.token_for(email, 600)
    }

    pub fn user_id(email: &str) -> String {
        sub_for_email(email)
    }

    /// A request with a JSON body (`content-type: application/json` when there is one).
    pub async fn raw(&self, method: &str, path: &str, token: Option<&str>, body: Option<Vec<u8>>) -> Res {
        let json = [("content-type", "application/json")];
        let headers: &[(&str, &str)] = if body.is_some() { &json } else { &[] };
        self.request(method, path, token, headers, body).await
    }

    /// A request exactly as given: these headers only (no content-type unless listed), this body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Res {
        let mut req = self.http.request(method.parse().expect("method"), format!("{}{}", self.stack.base_url, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let res = req.send().await.expect("devstack answers");
        let status = res.status().as_u16();
        let content_type =
            res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Res { status, content_type, body, text }
    }

    /// A POST that creates money (a charge or a payment), with a fresh `Idempotency-Key`: one
    /// logical request.
    pub async fn post_keyed(&self, path: &str, token: &str, body: Value) -> Res {
        self.post_with(path, token, &[("Idempotency-Key", &idempotency_key())], body).await.0
    }

    /// A POST with extra headers (e.g. `Idempotency-Key`); also returns the response headers.
    pub async fn post_with(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Value,
    ) -> (Res, reqwest::header::HeaderMap) {
        let mut req = self.http.post(format!("{}{}", self.stack.base_url, path)).bearer_auth(token).json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("devstack answers");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        (Res { status, content_type, body, text }, headers)
    }

    pub async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Res {
        self.raw(method, path, Some(token), body.map(|b| b.to_string().into_bytes())).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.call("GET", path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.call("POST", path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.call("PATCH", path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Res {
        self.call("DELETE", path, token, None).await
    }

    /// Creates an org owned by `email`; returns its id.
    pub async fn create_org(&self, email: &str, name: &str) -> String {
        let body = json!({"name": name, "baseCurrency": "USD", "country": "US", "timezone": "America/New_York"});
        self.post("/api/v1/orgs", &self.token(email), body).await.expect(201).id()
    }

    pub async fn add_member(&self, org: &str, owner: &str, email: &str, role: &str) {
        let body = json!({"userId": TestApp::user_id(email), "email": email, "role": role});
        self.post(&format!("/api/v1/orgs/{org}/members"), &self.token(owner), body).await.expect(201);
    }

    /// A unit `U<n>` in `building`, a tenant `n`, and a draft lease of them in USD due on the
    /// 1st from `start` at `rent`; `extra` is merged into the lease's body.
    pub async fn draft_lease(
        &self,
        org: &str,
        token: &str,
        building: &str,
        n: u32,
        (start, rent): (&str, &str),
        extra: Value,
    ) -> String {
        let path = |rest: &str| format!("/api/v1/orgs/{org}{rest}");
        let unit = self
            .post(&path(&format!("/buildings/{building}/units")), token, json!({"label": format!("U{n}")}))
            .await
            .expect(201)
            .id();
        let tenant =
            json!({"firstName": "Ida", "lastName": format!("Tenant{n}"), "email": format!("tenant{n}@example.com")});
        let tenant = self.post(&path("/tenants"), token, tenant).await.expect(201).id();
        let mut body = json!({"unitId": unit, "tenantIds": [tenant], "startDate": start,
                              "rent": {"amount": rent, "currency": "USD"}, "dueDay": 1});
        for (k, v) in extra.as_object().expect("an object") {
            body[k] = v.clone();
        }
        self.post(&path("/leases"), token, body).await.expect(201).id()
    }

    pub async fn create_building(&self, org: &str, email: &str, name: &str) -> String {
        let body = json!({"name": name, "address": {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}});
        self.post(&format!("/api/v1/orgs/{org}/buildings"), &self.token(email), body).await.expect(201).id()
    }

    /// Every item in this test's table that a request writes (a Scan: fine in tests, never in
    /// product code). The event consumers' own bookkeeping (processed-markers, webhook delivery
    /// logs) is left out: it is written in the background, after the requests that caused it.
    pub async fn table_items(&self) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        let client = aws_sdk_dynamodb::Client::new(&self.stack.sdk);
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let out = client
                .scan()
                .table_name(self.stack.table_name())
                .set_exclusive_start_key(start)
                .send()
                .await
                .expect("scan");
            items.extend(out.items.unwrap_or_default().into_iter().filter(|i| {
                !matches!(i.get("entity"), Some(aws_sdk_dynamodb::types::AttributeValue::S(e))
                    if e == portfolio::events::consumer::ENTITY || e == portfolio::webhooks::model::DELIVERY_ENTITY)
            }));
            start = out.last_evaluated_key;
            if start.is_none() {
                return items;
            }
        }
    }

    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.stack.sdk)
    }
}

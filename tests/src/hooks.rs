//! A webhook receiver on 127.0.0.1 for tests and benchmarks: it records every hit (when, headers,
//! body) and answers the status codes of a script, then 200.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct Hit {
    pub at: Instant,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Hit {
    /// The body as JSON (`null` if it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

#[derive(Default)]
pub struct Receiver {
    hits: Mutex<Vec<Hit>>,
    /// Status codes to answer, in order; 200 once they run out.
    script: Mutex<Vec<u16>>,
}

impl Receiver {
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.hits.lock().unwrap().len()
    }

    /// When the first hit that `pred` accepts arrived.
    pub fn first(&self, pred: impl Fn(&Hit) -> bool) -> Option<Instant> {
        self.hits.lock().unwrap().iter().find(|h| pred(h)).map(|h| h.at)
    }
}

/// A receiver at `http://127.0.0.1:<port>/hook` answering `script`, then 200.
pub async fn receiver(script: &[u16]) -> (Arc<Receiver>, String) {
    let r = Arc::new(Receiver { hits: Mutex::default(), script: Mutex::new(script.to_vec()) });
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(
                |State(r): State<Arc<Receiver>>, headers: HeaderMap, body: axum::body::Bytes| async move {
                    r.hits.lock().unwrap().push(Hit { at: Instant::now(), headers, body: body.to_vec() });
                    let mut script = r.script.lock().unwrap();
                    let code = if script.is_empty() { 200 } else { script.remove(0) };
                    StatusCode::from_u16(code).unwrap()
                },
            ),
        )
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, url)
}

/// A receiver (answering 200) subscribed as a webhook endpoint of `org` to `event_types`.
pub async fn subscribed(app: &crate::TestApp, org: &str, token: &str, event_types: &[&str]) -> Arc<Receiver> {
    let (r, url) = receiver(&[]).await;
    app.post(
        &format!("/api/v1/orgs/{org}/webhooks"),
        token,
        serde_json::json!({"url": url, "eventTypes": event_types}),
    )
    .await
    .expect(201);
    r
}

//! Webhook delivery: one signed POST to a subscriber's URL. Production: `GuardedHttp`, the
//! SSRF-guarded client — the URL is checked again as sent, its host resolved and every address
//! checked, the connection pinned to the checked address (no DNS rebinding), 5 s timeout, no
//! redirects followed.

use super::ssrf::{check_url, resolve};
use super::PortFuture;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(5);

/// One signed POST of a JSON body.
#[derive(Debug, Clone)]
pub struct SignedPost<'a> {
    pub url: &'a str,
    /// Signature, event and delivery ids (`content-type` and `user-agent` are the adapter's).
    pub headers: Vec<(&'static str, String)>,
    pub body: &'a str,
}

/// What became of a POST: the status the subscriber answered, or why there was none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostOutcome {
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl PostOutcome {
    fn failed(error: impl Into<String>) -> PostOutcome {
        PostOutcome { status: None, error: Some(error.into()) }
    }

    /// A 2xx answer.
    pub fn is_success(&self) -> bool {
        self.status.is_some_and(|c| (200..300).contains(&c))
    }
}

/// Delivers webhooks.
pub trait WebhookSender: Send + Sync {
    fn post<'a>(&'a self, post: SignedPost<'a>) -> PortFuture<'a, PostOutcome>;
}

/// The SSRF-guarded HTTP client (see the module docs).
pub struct GuardedHttp {
    /// Local development only: loopback targets over http.
    allow_loopback: bool,
}

impl GuardedHttp {
    pub fn new(allow_loopback: bool) -> GuardedHttp {
        GuardedHttp { allow_loopback }
    }

    async fn send(&self, post: SignedPost<'_>) -> PostOutcome {
        let url = match check_url(post.url, self.allow_loopback) {
            Ok(u) => u,
            Err(e) => return PostOutcome::failed(format!("refused: {e}")),
        };
        let addr = match tokio::time::timeout(TIMEOUT, resolve(&url, self.allow_loopback)).await {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => return PostOutcome::failed(format!("refused: {e}")),
            Err(_) => return PostOutcome::failed("DNS resolution timed out after 5 s"),
        };
        let client = match pinned_client(url.host_str().unwrap_or_default(), addr) {
            Ok(c) => c,
            Err(e) => return PostOutcome::failed(e),
        };
        let mut req = client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "PortfolioOS-Webhooks/1")
            .body(post.body.to_owned());
        for (name, value) in post.headers {
            req = req.header(name, value);
        }
        match req.send().await {
            Ok(r) => PostOutcome { status: Some(r.status().as_u16()), error: None },
            Err(e) if e.is_timeout() => PostOutcome::failed("timed out after 5 s"),
            Err(e) => PostOutcome::failed(format!("request failed: {e}")),
        }
    }
}

impl WebhookSender for GuardedHttp {
    fn post<'a>(&'a self, post: SignedPost<'a>) -> PortFuture<'a, PostOutcome> {
        Box::pin(self.send(post))
    }
}

/// A client pinned to the checked address, with a 5 s timeout and no redirects.
fn pinned_client(host: &str, addr: std::net::SocketAddr) -> Result<reqwest::Client, String> {
    crate::platform::tls::install_provider();
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(host, addr)
        .build()
        .map_err(|e| format!("client: {e}"))
}

//! `Plaid-Verification`: how `webhook-plaid` knows a webhook is Plaid's (REFERENCE §B3, Plaid's
//! "Webhook verification"). The header is a JWT signed ES256 — and only ES256 — by a key named by
//! its `kid`, which Plaid serves at `/webhook_verification_key/get`; its claims are `iat` (no
//! older than five minutes) and `request_body_sha256`, the SHA-256 of the raw body as sent (a body
//! parsed and re-serialized would not match). A key with `expired_at` set is refused. Keys are
//! cached by `kid` and fetched again after an hour, so a key Plaid has since expired is not
//! trusted for long.

use super::client::{PlaidApi, VerificationKey};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const HEADER: &str = "Plaid-Verification";
/// The oldest `iat` taken, in seconds (Plaid: "not older than 5 minutes").
pub const MAX_AGE_SECS: i64 = 300;
/// How long a fetched key is trusted before it is fetched again.
const KEY_TTL: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("no Plaid-Verification header")]
    NotSigned,
    #[error("the Plaid-Verification header is not a JWT with a key id")]
    Malformed,
    #[error("the JWT is not signed with ES256")]
    Algorithm,
    #[error("Plaid does not know the key the JWT names")]
    UnknownKey,
    #[error("the key the JWT names has expired")]
    ExpiredKey,
    #[error("the JWT's signature does not verify")]
    Signature,
    #[error("the JWT was issued more than five minutes ago (or in the future)")]
    Stale,
    #[error("the body is not the one the JWT was issued for")]
    BodyHash,
    #[error("Plaid's verification key could not be fetched: {0}")]
    KeyUnavailable(String),
}

#[derive(serde::Deserialize)]
struct Claims {
    iat: i64,
    request_body_sha256: String,
}

/// Verifies `token` for `body` with `key` at `now` (unix seconds).
pub fn verify_with(token: &str, body: &[u8], key: &VerificationKey, now: i64) -> Result<(), VerifyError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| VerifyError::Malformed)?;
    if header.alg != Algorithm::ES256 || key.alg != "ES256" || key.crv != "P-256" {
        return Err(VerifyError::Algorithm);
    }
    if key.expired_at.is_some() {
        return Err(VerifyError::ExpiredKey);
    }
    let decoding = DecodingKey::from_ec_components(&key.x, &key.y).map_err(|_| VerifyError::Malformed)?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_aud = false;
    let claims =
        jsonwebtoken::decode::<Claims>(token, &decoding, &validation).map_err(|_| VerifyError::Signature)?.claims;
    if claims.iat < now - MAX_AGE_SECS || claims.iat > now + MAX_AGE_SECS {
        return Err(VerifyError::Stale);
    }
    let digest = format!("{:x}", Sha256::digest(body));
    match constant_time_eq(digest.as_bytes(), claims.request_body_sha256.to_ascii_lowercase().as_bytes()) {
        true => Ok(()),
        false => Err(VerifyError::BodyHash),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Plaid's verification keys by `kid`, with when each was fetched.
#[derive(Default)]
pub struct KeyCache {
    keys: Mutex<HashMap<String, (VerificationKey, Instant)>>,
}

impl KeyCache {
    fn cached(&self, kid: &str) -> Option<VerificationKey> {
        let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.get(kid).filter(|(_, at)| at.elapsed() < KEY_TTL).map(|(k, _)| k.clone())
    }

    fn keep(&self, key: &VerificationKey) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.insert(key.kid.clone(), (key.clone(), Instant::now()));
    }

    /// Verifies a webhook: the header's JWT, its key (cached, else fetched from Plaid by `kid`),
    /// the body, at `now` (unix seconds).
    pub async fn verify(
        &self,
        plaid: &dyn PlaidApi,
        header: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        let token = header.map(str::trim).filter(|t| !t.is_empty()).ok_or(VerifyError::NotSigned)?;
        let jwt = jsonwebtoken::decode_header(token).map_err(|_| VerifyError::Malformed)?;
        if jwt.alg != Algorithm::ES256 {
            return Err(VerifyError::Algorithm);
        }
        let kid = jwt.kid.ok_or(VerifyError::Malformed)?;
        let key = match self.cached(&kid) {
            Some(k) => k,
            None => {
                let k = plaid
                    .webhook_verification_key(&kid)
                    .await
                    .map_err(|e| VerifyError::KeyUnavailable(e.to_string()))?
                    .ok_or(VerifyError::UnknownKey)?;
                self.keep(&k);
                // A new key usually means a rotation: the keys held are fetched again, so one
                // Plaid has expired since is known as expired (Plaid's guidance).
                self.refresh_others(plaid, &kid).await;
                k
            }
        };
        verify_with(token, body, &key, now)
    }

    /// Fetches every cached key but `kid` again (best effort: a failure keeps what is held).
    async fn refresh_others(&self, plaid: &dyn PlaidApi, kid: &str) {
        let held: Vec<String> = {
            let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
            keys.keys().filter(|k| k.as_str() != kid).cloned().collect()
        };
        for other in held {
            match plaid.webhook_verification_key(&other).await {
                Ok(Some(k)) => self.keep(&k),
                Ok(None) => {
                    self.keys.lock().unwrap_or_else(|p| p.into_inner()).remove(&other);
                }
                Err(e) => tracing::warn!(kid = %other, error = %e, "a Plaid verification key could not be refreshed"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};

    /// A P-256 key made for these tests only, and its public point.
    const PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXjJNUJR0bLyH3BV3
1Vgb8pVlvIF0RgYU318vvKDIEwehRANCAAQIeCzXZfCqYCsw+NcQiUmD/glOm+MB
s2R1sfzbzofKkRyzb4yRnVYzq5noNx4rzsu3aaqIuQqCeDJFhz3wgKmy
-----END PRIVATE KEY-----
";
    const X: &str = "CHgs12XwqmArMPjXEIlJg_4JTpvjAbNkdbH8286HypE";
    const Y: &str = "HLNvjJGdVjOrmeg3HivOy7dpqoi5CoJ4MkWHPfCAqbI";
    const NOW: i64 = 1_796_000_000;

    fn key() -> VerificationKey {
        VerificationKey {
            kid: "k1".into(),
            kty: "EC".into(),
            crv: "P-256".into(),
            alg: "ES256".into(),
            x: X.into(),
            y: Y.into(),
            created_at: Some(NOW - 86_400),
            expired_at: None,
        }
    }

    fn token(body: &[u8], iat: i64) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some("k1".into());
        let claims = serde_json::json!({"iat": iat, "request_body_sha256": format!("{:x}", Sha256::digest(body))});
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_pem(PEM.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn a_webhook_signed_for_its_body_within_five_minutes_verifies() {
        let body = br#"{"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE"}"#;
        assert_eq!(verify_with(&token(body, NOW - 299), body, &key(), NOW), Ok(()));
        assert_eq!(verify_with(&token(body, NOW - 301), body, &key(), NOW), Err(VerifyError::Stale));
        assert_eq!(verify_with(&token(body, NOW + 301), body, &key(), NOW), Err(VerifyError::Stale));
        // Another body (re-serialized JSON is another body).
        let other = br#"{"webhook_type":"TRANSACTIONS","webhook_code":"SYNC_UPDATES_AVAILABLE"}"#;
        assert_eq!(verify_with(&token(body, NOW), other, &key(), NOW), Err(VerifyError::BodyHash));
    }

    #[test]
    fn forged_or_expired_or_unsigned_tokens_are_refused() {
        let body = b"{}";
        let good = token(body, NOW);
        let expired = VerificationKey { expired_at: Some(NOW - 10), ..key() };
        assert_eq!(verify_with(&good, body, &expired, NOW), Err(VerifyError::ExpiredKey));
        // Another key's point.
        let other = VerificationKey { x: Y.into(), y: X.into(), ..key() };
        assert!(matches!(verify_with(&good, body, &other, NOW), Err(VerifyError::Malformed | VerifyError::Signature)));
        // A claim changed after signing.
        let mut parts: Vec<&str> = good.split('.').collect();
        let forged_claims = base64_url(&format!(r#"{{"iat":{NOW},"request_body_sha256":"{}"}}"#, "0".repeat(64)));
        parts[1] = &forged_claims;
        assert_eq!(verify_with(&parts.join("."), body, &key(), NOW), Err(VerifyError::Signature));
        // alg "none" and HS256 are not ES256.
        let none = format!("{}.{}.", base64_url(r#"{"alg":"none","kid":"k1","typ":"JWT"}"#), parts[1]);
        assert!(matches!(verify_with(&none, body, &key(), NOW), Err(VerifyError::Malformed | VerifyError::Algorithm)));
        let mut hs = Header::new(Algorithm::HS256);
        hs.kid = Some("k1".into());
        let claims = serde_json::json!({"iat": NOW, "request_body_sha256": format!("{:x}", Sha256::digest(body))});
        let hs = jsonwebtoken::encode(&hs, &claims, &EncodingKey::from_secret(X.as_bytes())).unwrap();
        assert_eq!(verify_with(&hs, body, &key(), NOW), Err(VerifyError::Algorithm));
        assert_eq!(verify_with("not a jwt", body, &key(), NOW), Err(VerifyError::Malformed));
    }

    fn base64_url(s: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }
}

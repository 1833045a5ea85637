//! The local stand-in for the Cognito user pool and the HTTP API JWT authorizer: an RS256 key
//! that mints tokens, and verification with the authorizer's rules (signature, `iss`, `aud` or
//! `client_id`, `exp`, `nbf`), producing the string claims API Gateway passes to Lambda.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub const DEFAULT_ISSUER: &str = "http://127.0.0.1:3000/devstack-issuer";
pub const DEFAULT_AUDIENCE: &str = "portfolio-spa";

pub struct Issuer {
    key: KeyPair,
    pub issuer: String,
    pub audience: String,
    pub kid: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("malformed token")]
    Malformed,
    #[error("unsupported algorithm or key id")]
    Algorithm,
    #[error("bad signature")]
    Signature,
    #[error("wrong issuer")]
    Issuer,
    #[error("wrong audience")]
    Audience,
    #[error("expired")]
    Expired,
    #[error("not yet valid")]
    NotYetValid,
}

/// A stable `sub` per email (UUID-shaped, like Cognito's): the same person gets the same id.
pub fn sub_for_email(email: &str) -> String {
    let h = hex(&Sha256::digest(email.trim().to_lowercase().as_bytes()));
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Issuer {
    pub fn generate(issuer: &str, audience: &str) -> Issuer {
        let key = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
        Issuer::with_key(key, issuer, audience)
    }

    pub fn from_pkcs8(der: &[u8], issuer: &str, audience: &str) -> Option<Issuer> {
        Some(Issuer::with_key(KeyPair::from_pkcs8(der).ok()?, issuer, audience))
    }

    fn with_key(key: KeyPair, issuer: &str, audience: &str) -> Issuer {
        let kid = hex(&Sha256::digest(key.public_key().as_ref()))[..16].to_owned();
        Issuer { key, issuer: issuer.to_owned(), audience: audience.to_owned(), kid }
    }

    pub fn pkcs8(&self) -> Vec<u8> {
        self.key.as_der().expect("PKCS#8 encoding").as_ref().to_vec()
    }

    /// The public key as a JWKS document (what Cognito publishes at `/.well-known/jwks.json`).
    pub fn jwks(&self) -> Value {
        let pk = self.key.public_key();
        json!({"keys": [{
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid,
            "n": B64.encode(pk.modulus().big_endian_without_leading_zero()),
            "e": B64.encode(pk.exponent().big_endian_without_leading_zero()),
        }]})
    }

    /// Signs arbitrary claims (tests use this for expired or foreign-audience tokens).
    pub fn mint(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": self.kid});
        let signing_input = format!("{}.{}", B64.encode(header.to_string()), B64.encode(claims.to_string()));
        let mut sig = vec![0; self.key.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.key.sign(&RSA_PKCS1_SHA256, &rng, signing_input.as_bytes(), &mut sig).expect("RSA signing");
        format!("{signing_input}.{}", B64.encode(sig))
    }

    /// An ID token for `email`, valid for `ttl_secs`.
    pub fn token_for(&self, email: &str, ttl_secs: i64) -> String {
        let now = chrono::Utc::now().timestamp();
        self.mint(&json!({
            "sub": sub_for_email(email), "email": email, "iss": self.issuer, "aud": self.audience,
            "token_use": "id", "iat": now, "nbf": now - 5, "exp": now + ttl_secs,
        }))
    }

    /// Verifies like the HTTP API JWT authorizer and returns the claims as strings.
    pub fn verify(&self, token: &str, now: i64) -> Result<HashMap<String, String>, Rejected> {
        let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(Rejected::Malformed);
        };
        let header: Value =
            B64.decode(h).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(Rejected::Malformed)?;
        if header["alg"] != "RS256" || header["kid"] != self.kid.as_str() {
            return Err(Rejected::Algorithm);
        }
        let sig = B64.decode(s).map_err(|_| Rejected::Malformed)?;
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, self.key.public_key().as_ref())
            .verify(format!("{h}.{c}").as_bytes(), &sig)
            .map_err(|_| Rejected::Signature)?;
        let claims: serde_json::Map<String, Value> =
            B64.decode(c).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(Rejected::Malformed)?;
        if claims.get("iss").and_then(Value::as_str) != Some(self.issuer.as_str()) {
            return Err(Rejected::Issuer);
        }
        let aud_ok = match claims.get("aud") {
            Some(Value::String(a)) => a == &self.audience,
            Some(Value::Array(a)) => a.iter().any(|x| x == self.audience.as_str()),
            _ => claims.get("client_id").and_then(Value::as_str) == Some(self.audience.as_str()),
        };
        if !aud_ok {
            return Err(Rejected::Audience);
        }
        match claims.get("exp").and_then(Value::as_i64) {
            Some(exp) if exp > now => {}
            _ => return Err(Rejected::Expired),
        }
        if claims.get("nbf").and_then(Value::as_i64).is_some_and(|nbf| nbf > now) {
            return Err(Rejected::NotYetValid);
        }
        Ok(claims.into_iter().map(|(k, v)| (k, claim_string(&v))).collect())
    }
}

/// API Gateway flattens claims to strings: arrays as `[a b]`.
fn claim_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(claim_string).collect::<Vec<_>>().join(" ")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_its_own_tokens_and_rejects_the_rest() {
        let a = Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE);
        let b = Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE);
        let now = chrono::Utc::now().timestamp();
        let t = a.token_for("Ann@Example.com", 60);
        let claims = a.verify(&format!("Bearer {t}"), now).unwrap();
        assert_eq!(claims["sub"], sub_for_email("ann@example.com"));
        assert_eq!(claims["email"], "Ann@Example.com");
        assert_eq!(b.verify(&t, now), Err(Rejected::Algorithm));
        assert_eq!(a.verify(&t, now + 3600), Err(Rejected::Expired));
        let other_aud = a.mint(&json!({"sub": "x", "iss": DEFAULT_ISSUER, "aud": "someone-else", "exp": now + 60}));
        assert_eq!(a.verify(&other_aud, now), Err(Rejected::Audience));
        let tampered = format!("{}x", &t[..t.len() - 1]);
        assert!(a.verify(&tampered, now).is_err());
        assert_eq!(a.verify("nonsense", now), Err(Rejected::Malformed));
    }

    #[test]
    fn keys_round_trip_through_pkcs8() {
        let a = Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE);
        let again = Issuer::from_pkcs8(&a.pkcs8(), DEFAULT_ISSUER, DEFAULT_AUDIENCE).unwrap();
        let now = chrono::Utc::now().timestamp();
        assert!(again.verify(&a.token_for("x@y.z", 60), now).is_ok());
    }
}

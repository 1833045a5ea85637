//! The local stand-in for the Cognito user pool and the HTTP API JWT authorizer: an RS256 key
//! that mints tokens, and verification with the authorizer's rules (signature, `iss`, `aud` or
//! `client_id`, `exp`, `nbf`), producing the string claims API Gateway passes to Lambda. The JWTs
//! are made and checked by `jsonwebtoken`, verifying against the JWKS the issuer publishes; the
//! key is generated (and kept in `.devstack/` as PKCS#8) with `aws-lc-rs`.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::engine::general_purpose::{STANDARD as B64_PEM, URL_SAFE_NO_PAD as B64};
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub const DEFAULT_ISSUER: &str = "http://127.0.0.1:3000/devstack-issuer";
pub const DEFAULT_AUDIENCE: &str = "portfolio-spa";

pub struct Issuer {
    key: KeyPair,
    signing: EncodingKey,
    verifying: DecodingKey,
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
        let pkcs8 = key.as_der().expect("PKCS#8 encoding");
        let pem =
            format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", B64_PEM.encode(pkcs8.as_ref()));
        let signing = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("an RSA private key");
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwk(&key, &kid)).expect("the issuer's JWK is a JWK");
        let verifying = DecodingKey::from_jwk(&jwk).expect("an RSA public JWK");
        Issuer { key, signing, verifying, issuer: issuer.to_owned(), audience: audience.to_owned(), kid }
    }

    pub fn pkcs8(&self) -> Vec<u8> {
        self.key.as_der().expect("PKCS#8 encoding").as_ref().to_vec()
    }

    /// The public key as a JWKS document (what Cognito publishes at `/.well-known/jwks.json`).
    pub fn jwks(&self) -> Value {
        json!({"keys": [jwk(&self.key, &self.kid)]})
    }

    /// Signs arbitrary claims (tests use this for expired or foreign-audience tokens).
    pub fn mint(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.signing).expect("RS256 signing")
    }

    /// An ID token for `email`, valid for `ttl_secs`.
    pub fn token_for(&self, email: &str, ttl_secs: i64) -> String {
        self.id_token(email, chrono::Utc::now().timestamp(), ttl_secs)
    }

    /// An ID token for `email` issued at `now` (what `token_for` mints at the current time).
    pub fn id_token(&self, email: &str, now: i64, ttl_secs: i64) -> String {
        self.mint(&json!({
            "sub": sub_for_email(email), "email": email, "iss": self.issuer, "aud": self.audience,
            "token_use": "id", "iat": now, "nbf": now - 5, "exp": now + ttl_secs,
        }))
    }

    /// A Cognito-shaped access token for `email` issued at `now`: the client in `client_id`, no
    /// `aud`, the granted `scope`, and `username` (the `sub`, as in a pool whose usernames are
    /// emails).
    pub fn access_token(&self, email: &str, scope: &str, now: i64, ttl_secs: i64) -> String {
        let sub = sub_for_email(email);
        self.mint(&json!({
            "sub": sub, "username": sub, "iss": self.issuer, "client_id": self.audience,
            "token_use": "access", "scope": scope, "iat": now, "exp": now + ttl_secs,
        }))
    }

    /// Verifies like the HTTP API JWT authorizer and returns the claims as strings: an RS256
    /// signature by this key (`kid`), this issuer, this audience (`aud`, or `client_id` as in
    /// Cognito access tokens), not expired and already valid at `now`.
    pub fn verify(&self, token: &str, now: i64) -> Result<HashMap<String, String>, Rejected> {
        let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
        let header = jsonwebtoken::decode_header(token).map_err(|_| Rejected::Malformed)?;
        if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(self.kid.as_str()) {
            return Err(Rejected::Algorithm);
        }
        let mut rules = Validation::new(Algorithm::RS256);
        rules.set_issuer(&[&self.issuer]);
        rules.set_required_spec_claims(&["iss"]);
        // The audience may be `client_id` instead, and the times are checked at `now` below.
        rules.validate_aud = false;
        rules.validate_exp = false;
        rules.validate_nbf = false;
        let claims = jsonwebtoken::decode::<serde_json::Map<String, Value>>(token, &self.verifying, &rules)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidSignature => Rejected::Signature,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => Rejected::Algorithm,
                ErrorKind::InvalidIssuer | ErrorKind::MissingRequiredClaim(_) => Rejected::Issuer,
                _ => Rejected::Malformed,
            })?
            .claims;
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

/// The public half of `key` as a JWK.
fn jwk(key: &KeyPair, kid: &str) -> Value {
    let pk = key.public_key();
    json!({
        "kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
        "n": B64.encode(pk.modulus().big_endian_without_leading_zero()),
        "e": B64.encode(pk.exponent().big_endian_without_leading_zero()),
    })
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
        // Claims edited after signing: a bad signature.
        let (head, rest) = t.split_once('.').unwrap();
        let sig = rest.rsplit_once('.').unwrap().1;
        let forged = B64
            .encode(json!({"sub": "x", "iss": DEFAULT_ISSUER, "aud": DEFAULT_AUDIENCE, "exp": now + 60}).to_string());
        assert_eq!(a.verify(&format!("{head}.{forged}.{sig}"), now), Err(Rejected::Signature));
        // Signed by another key under this key's id: a bad signature too.
        let b_as_a = Issuer { kid: a.kid.clone(), ..Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE) };
        assert_eq!(a.verify(&b_as_a.token_for("x@y.z", 60), now), Err(Rejected::Signature));
        // Unsigned (`alg: none`) and HMAC tokens are refused.
        let none = format!("{}.{}.", B64.encode(r#"{"alg":"none","kid":"k"}"#), forged);
        assert!(a.verify(&none, now).is_err());
        let hs =
            format!("{}.{}.{}", B64.encode(format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#, a.kid)), forged, sig);
        assert_eq!(a.verify(&hs, now), Err(Rejected::Algorithm));
        let claims = |extra: Value| {
            let mut c = json!({"sub": "x", "iss": DEFAULT_ISSUER, "aud": DEFAULT_AUDIENCE, "exp": now + 60});
            c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            c.as_object_mut().unwrap().retain(|_, v| !v.is_null());
            a.mint(&c)
        };
        assert_eq!(a.verify(&claims(json!({"iss": "https://elsewhere"})), now), Err(Rejected::Issuer));
        assert_eq!(a.verify(&claims(json!({"iss": null})), now), Err(Rejected::Issuer));
        assert_eq!(a.verify(&claims(json!({"exp": null})), now), Err(Rejected::Expired));
        assert_eq!(a.verify(&claims(json!({"exp": now})), now), Err(Rejected::Expired));
        assert_eq!(a.verify(&claims(json!({"nbf": now + 30})), now), Err(Rejected::NotYetValid));
        assert_eq!(
            a.verify(&claims(json!({"aud": ["other", DEFAULT_AUDIENCE]})), now).map(|c| c["aud"].clone()),
            Ok(format!("[other {DEFAULT_AUDIENCE}]"))
        );
        // Cognito access tokens name the client in `client_id` instead of `aud`.
        assert!(a.verify(&claims(json!({"aud": null, "client_id": DEFAULT_AUDIENCE})), now).is_ok());
        assert_eq!(a.verify(&claims(json!({"aud": null, "client_id": "other"})), now), Err(Rejected::Audience));
    }

    #[test]
    fn the_published_jwks_verifies_the_tokens() {
        let a = Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE);
        let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(a.jwks()).unwrap();
        let key = DecodingKey::from_jwk(jwks.find(&a.kid).unwrap()).unwrap();
        let mut rules = Validation::new(Algorithm::RS256);
        rules.set_audience(&[DEFAULT_AUDIENCE]);
        rules.set_issuer(&[DEFAULT_ISSUER]);
        let t = jsonwebtoken::decode::<Value>(&a.token_for("ann@example.com", 60), &key, &rules).unwrap();
        assert_eq!(t.claims["email"], "ann@example.com");
        assert_eq!(t.header.kid.as_deref(), Some(a.kid.as_str()));
    }

    #[test]
    fn keys_round_trip_through_pkcs8() {
        let a = Issuer::generate(DEFAULT_ISSUER, DEFAULT_AUDIENCE);
        let again = Issuer::from_pkcs8(&a.pkcs8(), DEFAULT_ISSUER, DEFAULT_AUDIENCE).unwrap();
        let now = chrono::Utc::now().timestamp();
        assert!(again.verify(&a.token_for("x@y.z", 60), now).is_ok());
    }
}

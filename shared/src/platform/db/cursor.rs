//! Opaque, signed paging cursors. A cursor carries DynamoDB's `LastEvaluatedKey` and is bound
//! to the list it came from (org + route), so it can neither be forged nor replayed elsewhere.

use super::Item;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], binding: &str, payload: &[u8]) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(binding.as_bytes());
    m.update(&[0]);
    m.update(payload);
    m
}

/// Seals a last-evaluated key (string attributes only: all our key attributes are strings).
pub fn seal(secret: &[u8], binding: &str, key: &Item) -> String {
    let plain: BTreeMap<&str, &str> =
        key.iter().filter_map(|(k, v)| v.as_s().ok().map(|s| (k.as_str(), s.as_str()))).collect();
    let payload = serde_json::to_vec(&plain).expect("maps of strings serialize");
    let tag = mac(secret, binding, &payload).finalize().into_bytes();
    format!("{}.{}", B64.encode(&payload), B64.encode(tag))
}

/// Opens a cursor sealed for the same `binding`; `None` when tampered with, foreign or garbage.
pub fn open(secret: &[u8], binding: &str, cursor: &str) -> Option<Item> {
    let (payload, tag) = cursor.split_once('.')?;
    let payload = B64.decode(payload).ok()?;
    let tag = B64.decode(tag).ok()?;
    mac(secret, binding, &payload).verify_slice(&tag).ok()?;
    let plain: BTreeMap<String, String> = serde_json::from_slice(&payload).ok()?;
    Some(plain.into_iter().map(|(k, v)| (k, AttributeValue::S(v))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Item {
        Item::from([
            ("PK".into(), AttributeValue::S("ORG#a".into())),
            ("SK".into(), AttributeValue::S("BLDG#x".into())),
        ])
    }

    #[test]
    fn round_trips_for_the_same_binding_only() {
        let c = seal(b"0123456789abcdef", "org_a GET /b", &key());
        assert_eq!(open(b"0123456789abcdef", "org_a GET /b", &c), Some(key()));
        assert_eq!(open(b"0123456789abcdef", "org_b GET /b", &c), None);
        assert_eq!(open(b"another-secret-xx", "org_a GET /b", &c), None);
    }

    #[test]
    fn rejects_tampered_or_garbage_cursors() {
        let c = seal(b"0123456789abcdef", "b", &key());
        let (p, t) = c.split_once('.').unwrap();
        let forged = format!("{}.{}", B64.encode(br#"{"PK":"ORG#evil","SK":"x"}"#), t);
        assert_eq!(open(b"0123456789abcdef", "b", &forged), None);
        assert_eq!(open(b"0123456789abcdef", "b", p), None);
        assert_eq!(open(b"0123456789abcdef", "b", "!!!"), None);
    }
}

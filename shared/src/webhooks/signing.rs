//! `Portfolio-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as receivers verify it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "Portfolio-Signature";
pub const EVENT_ID_HEADER: &str = "Portfolio-Event-Id";
pub const DELIVERY_ID_HEADER: &str = "Portfolio-Delivery-Id";

/// HMAC-SHA256 of `"<t>.<body>"` under `secret`: the scheme of `Portfolio-Signature` and of
/// Stripe's `Stripe-Signature` (`crate::integrations::stripe::signature`).
pub(crate) fn mac(secret: &str, t: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The header value for `body` signed at `t`.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let hex: String = mac(secret, t, body).finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

/// What a receiver does: parse the header, check the timestamp is within `tolerance_secs` of
/// `now`, and compare the HMAC in constant time.
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> bool {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => sigs.push(v.to_owned()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if now.saturating_sub(t).saturating_abs() > tolerance_secs {
        return false;
    }
    sigs.iter().any(|s| {
        let bytes: Option<Vec<u8>> =
            (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
        bytes.is_some_and(|b| mac(secret, t, body).verify_slice(&b).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_tampering_does_not() {
        let h = sign("whsec_test", 1_800_000_000, b"{\"a\":1}");
        assert!(h.starts_with("t=1800000000,v1="));
        assert!(verify("whsec_test", &h, b"{\"a\":1}", 1_800_000_010, 300));
        assert!(!verify("whsec_test", &h, b"{\"a\":2}", 1_800_000_010, 300), "tampered body");
        assert!(!verify("whsec_other", &h, b"{\"a\":1}", 1_800_000_010, 300), "other secret");
        assert!(!verify("whsec_test", &h, b"{\"a\":1}", 1_800_001_000, 300), "too old");
        assert!(!verify("whsec_test", "garbage", b"{\"a\":1}", 1_800_000_010, 300));
    }
}

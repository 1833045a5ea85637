//! `Stripe-Signature` on the webhooks Stripe sends (REFERENCE §A1, after stripe-go's
//! `webhook/client.go`): `t=<unix>,v1=<hex>,v1=<hex>,v0=…`, each `v1` an HMAC-SHA256 of
//! `"<t>.<raw body>"` under the endpoint's signing secret. Every `v1` is tried (Stripe sends two
//! while it rolls a secret), against every secret we hold (two while we roll ours); an invalid hex
//! `v1` is skipped and unknown schemes ignored; the comparison is constant-time. The raw bytes are
//! what is signed: verify before parsing, never a re-serialized body.

use crate::webhooks::signing;
use hmac::Mac;

pub const HEADER: &str = "Stripe-Signature";
/// Stripe's default tolerance (`DefaultTolerance = 300 * time.Second`).
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header")]
    NotSigned,
    #[error("the Stripe-Signature header has no timestamp or is malformed")]
    InvalidHeader,
    #[error("no signature in the header matches the body")]
    NoValidSignature,
    #[error("the signature's timestamp is outside the tolerance")]
    OutsideTolerance,
}

/// Verifies `payload` against `header` with any of `secrets`, at `now` (unix seconds). Answers the
/// signed timestamp. Timestamps more than `tolerance` seconds from `now` either way are refused
/// (stripe-go refuses only old ones; a timestamp far in the future is no more trustworthy).
pub fn verify(
    header: Option<&str>,
    payload: &[u8],
    secrets: &[&str],
    now: i64,
    tolerance: i64,
) -> Result<i64, SignatureError> {
    let header = header.map(str::trim).filter(|h| !h.is_empty()).ok_or(SignatureError::NotSigned)?;
    let mut t = None;
    let mut sigs: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else { return Err(SignatureError::InvalidHeader) };
        match k {
            "t" => t = Some(v.parse::<i64>().map_err(|_| SignatureError::InvalidHeader)?),
            "v1" => sigs.extend(hex(v)),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::InvalidHeader)?;
    if sigs.is_empty() {
        return Err(SignatureError::NoValidSignature);
    }
    if now.saturating_sub(t).saturating_abs() > tolerance {
        return Err(SignatureError::OutsideTolerance);
    }
    let ok =
        secrets.iter().any(|secret| sigs.iter().any(|sig| signing::mac(secret, t, payload).verify_slice(sig).is_ok()));
    if ok {
        Ok(t)
    } else {
        Err(SignatureError::NoValidSignature)
    }
}

/// Lower- or upper-case hex of a SHA-256 MAC (64 digits), or nothing.
fn hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"id":"evt_1","object":"event"}"#;
    const T: i64 = 1_733_529_600;
    // HMAC-SHA256("<T>.<BODY>") computed outside this code (Python's hmac), per secret.
    const SIG_TEST: &str = "74271104fd75d4ee325342d3a904a3a01ba183b956d5b346d772e2487a05c2cf";
    const SIG_NEW: &str = "8e65409db31f1da9e042b3949363eb1fcbeaad5292e1a33d257449cb12b08f02";

    fn check(header: &str, secrets: &[&str], now: i64) -> Result<i64, SignatureError> {
        verify(Some(header), BODY, secrets, now, TOLERANCE_SECS)
    }

    #[test]
    fn a_single_v1_verifies_and_answers_its_timestamp() {
        assert_eq!(check(&format!("t={T},v1={SIG_TEST}"), &["whsec_test_secret"], T + 10), Ok(T));
        assert_eq!(check(&format!("t={T},v1={}", SIG_TEST.to_uppercase()), &["whsec_test_secret"], T), Ok(T));
    }

    #[test]
    fn either_v1_of_a_rolled_secret_and_either_of_our_secrets_verifies() {
        // Stripe rolling its secret: two v1 values, the second under the new secret.
        let rolled = format!("t={T},v1={SIG_TEST},v1={SIG_NEW},v0=deadbeef");
        assert_eq!(check(&rolled, &["whsec_rotated_new"], T), Ok(T));
        // Us rolling ours: the old and the new secret configured.
        assert_eq!(check(&format!("t={T},v1={SIG_NEW}"), &["whsec_test_secret", "whsec_rotated_new"], T), Ok(T));
        // An invalid hex v1 is skipped, not fatal.
        assert_eq!(check(&format!("t={T},v1=zz,v1={SIG_TEST}"), &["whsec_test_secret"], T), Ok(T));
    }

    #[test]
    fn stale_future_forged_and_tampered_signatures_are_refused() {
        let good = format!("t={T},v1={SIG_TEST}");
        assert_eq!(check(&good, &["whsec_test_secret"], T + 301), Err(SignatureError::OutsideTolerance));
        assert_eq!(check(&good, &["whsec_test_secret"], T - 301), Err(SignatureError::OutsideTolerance));
        assert_eq!(check(&good, &["whsec_test_secret"], T + 300), Ok(T));
        assert_eq!(check(&good, &["whsec_wrong"], T), Err(SignatureError::NoValidSignature));
        assert_eq!(check(&good, &[], T), Err(SignatureError::NoValidSignature));
        let tampered = verify(Some(&good), br#"{"id":"evt_2","object":"event"}"#, &["whsec_test_secret"], T, 300);
        assert_eq!(tampered, Err(SignatureError::NoValidSignature));
        // The timestamp is signed: moving it breaks the signature.
        assert_eq!(
            check(&format!("t={},v1={SIG_TEST}", T + 1), &["whsec_test_secret"], T),
            Err(SignatureError::NoValidSignature)
        );
    }

    #[test]
    fn malformed_headers_are_told_apart() {
        let s = &["whsec_test_secret"];
        assert_eq!(verify(None, BODY, s, T, 300), Err(SignatureError::NotSigned));
        assert_eq!(verify(Some("  "), BODY, s, T, 300), Err(SignatureError::NotSigned));
        assert_eq!(check(&format!("v1={SIG_TEST}"), s, T), Err(SignatureError::InvalidHeader));
        assert_eq!(check(&format!("t=yesterday,v1={SIG_TEST}"), s, T), Err(SignatureError::InvalidHeader));
        assert_eq!(check("garbage", s, T), Err(SignatureError::InvalidHeader));
        assert_eq!(check(&format!("t={T},v0={SIG_TEST}"), s, T), Err(SignatureError::NoValidSignature));
        assert_eq!(check(&format!("t={T},v1={}", &SIG_TEST[..62]), s, T), Err(SignatureError::NoValidSignature));
    }
}

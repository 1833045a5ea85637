//! Where webhooks may go. In production only public addresses over https: a URL naming (or
//! resolving to) a private, loopback, link-local, shared or otherwise special address is refused,
//! and the connection goes to the address that was checked (no DNS rebinding between check and
//! connect). Local development may allow `http://127.0.0.1` / `localhost` explicitly.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("not a valid absolute URL")]
    Invalid,
    #[error("must use https")]
    NotHttps,
    #[error("must not carry credentials")]
    Credentials,
    #[error("resolves to a private, loopback or link-local address")]
    Private,
    #[error("the host does not resolve")]
    Unresolvable,
}

/// A public unicast address (not private, loopback, link-local, CGNAT, documentation, multicast…).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let seg0 = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg0 & 0xfe00) == 0xfc00 // unique local
                || (seg0 & 0xffc0) == 0xfe80 // link-local
                || seg0 == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
                || v6 == Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0))
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (64..128).contains(&o[1])) // CGNAT
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (18..20).contains(&o[1])) // benchmarking
        || o[0] >= 240)
}

fn is_local_host(host: &str) -> bool {
    host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1"
}

/// Checks a URL as registered (no DNS): https only (http only for localhost when local
/// development is allowed), no credentials, no literal private address in production.
pub fn check_url(raw: &str, allow_private: bool) -> Result<reqwest::Url, TargetError> {
    let url = reqwest::Url::parse(raw).map_err(|_| TargetError::Invalid)?;
    let host = url.host_str().ok_or(TargetError::Invalid)?.to_owned();
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_private && is_local_host(&host) => {}
        "http" => return Err(TargetError::NotHttps),
        _ => return Err(TargetError::Invalid),
    }
    if !allow_private {
        if is_local_host(&host) || host.ends_with(".localhost") || host.ends_with(".internal") {
            return Err(TargetError::Private);
        }
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            if !is_public(ip) {
                return Err(TargetError::Private);
            }
        }
    }
    Ok(url)
}

/// Resolves the URL's host and returns the address to connect to, refusing non-public ones
/// unless allowed.
pub async fn resolve(url: &reqwest::Url, allow_private: bool) -> Result<SocketAddr, TargetError> {
    let host = url.host_str().ok_or(TargetError::Invalid)?;
    let port = url.port_or_known_default().ok_or(TargetError::Invalid)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|_| TargetError::Unresolvable)?.collect();
    let first = *addrs.first().ok_or(TargetError::Unresolvable)?;
    if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(TargetError::Private);
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_private_targets_and_plain_http() {
        for bad in [
            "http://example.com/hook",
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://10.1.2.3/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://[fd00::1]/x",
            "https://[::ffff:10.0.0.1]/x",
            "https://100.64.0.1/x",
            "https://user:pw@example.com/x",
            "ftp://example.com/x",
            "not a url",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("https://hooks.example.com/portfolio", false).is_ok());
        assert!(check_url("https://93.184.216.34/x", false).is_ok());
    }

    #[test]
    fn local_development_may_use_http_to_localhost_only() {
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check_url("http://localhost:8080/hook", true).is_ok());
        assert_eq!(check_url("http://example.com/hook", true), Err(TargetError::NotHttps));
    }

    #[tokio::test]
    async fn resolution_is_checked_too() {
        let url = reqwest::Url::parse("http://localhost:9/x").unwrap();
        assert_eq!(resolve(&url, false).await, Err(TargetError::Private));
        assert!(resolve(&url, true).await.is_ok());
    }
}

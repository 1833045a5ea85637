//! Where webhooks may go. In production only public addresses over https: a URL naming (or
//! resolving to) a private, loopback, link-local, shared or otherwise special address is refused,
//! and the connection goes to the address that was checked (no DNS rebinding between check and
//! connect). Local development may allow loopback targets (`http://127.0.0.1`, `localhost`,
//! `[::1]`) explicitly, and nothing else that is not public.

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
/// IPv6 forms that embed or translate to an IPv4 address (mapped, IPv4-compatible, NAT64, 6to4,
/// Teredo) are refused whole: where they lead depends on gateways we do not control.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let seg = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80 // link-local
                || seg[0] == 0x2001 && seg[1] == 0x0db8 // documentation
                || seg[..6] == [0; 6] // ::/96, IPv4-compatible (deprecated) ::a.b.c.d
                || seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] // NAT64 64:ff9b::/96
                || seg[..3] == [0x64, 0xff9b, 0x1] // local-use NAT64 64:ff9b:1::/48
                || seg[0] == 0x2002 // 6to4 2002::/16
                || seg[..2] == [0x2001, 0]) // Teredo 2001::/32
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

/// Loopback only: 127.0.0.0/8 and ::1 (what local development may target).
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6 == Ipv6Addr::LOCALHOST,
    }
}

/// An address a webhook may go to: public, or loopback when local development allows it.
fn allowed(ip: IpAddr, allow_loopback: bool) -> bool {
    is_public(ip) || (allow_loopback && is_loopback(ip))
}

fn literal_ip(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

fn is_local_host(host: &str) -> bool {
    host == "localhost" || literal_ip(host).is_some_and(is_loopback)
}

/// Checks a URL as registered (no DNS): https only (http only to loopback when local development
/// allows it), no credentials, no literal address that is not public (loopback aside, when
/// allowed), no internal host names.
pub fn check_url(raw: &str, allow_loopback: bool) -> Result<reqwest::Url, TargetError> {
    let url = reqwest::Url::parse(raw).map_err(|_| TargetError::Invalid)?;
    let host = url.host_str().ok_or(TargetError::Invalid)?.to_owned();
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_loopback && is_local_host(&host) => {}
        "http" => return Err(TargetError::NotHttps),
        _ => return Err(TargetError::Invalid),
    }
    if let Some(ip) = literal_ip(&host) {
        if !allowed(ip, allow_loopback) {
            return Err(TargetError::Private);
        }
    } else if (host == "localhost" && !allow_loopback) || host.ends_with(".localhost") || host.ends_with(".internal") {
        return Err(TargetError::Private);
    }
    Ok(url)
}

/// Resolves the URL's host and returns the address to connect to, refusing the host if any of
/// its addresses is not public (loopback aside, when allowed).
pub async fn resolve(url: &reqwest::Url, allow_loopback: bool) -> Result<SocketAddr, TargetError> {
    let host = url.host_str().ok_or(TargetError::Invalid)?;
    let port = url.port_or_known_default().ok_or(TargetError::Invalid)?;
    resolve_host(host, port, allow_loopback).await
}

/// Checks a bare host as configured (no DNS; SFTP servers): no literal address that is not
/// public (loopback aside, when allowed), no internal host names.
pub fn check_host(host: &str, allow_loopback: bool) -> Result<(), TargetError> {
    if let Some(ip) = literal_ip(host) {
        return match allowed(ip, allow_loopback) {
            true => Ok(()),
            false => Err(TargetError::Private),
        };
    }
    if (host == "localhost" && !allow_loopback) || host.ends_with(".localhost") || host.ends_with(".internal") {
        return Err(TargetError::Private);
    }
    Ok(())
}

/// Resolves `host` and returns the address to connect to, refusing the host if any of its
/// addresses is not public (loopback aside, when allowed).
pub async fn resolve_host(host: &str, port: u16, allow_loopback: bool) -> Result<SocketAddr, TargetError> {
    check_host(host, allow_loopback)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|_| TargetError::Unresolvable)?.collect();
    let first = *addrs.first().ok_or(TargetError::Unresolvable)?;
    if addrs.iter().any(|a| !allowed(a.ip(), allow_loopback)) {
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
    fn sftp_hosts_follow_the_same_rules() {
        for bad in ["127.0.0.1", "localhost", "10.0.0.5", "169.254.169.254", "[::1]", "db.internal"] {
            assert_eq!(check_host(bad, false), Err(TargetError::Private), "{bad}");
        }
        assert!(check_host("sftp.example.com", false).is_ok());
        assert!(check_host("127.0.0.1", true).is_ok());
        assert_eq!(check_host("10.0.0.5", true), Err(TargetError::Private));
    }

    #[test]
    fn local_development_may_use_http_to_localhost_only() {
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check_url("http://127.1.2.3:8080/hook", true).is_ok());
        assert!(check_url("http://localhost:8080/hook", true).is_ok());
        assert!(check_url("http://[::1]:8080/hook", true).is_ok());
        assert_eq!(check_url("http://example.com/hook", true), Err(TargetError::NotHttps));
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_local_allowance_is_loopback_only_not_every_private_range() {
        for lo in ["127.0.0.1", "127.255.255.254", "::1"] {
            assert!(is_loopback(ip(lo)) && allowed(ip(lo), true) && !allowed(ip(lo), false), "{lo}");
        }
        for private in [
            "10.0.0.5",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
        ] {
            assert!(!allowed(ip(private), true), "{private} is not loopback");
        }
        for url in [
            "http://10.0.0.5/x",
            "https://10.0.0.5/x",
            "https://192.168.1.1/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/x",
            "https://[::ffff:10.0.0.1]/x",
            "https://metadata.internal/x",
            "https://foo.localhost/x",
        ] {
            assert!(check_url(url, true).is_err(), "{url} with the local allowance");
        }
        assert!(check_url("https://93.184.216.34/x", true).is_ok(), "public stays allowed");
    }

    #[test]
    fn nat64_is_refused_whole() {
        for a in ["64:ff9b::", "64:ff9b::808:808", "64:ff9b::a00:1", "64:ff9b::ffff:ffff", "64:ff9b:1::8.8.8.8"] {
            assert!(!is_public(ip(a)), "{a}");
            assert_eq!(check_url(&format!("https://[{a}]/x"), false), Err(TargetError::Private), "{a}");
        }
        assert!(is_public(ip("64:ff9c::1")), "just outside the prefix");
    }

    #[test]
    fn ipv4_compatible_addresses_are_refused_whole() {
        for a in ["::8.8.8.8", "::10.0.0.1", "::127.0.0.1", "::0.0.0.2", "::ffff"] {
            assert!(!is_public(ip(a)), "{a}");
            assert_eq!(check_url(&format!("https://[{a}]/x"), false), Err(TargetError::Private), "{a}");
        }
        assert!(!is_public(ip("::")) && !is_public(ip("::1")), "still refused as before");
        assert!(is_public(ip("2606:4700:4700::1111")), "a public IPv6 address stays public");
    }

    #[test]
    fn six_to_four_and_teredo_are_refused_whole() {
        for a in ["2002::", "2002:808:808::1", "2002:a00:1::", "2002:ffff:ffff:ffff::1", "2001:0:4136:e378::1"] {
            assert!(!is_public(ip(a)), "{a}");
            assert_eq!(check_url(&format!("https://[{a}]/x"), false), Err(TargetError::Private), "{a}");
        }
        assert!(is_public(ip("2003::1")) && is_public(ip("2001:4860:4860::8888")), "neighbours stay public");
    }

    #[tokio::test]
    async fn resolution_is_checked_too() {
        let url = reqwest::Url::parse("http://localhost:9/x").unwrap();
        assert_eq!(resolve(&url, false).await, Err(TargetError::Private));
        assert!(resolve(&url, true).await.is_ok());
        let private = reqwest::Url::parse("https://10.1.2.3/x").unwrap();
        assert_eq!(resolve(&private, true).await, Err(TargetError::Private), "loopback only");
    }
}

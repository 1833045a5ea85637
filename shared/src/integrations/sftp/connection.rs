//! The org's SFTP server (`PUT/GET/DELETE …/integrations/sftp`): host, port, user, a private key
//! (stored encrypted with KMS, never answered), the server's pinned host key, the directory to
//! watch and the kind of import its files are. One item, `ORG#o` / `INTEGRATION#sftp`, written
//! with `sftp.connected` (or `sftp.disconnected`) and an audit entry; the poll notes its last
//! outcome on it.

use super::client::fingerprint;
use super::events::{SftpConnected, SftpDisconnected};
use crate::core::audit::audit;
use crate::imports::model::ImportKind;
use crate::platform::ctx::Ctx;
use crate::platform::db::{keys, n, Expr, ItemBuilder, Tx};
use crate::platform::secrets::Secrets;
use crate::{Error, FieldError, Result};
use chrono::{DateTime, Utc};
use russh::keys::{PrivateKey, PublicKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const CONNECTION_ENTITY: &str = "SftpConnection";
/// Largest private key accepted (an RSA 4096 key in OpenSSH format is about 3.4 KB).
const MAX_KEY_BYTES: usize = 16 * 1024;

/// `PUT …/integrations/sftp`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutSftp {
    /// A host name or IP address (in production a public one).
    #[schema(example = "sftp.example-bank.com", min_length = 1, max_length = 253, pattern = r"^[A-Za-z0-9.:\[\]-]+$")]
    pub host: String,
    /// 22 when absent.
    #[schema(minimum = 1, maximum = 65535)]
    #[serde(default)]
    pub port: Option<u32>,
    #[schema(example = "portfolio", min_length = 1, max_length = 64)]
    pub username: String,
    /// The private key to log in with, in OpenSSH (or PEM) format, without a passphrase.
    /// Write-only: required the first time, kept when absent later.
    #[serde(default)]
    #[schema(max_length = 16384)]
    pub private_key: Option<String>,
    /// The server's public host key as OpenSSH prints it (`ssh-ed25519 AAAA…`, e.g. from
    /// `/etc/ssh/ssh_host_ed25519_key.pub`): any other key is refused.
    #[schema(example = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")]
    pub host_key: String,
    /// The directory whose new files are imported (absolute).
    #[schema(example = "/outgoing/rent", max_length = 512, pattern = "^/")]
    pub path: String,
    /// What the files are.
    pub kind: ImportKind,
}

/// The org's SFTP connection as stored (the private key encrypted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SftpRecord {
    pub host: String,
    pub port: u16,
    pub username: String,
    /// KMS ciphertext (base64), bound to the org.
    pub private_key: String,
    /// `<algorithm> <base64>`.
    pub host_key: String,
    pub path: String,
    pub kind: ImportKind,
    pub connected_at: DateTime<Utc>,
    pub connected_by: String,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_poll: Option<LastPoll>,
    #[serde(default)]
    pub v: i64,
}

/// How the last poll went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LastPoll {
    pub at: DateTime<Utc>,
    /// `ok` or `error`.
    pub status: String,
    /// Files picked up (each became an import).
    pub new_files: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The org's SFTP connection as the API shows it (never the private key).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SftpConnection {
    /// `connected`, or `not_connected` (then nothing else is set).
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_key: Option<String>,
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_key_fingerprint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ImportKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_poll: Option<LastPoll>,
}

impl SftpConnection {
    fn none() -> SftpConnection {
        SftpConnection {
            status: "not_connected".into(),
            host: None,
            port: None,
            username: None,
            host_key: None,
            host_key_fingerprint: None,
            path: None,
            kind: None,
            connected_at: None,
            updated_at: None,
            last_poll: None,
        }
    }

    fn of(r: SftpRecord) -> SftpConnection {
        let print = parse_host_key(&r.host_key).map(|k| fingerprint(&k));
        SftpConnection {
            status: "connected".into(),
            host: Some(r.host),
            port: Some(r.port),
            username: Some(r.username),
            host_key: Some(r.host_key),
            host_key_fingerprint: print,
            path: Some(r.path),
            kind: Some(r.kind),
            connected_at: Some(r.connected_at),
            updated_at: Some(r.updated_at),
            last_poll: r.last_poll,
        }
    }
}

/// An OpenSSH public key line (`<algorithm> <base64> [comment]`), or a known_hosts line
/// (`<host> <algorithm> <base64>`).
pub fn parse_host_key(line: &str) -> Option<PublicKey> {
    let line = line.trim();
    PublicKey::from_openssh(line).ok().or_else(|| {
        let (_, rest) = line.split_once(char::is_whitespace)?;
        PublicKey::from_openssh(rest.trim()).ok()
    })
}

/// The private key, refused when encrypted (we could not use it unattended) or unreadable.
pub fn parse_private_key(text: &str) -> std::result::Result<PrivateKey, &'static str> {
    match russh::keys::decode_secret_key(text.trim(), None) {
        Ok(k) if k.is_encrypted() => Err("must not be protected by a passphrase"),
        Ok(k) => Ok(k),
        Err(russh::keys::Error::KeyIsEncrypted) => Err("must not be protected by a passphrase"),
        Err(_) => Err("must be a private key in OpenSSH or PEM format"),
    }
}

fn valid_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    (1..=253).contains(&h.len())
        && (h.parse::<std::net::IpAddr>().is_ok()
            || h.split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            }))
}

impl crate::validation::Validate for PutSftp {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !valid_host(self.host.trim()) {
            e.push(FieldError::new("host", "must be a host name or an IP address"));
        }
        if self.port.is_some_and(|p| !(1..=65535).contains(&p)) {
            e.push(FieldError::new("port", "must be from 1 to 65535"));
        }
        let user = self.username.trim();
        if user.is_empty() || user.len() > 64 || user.chars().any(|c| c.is_whitespace() || c.is_control()) {
            e.push(FieldError::new("username", "must be 1 to 64 characters without spaces"));
        }
        match self.private_key.as_deref() {
            Some(k) if k.len() > MAX_KEY_BYTES => e.push(FieldError::new("privateKey", "must be at most 16 KiB")),
            Some(k) => {
                if let Err(why) = parse_private_key(k) {
                    e.push(FieldError::new("privateKey", why));
                }
            }
            None => {}
        }
        if parse_host_key(&self.host_key).is_none() {
            e.push(FieldError::new(
                "hostKey",
                "must be the server's public key as OpenSSH prints it (ssh-ed25519 AAAA…)",
            ));
        }
        let path = self.path.trim();
        if !path.starts_with('/') || path.len() > 512 || path.chars().any(char::is_control) {
            e.push(FieldError::new("path", "must be an absolute directory path (/…), at most 512 characters"));
        }
        e
    }
}

pub async fn record(cx: &Ctx<'_>) -> Result<Option<(SftpRecord, i64)>> {
    let got: Option<SftpRecord> = cx.db.get_as(&keys::sftp_connection(cx.scope)).await?;
    Ok(got.map(|r| {
        let v = r.v;
        (r, v)
    }))
}

pub async fn get_connection(cx: &Ctx<'_>) -> Result<SftpConnection> {
    Ok(record(cx).await?.map(|(r, _)| SftpConnection::of(r)).unwrap_or_else(SftpConnection::none))
}

/// The encryption context of the org's private key.
pub fn key_owner(cx: &Ctx<'_>) -> [(&'static str, String); 1] {
    [("org", cx.scope.org_id().to_string())]
}

/// Connects (or changes) the org's SFTP server. The host is checked as webhooks' are (no private
/// or loopback address in production); nothing is dialled until the next poll.
pub async fn put(cx: &Ctx<'_>, keys_kms: &Secrets, allow_loopback: bool, input: PutSftp) -> Result<SftpConnection> {
    let host = input.host.trim().to_owned();
    if let Err(e) = crate::ports::ssrf::check_host(&host, allow_loopback) {
        return Err(Error::invalid("host", e.to_string()));
    }
    let before = record(cx).await?;
    let owner = key_owner(cx);
    let owner: Vec<(&'static str, &str)> = owner.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let private_key = match (input.private_key.as_deref(), &before) {
        (Some(k), _) => keys_kms.encrypt(k.trim(), &owner).await.map_err(|e| Error::Upstream(e.to_string()))?,
        (None, Some((b, _))) => b.private_key.clone(),
        (None, None) => return Err(Error::invalid("privateKey", "is required to connect a server")),
    };
    let host_key = parse_host_key(&input.host_key).ok_or_else(|| Error::invalid("hostKey", "is not a public key"))?;
    let after = SftpRecord {
        host,
        port: input.port.map(|p| p as u16).unwrap_or(22),
        username: input.username.trim().to_owned(),
        private_key,
        host_key: host_key.to_openssh().map_err(|e| Error::invalid("hostKey", e.to_string()))?,
        path: input.path.trim().to_owned(),
        kind: input.kind,
        connected_at: before.as_ref().map(|(b, _)| b.connected_at).unwrap_or(cx.now),
        connected_by: before
            .as_ref()
            .map(|(b, _)| b.connected_by.clone())
            .unwrap_or_else(|| cx.scope.actor_id().into()),
        updated_at: cx.now,
        last_poll: None,
        v: before.as_ref().map(|(_, v)| v + 1).unwrap_or(1),
    };
    write(cx, before.as_ref(), &after, &fingerprint(&host_key)).await?;
    Ok(SftpConnection::of(after))
}

async fn write(cx: &Ctx<'_>, before: Option<&(SftpRecord, i64)>, after: &SftpRecord, print: &str) -> Result<()> {
    let mut tx = Tx::new();
    let item = ItemBuilder::new(CONNECTION_ENTITY, &keys::sftp_connection(cx.scope), after).version(after.v).build();
    let unchanged = match before {
        Some((_, v)) => Expr::new("#v = :v").name("#v", "v").value(":v", n(*v)),
        None => Expr::not_exists(),
    };
    tx.put(item, Some(unchanged));
    let shown = |r: &SftpRecord| serde_json::to_value(SftpConnection::of(r.clone())).ok();
    let old = before.and_then(|(b, _)| shown(b));
    audit(&mut tx, cx, "sftp.connected", ("sftp", "sftp"), old, shown(after));
    let event = SftpConnected {
        host: after.host.clone(),
        port: after.port,
        username: after.username.clone(),
        path: after.path.clone(),
        kind: after.kind.as_str().to_owned(),
        host_key_fingerprint: print.to_owned(),
    };
    crate::events::emit(&mut tx, cx.scope, &event);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the SFTP connection changed meanwhile; retry".into()),
        false => e.into(),
    })
}

/// Disconnects the server: no more polling; the imports it made, and what was seen, stay.
pub async fn delete(cx: &Ctx<'_>) -> Result<()> {
    let Some((before, v)) = record(cx).await? else { return Err(Error::NotFound("SFTP connection")) };
    let mut tx = Tx::new();
    tx.delete(keys::sftp_connection(cx.scope), Some(Expr::new("#v = :v").name("#v", "v").value(":v", n(v))));
    let shown = serde_json::to_value(SftpConnection::of(before.clone())).ok();
    audit(&mut tx, cx, "sftp.disconnected", ("sftp", "sftp"), shown, None);
    crate::events::emit(&mut tx, cx.scope, &SftpDisconnected { host: before.host });
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the SFTP connection changed meanwhile; retry".into()),
        false => e.into(),
    })
}

/// Notes how a poll went on the connection (if it is still there).
pub async fn note_poll(cx: &Ctx<'_>, poll: &LastPoll) -> Result<()> {
    let value = serde_dynamo::to_attribute_value(poll).expect("values serialize");
    let set = Expr::new("SET #p = :p").name("#p", "lastPoll").value(":p", value);
    let mut tx = Tx::new();
    tx.update(keys::sftp_connection(cx.scope), set, Some(Expr::exists()));
    match cx.db.transact(tx).await {
        Ok(()) => Ok(()),
        Err(e) if e.failed_conditions().is_some() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Validate;

    const HOST_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl root@sftp";

    fn input() -> PutSftp {
        PutSftp {
            host: "sftp.example.com".into(),
            port: None,
            username: "portfolio".into(),
            private_key: None,
            host_key: HOST_KEY.into(),
            path: "/outgoing".into(),
            kind: ImportKind::Payments,
        }
    }

    fn fields(i: &PutSftp) -> Vec<String> {
        i.validate().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_well_formed_connection_validates_and_its_host_key_has_a_fingerprint() {
        assert!(fields(&input()).is_empty());
        let key = parse_host_key(HOST_KEY).unwrap();
        assert!(fingerprint(&key).starts_with("SHA256:"));
        let known_hosts = format!("sftp.example.com {}", HOST_KEY.rsplit_once(' ').unwrap().0);
        assert_eq!(parse_host_key(&known_hosts).unwrap().key_data(), key.key_data());
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = PutSftp {
            host: "exa mple.com".into(),
            port: Some(70000),
            username: "has space".into(),
            private_key: Some("not a key".into()),
            host_key: "ssh-ed25519 nope".into(),
            path: "relative/dir".into(),
            kind: ImportKind::Units,
        };
        assert_eq!(fields(&bad), ["host", "port", "username", "privateKey", "hostKey", "path"]);
        for host in ["-bad.com", "a..b", "", "x".repeat(254).as_str()] {
            assert!(!valid_host(host), "{host:?}");
        }
        for host in ["127.0.0.1", "[::1]", "sftp-1.example.com", "localhost"] {
            assert!(valid_host(host), "{host:?}");
        }
    }
}

//! The SFTP port and its production adapter (SSH through `russh`, SFTP version 3 through
//! `russh-sftp`). The server must present exactly the pinned host key: the client offers only
//! the pinned key's algorithm, and any other key ends the handshake (`HostKeyMismatch`, naming
//! both fingerprints) before a credential is sent. It logs in with the org's private key, lists
//! one directory and reads files, each call bounded by the timeout. The tests run it against
//! Debian's OpenSSH `sshd` on 127.0.0.1.

use crate::ports::PortFuture;
use russh::client;
use russh::keys::{Algorithm, HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// Where to connect and as whom: the address is the one the SSRF check resolved.
pub struct Target<'a> {
    pub addr: SocketAddr,
    pub username: &'a str,
    pub private_key: &'a PrivateKey,
    pub host_key: &'a PublicKey,
}

/// A regular file of the listed directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub name: String,
    pub size: u64,
    /// Seconds since the epoch, when the server says.
    pub mtime: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SftpError {
    #[error("the server presented host key {presented}, not the pinned {pinned}: refused")]
    HostKeyMismatch { presented: String, pinned: String },
    #[error("the server refused the private key for user {0}")]
    Auth(String),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("SFTP: {0}")]
    Protocol(String),
    #[error("{0} is larger than {1} bytes")]
    TooLarge(String, u64),
    #[error("the server did not answer within {0} s")]
    Timeout(u64),
}

/// An open SFTP session.
pub trait SftpSession: Send {
    /// The regular files of `dir` (not directories, links or dot files).
    fn list<'a>(&'a mut self, dir: &'a str) -> PortFuture<'a, Result<Vec<RemoteFile>, SftpError>>;
    /// The whole file, refused past `max` bytes.
    fn read<'a>(&'a mut self, path: &'a str, max: u64) -> PortFuture<'a, Result<Vec<u8>, SftpError>>;
}

/// Opens sessions.
pub trait SftpApi: Send + Sync {
    fn open<'a>(&'a self, target: Target<'a>) -> PortFuture<'a, Result<Box<dyn SftpSession>, SftpError>>;
}

/// The SHA-256 fingerprint OpenSSH prints (`SHA256:…`).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The adapter: russh over TCP.
pub struct Russh {
    timeout: Duration,
}

impl Russh {
    pub fn new(timeout: Duration) -> Russh {
        Russh { timeout }
    }

    async fn bounded<T>(&self, f: impl std::future::Future<Output = Result<T, SftpError>>) -> Result<T, SftpError> {
        tokio::time::timeout(self.timeout, f).await.unwrap_or(Err(SftpError::Timeout(self.timeout.as_secs())))
    }

    async fn connect(&self, t: Target<'_>) -> Result<Box<dyn SftpSession>, SftpError> {
        let presented = Arc::new(Mutex::new(None));
        let handler = Pinned { pinned: t.host_key.clone(), presented: presented.clone() };
        let mut config = client::Config { inactivity_timeout: Some(self.timeout), ..Default::default() };
        config.preferred.key = std::borrow::Cow::Owned(host_key_algorithms(t.host_key));
        let mut session = match client::connect(Arc::new(config), t.addr, handler).await {
            Ok(s) => s,
            Err(e) => {
                let seen = presented.lock().map(|p| p.clone()).unwrap_or(None);
                return Err(match seen {
                    Some(p) if p != fingerprint(t.host_key) => {
                        SftpError::HostKeyMismatch { presented: p, pinned: fingerprint(t.host_key) }
                    }
                    _ => SftpError::Connect(e.to_string()),
                });
            }
        };
        let hash = session.best_supported_rsa_hash().await.map_err(|e| SftpError::Connect(e.to_string()))?.flatten();
        let key = PrivateKeyWithHashAlg::new(Arc::new(t.private_key.clone()), hash);
        let auth =
            session.authenticate_publickey(t.username, key).await.map_err(|e| SftpError::Connect(e.to_string()))?;
        if !auth.success() {
            return Err(SftpError::Auth(t.username.to_owned()));
        }
        let channel = session.channel_open_session().await.map_err(|e| SftpError::Protocol(e.to_string()))?;
        channel.request_subsystem(true, "sftp").await.map_err(|e| SftpError::Protocol(e.to_string()))?;
        let sftp = russh_sftp::client::SftpSession::new(channel.into_stream())
            .await
            .map_err(|e| SftpError::Protocol(e.to_string()))?;
        sftp.set_timeout(self.timeout.as_secs().max(1));
        Ok(Box::new(Open { sftp, _ssh: session, timeout: self.timeout }))
    }
}

/// The host key algorithms to offer: only the pinned key's (RSA keys sign with SHA-2).
fn host_key_algorithms(pinned: &PublicKey) -> Vec<Algorithm> {
    match pinned.algorithm() {
        Algorithm::Rsa { .. } => {
            vec![Algorithm::Rsa { hash: Some(HashAlg::Sha512) }, Algorithm::Rsa { hash: Some(HashAlg::Sha256) }]
        }
        other => vec![other],
    }
}

impl SftpApi for Russh {
    fn open<'a>(&'a self, target: Target<'a>) -> PortFuture<'a, Result<Box<dyn SftpSession>, SftpError>> {
        Box::pin(self.bounded(self.connect(target)))
    }
}

/// Accepts the pinned host key and nothing else, remembering what was presented.
struct Pinned {
    pinned: PublicKey,
    presented: Arc<Mutex<Option<String>>>,
}

impl client::Handler for Pinned {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            return Ok(false);
        };
        if let Ok(mut p) = self.presented.lock() {
            *p = Some(fingerprint(key));
        }
        Ok(key.key_data() == self.pinned.key_data())
    }
}

struct Open {
    sftp: russh_sftp::client::SftpSession,
    /// The SSH connection the SFTP channel runs on (kept open as long as the session).
    _ssh: client::Handle<Pinned>,
    timeout: Duration,
}

impl Open {
    async fn bounded<T>(&self, f: impl std::future::Future<Output = Result<T, SftpError>>) -> Result<T, SftpError> {
        tokio::time::timeout(self.timeout, f).await.unwrap_or(Err(SftpError::Timeout(self.timeout.as_secs())))
    }

    async fn list_dir(&self, dir: &str) -> Result<Vec<RemoteFile>, SftpError> {
        let entries = self.sftp.read_dir(dir).await.map_err(|e| SftpError::Protocol(format!("{dir}: {e}")))?;
        let mut files: Vec<RemoteFile> = entries
            .filter(|e| e.file_type().is_file() && !e.file_name().starts_with('.'))
            .map(|e| {
                let m = e.metadata();
                RemoteFile { name: e.file_name(), size: m.size.unwrap_or(0), mtime: m.mtime }
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }

    async fn read_file(&self, path: &str, max: u64) -> Result<Vec<u8>, SftpError> {
        let file = self.sftp.open(path).await.map_err(|e| SftpError::Protocol(format!("{path}: {e}")))?;
        let mut bytes = Vec::new();
        // One byte past the limit tells a file that grew beyond it.
        let read = file.take(max + 1).read_to_end(&mut bytes).await;
        read.map_err(|e| SftpError::Protocol(format!("{path}: {e}")))?;
        if bytes.len() as u64 > max {
            return Err(SftpError::TooLarge(path.to_owned(), max));
        }
        Ok(bytes)
    }
}

impl SftpSession for Open {
    fn list<'a>(&'a mut self, dir: &'a str) -> PortFuture<'a, Result<Vec<RemoteFile>, SftpError>> {
        Box::pin(async move { self.bounded(self.list_dir(dir)).await })
    }

    fn read<'a>(&'a mut self, path: &'a str, max: u64) -> PortFuture<'a, Result<Vec<u8>, SftpError>> {
        Box::pin(async move { self.bounded(self.read_file(path, max)).await })
    }
}

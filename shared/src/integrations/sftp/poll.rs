//! One org's SFTP poll (`job-sftp-poll`'s per-org run): connect to the org's server at the
//! address the SSRF rules allow, over the pinned host key only, list the directory, and pick up
//! each file not seen before.
//!
//! A file is known first by name, size and modification time (`SFTP_SEEN#…`, so seen files are
//! not downloaded again), then by the SHA-256 of its content (`SFTP_FILE#…`, so the same content
//! under another name is not imported twice). A new file's markers, its import and
//! `sftp.file_received` are one transaction; the file then goes to the import's `source.csv`,
//! whose arrival starts the import as an upload's does (validated, committed when it has no
//! errors). A file whose upload did not finish is uploaded again by the next run; a file still
//! being written (modified in the last minute) waits for the next run.
//!
//! Problems of the server (unreachable, a host key other than the pinned one, a refused key, a
//! missing directory) are noted on the connection (`lastPoll`) and not retried before the next
//! run; problems of ours (the table, KMS, S3) fail the run so its message is retried.

use super::client::{RemoteFile, SftpApi, SftpSession, Target};
use super::connection::{self, key_owner, parse_host_key, parse_private_key, LastPoll, SftpRecord};
use super::events::SftpFileReceived;
use crate::ids::{derived_ulid, ImportId};
use crate::imports::model::{CreateImport, MAX_SIZE_BYTES};
use crate::imports::service as imports;
use crate::platform::blob::Blob;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, Query, Tx};
use crate::platform::secrets::Secrets;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const SEEN_ENTITY: &str = "SftpSeenFile";
pub const FILE_ENTITY: &str = "SftpFile";
/// Most new files one run picks up; the rest wait for the next message.
pub const FILES_PER_RUN: u32 = 20;
/// A file modified this recently may still be being written: it waits for the next run.
const SETTLE_SECS: i64 = 60;

/// What a poll needs besides the table.
pub struct Deps<'a> {
    pub sftp: &'a dyn SftpApi,
    pub keys: &'a Secrets,
    pub imports: &'a Blob,
    /// Local development only: a server on 127.0.0.1 (the webhooks' setting).
    pub allow_loopback: bool,
}

/// A file seen on the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Seen {
    name: String,
    size_bytes: u64,
    #[serde(default)]
    mtime: Option<u32>,
    #[serde(default)]
    sha256: Option<String>,
    /// The import it became.
    #[serde(default)]
    import_id: Option<ImportId>,
    /// The import of the same content seen earlier (nothing imported).
    #[serde(default)]
    duplicate_of: Option<ImportId>,
    /// Why it was not imported (too large, empty).
    #[serde(default)]
    skipped: Option<String>,
    /// Whether the file reached the imports bucket.
    stored: bool,
    seen_at: DateTime<Utc>,
}

/// A content picked up.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Content {
    name: String,
    import_id: ImportId,
    at: DateTime<Utc>,
}

#[derive(Debug, Default)]
struct Picked {
    listed: u32,
    new: u32,
    complete: bool,
}

/// The org's poll: `{"connected": false}` without a server.
pub async fn run(cx: &Ctx<'_>, d: &Deps<'_>) -> Result<Value> {
    let Some((conn, _)) = connection::record(cx).await? else { return Ok(json!({"connected": false})) };
    let outcome = pick_up(cx, d, &conn).await?;
    let poll = LastPoll {
        at: cx.now,
        status: if outcome.is_ok() { "ok" } else { "error" }.into(),
        new_files: outcome.as_ref().map(|p| p.new).unwrap_or(0),
        error: outcome.as_ref().err().cloned(),
    };
    connection::note_poll(cx, &poll).await?;
    Ok(match outcome {
        Ok(p) => json!({"connected": true, "files": p.listed, "new": p.new, "complete": p.complete}),
        Err(e) => {
            tracing::warn!(host = conn.host, error = e, "SFTP poll failed; noted on the connection");
            json!({"connected": true, "error": e})
        }
    })
}

/// The run's work: Ok(Err(why)) is a problem of the server, noted and not retried.
async fn pick_up(cx: &Ctx<'_>, d: &Deps<'_>, conn: &SftpRecord) -> Result<std::result::Result<Picked, String>> {
    let addr = match crate::ports::ssrf::resolve_host(&conn.host, conn.port, d.allow_loopback).await {
        Ok(a) => a,
        Err(e) => return Ok(Err(format!("{}: {e}", conn.host))),
    };
    let owner = key_owner(cx);
    let owner: Vec<(&'static str, &str)> = owner.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let pem = d.keys.decrypt(&conn.private_key, &owner).await.map_err(|e| Error::Upstream(e.to_string()))?;
    let key = parse_private_key(&pem).map_err(|why| Error::Upstream(format!("the stored private key {why}")))?;
    let host_key = parse_host_key(&conn.host_key).ok_or_else(|| Error::Upstream("the pinned host key".into()))?;
    let target = Target { addr, username: &conn.username, private_key: &key, host_key: &host_key };
    let mut session = match d.sftp.open(target).await {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let files = match session.list(&conn.path).await {
        Ok(f) => f,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let seen = seen_all(cx).await?;
    let mut picked = Picked { listed: files.len() as u32, new: 0, complete: true };
    for f in files {
        let before = seen.get(&(f.name.clone(), f.size, f.mtime));
        if before.is_some_and(|s| s.stored) || settling(cx.now, &f) {
            continue;
        }
        if picked.new >= FILES_PER_RUN {
            picked.complete = false;
            break;
        }
        match fetch(cx, d, conn, session.as_mut(), &f, before).await? {
            Ok(true) => picked.new += 1,
            Ok(false) => {}
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(picked))
}

fn settling(now: DateTime<Utc>, f: &RemoteFile) -> bool {
    f.mtime.is_some_and(|t| now.timestamp() - i64::from(t) < SETTLE_SECS)
}

/// Every file seen so far, by (name, size, mtime).
async fn seen_all(cx: &Ctx<'_>) -> Result<HashMap<(String, u64, Option<u32>), Seen>> {
    let (pk, prefix) = keys::sftp_seen_all(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    let mut out = HashMap::new();
    for item in items {
        let s: Seen = db::from_item(item)?;
        out.insert((s.name.clone(), s.size_bytes, s.mtime), s);
    }
    Ok(out)
}

/// Downloads one file and takes it in: Ok(Ok(true)) when it became a new import.
async fn fetch(
    cx: &Ctx<'_>,
    d: &Deps<'_>,
    conn: &SftpRecord,
    session: &mut dyn SftpSession,
    f: &RemoteFile,
    before: Option<&Seen>,
) -> Result<std::result::Result<bool, String>> {
    if f.size == 0 || f.size > MAX_SIZE_BYTES {
        let why = if f.size == 0 { "empty".to_owned() } else { format!("larger than {MAX_SIZE_BYTES} bytes") };
        tracing::warn!(file = f.name, size = f.size, why, "SFTP file skipped");
        note_seen(cx, f, None, None, Some(why)).await?;
        return Ok(Ok(false));
    }
    let path = format!("{}/{}", conn.path.trim_end_matches('/'), f.name);
    let bytes = match session.read(&path, MAX_SIZE_BYTES).await {
        Ok(b) => b,
        Err(e) => return Ok(Err(e.to_string())),
    };
    // A file whose import was recorded but whose upload did not finish: upload it again.
    if let Some(id) = before.and_then(|s| s.import_id.clone()) {
        store(cx, d, f, &id, bytes).await?;
        return Ok(Ok(false));
    }
    take(cx, d, conn, f, bytes).await.map(Ok)
}

/// A new file's markers, import and event in one transaction, then its upload.
async fn take(cx: &Ctx<'_>, d: &Deps<'_>, conn: &SftpRecord, f: &RemoteFile, bytes: Vec<u8>) -> Result<bool> {
    let sha = sha256_hex(&bytes);
    let id = ImportId::from_ulid(derived_ulid(&["sftp", cx.scope.org_id().as_str(), &sha]));
    let input = CreateImport { kind: conn.kind, name: f.name.clone(), size_bytes: bytes.len() as u64, dry_run: false };
    let record = imports::new_record(cx, id.clone(), &input);
    let seen = Seen {
        name: f.name.clone(),
        size_bytes: f.size,
        mtime: f.mtime,
        sha256: Some(sha.clone()),
        import_id: Some(id.clone()),
        duplicate_of: None,
        skipped: None,
        stored: false,
        seen_at: cx.now,
    };
    let content = Content { name: f.name.clone(), import_id: id.clone(), at: cx.now };
    let mut tx = Tx::new();
    tx.put(seen_item(cx, &seen), Some(Expr::not_exists()));
    tx.put(ItemBuilder::new(FILE_ENTITY, &keys::sftp_file(cx.scope, &sha), &content).build(), Some(Expr::not_exists()));
    imports::stage(&mut tx, cx, &record);
    let received = SftpFileReceived {
        import_id: id.clone(),
        file_name: f.name.clone(),
        size_bytes: input.size_bytes,
        sha256: sha.clone(),
    };
    crate::events::emit(&mut tx, cx.scope, &received);
    match cx.db.transact(tx).await {
        Ok(()) => {}
        // The same content came before under another name or time: noted, not imported again.
        Err(e) if e.failed_conditions().is_some_and(|c| c.contains(&1)) => {
            let first: Option<Content> = cx.db.get_as(&keys::sftp_file(cx.scope, &sha)).await?;
            note_seen(cx, f, Some(sha), first.map(|c| c.import_id), None).await?;
            return Ok(false);
        }
        // Another run took this file meanwhile.
        Err(e) if e.failed_conditions().is_some_and(|c| c.contains(&0)) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    store(cx, d, f, &id, bytes).await?;
    Ok(true)
}

/// The file into its import's `source.csv` (which starts the import), then marked stored.
async fn store(cx: &Ctx<'_>, d: &Deps<'_>, f: &RemoteFile, id: &ImportId, bytes: Vec<u8>) -> Result<()> {
    let key = imports::source_key(cx, id);
    d.imports.put(&key, bytes, "text/csv").await.map_err(|e| Error::Upstream(e.to_string()))?;
    let set = Expr::new("SET #s = :t").name("#s", "stored").value(":t", AttributeValue::Bool(true));
    let mut tx = Tx::new();
    tx.update(keys::sftp_seen(cx.scope, &f.name, f.size, f.mtime), set, Some(Expr::exists()));
    Ok(cx.db.transact(tx).await?)
}

/// A file seen and not imported (a duplicate, or skipped).
async fn note_seen(
    cx: &Ctx<'_>,
    f: &RemoteFile,
    sha256: Option<String>,
    duplicate_of: Option<ImportId>,
    skipped: Option<String>,
) -> Result<()> {
    let seen = Seen {
        name: f.name.clone(),
        size_bytes: f.size,
        mtime: f.mtime,
        sha256,
        import_id: None,
        duplicate_of,
        skipped,
        stored: true,
        seen_at: cx.now,
    };
    let mut tx = Tx::new();
    tx.put(seen_item(cx, &seen), None);
    Ok(cx.db.transact(tx).await?)
}

fn seen_item(cx: &Ctx<'_>, s: &Seen) -> db::Item {
    ItemBuilder::new(SEEN_ENTITY, &keys::sftp_seen(cx.scope, &s.name, s.size_bytes, s.mtime), s).build()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_modified_in_the_last_minute_waits() {
        let now: DateTime<Utc> = "2027-03-01T12:00:00Z".parse().unwrap();
        let at = |secs_ago: i64| RemoteFile {
            name: "rent.csv".into(),
            size: 10,
            mtime: Some((now.timestamp() - secs_ago) as u32),
        };
        assert!(settling(now, &at(5)));
        assert!(!settling(now, &at(61)));
        assert!(!settling(now, &RemoteFile { name: "x".into(), size: 1, mtime: None }));
    }

    #[test]
    fn content_hashes_are_sha256_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

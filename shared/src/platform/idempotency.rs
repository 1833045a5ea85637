//! `Idempotency-Key` for writes that move money (Powertools-style records, 24 h): the same key
//! and body replays the stored response without a second write; the same key with another body
//! is refused (422). The response is stored *inside the write's own transaction*
//! (`Claim::complete_in`), so it exists exactly when the write happened. Two kinds of claim:
//! - `Claim::joined` (the API's money routes): no write before the work. The write's transaction
//!   puts the completed record under "the key is free"; a duplicate running at the same time
//!   loses that condition as a whole (`DbError::KeyTaken`, nothing of it is written) and answers
//!   the winner's response (`lookup`). A failed request leaves nothing to release.
//! - `begin` (work with an effect outside the table, which no transaction can undo): the key is
//!   claimed first; a duplicate while it runs gets `InFlight` (409); a failed request releases
//!   the claim, and an abandoned one lapses after `LOCK_SECS`.

use super::db::{from_item, keys, n, s, Db, DbError, Expr, ItemBuilder, Key, Tx};
use super::scope::OrgScope;
use sha2::{Digest, Sha256};

pub const ENTITY: &str = "IdempotencyRecord";
/// How long a key is remembered.
pub const RETENTION_SECS: i64 = 24 * 3600;
/// How long an unfinished claim blocks duplicates before it is considered abandoned (a crashed
/// invocation): longer than any function's timeout.
pub const LOCK_SECS: i64 = 60;

/// What to do with a request that carries an idempotency key.
#[derive(Debug)]
pub enum Begin {
    /// First time: do the work, then `complete_in` the same transaction.
    Proceed(Claim),
    /// Done before with the same body: answer this.
    Replay { status: u16, body: String },
    /// The same key is being processed right now.
    InFlight,
    /// The key was used with a different request body.
    Mismatch,
}

#[derive(Debug, Clone)]
pub struct Claim {
    key: Key,
    hash: String,
    /// Set for a `joined` claim: the instant its record is written at (nothing is stored yet).
    joined_at: Option<i64>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    request_hash: String,
    status: String,
    #[serde(default)]
    response_status: Option<u16>,
    #[serde(default)]
    response_body: Option<String>,
    expires_at: i64,
    locked_until: i64,
}

/// A valid key: 1–255 visible ASCII characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The hash a request is recognized by (its body; the route and org are in the record's key).
pub fn request_hash(body: &[u8]) -> String {
    Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect()
}

/// Claims `key` for `route` in the scope's org, or says why not.
pub async fn begin(db: &Db, scope: &OrgScope, route: &str, key: &str, hash: &str, now: i64) -> Result<Begin, DbError> {
    let item_key = keys::idempotency(scope, route, key);
    let record = Record {
        request_hash: hash.to_owned(),
        status: "in_progress".into(),
        response_status: None,
        response_body: None,
        expires_at: now + RETENTION_SECS,
        locked_until: now + LOCK_SECS,
    };
    let item = ItemBuilder::new(ENTITY, &item_key, &record).expires_at(now + RETENTION_SECS).build();
    // Free when never used, expired (TTL deletion lags), or an abandoned claim of the same body.
    let free = Expr::new(
        "attribute_not_exists(PK) OR expiresAt < :now OR (#st = :progress AND lockedUntil < :now AND requestHash = :hash)",
    )
    .name("#st", "status")
    .value(":now", n(now))
    .value(":progress", s("in_progress"))
    .value(":hash", s(hash));
    match db.put_if(item, free).await {
        Ok(()) => return Ok(Begin::Proceed(Claim { key: item_key, hash: hash.to_owned(), joined_at: None })),
        Err(DbError::ConditionFailed) => {}
        Err(e) => return Err(e),
    }
    existing(db, &item_key, hash).await
}

/// What the record at `key` says to a request with `hash`.
async fn existing(db: &Db, key: &Key, hash: &str) -> Result<Begin, DbError> {
    let Some(existing) = db.get(key).await? else {
        // Released (or expired and removed) since: the client may simply retry.
        return Ok(Begin::InFlight);
    };
    let r: Record = from_item(existing)?;
    Ok(if r.request_hash != hash {
        Begin::Mismatch
    } else if r.status == "completed" {
        Begin::Replay { status: r.response_status.unwrap_or(200), body: r.response_body.unwrap_or_default() }
    } else {
        Begin::InFlight
    })
}

/// What a request whose `joined` claim lost (`DbError::KeyTaken`) answers: the other
/// request's response (`Replay`), or `Mismatch` when it had another body.
pub async fn lookup(db: &Db, claim: &Claim) -> Result<Begin, DbError> {
    existing(db, &claim.key, &claim.hash).await
}

impl Claim {
    /// A claim on `key` for `route` that costs nothing now: the write completing it claims the
    /// key in its own transaction (see the module docs).
    pub fn joined(scope: &OrgScope, route: &str, key: &str, hash: &str, now: i64) -> Claim {
        Claim { key: keys::idempotency(scope, route, key), hash: hash.to_owned(), joined_at: Some(now) }
    }

    /// The hash of the request that claimed the key.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Stores the response in the same transaction as the write it answers.
    pub fn complete_in(&self, tx: &mut Tx, status: u16, body: &str) -> usize {
        if let Some(now) = self.joined_at {
            let record = Record {
                request_hash: self.hash.clone(),
                status: "completed".into(),
                response_status: Some(status),
                response_body: Some(body.to_owned()),
                expires_at: now + RETENTION_SECS,
                locked_until: now,
            };
            let item = ItemBuilder::new(ENTITY, &self.key, &record).expires_at(now + RETENTION_SECS).build();
            // Free when never used, or expired (TTL deletion lags).
            let free = Expr::new("attribute_not_exists(PK) OR expiresAt < :now").value(":now", n(now));
            return tx.claim_key(item, free);
        }
        let update =
            Expr::set([("status", s("completed")), ("responseStatus", n(status.into())), ("responseBody", s(body))]);
        let mine = Expr::new("requestHash = :hash AND #st = :progress")
            .name("#st", "status")
            .value(":hash", s(&self.hash))
            .value(":progress", s("in_progress"));
        tx.update(self.key.clone(), update, Some(mine))
    }

    /// Releases the claim after a failed request (the client may retry with the same key).
    pub async fn release(&self, db: &Db) -> Result<(), DbError> {
        let mine = Expr::new("requestHash = :hash AND #st = :progress")
            .name("#st", "status")
            .value(":hash", s(&self.hash))
            .value(":progress", s("in_progress"));
        match db.delete_if(&self.key, mine).await {
            Ok(()) | Err(DbError::ConditionFailed) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(valid_key("2f1c9a0e-6b1e-4f7e-9d2a-7c1b2a3d4e5f"));
        assert!(!valid_key("") && !valid_key("a b") && !valid_key(&"x".repeat(256)) && !valid_key("ключ"));
    }

    #[test]
    fn bodies_hash_stably() {
        assert_eq!(request_hash(b"{}"), request_hash(b"{}"));
        assert_ne!(request_hash(b"{\"a\":1}"), request_hash(b"{\"a\":2}"));
        assert_eq!(request_hash(b"").len(), 64);
    }
}

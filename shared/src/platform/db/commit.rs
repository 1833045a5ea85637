//! The one commit loop (ARCHITECTURE §2, "decide, then commit"): read what the write depends
//! on, let a pure decision turn it into one `TransactWriteItems` whose conditions keep that
//! decision true, and commit. A lost race (a condition that no longer holds, a transaction
//! conflict, throttling) means "read again and decide again", a bounded number of times with
//! jittered backoff, then the typed `DbError::Busy`. Two failures are never retried because
//! re-reading cannot change them: an item the decision meant to create already exists
//! (`DbError::AlreadyExists`, from an action added with `Tx::create`), and the caller's
//! membership no longer allows the write (`DbError::Revoked`, from the scope's guard).

use super::{Db, DbError, Tx};
use std::time::Duration;

/// What a decision asks of the loop.
#[must_use]
pub enum Decision<T> {
    /// Nothing to write: the state read already answers the request.
    Done(T),
    /// Commit these writes; the use case then answers `T`.
    Commit(Tx, T),
    /// Commit these writes, then read and decide again: a change too large for one transaction
    /// continues where this one stopped (each step leaves the store consistent on its own).
    Continue(Tx),
}

/// How many times the loop reads and decides before answering `Busy`, and how long it waits.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    /// The first wait; it doubles up to `max_wait`, each plus up to as much again of jitter.
    pub first_wait: Duration,
    pub max_wait: Duration,
    /// Bound on `Continue` steps, so a decision that never finishes cannot loop forever.
    pub max_steps: u32,
}

impl Retry {
    /// Contended writes on one lease's ledger: dozens of payments can race on the same charges.
    pub const CONTENDED: Retry = Retry {
        attempts: 80,
        first_wait: Duration::from_millis(2),
        max_wait: Duration::from_millis(40),
        max_steps: 1_000,
    };

    /// The wait before attempt `attempt + 1`: exponential, capped, with full jitter on top.
    pub fn wait(&self, attempt: u32, random: u64) -> Duration {
        let base = self.first_wait.saturating_mul(1u32 << attempt.min(16)).min(self.max_wait);
        let base_ms = base.as_millis().max(1) as u64;
        Duration::from_millis(base_ms + random % (base_ms + 1))
    }
}

impl Default for Retry {
    fn default() -> Self {
        Retry::CONTENDED
    }
}

/// Whether a failed commit is worth another read-and-decide.
fn retryable(e: &DbError) -> bool {
    match e {
        DbError::Canceled(_) => e.is_conflict() || e.failed_conditions().is_some(),
        DbError::ConditionFailed | DbError::Throttled => true,
        _ => false,
    }
}

impl Db {
    /// Runs read → decide → commit until the decision commits (see the module docs). `read`
    /// is called again after every lost race and after every `Continue`; `decide` must be a
    /// pure function of what was read.
    pub async fn commit_loop<S, T, E, R, F>(
        &self,
        retry: Retry,
        mut read: R,
        mut decide: impl FnMut(&S) -> Result<Decision<T>, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
        R: FnMut() -> F,
        F: std::future::Future<Output = Result<S, E>>,
    {
        let (mut attempt, mut steps) = (0u32, 0u32);
        loop {
            let state = read().await?;
            let (tx, answer) = match decide(&state)? {
                Decision::Done(out) => return Ok(out),
                Decision::Commit(tx, out) => (tx, Some(out)),
                Decision::Continue(tx) => (tx, None),
            };
            match self.transact(tx).await {
                Ok(()) => match answer {
                    Some(out) => return Ok(out),
                    None => {
                        steps += 1;
                        if steps >= retry.max_steps {
                            return Err(DbError::Busy.into());
                        }
                    }
                },
                Err(e) if retryable(&e) => {
                    attempt += 1;
                    if attempt >= retry.attempts {
                        return Err(DbError::Busy.into());
                    }
                    tokio::time::sleep(retry.wait(attempt, ulid::Ulid::new().random() as u64)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_then_cap_and_jitter_stays_within_the_base() {
        let r = Retry::CONTENDED;
        assert_eq!(r.wait(0, 0), Duration::from_millis(2));
        assert_eq!(r.wait(1, 0), Duration::from_millis(4));
        assert_eq!(r.wait(10, 0), Duration::from_millis(40));
        for random in [0, 1, 39, 40, 41, u64::MAX] {
            let w = r.wait(10, random);
            assert!(w >= Duration::from_millis(40) && w <= Duration::from_millis(80), "{w:?}");
        }
    }

    #[test]
    fn only_races_are_retried() {
        use super::super::CancelReason::*;
        assert!(retryable(&DbError::Canceled(vec![None, ConditionalCheckFailed])));
        assert!(retryable(&DbError::Canceled(vec![TransactionConflict])));
        assert!(retryable(&DbError::Throttled));
        assert!(!retryable(&DbError::AlreadyExists));
        assert!(!retryable(&DbError::Revoked));
        assert!(!retryable(&DbError::Invalid("bad".into())));
        assert!(!retryable(&DbError::Canceled(vec![Other("ValidationError".into())])));
    }
}

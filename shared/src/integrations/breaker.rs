//! A circuit breaker for calls to a provider (Stripe, Plaid): after `failures` consecutive
//! failures (errors, timeouts, 5xx, 429) it opens for `open_for` and refuses calls at once — the
//! API answers 503 with `Retry-After` instead of making a landlord wait on a provider that is down
//! — then half-opens: one trial call goes through; its success closes the breaker, its failure
//! opens it again. A 4xx answer is the provider working (our request was refused), so it counts as
//! a success.
//!
//! One breaker lives per provider client, that is per Lambda container (built once per cold start
//! with the client): each container learns of an outage from its own calls, which is what a
//! container can know without a round trip to the table on every call. The state machine is pure
//! over the `Instant`s it is given, so its tests need no clock.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When the breaker opens, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Consecutive failures that open it.
    pub failures: u32,
    /// How long it stays open before a trial call.
    pub open_for: Duration,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig { failures: 5, open_for: Duration::from_secs(30) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One trial call is out since `since` (a trial whose caller vanished is replaced after
    /// `open_for`).
    HalfOpen {
        since: Instant,
    },
}

/// The breaker refused the call: retry after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub retry_after: Duration,
}

impl Open {
    /// Whole seconds for `Retry-After` (at least 1).
    pub fn retry_after_secs(&self) -> u64 {
        let s = self.retry_after.as_secs() + u64::from(self.retry_after.subsec_nanos() > 0);
        s.max(1)
    }
}

/// Leave to make one call; hand it back with its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "record the call's outcome"]
pub struct Permit {
    trial: bool,
}

#[derive(Debug)]
pub struct Breaker {
    config: BreakerConfig,
    state: Mutex<State>,
}

impl Breaker {
    pub fn new(config: BreakerConfig) -> Breaker {
        Breaker { config, state: Mutex::new(State::Closed { failures: 0 }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value: a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// May a call go out at `now`?
    pub fn admit(&self, now: Instant) -> Result<Permit, Open> {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Ok(Permit { trial: false }),
            State::Open { until } if now < until => Err(Open { retry_after: until - now }),
            State::HalfOpen { since } if now < since + self.config.open_for => {
                Err(Open { retry_after: since + self.config.open_for - now })
            }
            State::Open { .. } | State::HalfOpen { .. } => {
                *state = State::HalfOpen { since: now };
                Ok(Permit { trial: true })
            }
        }
    }

    /// The call made under `permit` ended at `now`; `ok` unless it failed (see the module doc).
    pub fn record(&self, permit: Permit, ok: bool, now: Instant) {
        let mut state = self.lock();
        let open = State::Open { until: now + self.config.open_for };
        *state = match (*state, ok) {
            (_, true) if permit.trial => State::Closed { failures: 0 },
            (State::Closed { .. }, true) => State::Closed { failures: 0 },
            (_, false) if permit.trial => open,
            (State::Closed { failures }, false) if failures + 1 >= self.config.failures => open,
            (State::Closed { failures }, false) => State::Closed { failures: failures + 1 },
            // A call admitted before the breaker opened (or during someone else's trial) ends
            // late: the state others decided stands.
            (other, _) => other,
        };
    }

    /// Whether calls are refused at `now` (for status answers).
    pub fn is_open(&self, now: Instant) -> bool {
        match *self.lock() {
            State::Closed { .. } => false,
            State::Open { until } => now < until,
            State::HalfOpen { since } => now < since + self.config.open_for,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(30);

    fn breaker() -> (Breaker, Instant) {
        (Breaker::new(BreakerConfig { failures: 3, open_for: T }), Instant::now())
    }

    fn fail(b: &Breaker, at: Instant) {
        let p = b.admit(at).expect("admitted");
        b.record(p, false, at);
    }

    #[test]
    fn opens_after_n_consecutive_failures_and_refuses_until_t() {
        let (b, t0) = breaker();
        fail(&b, t0);
        fail(&b, t0);
        assert!(b.admit(t0).is_ok(), "two failures: still closed");
        fail(&b, t0);
        let refused = b.admit(t0 + Duration::from_secs(10)).expect_err("open");
        assert_eq!(refused.retry_after, Duration::from_secs(20));
        assert_eq!(refused.retry_after_secs(), 20);
        assert!(b.is_open(t0 + Duration::from_millis(29_999)));
    }

    #[test]
    fn a_success_resets_the_count() {
        let (b, t0) = breaker();
        fail(&b, t0);
        fail(&b, t0);
        let p = b.admit(t0).unwrap();
        b.record(p, true, t0);
        fail(&b, t0);
        fail(&b, t0);
        assert!(b.admit(t0).is_ok(), "the failures were not consecutive");
    }

    #[test]
    fn half_opens_with_one_trial_whose_outcome_decides() {
        let (b, t0) = breaker();
        (0..3).for_each(|_| fail(&b, t0));
        let after = t0 + T;
        let trial = b.admit(after).expect("one trial after T");
        assert!(b.admit(after).is_err(), "only one trial at a time");
        b.record(trial, false, after);
        assert_eq!(b.admit(after + Duration::from_secs(1)).unwrap_err().retry_after, Duration::from_secs(29));
        let again = b.admit(after + T).expect("the next trial");
        b.record(again, true, after + T);
        assert!(b.admit(after + T).is_ok() && b.admit(after + T).is_ok(), "closed: every call goes");
        assert!(!b.is_open(after + T));
    }

    #[test]
    fn a_vanished_trial_is_replaced_after_t() {
        let (b, t0) = breaker();
        (0..3).for_each(|_| fail(&b, t0));
        let _lost = b.admit(t0 + T).expect("trial");
        assert!(b.admit(t0 + T + Duration::from_secs(5)).is_err());
        assert!(b.admit(t0 + T + T).is_ok(), "a trial nobody reported on does not hold the breaker forever");
    }

    #[test]
    fn late_outcomes_of_calls_admitted_earlier_do_not_override() {
        let (b, t0) = breaker();
        let early = b.admit(t0).unwrap();
        (0..3).for_each(|_| fail(&b, t0));
        b.record(early, true, t0 + Duration::from_secs(1));
        assert!(b.admit(t0 + Duration::from_secs(2)).is_err(), "an old success does not close an open breaker");
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(Open { retry_after: Duration::from_millis(1500) }.retry_after_secs(), 2);
        assert_eq!(Open { retry_after: Duration::from_millis(1) }.retry_after_secs(), 1);
    }
}

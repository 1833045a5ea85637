//! The one reader of the wall clock. Everything else takes the time it was given: a use case
//! reads `Ctx::now`, set once where a request, message or job run enters the system, so a test
//! can run any use case at any instant (a late fee on day 6, a webhook give-up after 24 hours)
//! without back-dating what is stored.

use chrono::{DateTime, Utc};

/// Now, from the system clock.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

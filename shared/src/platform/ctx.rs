//! `Ctx`: what every use case runs with — the store, the org scope it acts in, and the instant
//! it acts at. Built once where work enters (an HTTP route, an outbox event, a job message) and
//! passed down by reference; it is `Copy`, so helpers take it by value or by reference alike.

use super::clock;
use super::db::Db;
use super::scope::OrgScope;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub db: &'a Db,
    pub scope: &'a OrgScope,
    /// The instant the work acts at: what it stamps on records and what "today" derives from.
    pub now: DateTime<Utc>,
}

impl<'a> Ctx<'a> {
    /// Acting now (from the clock).
    pub fn new(db: &'a Db, scope: &'a OrgScope) -> Ctx<'a> {
        Ctx { db, scope, now: clock::now() }
    }

    /// Acting at `now` (a job's run, a test's chosen day).
    pub fn at(db: &'a Db, scope: &'a OrgScope, now: DateTime<Utc>) -> Ctx<'a> {
        Ctx { db, scope, now }
    }

    /// The UTC date of `now`.
    pub fn today_utc(&self) -> NaiveDate {
        self.now.date_naive()
    }
}

//! Who is calling. The JWT itself is verified by the HTTP API's JWT authorizer (devstack does the
//! same locally); here the verified claims become a `Principal` (`platform::scope`) and a
//! membership lookup becomes an `OrgScope`.

use super::db::{from_item, keys, Db, DbError};
use super::scope::{permits, Action, OrgScope, Principal, Role};
use crate::ids::{OrgId, UserId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Not a member, or no such org: indistinguishable on purpose.
    #[error("organization not found")]
    NotFound,
    #[error("your role ({0}) does not allow this")]
    Forbidden(&'static str),
    #[error(transparent)]
    Store(#[from] DbError),
}

#[derive(serde::Deserialize)]
struct MemberRole {
    role: Role,
}

/// Membership lookups, cached briefly per warm function (a positive answer only: a new member
/// is never refused by a stale cache, and changes made here invalidate it at once).
pub struct Authorizer {
    db: Db,
    ttl: Duration,
    cache: Mutex<HashMap<(OrgId, UserId), (Role, Instant)>>,
}

impl Authorizer {
    pub fn new(db: Db, ttl: Duration) -> Authorizer {
        Authorizer { db, ttl, cache: Mutex::new(HashMap::new()) }
    }

    /// The caller's scope in `org` if they are a member whose role permits `action`.
    pub async fn scope(&self, principal: &Principal, org: &str, action: Action) -> Result<OrgScope, AuthError> {
        let org_id = OrgId::parse(org).ok_or(AuthError::NotFound)?;
        let role = self.role_of(&org_id, principal).await?.ok_or(AuthError::NotFound)?;
        if !permits(role, action) {
            return Err(AuthError::Forbidden(role.as_str()));
        }
        Ok(OrgScope::member(org_id, principal.clone(), role, action))
    }

    async fn role_of(&self, org_id: &OrgId, principal: &Principal) -> Result<Option<Role>, DbError> {
        let cache_key = (org_id.clone(), principal.user_id.clone());
        if let Some((role, at)) = self.cache.lock().ok().and_then(|c| c.get(&cache_key).copied()) {
            if at.elapsed() < self.ttl {
                return Ok(Some(role));
            }
        }
        let found = self.db.get(&keys::membership_lookup(org_id, principal)).await?;
        let role = found.map(from_item::<MemberRole>).transpose()?.map(|m| m.role);
        if let Ok(mut c) = self.cache.lock() {
            match role {
                Some(r) => {
                    c.insert(cache_key, (r, Instant::now()));
                }
                None => {
                    c.remove(&cache_key);
                }
            }
        }
        Ok(role)
    }

    /// Forget one cached membership (after this function changed it).
    pub fn invalidate(&self, org_id: &OrgId, user: &UserId) {
        if let Ok(mut c) = self.cache.lock() {
            c.remove(&(org_id.clone(), user.clone()));
        }
    }
}

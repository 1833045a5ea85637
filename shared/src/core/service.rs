//! Core's use cases, one file each (`orgs`, `members`, `audit`); this façade keeps callers'
//! paths. Each write is one transaction that carries its outbox event and, for member changes,
//! its audit entry.

pub use super::audit::{audit, list_audit, list_events, list_events_after};
pub use super::members::{add_member, list_members, remove_member, update_member};
pub use super::orgs::{create_org, get_org, me, org_from_item, org_today, orgs_page, update_org};

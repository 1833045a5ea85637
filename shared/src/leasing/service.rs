//! Leasing's use cases, one file each (`tenants`, `leases`, `terms`); this façade keeps callers'
//! paths. A tenant's email is reserved by a uniqueness item in the same transaction. A lease's
//! term is written onto its unit when it is activated, under a condition on the unit's terms
//! version: two overlapping activations can never both commit.

pub use super::leases::{
    billable_leases, create_lease, create_lease_as, find_lease, get_lease, get_lease_record, lease_from_item,
    lease_key, leases_by_id, list_leases, renew_lease, unit_lease_history, update_lease,
};
pub use super::tenants::{all_tenants, create_tenant, get_tenant, list_tenants, tenants_by_id, update_tenant};
pub use super::terms::{activate_lease, activate_lease_with, decide_activation, decide_end, end_lease, TermState};

//! The events of tenants and leases.

use crate::events::EventSpec;
use crate::ids::{BuildingId, LeaseId, TenantId, UnitId};
use crate::leasing::model::LeaseStatus;
use crate::money::MoneyDto;
use chrono::NaiveDate;

crate::domain_event! {
    /// A tenant was added.
    TenantCreated = "tenant.created", version 1, subject "tenant" by tenant_id {
        tenant_id: TenantId,
        first_name: String,
        last_name: String,
        email: String,
    }

    /// A tenant's name or contact details changed.
    TenantUpdated = "tenant.updated", version 1, subject "tenant" by tenant_id {
        tenant_id: TenantId,
        first_name: String,
        last_name: String,
        email: String,
    }

    /// A draft lease was created (a renewal creates one too).
    LeaseCreated = "lease.created", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        unit_id: UnitId,
        building_id: BuildingId,
        tenant_ids: Vec<TenantId>,
        status: LeaseStatus,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        move_out_date: Option<NaiveDate>,
        rent: MoneyDto,
        due_day: u8,
    }

    /// A lease's terms changed.
    LeaseUpdated = "lease.updated", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        unit_id: UnitId,
        building_id: BuildingId,
        tenant_ids: Vec<TenantId>,
        status: LeaseStatus,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        move_out_date: Option<NaiveDate>,
        rent: MoneyDto,
        due_day: u8,
    }

    /// A lease became active: rent runs bill it and its unit is occupied.
    LeaseActivated = "lease.activated", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        unit_id: UnitId,
        building_id: BuildingId,
        tenant_ids: Vec<TenantId>,
        status: LeaseStatus,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        move_out_date: Option<NaiveDate>,
        rent: MoneyDto,
        due_day: u8,
    }

    /// A lease ended (its move-out date is set).
    LeaseEnded = "lease.ended", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        unit_id: UnitId,
        building_id: BuildingId,
        tenant_ids: Vec<TenantId>,
        status: LeaseStatus,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        move_out_date: Option<NaiveDate>,
        rent: MoneyDto,
        due_day: u8,
    }

    /// A lease was renewed by a new draft lease (`renewedBy`) starting on `startDate`.
    LeaseRenewed = "lease.renewed", version 1, subject "lease" by lease_id {
        lease_id: LeaseId,
        renewed_by: LeaseId,
        start_date: NaiveDate,
    }

    /// Something on the obligations board falls due within the reminder lead (or is overdue):
    /// announced once per obligation and due date by `job-obligations`.
    ObligationDue = "obligation.due", version 1, subject "obligation" by key {
        /// `<kind>:<subject id>:<due date>`.
        key: String,
        kind: crate::documents::model::ObligationKind,
        name: String,
        subject_type: String,
        subject_id: String,
        due_on: NaiveDate,
        detail: Option<String>,
        /// Who it falls to (a task's assignee); absent: the owners.
        assignee_role: Option<crate::platform::scope::Role>,
        assignee_user_id: Option<String>,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<ObligationDue>(),
    EventSpec::of::<TenantCreated>(),
    EventSpec::of::<TenantUpdated>(),
    EventSpec::of::<LeaseCreated>(),
    EventSpec::of::<LeaseUpdated>(),
    EventSpec::of::<LeaseActivated>(),
    EventSpec::of::<LeaseEnded>(),
    EventSpec::of::<LeaseRenewed>(),
];

macro_rules! from_tenant {
    ($($t:ident),*) => {$(
        impl From<&super::model::Tenant> for $t {
            fn from(t: &super::model::Tenant) -> Self {
                $t {
                    tenant_id: t.id.clone(),
                    first_name: t.first_name.clone(),
                    last_name: t.last_name.clone(),
                    email: t.email.clone(),
                }
            }
        }
    )*};
}
from_tenant!(TenantCreated, TenantUpdated);

macro_rules! from_lease {
    ($($t:ident),*) => {$(
        impl From<&super::model::LeaseRecord> for $t {
            fn from(l: &super::model::LeaseRecord) -> Self {
                $t {
                    lease_id: l.id.clone(),
                    unit_id: l.unit_id.clone(),
                    building_id: l.building_id.clone(),
                    tenant_ids: l.tenant_ids.clone(),
                    status: l.status,
                    start_date: l.start_date,
                    end_date: l.end_date,
                    move_out_date: l.move_out_date,
                    rent: crate::money::Money::from(l.rent).into(),
                    due_day: l.due_day,
                }
            }
        }
    )*};
}
from_lease!(LeaseCreated, LeaseUpdated, LeaseActivated, LeaseEnded);

//! The ledger's use cases, by the names callers have always used: each lives in its own file
//! (`charges`, `voids`, `payments`, `deposits`, `settings`) as input → pure decision → one
//! commit through `platform::db`'s commit loop.

pub use super::charges::{create_charge, create_charge_as, is_existing_charge, list_charges};
pub use super::common::fx_for;
pub use super::deposits::settle_deposit;
pub use super::ledger::totals;
pub use super::payments::{
    apply_credit, clear_payment, list_payments, payment_id_for_key, record_payment, reverse_payment,
};
pub use super::settings::{get_settings, list_fx_rates, put_settings, record_fx_rates};
pub use super::store::{money_dto, open_charges_due_before, read_ledger};
pub use super::voids::{void_charge, void_charge_in};
pub use crate::core::service::{get_org, org_today};

use super::ledger::{self, Ledger};
use super::store;
use crate::platform::ctx::Ctx;
use crate::Result;
use chrono::NaiveDate;

/// A lease money can be recorded on (not a draft), and the currency it is billed in.
pub async fn billable(cx: &Ctx<'_>, lease_id: &str) -> Result<(crate::ids::LeaseId, crate::money::Currency)> {
    let (lease, _) = super::common::billable_lease(cx.db, cx.scope, lease_id).await?;
    Ok((lease.id, lease.rent.currency))
}

/// A lease's ledger as of a day (default today): every entry with running totals, and aging.
pub async fn get_ledger(cx: &Ctx<'_>, lease_id: &str, as_of: Option<NaiveDate>) -> Result<Ledger> {
    let lease = crate::leasing::service::get_lease_record(cx, lease_id).await?;
    let l = store::read_ledger(cx.db, cx.scope, &lease.id).await?;
    let as_of = as_of.unwrap_or_else(|| cx.now.date_naive());
    Ok(ledger::ledger(lease.id, lease.rent.currency, &l, as_of))
}

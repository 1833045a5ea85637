//! The org's billing settings (rent lead time, default late-fee policy, reminders) and the FX
//! rates that convert a lease's money into the org's base currency.

use super::events::{BillingSettingsUpdated, FxRatesRecorded};
use super::model::*;
use crate::money::Currency;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::{Error, Result};

/// The stored form (the item also carries its keys, which the strict input type refuses).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredSettings {
    #[serde(default)]
    rent_lead_days: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    late_fee_policy: Option<crate::leasing::model::LateFeePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rent_reminder_days: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bank_base_rates: Vec<BankBaseRate>,
}

pub async fn get_settings(cx: &Ctx<'_>) -> Result<BillingSettings> {
    let stored: Option<StoredSettings> = cx.db.get_as(&keys::billing_settings(cx.scope)).await?;
    Ok(stored.map_or_else(BillingSettings::default, |s| BillingSettings {
        rent_lead_days: s.rent_lead_days,
        late_fee_policy: s.late_fee_policy,
        rent_reminder_days: s.rent_reminder_days,
        bank_base_rates: s.bank_base_rates,
    }))
}

pub async fn put_settings(cx: &Ctx<'_>, input: BillingSettings) -> Result<BillingSettings> {
    let mut tx = Tx::new();
    let stored = StoredSettings {
        rent_lead_days: input.rent_lead_days,
        late_fee_policy: input.late_fee_policy.clone(),
        rent_reminder_days: input.rent_reminder_days,
        bank_base_rates: input.bank_base_rates.clone(),
    };
    tx.put(ItemBuilder::new(SETTINGS_ENTITY, &keys::billing_settings(cx.scope), &stored).build(), None);
    let updated = BillingSettingsUpdated {
        org_id: cx.scope.org_id().clone(),
        rent_lead_days: input.rent_lead_days,
        late_fee_policy: input.late_fee_policy.clone(),
        rent_reminder_days: input.rent_reminder_days,
        bank_base_rates: input.bank_base_rates.clone(),
    };
    crate::events::emit(&mut tx, cx.scope, &updated);
    cx.db.transact(tx).await?;
    Ok(input)
}

pub async fn record_fx_rates(cx: &Ctx<'_>, input: RecordFxRates) -> Result<Vec<FxRate>> {
    let org = crate::core::service::get_org(cx).await?;
    let mut tx = Tx::new();
    let mut out = Vec::new();
    for (i, r) in input.rates.iter().enumerate() {
        let currency =
            Currency::parse(&r.currency).ok_or_else(|| Error::invalid(format!("rates[{i}].currency"), "unknown"))?;
        if currency == org.base_currency {
            return Err(Error::invalid(format!("rates[{i}].currency"), "is the org's base currency"));
        }
        if out.iter().any(|o: &FxRate| o.currency == currency) {
            return Err(Error::invalid(format!("rates[{i}].currency"), "named twice"));
        }
        let rate = FxRate {
            currency,
            base_currency: org.base_currency,
            date: input.date,
            rate: r.rate.normalize(),
            recorded_at: cx.now,
        };
        tx.put(ItemBuilder::new(FX_ENTITY, &keys::fx_rate(cx.scope, currency.code(), input.date), &rate).build(), None);
        out.push(rate);
    }
    let recorded = FxRatesRecorded { org_id: cx.scope.org_id().clone(), date: input.date, rates: out.clone() };
    crate::events::emit(&mut tx, cx.scope, &recorded);
    cx.db.transact(tx).await?;
    Ok(out)
}

pub async fn list_fx_rates(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<FxRate>> {
    Ok(cx.db.page_of(Query::partition(db::Index::Primary, keys::fx_partition(cx.scope)), page).await?)
}

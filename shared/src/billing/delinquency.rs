//! Delinquency: open balances by lease, aged into `current`, `d1_30`, `d31_60`, `d61_90` and
//! `d90_plus` days past due: today from the sparse open-charges index (GSI2 `ORG#o#OPEN`, sorted
//! by due date; no scan), a past day from the leases' ledgers replayed to it (exact), and the
//! daily snapshots the job keeps for trends.

use super::ledger::{Aging, Buckets};
use super::model::*;
use crate::ids::{LeaseId, UnitId};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, ItemBuilder, PageOf, PageRequest, Query};
use crate::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeaseDelinquency {
    pub lease_id: LeaseId,
    pub unit_id: UnitId,
    pub currency: String,
    pub oldest_due_date: NaiveDate,
    pub aging: Aging,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyTotal {
    pub currency: String,
    pub aging: Aging,
}

/// `GET /delinquency?asOf=`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delinquency {
    pub as_of: NaiveDate,
    /// `live` (the open-charges index, today), `ledgers` (a past day, each lease's ledger replayed
    /// to it) or `snapshot` (stored by the daily job on that day).
    pub source: String,
    /// Leases with something past due or due, most overdue first.
    pub leases: Vec<LeaseDelinquency>,
    /// Per currency (amounts never mix currencies).
    pub totals: Vec<CurrencyTotal>,
    /// Everything open in the org's base currency, at the rates stored on the charges (charges
    /// without a rate are left out and counted in `unconvertedCharges`).
    pub base_total: Option<MoneyDto>,
    pub unconverted_charges: usize,
}

fn aging_json(b: &Buckets, c: Currency) -> Aging {
    b.dto(c)
}

/// Open amounts per lease and currency, aged, with the base-currency total at the charges'
/// stored rates.
#[derive(Default)]
struct Tally {
    leases: BTreeMap<LeaseId, (UnitId, Currency, NaiveDate, Buckets)>,
    totals: BTreeMap<Currency, Buckets>,
    base_minor: i64,
    unconverted: usize,
}

impl Tally {
    fn add(&mut self, c: &ChargeRecord, open: i64, (as_of, base): (NaiveDate, Currency)) {
        let days = (as_of - c.due_date).num_days();
        let cur = c.amount.currency;
        let e =
            self.leases.entry(c.lease_id.clone()).or_insert((c.unit_id.clone(), cur, c.due_date, Buckets::default()));
        e.2 = e.2.min(c.due_date);
        e.3.add(days, open);
        self.totals.entry(cur).or_default().add(days, open);
        match &c.fx {
            Some(fx) if fx.base_currency == base => {
                self.base_minor += Fx::convert(open, cur, fx.rate, fx.rate_date, base).map_or(0, |f| f.base_minor)
            }
            _ => self.unconverted += 1,
        }
    }

    fn answer(self, as_of: NaiveDate, base: Currency, source: &str) -> Delinquency {
        let mut rows: Vec<_> = self.leases.into_iter().collect();
        rows.sort_by(|a, b| a.1 .2.cmp(&b.1 .2).then(a.0.cmp(&b.0)));
        Delinquency {
            as_of,
            source: source.into(),
            leases: rows
                .into_iter()
                .map(|(lease_id, (unit_id, cur, oldest, b))| LeaseDelinquency {
                    lease_id,
                    unit_id,
                    currency: cur.code().to_owned(),
                    oldest_due_date: oldest,
                    aging: aging_json(&b, cur),
                })
                .collect(),
            totals: self
                .totals
                .into_iter()
                .map(|(c, b)| CurrencyTotal { currency: c.code().to_owned(), aging: aging_json(&b, c) })
                .collect(),
            base_total: Some(Money::new(self.base_minor, base).into()),
            unconverted_charges: self.unconverted,
        }
    }
}

/// Computes the org's delinquency as of `as_of` from what is open now.
pub async fn live(cx: &Ctx<'_>, base: Currency, as_of: NaiveDate) -> Result<Delinquency> {
    let next = as_of.succ_opt().unwrap_or(as_of);
    let open: Vec<ChargeRecord> = cx
        .db
        .query_all(Query::partition(db::Index::Gsi2, keys::open_charges(cx.scope)).before(next.to_string()))
        .await?
        .into_iter()
        .map(db::from_item::<ChargeRecord>)
        .collect::<Result<Vec<_>, _>>()?;
    let mut t = Tally::default();
    for c in open.iter().filter(|c| c.status == ChargeStatus::Open && c.open > 0) {
        t.add(c, c.open, (as_of, base));
    }
    Ok(t.answer(as_of, base, "live"))
}

/// The org's delinquency as it was on `as_of`, exactly: each lease's ledger replayed to that day
/// (what each charge due by then still owed then, whatever was recorded since, back-dated
/// payments included).
pub async fn from_ledgers(cx: &Ctx<'_>, base: Currency, as_of: NaiveDate) -> Result<Delinquency> {
    let leases = crate::leasing::service::billable_leases(cx).await?;
    let ids: Vec<&LeaseId> = leases.iter().filter(|l| l.start_date <= as_of).map(|l| &l.id).collect();
    let mut ledgers = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(8) {
        let reads: Vec<_> = chunk.iter().map(|id| super::store::read_ledger(cx.db, cx.scope, id)).collect();
        ledgers.extend(futures::future::try_join_all(reads).await?);
    }
    let mut t = Tally::default();
    for l in &ledgers {
        for (c, open) in super::ledger::open_on(l, as_of) {
            t.add(c, open, (as_of, base));
        }
    }
    Ok(t.answer(as_of, base, "ledgers"))
}

/// Today (or later) from the open-charges index; a past day from the ledgers, exactly (the
/// daily snapshots stay for trends: `/delinquency/snapshots`).
pub async fn delinquency(cx: &Ctx<'_>, as_of: Option<NaiveDate>) -> Result<Delinquency> {
    let org = super::service::get_org(cx).await?;
    let today = super::service::org_today(&org, cx.now);
    let as_of = as_of.unwrap_or(today);
    if as_of < today {
        return from_ledgers(cx, org.base_currency, as_of).await;
    }
    live(cx, org.base_currency, as_of).await
}

/// Stores today's snapshot (the daily job); re-running the same day overwrites it.
pub async fn snapshot(cx: &Ctx<'_>, day: Option<NaiveDate>) -> Result<Delinquency> {
    let org = super::service::get_org(cx).await?;
    let day = day.unwrap_or_else(|| super::service::org_today(&org, cx.now));
    let mut d = live(cx, org.base_currency, day).await?;
    d.source = "snapshot".into();
    let item = ItemBuilder::new(SNAPSHOT_ENTITY, &keys::delinquency_snapshot(cx.scope, day), &d)
        .expires_at(cx.now.timestamp() + 2 * 365 * 24 * 3600)
        .build();
    let mut tx = crate::platform::db::Tx::new();
    tx.put(item, None);
    cx.db.transact(tx).await?;
    Ok(d)
}

pub async fn list_snapshots(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Delinquency>> {
    Ok(cx
        .db
        .page_of(Query::partition(db::Index::Primary, keys::delinquency_snapshots(cx.scope)).descending(), page)
        .await?)
}

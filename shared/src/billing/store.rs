//! How ledger entries are written: item builders and the conditional counter updates that keep
//! the invariants in the store (a charge is never allocated beyond its amount, a payment never
//! beyond its amount), whatever runs concurrently.

use super::allocation::ChargeKind;
use super::ledger::LedgerItems;
use super::model::*;
use crate::ids::{AllocationId, ChargeId, LeaseId, PaymentId};
use crate::money::{Currency, Money, MoneyDto, StoredMoney};
use crate::platform::db::{self, keys, n, s, Db, Expr, ItemBuilder, Query, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

pub use super::model::ALLOCATIONS_PER_TX;

pub fn charge_item(scope: &OrgScope, c: &ChargeRecord) -> db::Item {
    let (g1pk, g1sk) = keys::charge_gsi1(scope, &c.id);
    let mut b = ItemBuilder::new(CHARGE_ENTITY, &keys::charge(scope, &c.lease_id, c.due_date, &c.id), c)
        .gsi1(g1pk, g1sk)
        .version(c.v);
    if c.status == ChargeStatus::Open && c.open > 0 {
        let (g2pk, g2sk) = keys::open_charge_gsi2(scope, c.due_date, &c.id);
        b = b.gsi2(g2pk, g2sk);
    }
    b.build()
}

pub fn payment_item(scope: &OrgScope, p: &PaymentRecord) -> db::Item {
    let (g1pk, g1sk) = keys::payment_gsi1(scope, &p.id);
    let (g2pk, g2sk) = keys::payment_gsi2(scope, p.received_on, &p.id);
    ItemBuilder::new(PAYMENT_ENTITY, &keys::payment(scope, &p.lease_id, p.received_on, &p.id), p)
        .gsi1(g1pk, g1sk)
        .gsi2(g2pk, g2sk)
        .version(p.v)
        .build()
}

pub fn allocation_item(scope: &OrgScope, a: &AllocationRecord) -> db::Item {
    let source = match (&a.payment_id, &a.credit_id) {
        (Some(p), _) => p.to_string(),
        (None, Some(c)) => c.to_string(),
        (None, None) => "DEPOSIT".to_owned(),
    };
    ItemBuilder::new(ALLOCATION_ENTITY, &keys::allocation(scope, &a.lease_id, &source, &a.id), a).build()
}

pub fn money_dto(minor: i64, c: Currency) -> MoneyDto {
    Money::new(minor, c).into()
}

/// The `charge.created` event data.
pub fn charge_event(c: &ChargeRecord) -> super::events::ChargeCreated {
    super::events::ChargeCreated {
        charge_id: c.id.clone(),
        lease_id: c.lease_id.clone(),
        kind: c.kind,
        amount: money_dto(c.amount.minor, c.amount.currency),
        due_date: c.due_date,
        source: c.source,
        period: c.period.clone(),
        fx: c.fx.clone(),
    }
}

/// The counter change of one charge inside a transaction (several allocations to one charge are
/// summed first: a transaction may touch an item once).
pub fn update_charge_open(tx: &mut Tx, scope: &OrgScope, c: &ChargeRecord, delta: i64) -> usize {
    let new_open = c.open + delta;
    let is_credit = c.kind == ChargeKind::Credit;
    let (status, indexed) = if is_credit {
        (if new_open < 0 { ChargeStatus::Open } else { ChargeStatus::Paid }, false)
    } else if new_open > 0 {
        (ChargeStatus::Open, true)
    } else {
        (ChargeStatus::Paid, false)
    };
    let mut expr = "SET #open = #open + :d, #st = :st, #v = #v + :one".to_owned();
    let mut e = Expr::default();
    if indexed {
        let (g2pk, g2sk) = keys::open_charge_gsi2(scope, c.due_date, &c.id);
        expr.push_str(", GSI2PK = :g2pk, GSI2SK = :g2sk");
        e = e.value(":g2pk", s(g2pk)).value(":g2sk", s(g2sk));
    } else {
        expr.push_str(" REMOVE GSI2PK, GSI2SK");
    }
    e.expr = expr;
    let e = e
        .name("#open", "open")
        .name("#st", "status")
        .name("#v", "v")
        .value(":d", n(delta))
        .value(":st", s(status_str(status)))
        .value(":one", n(1));
    // The read value must still be current, and the result must stay within the charge:
    // 0 ≤ open ≤ amount (a credit: amount ≤ open ≤ 0).
    let (lo, hi) = if is_credit { (c.amount.minor, 0) } else { (0, c.amount.minor) };
    assert!((lo..=hi).contains(&new_open), "counter plan out of range: {} {new_open}", c.id);
    let cond = Expr::new("#open = :old AND #st <> :void AND #amt.#minor = :amount")
        .name("#amt", "amount")
        .name("#minor", "minor")
        .value(":old", n(c.open))
        .value(":void", s("void"))
        .value(":amount", n(c.amount.minor));
    tx.update(keys::charge(scope, &c.lease_id, c.due_date, &c.id), e, Some(cond))
}

fn status_str(s: ChargeStatus) -> &'static str {
    match s {
        ChargeStatus::Open => "open",
        ChargeStatus::Paid => "paid",
        ChargeStatus::Void => "void",
    }
}

/// A payment's unapplied counter moves by `delta`, from the value read (0 ≤ result ≤ amount).
pub fn update_payment_unapplied(tx: &mut Tx, scope: &OrgScope, p: &PaymentRecord, delta: i64) -> usize {
    let new = p.unapplied + delta;
    assert!((0..=p.amount.minor).contains(&new), "payment counter plan out of range: {} {new}", p.id);
    let e = Expr::new("SET #u = #u + :d, #v = #v + :one")
        .name("#u", "unapplied")
        .name("#v", "v")
        .value(":d", n(delta))
        .value(":one", n(1));
    let cond = Expr::new("#u = :old AND #amt.#minor = :amount")
        .name("#amt", "amount")
        .name("#minor", "minor")
        .value(":old", n(p.unapplied))
        .value(":amount", n(p.amount.minor));
    tx.update(keys::payment(scope, &p.lease_id, p.received_on, &p.id), e, Some(cond))
}

/// Planned allocations and the counter changes they make, summed per item.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    pub allocations: Vec<AllocationRecord>,
    pub charge_deltas: BTreeMap<ChargeId, i64>,
    pub payment_deltas: BTreeMap<PaymentId, i64>,
    /// When the decision was made: the allocations' `createdAt`.
    pub now: DateTime<Utc>,
    /// The money allocations may draw on, by payment or credit id: its rate and what of it was
    /// unapplied before the plan (for the allocations' base amounts).
    funds: BTreeMap<String, Fund>,
}

/// Money a plan draws on (a payment, a credit, the deposit held), what of it is unapplied
/// (as the plan goes), and what it is worth in the base currency.
#[derive(Debug, Clone)]
struct Fund {
    worth: Worth,
    currency: Currency,
    unapplied: i64,
}

#[derive(Debug, Clone)]
enum Worth {
    /// At one rate (a payment's, a credit's).
    Rate(Fx),
    /// A share of a base amount (the deposit held, paid at its charges' rates): `base` for `of`.
    Share { of: i64, base: StoredMoney },
}

impl Fund {
    fn worth(&self, minor: i64) -> Option<StoredMoney> {
        match &self.worth {
            Worth::Rate(fx) => Some(StoredMoney { minor: fx.worth(minor, self.currency)?, currency: fx.base_currency }),
            Worth::Share { of, base } => {
                let whole = i128::from(*of);
                if whole == 0 {
                    return None;
                }
                // Rounded half away from zero, as rates are.
                let scaled = i128::from(base.minor) * i128::from(minor);
                let q = (scaled.abs() + whole.abs() / 2) / whole.abs() * scaled.signum() * whole.signum();
                Some(StoredMoney { minor: q as i64, currency: base.currency })
            }
        }
    }
}

/// The key of the deposit's fund.
const DEPOSIT_FUND: &str = "DEPOSIT";

impl Plan {
    pub fn at(now: DateTime<Utc>) -> Plan {
        Plan { now, ..Plan::default() }
    }

    /// A plan over a lease's ledger: its payments and credits as the money allocations draw on.
    pub fn over(now: DateTime<Utc>, l: &LedgerItems) -> Plan {
        let mut plan = Plan::at(now);
        l.payments.iter().for_each(|p| plan.fund_payment(p));
        l.charges.iter().filter(|c| c.kind == ChargeKind::Credit).for_each(|c| plan.fund_credit(c));
        plan
    }

    /// `p` as it is before the plan (a fresh payment: all of it unapplied).
    pub fn fund_payment(&mut self, p: &PaymentRecord) {
        if let Some(fx) = &p.fx {
            let fund = Fund { worth: Worth::Rate(fx.clone()), currency: p.amount.currency, unapplied: p.unapplied };
            self.funds.insert(p.id.to_string(), fund);
        }
    }

    /// The deposit held (`held`, worth `base`), which deposit allocations draw on.
    pub fn fund_deposit(&mut self, held: i64, currency: Currency, base: Option<StoredMoney>) {
        if let Some(base) = base {
            let fund = Fund { worth: Worth::Share { of: held, base }, currency, unapplied: held };
            self.funds.insert(DEPOSIT_FUND.to_owned(), fund);
        }
    }

    /// What the deposit not yet allocated by the plan is worth (what its refund takes out).
    pub fn deposit_left_worth(&self) -> Option<StoredMoney> {
        self.funds.get(DEPOSIT_FUND).and_then(|f| f.worth(f.unapplied))
    }

    /// The credit `c` as it is before the plan (its unapplied part is `-open`).
    pub fn fund_credit(&mut self, c: &ChargeRecord) {
        if let Some(fx) = &c.fx {
            let fund = Fund { worth: Worth::Rate(fx.clone()), currency: c.amount.currency, unapplied: -c.open };
            self.funds.insert(c.id.to_string(), fund);
        }
    }

    /// The base amount an allocation of `amount` moves: the worth of what was open before it
    /// minus the worth of what is open after (so the parts of a settled amount sum to its worth).
    fn moved(worth: impl Fn(i64) -> Option<StoredMoney>, open_before: i64, amount: i64) -> Option<StoredMoney> {
        let (before, after) = (worth(open_before)?, worth(open_before - amount)?);
        Some(StoredMoney { minor: before.minor - after.minor, currency: before.currency })
    }

    /// The base amounts an allocation of `amount` from `fund` to `charge` (as it was before the
    /// plan) moves; the fund's unapplied part goes down by it.
    fn bases(
        &mut self,
        fund: Option<&str>,
        charge: &ChargeRecord,
        amount: i64,
    ) -> (Option<StoredMoney>, Option<StoredMoney>) {
        let open = charge.open + self.charge_delta(&charge.id);
        let charge_base = charge.fx.as_ref().and_then(|fx| {
            let worth =
                |m: i64| Some(StoredMoney { minor: fx.worth(m, charge.amount.currency)?, currency: fx.base_currency });
            Plan::moved(worth, open, amount)
        });
        let money_base = fund.and_then(|id| self.funds.get_mut(id)).and_then(|f| {
            let moved = Plan::moved(|m| f.worth(m), f.unapplied, amount);
            f.unapplied -= amount;
            moved
        });
        (charge_base, money_base)
    }

    /// The net change the plan makes to one charge's open amount.
    pub fn charge_delta(&self, id: &ChargeId) -> i64 {
        self.charge_deltas.get(id).copied().unwrap_or(0)
    }

    /// The net change the plan makes to one payment's unapplied amount.
    pub fn payment_delta(&self, id: &PaymentId) -> i64 {
        self.payment_deltas.get(id).copied().unwrap_or(0)
    }

    pub fn allocate(
        &mut self,
        lease: &LeaseId,
        source: AllocationSource,
        from: Option<&str>,
        charge: &ChargeRecord,
        amount: i64,
        date: NaiveDate,
    ) {
        let fund = if source == AllocationSource::Deposit { Some(DEPOSIT_FUND) } else { from };
        let (charge_base, money_base) = self.bases(fund, charge, amount);
        let payment_id = (source == AllocationSource::Payment).then(|| from.and_then(PaymentId::parse)).flatten();
        let credit_id = (source == AllocationSource::Credit).then(|| from.and_then(ChargeId::parse)).flatten();
        if let Some(p) = &payment_id {
            *self.payment_deltas.entry(p.clone()).or_default() -= amount;
        }
        // A credit's open amount is negative: applying it moves it towards zero.
        if let Some(c) = &credit_id {
            *self.charge_deltas.entry(c.clone()).or_default() += amount;
        }
        *self.charge_deltas.entry(charge.id.clone()).or_default() -= amount;
        self.allocations.push(AllocationRecord {
            id: AllocationId::new(),
            lease_id: lease.clone(),
            source,
            payment_id,
            credit_id,
            charge_id: charge.id.clone(),
            amount: StoredMoney { minor: amount, currency: charge.amount.currency },
            date,
            reverses: None,
            created_at: self.now,
            charge_kind: Some(charge.kind),
            charge_base,
            money_base,
        });
    }

    /// Adds the plan to `tx`: allocations, then one counter update per charge and payment (the
    /// ones in `skip_charges` / `skip_payments` are written by the caller, e.g. a void).
    pub fn write(
        &self,
        tx: &mut Tx,
        scope: &OrgScope,
        ledger: &LedgerItems,
        fresh_payment: Option<&PaymentId>,
        skip_charges: &[&ChargeId],
    ) -> Result<()> {
        for a in &self.allocations {
            tx.put(allocation_item(scope, a), Some(Expr::not_exists()));
        }
        for (id, delta) in &self.charge_deltas {
            if *delta == 0 || skip_charges.contains(&id) {
                continue;
            }
            let c = ledger.charge(id).ok_or(Error::NotFound("charge"))?;
            update_charge_open(tx, scope, c, *delta);
        }
        for (id, delta) in &self.payment_deltas {
            if *delta == 0 || fresh_payment == Some(id) {
                continue;
            }
            let p = ledger.payments.iter().find(|p| &p.id == id).ok_or(Error::NotFound("payment"))?;
            update_payment_unapplied(tx, scope, p, *delta);
        }
        Ok(())
    }

    pub fn actions(&self) -> usize {
        self.allocations.len() + self.charge_deltas.len() + self.payment_deltas.len()
    }
}

/// The org's open charges due before `before` (`YYYY-MM-DD`, exclusive), from the open-charges
/// index.
pub async fn open_charges_due_before(db: &Db, scope: &OrgScope, before: &str) -> Result<Vec<ChargeRecord>> {
    let q = Query::partition(db::Index::Gsi2, keys::open_charges(scope)).before(before.to_owned());
    Ok(db.query_all(q).await?.into_iter().map(db::from_item::<ChargeRecord>).collect::<Result<Vec<_>, _>>()?)
}

/// A ledger partition's items sorted by entity, parties and bookkeeping items skipped (here, so
/// the ledger's pure code never decodes items).
pub fn ledger_from_items(items: Vec<db::Item>) -> Result<LedgerItems, db::DbError> {
    let mut l = LedgerItems::default();
    for item in items {
        let entity = match item.get("entity") {
            Some(aws_sdk_dynamodb::types::AttributeValue::S(e)) => e.clone(),
            _ => continue,
        };
        match entity.as_str() {
            CHARGE_ENTITY => l.charges.push(db::from_item(item)?),
            CHARGE_VOID_ENTITY => l.voids.push(db::from_item(item)?),
            PAYMENT_ENTITY => l.payments.push(db::from_item(item)?),
            PAYMENT_REVERSAL_ENTITY => l.reversals.push(db::from_item(item)?),
            PAYMENT_REFUND_ENTITY => l.refunds.push(db::from_item(item)?),
            ALLOCATION_ENTITY => l.allocations.push(db::from_item(item)?),
            SETTLEMENT_ENTITY => l.settlement = Some(db::from_item(item)?),
            _ => {}
        }
    }
    Ok(l)
}

/// Every item of a lease's ledger partition (one query).
pub async fn read_ledger(db: &Db, scope: &OrgScope, lease: &LeaseId) -> Result<LedgerItems> {
    let q = Query::partition(db::Index::Primary, keys::lease_partition(scope, lease)).consistent();
    let items = db.query_all(q).await?;
    Ok(ledger_from_items(items)?)
}

/// The lease a charge or payment belongs to, through its GSI1 pointer.
pub async fn lease_of(db: &Db, pk: String, what: &'static str) -> Result<LeaseId> {
    let page = db.query(Query::partition(db::Index::Gsi1, pk).limit(1)).await?;
    let item = page.items.into_iter().next().ok_or(Error::NotFound(what))?;
    match item.get("leaseId") {
        Some(aws_sdk_dynamodb::types::AttributeValue::S(l)) => LeaseId::parse(l).ok_or(Error::NotFound(what)),
        _ => Err(Error::NotFound(what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_the_deposit_is_worth_its_part_of_the_base_rounded_half_away_from_zero() {
        let usd = Currency::parse("USD").unwrap();
        let eur = Currency::parse("EUR").unwrap();
        let held = Fund {
            worth: Worth::Share { of: 200_000, base: StoredMoney { minor: 220_000, currency: usd } },
            currency: eur,
            unapplied: 200_000,
        };
        let minor = |m: i64| held.worth(m).map(|w| w.minor);
        assert_eq!((minor(170_000), minor(200_000), minor(0)), (Some(187_000), Some(220_000), Some(0)));
        assert_eq!((minor(5), minor(-5), minor(1)), (Some(6), Some(-6), Some(1)), "5.5 → 6, 1.1 → 1");
        let empty = Fund {
            unapplied: 0,
            worth: Worth::Share { of: 0, base: StoredMoney { minor: 0, currency: usd } },
            currency: eur,
        };
        assert_eq!(empty.worth(10), None, "nothing held is worth nothing to share");
    }
}

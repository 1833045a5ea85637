//! Use cases of the ledger: charges, payments (with allocation), voids, reversals, applying
//! credit, the ledger itself, deposits, FX rates and billing settings. Every write is one
//! transaction (or, for very large allocations, several that each leave the ledger consistent)
//! carrying its outbox event and, when the request had one, its idempotency record.

use super::allocation::{self, OpenCharge};
use super::ledger::{self, Ledger, LedgerItems};
use super::model::*;
use super::store::{self, backoff, charge_item, event, money_dto, payment_item, Plan, ALLOCATIONS_PER_TX, RETRIES};
use crate::core::model::Org;
use crate::ids::{ChargeId, LeaseId, PaymentId};
use crate::leasing::model::{LeaseRecord, LeaseStatus};
use crate::money::{Currency, MoneyDto, StoredMoney};
use crate::platform::auth::OrgScope;
use crate::platform::db::{self, keys, n, s, Db, DbError, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::idempotency::Claim;
use crate::{Error, FieldError, Result};
use chrono::{NaiveDate, Utc};
use serde_json::json;

// ------------------------------------------------------------------------------------- helpers

pub async fn get_org(db: &Db, scope: &OrgScope) -> Result<Org> {
    db.get_as(&keys::org(scope)).await?.ok_or(Error::NotFound("organization"))
}

/// Today in the org's time zone.
pub fn org_today(org: &Org) -> NaiveDate {
    let tz: chrono_tz::Tz = org.timezone.parse().unwrap_or(chrono_tz::UTC);
    Utc::now().with_timezone(&tz).date_naive()
}

async fn billable_lease(db: &Db, scope: &OrgScope, id: &str) -> Result<LeaseRecord> {
    let l = crate::leasing::service::get_lease_record(db, scope, id).await?;
    if l.status == LeaseStatus::Draft {
        return Err(Error::Conflict("the lease is a draft; activate it before recording money on it".into()));
    }
    Ok(l)
}

/// `dto` as minor units of the lease's currency (allocations never cross currencies).
fn in_currency(dto: &MoneyDto, field: &str, currency: Currency) -> Result<i64> {
    let m = dto.to_money(field).map_err(|e| Error::Invalid(vec![e]))?;
    if m.currency != currency {
        return Err(Error::invalid(format!("{field}.currency"), format!("the lease is billed in {currency}")));
    }
    Ok(m.minor)
}

fn open_charges(l: &LedgerItems, exclude: &[&ChargeId]) -> Vec<OpenCharge> {
    l.charges
        .iter()
        .filter(|c| c.status == ChargeStatus::Open && c.open > 0 && !exclude.contains(&&c.id))
        .map(|c| OpenCharge { id: c.id.to_string(), kind: c.kind, due: c.due_date, open: c.open })
        .collect()
}

fn alloc_error(e: allocation::AllocationError) -> Error {
    use allocation::AllocationError::*;
    let field = "allocate";
    match e {
        UnknownCharge(id) => Error::invalid(field, format!("charge {id} is not open on this lease")),
        other => Error::invalid(field, other.to_string()),
    }
}

fn explicit_requests(list: &[ExplicitAllocation], currency: Currency) -> Result<Vec<(String, i64)>> {
    list.iter()
        .enumerate()
        .map(|(i, a)| Ok((a.charge_id.clone(), in_currency(&a.amount, &format!("allocate[{i}].amount"), currency)?)))
        .collect()
}

/// The rate into the org's base currency on `date` (the latest recorded on or before it).
pub async fn fx_for(
    db: &Db,
    scope: &OrgScope,
    base: Currency,
    minor: i64,
    c: Currency,
    date: NaiveDate,
) -> Result<Option<Fx>> {
    if c == base {
        return Ok(Some(Fx::same_currency(c, minor, date)));
    }
    let next = date.succ_opt().unwrap_or(date);
    let page = db
        .query(
            Query::partition(db::Index::Primary, keys::fx_partition(scope))
                .before(format!("{c}#{next}"))
                .descending()
                .limit(1),
        )
        .await?;
    let Some(item) = page.items.into_iter().next() else { return Ok(None) };
    let rate: FxRate = db::from_item(item)?;
    Ok((rate.currency == c).then(|| Fx::convert(minor, c, rate.rate, rate.date, base)).flatten())
}

fn conflict_or(e: DbError) -> Error {
    if e.failed_conditions().is_some() || e.is_conflict() {
        Error::Conflict("the ledger changed concurrently; retry".into())
    } else {
        e.into()
    }
}

// ------------------------------------------------------------------------------------ settings

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
}

pub async fn get_settings(db: &Db, scope: &OrgScope) -> Result<BillingSettings> {
    let stored: Option<StoredSettings> = db.get_as(&keys::billing_settings(scope)).await?;
    Ok(stored.map_or_else(BillingSettings::default, |s| BillingSettings {
        rent_lead_days: s.rent_lead_days,
        late_fee_policy: s.late_fee_policy,
        rent_reminder_days: s.rent_reminder_days,
    }))
}

pub async fn put_settings(db: &Db, scope: &OrgScope, input: BillingSettings) -> Result<BillingSettings> {
    let mut tx = Tx::new();
    let stored = StoredSettings {
        rent_lead_days: input.rent_lead_days,
        late_fee_policy: input.late_fee_policy.clone(),
        rent_reminder_days: input.rent_reminder_days,
    };
    tx.put(ItemBuilder::new(SETTINGS_ENTITY, &keys::billing_settings(scope), &stored).build(), None);
    event(
        &mut tx,
        scope,
        "billing_settings.updated",
        ("org", scope.org_id().as_str()),
        serde_json::to_value(&input).unwrap_or_default(),
    );
    db.transact(tx).await?;
    Ok(input)
}

// ------------------------------------------------------------------------------------------- fx

pub async fn record_fx_rates(db: &Db, scope: &OrgScope, input: RecordFxRates) -> Result<Vec<FxRate>> {
    let org = get_org(db, scope).await?;
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
            recorded_at: Utc::now(),
        };
        tx.put(ItemBuilder::new(FX_ENTITY, &keys::fx_rate(scope, currency.code(), input.date), &rate).build(), None);
        out.push(rate);
    }
    event(
        &mut tx,
        scope,
        "fx_rates.recorded",
        ("org", scope.org_id().as_str()),
        json!({"date": input.date, "rates": out}),
    );
    db.transact(tx).await?;
    Ok(out)
}

pub async fn list_fx_rates(db: &Db, scope: &OrgScope, page: PageRequest) -> Result<PageOf<FxRate>> {
    Ok(db.page_of(Query::partition(db::Index::Primary, keys::fx_partition(scope)), page).await?)
}

// -------------------------------------------------------------------------------------- charges

/// Adds a charge to a lease. A credit is stored negative and applied at once to what is open,
/// oldest first; what it cannot cover stays on it as credit.
pub async fn create_charge(
    db: &Db,
    scope: &OrgScope,
    lease_id: &str,
    input: CreateCharge,
    claim: Option<&Claim>,
) -> Result<Charge> {
    create_charge_as(db, scope, lease_id, input, claim, ChargeId::new(), ChargeSource::Manual).await
}

/// Whether an error says the charge id is taken (a deterministic charge made before).
pub fn is_existing_charge(e: &Error) -> bool {
    matches!(e, Error::Conflict(m) if m == CHARGE_EXISTS)
}

const CHARGE_EXISTS: &str = "a charge with this id already exists";

/// As `create_charge`, with the id and source given (generated charges use deterministic ids;
/// a second attempt answers `is_existing_charge`).
pub async fn create_charge_as(
    db: &Db,
    scope: &OrgScope,
    lease_id: &str,
    input: CreateCharge,
    claim: Option<&Claim>,
    id: ChargeId,
    source: ChargeSource,
) -> Result<Charge> {
    let lease = billable_lease(db, scope, lease_id).await?;
    let currency = lease.rent.currency;
    let minor = in_currency(&input.amount, "amount", currency)?;
    let org = get_org(db, scope).await?;
    let signed = if input.kind == ChargeKind::Credit { -minor } else { minor };
    let fx = fx_for(db, scope, org.base_currency, signed, currency, input.due_date).await?;
    let c = ChargeRecord {
        id,
        lease_id: lease.id.clone(),
        unit_id: lease.unit_id.clone(),
        kind: input.kind,
        amount: StoredMoney { minor: signed, currency },
        due_date: input.due_date,
        memo: input.memo.map(|m| m.trim().to_owned()),
        source,
        period: None,
        fee_for: None,
        grace_days: None,
        open: signed,
        status: ChargeStatus::Open,
        fx,
        created_at: Utc::now(),
        voided_at: None,
        void_reason: None,
        v: 1,
    };
    for attempt in 0..RETRIES {
        let mut written = c.clone();
        let mut tx = Tx::new();
        let mut plan = Plan::default();
        if c.kind == ChargeKind::Credit {
            let l = store::read_ledger(db, scope, &lease.id).await?;
            // A credit lowers what is owed; it never counts as deposit paid (that is cash held).
            let deposits: Vec<&ChargeId> =
                l.charges.iter().filter(|c| c.kind == ChargeKind::Deposit).map(|c| &c.id).collect();
            let open = open_charges(&l, &deposits);
            for a in allocation::auto(minor, &open).into_iter().take(ALLOCATIONS_PER_TX) {
                let target = l.charge(&ChargeId::parse(&a.charge_id).expect("ids we stored")).expect("read");
                plan.allocate(
                    &lease.id,
                    AllocationSource::Credit,
                    Some(c.id.as_str()),
                    target,
                    a.amount,
                    c.due_date.max(target.due_date),
                );
            }
            written.open = signed + plan.charge_deltas.get(&c.id).copied().unwrap_or(0);
            if written.open == 0 {
                written.status = ChargeStatus::Paid;
            }
            plan.charge_deltas.remove(&c.id);
            plan.write(&mut tx, scope, &l, None, &[])?;
        }
        let put = tx.put(charge_item(scope, &written), Some(Expr::not_exists()));
        event(&mut tx, scope, "charge.created", ("charge", c.id.as_str()), store::charge_event(&written));
        if !plan.allocations.is_empty() {
            event(&mut tx, scope, "allocation.created", ("charge", c.id.as_str()), allocations_json(&plan));
        }
        let out = Charge::from(written);
        if let Some(claim) = claim {
            claim.complete_in(&mut tx, 201, &serde_json::to_string(&out).expect("serializes"));
        }
        match db.transact(tx).await {
            Ok(()) => return Ok(out),
            Err(e) if e.failed_conditions().is_some_and(|f| f.contains(&put)) => {
                return Err(Error::Conflict(CHARGE_EXISTS.into()))
            }
            Err(e) if c.kind == ChargeKind::Credit && (e.failed_conditions().is_some() || e.is_conflict()) => {
                backoff(attempt).await
            }
            Err(e) => return Err(conflict_or(e)),
        }
    }
    Err(Error::Conflict("the ledger is changing concurrently; retry".into()))
}

fn allocations_json(plan: &Plan) -> serde_json::Value {
    json!(plan
        .allocations
        .iter()
        .map(|a| json!({"allocationId": a.id, "chargeId": a.charge_id, "paymentId": a.payment_id, "creditId": a.credit_id,
            "amount": money_dto(a.amount.minor, a.amount.currency), "date": a.date}))
        .collect::<Vec<_>>())
}

pub async fn list_charges(db: &Db, scope: &OrgScope, lease_id: &str, page: PageRequest) -> Result<PageOf<Charge>> {
    let lease = crate::leasing::service::get_lease_record(db, scope, lease_id).await?;
    let q = Query::partition(db::Index::Primary, keys::lease_partition(scope, &lease.id)).begins_with("CHG#");
    let p: PageOf<ChargeRecord> = db.page_of(q, page).await?;
    Ok(PageOf { items: p.items.into_iter().map(Charge::from).collect(), last_key: p.last_key })
}

/// Voids a charge: a reversing entry dated the later of today and its due date; whatever had
/// been allocated to it goes back to the payments (as unapplied credit), credits or deposit it
/// came from. The charge stays in history.
pub async fn void_charge(db: &Db, scope: &OrgScope, charge_id: &str, input: VoidCharge) -> Result<Charge> {
    let id = ChargeId::parse(charge_id).ok_or(Error::NotFound("charge"))?;
    let (g1pk, _) = keys::charge_gsi1(scope, &id);
    let lease_id = store::lease_of(db, g1pk, "charge").await?;
    void_charge_in(db, scope, &lease_id, &id, input, None).await
}

/// Voids a charge of a known lease; `on` dates the reversing entry (default: the later of
/// today and the due date).
pub async fn void_charge_in(
    db: &Db,
    scope: &OrgScope,
    lease_id: &LeaseId,
    id: &ChargeId,
    input: VoidCharge,
    on: Option<NaiveDate>,
) -> Result<Charge> {
    let lease_id = lease_id.clone();
    let id = id.clone();
    let today = on.unwrap_or_else(|| Utc::now().date_naive());
    for attempt in 0..RETRIES {
        let l = store::read_ledger(db, scope, &lease_id).await?;
        let c = l.charge(&id).ok_or(Error::NotFound("charge"))?.clone();
        if c.status == ChargeStatus::Void {
            return Err(Error::Conflict("the charge is already void".into()));
        }
        let date = today.max(c.due_date);
        let deposit_paid = l.allocations.iter().any(|a| a.charge_id == c.id && a.source == AllocationSource::Deposit);
        if deposit_paid && l.settlement.is_some() {
            return Err(Error::Conflict(
                "the deposit that paid this charge is settled; record a credit instead".into(),
            ));
        }
        let mut tx = Tx::new();
        let plan = release_allocations(&l, &c, date);
        if plan.allocations.len() > ALLOCATIONS_PER_TX {
            return Err(Error::Conflict(
                "the charge has too many allocations to void at once; reverse some payments first".into(),
            ));
        }
        plan.write(&mut tx, scope, &l, None, &[&c.id])?;
        write_void(&mut tx, scope, &c, date, input.reason.clone());
        let mut out = c.clone();
        out.status = ChargeStatus::Void;
        out.open = 0;
        out.voided_at = Some(Utc::now());
        out.void_reason = input.reason.clone();
        match db.transact(tx).await {
            Ok(()) => return Ok(out.into()),
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Conflict("the ledger is changing concurrently; retry".into()))
}

/// Reversing allocations for everything still allocated to `c`, per source.
fn release_allocations(l: &LedgerItems, c: &ChargeRecord, date: NaiveDate) -> Plan {
    let mut net: std::collections::BTreeMap<(u8, String), i64> = Default::default();
    for a in l.allocations.iter().filter(|a| a.charge_id == c.id) {
        let key = match (a.source, &a.payment_id, &a.credit_id) {
            (AllocationSource::Payment, Some(p), _) => (0, p.to_string()),
            (AllocationSource::Credit, _, Some(cr)) => (1, cr.to_string()),
            _ => (2, String::new()),
        };
        *net.entry(key).or_default() += a.amount.minor;
    }
    let mut plan = Plan::default();
    for ((kind, from), amount) in net {
        if amount == 0 {
            continue;
        }
        let source = [AllocationSource::Payment, AllocationSource::Credit, AllocationSource::Deposit][kind as usize];
        let from = (!from.is_empty()).then_some(from.as_str());
        plan.allocate(&c.lease_id, source, from, c, -amount, date);
    }
    // A voided credit no longer pays anything: the charges it paid are open again.
    if c.kind == ChargeKind::Credit {
        let mut paid: std::collections::BTreeMap<&ChargeId, i64> = Default::default();
        for a in l.allocations.iter().filter(|a| a.credit_id.as_ref() == Some(&c.id)) {
            *paid.entry(&a.charge_id).or_default() += a.amount.minor;
        }
        for (target, amount) in paid.into_iter().filter(|(_, a)| *a != 0) {
            if let Some(t) = l.charge(target).filter(|t| t.status != ChargeStatus::Void) {
                plan.allocate(&c.lease_id, AllocationSource::Credit, Some(c.id.as_str()), t, -amount, date);
            }
        }
    }
    plan
}

/// The charge becomes void (open 0, out of the open index) and its reversing entry is written.
fn write_void(tx: &mut Tx, scope: &OrgScope, c: &ChargeRecord, date: NaiveDate, reason: Option<String>) {
    let update = Expr::new("SET #st = :void, #open = :zero, voidedAt = :at, #v = #v + :one REMOVE GSI2PK, GSI2SK")
        .name("#st", "status")
        .name("#open", "open")
        .name("#v", "v")
        .value(":void", s("void"))
        .value(":zero", n(0))
        .value(":at", s(Utc::now().to_rfc3339()))
        .value(":one", n(1));
    let update = match &reason {
        Some(r) => {
            let mut u = update.value(":reason", s(r.clone()));
            u.expr = u.expr.replace("voidedAt = :at", "voidedAt = :at, voidReason = :reason");
            u
        }
        None => update,
    };
    let cond = Expr::new("#open = :old AND #st <> :void")
        .name("#open", "open")
        .name("#st", "status")
        .value(":old", n(c.open))
        .value(":void", s("void"));
    tx.update(keys::charge(scope, &c.lease_id, c.due_date, &c.id), update, Some(cond));
    let v = ChargeVoidRecord {
        charge_id: c.id.clone(),
        kind: c.kind,
        amount: StoredMoney { minor: -c.amount.minor, currency: c.amount.currency },
        date,
        reason: reason.clone(),
        created_at: Utc::now(),
    };
    tx.put(
        ItemBuilder::new(CHARGE_VOID_ENTITY, &keys::charge_void(scope, &c.lease_id, &c.id), &v).build(),
        Some(Expr::not_exists()),
    );
    event(
        tx,
        scope,
        "charge.voided",
        ("charge", c.id.as_str()),
        json!({"leaseId": c.lease_id, "chargeId": c.id, "kind": c.kind,
        "amount": money_dto(c.amount.minor, c.amount.currency), "date": date, "reason": reason}),
    );
}

// ------------------------------------------------------------------------------------- payments

/// The id of the payment a request with `key` creates: the same key always names the same
/// payment, so a retry after a crash finds it instead of making a second one.
pub fn payment_id_for_key(scope: &OrgScope, lease: &str, key: &str) -> PaymentId {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("{}\n{lease}\n{key}", scope.org_id()).as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    PaymentId::from_ulid(ulid::Ulid::from_bytes(b))
}

/// Late fees this payment makes void: unpaid fees on a charge it settles in full, when it was
/// received within that charge's grace period.
fn fees_to_void<'a>(l: &'a LedgerItems, received_on: NaiveDate, settled: &[(String, i64)]) -> Vec<&'a ChargeRecord> {
    l.charges
        .iter()
        .filter(|f| f.kind == ChargeKind::LateFee && f.status == ChargeStatus::Open && f.open == f.amount.minor)
        .filter(|f| {
            let Some(base) = f.fee_for.as_ref().and_then(|b| l.charge(b)) else { return false };
            let grace = u64::from(f.grace_days.unwrap_or(0));
            let in_grace = received_on <= base.due_date + chrono::Days::new(grace);
            let paid = settled.iter().any(|(id, amt)| id == base.id.as_str() && *amt >= base.open);
            in_grace && base.open > 0 && paid
        })
        .collect()
}

/// Records a payment and allocates it (auto: oldest due first, rent before fees; or explicit).
/// What is not allocated stays unapplied credit. More allocations than fit one transaction
/// continue in further transactions, each applying the payment's remaining credit.
pub async fn record_payment(
    db: &Db,
    scope: &OrgScope,
    lease_id: &str,
    input: CreatePayment,
    id: PaymentId,
    claim: Option<&Claim>,
) -> Result<Payment> {
    let lease = billable_lease(db, scope, lease_id).await?;
    let currency = lease.rent.currency;
    let amount = in_currency(&input.amount, "amount", currency)?;
    let explicit = match &input.allocate {
        Allocate::Explicit(list) => Some(explicit_requests(list, currency)?),
        _ => None,
    };
    let org = get_org(db, scope).await?;
    let fx = fx_for(db, scope, org.base_currency, amount, currency, input.received_on).await?;
    let mut made: Vec<AllocationRecord> = Vec::new();
    let mut record: Option<PaymentRecord> = None;
    for attempt in 0..RETRIES {
        let l = store::read_ledger(db, scope, &lease.id).await?;
        let existing = l.payments.iter().find(|p| p.id == id).cloned();
        let p = existing.clone().unwrap_or_else(|| PaymentRecord {
            id: id.clone(),
            lease_id: lease.id.clone(),
            amount: StoredMoney { minor: amount, currency },
            received_on: input.received_on,
            method: input.method,
            reference: input.reference.as_ref().map(|r| r.trim().to_owned()),
            unapplied: amount,
            status: if input.pending { PaymentStatus::Pending } else { PaymentStatus::Cleared },
            fx: fx.clone(),
            created_at: Utc::now(),
            reversed_on: None,
            reversal_reason: None,
            request_hash: claim.map(|c| c.hash().to_owned()),
            v: 1,
        });
        if existing.is_some() && (p.amount.minor != amount || p.request_hash.as_deref() != claim.map(Claim::hash)) {
            return Err(Error::Conflict("this Idempotency-Key was used for another payment".into()));
        }
        // What to allocate now (explicit allocations are only planned on the first write).
        let (plan_allocs, voids): (Vec<(String, i64)>, Vec<ChargeRecord>) = match (&explicit, &input.allocate) {
            (Some(req), _) if existing.is_none() => {
                let open = open_charges(&l, &[]);
                let got = allocation::explicit(p.unapplied, &open, req).map_err(alloc_error)?;
                (got.into_iter().map(|a| (a.charge_id, a.amount)).collect(), Vec::new())
            }
            (None, Allocate::Mode(AllocateMode::Auto)) if p.status != PaymentStatus::Reversed => {
                // First without candidate fees; fees whose charge this settles in time are voided,
                // the others are allocated like any charge.
                let candidates: Vec<&ChargeId> =
                    l.charges.iter().filter(|c| c.kind == ChargeKind::LateFee).map(|c| &c.id).collect();
                let first: Vec<(String, i64)> = allocation::auto(p.unapplied, &open_charges(&l, &candidates))
                    .into_iter()
                    .map(|a| (a.charge_id, a.amount))
                    .collect();
                let voided: Vec<ChargeRecord> = if existing.is_none() {
                    fees_to_void(&l, p.received_on, &first).into_iter().take(5).cloned().collect()
                } else {
                    Vec::new()
                };
                let skip: Vec<&ChargeId> = voided.iter().map(|c| &c.id).collect();
                let all: Vec<(String, i64)> = allocation::auto(p.unapplied, &open_charges(&l, &skip))
                    .into_iter()
                    .map(|a| (a.charge_id, a.amount))
                    .collect();
                (all, voided)
            }
            _ => (Vec::new(), Vec::new()),
        };
        let chunk: Vec<(String, i64)> = plan_allocs.iter().take(ALLOCATIONS_PER_TX).cloned().collect();
        let more = plan_allocs.len() > chunk.len();
        let mut plan = Plan::default();
        for (cid, amt) in &chunk {
            let c = l.charge(&ChargeId::parse(cid).expect("ids we stored")).expect("read");
            plan.allocate(
                &lease.id,
                AllocationSource::Payment,
                Some(p.id.as_str()),
                c,
                *amt,
                p.received_on.max(c.due_date),
            );
        }
        let mut tx = Tx::new();
        let fresh = existing.is_none();
        let mut after = p.clone();
        after.unapplied += plan.payment_deltas.get(&p.id).copied().unwrap_or(0);
        if fresh {
            tx.put(payment_item(scope, &after), Some(Expr::not_exists()));
        }
        plan.write(&mut tx, scope, &l, if fresh { Some(&p.id) } else { None }, &[])?;
        for f in &voids {
            write_void(&mut tx, scope, f, f.due_date, Some("paid within the grace period".into()));
        }
        if fresh {
            let data = json!({"leaseId": lease.id, "paymentId": p.id, "amount": money_dto(amount, currency),
                "receivedOn": p.received_on, "method": p.method, "status": p.status, "allocations": allocations_json(&plan)});
            event(&mut tx, scope, "payment.received", ("payment", p.id.as_str()), data);
        } else if !plan.allocations.is_empty() {
            event(&mut tx, scope, "allocation.created", ("payment", p.id.as_str()), allocations_json(&plan));
        }
        let mut all_made = made.clone();
        all_made.extend(plan.allocations.iter().cloned());
        let out = Payment::from_record(after.clone(), all_made.iter().cloned().map(Allocation::from).collect());
        if let (Some(claim), false) = (claim, more) {
            claim.complete_in(&mut tx, 201, &serde_json::to_string(&out).expect("serializes"));
        }
        match db.transact(tx).await {
            Ok(()) => {
                made = all_made;
                record = Some(after);
                if !more {
                    return Ok(out);
                }
            }
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    match record {
        // Written, but the rest could not be allocated under contention: it stays credit.
        Some(r) => Ok(Payment::from_record(r, made.into_iter().map(Allocation::from).collect())),
        None => Err(Error::Conflict("the ledger is changing concurrently; retry".into())),
    }
}

pub async fn list_payments(db: &Db, scope: &OrgScope, lease_id: &str, page: PageRequest) -> Result<PageOf<Payment>> {
    let lease = crate::leasing::service::get_lease_record(db, scope, lease_id).await?;
    let q = Query::partition(db::Index::Primary, keys::lease_partition(scope, &lease.id)).begins_with("PAY#");
    let p: PageOf<PaymentRecord> = db.page_of(q, page).await?;
    Ok(PageOf {
        items: p.items.into_iter().map(|r| Payment::from_record(r, Vec::new())).collect(),
        last_key: p.last_key,
    })
}

async fn payment_lease(db: &Db, scope: &OrgScope, payment_id: &str) -> Result<(PaymentId, LeaseId)> {
    let id = PaymentId::parse(payment_id).ok_or(Error::NotFound("payment"))?;
    let (g1pk, _) = keys::payment_gsi1(scope, &id);
    let lease = store::lease_of(db, g1pk, "payment").await?;
    Ok((id, lease))
}

/// Reverses a payment (a bounced check): reversing allocations give every charge it settled
/// back its open amount, and a reversing entry takes the payment out of the balance.
pub async fn reverse_payment(db: &Db, scope: &OrgScope, payment_id: &str, input: ReversePayment) -> Result<Payment> {
    let (id, lease_id) = payment_lease(db, scope, payment_id).await?;
    let on = input.reversed_on.unwrap_or_else(|| Utc::now().date_naive());
    for attempt in 0..RETRIES {
        let l = store::read_ledger(db, scope, &lease_id).await?;
        let p = l.payments.iter().find(|p| p.id == id).ok_or(Error::NotFound("payment"))?.clone();
        if p.status == PaymentStatus::Reversed {
            return Err(Error::Conflict("the payment is already reversed".into()));
        }
        if on < p.received_on {
            return Err(Error::invalid("reversedOn", "must not be before the payment was received"));
        }
        let mut net: std::collections::BTreeMap<ChargeId, i64> = Default::default();
        for a in l.allocations.iter().filter(|a| a.payment_id.as_ref() == Some(&id)) {
            *net.entry(a.charge_id.clone()).or_default() += a.amount.minor;
        }
        let mut plan = Plan::default();
        for (cid, amt) in net.iter().filter(|(_, a)| **a != 0).take(ALLOCATIONS_PER_TX) {
            let c = l.charge(cid).ok_or(Error::NotFound("charge"))?;
            if c.status == ChargeStatus::Void {
                continue;
            }
            let last = l
                .allocations
                .iter()
                .filter(|a| &a.charge_id == cid && a.payment_id.as_ref() == Some(&id))
                .map(|a| a.date)
                .max();
            plan.allocate(&lease_id, AllocationSource::Payment, Some(id.as_str()), c, -amt, on.max(last.unwrap_or(on)));
        }
        let remaining = net.iter().filter(|(_, a)| **a != 0).count() > ALLOCATIONS_PER_TX;
        let mut tx = Tx::new();
        plan.write(&mut tx, scope, &l, Some(&p.id), &[])?;
        let delta = plan.payment_deltas.get(&p.id).copied().unwrap_or(0);
        let mut after = p.clone();
        after.unapplied += delta;
        if remaining {
            store::update_payment_unapplied(&mut tx, scope, &p, delta);
        } else {
            after.status = PaymentStatus::Reversed;
            after.reversed_on = Some(on);
            after.reversal_reason = input.reason.clone();
            after.unapplied = 0;
            after.v += 1;
            let update = Expr::set([
                ("status", s("reversed")),
                ("unapplied", n(0)),
                ("reversedOn", s(on.to_string())),
                ("reversalReason", s(input.reason.clone().unwrap_or_default())),
            ]);
            let cond = Expr::new("#u = :old AND #st <> :rev")
                .name("#u", "unapplied")
                .name("#st", "status")
                .value(":old", n(p.unapplied))
                .value(":rev", s("reversed"));
            tx.update(keys::payment(scope, &p.lease_id, p.received_on, &p.id), update, Some(cond));
            let rev = PaymentReversalRecord {
                payment_id: p.id.clone(),
                amount: StoredMoney { minor: -p.amount.minor, currency: p.amount.currency },
                date: on,
                reason: input.reason.clone(),
                created_at: Utc::now(),
            };
            tx.put(
                ItemBuilder::new(PAYMENT_REVERSAL_ENTITY, &keys::payment_reversal(scope, &lease_id, &p.id), &rev)
                    .build(),
                Some(Expr::not_exists()),
            );
            event(
                &mut tx,
                scope,
                "payment.reversed",
                ("payment", p.id.as_str()),
                json!({"leaseId": lease_id, "paymentId": p.id,
                "amount": money_dto(p.amount.minor, p.amount.currency), "reversedOn": on, "reason": input.reason, "allocations": allocations_json(&plan)}),
            );
        }
        match db.transact(tx).await {
            Ok(()) if remaining => continue,
            Ok(()) => {
                return Ok(Payment::from_record(after, plan.allocations.into_iter().map(Allocation::from).collect()))
            }
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Conflict("the ledger is changing concurrently; retry".into()))
}

/// A pending payment has cleared.
pub async fn clear_payment(db: &Db, scope: &OrgScope, payment_id: &str) -> Result<Payment> {
    let (id, lease_id) = payment_lease(db, scope, payment_id).await?;
    let l = store::read_ledger(db, scope, &lease_id).await?;
    let mut p = l.payments.into_iter().find(|p| p.id == id).ok_or(Error::NotFound("payment"))?;
    if p.status != PaymentStatus::Pending {
        return Err(Error::Conflict("only a pending payment can clear".into()));
    }
    let mut tx = Tx::new();
    let cond = Expr::new("#st = :pending").name("#st", "status").value(":pending", s("pending"));
    tx.update(keys::payment(scope, &lease_id, p.received_on, &p.id), Expr::set([("status", s("cleared"))]), Some(cond));
    event(
        &mut tx,
        scope,
        "payment.cleared",
        ("payment", p.id.as_str()),
        json!({"leaseId": lease_id, "paymentId": p.id}),
    );
    db.transact(tx).await.map_err(conflict_or)?;
    p.status = PaymentStatus::Cleared;
    Ok(Payment::from_record(p, Vec::new()))
}

/// Applies a payment's unapplied credit to open charges (auto or explicit).
pub async fn apply_credit(db: &Db, scope: &OrgScope, payment_id: &str, input: ApplyCredit) -> Result<Payment> {
    let (id, lease_id) = payment_lease(db, scope, payment_id).await?;
    for attempt in 0..RETRIES {
        let l = store::read_ledger(db, scope, &lease_id).await?;
        let p = l.payments.iter().find(|p| p.id == id).ok_or(Error::NotFound("payment"))?.clone();
        if p.status == PaymentStatus::Reversed {
            return Err(Error::Conflict("the payment is reversed".into()));
        }
        if p.unapplied == 0 {
            return Err(Error::Conflict("the payment has no unapplied credit".into()));
        }
        let open = open_charges(&l, &[]);
        let got = match &input.allocate {
            Allocate::Explicit(list) => {
                allocation::explicit(p.unapplied, &open, &explicit_requests(list, p.amount.currency)?)
                    .map_err(alloc_error)?
            }
            Allocate::Mode(AllocateMode::Auto) => allocation::auto(p.unapplied, &open),
            Allocate::Mode(AllocateMode::None) => Vec::new(),
        };
        if got.is_empty() {
            return Err(Error::Conflict("nothing is open to apply the credit to".into()));
        }
        let mut plan = Plan::default();
        for a in got.iter().take(ALLOCATIONS_PER_TX) {
            let c = l.charge(&ChargeId::parse(&a.charge_id).expect("ids we stored")).expect("read");
            plan.allocate(
                &lease_id,
                AllocationSource::Payment,
                Some(p.id.as_str()),
                c,
                a.amount,
                p.received_on.max(c.due_date),
            );
        }
        let mut tx = Tx::new();
        plan.write(&mut tx, scope, &l, None, &[])?;
        event(&mut tx, scope, "allocation.created", ("payment", p.id.as_str()), allocations_json(&plan));
        let mut after = p.clone();
        after.unapplied += plan.payment_deltas.get(&p.id).copied().unwrap_or(0);
        match db.transact(tx).await {
            Ok(()) => {
                return Ok(Payment::from_record(after, plan.allocations.into_iter().map(Allocation::from).collect()))
            }
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Conflict("the ledger is changing concurrently; retry".into()))
}

// --------------------------------------------------------------------------------------- ledger

pub async fn get_ledger(db: &Db, scope: &OrgScope, lease_id: &str, as_of: Option<NaiveDate>) -> Result<Ledger> {
    let lease = crate::leasing::service::get_lease_record(db, scope, lease_id).await?;
    let l = store::read_ledger(db, scope, &lease.id).await?;
    let as_of = as_of.unwrap_or_else(|| Utc::now().date_naive());
    Ok(ledger::ledger(lease.id, lease.rent.currency, &l, as_of))
}

// ------------------------------------------------------------------------------------- deposits

/// Settles the deposit at move-out: each deduction becomes a charge paid from the deposit,
/// what is left may pay charges still open, and the rest is refunded (an entry on the ledger).
pub async fn settle_deposit(
    db: &Db,
    scope: &OrgScope,
    lease_id: &str,
    input: SettleDeposit,
) -> Result<DepositSettlement> {
    let lease = crate::leasing::service::get_lease_record(db, scope, lease_id).await?;
    let Some(move_out) = lease.move_out_date else {
        return Err(Error::Conflict("the deposit is settled after move-out; end the lease first".into()));
    };
    let currency = lease.rent.currency;
    let settled_on = input.settled_on.unwrap_or(move_out);
    if settled_on < move_out {
        return Err(Error::invalid("settledOn", "must not be before the move-out date"));
    }
    let deductions: Vec<(String, i64)> = input
        .deductions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok((d.description.trim().to_owned(), in_currency(&d.amount, &format!("deductions[{i}].amount"), currency)?))
        })
        .collect::<Result<_>>()?;
    for attempt in 0..RETRIES {
        let l = store::read_ledger(db, scope, &lease.id).await?;
        if l.settlement.is_some() {
            return Err(Error::Conflict("the deposit is already settled".into()));
        }
        let held = ledger::totals(&l, NaiveDate::MAX).deposit;
        let deducted: i64 = deductions.iter().map(|d| d.1).sum();
        if deducted > held {
            return Err(Error::Invalid(vec![FieldError::new(
                "deductions",
                format!(
                    "deductions total {} but the deposit held is {}",
                    money_dto(deducted, currency).amount,
                    money_dto(held, currency).amount
                ),
            )]));
        }
        let mut tx = Tx::new();
        let mut plan = Plan::default();
        let mut lines = Vec::new();
        let mut new_charges = Vec::new();
        for (i, (description, amount)) in deductions.iter().enumerate() {
            let c = ChargeRecord {
                id: ChargeId::new(),
                lease_id: lease.id.clone(),
                unit_id: lease.unit_id.clone(),
                kind: ChargeKind::Fee,
                amount: StoredMoney { minor: *amount, currency },
                due_date: settled_on,
                memo: Some(format!("deposit deduction: {description}")),
                source: ChargeSource::DepositSettlement,
                period: None,
                fee_for: None,
                grace_days: None,
                open: 0,
                status: ChargeStatus::Paid,
                fx: None,
                created_at: Utc::now() + chrono::Duration::microseconds(i as i64),
                voided_at: None,
                void_reason: None,
                v: 1,
            };
            plan.allocate(&lease.id, AllocationSource::Deposit, None, &c, *amount, settled_on);
            tx.put(charge_item(scope, &c), Some(Expr::not_exists()));
            lines.push((c.id.clone(), description.clone(), *amount));
            new_charges.push(c);
        }
        let mut applied = 0;
        if input.apply_to_balance {
            let deposit_charges: Vec<&ChargeId> =
                l.charges.iter().filter(|c| c.kind == ChargeKind::Deposit).map(|c| &c.id).collect();
            for a in allocation::auto(held - deducted, &open_charges(&l, &deposit_charges))
                .into_iter()
                .take(ALLOCATIONS_PER_TX - lines.len())
            {
                let c = l.charge(&ChargeId::parse(&a.charge_id).expect("ids we stored")).expect("read");
                plan.allocate(&lease.id, AllocationSource::Deposit, None, c, a.amount, settled_on.max(c.due_date));
                applied += a.amount;
            }
        }
        let new_ids: Vec<&ChargeId> = new_charges.iter().map(|c| &c.id).collect();
        plan.write(&mut tx, scope, &l, None, &new_ids)?;
        let record = SettlementRecord {
            lease_id: lease.id.clone(),
            settled_on,
            held: StoredMoney { minor: held, currency },
            deductions: lines,
            applied_to_balance: applied,
            refund: StoredMoney { minor: held - deducted - applied, currency },
            created_at: Utc::now(),
        };
        tx.put(
            ItemBuilder::new(SETTLEMENT_ENTITY, &keys::deposit_settlement(scope, &lease.id), &record).build(),
            Some(Expr::not_exists()),
        );
        let out = DepositSettlement::from(record);
        event(
            &mut tx,
            scope,
            "deposit.settled",
            ("lease", lease.id.as_str()),
            serde_json::to_value(&out).unwrap_or_default(),
        );
        match db.transact(tx).await {
            Ok(()) => return Ok(out),
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Conflict("the ledger is changing concurrently; retry".into()))
}

//! The bytes of each export kind: the ledger files of `ledger_files`, and the year-end ZIP of
//! CSVs (written with the `csv` crate: amounts as plain decimals, dates ISO), each CSV the same
//! figures the report routes answer.

use super::exports::ExportKind;
use super::ledger_files::{beancount_ledger, dec, general_ledger_csv, hledger_journal};
use super::pnl::{base_value, recognized, Basis};
use crate::books::model::{Account, EntryRecord};
use crate::books::{accounts, reads};
use crate::money::{Currency, Money};
use crate::platform::ctx::Ctx;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::io::Write as _;

fn csv_err(e: csv::Error) -> Error {
    Error::Store(crate::platform::db::DbError::Unavailable(format!("writing CSV: {e}")))
}

fn zip_err(e: impl std::fmt::Display) -> Error {
    Error::Store(crate::platform::db::DbError::Unavailable(format!("writing the ZIP: {e}")))
}

/// Rows → CSV bytes (a header first).
fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(csv_err)?;
    for r in rows {
        w.write_record(&r).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| csv_err(csv::Error::from(e.into_error())))
}

/// The file of an export of `kind` over `span` (an owner pack of one building when given).
pub async fn file(
    cx: &Ctx<'_>,
    kind: ExportKind,
    span: (NaiveDate, NaiveDate),
    building: Option<&str>,
) -> Result<Vec<u8>> {
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    let base = crate::core::orgs::get_org(cx).await?.base_currency;
    match kind {
        ExportKind::GeneralLedgerCsv => general_ledger_csv(&entries, &chart, span).map_err(csv_err),
        ExportKind::Hledger => Ok(hledger_journal(&entries, &chart, span).into_bytes()),
        ExportKind::Beancount => Ok(beancount_ledger(&entries, &chart, span, base).into_bytes()),
        ExportKind::YearEnd => year_end(cx, (&entries, &chart), span, base).await,
        ExportKind::OwnerPackPdf => super::owner_pack::render(&super::owner_pack::gather(cx, span.1, building).await?),
    }
}

/// The trial balance as of `to`: each account's net per currency, as debit or credit.
fn trial_balance_csv(entries: &[EntryRecord], chart: &BTreeMap<String, Account>, to: NaiveDate) -> Result<Vec<u8>> {
    let mut sums: BTreeMap<(String, Currency), i64> = BTreeMap::new();
    for l in entries.iter().filter(|e| e.date <= to).flat_map(|e| &e.lines) {
        *sums.entry((l.code.clone(), l.currency)).or_default() += l.minor;
    }
    let rows = sums.into_iter().filter(|(_, v)| *v != 0).map(|((code, c), v)| {
        let a = chart.get(&code);
        vec![
            code.clone(),
            a.map_or_else(String::new, |a| a.name.clone()),
            a.map_or_else(String::new, |a| {
                serde_json::to_value(a.type_).ok().and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_default()
            }),
            c.code().to_owned(),
            if v > 0 { dec(v, c) } else { String::new() },
            if v < 0 { dec(-v, c) } else { String::new() },
        ]
    });
    table(&["accountCode", "accountName", "type", "currency", "debit", "credit"], rows)
}

/// The year's income and expenses per property and account, on both bases, in the base
/// currency.
fn pnl_by_property_csv(
    (entries, chart): (&[EntryRecord], &BTreeMap<String, Account>),
    span: (NaiveDate, NaiveDate),
    names: &BTreeMap<String, String>,
    base: Currency,
) -> Result<Vec<u8>> {
    let mut rows = Vec::new();
    for basis in [Basis::Cash, Basis::Accrual] {
        let amounts =
            recognized(entries, chart, basis, span, |l| base_value(l, base).map(|v| (l.building_id.clone(), v)));
        let mut per: BTreeMap<(Option<String>, String), i64> = BTreeMap::new();
        for ((b, _, code), v) in amounts {
            *per.entry((b, code)).or_default() += v;
        }
        for ((b, code), v) in per.into_iter().filter(|(_, v)| *v != 0) {
            let Some(a) = chart.get(&code) else { continue };
            let signed = if a.type_ == crate::books::chart::AccountType::Income { -v } else { v };
            let building = b.clone().unwrap_or_default();
            rows.push(vec![
                serde_json::to_value(basis).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                building.clone(),
                names.get(&building).cloned().unwrap_or_else(|| {
                    if b.is_none() {
                        "(no property)".into()
                    } else {
                        String::new()
                    }
                }),
                code.clone(),
                a.name.clone(),
                a.schedule_e.clone().unwrap_or_else(|| "none".into()),
                base.code().to_owned(),
                dec(signed, base),
            ]);
        }
    }
    table(
        &["basis", "buildingId", "buildingName", "accountCode", "accountName", "scheduleE", "currency", "amount"],
        rows,
    )
}

fn schedule_e_csv(s: &super::schedule_e::ScheduleE) -> Result<Vec<u8>> {
    let mut rows = Vec::new();
    for p in &s.properties {
        let address = [
            Some(p.address.line1.as_str()),
            p.address.line2.as_deref(),
            Some(p.address.city.as_str()),
            p.address.region.as_deref(),
            Some(p.address.postal_code.as_str()),
            Some(p.address.country.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let head = |line: &str, name: &str, amount: &str| {
            vec![
                p.building_id.clone(),
                p.name.clone(),
                address.clone(),
                p.property_type.map(|t| t.to_string()).unwrap_or_default(),
                p.fair_rental_days.to_string(),
                line.to_owned(),
                name.to_owned(),
                amount.to_owned(),
            ]
        };
        for l in &p.lines {
            rows.push(head(&l.line, &l.name, &l.amount.amount));
        }
        rows.push(head("20", "Total expenses", &p.total_expenses.amount));
        rows.push(head("21", "Income or (loss)", &p.income_or_loss.amount));
    }
    for l in &s.unassigned {
        rows.push(vec![
            String::new(),
            "(no property)".into(),
            String::new(),
            String::new(),
            String::new(),
            l.line.clone(),
            l.name.clone(),
            l.amount.amount.clone(),
        ]);
    }
    table(&["buildingId", "name", "address", "propertyType", "fairRentalDays", "line", "lineName", "amount"], rows)
}

fn rent_roll_csv(r: &super::rent_roll::RentRoll) -> Result<Vec<u8>> {
    let rows = r.units.iter().map(|u| {
        let l = u.lease.as_ref();
        let m = |f: fn(&super::rent_roll::RentRollLease) -> &crate::money::MoneyDto| {
            l.map(|l| f(l).amount.clone()).unwrap_or_default()
        };
        vec![
            u.building_name.clone(),
            u.label.clone(),
            serde_json::to_value(u.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            l.map(|l| l.lease_id.to_string()).unwrap_or_default(),
            l.map(|l| l.tenants.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join("; ")).unwrap_or_default(),
            l.map(|l| l.start_date.to_string()).unwrap_or_default(),
            l.and_then(|l| l.end_date).map(|d| d.to_string()).unwrap_or_default(),
            l.map(|l| l.rent.currency.clone()).unwrap_or_default(),
            m(|l| &l.rent),
            m(|l| &l.deposit_held),
            m(|l| &l.balance),
        ]
    });
    table(
        &[
            "building",
            "unit",
            "status",
            "leaseId",
            "tenants",
            "startDate",
            "endDate",
            "currency",
            "rent",
            "depositHeld",
            "balance",
        ],
        rows,
    )
}

/// The year's expenses (booked, not drafts) with their receipts' ids and the route that
/// downloads each.
async fn expenses_csv(
    cx: &Ctx<'_>,
    chart: &BTreeMap<String, Account>,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<u8>> {
    let expenses = crate::books::expenses::expenses_through(cx, to).await?;
    let vendors: BTreeMap<String, String> =
        crate::books::vendors::all_vendors(cx).await?.into_iter().map(|v| (v.id.to_string(), v.name)).collect();
    let mut rows = Vec::new();
    for e in expenses.iter().filter(|e| e.date >= from && e.status.is_booked()) {
        let receipts = crate::books::receipts::receipts_of(cx, &e.id).await?;
        let links: Vec<String> =
            receipts.iter().map(|r| format!("{} /api/v1/orgs/{}/expenses/{}", r.id, cx.scope.org_id(), e.id)).collect();
        let m = Money::from(e.amount);
        let vendor = e.vendor_id.as_ref().map(|v| v.to_string()).unwrap_or_default();
        rows.push(vec![
            e.id.to_string(),
            e.date.to_string(),
            serde_json::to_value(e.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            vendors.get(&vendor).cloned().unwrap_or_default(),
            e.account_code.clone(),
            chart.get(&e.account_code).map_or_else(String::new, |a| a.name.clone()),
            m.currency.code().to_owned(),
            dec(m.minor, m.currency),
            e.paid_from_code.clone().unwrap_or_default(),
            e.paid_on.map(|d| d.to_string()).unwrap_or_default(),
            e.voided_on.map(|d| d.to_string()).unwrap_or_default(),
            e.memo.clone().unwrap_or_default(),
            links.join("; "),
        ]);
    }
    table(
        &[
            "expenseId",
            "date",
            "status",
            "vendor",
            "accountCode",
            "accountName",
            "currency",
            "amount",
            "paidFrom",
            "paidOn",
            "voidedOn",
            "memo",
            "receipts",
        ],
        rows,
    )
}

/// Every lease's deposit held at the year's end (from its ledger).
async fn deposits_csv(cx: &Ctx<'_>, to: NaiveDate) -> Result<Vec<u8>> {
    let leases = crate::leasing::service::billable_leases(cx).await?;
    let mut rows = Vec::new();
    for chunk in leases.chunks(8) {
        let reads: Vec<_> =
            chunk.iter().map(|l| crate::billing::service::read_ledger(cx.db, cx.scope, &l.id)).collect();
        for (l, items) in chunk.iter().zip(futures::future::try_join_all(reads).await?) {
            let held = crate::billing::service::totals(&items, to).deposit;
            if held != 0 {
                let c = l.rent.currency;
                rows.push(vec![
                    l.id.to_string(),
                    l.building_id.to_string(),
                    l.unit_id.to_string(),
                    c.code().to_owned(),
                    dec(held, c),
                ]);
            }
        }
    }
    table(&["leaseId", "buildingId", "unitId", "currency", "held"], rows)
}

fn vendors_csv(v: &super::vendors_1099::Vendors1099) -> Result<Vec<u8>> {
    let rows = v.vendors.iter().map(|x| {
        vec![
            x.vendor_id.to_string(),
            x.name.clone(),
            x.tax_id.clone().unwrap_or_default(),
            x.paid.currency.clone(),
            x.paid.amount.clone(),
            x.payments.to_string(),
        ]
    });
    table(&["vendorId", "name", "taxId", "currency", "paid", "payments"], rows)
}

/// The year-end ZIP.
async fn year_end(
    cx: &Ctx<'_>,
    (entries, chart): (&[EntryRecord], &BTreeMap<String, Account>),
    span: (NaiveDate, NaiveDate),
    base: Currency,
) -> Result<Vec<u8>> {
    let year = span.0.year();
    let names: BTreeMap<String, String> = crate::properties::buildings::all_buildings(cx)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b.name))
        .collect();
    let schedule = super::service::schedule_e_report(cx, year, Basis::Cash).await?;
    let roll = super::rent_roll::gather(cx, span.1).await?;
    let vendors = super::service::vendors_1099_report(cx, year).await?;
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("general-ledger.csv", general_ledger_csv(entries, chart, span).map_err(csv_err)?),
        ("trial-balance.csv", trial_balance_csv(entries, chart, span.1)?),
        ("profit-and-loss-by-property.csv", pnl_by_property_csv((entries, chart), span, &names, base)?),
        ("schedule-e.csv", schedule_e_csv(&schedule)?),
        ("rent-roll.csv", rent_roll_csv(&roll)?),
        ("expenses.csv", expenses_csv(cx, chart, span).await?),
        ("deposits-held.csv", deposits_csv(cx, span.1).await?),
        ("vendors-1099.csv", vendors_csv(&vendors)?),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(format!("{year}/{name}"), options).map_err(zip_err)?;
        zip.write_all(&bytes).map_err(zip_err)?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

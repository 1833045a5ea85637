//! Vendors to report on Form 1099 for a year: the ones flagged `form1099` that were paid at
//! least the reporting threshold in US dollars during the year (a bill counts when it was paid,
//! not when it was booked; voided, unpaid and draft expenses do not count).
//!
//! The threshold for Forms 1099-NEC and 1099-MISC was $600 through payments made in 2025; the
//! One Big Beautiful Bill Act (Pub. L. 119-21) raised it to $2,000 for payments made
//! after December 31, 2025 (indexed for inflation from 2027, not modelled here).

use crate::books::expense_model::{ExpenseRecord, ExpenseStatus};
use crate::books::vendors::VendorRecord;
use crate::ids::VendorId;
use crate::money::{Currency, Money, MoneyDto};
use chrono::Datelike;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The reporting threshold for payments made in `year`, in cents.
pub fn threshold(year: i32) -> i64 {
    if year >= 2026 {
        200_000
    } else {
        60_000
    }
}

/// `GET …/reports/vendors-1099?year=`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vendors1099 {
    pub year: i32,
    pub threshold: MoneyDto,
    pub vendors: Vec<Vendor1099>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vendor1099 {
    pub vendor_id: VendorId,
    pub name: String,
    /// Masked (`***-**-1234`); absent when the vendor has none on file yet (ask for a W-9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    pub paid: MoneyDto,
    /// How many expenses make up `paid`.
    pub payments: u32,
}

/// The vendors of `vendors` to report for `year`, by name.
pub fn vendors_1099(year: i32, vendors: &[VendorRecord], expenses: &[ExpenseRecord]) -> Vendors1099 {
    let usd = Currency::parse("USD").expect("USD");
    let mut paid: BTreeMap<&VendorId, (i64, u32)> = BTreeMap::new();
    for e in expenses {
        let counts = e.status == ExpenseStatus::Paid
            && e.amount.currency == usd
            && e.paid_on.or(Some(e.date)).is_some_and(|d| d.year() == year);
        if let (true, Some(v)) = (counts, &e.vendor_id) {
            let t = paid.entry(v).or_default();
            (t.0, t.1) = (t.0 + e.amount.minor, t.1 + 1);
        }
    }
    let mut out: Vec<Vendor1099> = vendors
        .iter()
        .filter(|v| v.form1099)
        .filter_map(|v| {
            let (minor, payments) = paid.get(&v.id).copied()?;
            (minor >= threshold(year)).then(|| Vendor1099 {
                vendor_id: v.id.clone(),
                name: v.name.clone(),
                tax_id: v.tax_id_last4.as_ref().map(|l| format!("***-**-{l}")),
                paid: Money::new(minor, usd).into(),
                payments,
            })
        })
        .collect();
    out.sort_by_key(|v| v.name.to_lowercase());
    Vendors1099 { year, threshold: Money::new(threshold(year), usd).into(), vendors: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::books::expense_model::PartRecord;
    use crate::ids::{AccountId, ExpenseId, OrgId};
    use crate::money::StoredMoney;
    use chrono::NaiveDate;

    fn vendor(name: &str, form1099: bool) -> VendorRecord {
        serde_json::from_value(serde_json::json!({
            "id": VendorId::new(), "name": name, "kind": "individual", "form1099": form1099, "taxIdLast4": "6789",
            "archived": false, "expenseCount": 0, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .expect("a vendor record")
    }

    fn expense(
        v: &VendorRecord,
        minor: i64,
        date: &str,
        status: ExpenseStatus,
        paid_on: Option<&str>,
    ) -> ExpenseRecord {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let org = OrgId::parse("org_01J00000000000000000000000").unwrap();
        ExpenseRecord {
            id: ExpenseId::new(),
            date: d(date),
            amount: StoredMoney { minor, currency: Currency::parse("USD").unwrap() },
            account_id: AccountId::of(&org, "5140"),
            account_code: "5140".into(),
            vendor_id: Some(v.id.clone()),
            scope: None,
            parts: vec![PartRecord { building_id: None, unit_id: None, minor }],
            split: false,
            status,
            paid_from: None,
            paid_from_code: None,
            paid_on: paid_on.map(d),
            due_date: None,
            memo: None,
            reference: None,
            recurring_id: None,
            revision: 0,
            voided_on: None,
            fx: None,
            paid_fx: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            v: 1,
        }
    }

    #[test]
    fn flagged_vendors_paid_at_least_the_years_threshold_are_reported() {
        use ExpenseStatus::*;
        let (plumber, painter, cleaner) = (vendor("Plumber", true), vendor("painter", true), vendor("Cleaner", false));
        let expenses = vec![
            expense(&plumber, 150_000, "2026-03-01", Paid, Some("2026-03-01")),
            // A 2025 bill paid in 2026 counts in 2026; one paid in 2027 does not.
            expense(&plumber, 50_000, "2025-12-20", Paid, Some("2026-01-10")),
            expense(&plumber, 90_000, "2026-12-30", Paid, Some("2027-01-05")),
            expense(&plumber, 99_999, "2026-05-01", Void, Some("2026-05-01")),
            expense(&plumber, 99_999, "2026-06-01", Unpaid, None),
            expense(&painter, 199_999, "2026-04-01", Paid, Some("2026-04-01")),
            expense(&cleaner, 900_000, "2026-04-01", Paid, Some("2026-04-01")),
        ];
        let r = vendors_1099(2026, &[plumber.clone(), painter.clone(), cleaner], &expenses);
        assert_eq!(r.threshold.amount, "2000.00");
        let got: Vec<(&str, &str, u32)> =
            r.vendors.iter().map(|v| (v.name.as_str(), v.paid.amount.as_str(), v.payments)).collect();
        assert_eq!(got, [("Plumber", "2000.00", 2)], "the painter is a cent short; the cleaner is not flagged");
        assert_eq!(r.vendors[0].tax_id.as_deref(), Some("***-**-6789"));
        // In 2025 the threshold was 600.00: the plumber's 2025 bill was paid in 2026.
        let r = vendors_1099(2025, &[plumber, painter], &expenses);
        assert_eq!((r.threshold.amount.as_str(), r.vendors.len()), ("600.00", 0));
    }
}

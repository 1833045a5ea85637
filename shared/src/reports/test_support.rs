//! What the reports' unit tests share: an org, its seeded chart, US dollars.

use crate::books::chart::SEEDED;
use crate::books::model::Account;
use crate::ids::OrgId;
use crate::money::Currency;
use std::collections::BTreeMap;

pub fn org() -> OrgId {
    OrgId::parse("org_01J00000000000000000000000").unwrap()
}

pub fn chart() -> BTreeMap<String, Account> {
    SEEDED.iter().map(|s| (s.code.to_owned(), Account::seeded(&org(), s, chrono::DateTime::UNIX_EPOCH))).collect()
}

pub fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

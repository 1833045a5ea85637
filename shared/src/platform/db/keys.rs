//! Every key of the single table is built here and nowhere else. Org data keys take an
//! `&OrgScope`, which only `platform::scope`'s constructors make (for members: `platform::auth`): a handler that has not authorized cannot
//! name another org's item.

use super::{s, Item};
use crate::ids::{
    AllocationId, BuildingId, ChargeId, DeliveryId, DocumentId, EventId, LeaseId, PaymentId, TenantId, UnitId, UserId,
    WebhookId,
};
use crate::platform::scope::{OrgScope, Principal};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    fn new(pk: String, sk: impl Into<String>) -> Key {
        Key { pk, sk: sk.into() }
    }

    /// The key of a stored item (its `PK` and `SK`).
    pub fn of_item(item: &Item) -> Option<Key> {
        let get = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).cloned();
        Some(Key { pk: get("PK")?, sk: get("SK")? })
    }

    pub fn to_item(&self) -> Item {
        Item::from([("PK".to_owned(), s(&self.pk)), ("SK".to_owned(), s(&self.sk))])
    }
}

/// Number of shards of the org index (`ORGS#<n>`) that jobs fan out over.
pub const ORG_SHARDS: u32 = 16;

fn org_pk(scope: &OrgScope) -> String {
    format!("ORG#{}", scope.org_id())
}

pub fn org(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "ORG")
}

/// GSI1 of the org item: `ORGS#<shard>` / `ORG#<id>`, so jobs page orgs without a scan.
pub fn org_shard_gsi1(scope: &OrgScope) -> (String, String) {
    let shard =
        scope.org_id().as_str().bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32)) % ORG_SHARDS;
    (org_shard(shard), org_pk(scope))
}

pub fn member(scope: &OrgScope, user: &UserId) -> Key {
    Key::new(org_pk(scope), format!("MEMBER#{user}"))
}

pub const MEMBER_PREFIX: &str = "MEMBER#";

pub fn members(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), MEMBER_PREFIX)
}

/// GSI1 of a member item: the user's organizations.
pub fn member_gsi1(scope: &OrgScope, user: &UserId) -> (String, String) {
    (user_memberships(user), org_pk(scope))
}

/// The partition (GSI1) listing one user's memberships. Keyed by the user, not an org: it is what
/// membership lookups start from.
pub fn user_memberships(user: &UserId) -> String {
    format!("USER#{user}")
}

/// The membership item a principal would have in `org_id` (the authorization lookup itself).
pub(crate) fn membership_lookup(org_id: &crate::ids::OrgId, principal: &Principal) -> Key {
    Key::new(format!("ORG#{org_id}"), format!("MEMBER#{}", principal.user_id))
}

pub(crate) fn org_of(org_id: &crate::ids::OrgId) -> Key {
    Key::new(format!("ORG#{org_id}"), "ORG")
}

pub fn building(scope: &OrgScope, id: &BuildingId) -> Key {
    Key::new(org_pk(scope), format!("BLDG#{id}"))
}

pub fn buildings(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "BLDG#")
}

pub fn unit(scope: &OrgScope, id: &UnitId) -> Key {
    Key::new(org_pk(scope), format!("UNIT#{id}"))
}

/// GSI1 of a unit: the building's units, ordered by label.
pub fn unit_gsi1(scope: &OrgScope, building: &BuildingId, label: &str) -> (String, String) {
    (units_of_building(scope, building), format!("UNIT#{}", label_key(label)))
}

pub fn units_of_building(scope: &OrgScope, building: &BuildingId) -> String {
    format!("{}#BLDG#{building}", org_pk(scope))
}

/// The uniqueness item that reserves a unit label inside a building.
pub fn unit_label(scope: &OrgScope, building: &BuildingId, label: &str) -> Key {
    Key::new(org_pk(scope), format!("LABEL#{building}#{}", label_key(label)))
}

pub fn unit_labels(scope: &OrgScope, building: &BuildingId) -> (String, String) {
    (org_pk(scope), format!("LABEL#{building}#"))
}

/// Labels compare case-insensitively and ignoring surrounding space ("1A" and " 1a" clash).
pub fn label_key(label: &str) -> String {
    label.trim().to_lowercase()
}

/// Every unit of the org (occupancy reads them in one query).
pub fn units(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "UNIT#")
}

pub fn tenant(scope: &OrgScope, id: &TenantId) -> Key {
    Key::new(org_pk(scope), format!("TENANT#{id}"))
}

pub fn tenants(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "TENANT#")
}

/// The uniqueness item that reserves a tenant email inside the org.
pub fn tenant_email(scope: &OrgScope, email_key: &str) -> Key {
    Key::new(org_pk(scope), format!("TENANTEMAIL#{email_key}"))
}

pub fn lease(scope: &OrgScope, id: &LeaseId) -> Key {
    Key::new(org_pk(scope), format!("LEASE#{id}"))
}

pub fn leases(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "LEASE#")
}

/// GSI1 of a lease: the unit's lease history, ordered by start date.
pub fn lease_gsi1(scope: &OrgScope, unit: &UnitId, start: chrono::NaiveDate, id: &LeaseId) -> (String, String) {
    (unit_leases(scope, unit), format!("LEASE#{start}#{id}"))
}

pub fn unit_leases(scope: &OrgScope, unit: &UnitId) -> String {
    format!("{}#UNIT#{unit}", org_pk(scope))
}

/// The partition of one lease's parties and ledger (charges, payments, allocations, …): the
/// whole ledger of a lease is one query.
pub fn lease_partition(scope: &OrgScope, lease: &LeaseId) -> String {
    format!("{}#LEASE#{lease}", org_pk(scope))
}

/// A person on a lease (primary tenant or roommate).
pub fn lease_party(scope: &OrgScope, lease: &LeaseId, tenant: &TenantId) -> Key {
    Key::new(lease_partition(scope, lease), format!("PARTY#{tenant}"))
}

/// A charge, ordered by due date inside its lease's ledger.
pub fn charge(scope: &OrgScope, lease: &LeaseId, due: chrono::NaiveDate, id: &ChargeId) -> Key {
    Key::new(lease_partition(scope, lease), format!("CHG#{due}#{id}"))
}

/// GSI1 of a charge: found by id alone (`/charges/{chargeId}:void`).
pub fn charge_gsi1(scope: &OrgScope, id: &ChargeId) -> (String, String) {
    (format!("{}#CHG#{id}", org_pk(scope)), "CHG".to_owned())
}

/// GSI2 of a charge while something is still owed on it (sparse): delinquency without scans.
pub fn open_charge_gsi2(scope: &OrgScope, due: chrono::NaiveDate, id: &ChargeId) -> (String, String) {
    (open_charges(scope), format!("{due}#{id}"))
}

pub fn open_charges(scope: &OrgScope) -> String {
    format!("{}#OPEN", org_pk(scope))
}

/// The reversing entry of a voided charge.
pub fn charge_void(scope: &OrgScope, lease: &LeaseId, id: &ChargeId) -> Key {
    Key::new(lease_partition(scope, lease), format!("VOID#{id}"))
}

pub fn payment(scope: &OrgScope, lease: &LeaseId, received: chrono::NaiveDate, id: &PaymentId) -> Key {
    Key::new(lease_partition(scope, lease), format!("PAY#{received}#{id}"))
}

/// GSI1 of a payment: found by id alone (`/payments/{paymentId}:reverse`).
pub fn payment_gsi1(scope: &OrgScope, id: &PaymentId) -> (String, String) {
    (format!("{}#PAY#{id}", org_pk(scope)), "PAY".to_owned())
}

/// The reversing entry of a reversed payment (a bounced check).
pub fn payment_reversal(scope: &OrgScope, lease: &LeaseId, id: &PaymentId) -> Key {
    Key::new(lease_partition(scope, lease), format!("REV#{id}"))
}

/// A partial refund of a payment (`refund` is the processor's refund id).
pub fn payment_refund(scope: &OrgScope, lease: &LeaseId, id: &PaymentId, refund: &str) -> Key {
    Key::new(lease_partition(scope, lease), format!("REFUND#{id}#{refund}"))
}

/// An allocation from `source` (a payment id, a credit's charge id, or `DEPOSIT`).
pub fn allocation(scope: &OrgScope, lease: &LeaseId, source: &str, id: &AllocationId) -> Key {
    Key::new(lease_partition(scope, lease), format!("ALLOC#{source}#{id}"))
}

/// How far the rent run has generated this lease's charges (an optimization: the deterministic
/// charge ids are what make runs exactly-once).
pub fn rent_watermark(scope: &OrgScope, lease: &LeaseId) -> Key {
    Key::new(lease_partition(scope, lease), "RENTRUN")
}

/// The settlement of a lease's deposit at move-out (one per lease).
pub fn deposit_settlement(scope: &OrgScope, lease: &LeaseId) -> Key {
    Key::new(lease_partition(scope, lease), "DEPOSIT#SETTLEMENT")
}

/// The org's Stripe connection.
pub fn stripe_connection(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "INTEGRATION#stripe")
}

/// Which org a connected Stripe account belongs to. Keyed by the account, not an org: it is what
/// a Stripe webhook (which names only the account) starts from.
pub fn stripe_account_route(account: &str) -> Key {
    Key::new(format!("STRIPE_ACCOUNT#{account}"), "ROUTE")
}

/// A PaymentIntent the org started (`pi_…`).
pub fn stripe_payment_intent(scope: &OrgScope, payment_intent: &str) -> Key {
    Key::new(org_pk(scope), format!("STRIPE_PI#{payment_intent}"))
}

/// A Stripe payout to the org's bank (`po_…`).
pub fn stripe_payout(scope: &OrgScope, payout: &str) -> Key {
    Key::new(org_pk(scope), format!("STRIPE_PAYOUT#{payout}"))
}

/// A CSV import of the org.
pub fn import(scope: &OrgScope, id: &str) -> Key {
    Key::new(org_pk(scope), format!("IMPORT#{id}"))
}

pub fn imports(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "IMPORT#")
}

/// The uploaded file of an import (`source.csv`), or the copy that starts its commit
/// (`commit.csv`), in the imports bucket.
pub fn import_object(scope: &OrgScope, id: &str, name: &str) -> String {
    format!("org/{}/imports/{id}/{name}", scope.org_id())
}

/// The org's SFTP server (one per org).
pub fn sftp_connection(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "INTEGRATION#sftp")
}

/// A file seen on the org's SFTP server, by name, size and modification time (`SFTP_SEEN#…`):
/// seen files are not downloaded again.
pub fn sftp_seen(scope: &OrgScope, name: &str, size: u64, mtime: Option<u32>) -> Key {
    let mtime = mtime.map(|t| t.to_string()).unwrap_or_default();
    Key::new(org_pk(scope), format!("SFTP_SEEN#{name}#{size}#{mtime}"))
}

pub fn sftp_seen_all(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "SFTP_SEEN#")
}

/// A file's content picked up from the org's SFTP server (`SFTP_FILE#<sha256>`): the same
/// content under another name or time is not imported again.
pub fn sftp_file(scope: &OrgScope, sha256: &str) -> Key {
    Key::new(org_pk(scope), format!("SFTP_FILE#{sha256}"))
}

/// A Plaid Item (one connected bank login) of the org.
pub fn plaid_item(scope: &OrgScope, item: &str) -> Key {
    Key::new(org_pk(scope), format!("PLAID_ITEM#{item}"))
}

pub fn plaid_items(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "PLAID_ITEM#")
}

/// The org an Item belongs to (Plaid's webhooks name only the Item).
pub fn plaid_item_route(item: &str) -> Key {
    Key::new(format!("PLAID_ITEM#{item}"), "ROUTE")
}

/// The org's bank transactions (from its feeds), by Plaid's transaction id.
pub fn bank_transactions(scope: &OrgScope) -> String {
    format!("{}#BANK", org_pk(scope))
}

pub fn bank_transaction(scope: &OrgScope, id: &str) -> Key {
    Key::new(bank_transactions(scope), format!("TXN#{id}"))
}

/// The index of bank transactions by status and date.
pub fn bank_transaction_gsi1(scope: &OrgScope, status: &str, date: chrono::NaiveDate, id: &str) -> (String, String) {
    (bank_transactions_in(scope, status), format!("{date}#{id}"))
}

pub fn bank_transactions_in(scope: &OrgScope, status: &str) -> String {
    format!("{}#BANK#{status}", org_pk(scope))
}

/// What a bank transaction is matched to (`payment#pay_…`, `expense#exp_…`, `payout#po_…`): one
/// bank transaction per payment, expense or payout.
pub fn bank_match(scope: &OrgScope, kind: &str, id: &str) -> Key {
    Key::new(format!("{}#BANKMATCH", org_pk(scope)), format!("{kind}#{id}"))
}

pub fn bank_rule(scope: &OrgScope, id: &str) -> Key {
    Key::new(org_pk(scope), format!("BANKRULE#{id}"))
}

pub fn bank_rules(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "BANKRULE#")
}

/// Payments by the day they were received (the bank matcher's candidates).
pub fn payment_gsi2(scope: &OrgScope, received: chrono::NaiveDate, id: &PaymentId) -> (String, String) {
    (payments_by_date(scope), format!("{received}#{id}"))
}

pub fn payments_by_date(scope: &OrgScope) -> String {
    format!("{}#PAYDATE", org_pk(scope))
}

/// A Stripe event the org has handled (`evt_…`): the webhook's idempotency.
pub fn stripe_event(scope: &OrgScope, event: &str) -> Key {
    Key::new(org_pk(scope), format!("STRIPE_EVENT#{event}"))
}

/// The org's billing settings (rent lead time, default late-fee policy).
pub fn billing_settings(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "BILLING")
}

pub fn fx_partition(scope: &OrgScope) -> String {
    format!("{}#FX", org_pk(scope))
}

/// The rate of `currency` into the org's base currency on `date`.
pub fn fx_rate(scope: &OrgScope, currency: &str, date: chrono::NaiveDate) -> Key {
    Key::new(fx_partition(scope), format!("{currency}#{date}"))
}

pub fn delinquency_snapshots(scope: &OrgScope) -> String {
    format!("{}#DELQ", org_pk(scope))
}

/// The daily delinquency snapshot of the org.
pub fn delinquency_snapshot(scope: &OrgScope, date: chrono::NaiveDate) -> Key {
    Key::new(delinquency_snapshots(scope), date.to_string())
}

/// A consumer's processed-marker for one event (idempotency by event id; TTL 7 days).
pub fn processed_event(scope: &OrgScope, consumer: &str, event: &EventId) -> Key {
    Key::new(format!("{}#PROCESSED", org_pk(scope)), format!("{consumer}#{event}"))
}

pub fn webhook(scope: &OrgScope, id: &WebhookId) -> Key {
    Key::new(org_pk(scope), format!("WEBHOOK#{id}"))
}

pub fn webhooks(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "WEBHOOK#")
}

pub fn deliveries(scope: &OrgScope, webhook: &WebhookId) -> String {
    format!("{}#WH#{webhook}", org_pk(scope))
}

/// One event's delivery to one endpoint, newest first by id.
pub fn delivery(scope: &OrgScope, webhook: &WebhookId, id: &DeliveryId) -> Key {
    Key::new(deliveries(scope, webhook), format!("DLV#{id}"))
}

/// A rent reminder of one kind for one charge (made once: its key is the dedupe).
pub fn reminder(scope: &OrgScope, charge: &ChargeId, kind: &str) -> Key {
    Key::new(format!("{}#REMIND", org_pk(scope)), format!("{charge}#{kind}"))
}

/// The org partition GSI1 shard `shard` (jobs page organizations through it).
pub fn org_shard(shard: u32) -> String {
    format!("ORGS#{shard}")
}

pub fn document_partition(scope: &OrgScope, id: &DocumentId) -> String {
    format!("{}#DOC#{id}", org_pk(scope))
}

pub fn document(scope: &OrgScope, id: &DocumentId) -> Key {
    Key::new(document_partition(scope, id), "META")
}

pub fn document_version(scope: &OrgScope, id: &DocumentId, version: u32) -> Key {
    Key::new(document_partition(scope, id), format!("V#{version:05}"))
}

/// GSI1 of a document: the documents of one subject (a lease, a unit, …).
pub fn document_gsi1(scope: &OrgScope, subject_type: &str, subject_id: &str, id: &DocumentId) -> (String, String) {
    (documents_of_subject(scope, subject_type, subject_id), format!("DOC#{id}"))
}

pub fn documents_of_subject(scope: &OrgScope, subject_type: &str, subject_id: &str) -> String {
    format!("{}#SUBJ#{subject_type}#{subject_id}", org_pk(scope))
}

/// GSI2 of a document with an expiry: the org's obligations, by due date.
pub fn obligation_gsi2(scope: &OrgScope, due: chrono::NaiveDate, id: &str) -> (String, String) {
    (obligations(scope), format!("{due}#{id}"))
}

/// The marker that an obligation's `obligation.due` went out (`<kind>:<subject>:<due date>`).
pub fn obligation_announced(scope: &OrgScope, key: &str) -> Key {
    Key::new(org_pk(scope), format!("OBLDUE#{key}"))
}

/// A lease's obligation of one kind (its deposit return).
pub fn lease_obligation(scope: &OrgScope, lease: &crate::ids::LeaseId, kind: &str) -> Key {
    Key::new(org_pk(scope), format!("OBL#{lease}#{kind}"))
}

pub fn obligations(scope: &OrgScope) -> String {
    format!("{}#DUE", org_pk(scope))
}

/// The S3 key of a document version: always under the org's own prefix.
pub fn document_object(scope: &OrgScope, id: &DocumentId, version: u32) -> String {
    format!("org/{}/documents/{id}/v{version}", scope.org_id())
}

pub fn events_partition(scope: &OrgScope) -> String {
    format!("{}#EVT", org_pk(scope))
}

/// An outbox event; its id is a ULID so the sort key is time-ordered.
pub fn event(scope: &OrgScope, id: &EventId) -> Key {
    Key::new(events_partition(scope), id.as_str().to_owned())
}

/// An idempotency record: one per org, route and client key.
pub fn idempotency(scope: &OrgScope, route: &str, key: &str) -> Key {
    Key::new(format!("{}#IDEMP", org_pk(scope)), format!("{route}#{key}"))
}

pub fn audit_partition(scope: &OrgScope) -> String {
    format!("{}#AUDIT", org_pk(scope))
}

pub fn audit(scope: &OrgScope, id: &crate::ids::AuditId) -> Key {
    Key::new(audit_partition(scope), id.as_str().to_owned())
}

/// An account of the chart, by code (codes sort the chart).
pub fn account(scope: &OrgScope, code: &str) -> Key {
    Key::new(org_pk(scope), format!("ACCT#{code}"))
}

pub fn accounts(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "ACCT#")
}

/// The books' head: the last `seq` and `hash`, advanced under a condition by every posting.
pub fn books_head(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "BOOKS")
}

pub fn journal_partition(scope: &OrgScope) -> String {
    format!("{}#JRNL", org_pk(scope))
}

/// A journal entry by its `seq` (zero-padded, so entries sort in order).
pub fn journal_entry(scope: &OrgScope, seq: u64) -> Key {
    Key::new(journal_partition(scope), format!("{seq:012}"))
}

/// An entry's id → its `seq`; written with the entry under `attribute_not_exists`, so a source
/// posts once.
pub fn journal_id(scope: &OrgScope, id: &crate::ids::JournalEntryId) -> Key {
    Key::new(journal_ids(scope), id.as_str().to_owned())
}

/// The books' source log: what the entry of each `seq` was posted from (for rebuilds).
pub fn books_sources(scope: &OrgScope) -> String {
    format!("{}#BSRC", org_pk(scope))
}

pub fn books_source(scope: &OrgScope, seq: u64) -> Key {
    Key::new(books_sources(scope), format!("{seq:012}"))
}

/// The org's last (or running) rebuild of the books.
pub fn books_rebuild(scope: &OrgScope) -> Key {
    Key::new(org_pk(scope), "BOOKS#REBUILD")
}

/// The partition of an entry's id markers.
pub fn journal_ids(scope: &OrgScope) -> String {
    format!("{}#JRNLID", org_pk(scope))
}

/// One account's postings of one year (its register).
pub fn account_postings(scope: &OrgScope, code: &str, year: i32) -> String {
    format!("{}#ACCT#{code}#{year}", org_pk(scope))
}

pub fn account_posting(scope: &OrgScope, code: &str, date: chrono::NaiveDate, seq: u64, line: usize) -> Key {
    use chrono::Datelike;
    Key::new(account_postings(scope, code, date.year()), format!("{date}#{seq:012}#{line:03}"))
}

pub fn workflow_definition(scope: &OrgScope, id: &crate::ids::WorkflowDefinitionId) -> Key {
    Key::new(org_pk(scope), format!("WFDEF#{id}"))
}

pub fn workflow_definitions(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "WFDEF#")
}

pub fn workflow(scope: &OrgScope, id: &crate::ids::WorkflowId) -> Key {
    Key::new(org_pk(scope), format!("WFL#{id}"))
}

pub fn workflows(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "WFL#")
}

pub fn maintenance(scope: &OrgScope, id: &crate::ids::MaintenanceId) -> Key {
    Key::new(org_pk(scope), format!("MAINT#{id}"))
}

pub fn maintenance_requests(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "MAINT#")
}

/// A live figure of the KPI mart kept by the writes that change it (open maintenance): read
/// with the mart's days in its one Query.
pub fn kpi_live(scope: &OrgScope, name: &str) -> Key {
    Key::new(kpi_days(scope), format!("LIVE#{name}"))
}

pub fn policy(scope: &OrgScope, id: &crate::ids::PolicyId) -> Key {
    Key::new(org_pk(scope), format!("POLICY#{id}"))
}

pub fn policies(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "POLICY#")
}

pub fn vendor(scope: &OrgScope, id: &crate::ids::VendorId) -> Key {
    Key::new(org_pk(scope), format!("VENDOR#{id}"))
}

pub fn vendors(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "VENDOR#")
}

/// The org's expenses, by date (one partition: a small portfolio books a few thousand a year).
pub fn expenses(scope: &OrgScope) -> String {
    format!("{}#EXP", org_pk(scope))
}

pub fn expense(scope: &OrgScope, date: chrono::NaiveDate, id: &crate::ids::ExpenseId) -> Key {
    Key::new(expenses(scope), format!("{date}#{id}"))
}

/// An expense's id → its date (where the expense is stored), written with it.
pub fn expense_pointer(scope: &OrgScope, id: &crate::ids::ExpenseId) -> Key {
    Key::new(format!("{}#EXPID", org_pk(scope)), id.as_str().to_owned())
}

/// An expense's receipts.
pub fn receipts_of(scope: &OrgScope, expense: &crate::ids::ExpenseId) -> String {
    format!("{}#RCPT#{expense}", org_pk(scope))
}

pub fn receipt(scope: &OrgScope, expense: &crate::ids::ExpenseId, id: &crate::ids::ReceiptId) -> Key {
    Key::new(receipts_of(scope, expense), id.as_str().to_owned())
}

/// The receipt's object in the receipts bucket.
pub fn receipt_object(scope: &OrgScope, expense: &crate::ids::ExpenseId, id: &crate::ids::ReceiptId) -> String {
    format!("org/{}/receipts/{expense}/{id}", scope.org_id())
}

/// The KPI mart's row of one day.
pub fn kpi_day(scope: &OrgScope, day: chrono::NaiveDate) -> Key {
    Key::new(kpi_days(scope), format!("DAY#{day}"))
}

/// The KPI mart of the org: one row per day, sorted by day.
pub fn kpi_days(scope: &OrgScope) -> String {
    format!("{}#KPI", org_pk(scope))
}

pub fn export(scope: &OrgScope, id: &crate::ids::ExportId) -> Key {
    Key::new(org_pk(scope), format!("EXPORT#{id}"))
}

/// The org's exports, oldest first (ids are ULIDs).
pub fn exports(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "EXPORT#")
}

/// An export's file in the bucket, under the org's prefix.
pub fn export_object(scope: &OrgScope, id: &crate::ids::ExportId, filename: &str) -> String {
    format!("org/{}/exports/{id}/{filename}", scope.org_id())
}

pub fn fixed_asset(scope: &OrgScope, id: &crate::ids::FixedAssetId) -> Key {
    Key::new(org_pk(scope), format!("ASSET#{id}"))
}

pub fn fixed_assets(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "ASSET#")
}

pub fn recurring_expense(scope: &OrgScope, id: &crate::ids::RecurringExpenseId) -> Key {
    Key::new(org_pk(scope), format!("RECUR#{id}"))
}

pub fn recurring_expenses(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "RECUR#")
}

/// A month of the books (`2026-03`): open or closed.
pub fn period(scope: &OrgScope, month: &str) -> Key {
    Key::new(org_pk(scope), format!("PERIOD#{month}"))
}

pub fn periods(scope: &OrgScope) -> (String, &'static str) {
    (org_pk(scope), "PERIOD#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_clash_case_insensitively() {
        assert_eq!(label_key(" 1a "), label_key("1A"));
        assert_ne!(label_key("1A"), label_key("1B"));
    }
}

//! Every route of `template.yaml` as a concrete request against a seeded org: the sweeps
//! (foreign org, role × route, bad input, no token) iterate this, so a new route is swept the
//! moment it is declared. A route this catalog cannot fill (new path parameter, write route
//! without a sample body, org route without a required action) fails the sweep loudly.

use crate::TestApp;
use functions::api::route::{Access, KeyRule, Route};
use portfolio::platform::scope::Action;
use serde_json::{json, Value};

/// An org with one of everything, owned by `owner`.
pub struct Fixture {
    pub org: String,
    pub owner: String,
    pub building: String,
    pub unit: String,
    /// A member whose id fills `{userId}` (so role sweeps never remove the callers themselves).
    pub target_email: String,
    pub tenant: String,
    /// An active lease on `unit`.
    pub lease: String,
    /// A document about `lease`.
    pub document: String,
    /// A fee charged on `lease`.
    pub charge: String,
    /// A payment on `lease`, left unapplied.
    pub payment: String,
    /// A webhook endpoint.
    pub webhook: String,
    /// The seeded Rent account.
    pub account: String,
    /// A manual journal entry.
    pub entry: String,
    /// A vendor (with a tax id) and an expense paid to it.
    pub vendor: String,
    pub expense: String,
    /// A recurring expense.
    pub recurring: String,
    /// An export of the general ledger.
    pub export: String,
    /// A bank connected through the Plaid fake, one of its transactions (unmatched), a bank rule.
    pub plaid_item: String,
    pub bank_transaction: String,
    pub bank_rule: String,
    /// A dry-run import of tenants, waiting for its file.
    pub import: String,
    /// An org rule of its own (a deposit cap).
    pub policy: String,
    /// A maintenance request on `unit`, open.
    pub maintenance: String,
    /// A workflow definition (approval of expenses over 100,000.00: no fixture expense waits).
    pub definition: String,
}

impl Fixture {
    pub async fn seed(app: &TestApp, owner: &str) -> Fixture {
        let org = app.create_org(owner, "Seeded Org").await;
        let building = app.create_building(&org, owner, "Seeded Building").await;
        let unit = app
            .post(&format!("/api/v1/orgs/{org}/buildings/{building}/units"), &app.token(owner), json!({"label": "S-1"}))
            .await
            .expect(201)
            .id();
        let target_email = format!("target-{}@example.com", ulid::Ulid::new().to_string().to_lowercase());
        app.add_member(&org, owner, &target_email, "readonly").await;
        let t = app.token(owner);
        let tenant = app
            .post(
                &format!("/api/v1/orgs/{org}/tenants"),
                &t,
                json!({"firstName": "Sam", "lastName": "Seed", "email": "sam.seed@example.com"}),
            )
            .await
            .expect(201)
            .id();
        let lease = app
            .post(
                &format!("/api/v1/orgs/{org}/leases"),
                &t,
                json!({"unitId": unit, "tenantIds": [tenant], "startDate": "2030-01-01", "endDate": "2030-12-31",
                       "rent": {"amount": "1000.00", "currency": "USD"}, "dueDay": 1}),
            )
            .await
            .expect(201)
            .id();
        app.post(&format!("/api/v1/orgs/{org}/leases/{lease}:activate"), &t, json!({})).await.expect(200);
        let document = app
            .post(
                &format!("/api/v1/orgs/{org}/documents"),
                &t,
                json!({"subject": {"type": "lease", "id": lease}, "name": "Seeded lease.pdf", "contentType": "application/pdf",
                       "sizeBytes": 1000, "expiresOn": "2031-01-01"}),
            )
            .await
            .expect(201)
            .id();
        let charge = app
            .post_keyed(
                &format!("/api/v1/orgs/{org}/leases/{lease}/charges"),
                &t,
                json!({"kind": "fee", "amount": {"amount": "25.00", "currency": "USD"}, "dueDate": "2030-01-15"}),
            )
            .await
            .expect(201)
            .id();
        let payment = app
            .post_keyed(
                &format!("/api/v1/orgs/{org}/leases/{lease}/payments"),
                &t,
                json!({"amount": {"amount": "10.00", "currency": "USD"}, "receivedOn": "2030-01-10", "method": "cash", "allocate": "none"}),
            )
            .await
            .expect(201)
            .id();
        let webhook = app
            .post(
                &format!("/api/v1/orgs/{org}/webhooks"),
                &t,
                json!({"url": "https://hooks.example.com/seeded", "eventTypes": ["payment.*"]}),
            )
            .await
            .expect(201)
            .id();
        let account = portfolio::ids::AccountId::of(&portfolio::ids::OrgId::parse(&org).unwrap(), "4000").to_string();
        let cash = portfolio::ids::AccountId::of(&portfolio::ids::OrgId::parse(&org).unwrap(), "1000").to_string();
        let entry = app
            .post(
                &format!("/api/v1/orgs/{org}/journal"),
                &t,
                json!({"date": "2030-01-02", "memo": "opening balance", "lines": [
                    {"accountId": cash, "debit": {"amount": "500.00", "currency": "USD"}},
                    {"accountId": portfolio::ids::AccountId::of(&portfolio::ids::OrgId::parse(&org).unwrap(), "3000").to_string(),
                     "credit": {"amount": "500.00", "currency": "USD"}}]}),
            )
            .await
            .expect(201)
            .id();
        let vendor = app
            .post(
                &format!("/api/v1/orgs/{org}/vendors"),
                &t,
                json!({"name": "Seed Plumbing", "kind": "company", "taxId": "12-3456789", "form1099": true}),
            )
            .await
            .expect(201)
            .id();
        let expense = app
            .post_keyed(
                &format!("/api/v1/orgs/{org}/expenses"),
                &t,
                json!({"date": "2030-01-04", "amount": {"amount": "180.00", "currency": "USD"}, "accountId": account_of(&org, "5140"),
                       "vendorId": vendor, "scope": {"type": "building", "id": building}, "paidFrom": account_of(&org, "1000")}),
            )
            .await
            .expect(201)
            .id();
        let recurring = app
            .post(
                &format!("/api/v1/orgs/{org}/recurring-expenses"),
                &t,
                json!({"frequency": "quarterly", "day": 1, "startDate": "2030-01-01", "amount": {"amount": "450.00", "currency": "USD"},
                       "accountId": account_of(&org, "5090"), "paidFrom": account_of(&org, "1000")}),
            )
            .await
            .expect(201)
            .id();
        let export = app
            .post(&format!("/api/v1/orgs/{org}/exports"), &t, json!({"kind": "general-ledger-csv", "year": 2030}))
            .await
            .expect(202)
            .id();
        let (plaid_item, bank_transaction) = connect_bank(app, &org, &t).await;
        let bank_rule = app
            .post(
                &format!("/api/v1/orgs/{org}/bank-rules"),
                &t,
                json!({"conditions": {"descriptionContains": "city water"}, "actions": {"accountId": account_of(&org, "5170")}}),
            )
            .await
            .expect(201)
            .id();
        let import = app
            .post(
                &format!("/api/v1/orgs/{org}/imports"),
                &t,
                json!({"kind": "tenants", "name": "seed.csv", "sizeBytes": 100, "dryRun": true}),
            )
            .await
            .expect(201)
            .id();
        let policy = app
            .post(
                &format!("/api/v1/orgs/{org}/policies"),
                &t,
                json!({"area": "deposit", "country": "US", "region": "NY", "effectiveFrom": "2030-01-01", "priority": 1,
                       "rule": {"maxMonths": "1"}}),
            )
            .await
            .expect(201)
            .id();
        let maintenance = app
            .post(
                &format!("/api/v1/orgs/{org}/maintenance-requests"),
                &t,
                json!({"unitId": unit, "title": "Leaking tap", "priority": "normal"}),
            )
            .await
            .expect(201)
            .id();
        let definition = app
            .post(
                &format!("/api/v1/orgs/{org}/workflow-definitions"),
                &t,
                json!({"name": "Big spend", "trigger": {"eventType": "expense.approval_requested", "condition": "amount > 100000.00"},
                       "steps": [{"name": "Owner approves", "assigneeRole": "owner", "dueInDays": 3}], "onComplete": "approve_expense"}),
            )
            .await
            .expect(201)
            .id();
        // Built before the sweeps start, so what they see written is their own doing.
        let started = std::time::Instant::now();
        while app.get(&format!("/api/v1/orgs/{org}/exports/{export}"), &t).await.expect(200).body["status"] == "pending"
        {
            assert!(started.elapsed() < std::time::Duration::from_secs(60), "the fixture's export was not built");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // The poster has caught up, so what a sweep sees written later is its own doing.
        crate::books::assert_books_match_ledgers(app, &org, &t, std::slice::from_ref(&lease)).await;
        crate::books::wait_posted(app, &org, &t, &expense).await;
        Fixture {
            org,
            owner: owner.to_owned(),
            recurring,
            export,
            vendor,
            expense,
            account,
            entry,
            building,
            unit,
            target_email,
            tenant,
            lease,
            document,
            charge,
            payment,
            webhook,
            plaid_item,
            bank_transaction,
            bank_rule,
            import,
            policy,
            maintenance,
            definition,
        }
    }
}

/// A bank linked on the Plaid fake (`PLAID_API_BASE`), connected with its checking account as
/// Operating, one transaction synced through its webhook; answers the Item and the transaction.
pub async fn connect_bank(app: &TestApp, org: &str, token: &str) -> (String, String) {
    let fake = std::env::var("PLAID_API_BASE").expect("PLAID_API_BASE: run through infra/scripts/with-emulator.sh");
    let http = reqwest::Client::new();
    let hook = |path: &str, body: Value| {
        let req = http.post(format!("{fake}/_fake/plaid/{path}")).json(&body);
        async move {
            let res = req.send().await.expect("the Plaid fake answers");
            assert!(res.status().is_success(), "Plaid fake {}", res.status());
            res.json::<Value>().await.expect("JSON")
        }
    };
    let linked = hook("public_token", json!({"webhook": format!("{}/webhooks/plaid", app.stack.base_url)})).await;
    let item = linked["item_id"].as_str().expect("an item").to_owned();
    let body = json!({"publicToken": linked["public_token"], "accounts": [
        {"plaidAccountId": linked["accounts"][0]["account_id"], "accountId": account_of(org, "1000")}]});
    app.post(&format!("/api/v1/orgs/{org}/integrations/plaid/items"), token, body).await.expect(201);
    let txn = json!({"transactions": [{"amount": 4321, "name": "SEEDED SHOP", "date": "2030-01-12"}]});
    let added = hook(&format!("items/{item}/transactions"), txn).await;
    let id = added["transactions"][0]["transaction_id"].as_str().expect("a transaction").to_owned();
    let started = std::time::Instant::now();
    loop {
        // The first sync may still be running: notify until the transaction is in.
        hook(&format!("items/{item}/webhook"), json!({})).await;
        let page = app.get(&format!("/api/v1/orgs/{org}/bank-transactions"), token).await.expect(200).body;
        if page["items"].as_array().is_some_and(|a| a.iter().any(|t| t["id"] == id.as_str())) {
            return (item, id);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the fixture's bank transaction never synced");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
}

/// The id of the account with `code` in `org`'s chart.
pub fn account_of(org: &str, code: &str) -> String {
    portfolio::ids::AccountId::of(&portfolio::ids::OrgId::parse(org).expect("an org id"), code).to_string()
}

#[derive(Debug, Clone)]
pub struct Case {
    pub route_key: String,
    /// The OpenAPI path documenting this request (differs for `…/{leaseId}:verb` actions).
    pub doc_path: String,
    pub method: String,
    pub path: String,
    pub body: Option<Value>,
    pub auth: bool,
    pub org_scoped: bool,
    /// A POST that creates money: it requires an `Idempotency-Key`.
    pub requires_key: bool,
}

impl Case {
    /// The headers one request of this case sends (a fresh `Idempotency-Key` where required, so
    /// each call is its own logical request).
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![("content-type".to_owned(), "application/json".to_owned())];
        if self.requires_key {
            h.push(("Idempotency-Key".to_owned(), crate::idempotency_key()));
        }
        h
    }

    /// Sends this case's request with `body` (raw bytes, sent as JSON) as `token`.
    pub async fn send_raw(&self, app: &TestApp, token: Option<&str>, body: Option<Vec<u8>>) -> crate::Res {
        let content_type = body.as_ref().map(|_| "application/json");
        self.send_as(app, token, content_type, body).await
    }

    /// Sends this case's request with `body` as `token`, declaring `content_type` (or none).
    pub async fn send_as(
        &self,
        app: &TestApp,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> crate::Res {
        let mut headers = self.headers();
        match content_type {
            Some(ct) => headers[0].1 = ct.to_owned(),
            None => {
                headers.remove(0);
            }
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.request(&self.method, &self.path, token, &headers, body).await
    }

    /// Sends this case's request with `body` as `token`.
    pub async fn send(&self, app: &TestApp, token: &str, body: Option<Value>) -> crate::Res {
        self.send_raw(app, Some(token), body.map(|b| b.to_string().into_bytes())).await
    }
}

/// The declared route a case exercises (`functions::api::route`: each module's `routes!`), so
/// the sweeps read the same action and key rule dispatch enforces.
pub fn declared(route_key: &str) -> &'static Route {
    let verb = action_verb(route_key).map(|v| v.trim_start_matches(':'));
    functions::routes()
        .find(|r| r.route_key() == route_key && r.verb().as_deref() == verb)
        .unwrap_or_else(|| panic!("{route_key} is in the template but in no route table"))
}

/// The routes that create money, which require an `Idempotency-Key`.
pub fn requires_key(route_key: &str) -> bool {
    declared(route_key).key == KeyRule::Required
}

fn unique() -> String {
    ulid::Ulid::new().to_string().to_lowercase()
}

/// The lease action route: `{leaseId}` carries `lse_…:verb` (see `functions::api::leases`).
pub const LEASE_ACTION: &str = "POST /api/v1/orgs/{orgId}/leases/{leaseId}";
/// `{chargeId}` carries `chg_…:void`.
pub const CHARGE_ACTION: &str = "POST /api/v1/orgs/{orgId}/charges/{chargeId}";
/// `{paymentId}` carries `pay_…:reverse`.
pub const PAYMENT_ACTION: &str = "POST /api/v1/orgs/{orgId}/payments/{paymentId}";

/// `{id}` carries a bank transaction's id and `:match`.
pub const BANK_ACTION: &str = "POST /api/v1/orgs/{orgId}/bank-transactions/{id}";

/// `{importId}` carries `imp_…:commit`.
pub const IMPORT_ACTION: &str = "POST /api/v1/orgs/{orgId}/imports/{importId}";

/// `{expenseId}` carries `exp_…:void`.
pub const EXPENSE_ACTION: &str = "POST /api/v1/orgs/{orgId}/expenses/{expenseId}";

/// `{requestId}` carries `mnt_…:cancel`.
pub const MAINTENANCE_ACTION: &str = "POST /api/v1/orgs/{orgId}/maintenance-requests/{requestId}";

/// `{taskId}` carries a task's id and `:complete` (the sweeps' task does not exist: 404).
pub const TASK_ACTION: &str = "POST /api/v1/orgs/{orgId}/tasks/{taskId}";

/// `{month}` carries `2031-01:close`.
pub const PERIOD_ACTION: &str = "POST /api/v1/orgs/{orgId}/periods/{month}";

/// `{deliveryId}` carries `dlv_…:redeliver`.
pub const REDELIVER: &str = "POST /api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}";

/// The verb an action route is exercised with.
fn action_verb(route_key: &str) -> Option<&'static str> {
    match route_key {
        LEASE_ACTION => Some(":end"),
        CHARGE_ACTION => Some(":void"),
        PAYMENT_ACTION => Some(":reverse"),
        REDELIVER => Some(":redeliver"),
        PERIOD_ACTION => Some(":close"),
        EXPENSE_ACTION => Some(":void"),
        BANK_ACTION => Some(":match"),
        IMPORT_ACTION => Some(":commit"),
        MAINTENANCE_ACTION => Some(":cancel"),
        TASK_ACTION => Some(":complete"),
        _ => None,
    }
}

/// The private half of the sweeps' SFTP key pair (generated for the tests, used nowhere else).
const SWEEP_SFTP_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACD1zaPpUp/1wImNQzEOpMj+mLpNz9kxdhpCiovqgPA68gAAAIh90znffdM5
3wAAAAtzc2gtZWQyNTUxOQAAACD1zaPpUp/1wImNQzEOpMj+mLpNz9kxdhpCiovqgPA68g
AAAECgKQ1DHGOHhKjF/Tzx8LlKdw1MqAOtBtvYz5QypyX2JfXNo+lSn/XAiY1DMQ6kyP6Y
uk3P2TF2GkKKi+qA8DryAAAABXN3ZWVw
-----END OPENSSH PRIVATE KEY-----
";

/// A valid body for each route that takes one.
pub fn sample_body(route_key: &str, fx: &Fixture) -> Option<Value> {
    let address = json!({"line1": "2 Oak Ave", "city": "Shelbyville", "postalCode": "54321", "country": "US"});
    Some(match route_key {
        "POST /api/v1/orgs" => {
            json!({"name": "Another Org", "baseCurrency": "EUR", "country": "DE", "timezone": "Europe/Berlin"})
        }
        "PATCH /api/v1/orgs/{orgId}" => json!({"name": "Renamed Org"}),
        "POST /api/v1/orgs/{orgId}/members" => {
            let email = format!("new-{}@example.com", unique());
            json!({"userId": TestApp::user_id(&email), "email": email, "role": "readonly"})
        }
        "PATCH /api/v1/orgs/{orgId}/members/{userId}" => json!({"role": "accountant"}),
        // An account the Stripe fake does not know: Stripe's refusal is a 400 naming the field.
        "PUT /api/v1/orgs/{orgId}/integrations/stripe" => json!({"accountId": format!("acct_sweep{}", unique())}),
        "POST /api/v1/orgs/{orgId}/integrations/plaid/link-token" => json!({}),
        // A public token the Plaid fake never issued: Plaid's refusal is a 400 naming the field.
        "POST /api/v1/orgs/{orgId}/integrations/plaid/items" => json!({
            "publicToken": format!("public-sandbox-sweep-{}", unique()),
            "accounts": [{"plaidAccountId": "sweep-account", "accountId": account_of(&fx.org, "1000")}]
        }),
        // A throwaway key pair made for the sweeps (nothing trusts it); no server is dialled on PUT.
        "PUT /api/v1/orgs/{orgId}/integrations/sftp" => json!({
            "host": "sftp.example.com", "port": 22, "username": "portfolio", "privateKey": SWEEP_SFTP_KEY,
            "hostKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPXNo+lSn/XAiY1DMQ6kyP6Yuk3P2TF2GkKKi+qA8Dry sweep",
            "path": "/outgoing", "kind": "tenants"
        }),
        BANK_ACTION => json!({"paymentId": fx.payment}),
        "POST /api/v1/orgs/{orgId}/imports" => {
            json!({"kind": "tenants", "name": "tenants.csv", "sizeBytes": 1200, "dryRun": true})
        }
        IMPORT_ACTION => json!({}),
        "POST /api/v1/orgs/{orgId}/bank-rules" => json!({
            "name": "Sweep rule", "conditions": {"descriptionContains": "sweep"}, "actions": {"accountId": account_of(&fx.org, "5140")}
        }),
        "PATCH /api/v1/orgs/{orgId}/bank-rules/{ruleId}" => json!({"name": "Renamed rule"}),
        // The fixture's org has no Stripe account connected: 409 after the body is checked.
        "POST /api/v1/orgs/{orgId}/leases/{leaseId}/payment-intents" => {
            json!({"amount": {"amount": "10.00", "currency": "USD"}, "paymentMethodTypes": ["card"]})
        }
        "POST /api/v1/orgs/{orgId}/buildings" => json!({"name": "Oak Court", "address": address}),
        "PATCH /api/v1/orgs/{orgId}/buildings/{buildingId}" => json!({"name": "Renamed Building"}),
        "POST /api/v1/orgs/{orgId}/buildings/{buildingId}/units" => {
            json!({"label": format!("U-{}", unique()), "bedrooms": 2, "marketRent": {"amount": "1250.00", "currency": "USD"}})
        }
        "POST /api/v1/orgs/{orgId}/buildings/{buildingId}/units:bulk" => {
            json!({"labels": [format!("B-{}", unique()), format!("C-{}", unique())]})
        }
        "PATCH /api/v1/orgs/{orgId}/units/{unitId}" => json!({"bedrooms": 3}),
        "POST /api/v1/orgs/{orgId}/tenants" => {
            json!({"firstName": "Ada", "lastName": "Lane", "email": format!("ada-{}@example.com", unique()), "phone": "+1 555 010 0100"})
        }
        "PATCH /api/v1/orgs/{orgId}/tenants/{tenantId}" => json!({"firstName": "Samuel"}),
        "POST /api/v1/orgs/{orgId}/leases" => json!({
            "unitId": fx.unit, "tenantIds": [fx.tenant], "startDate": "2032-01-01", "endDate": "2032-12-31",
            "rent": {"amount": "1200.00", "currency": "USD"}, "dueDay": 5, "deposit": {"amount": "1200.00", "currency": "USD"}
        }),
        "PATCH /api/v1/orgs/{orgId}/leases/{leaseId}" => {
            json!({"lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}})
        }
        LEASE_ACTION => json!({"moveOutDate": "2030-06-30"}),
        "POST /api/v1/orgs/{orgId}/documents" => json!({
            "subject": {"type": "unit", "id": fx.unit}, "name": "Inspection.png", "contentType": "image/png", "sizeBytes": 2048
        }),
        "POST /api/v1/orgs/{orgId}/documents/{documentId}/versions" => {
            json!({"contentType": "application/pdf", "sizeBytes": 4096, "expiresOn": "2032-01-01"})
        }
        "POST /api/v1/orgs/{orgId}/leases/{leaseId}/charges" => json!({
            "kind": "utility", "amount": {"amount": "42.50", "currency": "USD"}, "dueDate": "2030-02-10", "memo": "water"
        }),
        CHARGE_ACTION => json!({"reason": "entered twice"}),
        "POST /api/v1/orgs/{orgId}/leases/{leaseId}/deposit-settlement" => json!({
            "settledOn": "2030-07-01", "deductions": [{"description": "cleaning", "amount": {"amount": "100.00", "currency": "USD"}}],
            "applyToBalance": true
        }),
        "POST /api/v1/orgs/{orgId}/leases/{leaseId}/payments" => json!({
            "amount": {"amount": "100.00", "currency": "USD"}, "receivedOn": "2030-01-05", "method": "check",
            "reference": "check 1001", "allocate": "auto"
        }),
        PAYMENT_ACTION => json!({"reversedOn": "2030-01-20", "reason": "NSF"}),
        "POST /api/v1/orgs/{orgId}/payments/{paymentId}/allocations" => json!({"allocate": "auto"}),
        "POST /api/v1/orgs/{orgId}/fx-rates" => {
            json!({"date": "2030-01-01", "rates": [{"currency": "EUR", "rate": "1.0832"}]})
        }
        "POST /api/v1/orgs/{orgId}/rent-runs" => json!({"throughDate": "2027-01-31"}),
        "POST /api/v1/orgs/{orgId}/webhooks" => json!({
            "url": "https://hooks.example.com/accounting", "eventTypes": ["payment.received", "charge.*"], "description": "books"
        }),
        "PATCH /api/v1/orgs/{orgId}/webhooks/{webhookId}" => json!({"description": "renamed"}),
        REDELIVER => json!({}),
        "POST /api/v1/orgs/{orgId}/accounts" => json!({
            "code": format!("6{}", &ulid::Ulid::new().random().to_string()[..6]), "name": format!("Pest control {}", unique()),
            "type": "expense", "scheduleE": "7"
        }),
        "PATCH /api/v1/orgs/{orgId}/accounts/{accountId}" => json!({"name": "Rents received"}),
        "POST /api/v1/orgs/{orgId}/journal" => {
            let org = portfolio::ids::OrgId::parse(&fx.org).unwrap();
            json!({"date": "2030-01-03", "memo": "owner contribution", "lines": [
                {"accountId": portfolio::ids::AccountId::of(&org, "1000").to_string(), "debit": {"amount": "250.00", "currency": "USD"}, "buildingId": fx.building},
                {"accountId": portfolio::ids::AccountId::of(&org, "3000").to_string(), "credit": {"amount": "250.00", "currency": "USD"}}]})
        }
        PERIOD_ACTION => json!({"reason": "month reviewed"}),
        "POST /api/v1/orgs/{orgId}/books:rebuild" => json!({"reason": "checking the chain"}),
        "POST /api/v1/orgs/{orgId}/exports" => json!({"kind": "hledger", "from": "2030-01-01", "to": "2030-03-31"}),
        "POST /api/v1/orgs/{orgId}/vendors" => json!({
            "name": format!("Vendor {}", unique()), "kind": "individual", "email": "fixit@example.com", "taxId": "123-45-6789", "form1099": true
        }),
        "PATCH /api/v1/orgs/{orgId}/vendors/{vendorId}" => json!({"phone": "+1 555 010 0199"}),
        "POST /api/v1/orgs/{orgId}/expenses" => json!({
            "date": "2030-02-01", "amount": {"amount": "75.25", "currency": "USD"}, "accountId": account_of(&fx.org, "5170"),
            "vendorId": fx.vendor, "scope": {"type": "unit", "id": fx.unit}, "status": "unpaid", "dueDate": "2030-02-15", "memo": "water bill"
        }),
        "PATCH /api/v1/orgs/{orgId}/expenses/{expenseId}" => json!({"memo": "kitchen faucet"}),
        EXPENSE_ACTION => json!({"reason": "entered twice"}),
        "POST /api/v1/orgs/{orgId}/fixed-assets" => json!({
            "buildingId": fx.building, "name": "Seeded Building", "cost": {"amount": "400000.00", "currency": "USD"},
            "landValue": {"amount": "125000.00", "currency": "USD"}, "placedInService": "2030-03-10", "method": "residential_27_5"
        }),
        "POST /api/v1/orgs/{orgId}/recurring-expenses" => json!({
            "frequency": "monthly", "day": 15, "startDate": "2030-01-01", "amount": {"amount": "89.00", "currency": "USD"},
            "accountId": account_of(&fx.org, "5110"), "vendorId": fx.vendor, "paidFrom": account_of(&fx.org, "1000"), "memo": "management fee"
        }),
        "PATCH /api/v1/orgs/{orgId}/recurring-expenses/{recurringId}" => json!({"endDate": "2031-12-31"}),
        "POST /api/v1/orgs/{orgId}/expenses/{expenseId}/receipts" => {
            json!({"name": "faucet.pdf", "contentType": "application/pdf", "sizeBytes": 2048})
        }
        "POST /api/v1/orgs/{orgId}/receipts" => {
            json!({"name": "snap.jpg", "contentType": "image/jpeg", "sizeBytes": 4096})
        }
        "POST /api/v1/orgs/{orgId}/policies" => json!({
            "name": format!("Our cap {}", unique()), "area": "late_fee", "country": "US", "region": "New York",
            "effectiveFrom": "2030-01-01", "priority": 5, "rule": {"graceDays": 10, "maxFlat": {"amount": "25.00", "currency": "USD"}}
        }),
        "PATCH /api/v1/orgs/{orgId}/policies/{policyId}" => json!({"priority": 7, "notes": "agreed with our lawyer"}),
        "POST /api/v1/orgs/{orgId}/maintenance-requests" => json!({
            "unitId": fx.unit, "title": format!("Broken window {}", unique()), "priority": "urgent", "reportedBy": "Ida Tenant"
        }),
        "PATCH /api/v1/orgs/{orgId}/maintenance-requests/{requestId}" => json!({"description": "bedroom, north side"}),
        MAINTENANCE_ACTION => json!({"reason": "fixed by the tenant"}),
        "POST /api/v1/orgs/{orgId}/workflow-definitions" => json!({
            "name": format!("Review {}", unique()), "trigger": {"eventType": "maintenance.requested", "condition": "priority == \"emergency\""},
            "steps": [{"name": "Call the vendor", "assigneeRole": "manager", "dueInDays": 1}]
        }),
        "PATCH /api/v1/orgs/{orgId}/workflow-definitions/{definitionId}" => json!({"enabled": false}),
        TASK_ACTION => json!({"comment": "looks right"}),
        "PUT /api/v1/orgs/{orgId}/billing-settings" => json!({
            "rentLeadDays": 3, "lateFeePolicy": {"graceDays": 5, "flat": {"amount": "50.00", "currency": "USD"}}
        }),
        _ => return None,
    })
}

/// What an org-scoped route requires, as its route table declares it (the sweep then holds every
/// role's answer against the one matrix, `portfolio::platform::scope::permits`).
pub fn required_action(route_key: &str) -> Action {
    match declared(route_key).access {
        Access::Org(action) => action,
        other => panic!("{route_key} is not an org route ({other:?})"),
    }
}

/// Every template route as a request against `fx`; deletes come last.
pub fn cases(app: &TestApp, fx: &Fixture) -> Vec<Case> {
    let mut out = Vec::new();
    for f in &app.stack.template.functions {
        for r in &f.routes {
            let route_key = r.key();
            let mut path = r.path.clone();
            for (param, value) in [
                ("{orgId}", fx.org.clone()),
                ("{buildingId}", fx.building.clone()),
                ("{unitId}", fx.unit.clone()),
                ("{userId}", TestApp::user_id(&fx.target_email)),
                ("{tenantId}", fx.tenant.clone()),
                ("{documentId}", fx.document.clone()),
                ("{leaseId}", if route_key == LEASE_ACTION { format!("{}:end", fx.lease) } else { fx.lease.clone() }),
                ("{chargeId}", format!("{}{}", fx.charge, action_verb(&route_key).unwrap_or_default())),
                ("{paymentId}", format!("{}{}", fx.payment, action_verb(&route_key).unwrap_or_default())),
                ("{webhookId}", fx.webhook.clone()),
                ("{accountId}", fx.account.clone()),
                ("{vendorId}", fx.vendor.clone()),
                ("{recurringId}", fx.recurring.clone()),
                ("{exportId}", fx.export.clone()),
                ("{expenseId}", format!("{}{}", fx.expense, action_verb(&route_key).unwrap_or_default())),
                ("{entryId}", fx.entry.clone()),
                ("{itemId}", fx.plaid_item.clone()),
                ("{importId}", format!("{}{}", fx.import, action_verb(&route_key).unwrap_or_default())),
                ("{kind}", "tenants".to_owned()),
                ("{ruleId}", fx.bank_rule.clone()),
                ("{policyId}", fx.policy.clone()),
                ("{definitionId}", fx.definition.clone()),
                ("{workflowId}", portfolio::ids::WorkflowId::new().to_string()),
                (
                    "{taskId}",
                    format!("{}.1{}", portfolio::ids::WorkflowId::new(), action_verb(&route_key).unwrap_or_default()),
                ),
                ("{requestId}", format!("{}{}", fx.maintenance, action_verb(&route_key).unwrap_or_default())),
                ("{id}", format!("{}{}", fx.bank_transaction, action_verb(&route_key).unwrap_or_default())),
                ("{month}", format!("2031-01{}", action_verb(&route_key).unwrap_or_default())),
                (
                    "{deliveryId}",
                    format!("{}{}", portfolio::ids::DeliveryId::new(), action_verb(&route_key).unwrap_or_default()),
                ),
            ] {
                path = path.replace(param, &value);
            }
            assert!(!path.contains('{'), "the catalog cannot fill the parameters of {route_key}: add them");
            // Filters a list needs, so permitted callers get an answer rather than a 400.
            match route_key.as_str() {
                "GET /api/v1/orgs/{orgId}/occupancy" => path.push_str("?date=2030-03-01"),
                "GET /api/v1/orgs/{orgId}/obligations" => path.push_str("?dueBefore=2032-01-01"),
                "GET /api/v1/orgs/{orgId}/reports/cash-flow" => path.push_str("?from=2030-01-01&to=2030-03-31"),
                "GET /api/v1/orgs/{orgId}/reports/vendors-1099" => path.push_str("?year=2030"),
                "GET /api/v1/orgs/{orgId}/reports/noi" => path.push_str("?year=2030"),
                "GET /api/v1/orgs/{orgId}/dashboard" => path.push_str("?days=7"),
                "GET /api/v1/orgs/{orgId}/policies:resolve" => {
                    path.push_str("?area=deposit&country=US&region=NY&date=2030-06-01")
                }
                "GET /api/v1/orgs/{orgId}/reports/schedule-e" => path.push_str("?year=2030"),
                "GET /api/v1/orgs/{orgId}/reports/rent-roll" => path.push_str("?asOf=2030-01-01"),
                "GET /api/v1/orgs/{orgId}/reports/owner-statement" => path.push_str("?from=2030-01-01&to=2030-03-31"),
                "GET /api/v1/orgs/{orgId}/reports/profit-and-loss" => path.push_str("?from=2030-01-01&to=2030-03-31"),
                "GET /api/v1/orgs/{orgId}/documents" => {
                    path.push_str(&format!("?subjectType=lease&subjectId={}", fx.lease))
                }
                _ => {}
            }
            let body = sample_body(&route_key, fx);
            let doc_path = format!("{}{}", r.path, action_verb(&route_key).unwrap_or_default());
            // A provider's webhook takes the provider's body, authenticated by its signature
            // (tests/e2e/stripe.rs), not a body of ours: the sweeps leave it out.
            if matches!(r.method.as_str(), "POST" | "PATCH" | "PUT") && !r.path.starts_with("/webhooks/") {
                assert!(body.is_some(), "the catalog has no sample body for {route_key}: add one");
            }
            out.push(Case {
                org_scoped: r.path.starts_with("/api/v1/orgs/{orgId}"),
                requires_key: requires_key(&route_key),
                route_key,
                doc_path,
                method: r.method.clone(),
                path,
                body,
                auth: r.auth,
            });
        }
    }
    out.sort_by_key(|c| c.method == "DELETE");
    out
}

//! The events platform over devstack: table stream → relay → bus → queues → consumers, signed
//! webhooks to a receiver on 127.0.0.1, tenant email and SMS read back from the emulator, retries,
//! the DLQ, duplicate stream delivery and a relay crash mid-batch, and the events API.

use e2e::eventually;
use e2e::hooks::receiver;
use e2e::TestApp;
use portfolio::webhooks::signing;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

fn emulator() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into())
}

/// Email the emulator recorded as sent to `to`.
async fn emails_to(to: &str) -> Vec<Value> {
    let all: Vec<Value> =
        reqwest::get(format!("{}/_emulator/ses/messages", emulator())).await.unwrap().json().await.unwrap();
    all.into_iter()
        .filter(|m| m["destinations"]["ToAddresses"].as_array().is_some_and(|a| a.iter().any(|x| x == to)))
        .collect()
}

async fn sms_to(phone: &str) -> Vec<Value> {
    let all: Vec<Value> =
        reqwest::get(format!("{}/_emulator/sns/sms", emulator())).await.unwrap().json().await.unwrap();
    all.into_iter().filter(|m| m["phoneNumber"] == phone).collect()
}

struct Org {
    id: String,
    token: String,
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }
}

/// An org with one active lease for one tenant (unique email and phone); returns the lease id.
async fn org_with_lease(app: &TestApp, owner: &str, email: &str, phone: &str, start: &str) -> (Org, String) {
    let id = app.create_org(owner, "Events Org").await;
    let o = Org { id, token: app.token(owner) };
    let building = app.create_building(&o.id, owner, "Elm Row").await;
    let unit = app
        .post(&o.path(&format!("/buildings/{building}/units")), &o.token, json!({"label": "E1"}))
        .await
        .expect(201)
        .id();
    let tenant = app
        .post(
            &o.path("/tenants"),
            &o.token,
            json!({"firstName": "Nia", "lastName": "Nguyen", "email": email, "phone": phone}),
        )
        .await
        .expect(201)
        .id();
    let lease = app
        .post(
            &o.path("/leases"),
            &o.token,
            json!({"unitId": unit, "tenantIds": [tenant], "startDate": start, "rent": {"amount": "1200.00", "currency": "USD"}, "dueDay": 1}),
        )
        .await
        .expect(201)
        .id();
    app.post(&o.path(&format!("/leases/{lease}:activate")), &o.token, json!({})).await.expect(200);
    (o, lease)
}

fn unique(tag: &str) -> String {
    format!("{tag}-{}", ulid::Ulid::new().to_string().to_lowercase())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_reaches_a_signed_webhook_and_a_receipt_email_with_no_manual_pumping() {
    let app = TestApp::spawn().await;
    let email = format!("{}@example.com", unique("nia"));
    let (o, lease) = org_with_lease(&app, "events-owner@example.com", &email, "+1 555 010 0142", "2026-01-01").await;
    let (rx, url) = receiver(&[]).await;
    let hook = app
        .post(&o.path("/webhooks"), &o.token, json!({"url": url, "eventTypes": ["payment.received"]}))
        .await
        .expect(201)
        .body;
    let secret = hook["secret"].as_str().expect("the secret is shown on create").to_owned();
    let hook_id = hook["id"].as_str().unwrap().to_owned();
    let got = app.get(&o.path(&format!("/webhooks/{hook_id}")), &o.token).await.expect(200).body;
    assert!(got.get("secret").is_none(), "and never again");
    secret_is_stored_encrypted_only(&app, &o.id, &hook_id, &secret).await;

    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-01-31"})).await.expect(200);
    let t0 = Instant::now();
    let payment = app
        .post_keyed(
            &o.path(&format!("/leases/{lease}/payments")),
            &o.token,
            json!({"amount": {"amount": "1200.00", "currency": "USD"}, "receivedOn": "2026-01-03", "method": "ach"}),
        )
        .await
        .expect(201)
        .body;
    let hit = eventually("the webhook", 20, async || rx.hits().into_iter().next()).await;
    let webhook_latency = hit.at - t0;
    let received_at = chrono::Utc::now();
    let body: Value = serde_json::from_slice(&hit.body).unwrap();
    assert_eq!(
        (body["type"].as_str(), body["subject"]["id"].as_str()),
        (Some("payment.received"), payment["id"].as_str())
    );
    assert_eq!(hit.headers[signing::EVENT_ID_HEADER].to_str().unwrap(), body["id"].as_str().unwrap());
    let sig = hit.headers[signing::SIGNATURE_HEADER].to_str().unwrap().to_owned();
    let now = chrono::Utc::now().timestamp();
    assert!(signing::verify(&secret, &sig, &hit.body, now, 300), "the receiver verifies the signature");
    let mut tampered = hit.body.clone();
    tampered[10] ^= 1;
    assert!(!signing::verify(&secret, &sig, &tampered, now, 300), "a tampered body fails");

    let mail = eventually("the receipt email", 20, async || emails_to(&email).await.into_iter().next()).await;
    let email_latency = t0.elapsed();
    let mailed_at = chrono::Utc::now();
    assert_eq!(mail["subject"], "Payment received: 1200.00 USD");
    let text = mail["body"].as_str().unwrap();
    assert!(
        text.contains("1200.00 USD on 2026-01-03") && text.contains("Balance on your account today: 0.00 USD"),
        "{text}"
    );
    let sms = eventually("the receipt SMS", 10, async || sms_to("+15550100142").await.into_iter().next()).await;
    assert!(sms["message"].as_str().unwrap().starts_with("Payment received: 1200.00 USD"));
    eprintln!("payment → webhook {webhook_latency:?}, → email {email_latency:?}");

    let deliveries = app.get(&o.path(&format!("/webhooks/{hook_id}/deliveries")), &o.token).await.expect(200).body;
    let d = &deliveries["items"][0];
    assert_eq!((d["status"].as_str(), d["attempts"][0]["statusCode"].as_u64()), (Some("succeeded"), Some(200)));
    assert_eq!(deliveries["items"].as_array().map(Vec::len), Some(1), "only the subscribed type is delivered");
    dispatcher_marked_only(&app, &o.id, body["id"].as_str().unwrap()).await;
    eprintln!(
        "trip of {}: written (occurredAt) {} → dispatcher attempt {} → receiver got it ≤ {} → receipt email seen ≤ {}",
        body["id"].as_str().unwrap(),
        body["occurredAt"].as_str().unwrap(),
        d["attempts"][0]["at"].as_str().unwrap(),
        received_at.to_rfc3339(),
        mailed_at.to_rfc3339()
    );
    // The events API lets a client catch up: everything after the first event, oldest first.
    let first = app.get(&o.path("/events?limit=1"), &o.token).await.expect(200).body;
    let first_id = first["items"][0]["id"].as_str().unwrap().to_owned();
    let mut seen = vec![first_id.clone()];
    let mut next = o.path(&format!("/events?after={first_id}&limit=5"));
    loop {
        let page = app.get(&next, &o.token).await.expect(200).body;
        seen.extend(page["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page["nextCursor"].as_str() {
            Some(c) => next = o.path(&format!("/events?after={first_id}&limit=5&cursor={c}")),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "oldest first");
    assert!(seen.iter().any(|s| s == body["id"].as_str().unwrap()));
    app.get(&o.path("/events?after=nope"), &o.token).await.problem(400);
}

/// The raw item holds no trace of the secret, only its KMS ciphertext, which decrypts to the
/// secret for its own org and webhook and for nothing else.
/// The dispatcher claimed a processed-marker for `event` alone: the rent run's and the lease's
/// events, which no endpoint of the org wants, were acknowledged without writes.
async fn dispatcher_marked_only(app: &TestApp, org: &str, event: &str) {
    use aws_sdk_dynamodb::types::AttributeValue;
    let marked = app
        .dynamodb()
        .query()
        .table_name(app.stack.table_name())
        .key_condition_expression("PK = :pk AND begins_with(SK, :c)")
        .expression_attribute_values(":pk", AttributeValue::S(format!("ORG#{org}#PROCESSED")))
        .expression_attribute_values(":c", AttributeValue::S("webhook-dispatcher#".into()))
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default();
    let sks: Vec<&str> = marked.iter().filter_map(|i| i["SK"].as_s().ok().map(String::as_str)).collect();
    assert_eq!(sks, [format!("webhook-dispatcher#{event}")]);
}

async fn secret_is_stored_encrypted_only(app: &TestApp, org: &str, hook_id: &str, secret: &str) {
    use aws_sdk_dynamodb::types::AttributeValue;
    let item = app
        .dynamodb()
        .get_item()
        .table_name(app.stack.table_name())
        .key("PK", AttributeValue::S(format!("ORG#{org}")))
        .key("SK", AttributeValue::S(format!("WEBHOOK#{hook_id}")))
        .send()
        .await
        .unwrap()
        .item
        .expect("the webhook item");
    let raw = format!("{item:?}");
    let hex = secret.trim_start_matches("whsec_");
    assert!(!raw.contains(hex), "the secret is in the stored item: {raw}");
    assert!(!item.contains_key("secret"));
    let ciphertext = item["secretCiphertext"].as_s().expect("a ciphertext").clone();
    let key = app.stack.refs["WebhookSecretsKey"].clone();
    let kms =
        portfolio::platform::secrets::Secrets::new(&app.stack.sdk, Some(key), portfolio::webhooks::SECRETS_PURPOSE);
    let plain = kms.decrypt(&ciphertext, &[("orgId", org), ("webhookId", hook_id)]).await.unwrap();
    assert_eq!(plain, secret);
    let other_org = portfolio::ids::OrgId::new();
    assert!(
        kms.decrypt(&ciphertext, &[("orgId", other_org.as_str()), ("webhookId", hook_id)]).await.is_err(),
        "bound to its org"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receiver_failing_twice_gets_exactly_three_attempts_with_growing_delays() {
    let app = TestApp::spawn_opts(&[("MEMBERSHIP_CACHE_TTL_SECS", "0"), ("WEBHOOK_RETRY_BASE_SECS", "1")], None).await;
    let owner = "retry-owner@example.com";
    let o = Org { id: app.create_org(owner, "Retry Org").await, token: app.token(owner) };
    let (rx, url) = receiver(&[500, 500]).await;
    let hook = app
        .post(&o.path("/webhooks"), &o.token, json!({"url": url, "eventTypes": ["building.*"]}))
        .await
        .expect(201)
        .body;
    let hook_id = hook["id"].as_str().unwrap().to_owned();
    app.create_building(&o.id, owner, "Retry House").await;
    eventually("three attempts", 30, async || (rx.hits().len() >= 3).then_some(())).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let hits = rx.hits();
    assert_eq!(hits.len(), 3, "500, 500, then 200: no more");
    let (d1, d2) = (hits[1].at - hits[0].at, hits[2].at - hits[1].at);
    assert!(d1 >= Duration::from_millis(900) && d2 > d1, "growing delays: {d1:?} then {d2:?}");
    let ids: BTreeSet<String> =
        hits.iter().map(|h| h.headers[signing::EVENT_ID_HEADER].to_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 1, "one event, attempted three times");
    let list = app.get(&o.path(&format!("/webhooks/{hook_id}/deliveries")), &o.token).await.expect(200).body;
    let d = &list["items"][0];
    let codes: Vec<u64> = d["attempts"].as_array().unwrap().iter().map(|a| a["statusCode"].as_u64().unwrap()).collect();
    assert_eq!((codes, d["status"].as_str()), (vec![500, 500, 200], Some("succeeded")));
    // Redelivery sends it once more.
    let dlv = d["id"].as_str().unwrap();
    app.post(&o.path(&format!("/webhooks/{hook_id}/deliveries/{dlv}:redeliver")), &o.token, json!({}))
        .await
        .expect(200);
    eventually("the redelivery", 15, async || (rx.hits().len() == 4).then_some(())).await;
    // Endpoints are checked: plain http elsewhere than localhost, private targets in production.
    let bad = json!({"url": "http://example.com/hook", "eventTypes": ["*"]});
    assert_eq!(app.post(&o.path("/webhooks"), &o.token, bad).await.problem(400).error_fields(), ["url"]);
    let bad = json!({"url": "https://hooks.example.com/x", "eventTypes": ["Payment Received"]});
    assert_eq!(app.post(&o.path("/webhooks"), &o.token, bad).await.problem(400).error_fields(), ["eventTypes[0]"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn subscriptions_name_catalog_types_which_are_listed_with_their_schemas() {
    let app = TestApp::spawn().await;
    let owner = "catalog-owner@example.com";
    let o = Org { id: app.create_org(owner, "Catalog Org").await, token: app.token(owner) };
    let hooks_before = app.get(&o.path("/webhooks"), &o.token).await.expect(200).body["items"].clone();
    // A typo, or a prefix matching nothing, would silently subscribe to nothing: refused, by index.
    let bad = json!({"url": "https://hooks.example.com/x",
        "eventTypes": ["payment.received", "paymnt.received", "paymnt.*", "payment.*", "*"]});
    let res = app.post(&o.path("/webhooks"), &o.token, bad).await.problem(400);
    assert_eq!(res.error_fields(), ["eventTypes[1]", "eventTypes[2]"]);
    assert!(res.text.contains("paymnt.received is not an event type"), "{}", res.text);
    assert_eq!(app.get(&o.path("/webhooks"), &o.token).await.expect(200).body["items"], hooks_before);
    let good = json!({"url": "https://hooks.example.com/x", "eventTypes": ["payment.*"]});
    let id = app.post(&o.path("/webhooks"), &o.token, good).await.expect(201).id();
    let patch = json!({"eventTypes": ["charge.created", "charge.creatd"]});
    let res = app.patch(&o.path(&format!("/webhooks/{id}")), &o.token, patch).await.problem(400);
    assert_eq!(res.error_fields(), ["eventTypes[1]"]);
    let hook = app.get(&o.path(&format!("/webhooks/{id}")), &o.token).await.expect(200).body;
    assert_eq!(hook["eventTypes"], json!(["payment.*"]));

    // The catalog, public like the OpenAPI document, and the document's `webhooks` agree.
    let listed = app.raw("GET", "/api/v1/event-types", None, None).await.expect(200).body;
    let items = listed["items"].as_array().unwrap();
    let received = items.iter().find(|t| t["type"] == "payment.received").unwrap();
    assert_eq!((&received["version"], &received["subject"]), (&json!(1), &json!("payment")));
    let props = received["schema"]["properties"].as_object().unwrap();
    for field in ["paymentId", "leaseId", "amount", "receivedOn", "method", "status", "allocations"] {
        assert!(props.contains_key(field), "payment.received lacks {field}: {}", received["schema"]);
    }
    assert!(received["schema"]["$defs"]["MoneyDto"].is_object(), "{}", received["schema"]);
    let doc: Value = serde_json::from_str(&functions::openapi::document_json()).unwrap();
    let hooks: BTreeSet<&str> = doc["webhooks"].as_object().unwrap().keys().map(String::as_str).collect();
    let types: BTreeSet<&str> = items.iter().map(|t| t["type"].as_str().unwrap()).collect();
    assert_eq!(hooks, types);
    assert!(types.len() >= 40 && types.contains("reminder.created") && types.contains("webhook.disabled"));
    // The document's `eventTypes` enum is exactly what the server accepts.
    let filters = doc["components"]["schemas"]["EventTypeFilter"]["enum"].as_array().unwrap();
    for f in filters.iter().map(|f| f.as_str().unwrap()) {
        assert!(portfolio::catalog::CATALOG.matches_any(f), "{f} is documented but refused");
    }
    let documented: BTreeSet<&str> = filters.iter().map(|f| f.as_str().unwrap()).collect();
    assert!(documented.contains("payment.*") && documented.contains("*") && !documented.contains("paymnt.*"));
    assert!(types.iter().all(|t| documented.contains(t)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poison_event_lands_in_the_dlq_after_five_tries_and_the_rest_go_through_once() {
    let app = TestApp::spawn_opts(&[("MEMBERSHIP_CACHE_TTL_SECS", "0")], Some(1)).await;
    let email = format!("{}@example.com", unique("poison"));
    let (o, lease) = org_with_lease(&app, "poison-owner@example.com", &email, "+1 555 010 0177", "2026-01-01").await;
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-01-31"})).await.expect(200);
    // Four payment.received events on the notifier's queue in one batch; one is poison.
    let scope = portfolio::platform::scope::OrgScope::for_tests(portfolio::ids::OrgId::parse(&o.id).unwrap());
    let events: Vec<portfolio::events::Event> = (1..=4)
        .map(|i| {
            let received = portfolio::billing::events::PaymentReceived {
                payment_id: portfolio::ids::PaymentId::new(),
                lease_id: portfolio::ids::LeaseId::parse(&lease).unwrap(),
                amount: portfolio::money::MoneyDto { amount: format!("{i}.00"), currency: "USD".into() },
                received_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                method: portfolio::billing::model::PaymentMethod::Ach,
                status: portfolio::billing::model::PaymentStatus::Cleared,
                allocations: Vec::new(),
                fx: None,
                processor: None,
            };
            portfolio::events::Event::of(&scope, &received, chrono::Utc::now())
        })
        .collect();
    functions::consumers::events::poison(events[2].id.as_str());
    let sqs = aws_sdk_sqs::Client::new(&app.stack.sdk);
    let queue = &app.stack.refs["NotifierQueue"];
    let entries = events.iter().enumerate().map(|(i, e)| {
        let envelope = json!({"version": "0", "id": format!("bus-{i}"), "detail-type": e.type_, "source": "portfolioos",
            "account": "123456789012", "time": e.occurred_at, "region": "us-east-1", "resources": [], "detail": e});
        aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
            .id(i.to_string())
            .message_body(envelope.to_string())
            .build()
            .unwrap()
    });
    sqs.send_message_batch().queue_url(queue).set_entries(Some(entries.collect())).send().await.unwrap();
    // The poison message is retried, then redriven to the DLQ after its 5th receive.
    let dlq = &app.stack.refs["NotifierDeadLetterQueue"];
    let dead = eventually("the DLQ", 60, async || {
        let out = sqs.receive_message().queue_url(dlq).max_number_of_messages(10).send().await.unwrap();
        out.messages.filter(|m| !m.is_empty())
    })
    .await;
    let body: Value = serde_json::from_str(dead[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["detail"]["id"], events[2].id.as_str());
    let receives = dead[0]
        .attributes
        .as_ref()
        .and_then(|a| a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount))
        .cloned();
    let _ = receives; // moto does not always return it; the redrive itself is the evidence
    let subjects: Vec<String> =
        emails_to(&email).await.iter().map(|m| m["subject"].as_str().unwrap().to_owned()).collect();
    let counts: BTreeMap<&str, usize> = subjects.iter().fold(BTreeMap::new(), |mut m, s| {
        *m.entry(s.as_str()).or_default() += 1;
        m
    });
    assert_eq!(counts.get("Payment received: 1.00 USD"), Some(&1));
    assert_eq!(counts.get("Payment received: 2.00 USD"), Some(&1));
    assert_eq!(counts.get("Payment received: 3.00 USD"), None, "the poison one never went out");
    assert_eq!(counts.get("Payment received: 4.00 USD"), Some(&1));
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_stream_records_and_a_relay_crash_lose_nothing_and_send_reminders_once() {
    let app = TestApp::spawn().await;
    let email = format!("{}@example.com", unique("dup"));
    let (o, _lease) = org_with_lease(&app, "dup-owner@example.com", &email, "+1 555 010 0199", "2026-01-01").await;
    let (rx, url) = receiver(&[]).await;
    app.post(&o.path("/webhooks"), &o.token, json!({"url": url, "eventTypes": ["charge.created", "reminder.created"]}))
        .await
        .expect(201);
    // The relay publishes 2 events of its next batch, then crashes.
    functions::consumers::outbox_relay::fail_next_batch_after(app.stack.table_name(), 2);
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-04-30"})).await.expect(200);
    // Rent for May is due in 3 days on April 28: a reminder; January–April are overdue: four more.
    app.post(&o.path("/rent-runs"), &o.token, json!({"throughDate": "2026-05-01"})).await.expect(200);
    let reminders = async || {
        let events = app.get(&o.path("/events?limit=200"), &o.token).await.expect(200).body;
        events["items"].as_array().unwrap().iter().filter(|e| e["type"] == "reminder.created").count()
    };
    let out = app.stack.run_job_to_completion("job-rent-reminders", json!({"runDate": "2026-04-28"})).await.unwrap();
    assert_eq!(out["orgs"], 1, "{out}");
    assert_eq!(reminders().await, 5);
    app.stack.run_job_to_completion("job-rent-reminders", json!({"runDate": "2026-04-28"})).await.unwrap();
    assert_eq!(reminders().await, 5, "once per charge and kind");

    // Every event of the outbox, delivered a second time straight to the relay (a redelivered
    // stream batch).
    let db = &app.stack.function("api-events").unwrap().app().unwrap().db;
    let scope = portfolio::platform::scope::OrgScope::for_tests(portfolio::ids::OrgId::parse(&o.id).unwrap());
    let items = db
        .query_all(portfolio::platform::db::Query::partition(
            portfolio::platform::db::Index::Primary,
            portfolio::platform::db::keys::events_partition(&scope),
        ))
        .await
        .unwrap();
    let expected: BTreeSet<String> = items
        .iter()
        .filter(|i| matches!(i.get("type").and_then(|t| t.as_s().ok()), Some(t) if t == "charge.created" || t == "reminder.created"))
        .map(|i| i["id"].as_s().unwrap().clone())
        .collect();
    assert_eq!(expected.len(), 10, "5 charges and 5 reminders");
    let records: Vec<Value> = items.iter().enumerate().map(|(n, i)| {
        let image: serde_json::Map<String, Value> = i.iter().map(|(k, v)| (k.clone(), attr_json(v))).collect();
        json!({"eventID": n.to_string(), "eventName": "INSERT", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
            "dynamodb": {"ApproximateCreationDateTime": 0, "Keys": {}, "NewImage": image, "SequenceNumber": format!("{:021}", n), "SizeBytes": 1,
                "StreamViewType": "NEW_AND_OLD_IMAGES"}})
    }).collect();
    let relay = app.stack.function("consumer-outbox-relay").unwrap();
    let functions::Handler::Stream(handler) = relay.def.handler else { panic!("the relay reads the stream") };
    let res = handler(relay.app().unwrap(), serde_json::from_value(json!({"Records": records})).unwrap()).await;
    assert!(res.batch_item_failures.is_empty());

    // The receiver gets every event at least once and dedupes by Portfolio-Event-Id.
    let got = eventually("every event at the receiver", 30, async || {
        let ids: BTreeSet<String> =
            rx.hits().iter().map(|h| h.headers[signing::EVENT_ID_HEADER].to_str().unwrap().to_owned()).collect();
        (ids == expected).then_some(ids)
    })
    .await;
    assert_eq!(got.len(), 10);
    // Each reminder's email went out exactly once (the notifier is idempotent by event id).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let subjects: Vec<String> =
        emails_to(&email).await.iter().map(|m| m["subject"].as_str().unwrap().to_owned()).collect();
    let mut expected_subjects = vec!["Rent due on 2026-05-01".to_owned()];
    expected_subjects.extend((1..=4).map(|m| format!("Rent overdue since 2026-{m:02}-01")));
    let mut sorted = subjects.clone();
    sorted.sort();
    expected_subjects.sort();
    assert_eq!(sorted, expected_subjects, "each reminder once");
    let first = emails_to(&email).await.into_iter().find(|m| m["subject"] == "Rent due on 2026-05-01").unwrap();
    let body = first["body"].as_str().unwrap();
    assert!(
        body.contains("Your rent of 1200.00 USD is due on 2026-05-01.")
            && body.contains("Total balance including charges not yet due: 6000.00 USD"),
        "{body}"
    );
}

/// A DynamoDB attribute as stream JSON (`{"S": …}`).
fn attr_json(v: &aws_sdk_dynamodb::types::AttributeValue) -> Value {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    match v {
        A::S(s) => json!({"S": s}),
        A::N(n) => json!({"N": n}),
        A::Bool(b) => json!({"BOOL": b}),
        A::Null(_) => json!({"NULL": true}),
        A::L(l) => json!({"L": l.iter().map(attr_json).collect::<Vec<_>>()}),
        A::M(m) => json!({"M": m.iter().map(|(k, v)| (k.clone(), attr_json(v))).collect::<serde_json::Map<_, _>>()}),
        A::Ss(s) => json!({"SS": s}),
        A::Ns(n) => json!({"NS": n}),
        _ => json!({"NULL": true}),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_failing_for_three_days_is_disabled_and_an_event_says_so() {
    let app = TestApp::spawn_opts(&[("MEMBERSHIP_CACHE_TTL_SECS", "0"), ("WEBHOOK_RETRY_BASE_SECS", "1")], None).await;
    let owner = "disable-owner@example.com";
    let o = Org { id: app.create_org(owner, "Disable Org").await, token: app.token(owner) };
    let (rx, url) = receiver(&[500; 10]).await;
    let hook = app
        .post(&o.path("/webhooks"), &o.token, json!({"url": url, "eventTypes": ["building.created"]}))
        .await
        .expect(201)
        .body;
    let hook_id = hook["id"].as_str().unwrap().to_owned();
    // It has been failing for four days already.
    let four_days_ago =
        (chrono::Utc::now() - chrono::Duration::days(4)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    app.dynamodb()
        .update_item()
        .table_name(app.stack.table_name())
        .key("PK", aws_sdk_dynamodb::types::AttributeValue::S(format!("ORG#{}", o.id)))
        .key("SK", aws_sdk_dynamodb::types::AttributeValue::S(format!("WEBHOOK#{hook_id}")))
        .update_expression("SET failingSince = :t")
        .expression_attribute_values(":t", aws_sdk_dynamodb::types::AttributeValue::S(four_days_ago))
        .send()
        .await
        .unwrap();
    app.create_building(&o.id, owner, "Failing House").await;
    let w = eventually("the endpoint disabled", 20, async || {
        let w = app.get(&o.path(&format!("/webhooks/{hook_id}")), &o.token).await.body;
        (w["status"] == "disabled").then_some(w)
    })
    .await;
    assert!(w["disabledReason"].as_str().unwrap().contains("every delivery failed since"));
    assert_eq!(rx.hits().len(), 1, "one more failure, then no more attempts");
    let events = app.get(&o.path("/events?limit=200"), &o.token).await.expect(200).body;
    assert!(events["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == "webhook.disabled" && e["subject"]["id"] == hook_id.as_str()));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let list = app.get(&o.path(&format!("/webhooks/{hook_id}/deliveries")), &o.token).await.expect(200).body;
    assert_eq!(list["items"][0]["status"], "failed", "the pending retry gives up on a disabled endpoint");
    // Re-enabling is a person's decision.
    let back = app
        .patch(&o.path(&format!("/webhooks/{hook_id}")), &o.token, json!({"status": "active"}))
        .await
        .expect(200)
        .body;
    assert!(back["failingSince"].is_null() && back["status"] == "active");
}

#[tokio::test(flavor = "multi_thread")]
async fn production_configuration_refuses_private_and_loopback_targets() {
    let app =
        TestApp::spawn_opts(&[("MEMBERSHIP_CACHE_TTL_SECS", "0"), ("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "false")], None)
            .await;
    let owner = "ssrf-owner@example.com";
    let o = Org { id: app.create_org(owner, "SSRF Org").await, token: app.token(owner) };
    for url in [
        "http://127.0.0.1:8080/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.5/hook",
        "https://[::1]/hook",
        "https://metadata.internal/hook",
    ] {
        let res = app.post(&o.path("/webhooks"), &o.token, json!({"url": url, "eventTypes": ["*"]})).await;
        assert_eq!(res.problem(400).error_fields(), ["url"], "{url}");
    }
    app.post(&o.path("/webhooks"), &o.token, json!({"url": "https://hooks.example.com/ok", "eventTypes": ["*"]}))
        .await
        .expect(201);
}

/// The 24-hour give-up, driven by the clock a delivery attempt is given rather than by back-dated
/// items: the first attempt fails for real, later attempts run at chosen instants through the
/// dispatcher's own code (`webhooks::service::attempt`), and the one past 24 h gives up.
#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_failing_for_24_hours_gives_up_at_the_instant_it_is_run() {
    // Retries an hour apart, so the queued ones never come due while the test runs.
    let app = TestApp::spawn_with(&[("WEBHOOK_RETRY_BASE_SECS", "3600")]).await;
    let owner = "giveup-owner@example.com";
    let o = Org { id: app.create_org(owner, "Give-up Org").await, token: app.token(owner) };
    let (rx, url) = receiver(&[503; 10]).await;
    let hook_id = app
        .post(&o.path("/webhooks"), &o.token, json!({"url": url, "eventTypes": ["building.created"]}))
        .await
        .expect(201)
        .id();
    app.create_building(&o.id, owner, "Flaky House").await;
    let deliveries = o.path(&format!("/webhooks/{hook_id}/deliveries"));
    let first = eventually("the first failed attempt", 20, async || {
        let d = app.get(&deliveries, &o.token).await.expect(200).body["items"][0].clone();
        (d["attempts"].as_array().is_some_and(|a| a.len() == 1)).then_some(d)
    })
    .await;
    assert_eq!(first["status"], "pending");
    let t0: chrono::DateTime<chrono::Utc> = first["attempts"][0]["at"].as_str().unwrap().parse().unwrap();
    let dispatcher = app.stack.function("consumer-webhook-dispatcher").unwrap().app().unwrap();
    let message = |attempt: usize| -> portfolio::webhooks::service::DeliveryMessage {
        serde_json::from_value(
            json!({"orgId": o.id, "webhookId": hook_id, "deliveryId": first["id"], "attempt": attempt}),
        )
        .unwrap()
    };
    use portfolio::webhooks::service::{attempt, Outcome};
    // Not due yet a minute later: nothing is sent.
    let early = attempt(dispatcher, &message(1), t0 + chrono::Duration::minutes(1)).await.unwrap();
    assert!(matches!(early, Outcome::RetryIn(_)), "{early:?}");
    assert_eq!(rx.hits().len(), 1);
    // Six hours on, it is due and fails again: retried.
    let six = t0 + chrono::Duration::hours(6);
    assert!(matches!(attempt(dispatcher, &message(1), six).await.unwrap(), Outcome::RetryIn(_)));
    // Just past 24 hours of failing, the next failure gives up.
    let late = t0 + chrono::Duration::hours(24) + chrono::Duration::minutes(1);
    assert_eq!(attempt(dispatcher, &message(2), late).await.unwrap(), Outcome::GaveUp);
    assert_eq!(rx.hits().len(), 3, "one real attempt and two at chosen instants");
    let d = app.get(&deliveries, &o.token).await.expect(200).body["items"][0].clone();
    assert_eq!(d["status"], "failed");
    let at: Vec<chrono::DateTime<chrono::Utc>> =
        d["attempts"].as_array().unwrap().iter().map(|a| a["at"].as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(at, [t0, six, late], "each attempt is stamped with the instant it ran at");
    assert!(d["nextRetryAt"].is_null(), "{d}");
    // A stale message of the chain finds nothing to do.
    assert_eq!(attempt(dispatcher, &message(2), late).await.unwrap(), Outcome::Skipped);
}

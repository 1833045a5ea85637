//! Workflows over HTTP: an expense over an approval definition's threshold waits, unbooked,
//! for its two tasks (a manager reviews, an owner approves) and is booked once approved; a
//! rejected one is voided and never booked; the same event delivered twice starts one instance;
//! only an assignee acts on a task.

use e2e::catalog::account_of;
use e2e::{eventually, TestApp};
use serde_json::{json, Value};

struct Org {
    id: String,
    owner: String,
    manager: String,
    accountant: String,
}

impl Org {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.id)
    }
}

async fn expense(app: &TestApp, o: &Org, amount: &str) -> Value {
    let body = json!({"date": "2026-11-20", "amount": {"amount": amount, "currency": "USD"}, "accountId": account_of(&o.id, "5140"),
                      "paidFrom": account_of(&o.id, "1000"), "memo": format!("roof {amount}")});
    app.post_keyed(&o.path("/expenses"), &o.owner, body).await.expect(201).body
}

/// The instance the runtime starts for `expense`.
async fn workflow_of(app: &TestApp, o: &Org, expense: &str) -> Value {
    eventually("the workflow", 20, async || {
        let page = app.get(&o.path("/workflows"), &o.owner).await.expect(200).body;
        page["items"].as_array().unwrap().iter().find(|w| w["subject"]["id"] == expense).cloned()
    })
    .await
}

async fn tasks(app: &TestApp, o: &Org, token: &str) -> Vec<Value> {
    app.get(&o.path("/tasks?assignee=me"), token).await.expect(200).body["items"].as_array().unwrap().clone()
}

async fn journal_has(app: &TestApp, o: &Org, source: &str) -> bool {
    let page = app.get(&o.path("/journal?limit=200"), &o.owner).await.expect(200).body;
    page["items"].as_array().unwrap().iter().any(|e| e["source"]["id"] == source)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expense_over_the_threshold_waits_for_approval_and_a_rejected_one_is_voided() {
    let app = TestApp::spawn().await;
    let id = app.create_org("boss@example.com", "Approvals").await;
    app.add_member(&id, "boss@example.com", "mgr@example.com", "manager").await;
    app.add_member(&id, "boss@example.com", "acct@example.com", "accountant").await;
    let o = Org {
        id,
        owner: app.token("boss@example.com"),
        manager: app.token("mgr@example.com"),
        accountant: app.token("acct@example.com"),
    };
    let definition = json!({"name": "Expenses over 500.00",
        "trigger": {"eventType": "expense.approval_requested", "condition": "amount > 500.00"},
        "steps": [{"name": "Manager reviews", "assigneeRole": "manager", "dueInDays": 2},
                  {"name": "Owner approves", "assigneeRole": "owner", "dueInDays": 5}],
        "onComplete": "approve_expense"});
    app.post(&o.path("/workflow-definitions"), &o.manager, definition.clone()).await.problem(403);
    let mut bad = definition.clone();
    bad["trigger"] = json!({"eventType": "expense.nonsense", "condition": "amount >"});
    let refused = app.post(&o.path("/workflow-definitions"), &o.owner, bad).await.problem(400);
    let fields: Vec<&str> =
        refused.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"trigger.eventType") && fields.contains(&"trigger.condition"), "{fields:?}");
    app.post(&o.path("/workflow-definitions"), &o.owner, definition).await.expect(201);

    // Under the threshold: booked at once. Over it: held.
    let small = expense(&app, &o, "200.00").await;
    assert_eq!(small["status"], "paid");
    let big = expense(&app, &o, "750.00").await;
    assert_eq!(big["status"], "pending_approval", "{big}");
    let big_id = big["id"].as_str().unwrap().to_owned();
    let w = workflow_of(&app, &o, &big_id).await;
    assert_eq!(
        (w["status"].as_str(), w["tasks"][0]["status"].as_str(), w["tasks"][1]["status"].as_str()),
        (Some("open"), Some("open"), Some("pending"))
    );
    e2e::books::wait_posted(&app, &o.id, &o.owner, small["id"].as_str().unwrap()).await;
    assert!(!journal_has(&app, &o, &big_id).await, "not booked while it waits");

    // Only the assignee acts; the manager's task first, then the owner's.
    assert!(tasks(&app, &o, &o.accountant).await.is_empty());
    let task = tasks(&app, &o, &o.manager).await;
    assert_eq!(task.len(), 1);
    let task_id = task[0]["id"].as_str().unwrap().to_owned();
    let act = |t: &str, verb: &str| o.path(&format!("/tasks/{t}:{verb}"));
    app.post(&act(&task_id, "complete"), &o.accountant, json!({})).await.problem(403);
    let after =
        app.post(&act(&task_id, "complete"), &o.manager, json!({"comment": "quote checked"})).await.expect(200).body;
    assert_eq!((after["status"].as_str(), after["tasks"][1]["status"].as_str()), (Some("open"), Some("open")));
    app.post(&act(&task_id, "complete"), &o.manager, json!({})).await.problem(409);
    let second = after["tasks"][1]["id"].as_str().unwrap().to_owned();
    app.post(&act(&second, "complete"), &o.manager, json!({})).await.problem(403);
    let done = app.post(&act(&second, "complete"), &o.owner, json!({})).await.expect(200).body;
    assert_eq!(done["status"], "completed");
    let timeline: Vec<&str> =
        done["timeline"].as_array().unwrap().iter().map(|t| t["what"].as_str().unwrap()).collect();
    assert_eq!(
        timeline,
        ["started", "task.assigned", "task.completed", "task.assigned", "task.completed", "completed"]
    );
    for t in done["timeline"].as_array().unwrap() {
        println!(
            "{} {:<15} {:<28} {}",
            t["at"].as_str().unwrap(),
            t["what"].as_str().unwrap(),
            t["by"].as_str().unwrap(),
            t["detail"].as_str().unwrap_or("")
        );
    }
    let booked = app.get(&o.path(&format!("/expenses/{big_id}")), &o.owner).await.expect(200).body;
    assert_eq!(booked["status"], "paid");
    let entry = e2e::books::wait_posted(&app, &o.id, &o.owner, &big_id).await;
    assert_eq!(entry["date"], "2026-11-20");

    // Rejected: void, never booked.
    let other = expense(&app, &o, "900.00").await;
    let other_id = other["id"].as_str().unwrap().to_owned();
    let w = workflow_of(&app, &o, &other_id).await;
    let first = w["tasks"][0]["id"].as_str().unwrap().to_owned();
    let rejected =
        app.post(&act(&first, "reject"), &o.manager, json!({"comment": "not this year"})).await.expect(200).body;
    assert_eq!(
        (rejected["status"].as_str(), rejected["tasks"][1]["status"].as_str()),
        (Some("rejected"), Some("skipped"))
    );
    assert_eq!(app.get(&o.path(&format!("/expenses/{other_id}")), &o.owner).await.expect(200).body["status"], "void");
    let later = expense(&app, &o, "10.00").await;
    e2e::books::wait_posted(&app, &o.id, &o.owner, later["id"].as_str().unwrap()).await;
    assert!(!journal_has(&app, &o, &other_id).await, "a rejected expense is never booked");
    let events = app.get(&o.path("/events?limit=200"), &o.owner).await.expect(200).body;
    let types: Vec<&str> = events["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    for t in [
        "workflow.started",
        "workflow.task.assigned",
        "workflow.task.completed",
        "workflow.completed",
        "workflow.rejected",
        "expense.rejected",
    ] {
        assert!(types.contains(&t), "{t} missing");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_event_delivered_twice_starts_one_instance() {
    let app = TestApp::spawn().await;
    let id = app.create_org("twice@example.com", "Twice").await;
    let o = Org { owner: app.token("twice@example.com"), manager: String::new(), accountant: String::new(), id };
    let definition = json!({"name": "Every maintenance request", "trigger": {"eventType": "maintenance.requested"},
        "steps": [{"name": "Call the vendor", "assigneeRole": "owner"}]});
    app.post(&o.path("/workflow-definitions"), &o.owner, definition).await.expect(201);
    let building = app.create_building(&o.id, "twice@example.com", "Ash Court").await;
    let unit = app
        .post(&o.path(&format!("/buildings/{building}/units")), &o.owner, json!({"label": "3"}))
        .await
        .expect(201)
        .id();
    let r = app
        .post(&o.path("/maintenance-requests"), &o.owner, json!({"unitId": unit, "title": "Door"}))
        .await
        .expect(201)
        .body;
    let request = r["id"].as_str().unwrap().to_owned();
    workflow_of(&app, &o, &request).await;
    // The same event again, twice, on the runtime's queue.
    let events = app.get(&o.path("/events?limit=200"), &o.owner).await.expect(200).body;
    let event =
        events["items"].as_array().unwrap().iter().find(|e| e["type"] == "maintenance.requested").unwrap().clone();
    let sqs = aws_sdk_sqs::Client::new(&app.stack.sdk);
    let queue = &app.stack.refs["WorkflowRuntimeQueue"];
    for i in 0..2 {
        let envelope = json!({"version": "0", "id": format!("again-{i}"), "detail-type": event["type"], "source": "portfolioos",
            "account": "123456789012", "time": event["occurredAt"], "region": "us-east-1", "resources": [], "detail": event});
        sqs.send_message().queue_url(queue).message_body(envelope.to_string()).send().await.unwrap();
    }
    // And straight to the runtime, past the consumer's processed-marker: the derived id holds.
    let parsed: portfolio::events::Event = serde_json::from_value(event.clone()).unwrap();
    let db = app.stack.function("api-workflows").unwrap().app().unwrap().db.clone();
    let scope = portfolio::platform::scope::OrgScope::for_tests(portfolio::ids::OrgId::parse(&o.id).unwrap());
    let started = portfolio::workflows::runtime::on_event(&portfolio::platform::ctx::Ctx::new(&db, &scope), &parsed)
        .await
        .unwrap();
    assert_eq!(started, 0);
    // Both deliveries handled: the queue holds nothing, visible or in flight.
    eventually("the runtime's queue drained", 30, async || {
        use aws_sdk_sqs::types::QueueAttributeName as A;
        let attrs = sqs
            .get_queue_attributes()
            .queue_url(queue)
            .attribute_names(A::ApproximateNumberOfMessages)
            .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await
            .unwrap();
        let n = |a: A| attrs.attributes().and_then(|m| m.get(&a)).map_or(1, |v| v.parse::<u32>().unwrap_or(1));
        (n(A::ApproximateNumberOfMessages) + n(A::ApproximateNumberOfMessagesNotVisible) == 0).then_some(())
    })
    .await;
    let page = app.get(&o.path("/workflows"), &o.owner).await.expect(200).body;
    let of_request =
        page["items"].as_array().unwrap().iter().filter(|w| w["subject"]["id"] == request.as_str()).count();
    assert_eq!(of_request, 1, "one instance per event");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_task_falling_due_is_announced_to_its_assignee() {
    let app = TestApp::spawn().await;
    let id = app.create_org("lead@example.com", "Reminded").await;
    app.add_member(&id, "lead@example.com", "fixer@example.com", "manager").await;
    let o = Org {
        owner: app.token("lead@example.com"),
        manager: app.token("fixer@example.com"),
        accountant: String::new(),
        id,
    };
    let definition = json!({"name": "Repairs", "trigger": {"eventType": "maintenance.requested"},
        "steps": [{"name": "Call the vendor", "assigneeRole": "manager", "dueInDays": 1}]});
    app.post(&o.path("/workflow-definitions"), &o.owner, definition).await.expect(201);
    let building = app.create_building(&o.id, "lead@example.com", "Oak Row").await;
    let unit = app
        .post(&o.path(&format!("/buildings/{building}/units")), &o.owner, json!({"label": "7"}))
        .await
        .expect(201)
        .id();
    let r = app
        .post(&o.path("/maintenance-requests"), &o.manager, json!({"unitId": unit, "title": "Gutter"}))
        .await
        .expect(201)
        .body;
    let w = workflow_of(&app, &o, r["id"].as_str().unwrap()).await;
    let due = w["tasks"][0]["dueOn"].as_str().unwrap().to_owned();
    let board = app.get(&o.path("/obligations?dueBefore=2100-01-01&kind=task_due"), &o.owner).await.expect(200).body;
    assert_eq!(board["items"][0]["dueOn"].as_str(), Some(due.as_str()), "{board}");
    let today = chrono::Utc::now().date_naive().to_string();
    app.stack.run_job_to_completion("job-obligations", json!({"runDate": today})).await.unwrap();
    let emulator = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into());
    let mail = eventually("the assignee's reminder", 15, async || {
        let all: Vec<Value> =
            reqwest::get(format!("{emulator}/_emulator/ses/messages")).await.unwrap().json().await.unwrap();
        all.into_iter().find(|m| {
            m["destinations"]["ToAddresses"].as_array().is_some_and(|a| a.iter().any(|x| x == "fixer@example.com"))
        })
    })
    .await;
    assert_eq!(mail["subject"].as_str(), Some(format!("Due {due}: Call the vendor").as_str()));
}

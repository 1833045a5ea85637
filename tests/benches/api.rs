//! `make bench`: the API's overhead and its DynamoDB round trips, on the emulator.
//!
//! 1. Warm `GET /buildings/{id}` through devstack over HTTP vs one raw `GetItem` of the same item
//!    on the same emulator (ratio of medians), alternated, with the stack's event pumps off.
//! 2. DynamoDB calls per request for every route (counted by the SDK interceptor), with the
//!    membership lookup cached (warm) and not (cold).

use aws_sdk_dynamodb::types::AttributeValue;
use e2e::catalog::{cases, Fixture};
use e2e::measure::{median, ops_diff, p95};
use e2e::TestApp;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    // A quiet emulator: no event pumps polling it while requests are timed.
    let app = TestApp::spawn_custom(&[], |o| o.pumps = false).await;
    let fx = Fixture::seed(&app, "bench-owner@example.com").await;
    let token = app.token("bench-owner@example.com");
    app.post(
        &format!("/api/v1/orgs/{}/buildings/{}/units:bulk", fx.org, fx.building),
        &token,
        serde_json::json!({"pattern": "{1..24}"}),
    )
    .await
    .expect(201);

    // 1. Warm read through the stack vs the raw read it needs, alternated after a warm-up.
    let path = format!("/api/v1/orgs/{}/buildings/{}", fx.org, fx.building);
    let client = app.dynamodb();
    let get = || {
        client
            .get_item()
            .table_name(app.stack.table_name())
            .key("PK", AttributeValue::S(format!("ORG#{}", fx.org)))
            .key("SK", AttributeValue::S(format!("BLDG#{}", fx.building)))
            .consistent_read(true)
            .send()
    };
    for _ in 0..20 {
        app.get(&path, &token).await.expect(200);
        get().await.unwrap();
    }
    let (mut api, mut raw) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let t = Instant::now();
        let r = app.get(&path, &token).await;
        api.push(t.elapsed());
        assert_eq!(r.status, 200);
        let t = Instant::now();
        get().await.unwrap();
        raw.push(t.elapsed());
    }
    let (api_med, raw_med) = (median(&mut api), median(&mut raw));
    println!("== warm GET /api/v1/orgs/{{orgId}}/buildings/{{buildingId}} (n={n}, sequential)");
    println!(
        "devstack over HTTP (JWT check, routing, handler, GetItem)  median {}  p95 {}",
        ms(api_med),
        ms(p95(&mut api))
    );
    println!(
        "raw GetItem on the same emulator                            median {}  p95 {}",
        ms(raw_med),
        ms(p95(&mut raw))
    );
    println!("ratio devstack / raw GetItem: {:.2}x", api_med.as_secs_f64() / raw_med.as_secs_f64());

    // 2. DynamoDB calls per route. Each route is called on a fresh function instance (cold
    //    membership cache) and again warm where the call can repeat.
    println!("\n== DynamoDB calls per request (SDK interceptor count)");
    println!("{:<72} {:>5} {:>5}  operations (warm)", "route", "cold", "warm");
    let mut cases = cases(&app, &fx);
    cases.sort_by_key(|c| (c.method == "DELETE", c.method != "GET"));
    for c in cases {
        let f = app.stack.gateway.functions.iter().find(|f| f.def.route_keys().contains(&c.route_key)).unwrap();
        let calls = |f: &devstack::server::FunctionRuntime| {
            (f.db_calls(), f.app().map(|a| a.db.calls().by_operation()).unwrap_or_default())
        };
        // Cold: the caller's first request to this function (a new member, so no cached
        // membership); warm: the same caller again.
        let cold_email = format!("cold-{}@example.com", ulid::Ulid::new().to_string().to_lowercase());
        if c.org_scoped {
            app.add_member(&fx.org, &fx.owner, &cold_email, "owner").await;
        }
        let caller = if c.org_scoped { app.token(&cold_email) } else { token.clone() };
        let (b0, _) = calls(f);
        let first = c.send(&app, &caller, c.body.clone()).await;
        let (b1, ops1) = calls(f);
        let body = e2e::catalog::sample_body(&c.route_key, &fx);
        let second = c.send(&app, &caller, body).await;
        let (b2, ops2) = calls(f);
        let warm = if second.status < 300 { format!("{}", b2 - b1) } else { "-".into() };
        let ops =
            if second.status < 300 { ops_diff(&ops1, &ops2) } else { format!("(repeat answered {})", second.status) };
        println!("{:<72} {:>5} {:>5}  {ops}   [{}]", c.route_key, b1 - b0, warm, first.status);
    }
}

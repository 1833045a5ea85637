//! `template.yaml` is the deployed truth: every binary, route and resource the code has is
//! declared there, and nothing is declared that the code does not have.

use devstack::template::Template;
use functions::jobs::JobFunctions;
use serde_yaml::Value;
use std::collections::BTreeSet;

fn template() -> Template {
    Template::load_default().unwrap()
}

#[test]
fn every_function_binary_is_declared_and_every_declared_function_exists() {
    let t = template();
    let declared: BTreeSet<String> = t.functions.iter().map(|f| f.binary.clone()).collect();
    let registry: BTreeSet<String> = functions::registry().iter().map(|f| f.name.to_owned()).collect();
    let bins_dir = devstack::template::repo_root().join("functions/src/bin");
    let binaries: BTreeSet<String> = std::fs::read_dir(bins_dir)
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
        .collect();
    assert_eq!(declared, registry, "template functions vs functions::registry()");
    assert_eq!(declared, binaries, "template functions vs functions/src/bin");
    for required in [
        "api-health",
        "api-orgs",
        "api-members",
        "api-buildings",
        "api-units",
        "api-audit",
        "api-tenants",
        "api-leases",
        "api-occupancy",
        "api-documents",
        "consumer-document-uploaded",
        "api-charges",
        "api-payments",
        "api-ledger",
        "api-delinquency",
        "api-rent-runs",
        "job-rent-scheduler",
        "consumer-rent-generator",
        "job-late-fees",
        "job-delinquency-snapshot",
        "consumer-outbox-relay",
        "consumer-webhook-dispatcher",
        "consumer-notifier",
        "job-rent-reminders",
        "consumer-late-fees",
        "consumer-delinquency-snapshot",
        "consumer-rent-reminders",
        "api-events",
        "api-webhooks",
        "api-accounts",
        "api-journal",
        "api-vendors",
        "api-expenses",
        "consumer-books",
        "job-recurring-expenses",
        "consumer-recurring-expenses",
        "job-depreciation",
        "consumer-depreciation",
        "consumer-receipt-uploaded",
        "api-policies",
        "api-maintenance",
        "api-workflows",
        "consumer-workflow-runtime",
        "job-obligations",
    ] {
        assert!(declared.contains(required), "{required} is missing");
    }
}

#[test]
fn functions_are_arm64_al2023_cargo_lambda_with_their_own_least_privilege_policy() {
    let t = template();
    let globals = &t.raw["Globals"]["Function"];
    assert_eq!(globals["Runtime"].as_str(), Some("provided.al2023"));
    assert_eq!(globals["Architectures"][0].as_str(), Some("arm64"));
    for f in &t.functions {
        let pascal: String = f.binary.split('-').map(|p| p[..1].to_uppercase() + &p[1..]).collect();
        assert_eq!(f.logical_id, pascal, "logical id of {}", f.binary);
        assert_eq!(f.metadata["BuildMethod"].as_str(), Some("rust-cargolambda"), "{}", f.binary);
        let policies = serde_yaml::to_string(&f.properties["Policies"]).unwrap();
        assert!(
            !policies.contains("dynamodb:*") && !policies.contains("\"*\"") && !policies.contains("DynamoDBCrudPolicy"),
            "{} is over-privileged",
            f.binary
        );
        assert!(!policies.contains("dynamodb:Scan"), "{} may scan", f.binary);
    }
}

/// Secrets at rest, one retained, rotating KMS key per purpose, each usable only under its own
/// encryption context and only by the functions that need it: webhook signing secrets are
/// encrypted by api-webhooks and decrypted by the dispatcher; vendors' tax ids are encrypted by
/// api-vendors and decrypted by no function (they are only answered masked); Plaid access
/// tokens by api-integrations (which decrypts one to revoke it) and consumer-bank-sync; SFTP
/// private keys are encrypted by api-integrations and decrypted by consumer-sftp-poll alone.
/// Only those functions are told the key ids.
#[test]
fn each_kms_key_is_used_only_by_its_functions_under_its_purpose() {
    let t = template();
    let keys = t.resources_of("AWS::KMS::Key");
    let key_ids: BTreeSet<&str> = keys.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(key_ids, BTreeSet::from(["WebhookSecretsKey", "VendorTaxIdKey", "PlaidTokensKey", "SftpKeysKey"]));
    for (_, key) in &keys {
        assert_eq!(key["DeletionPolicy"].as_str(), Some("Retain"));
        assert_eq!(key["Properties"]["EnableKeyRotation"].as_bool(), Some(true));
        assert!(!key["Properties"]["KeyPolicy"].is_null(), "an explicit key policy");
    }
    let aliases: BTreeSet<String> = t
        .resources_of("AWS::KMS::Alias")
        .iter()
        .map(|(_, a)| serde_yaml::to_string(&a["Properties"]["TargetKeyId"]).unwrap().trim().to_owned())
        .collect();
    assert_eq!(
        aliases,
        BTreeSet::from([
            "!Ref VendorTaxIdKey".to_owned(),
            "!Ref WebhookSecretsKey".to_owned(),
            "!Ref PlaidTokensKey".to_owned(),
            "!Ref SftpKeysKey".to_owned()
        ])
    );
    let purpose_of = |key: &str| match key {
        "!GetAtt WebhookSecretsKey.Arn" => portfolio::webhooks::SECRETS_PURPOSE,
        "!GetAtt VendorTaxIdKey.Arn" => portfolio::platform::secrets::VENDOR_TAX_ID_PURPOSE,
        "!GetAtt PlaidTokensKey.Arn" => portfolio::platform::secrets::PLAID_ACCESS_TOKEN_PURPOSE,
        "!GetAtt SftpKeysKey.Arn" => portfolio::platform::secrets::SFTP_PRIVATE_KEY_PURPOSE,
        other => panic!("KMS actions on {other}"),
    };
    for f in &t.functions {
        let kms: Vec<(String, String)> = f.properties["Policies"]
            .as_sequence()
            .into_iter()
            .flatten()
            .flat_map(|p| p["Statement"].as_sequence().cloned().unwrap_or_default())
            .flat_map(|st| {
                let actions: Vec<String> = match &st["Action"] {
                    Value::Sequence(a) => a.iter().filter_map(|a| a.as_str().map(str::to_owned)).collect(),
                    a => a.as_str().map(str::to_owned).into_iter().collect(),
                };
                let on = serde_yaml::to_string(&st["Resource"]).unwrap().trim().to_owned();
                let purpose =
                    st["Condition"]["StringEquals"]["kms:EncryptionContext:purpose"].as_str().map(str::to_owned);
                actions.into_iter().filter(|a| a.starts_with("kms:")).map(move |a| {
                    assert_eq!(purpose.as_deref(), Some(purpose_of(&on)), "{a} on {on} needs its context");
                    (a, on.clone())
                })
            })
            .collect();
        let got: Vec<(&str, &str)> = kms.iter().map(|(a, k)| (a.as_str(), k.as_str())).collect();
        let expected: &[(&str, &str)] = match f.binary.as_str() {
            "api-webhooks" => &[("kms:Encrypt", "!GetAtt WebhookSecretsKey.Arn")],
            "consumer-webhook-dispatcher" => &[("kms:Decrypt", "!GetAtt WebhookSecretsKey.Arn")],
            "api-vendors" => &[("kms:Encrypt", "!GetAtt VendorTaxIdKey.Arn")],
            "api-integrations" => &[
                ("kms:Encrypt", "!GetAtt PlaidTokensKey.Arn"),
                ("kms:Decrypt", "!GetAtt PlaidTokensKey.Arn"),
                ("kms:Encrypt", "!GetAtt SftpKeysKey.Arn"),
            ],
            "consumer-bank-sync" => &[("kms:Decrypt", "!GetAtt PlaidTokensKey.Arn")],
            "consumer-sftp-poll" => &[("kms:Decrypt", "!GetAtt SftpKeysKey.Arn")],
            _ => &[],
        };
        assert_eq!(got, expected, "KMS permissions of {}", f.binary);
        for (var, key) in [
            ("WEBHOOK_SECRETS_KEY_ID", "WebhookSecretsKey"),
            ("VENDOR_TAX_ID_KEY_ID", "VendorTaxIdKey"),
            ("PLAID_TOKENS_KEY_ID", "PlaidTokensKey"),
            ("SFTP_KEYS_KEY_ID", "SftpKeysKey"),
        ] {
            let uses = expected.iter().any(|(_, k)| k.contains(key));
            assert_eq!(f.environment.contains_key(var), uses, "{var} on {}", f.binary);
        }
    }
}

#[test]
fn routes_in_code_and_template_are_the_same_per_function() {
    let t = template();
    for def in functions::registry() {
        let f = t.functions.iter().find(|f| f.binary == def.name).unwrap();
        let declared: BTreeSet<String> = f.routes.iter().map(|r| r.key()).collect();
        let served: BTreeSet<String> = def.route_keys().into_iter().collect();
        assert_eq!(declared, served, "routes of {}", def.name);
        for r in &f.routes {
            // A provider's webhook is authenticated by the provider's signature, not our JWT.
            let public = ["GET /api/v1/health", "GET /api/v1/openapi.json", "GET /api/v1/event-types"]
                .contains(&r.key().as_str())
                || r.path.starts_with("/webhooks/");
            assert_eq!(r.auth, !public, "{} must {}need the JWT authorizer", r.key(), if public { "not " } else { "" });
        }
    }
}

#[test]
fn s3_triggered_functions_listen_to_their_bucket_and_serve_no_routes() {
    let t = template();
    let s3_functions: Vec<_> =
        functions::registry().into_iter().filter(|d| matches!(d.handler, functions::Handler::S3(_))).collect();
    assert!(!s3_functions.is_empty());
    for def in s3_functions {
        let f = t.functions.iter().find(|f| f.binary == def.name).unwrap();
        let events: Vec<&Value> = f.properties["Events"].as_mapping().unwrap().values().collect();
        assert!(events.iter().all(|e| e["Type"].as_str() == Some("S3")), "{}", def.name);
        let Value::Tagged(bucket) = &events[0]["Properties"]["Bucket"] else { panic!("Bucket must !Ref") };
        let expected = match def.name {
            "consumer-receipt-uploaded" => "ReceiptsBucket",
            "consumer-import" => "ImportsBucket",
            _ => "DocumentsBucket",
        };
        assert_eq!(bucket.value.as_str(), Some(expected), "{}", def.name);
        assert!(def.routes.is_empty() && f.routes.is_empty());
    }
}

#[test]
fn the_http_api_uses_a_cognito_jwt_authorizer() {
    let t = template();
    let api = t.resources_of("AWS::Serverless::HttpApi");
    assert_eq!(api.len(), 1);
    let auth = &api[0].1["Properties"]["Auth"];
    let name = auth["DefaultAuthorizer"].as_str().unwrap();
    let jwt = &auth["Authorizers"][name]["JwtConfiguration"];
    assert!(serde_yaml::to_string(&jwt["issuer"]).unwrap().contains("cognito-idp"));
    assert!(!jwt["audience"].is_null());
    assert_eq!(t.resources_of("AWS::Cognito::UserPool").len(), 1);
    assert_eq!(t.resources_of("AWS::Cognito::UserPoolClient").len(), 1);
}

#[test]
fn the_table_has_the_designed_keys_indexes_stream_ttl_and_pitr() {
    let t = template();
    let tables = t.resources_of("AWS::DynamoDB::Table");
    assert_eq!(tables.len(), 1, "one table");
    let (id, table) = &tables[0];
    assert_eq!(id, "Table");
    let p = &table["Properties"];
    let keys = |v: &Value| {
        v.as_sequence()
            .unwrap()
            .iter()
            .map(|k| format!("{}:{}", k["AttributeName"].as_str().unwrap(), k["KeyType"].as_str().unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&p["KeySchema"]), ["PK:HASH", "SK:RANGE"]);
    let gsis: Vec<(String, Vec<String>)> = p["GlobalSecondaryIndexes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|g| (g["IndexName"].as_str().unwrap().to_owned(), keys(&g["KeySchema"])))
        .collect();
    assert_eq!(
        gsis,
        [
            ("GSI1".to_owned(), vec!["GSI1PK:HASH".to_owned(), "GSI1SK:RANGE".to_owned()]),
            ("GSI2".to_owned(), vec!["GSI2PK:HASH".to_owned(), "GSI2SK:RANGE".to_owned()])
        ]
    );
    assert_eq!(p["StreamSpecification"]["StreamViewType"].as_str(), Some("NEW_AND_OLD_IMAGES"));
    assert_eq!(p["TimeToLiveSpecification"]["AttributeName"].as_str(), Some("expiresAt"));
    assert_eq!(p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(), Some(true));
    assert_eq!(p["BillingMode"].as_str(), Some("PAY_PER_REQUEST"));
}

#[test]
fn every_variable_the_config_reads_is_set_from_a_declared_resource() {
    let t = template();
    let vars = t.raw["Globals"]["Function"]["Environment"]["Variables"].as_mapping().unwrap();
    let resources: BTreeSet<String> =
        t.raw["Resources"].as_mapping().unwrap().keys().filter_map(|k| k.as_str().map(str::to_owned)).collect();
    let params: BTreeSet<String> =
        t.raw["Parameters"].as_mapping().unwrap().keys().filter_map(|k| k.as_str().map(str::to_owned)).collect();
    let get = |k: &str| vars.get(k).cloned();
    // The config fails on anything missing: build it from the template's own names.
    let env: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_owned(),
                devstack::template::resolve(v, &Default::default()).unwrap_or_else(|| "x".repeat(32)),
            )
        })
        .collect();
    portfolio::platform::config::Config::from_vars(|k| env.get(k).cloned())
        .expect("the template sets every variable the code reads");
    for (var, expected) in [("TABLE_NAME", "Table"), ("EVENT_BUS_NAME", "EventBus")] {
        let v = get(var).unwrap_or_else(|| panic!("{var} not set"));
        let Value::Tagged(tagged) = v else { panic!("{var} must !Ref a resource") };
        let target = tagged.value.as_str().unwrap();
        assert_eq!(target, expected);
        assert!(resources.contains(target), "{var} refers to {target}, which is not declared");
    }
    // The buckets are named, not referenced (their notifications refer back to functions). The
    // SPA's bucket is CloudFront's alone: no function is told of it.
    let buckets = t.resources_of("AWS::S3::Bucket");
    let ids: BTreeSet<&str> = buckets.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["DocumentsBucket", "ReceiptsBucket", "ImportsBucket", "SpaBucket"]));
    for f in &t.functions {
        let uses = serde_yaml::to_string(&(&f.environment, &f.properties)).unwrap();
        assert!(!uses.contains("SpaBucket") && !uses.contains("SpaDistribution"), "{} reaches the SPA", f.binary);
    }
    for (var, id) in [
        ("BUCKET_NAME", "DocumentsBucket"),
        ("RECEIPTS_BUCKET_NAME", "ReceiptsBucket"),
        ("IMPORTS_BUCKET_NAME", "ImportsBucket"),
    ] {
        let bucket = &buckets.iter().find(|(b, _)| b == id).unwrap().1;
        assert_eq!(get(var), Some(bucket["Properties"]["BucketName"].clone()), "{var} is {id}'s name");
    }
    let Value::Tagged(secret) = get("CURSOR_SECRET").unwrap() else { panic!("CURSOR_SECRET must !Ref a parameter") };
    assert!(params.contains(secret.value.as_str().unwrap()));
    assert_eq!(t.resources_of("AWS::Events::EventBus").len(), 1);
}

/// `events/api/<function>.json` exists for every API function, decodes as an HTTP API payload
/// 2.0 event, names one of that function's routes, and runs (`make invoke` uses these).
#[tokio::test(flavor = "multi_thread")]
async fn every_api_function_has_a_sample_event_that_runs() {
    let app = e2e::TestApp::spawn().await;
    let dir = devstack::template::repo_root().join("events/api");
    for f in app.stack.gateway.functions.iter().filter(|f| matches!(f.def.handler, functions::Handler::Http(_))) {
        let path = dir.join(format!("{}.json", f.def.name));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
        let event: serde_json::Value = serde_json::from_str(&text).unwrap();
        let route = event["routeKey"].as_str().unwrap();
        assert!(
            f.def.route_keys().iter().any(|k| k == route),
            "{}: {route} is not served by {}",
            path.display(),
            f.def.name
        );
        let res = devstack::server::invoke_http(f, &text).await;
        let status = res.status().as_u16();
        assert!(status < 500, "{} answered {status}", path.display());
        // The sample org does not exist here: org routes answer 404; a provider's webhook sample
        // carries a signature long expired (a stored file cannot hold a fresh one): 400; the rest
        // succeed.
        let expected = if route.contains("{orgId}") {
            404
        } else if route.contains(" /webhooks/") {
            400
        } else if route.starts_with("POST") {
            201
        } else {
            200
        };
        assert_eq!(status, expected, "{}", path.display());
    }
}

#[test]
fn queue_consumers_and_jobs_are_wired_as_designed() {
    let t = template();
    for def in functions::registry() {
        let f = t.functions.iter().find(|f| f.binary == def.name).unwrap();
        let events: Vec<&Value> = f.properties["Events"].as_mapping().map(|m| m.values().collect()).unwrap_or_default();
        match def.handler {
            functions::Handler::Sqs(_) => {
                assert!(!events.is_empty(), "{} has no queue", def.name);
                for e in &events {
                    assert_eq!(e["Type"].as_str(), Some("SQS"), "{}", def.name);
                    let fr = serde_yaml::to_string(&e["Properties"]["FunctionResponseTypes"]).unwrap();
                    assert!(fr.contains("ReportBatchItemFailures"), "{} must report partial batch failures", def.name);
                    let queue = devstack::pumps::logical_target(&e["Properties"]["Queue"]).unwrap();
                    let q = &t.raw["Resources"][queue.as_str()]["Properties"];
                    assert_eq!(
                        q["RedrivePolicy"]["maxReceiveCount"].as_i64(),
                        Some(5),
                        "{queue} has a DLQ after 5 tries"
                    );
                    let timeout = f.properties["Timeout"].as_i64().unwrap();
                    assert!(
                        q["VisibilityTimeout"].as_i64().unwrap() >= 6 * timeout,
                        "{queue} visibility ≥ 6 × timeout"
                    );
                }
            }
            functions::Handler::Stream(_) => {
                assert_eq!(events.len(), 1, "{}", def.name);
                let p = &events[0]["Properties"];
                assert_eq!(events[0]["Type"].as_str(), Some("DynamoDB"));
                assert_eq!(devstack::pumps::logical_target(&p["Stream"]).as_deref(), Some("Table"));
                assert_eq!(p["StartingPosition"].as_str(), Some("TRIM_HORIZON"));
                assert_eq!(p["BisectBatchOnFunctionError"].as_bool(), Some(true));
                assert!(serde_yaml::to_string(&p["FunctionResponseTypes"])
                    .unwrap()
                    .contains("ReportBatchItemFailures"));
                assert!(!p["DestinationConfig"]["OnFailure"]["Destination"].is_null(), "an on-failure destination");
                let pattern: serde_json::Value =
                    serde_json::from_str(p["FilterCriteria"]["Filters"][0]["Pattern"].as_str().unwrap()).unwrap();
                assert_eq!(pattern["eventName"], serde_json::json!(["INSERT"]));
                assert_eq!(pattern["dynamodb"]["NewImage"]["entity"]["S"], serde_json::json!(["Event"]));
            }
            functions::Handler::Job(_) => {
                assert!(events.is_empty(), "{} is invoked by a schedule only", def.name);
                let schedules = devstack::pumps::schedules(&t);
                assert!(schedules.iter().any(|s| s.function == def.name), "{} has no schedule", def.name);
            }
            _ => {}
        }
    }
    // Every per-org job: its scheduler may only read the org index and send to the job's queue,
    // which exactly one function drains: the job's consumer. Each job has its own queue and DLQ.
    let mut queues = BTreeSet::new();
    for job in functions::jobs::Job::ALL {
        let scheduler = t.functions.iter().find(|f| f.binary == job.scheduler()).unwrap();
        let queue = devstack::pumps::logical_target(&scheduler.environment["JOB_QUEUE_URL"])
            .unwrap_or_else(|| panic!("{} must !Ref its job queue in JOB_QUEUE_URL", job.scheduler()));
        assert!(queues.insert(queue.clone()), "{queue} is shared by two jobs");
        let policies = serde_yaml::to_string(&scheduler.properties["Policies"]).unwrap();
        assert!(policies.contains(&format!("{queue}.Arn")), "{} may send to {queue}", job.scheduler());
        assert!(
            policies.contains("/index/GSI1") && !policies.contains("PutItem"),
            "{} reads the org index only",
            job.scheduler()
        );
        let drained_by: Vec<&str> = t
            .functions
            .iter()
            .filter(|f| {
                f.properties["Events"].as_mapping().into_iter().flatten().any(|(_, e)| {
                    devstack::pumps::logical_target(&e["Properties"]["Queue"]).as_deref() == Some(queue.as_str())
                })
            })
            .map(|f| f.binary.as_str())
            .collect();
        assert_eq!(drained_by, [job.consumer()], "{queue} is drained by the job's consumer alone");
        let dlq = devstack::pumps::logical_target(
            &t.raw["Resources"][queue.as_str()]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"],
        );
        assert!(
            dlq.is_some_and(|d| t.raw["Resources"][d.as_str()]["Type"].as_str() == Some("AWS::SQS::Queue")),
            "{queue} has a DLQ"
        );
    }
}

/// Every per-org job has a sample schedule input (`events/jobs/<scheduler>.json`) and a sample
/// queue event (`events/sqs/<consumer>.json`) whose message is that job's, from the job's queue;
/// both run (`make invoke` uses them). The sample org does not exist here: nothing fails.
#[tokio::test(flavor = "multi_thread")]
async fn every_job_has_sample_events_that_run() {
    let app = e2e::TestApp::spawn().await;
    let root = devstack::template::repo_root().join("events");
    let t = template();
    for job in functions::jobs::Job::ALL {
        let path = root.join(format!("jobs/{}.json", job.scheduler()));
        let input: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        functions::jobs::scheduled_time(&input).unwrap();
        assert!(input.get("scheduledTime").is_some(), "{}: the schedule's input", path.display());
        let out = app.stack.run_job_to_completion(job.scheduler(), input).await.unwrap();
        assert_eq!((out["job"].as_str(), out["orgs"].as_u64()), (Some(job.name()), Some(0)), "{}", path.display());

        let path = root.join(format!("sqs/{}.json", job.consumer()));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
        let event: aws_lambda_events::sqs::SqsEvent = serde_json::from_str(&text).unwrap();
        let scheduler = t.functions.iter().find(|f| f.binary == job.scheduler()).unwrap();
        let queue = devstack::pumps::logical_target(&scheduler.environment["JOB_QUEUE_URL"]).unwrap();
        for r in &event.records {
            let m: functions::jobs::JobMessage = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
            assert_eq!(m.job, job, "{}", path.display());
            assert!(r.event_source_arn.as_deref().unwrap().ends_with(&format!("-{queue}")), "{}", path.display());
        }
        let f = app.stack.function(job.consumer()).unwrap();
        let functions::Handler::Sqs(handler) = f.def.handler else { panic!("{} drains a queue", job.consumer()) };
        let res = handler(f.app().unwrap(), event).await;
        assert!(res.batch_item_failures.is_empty(), "{}", path.display());
    }
}

/// The single-page app can call every route: CORS allows every method a route uses (a `PUT`
/// route once answered a browser's preflight without `PUT`).
#[test]
fn cors_allows_every_method_the_routes_use() {
    let t = template();
    let apis = t.resources_of("AWS::Serverless::HttpApi");
    let allowed: BTreeSet<String> = apis
        .iter()
        .flat_map(|(_, api)| {
            api["Properties"]["CorsConfiguration"]["AllowMethods"].as_sequence().cloned().unwrap_or_default()
        })
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect();
    assert!(!allowed.is_empty(), "the HTTP API declares its CORS methods");
    for f in &t.functions {
        for r in &f.routes {
            assert!(allowed.contains(&r.method), "{} {} is not allowed by CORS ({allowed:?})", r.method, r.path);
        }
    }
}

/// The single-page app: served by CloudFront from a private bucket only the distribution reads,
/// signing in through Cognito's hosted UI as a public client with the authorization code and
/// PKCE (no secret, no implicit flow), back to the distribution or the Vite dev server; the API
/// and the upload buckets allow those two origins and nothing else.
#[test]
fn the_spa_is_a_private_bucket_behind_cloudfront_signing_in_with_code_and_pkce() {
    let t = template();
    let res = &t.raw["Resources"];
    let yaml = |v: &Value| serde_yaml::to_string(v).unwrap().trim().to_owned();
    let seq = |v: &Value| v.as_sequence().unwrap().iter().map(yaml).collect::<Vec<_>>();
    let app = "!Sub https://${SpaDistribution.DomainName}";
    let client = &res["UserPoolClient"]["Properties"];
    assert_eq!(client["GenerateSecret"].as_bool(), Some(false), "a public client");
    assert_eq!(client["AllowedOAuthFlowsUserPoolClient"].as_bool(), Some(true));
    assert_eq!(seq(&client["AllowedOAuthFlows"]), ["code"]);
    assert_eq!(seq(&client["AllowedOAuthScopes"]), ["openid", "email"]);
    assert_eq!(seq(&client["SupportedIdentityProviders"]), ["COGNITO"]);
    assert_eq!(
        seq(&client["CallbackURLs"]),
        [format!("{app}/auth/callback"), "http://127.0.0.1:5173/auth/callback".into()]
    );
    assert_eq!(seq(&client["LogoutURLs"]), [format!("{app}/"), "http://127.0.0.1:5173/".into()]);
    assert_eq!(client["EnableTokenRevocation"].as_bool(), Some(true));
    let validity = |k: &str| (client[format!("{k}Validity")].as_i64(), client["TokenValidityUnits"][k].as_str());
    assert_eq!(validity("AccessToken"), (Some(15), Some("minutes")));
    assert_eq!(validity("IdToken"), (Some(15), Some("minutes")));
    assert_eq!(validity("RefreshToken"), (Some(30), Some("days")));
    assert_eq!(res["UserPoolDomain"]["Type"].as_str(), Some("AWS::Cognito::UserPoolDomain"));

    let bucket = &res["SpaBucket"]["Properties"];
    let block = &bucket["PublicAccessBlockConfiguration"];
    for k in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
        assert_eq!(block[k].as_bool(), Some(true), "{k}");
    }
    assert_eq!(bucket["OwnershipControls"]["Rules"][0]["ObjectOwnership"].as_str(), Some("BucketOwnerEnforced"));
    let oac = &res["SpaOriginAccessControl"]["Properties"]["OriginAccessControlConfig"];
    assert_eq!((oac["SigningBehavior"].as_str(), oac["SigningProtocol"].as_str()), (Some("always"), Some("sigv4")));
    let cdn = &res["SpaDistribution"]["Properties"]["DistributionConfig"];
    assert_eq!(yaml(&cdn["Origins"][0]["OriginAccessControlId"]), "!GetAtt SpaOriginAccessControl.Id");
    assert_eq!(cdn["DefaultCacheBehavior"]["ViewerProtocolPolicy"].as_str(), Some("redirect-to-https"));
    let errors: Vec<_> = cdn["CustomErrorResponses"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| (e["ErrorCode"].as_i64(), e["ResponseCode"].as_i64(), e["ResponsePagePath"].as_str()))
        .collect();
    assert_eq!(errors, [(Some(403), Some(200), Some("/index.html")), (Some(404), Some(200), Some("/index.html"))]);
    // The distribution names the bucket and its access control only: no cycle through the pool
    // or the API, which name the distribution.
    let cdn_refs = yaml(&res["SpaDistribution"]);
    assert!(!["UserPool", "HttpApi", "Documents", "Receipts"].iter().any(|r| cdn_refs.contains(r)), "{cdn_refs}");

    let policy = &res["SpaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    let read = policy.as_sequence().unwrap().iter().find(|s| s["Effect"].as_str() == Some("Allow")).unwrap();
    assert_eq!(read["Principal"]["Service"].as_str(), Some("cloudfront.amazonaws.com"));
    assert_eq!(read["Action"].as_str(), Some("s3:GetObject"));
    assert!(yaml(&read["Condition"]["StringEquals"]["AWS:SourceArn"]).ends_with(":distribution/${SpaDistribution}"));

    let api = &res["HttpApi"]["Properties"]["CorsConfiguration"];
    assert_eq!(seq(&api["AllowOrigins"]), [app, "http://127.0.0.1:5173"]);
    for b in ["DocumentsBucket", "ReceiptsBucket"] {
        let rules = &res[b]["Properties"]["CorsConfiguration"]["CorsRules"];
        assert_eq!(seq(&rules[0]["AllowedOrigins"]), [app, "http://127.0.0.1:5173"], "{b}");
    }
    assert!(t.raw["Parameters"].get("SpaOrigin").is_none(), "the app's origin is the distribution's");
    for output in ["ApiUrl", "SpaUrl", "SpaBucketName", "UserPoolDomainUrl", "UserPoolClientId"] {
        assert!(!t.raw["Outputs"][output]["Value"].is_null(), "output {output}");
    }
}

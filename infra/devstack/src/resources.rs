//! Creates what `template.yaml` declares on the emulator: the table (keys, GSIs, stream, TTL,
//! PITR), buckets, queues (with redrive), KMS keys and aliases, event buses and rules with SQS
//! targets. Physical names
//! are `<prefix>-<logical id>` so parallel test runs never share anything.

use crate::template::{resolve, Template};
use aws_sdk_dynamodb::types as ddb;
use serde_yaml::Value;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
#[error("creating {resource}: {message}")]
pub struct ResourceError {
    pub resource: String,
    pub message: String,
}

fn err(resource: &str, e: impl std::fmt::Display) -> ResourceError {
    ResourceError { resource: resource.to_owned(), message: e.to_string() }
}

/// Logical id → physical name (what `!Ref` resolves to), plus the ARN/URL attributes devstack knows.
pub type Refs = HashMap<String, String>;

#[derive(Clone)]
pub struct Clients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub streams: aws_sdk_dynamodbstreams::Client,
    pub ses: aws_sdk_sesv2::Client,
    pub kms: aws_sdk_kms::Client,
}

impl Clients {
    pub fn new(sdk: &aws_config::SdkConfig) -> Clients {
        let s3 = aws_sdk_s3::config::Builder::from(sdk).force_path_style(true).build();
        Clients {
            dynamodb: aws_sdk_dynamodb::Client::new(sdk),
            s3: aws_sdk_s3::Client::from_conf(s3),
            streams: aws_sdk_dynamodbstreams::Client::new(sdk),
            ses: aws_sdk_sesv2::Client::new(sdk),
            sqs: aws_sdk_sqs::Client::new(sdk),
            events: aws_sdk_eventbridge::Client::new(sdk),
            kms: aws_sdk_kms::Client::new(sdk),
        }
    }
}

fn s(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_default()
}

fn key_schema(v: &Value) -> Vec<ddb::KeySchemaElement> {
    v.as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|k| {
            ddb::KeySchemaElement::builder()
                .attribute_name(s(&k["AttributeName"]))
                .key_type(ddb::KeyType::from(s(&k["KeyType"]).as_str()))
                .build()
                .ok()
        })
        .collect()
}

pub async fn create_all(
    template: &Template,
    clients: &Clients,
    prefix: &str,
    region: &str,
) -> Result<Refs, ResourceError> {
    let mut refs = Refs::new();
    refs.insert("AWS::Region".into(), region.into());
    refs.insert("AWS::AccountId".into(), "123456789012".into());
    refs.insert("AWS::StackName".into(), prefix.into());
    refs.insert("AWS::Partition".into(), "aws".into());
    for (name, p) in template.raw["Parameters"].as_mapping().into_iter().flatten() {
        if let (Some(name), Some(default)) = (name.as_str(), resolve(&p["Default"], &refs)) {
            refs.entry(name.to_owned()).or_insert(default);
        }
    }

    for (id, res) in template.resources_of("AWS::DynamoDB::Table") {
        let name = format!("{prefix}-{id}");
        create_table(clients, &name, &res["Properties"]).await.map_err(|e| err(&id, e))?;
        refs.insert(format!("{id}.Arn"), format!("arn:aws:dynamodb:{region}:123456789012:table/{name}"));
        refs.insert(id, name);
    }
    for (id, res) in template.resources_of("AWS::S3::Bucket") {
        let name =
            resolve(&res["Properties"]["BucketName"], &refs).unwrap_or_else(|| format!("{prefix}-{id}")).to_lowercase();
        clients
            .s3
            .create_bucket()
            .bucket(&name)
            .send()
            .await
            .map_err(|e| err(&id, aws_sdk_s3::error::DisplayErrorContext(e)))?;
        if res["Properties"]["VersioningConfiguration"]["Status"].as_str() == Some("Enabled") {
            let versioning = aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build();
            clients
                .s3
                .put_bucket_versioning()
                .bucket(&name)
                .versioning_configuration(versioning)
                .send()
                .await
                .map_err(|e| err(&id, aws_sdk_s3::error::DisplayErrorContext(e)))?;
        }
        refs.insert(format!("{id}.Arn"), format!("arn:aws:s3:::{name}"));
        refs.insert(id, name);
    }
    // Dead-letter queues first: a queue's redrive policy names its DLQ's ARN.
    let mut queues = template.resources_of("AWS::SQS::Queue");
    queues.sort_by_key(|(_, r)| !r["Properties"]["RedrivePolicy"].is_null());
    for (id, res) in queues {
        let p = &res["Properties"];
        // A FIFO queue's name ends in `.fifo` (CloudFormation adds it to generated names too).
        let fifo = p["FifoQueue"].as_bool() == Some(true);
        let name = if fifo { format!("{prefix}-{id}.fifo") } else { format!("{prefix}-{id}") };
        let mut req = clients.sqs.create_queue().queue_name(&name);
        if fifo {
            use aws_sdk_sqs::types::QueueAttributeName as A;
            req = req.attributes(A::FifoQueue, "true");
            if p["ContentBasedDeduplication"].as_bool() == Some(true) {
                req = req.attributes(A::ContentBasedDeduplication, "true");
            }
        }
        if let Some(v) = resolve(&p["VisibilityTimeout"], &refs) {
            req = req.attributes(aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout, v);
        }
        if !p["RedrivePolicy"].is_null() {
            let dlq = resolve(&p["RedrivePolicy"]["deadLetterTargetArn"], &refs).unwrap_or_default();
            let max = resolve(&p["RedrivePolicy"]["maxReceiveCount"], &refs).unwrap_or_else(|| "5".into());
            let policy = serde_json::json!({"deadLetterTargetArn": dlq, "maxReceiveCount": max}).to_string();
            req = req.attributes(aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy, policy);
        }
        let out = req.send().await.map_err(|e| err(&id, aws_sdk_sqs::error::DisplayErrorContext(e)))?;
        refs.insert(format!("{id}.Arn"), format!("arn:aws:sqs:{region}:123456789012:{name}"));
        refs.insert(format!("{id}.QueueName"), name.clone());
        refs.insert(id, out.queue_url.unwrap_or(name));
    }
    for (id, res) in template.resources_of("AWS::KMS::Key") {
        let description = resolve(&res["Properties"]["Description"], &refs).unwrap_or_default();
        let out = clients.kms.create_key().description(description).send().await;
        let key = out.map_err(|e| err(&id, aws_sdk_kms::error::DisplayErrorContext(e)))?.key_metadata;
        let key = key.ok_or_else(|| err(&id, "no key metadata"))?;
        refs.insert(format!("{id}.Arn"), key.arn.unwrap_or_default());
        refs.insert(id, key.key_id);
    }
    for (id, res) in template.resources_of("AWS::KMS::Alias") {
        let (alias, target) =
            (resolve(&res["Properties"]["AliasName"], &refs), resolve(&res["Properties"]["TargetKeyId"], &refs));
        let req = clients.kms.create_alias().set_alias_name(alias.clone()).set_target_key_id(target);
        req.send().await.map_err(|e| err(&id, aws_sdk_kms::error::DisplayErrorContext(e)))?;
        refs.insert(id, alias.unwrap_or_default());
    }
    for (id, res) in template.resources_of("AWS::SES::EmailIdentity") {
        let identity = resolve(&res["Properties"]["EmailIdentity"], &refs).unwrap_or_default();
        match clients.ses.create_email_identity().email_identity(&identity).send().await {
            Ok(_) => {}
            Err(e) if format!("{e:?}").contains("AlreadyExists") => {}
            Err(e) => return Err(err(&id, aws_sdk_sesv2::error::DisplayErrorContext(e))),
        }
        refs.insert(id, identity);
    }
    for (id, _) in template.resources_of("AWS::Events::EventBus") {
        let name = format!("{prefix}-{id}");
        clients
            .events
            .create_event_bus()
            .name(&name)
            .send()
            .await
            .map_err(|e| err(&id, aws_sdk_eventbridge::error::DisplayErrorContext(e)))?;
        refs.insert(format!("{id}.Arn"), format!("arn:aws:events:{region}:123456789012:event-bus/{name}"));
        refs.insert(format!("{id}.Name"), name.clone());
        refs.insert(id, name);
    }
    for (id, res) in template.resources_of("AWS::Events::Rule") {
        let p = &res["Properties"];
        let name = format!("{prefix}-{id}");
        let bus = resolve(&p["EventBusName"], &refs);
        let pattern = serde_json::to_string(&yaml_to_json(&p["EventPattern"])).unwrap_or_default();
        clients
            .events
            .put_rule()
            .name(&name)
            .set_event_bus_name(bus.clone())
            .event_pattern(pattern)
            .send()
            .await
            .map_err(|e| err(&id, aws_sdk_eventbridge::error::DisplayErrorContext(e)))?;
        for t in p["Targets"].as_sequence().into_iter().flatten() {
            let target = aws_sdk_eventbridge::types::Target::builder()
                .id(s(&t["Id"]))
                .arn(resolve(&t["Arn"], &refs).unwrap_or_default())
                .build()
                .map_err(|e| err(&id, e))?;
            clients
                .events
                .put_targets()
                .rule(&name)
                .set_event_bus_name(bus.clone())
                .targets(target)
                .send()
                .await
                .map_err(|e| err(&id, aws_sdk_eventbridge::error::DisplayErrorContext(e)))?;
        }
        refs.insert(id, name);
    }
    Ok(refs)
}

async fn create_table(clients: &Clients, name: &str, p: &Value) -> Result<(), String> {
    let attrs = p["AttributeDefinitions"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            ddb::AttributeDefinition::builder()
                .attribute_name(s(&a["AttributeName"]))
                .attribute_type(ddb::ScalarAttributeType::from(s(&a["AttributeType"]).as_str()))
                .build()
                .ok()
        })
        .collect::<Vec<_>>();
    let gsis = p["GlobalSecondaryIndexes"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|g| {
            ddb::GlobalSecondaryIndex::builder()
                .index_name(s(&g["IndexName"]))
                .set_key_schema(Some(key_schema(&g["KeySchema"])))
                .projection(
                    ddb::Projection::builder()
                        .projection_type(ddb::ProjectionType::from(s(&g["Projection"]["ProjectionType"]).as_str()))
                        .build(),
                )
                .build()
                .ok()
        })
        .collect::<Vec<_>>();
    let mut req = clients
        .dynamodb
        .create_table()
        .table_name(name)
        .set_attribute_definitions(Some(attrs))
        .set_key_schema(Some(key_schema(&p["KeySchema"])))
        .billing_mode(ddb::BillingMode::PayPerRequest);
    if !gsis.is_empty() {
        req = req.set_global_secondary_indexes(Some(gsis));
    }
    if let Some(view) = p["StreamSpecification"]["StreamViewType"].as_str() {
        req = req.stream_specification(
            ddb::StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(ddb::StreamViewType::from(view))
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    req.send().await.map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())?;
    if let Some(attr) = p["TimeToLiveSpecification"]["AttributeName"].as_str() {
        clients
            .dynamodb
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                ddb::TimeToLiveSpecification::builder()
                    .attribute_name(attr)
                    .enabled(true)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
            .send()
            .await
            .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())?;
    }
    if p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool() == Some(true) {
        clients
            .dynamodb
            .update_continuous_backups()
            .table_name(name)
            .point_in_time_recovery_specification(
                ddb::PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(true)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
            .send()
            .await
            .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())?;
    }
    Ok(())
}

/// YAML → JSON for event patterns and the like (tags are dropped to their values).
pub fn yaml_to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => serde_json::to_value(n).unwrap_or_default(),
        Value::String(s) => s.clone().into(),
        Value::Sequence(seq) => seq.iter().map(yaml_to_json).collect(),
        Value::Mapping(m) => m
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), yaml_to_json(v))))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Value::Tagged(t) => yaml_to_json(&t.value),
    }
}

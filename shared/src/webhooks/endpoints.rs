//! Endpoints: register (the signing secret is encrypted before it is stored and shown once),
//! read, change (event types checked against the catalog), delete, and list their deliveries.

use super::events::{WebhookCreated, WebhookDeleted, WebhookUpdated};
use super::model::*;
use crate::events::{self, Catalog};
use crate::ids::WebhookId;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::OrgScope;
use crate::platform::App;
use crate::ports::ssrf::check_url;
use crate::{Error, FieldError, Result};

pub(super) fn webhook_item(scope: &OrgScope, w: &WebhookRecord) -> db::Item {
    ItemBuilder::new(WEBHOOK_ENTITY, &keys::webhook(scope, &w.id), w).version(w.v).build()
}

fn new_secret() -> String {
    use sha2::{Digest, Sha256};
    let seed = format!("{}{}{}", ulid::Ulid::new(), ulid::Ulid::new(), ulid::Ulid::new());
    let h = Sha256::digest(seed.as_bytes());
    format!("whsec_{}", h.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// What a webhook's secret ciphertext is bound to (its KMS encryption context).
pub(super) fn secret_owner<'a>(scope: &'a OrgScope, id: &'a WebhookId) -> [(&'static str, &'a str); 2] {
    [("orgId", scope.org_id().as_str()), ("webhookId", id.as_str())]
}

pub(super) fn secrets_err(e: crate::platform::secrets::SecretsError) -> Error {
    Error::Store(db::DbError::Invalid(e.to_string()))
}

fn bad_url(e: crate::ports::ssrf::TargetError) -> Error {
    Error::invalid("url", e.to_string())
}

/// Every subscribed pattern must name a type of the catalog: an exact type, or a `prefix.*`
/// matching at least one (a typo would otherwise subscribe to nothing, silently).
fn check_known(catalog: &Catalog, types: &[String]) -> Result<()> {
    let unknown: Vec<FieldError> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| !catalog.matches_any(t))
        .map(|(i, t)| {
            let what = if t.ends_with(".*") { "matches no event type" } else { "is not an event type" };
            FieldError::new(format!("eventTypes[{i}]"), format!("{t} {what}; GET /api/v1/event-types lists them"))
        })
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(unknown))
    }
}

/// Registers an endpoint. Its signing secret is encrypted before it is stored and answered in
/// plaintext this once.
pub async fn create(app: &App, cx: &Ctx<'_>, catalog: &Catalog, input: CreateWebhook) -> Result<Webhook> {
    let scope = cx.scope;
    check_url(input.url.trim(), app.config.webhooks.allow_private).map_err(bad_url)?;
    check_known(catalog, &input.event_types)?;
    let now = cx.now;
    let id = WebhookId::new();
    let secret = new_secret();
    let secret_ciphertext =
        app.webhook_secrets().encrypt(&secret, &secret_owner(scope, &id)).await.map_err(secrets_err)?;
    let w = WebhookRecord {
        id,
        url: input.url.trim().to_owned(),
        event_types: input.event_types,
        secret_ciphertext,
        status: WebhookStatus::Active,
        description: input.description,
        failing_since: None,
        disabled_reason: None,
        created_at: now,
        updated_at: now,
        v: 1,
    };
    let mut tx = Tx::new();
    tx.put(webhook_item(scope, &w), Some(Expr::not_exists()));
    events::emit(&mut tx, scope, &WebhookCreated::from(&w));
    app.db.transact(tx).await?;
    Ok(Webhook { secret: Some(secret), ..Webhook::from_record(w) })
}

pub async fn get_record(cx: &Ctx<'_>, id: &str) -> Result<WebhookRecord> {
    let id = WebhookId::parse(id).ok_or(Error::NotFound("webhook"))?;
    cx.db.get_as(&keys::webhook(cx.scope, &id)).await?.ok_or(Error::NotFound("webhook"))
}

pub async fn list(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Webhook>> {
    let (pk, prefix) = keys::webhooks(cx.scope);
    let p: PageOf<WebhookRecord> =
        cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix), page).await?;
    Ok(PageOf { items: p.items.into_iter().map(Webhook::from_record).collect(), last_key: p.last_key })
}

pub async fn update(
    cx: &Ctx<'_>,
    (catalog, allow_private): (&Catalog, bool),
    id: &str,
    input: UpdateWebhook,
) -> Result<Webhook> {
    if let Some(t) = &input.event_types {
        check_known(catalog, t)?;
    }
    let before = get_record(cx, id).await?;
    let mut w = before.clone();
    if let Some(u) = input.url {
        check_url(u.trim(), allow_private).map_err(bad_url)?;
        w.url = u.trim().to_owned();
    }
    if let Some(t) = input.event_types {
        w.event_types = t;
    }
    if let Some(d) = input.description {
        w.description = Some(d);
    }
    if let Some(st) = input.status {
        if st == WebhookStatus::Active && w.status == WebhookStatus::Disabled {
            w.failing_since = None;
            w.disabled_reason = None;
        }
        w.status = st;
    }
    w.updated_at = cx.now;
    w.v = before.v + 1;
    let mut tx = Tx::new();
    tx.put(webhook_item(cx.scope, &w), Some(Expr::at_version(before.v)));
    events::emit(&mut tx, cx.scope, &WebhookUpdated::from(&w));
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("the webhook changed meanwhile; retry".into()),
        None => e.into(),
    })?;
    Ok(Webhook::from_record(w))
}

pub async fn delete(cx: &Ctx<'_>, id: &str) -> Result<()> {
    let w = get_record(cx, id).await?;
    let mut tx = Tx::new();
    tx.delete(keys::webhook(cx.scope, &w.id), Some(Expr::exists()));
    events::emit(&mut tx, cx.scope, &WebhookDeleted::from(&w));
    cx.db.transact(tx).await?;
    Ok(())
}

pub async fn list_deliveries(cx: &Ctx<'_>, id: &str, page: PageRequest) -> Result<PageOf<Delivery>> {
    let w = get_record(cx, id).await?;
    let q = Query::partition(db::Index::Primary, keys::deliveries(cx.scope, &w.id)).begins_with("DLV#").descending();
    let mut p: PageOf<Delivery> = cx.db.page_of(q, page).await?;
    for d in &mut p.items {
        d.payload.clear();
    }
    Ok(p)
}

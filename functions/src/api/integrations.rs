//! `api-integrations`: the org's connection to Stripe (Connect) and tenant payments started as
//! PaymentIntents on it; its banks connected through Plaid (Link token, public token exchange,
//! accounts mapped to the chart, disconnect). Calls to Stripe and Plaid go through their clients'
//! circuit breakers: while one is open the answer is 503 with `Retry-After`, and it is not called.
//! And the org's SFTP server, whose new files `job-sftp-poll` imports.

use super::route::Call;
use portfolio::banking::items::{self, ConnectItem, LinkTokenAnswer, LinkTokenRequest};
use portfolio::banking::model::PlaidItem;
use portfolio::integrations::sftp::connection::{self as sftp, PutSftp, SftpConnection};
use portfolio::integrations::stripe::connection::{self, ConnectStripe, StripeConnection};
use portfolio::integrations::stripe::payment_intents::{self, CreatePaymentIntent, PaymentIntentAnswer};
use portfolio::platform::http::{json, json_body, json_body_or_default, no_content, ApiResult, Problem};

crate::routes! {
    org(IntegrationRead) get_stripe,
    org(IntegrationManage) connect_stripe,
    org(IntegrationManage) disconnect_stripe,
    org(LedgerWrite, keyed) create_payment_intent,
    org(IntegrationManage) plaid_link_token,
    org(IntegrationManage) connect_plaid_item,
    org(IntegrationRead) list_plaid_items,
    org(IntegrationRead) get_plaid_item,
    org(IntegrationManage) disconnect_plaid_item,
    org(IntegrationRead) get_sftp,
    org(IntegrationManage) put_sftp,
    org(IntegrationManage) delete_sftp,
}

/// The org's Stripe connection (`status: not_connected` when there is none).
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/integrations/stripe", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 200, body = StripeConnection), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_stripe(c: Call<'_>) -> ApiResult {
    json(200, &connection::get_connection(&c.cx).await?)
}

/// Connects the org's Stripe account (Connect): Stripe must know the account and let the platform
/// act for it (else 400 naming `accountId`). One account belongs to one org (409 otherwise).
#[utoipa::path(put, path = "/api/v1/orgs/{orgId}/integrations/stripe", tag = "integrations",
    params(("orgId" = String, Path)), request_body = ConnectStripe,
    responses((status = 200, body = StripeConnection), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn connect_stripe(c: Call<'_>) -> ApiResult {
    let input: ConnectStripe = json_body(c.req)?;
    json(200, &connection::connect(&c.cx, c.app.stripe(), input).await?)
}

/// Disconnects it: no new payments through it; every payment taken stays on the ledgers.
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/integrations/stripe", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn disconnect_stripe(c: Call<'_>) -> ApiResult {
    connection::disconnect(&c.cx).await?;
    no_content()
}

/// Starts a tenant payment as a PaymentIntent on the org's Stripe account (card, or ACH
/// `us_bank_account` in USD); `Idempotency-Key` is required and passed through to Stripe. Nothing
/// is booked until Stripe's webhook reports the money moving.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/leases/{leaseId}/payment-intents", tag = "integrations",
    params(("orgId" = String, Path), ("leaseId" = String, Path), ("Idempotency-Key" = String, Header, description = "Required: a unique key per payment, passed through to Stripe; a retry with the same key and body answers the first response", pattern = "^[!-~]{1,255}$")),
    request_body = CreatePaymentIntent,
    responses((status = 201, body = PaymentIntentAnswer), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn create_payment_intent(c: Call<'_>) -> ApiResult {
    let input: CreatePaymentIntent = json_body(c.req)?;
    let keyed = c.keyed();
    let lease = c.param("leaseId")?;
    let answer =
        payment_intents::create_payment_intent(&c.cx, c.app.stripe(), &lease, input, (&keyed.key, &keyed.claim))
            .await?;
    json(201, &answer)
}

/// A Link token for the SPA's Plaid Link (its Items' webhooks come to `/webhooks/plaid`).
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/integrations/plaid/link-token", tag = "integrations",
    params(("orgId" = String, Path)), request_body = Option<LinkTokenRequest>,
    responses((status = 200, body = LinkTokenAnswer), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn plaid_link_token(c: Call<'_>) -> ApiResult {
    let _: LinkTokenRequest = json_body_or_default(c.req)?;
    let webhook = c.app.config.plaid.webhook_url.as_deref();
    json(200, &items::link_token(&c.cx, c.app.plaid(), webhook).await?)
}

/// Connects a bank: Link's `publicToken` is exchanged (once) for an access token kept only
/// encrypted (KMS), and `accounts` maps the Item's accounts to bank accounts of the chart (400
/// naming the entry otherwise). The first sync is queued.
#[utoipa::path(post, path = "/api/v1/orgs/{orgId}/integrations/plaid/items", tag = "integrations",
    params(("orgId" = String, Path)), request_body = ConnectItem,
    responses((status = 201, body = PlaidItem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn connect_plaid_item(c: Call<'_>) -> ApiResult {
    let input: ConnectItem = json_body(c.req)?;
    json(201, &items::connect(&c.cx, c.app.plaid(), c.app.plaid_tokens(), input).await?)
}

/// The org's banks, connected and disconnected.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/integrations/plaid/items", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 200, body = inline(portfolio::platform::http::ListResponse<PlaidItem>)), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_plaid_items(c: Call<'_>) -> ApiResult {
    c.list(portfolio::platform::db::PageOf { items: items::list_items(&c.cx).await?, last_key: None })
}

#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/integrations/plaid/items/{itemId}", tag = "integrations",
    params(("orgId" = String, Path), ("itemId" = String, Path)),
    responses((status = 200, body = PlaidItem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_plaid_item(c: Call<'_>) -> ApiResult {
    json(200, &PlaidItem::from(items::item_record(&c.cx, &c.param("itemId")?).await?))
}

/// Disconnects a bank: the access token is revoked at Plaid and forgotten, syncing stops, and
/// every imported transaction and match stays. Answers the disconnected bank.
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/integrations/plaid/items/{itemId}", tag = "integrations",
    params(("orgId" = String, Path), ("itemId" = String, Path)),
    responses((status = 200, body = PlaidItem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 502, body = Problem), (status = 503, body = Problem)))]
pub async fn disconnect_plaid_item(c: Call<'_>) -> ApiResult {
    json(200, &items::disconnect(&c.cx, c.app.plaid(), c.app.plaid_tokens(), &c.param("itemId")?).await?)
}

/// The org's SFTP server (`status: not_connected` when there is none); never its private key.
#[utoipa::path(get, path = "/api/v1/orgs/{orgId}/integrations/sftp", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 200, body = SftpConnection), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_sftp(c: Call<'_>) -> ApiResult {
    json(200, &sftp::get_connection(&c.cx).await?)
}

/// Connects (or changes) the org's SFTP server: host (a public one in production), port, user,
/// private key (write-only; kept when absent), the pinned host key, the directory, and the kind
/// of import its files are. Polled every 15 minutes; each new file becomes an import.
#[utoipa::path(put, path = "/api/v1/orgs/{orgId}/integrations/sftp", tag = "integrations",
    params(("orgId" = String, Path)), request_body = PutSftp,
    responses((status = 200, body = SftpConnection), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 502, body = Problem)))]
pub async fn put_sftp(c: Call<'_>) -> ApiResult {
    let input: PutSftp = json_body(c.req)?;
    let allow_loopback = c.app.config.webhooks.allow_private;
    json(200, &sftp::put(&c.cx, c.app.sftp_keys(), allow_loopback, input).await?)
}

/// Disconnects it: no more polling; the imports it made stay.
#[utoipa::path(delete, path = "/api/v1/orgs/{orgId}/integrations/sftp", tag = "integrations",
    params(("orgId" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_sftp(c: Call<'_>) -> ApiResult {
    sftp::delete(&c.cx).await?;
    no_content()
}

"""A local, stateful fake of Plaid (Sandbox): Link tokens, public token exchange, Items and their
depository accounts, `/transactions/sync` with cursors over a per-Item change log (pending → posted,
modified, removed, mutation during pagination), and webhooks signed as Plaid signs them (a JWT, ES256,
in `Plaid-Verification`, with the keys served by `/webhook_verification_key/get`).

Plaid's Sandbox is hosted and no offline Plaid mock models cursors, pending → posted or signed
webhooks, so the project owns this one. The production client talks JSON over HTTP to `PLAID_ENV`'s
base URL; pointed at this server it must run unchanged, so the API below speaks Plaid's documented
wire format (checked with the official `plaid-python` client by test_plaid_server.py). It is
deterministic: ids, tokens and signing keys come from counters, amounts are integer cents inside, and
nothing happens on its own (the test hooks drive every change a bank would make later).

Plaid API (the part the project uses; as Plaid answers it)

* Requests: `POST` with a JSON object body. Credentials are `client_id` and `secret` in the body or
  the `PLAID-CLIENT-ID` / `PLAID-SECRET` headers (the body wins). The fake takes one pair:
  `--client-id`/`--secret` (default $PLAID_FAKE_CLIENT_ID / $PLAID_FAKE_SECRET, else
  `DEFAULT_CLIENT_ID` / `DEFAULT_SECRET`). `Plaid-Version` is accepted and ignored. Answers are JSON
  (2-space indented) carrying `request_id`.
* Errors: HTTP 400 (unless said otherwise) with `{display_message, documentation_url, error_code,
  error_code_reason, error_message, error_type, request_id, suggested_action}`:
  INVALID_REQUEST/INVALID_BODY (not a JSON object), INVALID_REQUEST/MISSING_FIELDS ("the following
  required fields are missing: …", credentials too), INVALID_REQUEST/UNKNOWN_FIELDS (a top-level
  field the endpoint does not take), INVALID_REQUEST/INVALID_FIELD (a wrong type or value, a bad
  cursor), INVALID_INPUT/INVALID_API_KEYS (wrong credentials), INVALID_INPUT/INVALID_ACCESS_TOKEN
  (malformed, unknown, or the Item was removed), INVALID_INPUT/INVALID_PUBLIC_TOKEN (malformed,
  unknown, or already exchanged), INVALID_INPUT/INVALID_ACCOUNT_ID, INVALID_INPUT/
  INVALID_WEBHOOK_VERIFICATION_KEY_ID, TRANSACTIONS_ERROR/TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION;
  404 INVALID_REQUEST/NOT_FOUND for another path. Optional fields sent as `null` count as absent.
* Ids: `link-sandbox-…`, `public-sandbox-…`, `access-sandbox-…` (UUID-shaped counters), Item,
  account and transaction ids of 37 characters (`item000…1`, `acct000…1`, `txn000…1`).
* `POST /link/token/create`: `user.client_user_id`, `client_name`, `products` (non-empty),
  `country_codes` (non-empty), `language` required; `webhook` is echoed onto the Items made from the
  token; the other documented fields are accepted and ignored. Answers `{link_token, expiration
  (now + 4 h, ISO 8601 Z), request_id}`. Link itself is a hook here: `POST /_fake/plaid/public_token`.
* `POST /sandbox/public_token/create`: `institution_id`, `initial_products` (non-empty) required;
  `options.webhook` (others in `options` ignored). Makes an Item with the default accounts and no
  transactions (add them with the hooks) and answers `{public_token, request_id}`.
* `POST /item/public_token/exchange` (`public_token`): `{access_token, item_id, request_id}`. A public
  token is usable once: a second exchange is INVALID_PUBLIC_TOKEN.
* `POST /accounts/get` and `POST /accounts/balance/get` (`access_token`, `options.account_ids`?):
  `{accounts, item, request_id}`. Account: `{account_id, balances: {available, current, limit: null,
  iso_currency_code, unofficial_currency_code: null}, mask, name, official_name, subtype (checking |
  savings), type: "depository"}`. Default accounts: "Plaid Checking" (mask 0000, 100.00 / 110.00)
  and "Plaid Saving" (1111, 200.00 / 210.00). Balances do not follow the transactions.
* `POST /item/get` → `{item, status: {transactions: {last_successful_update, last_failed_update},
  last_webhook: {sent_at, code_sent} | null}, request_id}`; `POST /item/remove` → `{request_id}`
  (the access token is then INVALID_ACCESS_TOKEN); `POST /item/webhook/update` (`webhook`) →
  `{item, request_id}`. Item: `{item_id, institution_id, institution_name, webhook, error: null,
  products, billed_products, available_products, consent_expiration_time: null, update_type:
  "background"}` (+ `created_at` in /item/get).
* `POST /transactions/sync` (`access_token`, `cursor`? (absent or "" = from the start), `count`?
  (1-500, default 100), `options`? accepted and ignored) → `{accounts, added, modified, removed
  [{transaction_id, account_id}], next_cursor, has_more, transactions_update_status, request_id}`.
  Each Item keeps an ordered log of changes (added, modified, removed). A pagination run starts at an
  "end" cursor (or the start) and covers the log as it is then: its net changes (a transaction added
  and removed within the run is left out; one that existed at the start and changed is `modified`,
  or `removed`), in log order of their last change, in pages of ≤ `count` entries (added + modified
  + removed). Every page but the last answers `has_more: true` and a page cursor; the last answers
  `has_more: false` and an end cursor, which stays valid for good (a later run from it returns what
  changed since). A page cursor whose Item changed since its page was answered is 400
  TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION: restart from the run's first cursor. Until the Item's
  `transactions_update_status` is ready (hook `items/{id}/status`), the answer is empty with
  `next_cursor: ""`. Default status HISTORICAL_UPDATE_COMPLETE.
* Transaction (keys sorted, as Plaid's): transaction_id, account_id, amount (a JSON number in
  dollars, positive = money out, negative = money in; integer cents inside, so at most 2 decimals),
  iso_currency_code ("USD"), unofficial_currency_code, date, authorized_date, datetime,
  authorized_datetime, name, merchant_name, merchant_entity_id, original_description,
  payment_channel (online | in store | other), transaction_type (derived from the channel), pending,
  pending_transaction_id, category, category_id, personal_finance_category {primary, detailed,
  confidence_level}, transaction_code, check_number, account_owner, logo_url, website, location {…},
  payment_meta {reference_number, ppd_id, payee, by_order_of, payer, payment_method,
  payment_processor, reason}, counterparties []. Pending → posted (hook `post`): the pending one is
  removed and a new posted one is added (before the removal, in log order) with
  `pending_transaction_id` = the pending id; amount and name may change.
* `POST /webhook_verification_key/get` (`key_id`) → `{key: {alg: "ES256", created_at, crv: "P-256",
  expired_at (null unless rotated out), kid, kty: "EC", use: "sig", x, y}, request_id}`; an unknown
  kid is 400 INVALID_INPUT/INVALID_WEBHOOK_VERIFICATION_KEY_ID. Rotated-out keys stay answerable.
* `POST /sandbox/item/fire_webhook` (`access_token`, `webhook_code`, `webhook_type`?) → `{webhook_fired:
  true, request_id}`, the webhook delivered right after the answer is written. Codes: `WEBHOOKS`.

Webhooks: `POST <the Item's webhook URL>` with the body as JSON (2-space indented; hash exactly these
bytes), `Content-Type: application/json` and `Plaid-Verification: <JWT>`: header
`{"alg":"ES256","kid":"<the current key>","typ":"JWT"}`, claims `{"iat": <unix>,
"request_body_sha256": "<hex SHA-256 of the body>"}`, signature ES256 (raw r||s, 64 bytes, base64url)
with a P-256 key derived from a counter. SYNC_UPDATES_AVAILABLE is `{webhook_type: "TRANSACTIONS",
webhook_code, item_id, initial_update_complete: true, historical_update_complete: true, environment:
"sandbox"}`. No retries; a delivery is recorded with the receiver's status (or the error).

Test hooks (plain JSON, under `/_fake/plaid/`; no credentials; CORS open to any origin, with a
preflight, so a browser can play Link in `make dev`; errors are `{"message"}` with 400 or 404; amounts are integer cents with Plaid's sign, dates `YYYY-MM-DD`; `{item}` is an item_id or its
access token):

* `GET health` answers 200 `ok`. `POST reset` forgets everything (Items, tokens, keys: back to the
  first key, counters, logs, injected failures) → `{"reset": true}`.
* `POST public_token` `{"link_token"?, "institution_id"?: "ins_109508", "institution_name"?,
  "webhook"?, "products"?: ["transactions"], "accounts"?: [{"name", "official_name"?, "mask"?,
  "subtype"?: "checking"|"savings", "available"?: cents, "current"?: cents, "iso_currency_code"?}]}`
  does what Link does: makes an Item (webhook and products from the link token unless given) and
  answers `{"public_token", "item_id", "accounts": [Account]}`.
* `GET items/{item}` → `{"item_id", "access_token", "webhook", "removed", "transactions_update_status",
  "sync_called", "log_length", "accounts", "transactions": [current, in the order added]}`.
* `POST items/{item}/transactions` `{"transactions": [{"amount" (required), "name" (required),
  "account_id"? (default the first account), "pending"?: false, "date"?: today (UTC),
  "authorized_date"?: date, "datetime"?, "authorized_datetime"?, "merchant_name"?, "payment_channel"?:
  "other", "category"?, "category_id"?, "personal_finance_category"?: {"primary", "detailed"},
  "transaction_code"?, "check_number"?, "account_owner"?, "logo_url"?, "website"?,
  "iso_currency_code"?: "USD", "unofficial_currency_code"?, "original_description"?,
  "merchant_entity_id"?, "location"?: {…}, "payment_meta"?: {"reference_number", …}}], "notify"?:
  false}` adds them in order (one `added` each) → `{"transactions": [Transaction]}`.
* `POST transactions/{id}/post` `{"amount"?, "name"?, "merchant_name"?, "date"?, "link"?: true,
  "notify"?}` posts a pending transaction: a new posted one (`pending_transaction_id` = id unless
  `link: false`, Plaid's rare unlinked case), then the pending one removed → `{"transaction",
  "removed": {"transaction_id", "account_id"}}`.
* `POST transactions/{id}/modify` `{any field of the add hook but account_id and pending, "notify"?}`
  → `{"transaction"}` (one `modified`). `POST transactions/{id}/remove` `{"notify"?}` → `{"removed"}`.
  `notify: true` on these hooks also sends SYNC_UPDATES_AVAILABLE to the Item's webhook and adds the
  delivery (as below) under `"webhook"`.
* `POST items/{item}/status` `{"transactions_update_status"}` (NOT_READY, INITIAL_UPDATE_COMPLETE,
  HISTORICAL_UPDATE_COMPLETE, TRANSACTIONS_UPDATE_STATUS_UNKNOWN).
* `POST items/{item}/webhook` `{"webhook_code"?: "SYNC_UPDATES_AVAILABLE", "fields"?: {…} (set or
  override body fields), "url"? (default the Item's webhook), "iat_offset"?: 0 (seconds added to
  `iat`: -299 is still fresh, -301 too old), "tamper_body"?: false (the claim hashes other bytes than
  those sent), "kid"?: the current key (an expired key's kid signs with that key; an unknown kid is
  put in the header over the current key's signature), "alg"?: "ES256"|"none"|"HS256" (none: empty
  signature; HS256: HMAC keyed with the current public key's PEM, the alg-confusion attack),
  "timeout"?: 5}` delivers one webhook now → `{"status" (the receiver's, null if none), "error",
  "url", "body" (the exact text sent), "jwt", "kid", "alg", "iat", "request_body_sha256", "item_id",
  "webhook_type", "webhook_code"}`. `iat` is whole seconds (the clock floored, as Plaid's), so check
  it against whole seconds at receipt: against a fractional clock read later, -299 can look > 300 s.
* `POST keys/rotate` `{}`: a new signing key becomes current; the previous one gets `expired_at` =
  now (still served) → `{"kid", "expired_kid"}`. `GET keys` → every key's JWK, oldest first.
* `POST fail_next` `{"path"?: "/transactions/sync" (default: any API path), "count"?: 1, "status"?:
  500, "error_type"?: "API_ERROR", "error_code"?: "INTERNAL_SERVER_ERROR", "error_message"?,
  "display_message"?}`: the next `count` calls to that path answer that error (before credentials
  are checked). One setting per path, replaced by the next; `count: 0` cancels it.
* `POST mutation_next` `{"count"?: 1, "item"?: an item_id or access token (only its syncs)}`: the
  next `count` `/transactions/sync` calls (of that Item, when named) answer
  TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION whatever their cursor.
* `GET webhooks`: every delivery in order (the fields above). `GET requests`: every API call in
  order, `[{"path", "body" (secret redacted), "status", "error_code", "request_id"}]`.

Usage: python infra/fakes/plaid_server.py [--port PORT]   (default $PLAID_FAKE_PORT or 12112)
"""

import argparse
import base64
import binascii
import copy
import datetime as dt
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

DEFAULT_PORT = 12112
DEFAULT_CLIENT_ID = "plaid-fake-client-id"
DEFAULT_SECRET = "plaid-fake-sandbox-secret"
ENVIRONMENT = "sandbox"
MAX_REQUEST_BYTES = 1024 * 1024
DEFAULT_WEBHOOK_TIMEOUT = 5.0
LINK_TOKEN_SECONDS = 4 * 3600
DEFAULT_SYNC_COUNT, MAX_SYNC_COUNT = 100, 500
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
DEFAULT_INSTITUTION = "ins_109508"
INSTITUTIONS = {"ins_109508": "First Platypus Bank", "ins_109509": "First Gingham Credit Union",
                "ins_109510": "Tattersall Federal Credit Union", "ins_109511": "Tartan Bank",
                "ins_109512": "Houndstooth Bank"}
DEFAULT_ACCOUNTS = (
    {"name": "Plaid Checking", "official_name": "Plaid Gold Standard 0% Interest Checking", "mask": "0000",
     "subtype": "checking", "available": 10000, "current": 11000},
    {"name": "Plaid Saving", "official_name": "Plaid Silver Standard 0.1% Interest Saving", "mask": "1111",
     "subtype": "savings", "available": 20000, "current": 21000},
)
UPDATE_STATUSES = ("TRANSACTIONS_UPDATE_STATUS_UNKNOWN", "NOT_READY", "INITIAL_UPDATE_COMPLETE",
                   "HISTORICAL_UPDATE_COMPLETE")
PAYMENT_CHANNELS = {"online": "digital", "in store": "place", "other": "special"}  # → transaction_type
TRANSACTION_CODES = ("adjustment", "atm", "bank charge", "bill payment", "cash", "cash advance", "cashback",
                     "cheque", "direct debit", "interest", "late fee", "membership fee", "payment", "purchase",
                     "refund", "returned item fee", "standing order", "transfer", "null")
LOCATION_KEYS = ("address", "city", "region", "postal_code", "country", "lat", "lon", "store_number")
PAYMENT_META_KEYS = ("reference_number", "ppd_id", "payee", "by_order_of", "payer", "payment_method",
                     "payment_processor", "reason")
_ITEM_LOGIN_REQUIRED = {"error_type": "ITEM_ERROR", "error_code": "ITEM_LOGIN_REQUIRED",
                        "error_message": "the login details of this item have changed (credentials, MFA, or "
                                         "required user action) and a user login is required to update this "
                                         "information. use Link's update mode to restore the item to a good state",
                        "display_message": "The login details of this item have changed (credentials, MFA, or "
                                           "required user action) and a user login is required to update this "
                                           "information.", "status": 400}
# Webhook codes: their webhook_type and the fields between item_id and environment.
WEBHOOKS = {
    "SYNC_UPDATES_AVAILABLE": ("TRANSACTIONS", {"initial_update_complete": True, "historical_update_complete": True}),
    "DEFAULT_UPDATE": ("TRANSACTIONS", {"new_transactions": 0, "error": None}),
    "INITIAL_UPDATE": ("TRANSACTIONS", {"new_transactions": 0, "error": None}),
    "HISTORICAL_UPDATE": ("TRANSACTIONS", {"new_transactions": 0, "error": None}),
    "TRANSACTIONS_REMOVED": ("TRANSACTIONS", {"removed_transactions": [], "error": None}),
    "NEW_ACCOUNTS_AVAILABLE": ("ITEM", {"error": None}),
    "LOGIN_REPAIRED": ("ITEM", {}),
    "PENDING_DISCONNECT": ("ITEM", {"reason": "INSTITUTION_TOKEN_EXPIRATION"}),
    "USER_PERMISSION_REVOKED": ("ITEM", {"error": {**_ITEM_LOGIN_REQUIRED, "error_code": "USER_PERMISSION_REVOKED",
                                                   "error_message": "the holder of this account has revoked their "
                                                                    "permission for your application to access it"}}),
    "ERROR": ("ITEM", {"error": _ITEM_LOGIN_REQUIRED}),
}
# Top-level fields each endpoint takes (besides client_id and secret): (required, optional).
LINK_TOKEN_OPTIONAL = (
    "user_id", "required_if_supported_products", "optional_products", "additional_consented_products", "webhook",
    "access_token", "access_tokens", "link_customization_name", "appearance_mode", "redirect_uri",
    "android_package_name", "institution_data", "card_switch", "account_filters", "eu_config", "institution_id",
    "payment_configuration", "payment_initiation", "employment", "income_verification", "base_report",
    "credit_partner_insights", "cra_options", "cra_report_parameter", "consumer_report_permissible_purpose", "auth",
    "transfer", "update", "identity_verification", "statements", "third_party_user_token", "investments",
    "investments_auth", "hosted_link", "transactions", "cashflow_report", "cra_enabled", "identity",
    "financekit_supported", "enable_multi_item_link", "user_token")
FIELDS = {
    "/link/token/create": (("client_name", "language", "country_codes", "user", "products"), LINK_TOKEN_OPTIONAL),
    "/sandbox/public_token/create": (("institution_id", "initial_products"), ("options", "user_token", "user_id")),
    "/item/public_token/exchange": (("public_token",), ()),
    "/accounts/get": (("access_token",), ("options",)),
    "/accounts/balance/get": (("access_token",), ("options",)),
    "/item/get": (("access_token",), ()),
    "/item/remove": (("access_token",), ("reason_code", "reason_note")),
    "/item/webhook/update": (("access_token",), ("webhook",)),
    "/transactions/sync": (("access_token",), ("cursor", "count", "options")),
    "/webhook_verification_key/get": (("key_id",), ()),
    "/sandbox/item/fire_webhook": (("access_token", "webhook_code"), ("webhook_type", "options")),
}


class PlaidError(Exception):
    """An API error, answered with Plaid's error object and this HTTP status."""

    def __init__(self, error_type, error_code, message, status=400, display_message=None):
        super().__init__(message)
        self.error_type, self.error_code, self.message = error_type, error_code, message
        self.status, self.display_message = status, display_message

    def body(self, request_id):
        return {"display_message": self.display_message,
                "documentation_url": f"https://plaid.com/docs/errors/{self.error_type.lower().replace('_', '-')}/"
                                     f"#{self.error_code.lower().replace('_', '-')}",
                "error_code": self.error_code, "error_code_reason": None, "error_message": self.message,
                "error_type": self.error_type, "request_id": request_id, "suggested_action": None}


class HookError(Exception):
    """A test hook's error: `{"message"}` with this status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def invalid_field(message):
    return PlaidError("INVALID_REQUEST", "INVALID_FIELD", message)


def invalid_access_token(message="could not find matching access token"):
    return PlaidError("INVALID_INPUT", "INVALID_ACCESS_TOKEN", message)


def mutation_during_pagination():
    return PlaidError("TRANSACTIONS_ERROR", "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
                      "Underlying transaction data changed since last page was fetched. Please restart pagination "
                      "from last update.")


# --- Request fields -------------------------------------------------------------------------------


def check_fields(path, body):
    """Unknown and missing top-level fields of an API request (null counts as absent)."""
    required, optional = FIELDS[path]
    unknown = sorted(set(body) - set(required) - set(optional) - {"client_id", "secret"})
    if unknown:
        raise PlaidError("INVALID_REQUEST", "UNKNOWN_FIELDS",
                         f"the following fields are not recognized by this endpoint: {', '.join(unknown)}")
    absent = [name for name in required if body.get(name) in (None, "", [])]
    if path == "/link/token/create" and isinstance(body.get("user"), dict) \
            and body["user"].get("client_user_id") in (None, ""):
        absent.append("user.client_user_id")
    if absent:
        raise PlaidError("INVALID_REQUEST", "MISSING_FIELDS",
                         f"the following required fields are missing: {', '.join(absent)}")


def string(body, name):
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid_field(f"{name} must be a string")
    return value


def string_list(body, name):
    value = body.get(name)
    if value is not None and not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
        raise invalid_field(f"{name} must be an array of strings")
    return value


def an_object(body, name):
    value = body.get(name)
    if value is not None and not isinstance(value, dict):
        raise invalid_field(f"{name} must be an object")
    return value or {}


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


# --- Money, time, ids, signatures -----------------------------------------------------------------


def dollars(cents):
    """Integer cents as Plaid's JSON number (a float whose shortest repr has ≤ 2 decimals)."""
    return cents / 100


def iso_z(ts):
    return dt.datetime.fromtimestamp(int(ts), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def today():
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def uuid_like(n):
    return f"00000000-0000-4000-8000-{n:012d}"


def long_id(tag, n):
    """A 37-character id like Plaid's: the tag, then the counter zero-padded."""
    return f"{tag}{n:0{37 - len(tag)}d}"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signing_key(n):
    """The n-th P-256 key: derived from the counter, so the same after every reset."""
    seed = int.from_bytes(hashlib.sha256(f"plaid-fake-webhook-key-{n}".encode()).digest(), "big")
    return ec.derive_private_key(seed % (P256_ORDER - 1) + 1, ec.SECP256R1())


def es256(private_key, data):
    """A JWS ES256 signature: raw r || s, 32 bytes each (not the DER that `sign` answers)."""
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def make_jwt(alg, kid, claims, private_key):
    """A compact JWT with header {"alg", "kid", "typ": "JWT"}; `none` and HS256 are the bad cases."""
    header = json.dumps({"alg": alg, "kid": kid, "typ": "JWT"}, separators=(",", ":")).encode()
    payload = json.dumps(claims, separators=(",", ":")).encode()
    signing_input = f"{b64url(header)}.{b64url(payload)}".encode()
    if alg == "ES256":
        signature = es256(private_key, signing_input)
    elif alg == "HS256":
        pem = private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo)
        signature = hmac.new(pem, signing_input, hashlib.sha256).digest()
    else:
        signature = b""
    return f"{signing_input.decode()}.{b64url(signature)}"


def jwk(key):
    numbers = key["private"].public_key().public_numbers()
    return {"alg": "ES256", "created_at": key["created_at"], "crv": "P-256", "expired_at": key["expired_at"],
            "kid": key["kid"], "kty": "EC", "use": "sig",
            "x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))}


def dumps(value):
    return json.dumps(value, indent=2).encode()


# --- Cursors and the change log -------------------------------------------------------------------


def end_cursor(item_id, position):
    return b64url(f"{item_id}|{position}".encode())


def page_cursor(item_id, start, end, offset):
    return b64url(f"{item_id}|{start}|{end}|{offset}".encode())


def parse_cursor(item, cursor):
    """(start, end, offset) of a cursor: an end cursor starts a run over the log as it is now; a page
    cursor continues its run (offset > 0)."""
    log_length = len(item["log"])
    if not cursor:
        return 0, log_length, 0
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
        if parts[0] != item["item_id"] or len(parts) not in (2, 4):
            raise ValueError
        numbers = [int(p) for p in parts[1:]]
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_field("cursor is not valid for this item") from None
    start, end, offset = (numbers[0], log_length, 0) if len(numbers) == 1 else numbers
    if not 0 <= start <= end <= log_length or len(numbers) == 3 and offset < 1:
        raise invalid_field("cursor is not valid for this item")
    return start, end, offset


def net_changes(log, start, end):
    """The changes of log[start:end] as a client at `start` needs them: [(kind, record)] with kind
    added | modified | removed, one per transaction, in the order of their last change."""
    last = {}
    for i in range(start, end):
        last[log[i]["transaction_id"]] = i
    existed = {}
    for entry in log[:start]:
        if entry["transaction_id"] in last:
            existed[entry["transaction_id"]] = entry["op"] != "removed"
    changes = []
    for txn_id, i in sorted(last.items(), key=lambda kv: kv[1]):
        entry, before = log[i], existed.get(txn_id, False)
        if entry["op"] != "removed":
            changes.append(("modified" if before else "added", entry["record"]))
        elif before:
            changes.append(("removed", entry["record"]))
    return changes


def render_transaction(record):
    return {k: dollars(v) if k == "amount" else copy.deepcopy(v) for k, v in sorted(record.items())}


def removed_entry(record):
    return {"transaction_id": record["transaction_id"], "account_id": record["account_id"]}


def render_account(account):
    return {"account_id": account["account_id"],
            "balances": {"available": dollars(account["available"]), "current": dollars(account["current"]),
                         "iso_currency_code": account["iso_currency_code"], "limit": None,
                         "unofficial_currency_code": None},
            "mask": account["mask"], "name": account["name"], "official_name": account["official_name"],
            "subtype": account["subtype"], "type": "depository"}


def render_item(item, with_created=False):
    products = list(item["products"])
    out = {"available_products": [p for p in ("balance", "identity") if p not in products],
           "billed_products": products, "consent_expiration_time": None, "error": None,
           "institution_id": item["institution_id"], "institution_name": item["institution_name"],
           "item_id": item["item_id"], "products": products, "update_type": "background",
           "webhook": item["webhook"]}
    if with_created:
        out["created_at"] = item["created_at"]
    return out


# --- Transactions given to the hooks --------------------------------------------------------------


def _text(name, value, nullable=True):
    if value is None and nullable or isinstance(value, str) and (value or nullable):
        return value
    raise HookError(f"{name} must be a {'string or null' if nullable else 'non-empty string'}")


def _date(name, value, nullable=False):
    if value is None and nullable:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise HookError(f"{name} must be a date YYYY-MM-DD") from None


def _datetime(name, value):
    if value is None:
        return None
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    except (AttributeError, ValueError):
        raise HookError(f"{name} must be an ISO 8601 date-time or null") from None


def _amount(name, value):
    if not is_int(value):
        raise HookError(f"{name} must be an integer number of cents (positive = money out)")
    return value


def _bool(name, value):
    if isinstance(value, bool):
        return value
    raise HookError(f"{name} must be true or false")


def _choice(choices, nullable=False):
    def check(name, value):
        if value is None and nullable or value in choices:
            return value
        raise HookError(f"{name} must be one of {', '.join(choices)}")
    return check


def _strings(name, value):
    if value is None or isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise HookError(f"{name} must be an array of strings or null")


def _category(name, value):
    if value is None or isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("primary", "detailed")):
        return None if value is None else {"primary": value["primary"], "detailed": value["detailed"],
                                           "confidence_level": value.get("confidence_level", "VERY_HIGH")}
    raise HookError(f"{name} must be {{\"primary\", \"detailed\"}} or null")


def _sub_object(keys):
    def check(name, value):
        if not isinstance(value, dict) or set(value) - set(keys):
            raise HookError(f"{name} must be an object with keys among {', '.join(keys)}")
        return value
    return check


TXN_FIELDS = {
    "account_id": lambda n, v: _text(n, v, False), "amount": _amount, "date": _date,
    "authorized_date": lambda n, v: _date(n, v, True), "datetime": _datetime, "authorized_datetime": _datetime,
    "name": lambda n, v: _text(n, v, False), "merchant_name": _text, "merchant_entity_id": _text,
    "original_description": _text, "payment_channel": _choice(tuple(PAYMENT_CHANNELS)),
    "pending": _bool, "category": _strings,
    "category_id": _text, "personal_finance_category": _category,
    "transaction_code": _choice(TRANSACTION_CODES, True), "check_number": _text, "account_owner": _text,
    "logo_url": _text, "website": _text, "iso_currency_code": _text, "unofficial_currency_code": _text,
    "location": _sub_object(LOCATION_KEYS), "payment_meta": _sub_object(PAYMENT_META_KEYS),
}


def transaction_fields(spec, allowed):
    """The validated fields of a hook's transaction spec (only `allowed` names)."""
    if not isinstance(spec, dict):
        raise HookError("a transaction must be a JSON object")
    unknown = sorted(set(spec) - set(allowed))
    if unknown:
        raise HookError(f"unknown transaction fields: {', '.join(unknown)}")
    return {name: TXN_FIELDS[name](name, value) for name, value in spec.items()}


def default_categories(cents):
    if cents < 0:
        return ["Transfer", "Deposit"], {"primary": "TRANSFER_IN", "detailed": "TRANSFER_IN_DEPOSIT",
                                         "confidence_level": "LOW"}
    return ["Service"], {"primary": "GENERAL_SERVICES", "detailed": "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
                         "confidence_level": "LOW"}


def apply_fields(record, fields):
    for name, value in fields.items():
        if name in ("location", "payment_meta"):
            record[name].update(value)
        else:
            record[name] = value
    record["transaction_type"] = PAYMENT_CHANNELS[record["payment_channel"]]


# --- State ----------------------------------------------------------------------------------------


class FakeState:
    """Every Item, token, key and log, shared by the request threads (one lock; no network I/O is
    done under it)."""

    def __init__(self, client_id, secret):
        self.client_id, self.secret = client_id, secret
        self.lock = threading.RLock()
        self._clear()

    def _clear(self):
        self.counters = {}
        self.link_tokens = {}  # link_token -> {"webhook", "products"}
        self.public_tokens = {}  # public_token -> {"item_id", "used"}
        self.items = {}  # item_id -> item
        self.by_access_token = {}
        self.txn_items = {}  # transaction_id -> item_id (removed ones too)
        self.keys = []  # {"kid", "private", "created_at", "expired_at"}, oldest first; the last is current
        self.failures = {}  # path or "*" -> {"count", "error": PlaidError}
        self.mutations = 0
        self.mutation_item = None
        self.webhooks = []
        self.requests = []
        self.add_key()

    def reset(self):
        with self.lock:
            self._clear()

    def next(self, kind):
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        return n

    def request_id(self):
        with self.lock:
            return f"fakereq{self.next('request'):08d}"

    # -- keys

    def add_key(self):
        n = self.next("key")
        key = {"kid": uuid_like(n), "private": signing_key(n), "created_at": int(time.time()), "expired_at": None}
        self.keys.append(key)
        return key

    def key(self, kid):
        return next((k for k in self.keys if k["kid"] == kid), None)

    # -- injected failures

    def take_failure(self, path):
        with self.lock:
            for slot in (path, "*"):
                failure = self.failures.get(slot)
                if failure is not None:
                    failure["count"] -= 1
                    if failure["count"] <= 0:
                        del self.failures[slot]
                    return failure["error"]
            return None

    def take_mutation(self, item_id):
        if self.mutations > 0 and self.mutation_item in (None, item_id):
            self.mutations -= 1
            return True
        return False

    # -- items

    def find_item(self, ref):
        """An Item by id or access token, for a hook."""
        item = self.items.get(ref) or self.by_access_token.get(ref)
        if item is None:
            raise HookError(f"no item {ref!r}", 404)
        return item

    def find_transaction(self, txn_id):
        """(item, current record) of a transaction, for a hook."""
        item_id = self.txn_items.get(txn_id)
        if item_id is None:
            raise HookError(f"no transaction {txn_id!r}", 404)
        item = self.items[item_id]
        record = item["transactions"].get(txn_id)
        if record is None:
            raise HookError(f"transaction {txn_id!r} was removed")
        return item, record

    def log(self, item, op, record):
        item["log"].append({"op": op, "transaction_id": record["transaction_id"], "record": copy.deepcopy(record)})


# --- Plaid: the API and the hooks' state changes --------------------------------------------------


class Plaid:
    """The model. Every method runs under the state's lock; webhooks to send are returned as
    prepared deliveries (sent by `send_webhook` outside the lock)."""

    def __init__(self, state):
        self.s = state

    # -- Items and accounts

    def new_item(self, institution_id, institution_name, webhook, products, accounts):
        item_id = long_id("item", self.s.next("item"))
        institution_name = institution_name or INSTITUTIONS.get(institution_id, f"Institution {institution_id}")
        item = {"item_id": item_id, "access_token": None, "institution_id": institution_id,
                "institution_name": institution_name,
                "webhook": webhook, "products": products, "accounts": [], "transactions": {}, "log": [],
                "removed": False, "created_at": iso_z(time.time()), "update_status": "HISTORICAL_UPDATE_COMPLETE",
                "sync_called": False, "last_webhook": None}
        for spec in accounts:
            item["accounts"].append(self.new_account(spec))
        self.s.items[item_id] = item
        return item

    def new_account(self, spec):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            raise HookError("an account needs a name")
        subtype = spec.get("subtype", "checking")
        if subtype not in ("checking", "savings"):
            raise HookError("subtype must be checking or savings")
        n = self.s.next("account")
        account = {"account_id": long_id("acct", n), "name": spec["name"], "subtype": subtype,
                   "official_name": spec.get("official_name"), "mask": spec.get("mask", f"{n % 10000:04d}"),
                   "available": spec.get("available", 0), "current": spec.get("current", 0),
                   "iso_currency_code": spec.get("iso_currency_code", "USD")}
        if not is_int(account["available"]) or not is_int(account["current"]):
            raise HookError("available and current must be integer cents")
        return account

    def new_public_token(self, item):
        token = f"public-{ENVIRONMENT}-{uuid_like(self.s.next('public_token'))}"
        self.s.public_tokens[token] = {"item_id": item["item_id"], "used": False}
        return token

    def item_for(self, body):
        token = body["access_token"]
        if not isinstance(token, str) or not token.startswith("access-"):
            raise invalid_access_token("provided access token is in an invalid format. "
                                       "expected format: access-<environment>-<identifier>")
        item = self.s.by_access_token.get(token)
        if item is None or item["removed"]:
            raise invalid_access_token()
        return item

    # -- API endpoints: each answers (body without request_id, deliveries to send after the answer)

    def link_token_create(self, body):
        for name in ("client_name", "language", "webhook"):
            string(body, name)
        string_list(body, "products")
        string_list(body, "country_codes")
        an_object(body, "user")
        token = f"link-{ENVIRONMENT}-{uuid_like(self.s.next('link_token'))}"
        self.s.link_tokens[token] = {"webhook": body.get("webhook"), "products": list(body["products"])}
        return {"link_token": token, "expiration": iso_z(time.time() + LINK_TOKEN_SECONDS)}, []

    def sandbox_public_token_create(self, body):
        institution_id, products = string(body, "institution_id"), string_list(body, "initial_products")
        options = an_object(body, "options")
        webhook = string(options, "webhook")
        item = self.new_item(institution_id, None, webhook, products, DEFAULT_ACCOUNTS)
        return {"public_token": self.new_public_token(item)}, []

    def item_public_token_exchange(self, body):
        token = body["public_token"]
        if not isinstance(token, str) or not token.startswith("public-"):
            raise PlaidError("INVALID_INPUT", "INVALID_PUBLIC_TOKEN", "provided public token is in an invalid "
                             "format. expected format: public-<environment>-<identifier>")
        entry = self.s.public_tokens.get(token)
        if entry is None or entry["used"]:
            raise PlaidError("INVALID_INPUT", "INVALID_PUBLIC_TOKEN", "provided public token is expired. Public "
                             "tokens expire 30 minutes after creation at which point they can no longer be exchanged")
        entry["used"] = True
        item = self.s.items[entry["item_id"]]
        if item["access_token"] is None:
            item["access_token"] = f"access-{ENVIRONMENT}-{uuid_like(self.s.next('access_token'))}"
            self.s.by_access_token[item["access_token"]] = item
        return {"access_token": item["access_token"], "item_id": item["item_id"]}, []

    def accounts_get(self, body):
        item = self.item_for(body)
        wanted = string_list(an_object(body, "options"), "account_ids")
        accounts = item["accounts"]
        if wanted is not None:
            known = {a["account_id"] for a in accounts}
            if set(wanted) - known:
                raise PlaidError("INVALID_INPUT", "INVALID_ACCOUNT_ID", "one or more of the account IDs is invalid")
            accounts = [a for a in accounts if a["account_id"] in wanted]
        return {"accounts": [render_account(a) for a in accounts], "item": render_item(item)}, []

    def item_get(self, body):
        item = self.item_for(body)
        status = {"transactions": {"last_successful_update": item["created_at"], "last_failed_update": None},
                  "last_webhook": copy.deepcopy(item["last_webhook"])}
        return {"item": render_item(item, with_created=True), "status": status}, []

    def item_remove(self, body):
        item = self.item_for(body)
        item["removed"] = True
        return {}, []

    def item_webhook_update(self, body):
        item = self.item_for(body)
        item["webhook"] = string(body, "webhook")
        return {"item": render_item(item)}, []

    def transactions_sync(self, body):
        item = self.item_for(body)
        cursor, count = string(body, "cursor") or "", body.get("count", DEFAULT_SYNC_COUNT)
        if count is None:
            count = DEFAULT_SYNC_COUNT
        if not is_int(count) or not 1 <= count <= MAX_SYNC_COUNT:
            raise invalid_field(f"count must be an integer between 1 and {MAX_SYNC_COUNT}")
        an_object(body, "options")
        item["sync_called"] = True
        if self.s.take_mutation(item["item_id"]):
            raise mutation_during_pagination()
        answer = {"accounts": [render_account(a) for a in item["accounts"]], "added": [], "modified": [],
                  "removed": [], "next_cursor": "", "has_more": False,
                  "transactions_update_status": item["update_status"]}
        if item["update_status"] in ("NOT_READY", "TRANSACTIONS_UPDATE_STATUS_UNKNOWN"):
            return answer, []
        start, end, offset = parse_cursor(item, cursor)
        if offset > 0 and end != len(item["log"]):
            raise mutation_during_pagination()
        changes = net_changes(item["log"], start, end)
        if offset > len(changes):
            raise invalid_field("cursor is not valid for this item")
        for kind, record in changes[offset:offset + count]:
            answer[kind].append(removed_entry(record) if kind == "removed" else render_transaction(record))
        answer["has_more"] = offset + count < len(changes)
        answer["next_cursor"] = (page_cursor(item["item_id"], start, end, offset + count) if answer["has_more"]
                                 else end_cursor(item["item_id"], end))
        return answer, []

    def webhook_verification_key_get(self, body):
        key = self.s.key(string(body, "key_id"))
        if key is None:
            raise PlaidError("INVALID_INPUT", "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
                             "invalid key_id provided: no webhook verification key has this id")
        return {"key": jwk(key)}, []

    def sandbox_item_fire_webhook(self, body):
        item = self.item_for(body)
        code, wtype = string(body, "webhook_code"), string(body, "webhook_type")
        if code not in WEBHOOKS or wtype is not None and wtype != WEBHOOKS[code][0]:
            raise invalid_field(f"webhook_code must be one of {', '.join(WEBHOOKS)} (with its webhook_type)")
        if not item["webhook"]:
            raise invalid_field("the Item has no webhook: set one with /item/webhook/update")
        return {"webhook_fired": True}, [self.prepare_webhook(item, code)]

    API = {"/link/token/create": link_token_create,
           "/sandbox/public_token/create": sandbox_public_token_create,
           "/item/public_token/exchange": item_public_token_exchange,
           "/accounts/get": accounts_get, "/accounts/balance/get": accounts_get,
           "/item/get": item_get, "/item/remove": item_remove, "/item/webhook/update": item_webhook_update,
           "/transactions/sync": transactions_sync,
           "/webhook_verification_key/get": webhook_verification_key_get,
           "/sandbox/item/fire_webhook": sandbox_item_fire_webhook}

    def call(self, path, body):
        check_fields(path, body)
        return self.API[path](self, body)

    # -- webhooks

    def prepare_webhook(self, item, code, fields=None, url=None, iat_offset=0, tamper_body=False, kid=None,
                        alg="ES256", timeout=DEFAULT_WEBHOOK_TIMEOUT):
        """Builds, signs and records one delivery; `send_webhook` sends it."""
        url = url or item["webhook"]
        if not url:
            raise HookError("the Item has no webhook URL (give one: url)")
        webhook_type, extra = WEBHOOKS[code]
        body = {"webhook_type": webhook_type, "webhook_code": code, "item_id": item["item_id"],
                **copy.deepcopy(extra), "environment": ENVIRONMENT, **(fields or {})}
        payload = dumps(body)
        current = self.s.keys[-1]
        key = self.s.key(kid) if kid else current
        iat = int(time.time()) + iat_offset
        hashed = payload + b" (tampered)" if tamper_body else payload
        claims = {"iat": iat, "request_body_sha256": hashlib.sha256(hashed).hexdigest()}
        token = make_jwt(alg, kid or current["kid"], claims, (key or current)["private"])
        record = {"item_id": item["item_id"], "webhook_type": webhook_type, "webhook_code": code, "url": url,
                  "body": payload.decode(), "jwt": token, "kid": kid or current["kid"], "alg": alg, "iat": iat,
                  "request_body_sha256": claims["request_body_sha256"], "status": None, "error": None}
        self.s.webhooks.append(record)
        item["last_webhook"] = {"sent_at": iso_z(time.time()), "code_sent": code}
        return {"record": record, "payload": payload, "timeout": timeout}

    # -- hooks that change transactions

    def add_transactions(self, item, specs):
        if not isinstance(specs, list) or not specs:
            raise HookError("transactions must be a non-empty array")
        checked = [self.check_new_transaction(item, spec) for spec in specs]  # all or nothing
        added = [self.new_transaction(item, fields) for fields in checked]
        return {"transactions": [render_transaction(r) for r in added]}

    def check_new_transaction(self, item, spec):
        """The fields of a transaction the add hook may create (account_id defaults to the first)."""
        fields = transaction_fields(spec, TXN_FIELDS)
        for name in ("amount", "name"):
            if name not in fields:
                raise HookError(f"a transaction needs {name}")
        account_ids = [a["account_id"] for a in item["accounts"]]
        fields.setdefault("account_id", account_ids[0] if account_ids else None)
        if fields["account_id"] not in account_ids:
            raise HookError(f"account_id {fields['account_id']!r} is not an account of item {item['item_id']}")
        return fields

    def new_transaction(self, item, fields):
        """Creates and logs (`added`) a transaction from checked fields."""
        account_id = fields.pop("account_id")
        txn_id = long_id("txn", self.s.next("transaction"))
        category, pfc = default_categories(fields["amount"])
        date = fields.get("date", today())
        record = {"transaction_id": txn_id, "account_id": account_id, "amount": 0, "iso_currency_code": "USD",
                  "unofficial_currency_code": None, "date": date, "authorized_date": date, "datetime": None,
                  "authorized_datetime": None, "name": "", "merchant_name": None, "merchant_entity_id": None,
                  "original_description": None, "payment_channel": "other", "pending": False,
                  "pending_transaction_id": None, "category": category, "category_id": None,
                  "personal_finance_category": pfc, "transaction_code": None, "check_number": None,
                  "account_owner": None, "logo_url": None, "website": None, "counterparties": [],
                  "location": dict.fromkeys(LOCATION_KEYS), "payment_meta": dict.fromkeys(PAYMENT_META_KEYS)}
        apply_fields(record, fields)
        item["transactions"][txn_id] = record
        self.s.txn_items[txn_id] = item["item_id"]
        self.s.log(item, "added", record)
        return record

    def post_transaction(self, txn_id, args):
        item, pending = self.s.find_transaction(txn_id)
        if not pending["pending"]:
            raise HookError(f"transaction {txn_id} is not pending")
        link = args.get("link", True)
        if not isinstance(link, bool):
            raise HookError("link must be true or false")
        fields = transaction_fields({k: v for k, v in args.items() if k != "link"},
                                    ("amount", "name", "merchant_name", "date"))
        carried = {k: copy.deepcopy(v) for k, v in pending.items()
                   if k not in ("transaction_id", "pending", "pending_transaction_id", "transaction_type")}
        posted = self.new_transaction(item, {**carried, **fields, "pending": False,
                                             "pending_transaction_id": txn_id if link else None})
        self.remove_transaction(txn_id)
        return {"transaction": render_transaction(posted), "removed": removed_entry(pending)}

    def modify_transaction(self, txn_id, args):
        item, record = self.s.find_transaction(txn_id)
        fields = transaction_fields(args, [n for n in TXN_FIELDS if n not in ("account_id", "pending")])
        apply_fields(record, fields)
        self.s.log(item, "modified", record)
        return {"transaction": render_transaction(record)}

    def remove_transaction(self, txn_id):
        item, record = self.s.find_transaction(txn_id)
        del item["transactions"][txn_id]
        self.s.log(item, "removed", record)
        return {"removed": removed_entry(record)}

    def item_view(self, item):
        return {"item_id": item["item_id"], "access_token": item["access_token"], "webhook": item["webhook"],
                "removed": item["removed"], "transactions_update_status": item["update_status"],
                "sync_called": item["sync_called"], "log_length": len(item["log"]),
                "accounts": [render_account(a) for a in item["accounts"]],
                "transactions": [render_transaction(r) for r in item["transactions"].values()]}


# Never through a proxy from the environment: the endpoint is local.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send_webhook(state, delivery):
    """POSTs a prepared delivery now, records the receiver's status (or the error), answers the record."""
    record = delivery["record"]
    req = urllib.request.Request(record["url"], data=delivery["payload"], method="POST", headers={
        "Content-Type": "application/json", "Plaid-Verification": record["jwt"], "User-Agent": "Plaid Verifier"})
    status, error = None, None
    try:
        with _OPENER.open(req, timeout=delivery["timeout"]) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
        e.close()
    except Exception as e:  # noqa: BLE001 (a failed delivery is the outcome, not the fake's error)
        error = f"{type(e).__name__}: {e}"
    with state.lock:
        record["status"], record["error"] = status, error
        return dict(record)


# --- Hook arguments -------------------------------------------------------------------------------


def hook_int(args, name, default, minimum=None):
    value = args.get(name, default)
    if not is_int(value) or minimum is not None and value < minimum:
        raise HookError(f"{name} must be an integer" + (f" ≥ {minimum}" if minimum is not None else ""))
    return value


def hook_bool(args, name, default=False):
    value = args.get(name, default)
    if not isinstance(value, bool):
        raise HookError(f"{name} must be true or false")
    return value


def hook_str(args, name, default=None):
    value = args.get(name, default)
    if value is not None and not (isinstance(value, str) and value):
        raise HookError(f"{name} must be a non-empty string")
    return value


def webhook_options(args):
    """The keyword arguments of `prepare_webhook` from the webhook hook's body."""
    code = hook_str(args, "webhook_code", "SYNC_UPDATES_AVAILABLE")
    if code not in WEBHOOKS:
        raise HookError(f"webhook_code must be one of {', '.join(WEBHOOKS)}")
    fields, alg = args.get("fields", {}), args.get("alg", "ES256")
    if not isinstance(fields, dict):
        raise HookError("fields must be an object")
    if alg not in ("ES256", "none", "HS256"):
        raise HookError("alg must be ES256, none or HS256")
    timeout = args.get("timeout", DEFAULT_WEBHOOK_TIMEOUT)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise HookError("timeout must be a positive number of seconds")
    return {"code": code, "fields": fields, "url": hook_str(args, "url"), "iat_offset": hook_int(args, "iat_offset", 0),
            "tamper_body": hook_bool(args, "tamper_body"), "kid": hook_str(args, "kid"), "alg": alg,
            "timeout": float(timeout)}


def failure_setting(args):
    """(slot, setting) of the fail_next hook: the path (or "*") and {"count", "status", "error"}."""
    path = hook_str(args, "path") or "*"
    count, status = hook_int(args, "count", 1, 0), hook_int(args, "status", 500, 400)
    error_type = hook_str(args, "error_type", "API_ERROR")
    error_code = hook_str(args, "error_code", "INTERNAL_SERVER_ERROR")
    message = hook_str(args, "error_message", "an unexpected error occurred (injected by the Plaid fake's fail_next)")
    display = hook_str(args, "display_message")
    if path != "*" and path not in FIELDS:
        raise HookError(f"path must be one of {', '.join(FIELDS)}")
    if status > 599:
        raise HookError("status must be an HTTP error status (400-599)")
    return path, {"count": count, "error": PlaidError(error_type, error_code, message, status, display)}


# --- HTTP -----------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps clients' pooled connections open; every answer carries a Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "PlaidFake/1"

    # -- plumbing

    def _body(self):
        """The request body, or None if it is too large to read."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True  # the unread body would be taken for the next request
            return None
        return self.rfile.read(length)

    def _send(self, status, body, content_type="application/json; charset=utf-8"):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if urlsplit(self.path).path.startswith("/_fake/plaid/"):
                # The hooks play Link, which runs in the browser (the web app's Link step in make dev).
                self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _json(self, status, value):
        self._send(status, json.dumps(value).encode())

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_OPTIONS(self):
        """CORS preflight of the test hooks (a browser playing Link); Plaid's API itself is called
        from servers and answers no preflight."""
        if not urlsplit(self.path).path.startswith("/_fake/plaid/"):
            return self._send(404, b"")
        try:
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "content-type")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _route(self, method):
        body = self._body() if method == "POST" else b""
        path = urlsplit(self.path).path
        if path.startswith("/_fake/plaid/"):
            return self._hook(method, path[len("/_fake/plaid/"):], body)
        if method == "POST" and path in FIELDS:
            return self._api(path, body)
        error = PlaidError("INVALID_REQUEST", "NOT_FOUND", f"not found: {method} {path} (the Plaid fake serves "
                                                           "only the calls its docstring lists)", 404)
        self._send(404, dumps(error.body(self.server.state.request_id())))

    # -- the API

    def _api(self, path, raw):
        state = self.server.state
        request_id = state.request_id()
        record = {"path": path, "body": None, "status": None, "error_code": None, "request_id": request_id}
        with state.lock:
            state.requests.append(record)
        deliveries = []
        try:
            failure = state.take_failure(path)
            if failure is not None:
                raise failure
            body = self._parse(raw, record)
            with state.lock:
                self._authenticate(body)
                answer, deliveries = self.server.model.call(path, body)
            status, payload = 200, {**answer, "request_id": request_id}
        except PlaidError as e:
            status, payload = e.status, e.body(request_id)
        with state.lock:
            record["status"], record["error_code"] = status, payload.get("error_code")
        self._send(status, dumps(payload))
        for delivery in deliveries:
            send_webhook(state, delivery)

    def _parse(self, raw, record):
        if raw is None:
            raise PlaidError("INVALID_REQUEST", "INVALID_BODY", "body is too large", 413)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        with self.server.state.lock:
            if not isinstance(body, dict):
                record["body"] = (raw or b"").decode("utf-8", "replace")
            else:
                record["body"] = {k: "<redacted>" if k == "secret" else v for k, v in body.items()}
        if not isinstance(body, dict):
            raise PlaidError("INVALID_REQUEST", "INVALID_BODY", "body could not be parsed as JSON")
        return body

    def _authenticate(self, body):
        client_id = body.get("client_id") or self.headers.get("PLAID-CLIENT-ID")
        secret = body.get("secret") or self.headers.get("PLAID-SECRET")
        absent = [name for name, value in (("client_id", client_id), ("secret", secret)) if not value]
        if absent:
            raise PlaidError("INVALID_REQUEST", "MISSING_FIELDS",
                             f"the following required fields are missing: {', '.join(absent)}")
        state = self.server.state
        same_id = hmac.compare_digest(str(client_id), state.client_id)
        if not (same_id and hmac.compare_digest(str(secret), state.secret)):
            raise PlaidError("INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided")

    # -- test hooks

    def _hook(self, method, path, raw):
        state, model = self.server.state, self.server.model
        parts = path.split("/")
        if method == "GET":
            return self._hook_get(state, model, parts)
        deliveries = []
        try:
            args = json.loads(raw) if raw else {}
            if not isinstance(args, dict):
                raise HookError("the body must be a JSON object")
            with state.lock:
                out = self._hook_locked(state, model, parts, args, deliveries)
        except HookError as e:
            return self._json(e.status, {"message": str(e)})
        except (ValueError, TypeError) as e:
            return self._json(400, {"message": str(e)})
        if out is None:
            return self._json(404, {"message": f"no route POST /_fake/plaid/{path}"})
        for delivery in deliveries:
            out["webhook"] = send_webhook(state, delivery)
        if parts[0] == "items" and parts[-1] == "webhook":
            out = out["webhook"]  # that hook answers the delivery itself
        self._json(200, out)

    def _hook_get(self, state, model, parts):
        if parts == ["health"]:
            return self._send(200, b"ok", "text/plain")
        with state.lock:
            if parts == ["requests"]:
                return self._json(200, copy.deepcopy(state.requests))
            if parts == ["webhooks"]:
                return self._json(200, copy.deepcopy(state.webhooks))
            if parts == ["keys"]:
                return self._json(200, [jwk(k) for k in state.keys])
            if len(parts) == 2 and parts[0] == "items":
                try:
                    return self._json(200, model.item_view(state.find_item(parts[1])))
                except HookError as e:
                    return self._json(e.status, {"message": str(e)})
        self._json(404, {"message": f"no route GET /_fake/plaid/{'/'.join(parts)}"})

    def _hook_locked(self, state, model, parts, args, deliveries):
        """A hook that changes state; None for an unknown route. Webhooks to send go to `deliveries`."""
        if parts == ["reset"]:
            state.reset()
            return {"reset": True}
        if parts == ["public_token"]:
            return self._link(state, model, args)
        if parts == ["keys", "rotate"]:
            previous = state.keys[-1]
            previous["expired_at"] = int(time.time())
            return {"kid": state.add_key()["kid"], "expired_kid": previous["kid"]}
        if parts == ["fail_next"]:
            slot, setting = failure_setting(args)
            state.failures.pop(slot, None)
            if setting["count"] > 0:
                state.failures[slot] = setting
            return {"path": slot, "count": setting["count"], "status": setting["error"].status}
        if parts == ["mutation_next"]:
            ref = args.get("item")
            state.mutation_item = state.find_item(ref)["item_id"] if ref is not None else None
            state.mutations = hook_int(args, "count", 1, 0)
            return {"count": state.mutations, "item": state.mutation_item}
        if len(parts) == 3 and parts[0] == "items":
            return self._item_hook(state, model, state.find_item(parts[1]), parts[2], args, deliveries)
        if len(parts) == 3 and parts[0] == "transactions":
            return self._transaction_hook(state, model, parts[1], parts[2], args, deliveries)
        return None

    def _link(self, state, model, args):
        link = state.link_tokens.get(args.get("link_token")) if args.get("link_token") else {}
        if link is None:
            raise HookError(f"no link token {args['link_token']!r}", 404)
        products = args.get("products", link.get("products", ["transactions"]))
        accounts = args.get("accounts", DEFAULT_ACCOUNTS)
        if not isinstance(products, list) or not all(isinstance(p, str) for p in products):
            raise HookError("products must be an array of strings")
        if not isinstance(accounts, (list, tuple)) or not accounts:
            raise HookError("accounts must be a non-empty array")
        item = model.new_item(hook_str(args, "institution_id", DEFAULT_INSTITUTION),
                              hook_str(args, "institution_name"), hook_str(args, "webhook", link.get("webhook")),
                              products, accounts)
        return {"public_token": model.new_public_token(item), "item_id": item["item_id"],
                "accounts": [render_account(a) for a in item["accounts"]]}

    def _item_hook(self, state, model, item, action, args, deliveries):
        if action == "transactions":
            notify = hook_bool(args, "notify")
            out = model.add_transactions(item, args.get("transactions"))
        elif action == "status":
            status = args.get("transactions_update_status")
            if status not in UPDATE_STATUSES:
                raise HookError(f"transactions_update_status must be one of {', '.join(UPDATE_STATUSES)}")
            item["update_status"] = status
            return {"item_id": item["item_id"], "transactions_update_status": status}
        elif action == "webhook":
            options = webhook_options(args)
            deliveries.append(model.prepare_webhook(item, options.pop("code"), **options))
            return {}
        else:
            return None
        if notify:
            deliveries.append(model.prepare_webhook(item, "SYNC_UPDATES_AVAILABLE"))
        return out

    def _transaction_hook(self, state, model, txn_id, action, args, deliveries):
        notify = hook_bool(args, "notify")
        args = {k: v for k, v in args.items() if k != "notify"}
        if action == "post":
            out = model.post_transaction(txn_id, args)
        elif action == "modify":
            out = model.modify_transaction(txn_id, args)
        elif action == "remove":
            if args:
                raise HookError(f"unknown fields: {', '.join(sorted(args))}")
            out = model.remove_transaction(txn_id)
        else:
            return None
        if notify:
            deliveries.append(model.prepare_webhook(state.find_item(state.txn_items[txn_id]), "SYNC_UPDATES_AVAILABLE"))
        return out


class PlaidFake(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, port, quiet=False, client_id=DEFAULT_CLIENT_ID, secret=DEFAULT_SECRET):
        super().__init__((host, port), Handler)
        self.state = FakeState(client_id, secret)
        self.model = Plaid(self.state)
        self.quiet = quiet


def make_server(port=0, quiet=False, client_id=DEFAULT_CLIENT_ID, secret=DEFAULT_SECRET):
    """A fake on 127.0.0.1 (port 0: a free one, see `server_port`); call `serve_forever()`."""
    return PlaidFake("127.0.0.1", port, quiet, client_id, secret)


def main():
    parser = argparse.ArgumentParser(description="Local fake of Plaid (see the module docstring).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PLAID_FAKE_PORT") or DEFAULT_PORT))
    parser.add_argument("--client-id", default=os.environ.get("PLAID_FAKE_CLIENT_ID") or DEFAULT_CLIENT_ID)
    parser.add_argument("--secret", default=os.environ.get("PLAID_FAKE_SECRET") or DEFAULT_SECRET)
    args = parser.parse_args()
    server = make_server(args.port, client_id=args.client_id, secret=args.secret)
    print(f"Plaid fake on http://127.0.0.1:{server.server_port} (client_id {args.client_id})", file=sys.stderr,
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

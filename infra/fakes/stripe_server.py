"""A local, stateful fake of Stripe (test mode, Connect): PaymentIntents for card and ACH
(`us_bank_account`), charges, refunds, disputes, automatic payouts with their balance
transactions, idempotency keys, and signed webhook events.

No offline Stripe mock covers ACH processing, disputes and payouts together (stripe-mock is
stateless and needs Go; localstripe has no us_bank_account, no disputes, no Connect), so the project
owns this one. The production client talks form-encoded HTTP to `STRIPE_API_BASE`; pointed at this
server it must run unchanged, so the API below speaks Stripe's documented wire format. It is
deterministic: ids are counters, fees are integer arithmetic, and nothing happens on its own (the
test hooks drive every state change a real Stripe would make later).

Stripe API (the part the project uses; as Stripe answers it)

* Requests: `Authorization: Bearer sk_test_…` (or `rk_test_…`; HTTP Basic with the key as the user
  works too). A missing key, or any key but a test-mode secret/restricted one, is 401
  `invalid_request_error`. Bodies are `application/x-www-form-urlencoded` with bracket notation:
  `metadata[lease_id]=L1`, `payment_method_types[]=card` or `payment_method_types[0]=card`,
  `expand[]=latest_charge`. Answers are JSON (2-space indented, as Stripe's), with headers
  `Request-Id: req_…` and `Stripe-Version` (the request's, else 2024-06-20).
* `Stripe-Account: acct_…` acts as that connected account (accounts are made with the `accounts`
  hook); without it, as the platform (`PLATFORM_ACCOUNT`). Every object belongs to one account: an
  id of another account's object is 404 `resource_missing`, exactly like an unknown id. An unknown
  account is 403 `invalid_request_error` / `account_invalid`.
* Errors: `{"error": {"type", "code"?, "message", "param"?, "doc_url"?}}`; 400
  `invalid_request_error` (validation; `parameter_missing`, `parameter_unknown`,
  `parameter_invalid_integer`, `amount_too_small`, `amount_too_large`, …), 401, 403, 404
  `resource_missing`, 400 `idempotency_error`, 409 `idempotency_key_in_use`, 500 `api_error`.
  Unknown parameters are refused (400 `parameter_unknown`), as Stripe does.
* Idempotency (POST only; GET ignores the header). The first answer for an `Idempotency-Key`
  (scoped per account + key; keys up to 255 characters) is stored and replayed byte for byte, with
  `Idempotent-Replayed: true` and `Original-Request: req_…`, for a request with the same method,
  path and parameters; success and 5xx alike. Different parameters or path with the same key: 400
  `idempotency_error`. As Stripe documents, a request refused by validation (any 4xx) is not stored,
  so it can be retried, corrected, with the same key. A second request with a key whose first one is
  still executing is 409 `idempotency_key_in_use` (with `Stripe-Should-Retry: true`).
* `POST /v1/payment_intents`: `amount` (integer minor units, required), `currency` (required,
  lowercased), `payment_method_types[]` ⊆ {card, us_bank_account} (us_bank_account needs usd;
  default, and with `automatic_payment_methods[enabled]=true`: card, plus us_bank_account for usd),
  `metadata[...]`, `description`, and Stripe's other create parameters (`customer`,
  `receipt_email`, `statement_descriptor(_suffix)`, `on_behalf_of`, `transfer_group`,
  `transfer_data[...]`, `application_fee_amount`, `setup_future_usage` are echoed; `mandate_data`,
  `payment_method_options`, `return_url`, … are accepted and ignored). `confirm=true` and
  `capture_method=manual` are refused: the fake confirms only through its hook. Amount below the
  currency's minimum (usd/eur/cad/aud 50, gbp 30) is `amount_too_small`, above 99,999,999
  `amount_too_large`. Answers a PaymentIntent:
  `{id: "pi_…", object: "payment_intent", amount, amount_received, amount_capturable, currency,
  status: "requires_payment_method", client_secret: "pi_…_secret_…", payment_method_types,
  payment_method, metadata, description, latest_charge, last_payment_error, capture_method,
  confirmation_method, canceled_at, cancellation_reason, created, livemode: false, …}`.
  Event `payment_intent.created`.
* `POST /v1/payment_intents/{id}/cancel` (`cancellation_reason`?): from requires_payment_method,
  requires_confirmation, requires_action or requires_capture; else 400
  `payment_intent_unexpected_state`. Event `payment_intent.canceled`.
* `POST /v1/refunds` (`payment_intent` or `charge`, `amount`?, `reason`?, `metadata`?): as the
  `refund` hook below, answering the Refund.
* `GET /v1/{payment_intents,charges,payouts,balance_transactions,disputes,refunds,events}/{id}`
  and the same collections as lists: `{object: "list", data, has_more, url}`, newest first,
  `limit` (1-100, default 10), `starting_after`, `ending_before`, `created[gt|gte|lt|lte]`, and
  filters: balance_transactions `payout`, `type`, `source`, `currency`; charges `payment_intent`,
  `customer`; payouts `status`; disputes and refunds `charge`, `payment_intent`; events `type`
  (`charge.*` works); payment_intents `customer`. `expand[]` works on id fields (`latest_charge`,
  `latest_charge.balance_transaction`, `data.source`, …). `GET /v1/balance` answers
  `{object: "balance", available: [{amount, currency}], pending: [{amount: 0, currency}]}`.
* `GET /v1/accounts/{id}` (Retrieve an account): the Account below. The platform may retrieve any
  account (its own too); with `Stripe-Account` only that account itself. An unknown id (or another
  account's, seen from a connected one) is 404 `resource_missing`, `param: "account"`, "No such
  account: 'acct_…'". `GET /v1/account` answers the platform's Account, or with `Stripe-Account`
  that account's.

Objects (all money integer minor units; Stripe's field names):

* Account `acct_…` (a Standard account in the US): `{id, object: "account", type: "standard",
  country: "US", default_currency: "usd", charges_enabled, payouts_enabled (both true unless the
  `accounts` hook says otherwise), details_submitted: true, capabilities: {card_payments,
  us_bank_account_ach_payments} ("active", or "inactive" when charges are disabled),
  requirements: {currently_due: [], …, disabled_reason: null, or "under_review" when charges are
  disabled}, business_profile: {name: null, url: null, mcc: null, …}, business_type: null, email:
  null, created, metadata: {}, tos_acceptance}` (as on Stripe, an Account has no `livemode`). The
  flags are reported, not enforced: a PaymentIntent or a payout on such an account still works.
* Charge `ch_…`: amount, amount_captured, amount_refunded, refunded, disputed, paid, captured,
  status (pending → succeeded | failed), failure_code, failure_message, balance_transaction,
  payment_intent, payment_method, payment_method_details.type, currency, metadata, description.
* BalanceTransaction `txn_…`: amount, fee, fee_details [{amount, type: "stripe_fee", description,
  currency, application: null}], net = amount - fee, type (charge, refund, adjustment, payout),
  reporting_category (charge, refund, dispute, payout), source (ch_/re_/dp_/po_), status
  "available", available_on, currency, and, a fake-only field, `payout` (the po_ that paid it out).
  Fees: card 2.9% + 30¢, ACH 0.8% capped at 500; percentages rounded half up in integer cents.
* Dispute `dp_…`: amount, charge, payment_intent, currency, status ("needs_response" unless the
  hook says otherwise), reason, balance_transactions [the BalanceTransaction], is_charge_refundable.
  Its balance transaction is an `adjustment` of -amount with a 1500 fee (the dispute fee).
* Refund `re_…`: amount, charge, payment_intent, status "succeeded", reason, balance_transaction
  (a `refund` of -amount, fee 0), metadata.
* Payout `po_…`: amount = Σ net of the account's balance transactions not yet paid out (may be
  negative), currency, status "paid", automatic: true, arrival_date (the created day + 2, midnight
  UTC), method "standard", type "bank_account", reconciliation_status "completed",
  balance_transaction (its own `payout` transaction of -amount). `GET
  /v1/balance_transactions?payout=po_…` lists the transactions it paid out, whose nets sum to its
  amount; the payout's own transaction is not among them (a client should skip `type == "payout"`
  in such a list anyway: on real Stripe it may appear there).

Events: `{id: "evt_…", object: "event", api_version: "2024-06-20", created, type, livemode: false,
pending_webhooks: 1, request: {id, idempotency_key}, data: {object: <snapshot>}}`, plus `account:
"acct_…"` when the object belongs to a connected account. `request` holds the API request that
caused it, or nulls when a hook did (as Stripe's automatic transitions). Types emitted:

    payment_intent.created                      POST /v1/payment_intents
    payment_intent.succeeded, charge.succeeded  card confirm; ACH succeed
    payment_intent.processing, charge.pending   ACH confirm
    payment_intent.payment_failed, charge.failed  fail (ACH return; card decline)
    payment_intent.canceled                     POST /v1/payment_intents/{id}/cancel
    charge.refunded                             refund (data.object: the Charge)
    charge.dispute.created, charge.dispute.funds_withdrawn  dispute (data.object: the Dispute)
    payout.created (in_transit), payout.paid, payout.reconciliation_completed  payout
    account.updated                             accounts hooks changing a flag (with
                                                data.previous_attributes: the fields before)

Webhook delivery: `POST <url>` with the event as the raw body (JSON, 2-space indented, identical on
every delivery of the event), `Content-Type: application/json; charset=utf-8` and
`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` with one `v1` per
registered secret (a rotation sends two). Delivery is synchronous: an event caused by a hook is
delivered before the hook answers; one caused by an API call right after the API answer is written
(so a client that blocks on the call cannot deadlock with its own webhook receiver). A non-2xx
answer or no answer within the endpoint's timeout is recorded and not retried (use `resend`).
Endpoints: a connected account may have its own (the `webhooks` hook with `account`), which gets
that account's events only; every other event (the platform's, and those of accounts without their
own) goes to the default endpoint, if one is set. The endpoint is chosen when the event is
delivered (so a held event goes where its account's endpoint is at `deliver`). This lets parallel
test stacks share one fake, each with its own connected account, endpoint, hold and deliver.

Test hooks (plain JSON, under `/_fake/stripe/`; ids are global, no Stripe-Account needed; errors are
`{"message"}` with 400 or 404):

* `GET health` answers 200 `ok`.
* `POST accounts` `{"id"?: "acct_…", "charges_enabled"?: true, "payouts_enabled"?: true}` makes a
  connected account (default id: the next `acct_fake…`; an existing id is updated as below);
  answers its Account.
* `POST accounts/{id}` `{"charges_enabled"?: bool, "payouts_enabled"?: bool}` updates a known
  account's flags (404 for an unknown one); a change emits `account.updated`. Answers the Account.
* `POST webhooks` `{"url", "secrets": ["whsec_…", …], "timeout"?: 5, "timestamp_offset"?: 0,
  "account"?: "acct_…"}` sets the default endpoint, or with `account` that account's own endpoint
  (replacing any; `"url": null` removes it; the account need not exist yet). `timestamp_offset`
  seconds are added to each signature's `t` (e.g. -301 to test a stale signature). Answers the
  endpoint with its `account` (null: the default).
* `POST payment_intents/{id}/confirm` `{"payment_method"?: "card"|"us_bank_account"}` (default:
  the intent's first type) from requires_payment_method/requires_confirmation. Card: `succeeded` at
  once, a `succeeded` charge and its balance transaction. ACH: `processing`, a `pending` charge.
* `POST payment_intents/{id}/succeed`: ACH `processing` → `succeeded` (charge succeeded, balance
  transaction with the ACH fee).
* `POST payment_intents/{id}/fail` `{"code"?, "message"?}`: ACH `processing` →
  `requires_payment_method`, the charge `failed`. An ACH return code is reported as Stripe does,
  by its failure code: R01 insufficient_funds, R02 account_closed, R03 no_account, R04
  invalid_account_number, R05/R07/R08/R10/R29 debit_not_authorized, R16 account_frozen, R20
  bank_account_restricted (another R code is refused; a non-R code is used as is). Default R01.
  On a card intent awaiting a payment method it is a decline: a failed charge, code
  `card_declined` (decline_code generic_decline) unless given. `last_payment_error` is
  `{type: "card_error", code, decline_code?, message, charge, payment_method: {id, object, type}}`.
* `POST charges/{id}/dispute` `{"reason"?, "amount"?, "status"?}` (reason default fraudulent for
  card, debit_not_authorized for ACH; amount default the charge's).
* `POST charges/{id}/refund` `{"amount"?, "reason"?}` (default: what is left to refund; a disputed
  or not succeeded charge is refused).
* `POST payouts` `{"account"?: "acct_…", "currency"?: "usd"}` pays out that account's (default the
  platform's) balance transactions not yet paid out; 400 when there are none.
* `POST fail_next` `{"count"?: 1, "mode"?: "error"|"timeout", "seconds"?: 15, "stored"?: false}`:
  the next `count` API calls (any /v1 call, before the key is checked) answer 500 `api_error`, in
  `timeout` mode after hanging `seconds`. Not stored for their idempotency key (an outage before
  Stripe ran the request: a retry with the same key runs for real), unless `stored: true` (then it
  is Stripe's own 500, saved and replayed with `Stripe-Should-Retry: false`). Replaces the previous
  setting; `count: 0` cancels it.
* `POST hold` `{"on": true|false, "account"?: "acct_…"}`: while on, events queue instead of being
  delivered (turning it off delivers nothing by itself). With `account`, only that account's events
  are held (and `on: false` releases that account's hold only); without it every event is, and
  `on: false` ends every hold, the accounts' too. Answers `{"on", "account", "queued"}` (the
  number queued, of that account when given).
* `POST deliver` `{"order"?: "fifo"|"lifo", "repeat"?: 1, "account"?: "acct_…"}` delivers and
  takes off the queue every queued event, or with `account` only that account's (the others stay
  queued), each to its endpoint: `repeat` passes over them in that order (so with repeat 2: A B C
  A B C, or C B A C B A). Answers `[{"id", "type", "status", "error"}]` per delivery.
* `POST events/{id}/resend` delivers that event once more now (held or not).
* `GET events`: every event in order, `[{"id", "type", "account", "queued", "deliveries":
  [{"status", "error", "url", "t"}], "event"}]` (status null when there was no answer).
* `GET requests`: every /v1 call in order, `[{"method", "path", "query", "account",
  "idempotency_key", "params", "status", "replayed"}]` (params parsed into nested objects).
* `POST reset`: forgets everything (objects, accounts, events, every webhook endpoint, holds,
  keys, counters); wakes a call hanging in `timeout` mode.

Usage: python infra/fakes/stripe_server.py [--port PORT]   (default $STRIPE_FAKE_PORT or 12111)
"""

import argparse
import base64
import binascii
import copy
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DEFAULT_PORT = 12111
API_VERSION = "2024-06-20"
PLATFORM_ACCOUNT = "acct_fakeplatform000000000000"
MAX_REQUEST_BYTES = 1024 * 1024
DEFAULT_WEBHOOK_TIMEOUT = 5.0
DEFAULT_HANG_SECONDS = 15.0
DISPUTE_FEE = 1500
MAX_AMOUNT = 99_999_999
MIN_AMOUNT = {"usd": 50, "eur": 50, "cad": 50, "aud": 50, "gbp": 30}
PAYMENT_METHOD_TYPES = ("card", "us_bank_account")
# ACH return codes as Stripe reports them (a charge's failure_code / last_payment_error.code).
ACH_RETURNS = {
    "R01": ("insufficient_funds", "The customer's account has insufficient funds to cover this payment."),
    "R02": ("account_closed", "The customer's bank account has been closed."),
    "R03": ("no_account", "The customer's bank account could not be located."),
    "R04": ("invalid_account_number", "The customer's bank account number is invalid."),
    "R05": ("debit_not_authorized", "The customer has notified their bank that this payment was unauthorized."),
    "R07": ("debit_not_authorized", "The customer has notified their bank that this payment was unauthorized."),
    "R08": ("debit_not_authorized", "The customer asked their bank to stop this payment."),
    "R10": ("debit_not_authorized", "The customer has notified their bank that this payment was unauthorized."),
    "R16": ("account_frozen", "The customer's bank account has been frozen."),
    "R20": ("bank_account_restricted", "The customer's account cannot accept debits."),
    "R29": ("debit_not_authorized", "The customer has notified their bank that this payment was unauthorized."),
}
# Create parameters Stripe accepts: echoed onto the object, or accepted and ignored.
PI_ECHOED = ("customer", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "on_behalf_of",
             "transfer_group", "setup_future_usage")
PI_IGNORED = ("confirmation_method", "confirmation_token", "error_on_requires_action", "mandate", "mandate_data",
              "off_session", "payment_method", "payment_method_configuration", "payment_method_data",
              "payment_method_options", "radar_options", "return_url", "shipping", "use_stripe_sdk")
PI_CREATE_PARAMS = frozenset(("amount", "currency", "payment_method_types", "automatic_payment_methods", "metadata",
                              "description", "confirm", "capture_method", "application_fee_amount", "transfer_data",
                              "expand") + PI_ECHOED + PI_IGNORED)
# A collection's path, its id prefix, its object name, and its list filters (param -> field).
KINDS = {
    "payment_intents": ("pi", "payment_intent", {"customer": "customer"}),
    "charges": ("ch", "charge", {"payment_intent": "payment_intent", "customer": "customer"}),
    "payouts": ("po", "payout", {"status": "status"}),
    "balance_transactions": ("txn", "balance_transaction",
                             {"payout": "payout", "type": "type", "source": "source", "currency": "currency"}),
    "disputes": ("dp", "dispute", {"charge": "charge", "payment_intent": "payment_intent"}),
    "refunds": ("re", "refund", {"charge": "charge", "payment_intent": "payment_intent"}),
    "events": ("evt", "event", {"type": "type"}),
}
KIND_OF_PREFIX = {prefix: kind for kind, (prefix, _, _) in KINDS.items()}


class StripeError(Exception):
    """An API error, answered as `{"error": {...}}` with Stripe's status. `headers` are extra
    response headers."""

    def __init__(self, status, message, type="invalid_request_error", code=None, param=None, headers=()):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param
        self.headers = list(headers)

    def body(self):
        error = {"type": self.type}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        error["message"] = self.message
        if self.param:
            error["param"] = self.param
        return {"error": error}


class HookError(Exception):
    """A test hook's error: `{"message"}` with this status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


_ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9_]+")
ACCOUNT_FLAGS = ("charges_enabled", "payouts_enabled")


def account_arg(args, name="account"):
    """A hook's optional account id (None when absent)."""
    account = args.get(name)
    if account is not None and not (isinstance(account, str) and _ACCOUNT_ID.fullmatch(account)):
        raise HookError(f"{name} must look like acct_…")
    return account


def account_flags(args):
    """The account flags a hook body sets: {"charges_enabled"?: bool, "payouts_enabled"?: bool}."""
    flags = {name: args[name] for name in ACCOUNT_FLAGS if name in args}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise HookError(f"{' and '.join(ACCOUNT_FLAGS)} must be true or false")
    return flags


def missing(name):
    return StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name)


def no_such(kind, object_id, param="id"):
    return StripeError(404, f"No such {KINDS[kind][1]}: '{object_id}'", code="resource_missing", param=param)


# --- Form bodies and parameters -------------------------------------------------------------------

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_form(text):
    """Stripe's bracket notation into nested dicts and lists: `a[b]=1` → {"a": {"b": "1"}},
    `a[]=x&a[]=y` and `a[0]=x&a[1]=y` → {"a": ["x", "y"]}. Values stay strings."""
    root = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        append = key.endswith("[]")
        if append:
            key = key[:-2]
        match = _KEY.match(key)
        parts = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2)) if match else []
        if not parts or "" in parts:
            raise StripeError(400, f"Invalid parameter name: {key + ('[]' if append else '')}", param=key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StripeError(400, f"Invalid value for {key}: mixes an array and an object", param=key)
        leaf = parts[-1]
        if append:
            values = node.setdefault(leaf, [])
            if not isinstance(values, list):
                raise StripeError(400, f"Invalid array: {key}", param=key)
            values.append(value)
        else:
            if isinstance(node.get(leaf), (dict, list)):
                raise StripeError(400, f"Invalid value for {key}: mixes a scalar and an object", param=key)
            node[leaf] = value
    return _listify(root)


def _listify(node, name=None):
    """Dicts keyed 0..n (from `a[0]=x`) become lists; metadata keys stay keys whatever they are."""
    if isinstance(node, list):
        return [_listify(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _listify(v, k) for k, v in node.items()}
    if name != "metadata" and node and all(k.isdigit() for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


def check_unknown(params, allowed):
    for name in params:
        if name not in allowed:
            raise StripeError(400, f"Received unknown parameter: {name}", code="parameter_unknown", param=name)


def int_param(params, name, required=False):
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise StripeError(400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=name)
    return int(value)


def str_param(params, name, required=False, choices=None):
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str):
        raise StripeError(400, f"Invalid string: {name} must be a string", code="parameter_invalid_string", param=name)
    if choices is not None and value not in choices:
        raise StripeError(400, f"Invalid {name}: must be one of {', '.join(choices)}", code="parameter_invalid_string",
                          param=name)
    return value


def bool_param(params, name):
    value = params.get(name)
    if value is None or value == "":
        return None
    if value not in ("true", "false"):
        raise StripeError(400, f"Invalid boolean: {value}", code="parameter_invalid_boolean", param=name)
    return value == "true"


def metadata_param(params):
    value = params.get("metadata")
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise StripeError(400, "Invalid object", code="parameter_invalid_string", param="metadata")
    out = {}
    for key, v in value.items():
        if not isinstance(v, str):
            raise StripeError(400, f"Invalid string: metadata[{key}]", param=f"metadata[{key}]")
        if len(key) > 40:
            raise StripeError(400, f"Metadata keys can have up to 40 characters; '{key}' has {len(key)}.",
                              param=f"metadata[{key}]")
        if len(v) > 500:
            raise StripeError(400, f"Metadata values can have up to 500 characters, but you passed in a value that "
                                   f"is {len(v)} characters.", param=f"metadata[{key}]")
        if v != "":  # an empty value unsets the key
            out[key] = v
    if len(out) > 50:
        raise StripeError(400, "You can have up to 50 metadata keys.", param="metadata")
    return out


def expand_param(params):
    value = params.get("expand")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StripeError(400, "Invalid array", param="expand")
    return value


def percent_half_up(amount, per_mille):
    """amount × per_mille / 1000, rounded half up, in integers (amount ≥ 0)."""
    return (amount * per_mille * 2 + 1000) // 2000


def card_fee(amount):
    return percent_half_up(amount, 29) + 30


def ach_fee(amount):
    return min(percent_half_up(amount, 8), 500)


def money(amount, currency):
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    prefix = "$" if currency in ("usd", "cad", "aud") else ""
    return f"{sign}{prefix}{amount // 100}.{amount % 100:02d} {currency}"


def parse_auth(header):
    """The API key of an `Authorization` header (Bearer, or Basic with the key as the user)."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return ""
    return ""


def mask_key(key):
    return key[:8] + "*" * max(len(key) - 12, 4) + key[-4:] if len(key) > 12 else key[:3] + "****"


# --- State ----------------------------------------------------------------------------------------


class Response:
    """An API answer: status, JSON bytes, extra headers, and the events to deliver after it."""

    def __init__(self, status, body, headers=(), deliver=()):
        self.status, self.body, self.headers, self.deliver = status, body, list(headers), list(deliver)


def dumps(value):
    return json.dumps(value, indent=2).encode()


def new_account(flags=None):
    """An account's settings: it takes charges and is paid out unless told otherwise."""
    return {"charges_enabled": True, "payouts_enabled": True, "created": int(time.time()), **(flags or {})}


class FakeState:
    """Every object, event, key and setting, shared by the request threads (one lock; no network
    I/O is done under it)."""

    def __init__(self):
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._clear()

    def _clear(self):
        self.counters = {}
        self.accounts = {PLATFORM_ACCOUNT: new_account()}  # id -> {"charges_enabled", "payouts_enabled", "created"}
        self.objects = {}  # id -> (account, kind, object)
        self.by_kind = {}  # (account, kind) -> [ids, oldest first]
        self.events = []  # records, in order: {"id", "type", "account", "queued", "deliveries", "event", "payload"}
        self.event_records = {}
        self.idempotency = {}  # (account, key) -> {"fingerprint", "status", "body", "request_id"}
        self.in_flight = set()
        self.requests = []
        self.failure = None  # {"count", "mode", "seconds", "stored"}
        self.webhooks = {}  # account (None: the default) -> {"url", "secrets", "timeout", "timestamp_offset"}
        self.hold = False  # every event is held
        self.held_accounts = set()  # these accounts' events are held
        self.queue = []

    def reset(self):
        with self._lock:
            self._clear()
            wake, self._wake = self._wake, threading.Event()
        wake.set()

    def wait(self, seconds):
        """Sleeps (a hanging call in `timeout` mode); `reset` wakes it early."""
        with self._lock:
            wake = self._wake
        wake.wait(seconds)

    # -- objects

    def new_id(self, prefix):
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}_fake{n:020d}"

    def store(self, account, kind, obj):
        self.objects[obj["id"]] = (account, kind, obj)
        self.by_kind.setdefault((account, kind), []).append(obj["id"])
        return obj

    def get(self, account, kind, object_id, param="id"):
        """The object if it is of that kind and belongs to that account; else 404 as Stripe."""
        found = self.objects.get(object_id)
        if found is None or found[0] != account or found[1] != kind:
            raise no_such(kind, object_id, param)
        return found[2]

    def find(self, kind, object_id):
        """(account, object) for a hook: any account's."""
        found = self.objects.get(object_id)
        if found is None or found[1] != kind:
            raise HookError(f"no {KINDS[kind][1]} {object_id!r}", 404)
        return found[0], found[2]

    # -- events

    def emit(self, account, type, obj, request, deliver, previous=None):
        """Records an event (a snapshot of obj; `previous`: its data.previous_attributes) and
        queues it, or adds it to `deliver`."""
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": request["id"], "idempotency_key": request["idempotency_key"]} if request
            else {"id": None, "idempotency_key": None},
            "type": type,
        }
        if previous is not None:
            event["data"]["previous_attributes"] = copy.deepcopy(previous)
        if account != PLATFORM_ACCOUNT:
            event["account"] = account
        self.store(account, "events", event)
        record = {"id": event["id"], "type": type, "account": account if account != PLATFORM_ACCOUNT else None,
                  "queued": False, "deliveries": [], "event": event, "payload": dumps(event)}
        self.events.append(record)
        self.event_records[event["id"]] = record
        if self.hold or account in self.held_accounts:
            record["queued"] = True
            self.queue.append(event["id"])
        elif self.endpoint(account) is not None:
            deliver.append(event["id"])
        return event

    def event_account(self, event_id):
        """The account an event belongs to (PLATFORM_ACCOUNT for the platform's own)."""
        return self.event_records[event_id]["account"] or PLATFORM_ACCOUNT

    def endpoint(self, account):
        """The webhook endpoint for an account's events: its own, else the default; None if neither."""
        return self.webhooks.get(account) or self.webhooks.get(None)

    def delivery_target(self, event_id):
        """(payload, url, secrets, timeout, offset) to deliver an event now, or None (no endpoint)."""
        with self._lock:
            record = self.event_records.get(event_id)
            w = self.endpoint(self.event_account(event_id)) if record is not None else None
            if w is None:
                return None
            return record["payload"], w["url"], list(w["secrets"]), w["timeout"], w["timestamp_offset"]

    def record_delivery(self, event_id, delivery):
        with self._lock:
            record = self.event_records.get(event_id)
            if record is not None:
                record["deliveries"].append(delivery)

    def set_hold(self, on, account=None):
        """Holds (or stops holding) that account's events; without an account every event (and
        turning that off stops every account's hold too)."""
        with self._lock:
            if account is not None:
                (self.held_accounts.add if on else self.held_accounts.discard)(account)
                return
            self.hold = on
            if not on:
                self.held_accounts.clear()

    def queued(self, account=None):
        """The queued event ids (of that account only, when given), oldest first."""
        with self._lock:
            return [e for e in self.queue if account is None or self.event_account(e) == account]

    def take_queue(self, order, account=None):
        """Takes the queued events (of that account only, when given) off the queue, in `order`."""
        with self._lock:
            taken = self.queued(account)
            self.queue = [e for e in self.queue if e not in taken]
            for event_id in taken:
                self.event_records[event_id]["queued"] = False
            return list(reversed(taken)) if order == "lifo" else taken

    def event_list(self):
        with self._lock:
            return [{k: copy.deepcopy(v) for k, v in r.items() if k != "payload"} for r in self.events]

    def request_list(self):
        with self._lock:
            return copy.deepcopy(self.requests)

    # -- failures

    def set_failure(self, count, mode, seconds, stored):
        with self._lock:
            self.failure = {"count": count, "mode": mode, "seconds": seconds, "stored": stored} if count > 0 else None

    def take_failure(self):
        with self._lock:
            failure = self.failure
            if failure is None:
                return None
            failure["count"] -= 1
            if failure["count"] <= 0:
                self.failure = None
            return dict(failure)


# --- The money movements (shared by the API and the hooks) ----------------------------------------


class Stripe:
    """The object model. Every method runs under the state's lock and appends the events to
    deliver to `deliver`."""

    def __init__(self, state):
        self.s = state

    def balance_transaction(self, account, amount, fee, type, category, source, currency, description, fee_desc=None):
        now = int(time.time())
        txn = {
            "id": self.s.new_id("txn"),
            "object": "balance_transaction",
            "amount": amount,
            "available_on": now,
            "created": now,
            "currency": currency,
            "description": description,
            "exchange_rate": None,
            "fee": fee,
            "fee_details": [{"amount": fee, "application": None, "currency": currency,
                             "description": fee_desc or "Stripe processing fees", "type": "stripe_fee"}] if fee else [],
            "net": amount - fee,
            "payout": None,
            "reporting_category": category,
            "source": source,
            "status": "available",
            "type": type,
        }
        return self.s.store(account, "balance_transactions", txn)

    def create_payment_intent(self, account, params, request, deliver):
        check_unknown(params, PI_CREATE_PARAMS)
        amount = int_param(params, "amount", required=True)
        currency = str_param(params, "currency", required=True).lower()
        if not re.fullmatch(r"[a-z]{3}", currency):
            raise StripeError(400, f"Invalid currency: {currency}. Stripe currently supports these currencies: usd, "
                                   "eur, gbp, cad, aud, …", code="parameter_invalid_string", param="currency")
        if amount < 1:
            raise StripeError(400, "This value must be greater than or equal to 1.", code="parameter_invalid_integer",
                              param="amount")
        minimum = MIN_AMOUNT.get(currency, 1)
        if amount < minimum:
            raise StripeError(400, f"Amount must be at least {money(minimum, currency)}", code="amount_too_small",
                              param="amount")
        if amount > MAX_AMOUNT:
            raise StripeError(400, f"Amount must be no more than {money(MAX_AMOUNT, currency)}",
                              code="amount_too_large", param="amount")
        types = params.get("payment_method_types")
        automatic = params.get("automatic_payment_methods")
        if types is not None and automatic is not None:
            raise StripeError(400, "You may only specify one of these parameters: automatic_payment_methods, "
                                   "payment_method_types.", param="payment_method_types")
        if automatic is not None:
            if not isinstance(automatic, dict):
                raise StripeError(400, "Invalid object", param="automatic_payment_methods")
            check_unknown(automatic, {"enabled", "allow_redirects"})
            if not bool_param(automatic, "enabled"):
                raise StripeError(400, "automatic_payment_methods[enabled] must be true when given",
                                  param="automatic_payment_methods[enabled]")
        if types is None:
            types = ["card", "us_bank_account"] if currency == "usd" else ["card"]
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise StripeError(400, "Invalid array", code="parameter_invalid_empty" if types == [] else None,
                              param="payment_method_types")
        for t in types:
            if t not in PAYMENT_METHOD_TYPES:
                raise StripeError(400, f'The payment method type "{t}" is invalid. Please ensure the provided type is '
                                       "activated in your dashboard (https://dashboard.stripe.com/account/payments/"
                                       "settings) and your account is enabled for any preview features that you are "
                                       "trying to use.", code="payment_intent_invalid_parameter",
                                  param="payment_method_types")
        if "us_bank_account" in types and currency != "usd":
            raise StripeError(400, "The currency provided (%s) is invalid for one or more payment method types on this "
                                   "PaymentIntent. The payment method type us_bank_account supports: usd." % currency,
                              code="payment_intent_invalid_parameter", param="payment_method_types")
        if bool_param(params, "confirm"):
            raise StripeError(400, "The Stripe fake does not confirm through the API: create the PaymentIntent, then "
                                   "POST /_fake/stripe/payment_intents/{id}/confirm.", param="confirm")
        capture = str_param(params, "capture_method") or "automatic"
        if capture not in ("automatic", "automatic_async"):
            raise StripeError(400, "The Stripe fake supports only automatic capture.", param="capture_method")
        metadata = metadata_param(params)
        description = str_param(params, "description")
        fee_amount = int_param(params, "application_fee_amount")
        transfer_data = params.get("transfer_data")
        if transfer_data is not None and not isinstance(transfer_data, dict):
            raise StripeError(400, "Invalid object", param="transfer_data")
        echoed = {name: str_param(params, name) for name in PI_ECHOED}
        expand = expand_param(params)
        pi_id = self.s.new_id("pi")
        pi = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": 0,
            "application_fee_amount": fee_amount,
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "always"} if automatic else None,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": capture,
            "client_secret": f"{pi_id}_secret_{hashlib.sha256(pi_id.encode()).hexdigest()[:25]}",
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "currency": currency,
            "description": description,
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": metadata,
            "next_action": None,
            "payment_method": None,
            "payment_method_types": list(types),
            "status": "requires_payment_method",
            "transfer_data": copy.deepcopy(transfer_data),
            **echoed,
        }
        self.s.store(account, "payment_intents", pi)
        self.s.emit(account, "payment_intent.created", pi, request, deliver)
        return pi, expand

    def new_charge(self, account, pi, method, status):
        ch = {
            "id": self.s.new_id("ch"),
            "object": "charge",
            "amount": pi["amount"],
            "amount_captured": 0,
            "amount_refunded": 0,
            "balance_transaction": None,
            "captured": False,
            "created": int(time.time()),
            "currency": pi["currency"],
            "customer": pi.get("customer"),
            "description": pi["description"],
            "disputed": False,
            "failure_code": None,
            "failure_message": None,
            "livemode": False,
            "metadata": copy.deepcopy(pi["metadata"]),
            "paid": False,
            "payment_intent": pi["id"],
            "payment_method": pi["payment_method"],
            "payment_method_details": {"type": method},
            "refunded": False,
            "status": status,
        }
        return self.s.store(account, "charges", ch)

    def settle(self, account, pi, ch, deliver):
        """The charge succeeds: its balance transaction, the intent succeeded, the two events."""
        method = ch["payment_method_details"]["type"]
        fee = card_fee(ch["amount"]) if method == "card" else ach_fee(ch["amount"])
        txn = self.balance_transaction(account, ch["amount"], fee, "charge", "charge", ch["id"], ch["currency"],
                                       pi["description"] or f"Payment for {pi['id']}")
        ch.update(status="succeeded", paid=True, captured=True, amount_captured=ch["amount"],
                  balance_transaction=txn["id"])
        pi.update(status="succeeded", amount_received=pi["amount"], last_payment_error=None)
        self.s.emit(account, "payment_intent.succeeded", pi, None, deliver)
        self.s.emit(account, "charge.succeeded", ch, None, deliver)
        return txn

    def confirm(self, pi_id, method, deliver):
        account, pi = self.s.find("payment_intents", pi_id)
        if pi["status"] not in ("requires_payment_method", "requires_confirmation"):
            raise HookError(f"{pi_id} is {pi['status']}: only requires_payment_method/requires_confirmation confirm")
        method = method or pi["payment_method_types"][0]
        if method not in pi["payment_method_types"]:
            raise HookError(f"{method!r} is not among {pi_id}'s payment_method_types {pi['payment_method_types']}")
        pi.update(payment_method=self.s.new_id("pm"), last_payment_error=None)
        ch = self.new_charge(account, pi, method, "pending")
        pi["latest_charge"] = ch["id"]
        out = {"payment_intent": pi, "charge": ch}
        if method == "card":
            out["balance_transaction"] = self.settle(account, pi, ch, deliver)
        else:
            pi["status"] = "processing"
            self.s.emit(account, "payment_intent.processing", pi, None, deliver)
            self.s.emit(account, "charge.pending", ch, None, deliver)
        return out

    def succeed(self, pi_id, deliver):
        account, pi = self.s.find("payment_intents", pi_id)
        if pi["status"] != "processing":
            raise HookError(f"{pi_id} is {pi['status']}: only a processing (ACH) PaymentIntent succeeds later")
        ch = self.s.objects[pi["latest_charge"]][2]
        txn = self.settle(account, pi, ch, deliver)
        return {"payment_intent": pi, "charge": ch, "balance_transaction": txn}

    def fail(self, pi_id, code, message, deliver):
        account, pi = self.s.find("payment_intents", pi_id)
        if pi["status"] == "processing":
            ch = self.s.objects[pi["latest_charge"]][2]
            code = code or "R01"
            if re.fullmatch(r"R\d\d", code):
                if code not in ACH_RETURNS:
                    raise HookError(f"unknown ACH return code {code}; known: {', '.join(sorted(ACH_RETURNS))}")
                code, default_message = ACH_RETURNS[code]
            else:
                default_message = "The payment failed."
            decline = None
        elif pi["status"] in ("requires_payment_method", "requires_confirmation"):
            if "card" not in pi["payment_method_types"]:
                raise HookError(f"{pi_id} has no card to decline; an ACH intent fails once processing")
            pi["payment_method"] = self.s.new_id("pm")
            ch = self.new_charge(account, pi, "card", "pending")
            pi["latest_charge"] = ch["id"]
            code, decline, default_message = code or "card_declined", "generic_decline", "Your card was declined."
        else:
            raise HookError(f"{pi_id} is {pi['status']}: only a processing or unconfirmed PaymentIntent fails")
        message = message or default_message
        ch.update(status="failed", failure_code=code, failure_message=message)
        error = {"type": "card_error", "code": code}
        if decline:
            error["decline_code"] = decline
        error.update(message=message, charge=ch["id"],
                     payment_method={"id": pi["payment_method"], "object": "payment_method",
                                     "type": ch["payment_method_details"]["type"]})
        pi.update(status="requires_payment_method", last_payment_error=error, payment_method=None)
        self.s.emit(account, "payment_intent.payment_failed", pi, None, deliver)
        self.s.emit(account, "charge.failed", ch, None, deliver)
        return {"payment_intent": pi, "charge": ch}

    def cancel(self, account, pi_id, params, request, deliver):
        check_unknown(params, {"cancellation_reason", "expand"})
        reason = str_param(params, "cancellation_reason",
                           choices=("duplicate", "fraudulent", "requested_by_customer", "abandoned"))
        expand = expand_param(params)
        pi = self.s.get(account, "payment_intents", pi_id, "intent")
        allowed = ("requires_payment_method", "requires_capture", "requires_confirmation", "requires_action")
        if pi["status"] not in allowed:
            raise StripeError(400, f"You cannot cancel this PaymentIntent because it has a status of {pi['status']}. "
                                   f"Only a PaymentIntent with one of the following statuses may be canceled: "
                                   f"{', '.join(allowed)}, processing.", code="payment_intent_unexpected_state")
        pi.update(status="canceled", canceled_at=int(time.time()), cancellation_reason=reason)
        self.s.emit(account, "payment_intent.canceled", pi, request, deliver)
        return pi, expand

    def refund(self, account, ch, amount, reason, metadata, request, deliver):
        """A Refund of `amount` (None: what is left) on a succeeded charge; StripeError otherwise."""
        if ch["status"] != "succeeded":
            raise StripeError(400, f"Charge {ch['id']} has not succeeded ({ch['status']}); only a succeeded charge "
                                   "can be refunded.", code="charge_not_refundable", param="charge")
        if ch["disputed"]:
            raise StripeError(400, f"Charge {ch['id']} has been charged back; cannot issue a refund.",
                              code="charge_disputed", param="charge")
        left = ch["amount"] - ch["amount_refunded"]
        if left <= 0:
            raise StripeError(400, f"Charge {ch['id']} has already been refunded.", code="charge_already_refunded",
                              param="charge")
        amount = left if amount is None else amount
        if amount < 1:
            raise StripeError(400, "This value must be greater than or equal to 1.", code="parameter_invalid_integer",
                              param="amount")
        if amount > left:
            raise StripeError(400, f"Refund amount ({money(amount, ch['currency'])}) is greater than unrefunded amount "
                                   f"on charge ({money(left, ch['currency'])})", code="amount_too_large",
                              param="amount")
        re_id = self.s.new_id("re")
        txn = self.balance_transaction(account, -amount, 0, "refund", "refund", re_id, ch["currency"],
                                       f"REFUND FOR CHARGE ({ch['description'] or ch['id']})")
        refund = {
            "id": re_id,
            "object": "refund",
            "amount": amount,
            "balance_transaction": txn["id"],
            "charge": ch["id"],
            "created": int(time.time()),
            "currency": ch["currency"],
            "metadata": metadata,
            "payment_intent": ch["payment_intent"],
            "reason": reason,
            "status": "succeeded",
        }
        self.s.store(account, "refunds", refund)
        ch["amount_refunded"] += amount
        ch["refunded"] = ch["amount_refunded"] == ch["amount"]
        self.s.emit(account, "charge.refunded", ch, request, deliver)
        return refund, txn

    def create_refund(self, account, params, request, deliver):
        check_unknown(params, {"charge", "payment_intent", "amount", "reason", "metadata", "expand",
                               "instructions_email", "refund_application_fee", "reverse_transfer"})
        charge_id, pi_id = str_param(params, "charge"), str_param(params, "payment_intent")
        if (charge_id is None) == (pi_id is None):
            raise StripeError(400, "One of the following params should be provided for this request: payment_intent "
                                   "or charge.", code="parameter_missing")
        amount = int_param(params, "amount")
        reason = str_param(params, "reason", choices=("duplicate", "fraudulent", "requested_by_customer"))
        metadata = metadata_param(params)
        expand = expand_param(params)
        if pi_id is not None:
            pi = self.s.get(account, "payment_intents", pi_id, "payment_intent")
            if pi["status"] != "succeeded":
                raise StripeError(400, f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                                  code="charge_not_refundable", param="payment_intent")
            charge_id = pi["latest_charge"]
        ch = self.s.get(account, "charges", charge_id, "charge")
        refund, _ = self.refund(account, ch, amount, reason, metadata, request, deliver)
        return refund, expand

    def dispute(self, ch_id, reason, amount, status, deliver):
        account, ch = self.s.find("charges", ch_id)
        if ch["status"] != "succeeded":
            raise HookError(f"{ch_id} is {ch['status']}: only a succeeded charge is disputed")
        if ch["disputed"]:
            raise HookError(f"{ch_id} is already disputed")
        amount = ch["amount"] if amount is None else amount
        if not 0 < amount <= ch["amount"]:
            raise HookError(f"amount must be 1..{ch['amount']}")
        method = ch["payment_method_details"]["type"]
        dp_id = self.s.new_id("dp")
        txn = self.balance_transaction(account, -amount, DISPUTE_FEE, "adjustment", "dispute", dp_id, ch["currency"],
                                       f"Chargeback withdrawal for {ch['id']}", "Dispute fee")
        dispute = {
            "id": dp_id,
            "object": "dispute",
            "amount": amount,
            "balance_transactions": [copy.deepcopy(txn)],
            "charge": ch["id"],
            "created": int(time.time()),
            "currency": ch["currency"],
            "evidence_details": {"due_by": int(time.time()) + 7 * 86400, "has_evidence": False, "past_due": False,
                                 "submission_count": 0},
            "is_charge_refundable": False,
            "livemode": False,
            "metadata": {},
            "payment_intent": ch["payment_intent"],
            "payment_method_details": {"type": method},
            "reason": reason or ("fraudulent" if method == "card" else "debit_not_authorized"),
            "status": status or "needs_response",
        }
        self.s.store(account, "disputes", dispute)
        ch["disputed"] = True
        self.s.emit(account, "charge.dispute.created", dispute, None, deliver)
        self.s.emit(account, "charge.dispute.funds_withdrawn", dispute, None, deliver)
        return {"dispute": dispute, "charge": ch, "balance_transaction": txn}

    def payout(self, account, currency, deliver):
        if account not in self.s.accounts:
            raise HookError(f"no account {account!r}", 404)
        unpaid = [self.s.objects[i][2] for i in self.s.by_kind.get((account, "balance_transactions"), [])]
        unpaid = [t for t in unpaid if t["payout"] is None and t["type"] != "payout"]
        currencies = sorted({t["currency"] for t in unpaid})
        if currency is None and len(currencies) > 1:
            raise HookError(f"balance in several currencies {currencies}: name one")
        currency = currency or (currencies[0] if currencies else None)
        unpaid = [t for t in unpaid if t["currency"] == currency]
        if not unpaid:
            raise HookError(f"{account} has no balance transactions to pay out")
        amount = sum(t["net"] for t in unpaid)
        now = int(time.time())
        po_id = self.s.new_id("po")
        own = self.balance_transaction(account, -amount, 0, "payout", "payout", po_id, currency, "STRIPE PAYOUT")
        payout = {
            "id": po_id,
            "object": "payout",
            "amount": amount,
            "arrival_date": now - now % 86400 + 2 * 86400,
            "automatic": True,
            "balance_transaction": own["id"],
            "created": now,
            "currency": currency,
            "description": "STRIPE PAYOUT",
            "destination": "ba_fake" + "0" * 20 + "1",
            "failure_balance_transaction": None,
            "failure_code": None,
            "failure_message": None,
            "livemode": False,
            "metadata": {},
            "method": "standard",
            "reconciliation_status": "in_progress",
            "source_type": "card",
            "statement_descriptor": None,
            "status": "in_transit",
            "type": "bank_account",
        }
        self.s.store(account, "payouts", payout)
        for t in unpaid:
            t["payout"] = po_id
        self.s.emit(account, "payout.created", payout, None, deliver)
        payout["status"] = "paid"
        self.s.emit(account, "payout.paid", payout, None, deliver)
        payout["reconciliation_status"] = "completed"
        self.s.emit(account, "payout.reconciliation_completed", payout, None, deliver)
        return {"payout": payout, "balance_transactions": unpaid}

    # -- accounts

    def account(self, account_id):
        """The Account object, as Stripe answers it for a Standard account in the US."""
        a = self.s.accounts[account_id]
        capability = "active" if a["charges_enabled"] else "inactive"
        requirements = {"alternatives": [], "current_deadline": None, "currently_due": [], "errors": [],
                        "eventually_due": [], "past_due": [], "pending_verification": [],
                        "disabled_reason": None if a["charges_enabled"] else "under_review"}
        return {
            "id": account_id,
            "object": "account",
            "business_profile": {"annual_revenue": None, "estimated_worker_count": None, "mcc": None, "name": None,
                                 "product_description": None, "support_address": None, "support_email": None,
                                 "support_phone": None, "support_url": None, "url": None},
            "business_type": None,
            "capabilities": {"card_payments": capability, "us_bank_account_ach_payments": capability},
            "charges_enabled": a["charges_enabled"],
            "country": "US",
            "created": a["created"],
            "default_currency": "usd",
            "details_submitted": True,
            "email": None,
            "metadata": {},
            "payouts_enabled": a["payouts_enabled"],
            "requirements": requirements,
            "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
            "type": "standard",
        }

    def update_account(self, account_id, flags, deliver):
        """Sets an account's flags; a change is an `account.updated` event, as on Stripe."""
        before = self.account(account_id)
        self.s.accounts[account_id].update(flags)
        after = self.account(account_id)
        previous = {k: v for k, v in before.items() if after[k] != v}
        if previous:
            self.s.emit(account_id, "account.updated", after, None, deliver, previous)
        return after

    def retrieve_account(self, account, account_id, params):
        """GET /v1/accounts/{id} (and /v1/account): the platform sees every account, a connected
        account only itself."""
        check_unknown(params, {"expand"})
        if account_id not in self.s.accounts or account not in (PLATFORM_ACCOUNT, account_id):
            raise StripeError(404, f"No such account: '{account_id}'", code="resource_missing", param="account")
        return self.expand(account, self.account(account_id), expand_param(params))

    # -- reads

    def expand(self, account, obj, paths):
        obj = copy.deepcopy(obj)
        for path in paths:
            self._expand(account, obj, path.split("."), path)
        return obj

    def _expand(self, account, node, parts, path):
        if len(parts) > 4:
            raise StripeError(400, f"You cannot expand more than 4 levels of a property. Property: {path}",
                              param="expand")
        if isinstance(node, list):
            for item in node:
                self._expand(account, item, parts, path)
            return
        if not isinstance(node, dict) or parts[0] not in node:
            raise StripeError(400, f"This property cannot be expanded ({path}).", param="expand")
        value = node[parts[0]]
        if isinstance(value, str) and value in self.s.objects and self.s.objects[value][0] == account:
            value = node[parts[0]] = copy.deepcopy(self.s.objects[value][2])
        elif isinstance(value, str) or (value is not None and not isinstance(value, (dict, list))):
            raise StripeError(400, f"This property cannot be expanded ({path}).", param="expand")
        if len(parts) > 1 and value is not None:
            self._expand(account, value, parts[1:], path)

    def retrieve(self, account, kind, object_id, params):
        check_unknown(params, {"expand", "client_secret"})
        return self.expand(account, self.s.get(account, kind, object_id), expand_param(params))

    def list(self, account, kind, params):
        filters = KINDS[kind][2]
        check_unknown(params, {"limit", "starting_after", "ending_before", "expand", "created"} | set(filters))
        limit = int_param(params, "limit")
        limit = 10 if limit is None else limit
        if not 1 <= limit <= 100:
            raise StripeError(400, "Invalid integer: limit must be between 1 and 100", code="parameter_invalid_integer",
                              param="limit")
        items = [self.s.objects[i][2] for i in reversed(self.s.by_kind.get((account, kind), []))]
        if kind == "balance_transactions" and str_param(params, "payout"):
            self.s.get(account, "payouts", params["payout"], "payout")
        for param, field in filters.items():
            wanted = str_param(params, param)
            if wanted is None:
                continue
            if param == "type" and wanted.endswith(".*"):
                items = [o for o in items if o[field].startswith(wanted[:-1])]
            else:
                items = [o for o in items if o.get(field) == wanted]
        created = params.get("created")
        if created is not None:
            bounds = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
            if isinstance(created, str):
                when = int_param(params, "created")
                items = [o for o in items if o["created"] == when]
            elif isinstance(created, dict):
                check_unknown(created, bounds)
                for op, test in bounds.items():
                    bound = int_param(created, op)
                    if bound is not None:
                        items = [o for o in items if test(o["created"], bound)]
            else:
                raise StripeError(400, "Invalid created", param="created")
        after, before = str_param(params, "starting_after"), str_param(params, "ending_before")
        if after and before:
            raise StripeError(400, "You may only specify one of these parameters: ending_before, starting_after.")
        ids = [o["id"] for o in items]
        for cursor, name in ((after, "starting_after"), (before, "ending_before")):
            if cursor and cursor not in ids:
                self.s.get(account, kind, cursor, name)  # 404 when unknown
                raise StripeError(400, f"{name}: {cursor} is not in this list's results", param=name)
        if after:
            rest = items[ids.index(after) + 1:]
            page, has_more = rest[:limit], len(rest) > limit
        elif before:
            rest = items[:ids.index(before)]
            page, has_more = rest[-limit:], len(rest) > limit
        else:
            page, has_more = items[:limit], len(items) > limit
        expand = [p[len("data."):] for p in expand_param(params) if p.startswith("data.")]
        return {"object": "list", "data": [self.expand(account, o, expand) for o in page], "has_more": has_more,
                "url": f"/v1/{kind}"}

    def balance(self, account, params):
        check_unknown(params, {"expand"})
        totals = {}
        for i in self.s.by_kind.get((account, "balance_transactions"), []):
            t = self.s.objects[i][2]
            totals[t["currency"]] = totals.get(t["currency"], 0) + t["net"]
        totals = totals or {"usd": 0}
        return {"object": "balance", "livemode": False,
                "available": [{"amount": v, "currency": c, "source_types": {"card": v}} for c, v in sorted(totals.items())],
                "pending": [{"amount": 0, "currency": c, "source_types": {"card": 0}} for c in sorted(totals)]}


# --- Webhook delivery ------------------------------------------------------------------------------


def signature_header(payload, secrets, timestamp):
    """`t=<timestamp>,v1=<hex>` with one v1 per secret: HMAC-SHA256(secret, "<t>.<payload>")."""
    signed = str(timestamp).encode() + b"." + payload
    v1 = [hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets]
    return ",".join([f"t={timestamp}"] + [f"v1={sig}" for sig in v1])


# Never through a proxy from the environment: the endpoint is local.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def deliver_event(state, event_id):
    """POSTs one event to the endpoint now and records the outcome; None when no endpoint is set."""
    target = state.delivery_target(event_id)
    if target is None:
        return None
    payload, url, secrets, timeout, offset = target
    t = int(time.time()) + offset
    req = urllib.request.Request(url, data=payload, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": signature_header(payload, secrets, t),
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "Cache-Control": "no-cache",
    })
    delivery = {"status": None, "error": None, "url": url, "t": t}
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            resp.read()
            delivery["status"] = resp.status
    except urllib.error.HTTPError as e:
        delivery["status"] = e.code
        e.close()
    except Exception as e:  # noqa: BLE001 (any failure to deliver is the outcome, not the fake's error)
        delivery["error"] = f"{type(e).__name__}: {e}"
    state.record_delivery(event_id, delivery)
    return delivery


# --- HTTP -----------------------------------------------------------------------------------------

_RETRIEVE = re.compile(r"^/v1/(%s)/([^/]+)$" % "|".join(KINDS))
_LIST = re.compile(r"^/v1/(%s)$" % "|".join(KINDS))
_PI_CANCEL = re.compile(r"^/v1/payment_intents/([^/]+)/cancel$")
_ACCOUNT = re.compile(r"^/v1/accounts/([^/]+)$")
_TEST_KEY = re.compile(r"^(sk|rk)_test_[A-Za-z0-9_]+$")


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps clients' pooled connections open; every answer carries a Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "StripeFake/1"

    # -- plumbing

    def _body(self):
        """The request body (Content-Length or chunked), or None if it is too large to read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return bytes(out)
                if len(out) + size > MAX_REQUEST_BYTES:
                    self.close_connection = True
                    return None
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True  # the unread body would be taken for the next request
            return None
        return self.rfile.read(length)

    def _send(self, status, body, content_type, headers=()):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)

    def _json(self, status, value):
        self._send(status, json.dumps(value).encode(), "application/json")

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_DELETE(self):
        self._route("DELETE")

    def _route(self, method):
        body = self._body() if method != "GET" else b""
        url = urlsplit(self.path)
        if url.path.startswith("/_fake/stripe/"):
            return self._hook(method, url.path[len("/_fake/stripe/"):], body)
        if url.path.startswith("/v1/") or url.path == "/v1":
            return self._api(method, url, body)
        self._json(404, {"message": f"no route {method} {url.path}"})

    # -- the API

    def _api(self, method, url, body):
        state, model = self.server.state, self.server.model
        account_header = self.headers.get("Stripe-Account")
        key = self.headers.get("Idempotency-Key") if method == "POST" else None
        version = self.headers.get("Stripe-Version") or API_VERSION
        with state._lock:
            request_id = state.new_id("req")
            record = {"method": method, "path": url.path, "query": url.query, "account": account_header,
                      "idempotency_key": self.headers.get("Idempotency-Key"), "params": None, "status": None,
                      "replayed": False}
            state.requests.append(record)
        headers = [("Request-Id", request_id), ("Stripe-Version", version)]
        if key is not None:
            headers.append(("Idempotency-Key", key))
        params, malformed = None, None
        try:
            if body is None:
                raise StripeError(413, "The request body is too large.")
            params = parse_form(url.query if method == "GET" else body.decode("utf-8", "replace"))
            with state._lock:
                record["params"] = copy.deepcopy(params)
        except StripeError as e:
            malformed = e
        failure = state.take_failure()
        if failure is not None and not failure["stored"]:
            return self._api_answer(record, self._injected(failure), headers)
        try:
            account = self._authenticate(account_header)
            if malformed is not None:
                raise malformed
        except StripeError as e:
            return self._api_answer(record, Response(e.status, dumps(e.body()), e.headers), headers)
        slot = None
        if key is not None:
            fingerprint = json.dumps([method, url.path, params], sort_keys=True)
            with state._lock:
                slot = (account, key)
                saved = state.idempotency.get(slot)
                if len(key) > 255:
                    answer = StripeError(400, "Idempotency-Key must be at most 255 characters long.",
                                         param="Idempotency-Key")
                elif saved is not None and saved["fingerprint"] != fingerprint:
                    answer = StripeError(400, "Keys for idempotent requests can only be used with the same parameters "
                                              f"they were first used with. Try using a key other than '{key}' if you "
                                              "meant to execute a different request.", type="idempotency_error")
                elif saved is not None:
                    record["replayed"] = True
                    answer = Response(saved["status"], saved["body"],
                                      saved["headers"] + [("Idempotent-Replayed", "true"),
                                                          ("Original-Request", saved["request_id"])])
                elif slot in state.in_flight:
                    answer = StripeError(409, "There is currently another in-progress request using this "
                                              f"Idempotency-Key (that probably means you submitted twice, and the "
                                              f"other request is still going through): {key}. Please try again "
                                              "later.", code="idempotency_key_in_use",
                                         headers=[("Stripe-Should-Retry", "true")])
                else:
                    answer = None
                    state.in_flight.add(slot)
            if isinstance(answer, StripeError):
                return self._api_answer(record, Response(answer.status, dumps(answer.body()), answer.headers), headers)
            if answer is not None:
                return self._api_answer(record, answer, headers)
        try:
            if failure is not None:
                response = self._injected(failure)
            else:
                request = {"id": request_id, "idempotency_key": key}
                with state._lock:
                    try:
                        response = self._dispatch(model, method, url.path, account, params, request)
                    except StripeError as e:
                        response = Response(e.status, dumps(e.body()), e.headers)
            # 2xx and 5xx are saved for the key; a request refused (4xx) is not, so it can be retried.
            if slot is not None and not 400 <= response.status < 500:
                with state._lock:
                    state.idempotency[slot] = {"fingerprint": fingerprint, "status": response.status,
                                               "body": response.body, "headers": list(response.headers),
                                               "request_id": request_id}
        finally:
            if slot is not None:
                with state._lock:
                    state.in_flight.discard(slot)
        self._api_answer(record, response, headers)

    def _api_answer(self, record, response, headers):
        with self.server.state._lock:
            record["status"] = response.status
        self._send(response.status, response.body, "application/json", headers + response.headers)
        for event_id in response.deliver:
            deliver_event(self.server.state, event_id)

    def _injected(self, failure):
        if failure["mode"] == "timeout":
            self.server.state.wait(failure["seconds"])
        error = StripeError(500, "An unknown error occurred (injected by the Stripe fake's fail_next).",
                            type="api_error")
        headers = [("Stripe-Should-Retry", "false")] if failure["stored"] else []
        return Response(500, dumps(error.body()), headers)

    def _authenticate(self, account_header):
        key = parse_auth(self.headers.get("Authorization"))
        if not key:
            raise StripeError(401, "You did not provide an API key. You need to provide your API key in the "
                                   "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                                   "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or "
                                   "we can help at https://support.stripe.com/.",
                              headers=[("WWW-Authenticate", 'Bearer realm="Stripe"')])
        if not _TEST_KEY.match(key):
            raise StripeError(401, f"Invalid API Key provided: {mask_key(key)} (the Stripe fake takes only test-mode "
                                   "keys, sk_test_… or rk_test_…)",
                              headers=[("WWW-Authenticate", 'Bearer realm="Stripe"')])
        if not account_header:
            return PLATFORM_ACCOUNT
        with self.server.state._lock:
            known = account_header in self.server.state.accounts
        if not known:
            raise StripeError(403, f"The provided key '{mask_key(key)}' does not have access to account "
                                   f"'{account_header}' (or that account does not exist). Application access may have "
                                   "been revoked.", code="account_invalid")
        return account_header

    def _dispatch(self, model, method, path, account, params, request):
        deliver = []
        if method == "POST" and path == "/v1/payment_intents":
            pi, expand = model.create_payment_intent(account, params, request, deliver)
            return Response(200, dumps(model.expand(account, pi, expand)), deliver=deliver)
        if method == "POST" and _PI_CANCEL.match(path):
            pi, expand = model.cancel(account, _PI_CANCEL.match(path).group(1), params, request, deliver)
            return Response(200, dumps(model.expand(account, pi, expand)), deliver=deliver)
        if method == "POST" and path == "/v1/refunds":
            refund, expand = model.create_refund(account, params, request, deliver)
            return Response(200, dumps(model.expand(account, refund, expand)), deliver=deliver)
        if method == "GET" and path == "/v1/balance":
            return Response(200, dumps(model.balance(account, params)))
        if method == "GET" and path == "/v1/account":
            return Response(200, dumps(model.retrieve_account(account, account, params)))
        if method == "GET" and _ACCOUNT.match(path):
            return Response(200, dumps(model.retrieve_account(account, _ACCOUNT.match(path).group(1), params)))
        if method == "GET" and _LIST.match(path):
            return Response(200, dumps(model.list(account, _LIST.match(path).group(1), params)))
        if method == "GET" and _RETRIEVE.match(path):
            kind, object_id = _RETRIEVE.match(path).groups()
            return Response(200, dumps(model.retrieve(account, kind, object_id, params)))
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or "
                               "we can help at https://support.stripe.com/. (The Stripe fake serves only the calls its "
                               "docstring lists.)")

    # -- test hooks

    def _hook(self, method, path, body):
        state, model = self.server.state, self.server.model
        if method == "GET":
            if path == "health":
                return self._send(200, b"ok", "text/plain")
            if path == "events":
                return self._json(200, state.event_list())
            if path == "requests":
                return self._json(200, state.request_list())
            return self._json(404, {"message": f"no route GET /_fake/stripe/{path}"})
        if method != "POST":
            return self._json(404, {"message": f"no route {method} /_fake/stripe/{path}"})
        deliver = []
        try:
            args = json.loads(body) if body else {}
            if not isinstance(args, dict):
                raise HookError("the body must be a JSON object")
            parts = path.split("/")
            if path == "reset":
                state.reset()
                return self._send(200, b"ok", "text/plain")
            if path == "deliver":
                order, repeat = args.get("order", "fifo"), args.get("repeat", 1)
                if order not in ("fifo", "lifo"):
                    raise HookError("order must be fifo or lifo")
                if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
                    raise HookError("repeat must be a positive integer")
                queue = state.take_queue(order, account_arg(args))
                out = []
                for _ in range(repeat):
                    for event_id in queue:
                        d = deliver_event(state, event_id) or {"status": None, "error": "no webhook endpoint"}
                        out.append({"id": event_id, "type": state.event_records[event_id]["type"],
                                    "status": d["status"], "error": d["error"]})
                return self._json(200, out)
            if len(parts) == 3 and parts[0] == "events" and parts[2] == "resend":
                if parts[1] not in state.event_records:
                    raise HookError(f"no event {parts[1]!r}", 404)
                d = deliver_event(state, parts[1])
                if d is None:
                    raise HookError("no webhook endpoint is registered")
                return self._json(200, d)
            with state._lock:
                out = self._hook_locked(state, model, parts, args, deliver)
        except HookError as e:
            return self._json(e.status, {"message": str(e)})
        except StripeError as e:
            return self._json(e.status, {"message": e.message, "code": e.code})
        except (ValueError, TypeError) as e:
            return self._json(400, {"message": str(e)})
        if out is None:
            return self._json(404, {"message": f"no route POST /_fake/stripe/{path}"})
        for event_id in deliver:
            deliver_event(state, event_id)
        with state._lock:
            answer = json.dumps(out).encode()  # the objects as they are after the hook
        self._send(200, answer, "application/json")

    def _hook_locked(self, state, model, parts, args, deliver):
        """A hook that changes state; None for an unknown route."""
        if parts == ["accounts"]:
            account, flags = account_arg(args, "id") or state.new_id("acct"), account_flags(args)
            if account in state.accounts:
                return model.update_account(account, flags, deliver)
            state.accounts[account] = new_account(flags)
            return model.account(account)
        if len(parts) == 2 and parts[0] == "accounts":
            if parts[1] not in state.accounts:
                raise HookError(f"no account {parts[1]!r}", 404)
            return model.update_account(parts[1], account_flags(args), deliver)
        if parts == ["webhooks"]:
            return self._set_webhook(state, account_arg(args), args)
        if parts == ["hold"]:
            on, account = args.get("on"), account_arg(args)
            if not isinstance(on, bool):
                raise HookError("on must be true or false")
            state.set_hold(on, account)
            return {"on": on, "account": account, "queued": len(state.queued(account))}
        if parts == ["fail_next"]:
            count, mode = args.get("count", 1), args.get("mode", "error")
            seconds, stored = args.get("seconds", DEFAULT_HANG_SECONDS), args.get("stored", False)
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise HookError("count must be a non-negative integer")
            if mode not in ("error", "timeout"):
                raise HookError("mode must be error or timeout")
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
                raise HookError("seconds must be a non-negative number")
            if not isinstance(stored, bool):
                raise HookError("stored must be true or false")
            state.set_failure(count, mode, float(seconds), stored)
            return {"count": count, "mode": mode, "seconds": float(seconds), "stored": stored}
        if parts == ["payouts"]:
            account = args.get("account") or PLATFORM_ACCOUNT
            currency = args.get("currency")
            if not isinstance(account, str) or (currency is not None and not isinstance(currency, str)):
                raise HookError("account and currency must be strings")
            return model.payout(account, currency.lower() if currency else None, deliver)
        if len(parts) == 3 and parts[0] == "payment_intents":
            pi_id, action = parts[1], parts[2]
            if action == "confirm":
                method = args.get("payment_method")
                if method is not None and method not in PAYMENT_METHOD_TYPES:
                    raise HookError(f"payment_method must be one of {PAYMENT_METHOD_TYPES}")
                return model.confirm(pi_id, method, deliver)
            if action == "succeed":
                return model.succeed(pi_id, deliver)
            if action == "fail":
                code, message = args.get("code"), args.get("message")
                if code is not None and not (isinstance(code, str) and code):
                    raise HookError("code must be a non-empty string")
                if message is not None and not isinstance(message, str):
                    raise HookError("message must be a string")
                return model.fail(pi_id, code, message, deliver)
        if len(parts) == 3 and parts[0] == "charges":
            ch_id, action = parts[1], parts[2]
            amount = args.get("amount")
            if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool)):
                raise HookError("amount must be an integer (minor units)")
            if action == "dispute":
                reason, status = args.get("reason"), args.get("status")
                if reason is not None and not isinstance(reason, str) or status is not None and not isinstance(status, str):
                    raise HookError("reason and status must be strings")
                return model.dispute(ch_id, reason, amount, status, deliver)
            if action == "refund":
                reason = args.get("reason")
                if reason is not None and reason not in ("duplicate", "fraudulent", "requested_by_customer"):
                    raise HookError("reason must be duplicate, fraudulent or requested_by_customer")
                account, ch = state.find("charges", ch_id)
                refund, txn = model.refund(account, ch, amount, reason, {}, None, deliver)
                return {"refund": refund, "charge": ch, "balance_transaction": txn}
        return None

    @staticmethod
    def _set_webhook(state, account, args):
        """Sets (url null: removes) the endpoint for that account's events, or the default one."""
        url = args.get("url")
        if url is None:
            state.webhooks.pop(account, None)
            return {"url": None, "account": account}
        secrets, timeout = args.get("secrets", []), args.get("timeout", DEFAULT_WEBHOOK_TIMEOUT)
        offset = args.get("timestamp_offset", 0)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise HookError("url must be an http(s) URL")
        if not isinstance(secrets, list) or not secrets or not all(isinstance(s, str) and s for s in secrets):
            raise HookError("secrets must be a non-empty list of strings (whsec_…)")
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise HookError("timeout must be a positive number of seconds")
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise HookError("timestamp_offset must be an integer")
        endpoint = {"url": url, "secrets": secrets, "timeout": float(timeout), "timestamp_offset": offset}
        state.webhooks[account] = endpoint
        return dict(endpoint, account=account)


class StripeFake(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, port, quiet=False):
        super().__init__((host, port), Handler)
        self.state = FakeState()
        self.model = Stripe(self.state)
        self.quiet = quiet


def make_server(port=0, quiet=False):
    """A fake on 127.0.0.1 (port 0: a free one, see `server_port`); call `serve_forever()`."""
    return StripeFake("127.0.0.1", port, quiet)


def main():
    parser = argparse.ArgumentParser(description="Local fake of Stripe (see the module docstring).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("STRIPE_FAKE_PORT") or DEFAULT_PORT))
    args = parser.parse_args()
    server = make_server(args.port)
    print(f"Stripe fake on http://127.0.0.1:{server.server_port} (STRIPE_API_BASE)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

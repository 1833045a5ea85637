"""Self-check of the Plaid fake (`plaid_server.py`): starts it on a free port in a thread, and a
webhook receiver beside it, and drives Link tokens, the public token exchange, accounts,
`/transactions/sync` (paging, cursors, pending → posted, modified, removed, mutation during
pagination), injected failures and signed webhooks through its API and test hooks. The wire format is
checked against the official `plaid-python` client pointed at the fake (`host`): it serializes every
request and parses every answer into its models, so a field of the wrong type or a missing required
one fails here. Webhooks are verified as Plaid documents it, with `cryptography`: decode the JWT
header, require ES256, fetch the key by kid with `/webhook_verification_key/get`, reject an expired
key, verify the raw r||s signature with the JWK's x/y, require `iat` within 5 minutes and the body's
SHA-256 to equal the claim.

Usage: .venv/bin/python infra/fakes/test_plaid_server.py
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import plaid
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from plaid.api import plaid_api
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.accounts_get_request_options import AccountsGetRequestOptions
from plaid.model.country_code import CountryCode
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.item_remove_request import ItemRemoveRequest
from plaid.model.link_token_create_request import LinkTokenCreateRequest
from plaid.model.link_token_create_request_user import LinkTokenCreateRequestUser
from plaid.model.products import Products
from plaid.model.sandbox_item_fire_webhook_request import SandboxItemFireWebhookRequest
from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest
from plaid.model.sandbox_public_token_create_request_options import SandboxPublicTokenCreateRequestOptions
from plaid.model.transactions_sync_request import TransactionsSyncRequest
from plaid.model.webhook_verification_key_get_request import WebhookVerificationKeyGetRequest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plaid_server as fake  # noqa: E402

# Never through a proxy from the environment: both servers are local.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Receiver(ThreadingHTTPServer):
    """The webhook endpoint: keeps every delivery (headers, raw body, whole unix seconds at receipt)
    and answers `self.status`."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.lock = threading.Lock()
        self.deliveries = []
        self.status = 200

    def take(self):
        with self.lock:
            out, self.deliveries = self.deliveries, []
            return out


class ReceiverHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.deliveries.append((dict(self.headers), body, int(time.time())))
            status = self.server.status
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def plaid_client(base, client_id=fake.DEFAULT_CLIENT_ID, secret=fake.DEFAULT_SECRET):
    configuration = plaid.Configuration(host=base, api_key={"clientId": client_id, "secret": secret})
    return plaid_api.PlaidApi(plaid.ApiClient(configuration))


def verify_webhook(client, headers, body, now=None):
    """None if the webhook is genuine, else why not: Plaid's documented verification. `now`: whole
    unix seconds at receipt (iat is whole seconds too; a fractional clock read later could see a
    4:59-old webhook as 5:00 and more)."""
    now = int(time.time()) if now is None else now
    token = headers.get("Plaid-Verification", "")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(b64url_decode(header_b64))
    except ValueError:
        return "malformed"
    if header.get("alg") != "ES256":
        return "alg"
    try:
        key = client.webhook_verification_key_get(WebhookVerificationKeyGetRequest(key_id=header["kid"]))["key"]
    except plaid.ApiException:
        return "unknown key"
    if key["expired_at"] is not None:
        return "expired key"
    x, y = (int.from_bytes(b64url_decode(key[c]), "big") for c in ("x", "y"))
    public_key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    signature = b64url_decode(signature_b64)
    if len(signature) != 64:
        return "signature"
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "signature"
    claims = json.loads(b64url_decode(claims_b64))
    if claims["iat"] < now - 5 * 60:
        return "too old"
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), claims["request_body_sha256"]):
        return "body hash"
    return None


class PlaidFakeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = fake.make_server(0, quiet=True)
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"
        cls.receiver = Receiver()
        cls.hook_url = f"http://127.0.0.1:{cls.receiver.server_port}/webhooks/plaid"
        for server in (cls.server, cls.receiver):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        cls.client = plaid_client(cls.base)

    @classmethod
    def tearDownClass(cls):
        for server in (cls.server, cls.receiver):
            server.shutdown()
            server.server_close()

    def setUp(self):
        self.hook("reset")
        self.receiver.take()
        self.receiver.status = 200

    # -- helpers

    def request(self, method, path, body=None, headers=None):
        """(status, body bytes) of one raw request; HTTP errors are answers too."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with OPENER.open(req, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def hook(self, path, body=None, expect=200):
        status, raw = self.request("POST", "/_fake/plaid/" + path, body or {})
        self.assertEqual(status, expect, raw)
        return json.loads(raw)

    def hook_get(self, path):
        status, raw = self.request("GET", "/_fake/plaid/" + path)
        self.assertEqual(status, 200, raw)
        return json.loads(raw) if raw != b"ok" else raw

    def api_error(self, call, *args):
        """(HTTP status, Plaid error body) of a client call that must fail."""
        with self.assertRaises(plaid.ApiException) as caught:
            call(*args)
        return caught.exception.status, json.loads(caught.exception.body)

    def connect(self, webhook=None):
        """(item_id, access_token) of a new Item, through the sandbox public token and the exchange."""
        options = SandboxPublicTokenCreateRequestOptions(webhook=webhook) if webhook else None
        request = SandboxPublicTokenCreateRequest(institution_id="ins_109508",
                                                  initial_products=[Products("transactions")],
                                                  **({"options": options} if options else {}))
        public_token = self.client.sandbox_public_token_create(request)["public_token"]
        exchanged = self.client.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=public_token))
        return exchanged["item_id"], exchanged["access_token"]

    def add(self, item, *specs, **options):
        return self.hook(f"items/{item}/transactions", {"transactions": list(specs), **options})["transactions"]

    def sync(self, access_token, cursor=None, count=None):
        kwargs = {k: v for k, v in (("cursor", cursor), ("count", count)) if v is not None}
        return self.client.transactions_sync(TransactionsSyncRequest(access_token=access_token, **kwargs))

    def sync_all(self, access_token, cursor="", count=2):
        """(added, modified, removed ids, final cursor, pages) of a whole pagination run."""
        added, modified, removed, pages = [], [], [], 0
        while True:
            page = self.sync(access_token, cursor, count)
            pages += 1
            added += page["added"]
            modified += page["modified"]
            removed += [r["transaction_id"] for r in page["removed"]]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return added, modified, removed, cursor, pages

    # -- Link, Items, accounts

    def test_health(self):
        self.assertEqual(self.hook_get("health"), b"ok")

    def test_hooks_are_open_to_a_browser_and_the_api_is_not(self):
        preflight = urllib.request.Request(self.base + "/_fake/plaid/public_token", method="OPTIONS",
                                           headers={"Origin": "http://127.0.0.1:5173",
                                                    "Access-Control-Request-Method": "POST"})
        with urllib.request.urlopen(preflight) as res:
            self.assertEqual(res.status, 204)
            self.assertEqual(res.headers["Access-Control-Allow-Origin"], "*")
            self.assertIn("POST", res.headers["Access-Control-Allow-Methods"])
        req = urllib.request.Request(self.base + "/_fake/plaid/health")
        with urllib.request.urlopen(req) as res:
            self.assertEqual(res.headers["Access-Control-Allow-Origin"], "*")
        api = urllib.request.Request(self.base + "/link/token/create", method="OPTIONS")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(api)
        self.assertEqual(caught.exception.code, 404)

    def test_link_token(self):
        answer = self.client.link_token_create(LinkTokenCreateRequest(
            user=LinkTokenCreateRequestUser(client_user_id="user-1"), client_name="PortfolioOS",
            products=[Products("transactions")], country_codes=[CountryCode("US")], language="en",
            webhook=self.hook_url))
        self.assertTrue(answer["link_token"].startswith("link-sandbox-"))
        self.assertGreater(answer["expiration"], dt.datetime.now(dt.timezone.utc))
        # Link (the hook) makes an Item carrying the token's webhook.
        linked = self.hook("public_token", {"link_token": answer["link_token"]})
        exchanged = self.client.item_public_token_exchange(
            ItemPublicTokenExchangeRequest(public_token=linked["public_token"]))
        item = self.client.item_get(ItemGetRequest(access_token=exchanged["access_token"]))["item"]
        self.assertEqual(item["item_id"], linked["item_id"])
        self.assertEqual(item["webhook"], self.hook_url)
        # Required fields, as Plaid names them; credentials in the body work too.
        creds = {"client_id": fake.DEFAULT_CLIENT_ID, "secret": fake.DEFAULT_SECRET}
        status, raw = self.request("POST", "/link/token/create", {
            **creds, "client_name": "x", "language": "en", "country_codes": ["US"], "products": ["transactions"],
            "user": {}})
        self.assertEqual((status, json.loads(raw)["error_code"]), (400, "MISSING_FIELDS"))
        self.assertIn("user.client_user_id", json.loads(raw)["error_message"])
        status, raw = self.request("POST", "/item/get", {**creds, "access_token": "access-sandbox-x", "bogus": 1})
        self.assertEqual(json.loads(raw)["error_code"], "UNKNOWN_FIELDS")

    def test_wrong_credentials(self):
        status, error = self.api_error(plaid_client(self.base, secret="wrong").item_get,
                                       ItemGetRequest(access_token="access-sandbox-x"))
        self.assertEqual((status, error["error_type"], error["error_code"]), (400, "INVALID_INPUT", "INVALID_API_KEYS"))
        for key in ("error_message", "display_message", "request_id"):
            self.assertIn(key, error)
        status, raw = self.request("POST", "/item/get", {"access_token": "access-sandbox-x"})
        self.assertEqual(json.loads(raw)["error_code"], "MISSING_FIELDS")

    def test_public_token_exchange_once(self):
        request = SandboxPublicTokenCreateRequest(
            institution_id="ins_109508", initial_products=[Products("transactions")],
            options=SandboxPublicTokenCreateRequestOptions(webhook=self.hook_url))
        public_token = self.client.sandbox_public_token_create(request)["public_token"]
        self.assertTrue(public_token.startswith("public-sandbox-"))
        exchanged = self.client.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=public_token))
        self.assertTrue(exchanged["access_token"].startswith("access-sandbox-"))
        status, error = self.api_error(self.client.item_public_token_exchange,
                                       ItemPublicTokenExchangeRequest(public_token=public_token))
        self.assertEqual((status, error["error_type"], error["error_code"]),
                         (400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN"))
        got = self.client.item_get(ItemGetRequest(access_token=exchanged["access_token"]))
        self.assertEqual((got["item"]["item_id"], got["item"]["webhook"]), (exchanged["item_id"], self.hook_url))

    def test_accounts_and_item_remove(self):
        item_id, token = self.connect()
        answer = self.client.accounts_get(AccountsGetRequest(access_token=token))
        self.assertEqual(answer["item"]["item_id"], item_id)
        accounts = answer["accounts"]
        self.assertEqual([str(a["subtype"]) for a in accounts], ["checking", "savings"])
        self.assertEqual([str(a["type"]) for a in accounts], ["depository", "depository"])
        self.assertEqual((accounts[0]["mask"], accounts[0]["balances"]["available"],
                          accounts[0]["balances"]["current"], accounts[0]["balances"]["iso_currency_code"]),
                         ("0000", 100.0, 110.0, "USD"))
        self.assertTrue(accounts[0]["official_name"])
        only = self.client.accounts_get(AccountsGetRequest(
            access_token=token, options=AccountsGetRequestOptions(account_ids=[accounts[1]["account_id"]])))
        self.assertEqual([a["account_id"] for a in only["accounts"]], [accounts[1]["account_id"]])
        self.client.item_remove(ItemRemoveRequest(access_token=token))
        status, error = self.api_error(self.client.accounts_get, AccountsGetRequest(access_token=token))
        self.assertEqual((status, error["error_code"]), (400, "INVALID_ACCESS_TOKEN"))

    # -- /transactions/sync

    def test_sync_pages_and_cursor_resume(self):
        item_id, token = self.connect()
        added = self.add(item_id, *({"amount": 1000 * (i + 1), "name": f"Payee {i}", "date": f"2025-01-0{i + 1}"}
                                    for i in range(5)))
        seen, cursor = [], ""
        for expected_size, expected_more in ((2, True), (2, True), (1, False)):
            page = self.sync(token, cursor, 2)
            self.assertEqual((len(page["added"]), page["has_more"]), (expected_size, expected_more))
            self.assertEqual(str(page["transactions_update_status"]), "HISTORICAL_UPDATE_COMPLETE")
            self.assertEqual(len(page["accounts"]), 2)
            seen += page["added"]
            cursor = page["next_cursor"]
        self.assertEqual([t["transaction_id"] for t in seen], [t["transaction_id"] for t in added])
        first = seen[0]
        self.assertEqual((first["amount"], first["date"], first["name"], first["pending"], first["iso_currency_code"]),
                         (10.0, dt.date(2025, 1, 1), "Payee 0", False, "USD"))
        self.assertIsNone(first["pending_transaction_id"])
        self.assertIn("reference_number", first["payment_meta"].to_dict())
        # The end cursor stays valid: nothing new, then only what was added since.
        empty = self.sync(token, cursor)
        self.assertEqual((empty["added"], empty["has_more"], empty["next_cursor"]), ([], False, cursor))
        later = self.add(item_id, {"amount": -250000, "name": "Rent Unit 4",
                                   "payment_meta": {"reference_number": "R1"}})
        resumed = self.sync(token, cursor)
        self.assertEqual([t["transaction_id"] for t in resumed["added"]], [later[0]["transaction_id"]])
        self.assertEqual(resumed["added"][0]["amount"], -2500.0)  # money in is negative
        self.assertEqual(resumed["added"][0]["payment_meta"]["reference_number"], "R1")
        # From the start (no cursor), everything, in one page by default.
        self.assertEqual(len(self.sync(token)["added"]), 6)

    def test_amount_on_the_wire(self):
        item_id, token = self.connect()
        self.add(item_id, {"amount": 123456, "name": "A"}, {"amount": -5, "name": "B"}, {"amount": 200, "name": "C"})
        status, raw = self.request("POST", "/transactions/sync", {
            "client_id": fake.DEFAULT_CLIENT_ID, "secret": fake.DEFAULT_SECRET, "access_token": token})
        self.assertEqual(status, 200)
        for text in (b'"amount": 1234.56', b'"amount": -0.05', b'"amount": 2.0'):
            self.assertIn(text, raw)
        status, raw = self.request("POST", "/transactions/sync", {
            "client_id": fake.DEFAULT_CLIENT_ID, "secret": fake.DEFAULT_SECRET, "access_token": token, "count": 501})
        self.assertEqual((status, json.loads(raw)["error_code"]), (400, "INVALID_FIELD"))

    def test_pending_to_posted(self):
        item_id, token = self.connect()
        pending = self.add(item_id, {"amount": 4599, "name": "HOME DEPOT PENDING", "pending": True})[0]
        _, _, _, cursor, _ = self.sync_all(token)
        answer = self.hook(f"transactions/{pending['transaction_id']}/post", {"amount": 4650, "name": "HOME DEPOT"})
        posted = answer["transaction"]
        self.assertEqual(answer["removed"]["transaction_id"], pending["transaction_id"])
        page = self.sync(token, cursor)
        self.assertEqual([r["transaction_id"] for r in page["removed"]], [pending["transaction_id"]])
        self.assertEqual(page["removed"][0]["account_id"], pending["account_id"])
        self.assertEqual(len(page["added"]), 1)
        new = page["added"][0]
        self.assertEqual((new["transaction_id"], new["pending"], new["pending_transaction_id"], new["amount"],
                          new["name"]),
                         (posted["transaction_id"], False, pending["transaction_id"], 46.5, "HOME DEPOT"))
        self.assertNotEqual(new["transaction_id"], pending["transaction_id"])

    def test_modified_and_removed(self):
        item_id, token = self.connect()
        kept, gone = self.add(item_id, {"amount": 1000, "name": "Water"}, {"amount": 2000, "name": "Gas"})
        _, _, _, cursor, _ = self.sync_all(token)
        self.hook(f"transactions/{kept['transaction_id']}/modify", {"amount": 1100, "merchant_name": "City Water"})
        self.hook(f"transactions/{gone['transaction_id']}/remove")
        short_lived = self.add(item_id, {"amount": 5, "name": "Gone before the sync"})[0]
        self.hook(f"transactions/{short_lived['transaction_id']}/remove")
        added, modified, removed, _, _ = self.sync_all(token, cursor)
        self.assertEqual(added, [])  # added and removed within the run: not reported
        self.assertEqual([(t["transaction_id"], t["amount"], t["merchant_name"]) for t in modified],
                         [(kept["transaction_id"], 11.0, "City Water")])
        self.assertEqual(removed, [gone["transaction_id"]])
        self.hook(f"transactions/{gone['transaction_id']}/modify", {"amount": 1}, expect=400)

    def test_mutation_during_pagination(self):
        item_id, token = self.connect()
        self.add(item_id, *({"amount": 100 + i, "name": f"T{i}"} for i in range(5)))
        first_cursor = ""
        page = self.sync(token, first_cursor, 2)
        self.assertTrue(page["has_more"])
        self.add(item_id, {"amount": 999, "name": "Arrived mid-pagination"})
        status, error = self.api_error(self.sync, token, page["next_cursor"], 2)
        self.assertEqual((status, error["error_type"], error["error_code"]),
                         (400, "TRANSACTIONS_ERROR", "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"))
        added, _, _, cursor, pages = self.sync_all(token, first_cursor, 2)  # restart from the loop's first cursor
        self.assertEqual((len(added), pages), (6, 3))
        # The hook forces the error on the next sync calls, whatever the cursor.
        self.hook("mutation_next", {"count": 1})
        status, error = self.api_error(self.sync, token, cursor)
        self.assertEqual(error["error_code"], "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION")
        self.assertFalse(self.sync(token, cursor)["has_more"])
        # Named for one Item, it leaves the others' syncs alone.
        other_id, other_token = self.connect()
        self.hook("mutation_next", {"count": 1, "item": other_id})
        self.assertFalse(self.sync(token, cursor)["has_more"])
        status, error = self.api_error(self.sync, other_token)
        self.assertEqual(error["error_code"], "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION")

    def test_not_ready(self):
        item_id, token = self.connect()
        self.add(item_id, {"amount": 100, "name": "x"})
        self.hook(f"items/{item_id}/status", {"transactions_update_status": "NOT_READY"})
        page = self.sync(token)
        self.assertEqual((page["added"], page["next_cursor"], str(page["transactions_update_status"])),
                         ([], "", "NOT_READY"))

    def test_fail_next(self):
        _, token = self.connect()
        self.hook("fail_next", {"path": "/accounts/get", "count": 2})
        for _ in range(2):
            status, error = self.api_error(self.client.accounts_get, AccountsGetRequest(access_token=token))
            self.assertEqual((status, error["error_type"], error["error_code"]),
                             (500, "API_ERROR", "INTERNAL_SERVER_ERROR"))
        self.client.item_get(ItemGetRequest(access_token=token))  # another path is not affected
        self.client.accounts_get(AccountsGetRequest(access_token=token))
        self.hook("fail_next", {"path": "/transactions/sync", "status": 429, "error_type": "RATE_LIMIT_EXCEEDED",
                                "error_code": "TRANSACTIONS_SYNC_LIMIT"})
        status, error = self.api_error(self.sync, token)
        self.assertEqual((status, error["error_code"]), (429, "TRANSACTIONS_SYNC_LIMIT"))
        self.sync(token)
        calls = self.hook_get("requests")
        self.assertEqual([c["status"] for c in calls[-2:]], [429, 200])
        self.assertTrue(all(c["body"] is None or "secret" not in c["body"] or c["body"]["secret"] == "<redacted>"
                            for c in calls))

    # -- webhooks

    def test_webhook_verification_key(self):
        kid = self.hook_get("keys")[0]["kid"]
        key = self.client.webhook_verification_key_get(WebhookVerificationKeyGetRequest(key_id=kid))["key"]
        self.assertEqual((key["alg"], key["crv"], key["kty"], key["use"], key["kid"], key["expired_at"]),
                         ("ES256", "P-256", "EC", "sig", kid, None))
        self.assertEqual(len(b64url_decode(key["x"])), 32)
        status, error = self.api_error(self.client.webhook_verification_key_get,
                                       WebhookVerificationKeyGetRequest(key_id="no-such-kid"))
        self.assertEqual((status, error["error_type"]), (400, "INVALID_INPUT"))

    def test_fired_webhook_verifies(self):
        item_id, token = self.connect(webhook=self.hook_url)
        self.sync(token)
        fired = self.client.sandbox_item_fire_webhook(SandboxItemFireWebhookRequest(
            access_token=token, webhook_code="SYNC_UPDATES_AVAILABLE"))
        self.assertTrue(fired["webhook_fired"])
        [(headers, body, _)] = self.receiver.take()
        self.assertIsNone(verify_webhook(self.client, headers, body))
        header = json.loads(b64url_decode(headers["Plaid-Verification"].split(".")[0]))
        self.assertEqual(set(header), {"alg", "kid", "typ"})
        self.assertEqual(json.loads(body), {
            "webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE", "item_id": item_id,
            "initial_update_complete": True, "historical_update_complete": True, "environment": "sandbox"})
        # A changed signature fails; re-serialized JSON is other bytes (hash the raw body).
        head, claims, signature = headers["Plaid-Verification"].split(".")
        forged = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
        self.assertEqual(verify_webhook(self.client, {"Plaid-Verification": f"{head}.{claims}.{forged}"}, body),
                         "signature")
        self.assertEqual(verify_webhook(self.client, headers, json.dumps(json.loads(body)).encode()), "body hash")
        # A transaction hook with notify sends the same webhook; its delivery is in the answer.
        answer = self.hook(f"items/{item_id}/transactions", {"transactions": [{"amount": 1, "name": "x"}],
                                                             "notify": True})
        self.assertEqual((answer["webhook"]["status"], answer["webhook"]["webhook_code"]),
                         (200, "SYNC_UPDATES_AVAILABLE"))
        [(headers, body, _)] = self.receiver.take()
        self.assertIsNone(verify_webhook(self.client, headers, body))
        self.assertEqual(len(self.hook_get("webhooks")), 2)

    def test_webhook_bad_cases(self):
        item_id, _ = self.connect(webhook=self.hook_url)

        def send(**options):
            answer = self.hook(f"items/{item_id}/webhook", options)
            [(headers, body, received_at)] = self.receiver.take()
            self.assertEqual(body.decode(), answer["body"])
            return verify_webhook(self.client, headers, body, now=received_at)

        self.assertIsNone(send(iat_offset=-299))
        self.assertEqual(send(iat_offset=-301), "too old")
        self.assertEqual(send(tamper_body=True), "body hash")
        self.assertEqual(send(alg="none"), "alg")
        self.assertEqual(send(alg="HS256"), "alg")
        self.assertEqual(send(kid="no-such-kid"), "unknown key")
        rotated = self.hook("keys/rotate")
        old = self.client.webhook_verification_key_get(WebhookVerificationKeyGetRequest(key_id=rotated["expired_kid"]))
        self.assertIsNotNone(old["key"]["expired_at"])
        self.assertEqual(send(kid=rotated["expired_kid"]), "expired key")
        self.assertIsNone(send())  # signed with the new key
        self.receiver.status = 500
        answer = self.hook(f"items/{item_id}/webhook", {"webhook_code": "DEFAULT_UPDATE"})
        self.receiver.take()
        self.assertEqual((answer["status"], answer["kid"], answer["webhook_type"]),
                         (500, rotated["kid"], "TRANSACTIONS"))


if __name__ == "__main__":
    unittest.main()

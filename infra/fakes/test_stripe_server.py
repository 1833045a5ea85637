"""Self-check of the Stripe fake (`stripe_server.py`): starts it on a free port in a thread, and a
webhook receiver beside it (and two more: two connected accounts' own endpoints), and drives card and
ACH payments, refunds, disputes and payouts through its API and test hooks. The wire format is checked
against the official `stripe` library: it creates and reads objects through `StripeClient` pointed at
the fake (and `stripe.Account.retrieve` through the library's global configuration), and verifies the
webhook signatures with `stripe.Webhook.construct_event` (one secret, and a rotated pair).

Usage: .venv/bin/python infra/fakes/test_stripe_server.py
"""

import json
import os
import socket
import sys
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stripe_server as fake  # noqa: E402

KEY = "sk_test_fake_portfolioos"
SECRET = "whsec_current0123456789"
OLD_SECRET = "whsec_previous9876543210"
ONE_SECRET, TWO_SECRET = "whsec_stackone000000000", "whsec_stacktwo000000000"
# Never through a proxy from the environment: both servers are local.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Receiver(ThreadingHTTPServer):
    """The webhook endpoint: keeps every delivery (headers, raw body) and answers `self.status`."""

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
            self.server.deliveries.append((dict(self.headers), body))
            status = self.server.status
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


class StripeFakeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = fake.make_server(0, quiet=True)
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"
        # The default endpoint, and two more for two connected accounts' own endpoints.
        cls.receiver, cls.one, cls.two = Receiver(), Receiver(), Receiver()
        cls.hook_url = f"http://127.0.0.1:{cls.receiver.server_port}/stripe/webhook"
        for server in (cls.server, cls.receiver, cls.one, cls.two):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        for server in (cls.server, cls.receiver, cls.one, cls.two):
            server.shutdown()
            server.server_close()

    def setUp(self):
        self.hook("reset")
        for receiver in (self.receiver, self.one, self.two):
            receiver.take()
            receiver.status = 200
        self.hook("webhooks", {"url": self.hook_url, "secrets": [SECRET]})

    # -- helpers

    def request(self, method, path, data=None, headers=None, timeout=10):
        """(status, headers, body bytes) of one request; HTTP errors are answers too."""
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with OPENER.open(req, timeout=timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def hook(self, path, body=None, expect=200):
        status, _, raw = self.request("POST", "/_fake/stripe/" + path, json.dumps(body or {}).encode(),
                                      {"Content-Type": "application/json"})
        self.assertEqual(status, expect, raw)
        return json.loads(raw) if raw.startswith((b"{", b"[")) else raw

    def hook_get(self, path):
        return json.loads(self.request("GET", "/_fake/stripe/" + path)[2])

    def api(self, method, path, params=(), account=None, key=None, api_key=KEY):
        """(status, headers, JSON) of an API call, form-encoded as Stripe clients send it."""
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        if account:
            headers["Stripe-Account"] = account
        if key:
            headers["Idempotency-Key"] = key
        encoded = urllib.parse.urlencode(list(params))
        if method == "GET":
            status, h, raw = self.request("GET", path + ("?" + encoded if encoded else ""), None, headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            status, h, raw = self.request(method, path, encoded.encode(), headers)
        return status, h, json.loads(raw)

    def create_pi(self, amount=125000, types=("card",), account=None, key=None, **extra):
        params = [("amount", str(amount)), ("currency", "usd")] + [("payment_method_types[]", t) for t in types]
        params += [("metadata[lease_id]", "lease-7")] + list(extra.items())
        status, _, body = self.api("POST", "/v1/payment_intents", params, account=account, key=key)
        self.assertEqual(status, 200, body)
        return body

    def event_types(self):
        return [e["type"] for e in self.hook_get("events")]

    def delivered(self, receiver=None, secret=SECRET):
        """The events a receiver (default: the default endpoint's) got, parsed, after checking each
        signature with the official library."""
        import stripe

        out = []
        for headers, body in (receiver or self.receiver).take():
            event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], secret)
            out.append(json.loads(body))
            self.assertEqual(event.id, out[-1]["id"])
        return out

    def two_stacks(self):
        """Two connected accounts, each with its own endpoint (self.one, self.two) and secret."""
        one = self.hook("accounts", {"id": "acct_stackone"})["id"]
        two = self.hook("accounts", {"id": "acct_stacktwo"})["id"]
        for account, receiver, secret in ((one, self.one, ONE_SECRET), (two, self.two, TWO_SECRET)):
            url = f"http://127.0.0.1:{receiver.server_port}/stripe/webhook"
            answer = self.hook("webhooks", {"url": url, "secrets": [secret], "account": account})
            self.assertEqual((answer["url"], answer["account"]), (url, account))
        return one, two

    def delivery_count(self):
        return sum(len(e["deliveries"]) for e in self.hook_get("events"))

    def wait_deliveries(self, n):
        """API-caused events are delivered just after the answer: wait for them."""
        deadline = time.time() + 5
        while time.time() < deadline:
            if self.delivery_count() >= n:
                return
            time.sleep(0.02)
        self.fail(f"fewer than {n} deliveries")

    def assert_error(self, answer, status, type, code=None, param=None):
        got, _, body = answer
        self.assertEqual(got, status, body)
        error = body["error"]
        self.assertEqual(error["type"], type)
        self.assertEqual(error.get("code"), code)
        self.assertEqual(error.get("param"), param)
        self.assertTrue(error["message"])

    # -- tests

    def test_health_and_auth(self):
        status, _, raw = self.request("GET", "/_fake/stripe/health")
        self.assertEqual((status, raw), (200, b"ok"))
        self.assert_error(self.api("POST", "/v1/payment_intents", [("amount", "100")], api_key=None),
                          401, "invalid_request_error")
        self.assert_error(self.api("GET", "/v1/payment_intents/pi_x", api_key="sk_live_abcdefghijkl"),
                          401, "invalid_request_error")
        self.assert_error(self.api("GET", "/v1/payment_intents/pi_x"), 404, "invalid_request_error",
                          "resource_missing", "id")
        self.assert_error(self.api("GET", "/v1/customers"), 404, "invalid_request_error")

    def test_create_and_validation(self):
        pi = self.create_pi(description="March rent")
        self.assertRegex(pi["id"], r"^pi_fake\d{20}$")
        self.assertEqual(pi["object"], "payment_intent")
        self.assertEqual((pi["amount"], pi["amount_received"], pi["currency"]), (125000, 0, "usd"))
        self.assertEqual(pi["status"], "requires_payment_method")
        self.assertTrue(pi["client_secret"].startswith(pi["id"] + "_secret_"))
        self.assertEqual(pi["payment_method_types"], ["card"])
        self.assertEqual(pi["metadata"], {"lease_id": "lease-7"})
        self.assertEqual(pi["description"], "March rent")
        self.assertIsNone(pi["latest_charge"])
        self.assertIsNone(pi["last_payment_error"])
        self.assertIs(pi["livemode"], False)
        self.assertEqual(self.api("GET", f"/v1/payment_intents/{pi['id']}")[2], pi)
        # Indexed arrays (what stripe-python sends) work like `[]`; no types: card + ACH for usd.
        _, _, both = self.api("POST", "/v1/payment_intents", [("amount", "5000"), ("currency", "usd"),
                                                               ("payment_method_types[0]", "card"),
                                                               ("payment_method_types[1]", "us_bank_account")])
        self.assertEqual(both["payment_method_types"], ["card", "us_bank_account"])
        _, _, default = self.api("POST", "/v1/payment_intents", [("amount", "5000"), ("currency", "usd")])
        self.assertEqual(default["payment_method_types"], ["card", "us_bank_account"])

        create = lambda *params: self.api("POST", "/v1/payment_intents", list(params))  # noqa: E731
        self.assert_error(create(("amount", "49"), ("currency", "usd")), 400, "invalid_request_error",
                          "amount_too_small", "amount")
        self.assertEqual(create(("amount", "50"), ("currency", "usd"))[0], 200)
        self.assert_error(create(("amount", "5000")), 400, "invalid_request_error", "parameter_missing", "currency")
        self.assert_error(create(("currency", "usd")), 400, "invalid_request_error", "parameter_missing", "amount")
        self.assert_error(create(("amount", "12.50"), ("currency", "usd")), 400, "invalid_request_error",
                          "parameter_invalid_integer", "amount")
        self.assert_error(create(("amount", "5000"), ("currency", "usd"), ("payment_method_types[]", "sepa_debit")),
                          400, "invalid_request_error", "payment_intent_invalid_parameter", "payment_method_types")
        self.assert_error(create(("amount", "5000"), ("currency", "eur"),
                                 ("payment_method_types[]", "us_bank_account")),
                          400, "invalid_request_error", "payment_intent_invalid_parameter", "payment_method_types")
        self.assert_error(create(("amount", "5000"), ("currency", "usd"), ("amont", "1")), 400,
                          "invalid_request_error", "parameter_unknown", "amont")

    def test_card_lifecycle_fee_and_events(self):
        pi = self.create_pi(125000)
        self.wait_deliveries(1)
        out = self.hook(f"payment_intents/{pi['id']}/confirm", {"payment_method": "card"})
        _, _, pi = self.api("GET", f"/v1/payment_intents/{pi['id']}")
        self.assertEqual(pi["status"], "succeeded")
        self.assertEqual(pi["amount_received"], 125000)
        _, _, ch = self.api("GET", f"/v1/charges/{pi['latest_charge']}")
        self.assertEqual(ch, out["charge"])
        self.assertRegex(ch["id"], r"^ch_")
        self.assertEqual((ch["status"], ch["paid"], ch["amount"], ch["payment_intent"]),
                         ("succeeded", True, 125000, pi["id"]))
        self.assertEqual(ch["payment_method_details"]["type"], "card")
        _, _, txn = self.api("GET", f"/v1/balance_transactions/{ch['balance_transaction']}")
        # 2.9% of 1250.00 = 36.25, + 0.30.
        self.assertEqual((txn["amount"], txn["fee"], txn["net"], txn["type"], txn["source"]),
                         (125000, 3655, 121345, "charge", ch["id"]))
        self.assertEqual(txn["fee_details"][0]["amount"], 3655)
        events = self.delivered()
        self.assertEqual([e["type"] for e in events],
                         ["payment_intent.created", "payment_intent.succeeded", "charge.succeeded"])
        for e in events:
            self.assertEqual((e["object"], e["api_version"], e["livemode"], e["pending_webhooks"]),
                             ("event", "2024-06-20", False, 1))
            self.assertRegex(e["id"], r"^evt_")
            self.assertNotIn("account", e)  # the platform's own
        self.assertEqual(events[1]["data"]["object"]["status"], "succeeded")
        self.assertEqual(events[2]["data"]["object"]["id"], ch["id"])
        # The event an API call caused names it; the hook's (Stripe's own transition) does not.
        req_id = self.hook_get("requests")[0]
        self.assertRegex(events[0]["request"]["id"], r"^req_")
        self.assertEqual(req_id["path"], "/v1/payment_intents")
        self.assertEqual(events[1]["request"], {"id": None, "idempotency_key": None})
        self.assertEqual([d["status"] for e in self.hook_get("events") for d in e["deliveries"]], [200, 200, 200])
        # Confirming twice is refused by the hook.
        self.hook(f"payment_intents/{pi['id']}/confirm", {}, expect=400)

    def test_fees_round_half_up_in_integers(self):
        self.assertEqual(fake.card_fee(500), 45)  # 14.5 → 15 (not 14, banker's), + 30
        self.assertEqual(fake.card_fee(50), 31)  # 1.45 → 1
        self.assertEqual(fake.card_fee(10000), 320)
        self.assertEqual(fake.ach_fee(6300), 50)  # 50.4
        self.assertEqual(fake.ach_fee(6320), 51)  # 50.56
        self.assertEqual(fake.ach_fee(62500), 500)
        self.assertEqual(fake.ach_fee(150000), 500)  # 1200 capped

    def test_ach_lifecycle_succeed_and_fail(self):
        pi = self.create_pi(180000, types=("us_bank_account",))
        out = self.hook(f"payment_intents/{pi['id']}/confirm", {"payment_method": "us_bank_account"})
        self.assertEqual(out["payment_intent"]["status"], "processing")
        self.assertEqual(out["charge"]["status"], "pending")
        self.assertIsNone(out["charge"]["balance_transaction"])
        self.hook(f"payment_intents/{pi['id']}/succeed")
        _, _, pi = self.api("GET", f"/v1/payment_intents/{pi['id']}", [("expand[]", "latest_charge.balance_transaction")])
        self.assertEqual(pi["status"], "succeeded")
        self.assertEqual(pi["latest_charge"]["status"], "succeeded")
        txn = pi["latest_charge"]["balance_transaction"]
        self.assertEqual((txn["fee"], txn["net"]), (500, 179500))  # 0.8% = 1440, capped at 5.00
        self.hook(f"payment_intents/{pi['id']}/succeed", expect=400)

        failing = self.create_pi(6320, types=("us_bank_account",))
        self.hook(f"payment_intents/{failing['id']}/confirm")
        out = self.hook(f"payment_intents/{failing['id']}/fail", {"code": "R01"})
        self.assertEqual(out["payment_intent"]["status"], "requires_payment_method")
        error = out["payment_intent"]["last_payment_error"]
        self.assertEqual((error["type"], error["code"], error["charge"]),
                         ("card_error", "insufficient_funds", out["charge"]["id"]))
        self.assertEqual(error["payment_method"]["type"], "us_bank_account")
        self.assertEqual((out["charge"]["status"], out["charge"]["failure_code"]), ("failed", "insufficient_funds"))
        self.assertEqual(self.event_types(), [
            "payment_intent.created", "payment_intent.processing", "charge.pending",
            "payment_intent.succeeded", "charge.succeeded",
            "payment_intent.created", "payment_intent.processing", "charge.pending",
            "payment_intent.payment_failed", "charge.failed",
        ])
        # A card decline, on an intent not yet confirmed.
        card = self.create_pi(5000)
        out = self.hook(f"payment_intents/{card['id']}/fail")
        self.assertEqual(out["payment_intent"]["last_payment_error"]["code"], "card_declined")
        self.assertEqual(out["payment_intent"]["last_payment_error"]["decline_code"], "generic_decline")

    def paid(self, amount, method="card", account=None):
        pi = self.create_pi(amount, types=(method,), account=account)
        self.hook(f"payment_intents/{pi['id']}/confirm", {"payment_method": method})
        if method == "us_bank_account":
            self.hook(f"payment_intents/{pi['id']}/succeed")
        _, _, pi = self.api("GET", f"/v1/payment_intents/{pi['id']}", account=account)
        return pi

    def test_refund_and_dispute(self):
        pi = self.paid(100000)
        ch_id = pi["latest_charge"]
        self.receiver.take()
        out = self.hook(f"charges/{ch_id}/refund", {"amount": 30000})
        refund, txn = out["refund"], out["balance_transaction"]
        self.assertRegex(refund["id"], r"^re_")
        self.assertEqual((refund["object"], refund["amount"], refund["charge"], refund["status"]),
                         ("refund", 30000, ch_id, "succeeded"))
        self.assertEqual((txn["amount"], txn["fee"], txn["net"], txn["type"], txn["source"]),
                         (-30000, 0, -30000, "refund", refund["id"]))
        self.assertEqual((out["charge"]["amount_refunded"], out["charge"]["refunded"]), (30000, False))
        self.hook(f"charges/{ch_id}/refund", {"amount": 70001}, expect=400)
        [event] = self.delivered()
        self.assertEqual(event["type"], "charge.refunded")
        self.assertEqual(event["data"]["object"]["amount_refunded"], 30000)
        # The rest, through the API (POST /v1/refunds by payment_intent).
        status, _, rest = self.api("POST", "/v1/refunds", [("payment_intent", pi["id"])])
        self.assertEqual((status, rest["amount"]), (200, 70000))
        _, _, ch = self.api("GET", f"/v1/charges/{ch_id}")
        self.assertTrue(ch["refunded"])

        disputed = self.paid(80000)
        self.receiver.take()
        out = self.hook(f"charges/{disputed['latest_charge']}/dispute", {"reason": "fraudulent"})
        dp, txn = out["dispute"], out["balance_transaction"]
        self.assertRegex(dp["id"], r"^dp_")
        self.assertEqual((dp["object"], dp["amount"], dp["charge"], dp["payment_intent"], dp["status"], dp["reason"]),
                         ("dispute", 80000, disputed["latest_charge"], disputed["id"], "needs_response", "fraudulent"))
        self.assertEqual((txn["amount"], txn["fee"], txn["net"], txn["type"], txn["reporting_category"]),
                         (-80000, 1500, -81500, "adjustment", "dispute"))
        self.assertEqual(dp["balance_transactions"][0]["id"], txn["id"])
        self.assertEqual([e["type"] for e in self.delivered()],
                         ["charge.dispute.created", "charge.dispute.funds_withdrawn"])
        self.assertTrue(self.api("GET", f"/v1/charges/{disputed['latest_charge']}")[2]["disputed"])
        self.assertEqual(self.api("GET", f"/v1/disputes/{dp['id']}")[2]["status"], "needs_response")
        self.hook(f"charges/{disputed['latest_charge']}/refund", {}, expect=400)  # charged back already

    def test_payout_reconciles_to_its_balance_transactions(self):
        first, second = self.paid(125000), self.paid(180000, "us_bank_account")
        self.hook(f"charges/{first['latest_charge']}/refund", {"amount": 25000})
        self.receiver.take()
        out = self.hook("payouts", {})
        payout = out["payout"]
        self.assertRegex(payout["id"], r"^po_")
        # 125000 - 3655 + 180000 - 500 - 25000
        self.assertEqual(payout["amount"], 275845)
        self.assertEqual((payout["object"], payout["status"], payout["automatic"], payout["currency"]),
                         ("payout", "paid", True, "usd"))
        self.assertGreater(payout["arrival_date"], payout["created"])
        self.assertEqual(self.api("GET", f"/v1/payouts/{payout['id']}")[2], payout)
        # Page through ?payout= two at a time, as a reconciler does.
        seen, after = [], None
        while True:
            params = [("payout", payout["id"]), ("limit", "2")] + ([("starting_after", after)] if after else [])
            status, _, page = self.api("GET", "/v1/balance_transactions", params)
            self.assertEqual(status, 200, page)
            self.assertEqual((page["object"], page["url"]), ("list", "/v1/balance_transactions"))
            seen += page["data"]
            if not page["has_more"]:
                break
            after = page["data"][-1]["id"]
        self.assertEqual(sorted(t["type"] for t in seen), ["charge", "charge", "refund"])
        self.assertEqual(sum(t["net"] for t in seen), payout["amount"])
        self.assertEqual({t["payout"] for t in seen}, {payout["id"]})
        self.assertEqual([e["type"] for e in self.delivered()],
                         ["payout.created", "payout.paid", "payout.reconciliation_completed"])
        # Nothing left: no second payout; the balance is zero.
        self.hook("payouts", {}, expect=400)
        _, _, balance = self.api("GET", "/v1/balance")
        self.assertEqual(balance["available"][0]["amount"], 0)
        # A dispute afterwards makes the next payout negative.
        self.hook(f"charges/{second['latest_charge']}/dispute")
        negative = self.hook("payouts", {})["payout"]
        self.assertEqual(negative["amount"], -181500)
        _, _, page = self.api("GET", "/v1/balance_transactions", [("payout", negative["id"])])
        self.assertEqual(sum(t["net"] for t in page["data"]), -181500)
        self.assert_error(self.api("GET", "/v1/balance_transactions", [("payout", "po_nope")]), 404,
                          "invalid_request_error", "resource_missing", "payout")

    def test_idempotent_replays_and_mismatch(self):
        params = [("amount", "99000"), ("currency", "usd"), ("metadata[lease_id]", "L9")]
        s1, h1, first = self.api("POST", "/v1/payment_intents", params, key="rent-L9-2026-03")
        s2, h2, again = self.api("POST", "/v1/payment_intents", params, key="rent-L9-2026-03")
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual(first, again)
        self.assertIsNone(h1.get("Idempotent-Replayed"))
        self.assertEqual(h2["Idempotent-Replayed"], "true")
        self.assertEqual(len(self.api("GET", "/v1/payment_intents")[2]["data"]), 1)
        self.assertEqual(self.event_types(), ["payment_intent.created"])
        self.assert_error(self.api("POST", "/v1/payment_intents", params[:2], key="rent-L9-2026-03"), 400,
                          "idempotency_error")
        # The same key on another account is another key.
        acct = self.hook("accounts", {})["id"]
        self.assertNotEqual(self.api("POST", "/v1/payment_intents", params, account=acct, key="rent-L9-2026-03")[2]["id"],
                            first["id"])
        # A request refused by validation is not saved: corrected, the same key runs.
        self.assert_error(self.api("POST", "/v1/payment_intents", [("amount", "10"), ("currency", "usd")], key="k2"),
                          400, "invalid_request_error", "amount_too_small", "amount")
        self.assertEqual(self.api("POST", "/v1/payment_intents", [("amount", "1000"), ("currency", "usd")],
                                  key="k2")[0], 200)
        # A 500 Stripe itself answered (stored) is replayed; an outage's (not stored) is not.
        self.hook("fail_next", {"count": 1, "stored": True})
        self.assert_error(self.api("POST", "/v1/payment_intents", params, key="k3"), 500, "api_error")
        status, headers, _ = self.api("POST", "/v1/payment_intents", params, key="k3")
        self.assertEqual((status, headers["Idempotent-Replayed"]), (500, "true"))
        self.hook("fail_next", {"count": 1})
        self.assertEqual(self.api("POST", "/v1/payment_intents", params, key="k4")[0], 500)
        self.assertEqual(self.api("POST", "/v1/payment_intents", params, key="k4")[0], 200)
        reqs = self.hook_get("requests")
        self.assertEqual(reqs[0]["idempotency_key"], "rent-L9-2026-03")
        self.assertEqual(reqs[0]["params"], {"amount": "99000", "currency": "usd", "metadata": {"lease_id": "L9"}})
        self.assertEqual([r["replayed"] for r in reqs[:3]], [False, True, False])

    def test_connect_scoping(self):
        acct = self.hook("accounts", {"id": "acct_landlord1"})["id"]
        pi = self.paid(90000, account=acct)
        self.assertEqual(pi["status"], "succeeded")
        self.assert_error(self.api("GET", f"/v1/payment_intents/{pi['id']}"), 404, "invalid_request_error",
                          "resource_missing", "id")
        self.assert_error(self.api("GET", f"/v1/payment_intents/{pi['id']}", account="acct_unknown"), 403,
                          "invalid_request_error", "account_invalid")
        self.assertEqual(self.api("GET", "/v1/charges", account=acct)[2]["data"][0]["id"], pi["latest_charge"])
        self.assertEqual(self.api("GET", "/v1/charges")[2]["data"], [])
        events = self.hook_get("events")
        self.assertEqual({e["event"]["account"] for e in events}, {acct})
        self.hook("payouts", {}, expect=400)  # the platform has no balance
        payout = self.hook("payouts", {"account": acct})["payout"]
        self.assertEqual(payout["amount"], 90000 - fake.card_fee(90000))
        _, _, evt = self.api("GET", f"/v1/events/{events[0]['id']}", account=acct)
        self.assertEqual(evt["type"], "payment_intent.created")

    def test_retrieve_account_through_official_library(self):
        import stripe

        acct = self.hook("accounts", {"id": "acct_landlord1"})["id"]
        with mock.patch.multiple(stripe, api_key=KEY, api_base=self.base, max_network_retries=0):
            account = stripe.Account.retrieve(acct)
            self.assertIsInstance(account, stripe.Account)
            self.assertEqual((account.id, account.object, account.type, account.country, account.default_currency),
                             (acct, "account", "standard", "US", "usd"))
            self.assertEqual((account.charges_enabled, account.payouts_enabled, account.details_submitted),
                             (True, True, True))
            self.assertEqual(account.capabilities.to_dict(),
                             {"card_payments": "active", "us_bank_account_ach_payments": "active"})
            self.assertIsNone(account.business_profile.name)
            self.assertIsNone(account.email)
            self.assertEqual(account.metadata.to_dict(), {})
            self.assertIsNone(account.requirements.disabled_reason)
            self.assertIsInstance(account.created, int)
            # As the connected account itself; the platform's own with no id (GET /v1/account).
            self.assertEqual(stripe.Account.retrieve(acct, stripe_account=acct).id, acct)
            self.assertEqual(stripe.Account.retrieve().id, fake.PLATFORM_ACCOUNT)
            self.assertEqual(stripe.Account.retrieve(stripe_account=acct).id, acct)
            with self.assertRaises(stripe.InvalidRequestError) as caught:
                stripe.Account.retrieve("acct_nobody")
        error = caught.exception
        self.assertEqual((error.http_status, error.code, error.param), (404, "resource_missing", "account"))
        self.assertIn("No such account: 'acct_nobody'", error.user_message)
        # The wire: Stripe's fields (no livemode on an Account); through StripeClient too.
        status, _, raw = self.api("GET", f"/v1/accounts/{acct}")
        self.assertEqual(status, 200)
        self.assertNotIn("livemode", raw)
        self.assertEqual(raw, self.api("GET", "/v1/account", account=acct)[2])
        client = stripe.StripeClient(KEY, base_addresses={"api": self.base}, max_network_retries=0)
        self.assertEqual(client.v1.accounts.retrieve(acct).id, acct)
        self.assertEqual(client.v1.accounts.retrieve_current(options={"stripe_account": acct}).id, acct)
        # A connected account sees only itself.
        other = self.hook("accounts", {})["id"]
        self.assert_error(self.api("GET", f"/v1/accounts/{other}", account=acct), 404, "invalid_request_error",
                          "resource_missing", "account")

    def test_account_flags_and_account_updated(self):
        import stripe

        closed = self.hook("accounts", {"id": "acct_nocharges", "charges_enabled": False})
        self.assertEqual((closed["charges_enabled"], closed["payouts_enabled"]), (False, True))
        self.assertEqual(set(closed["capabilities"].values()), {"inactive"})
        self.assertEqual(closed["requirements"]["disabled_reason"], "under_review")
        client = stripe.StripeClient(KEY, base_addresses={"api": self.base}, max_network_retries=0)
        self.assertIs(client.v1.accounts.retrieve("acct_nocharges").charges_enabled, False)
        self.hook("accounts/acct_nocharges", {"charges_enabled": "no"}, expect=400)
        self.hook("accounts/acct_nobody", {"charges_enabled": True}, expect=404)
        self.hook("accounts", {"id": "acct_nocharges"})  # an existing id: nothing changes, no event
        self.assertEqual(self.hook_get("events"), [])
        opened = self.hook("accounts/acct_nocharges", {"charges_enabled": True, "payouts_enabled": False})
        self.assertEqual((opened["charges_enabled"], opened["payouts_enabled"]), (True, False))
        account = client.v1.accounts.retrieve("acct_nocharges")
        self.assertEqual((account.charges_enabled, account.payouts_enabled), (True, False))
        self.assertEqual(account.capabilities.card_payments, "active")
        [event] = self.delivered()
        self.assertEqual((event["type"], event["account"]), ("account.updated", "acct_nocharges"))
        self.assertEqual(event["data"]["object"], opened)
        previous = event["data"]["previous_attributes"]
        self.assertEqual((previous["charges_enabled"], previous["payouts_enabled"]), (False, True))
        self.hook("accounts/acct_nocharges", {"payouts_enabled": False})  # no change: no event
        self.assertEqual(len(self.hook_get("events")), 1)

    def test_webhook_endpoints_per_account(self):
        one, two = self.two_stacks()
        for account in (None, one, two):
            pi = self.create_pi(5000, account=account)
            self.hook(f"payment_intents/{pi['id']}/confirm")
        self.wait_deliveries(9)
        # (An API call's event is delivered after its answer: the hook's may come first.)
        flow = sorted(["payment_intent.created", "payment_intent.succeeded", "charge.succeeded"])
        platform = self.delivered()
        self.assertEqual(sorted(e["type"] for e in platform), flow)
        self.assertTrue(all("account" not in e for e in platform))
        for account, receiver, secret in ((one, self.one, ONE_SECRET), (two, self.two, TWO_SECRET)):
            events = self.delivered(receiver, secret)  # signed with that endpoint's own secret
            self.assertEqual(sorted(e["type"] for e in events), flow)
            self.assertEqual({e["account"] for e in events}, {account})
        urls = {e["account"]: {d["url"] for d in e["deliveries"]} for e in self.hook_get("events")}
        self.assertEqual(urls[one], {f"http://127.0.0.1:{self.one.server_port}/stripe/webhook"})
        # Without its own endpoint, an account's events go to the default one; with none, nowhere.
        self.hook("webhooks", {"url": None, "account": one})
        self.create_pi(5000, account=one)
        self.wait_deliveries(10)
        [event] = self.delivered()
        self.assertEqual(event["account"], one)
        self.hook("webhooks", {"url": None})
        self.create_pi(5000, account=one)
        self.create_pi(5000, account=two)
        self.wait_deliveries(11)
        time.sleep(0.1)
        self.assertEqual(([e["account"] for e in self.delivered(self.two, TWO_SECRET)], self.receiver.take(),
                          self.one.take()), ([two], [], []))
        self.assertEqual(self.hook_get("events")[-2]["deliveries"], [])
        self.hook("webhooks", {"url": self.hook_url, "secrets": [SECRET], "account": "landlord"}, expect=400)
        # reset forgets every endpoint.
        self.hook("reset")
        self.hook("accounts", {"id": two})
        self.create_pi(5000, account=two)
        time.sleep(0.1)
        self.assertEqual(self.two.take(), [])

    def test_hold_and_deliver_scoped_by_account(self):
        one, two = self.two_stacks()
        self.assertEqual(self.hook("hold", {"on": True, "account": one}), {"on": True, "account": one, "queued": 0})
        self.hook("hold", {"on": True, "account": two})
        first, second = self.create_pi(5000, account=one), self.create_pi(6000, account=one)
        self.create_pi(7000, account=two)
        self.create_pi(8000)  # the platform's: not held
        self.wait_deliveries(1)
        time.sleep(0.1)
        self.assertEqual([e["data"]["object"]["amount"] for e in self.delivered()], [8000])
        self.assertEqual((self.one.take(), self.two.take()), ([], []))
        self.assertEqual(self.hook("hold", {"on": True, "account": one})["queued"], 2)
        # Delivering one stack's held events leaves the other's queued.
        out = self.hook("deliver", {"account": one, "order": "lifo"})
        self.assertEqual([d["id"] for d in out], [e["id"] for e in reversed(self.hook_get("events")[:2])])
        self.assertEqual({d["status"] for d in out}, {200})
        got = self.delivered(self.one, ONE_SECRET)
        self.assertEqual([e["data"]["object"]["id"] for e in got], [second["id"], first["id"]])
        self.assertEqual(self.two.take(), [])
        self.assertEqual([r["queued"] for r in self.hook_get("events")], [False, False, True, False])
        self.assertEqual(self.hook("deliver", {"account": one}), [])
        # Releasing one account's hold leaves the other's held.
        self.hook("hold", {"on": False, "account": one})
        self.create_pi(5100, account=one)
        self.create_pi(7100, account=two)
        self.wait_deliveries(4)
        self.assertEqual([e["data"]["object"]["amount"] for e in self.delivered(self.one, ONE_SECRET)], [5100])
        self.assertEqual(self.hook("hold", {"on": True, "account": two})["queued"], 2)
        out = self.hook("deliver", {"account": two})
        self.assertEqual([d["type"] for d in out], ["payment_intent.created"] * 2)
        self.assertEqual([e["data"]["object"]["amount"] for e in self.delivered(self.two, TWO_SECRET)], [7000, 7100])
        # A hold without account holds everything; deliver without account delivers everything, each
        # event to its endpoint; turning it off ends the accounts' holds too.
        self.hook("hold", {"on": True})
        self.create_pi(5200, account=one)
        self.create_pi(8200)
        self.create_pi(7200, account=two)
        self.assertEqual(self.hook("hold", {"on": True})["queued"], 3)
        self.assertEqual(len(self.hook("deliver", {"account": one})), 1)
        self.assertEqual(len(self.delivered(self.one, ONE_SECRET)), 1)
        self.assertEqual(len(self.hook("deliver", {})), 2)
        self.assertEqual([e["data"]["object"]["amount"] for e in self.delivered()], [8200])
        self.assertEqual([e["data"]["object"]["amount"] for e in self.delivered(self.two, TWO_SECRET)], [7200])
        self.hook("hold", {"on": False})
        before = self.delivery_count()
        self.create_pi(7300, account=two)
        self.wait_deliveries(before + 1)
        self.assertEqual([e["data"]["object"]["amount"] for e in self.delivered(self.two, TWO_SECRET)], [7300])
        self.hook("deliver", {"account": 7}, expect=400)

    def test_fail_next_error_and_timeout(self):
        self.hook("fail_next", {"count": 2})
        self.assert_error(self.api("GET", "/v1/balance"), 500, "api_error")
        self.assert_error(self.api("GET", "/v1/balance"), 500, "api_error")
        self.assertEqual(self.api("GET", "/v1/balance")[0], 200)
        # timeout: the call hangs (here 3 s, 15 by default), then answers 500.
        self.hook("fail_next", {"count": 1, "mode": "timeout", "seconds": 3})
        started = time.time()
        with self.assertRaises((socket.timeout, urllib.error.URLError)):
            self.request("GET", "/v1/balance", headers={"Authorization": f"Bearer {KEY}"}, timeout=0.3)
        self.assertLess(time.time() - started, 2)
        self.assertEqual(self.api("GET", "/v1/balance")[0], 200)  # only one was injected
        self.assertEqual([r["status"] for r in self.hook_get("requests")][:3], [500, 500, 200])

    def test_hold_then_deliver_lifo_twice(self):
        self.hook("hold", {"on": True})
        pi = self.create_pi(5000)
        charge = self.hook(f"payment_intents/{pi['id']}/confirm")["charge"]
        time.sleep(0.1)
        self.assertEqual(self.receiver.take(), [])
        records = self.hook_get("events")
        self.assertTrue(all(r["queued"] and r["deliveries"] == [] for r in records))
        out = self.hook("deliver", {"order": "lifo", "repeat": 2})
        order = ["charge.succeeded", "payment_intent.succeeded", "payment_intent.created"]
        self.assertEqual([d["type"] for d in out], order * 2)
        self.assertEqual({d["status"] for d in out}, {200})
        got = self.delivered()
        self.assertEqual([e["type"] for e in got], order * 2)
        self.assertEqual(got[0]["id"], got[3]["id"])  # the same event twice: consumers dedupe on id
        records = self.hook_get("events")
        self.assertEqual([len(r["deliveries"]) for r in records], [2, 2, 2])
        self.assertEqual(self.hook("deliver", {}), [])  # the queue is empty now
        # A failing endpoint's status is recorded; resend delivers one event again.
        self.hook("hold", {"on": False})
        self.receiver.status = 500
        self.hook(f"charges/{charge['id']}/refund")
        refunded = self.hook_get("events")[-1]
        self.assertEqual((refunded["type"], refunded["deliveries"][-1]["status"]), ("charge.refunded", 500))
        self.receiver.status = 200
        self.assertEqual(self.hook(f"events/{refunded['id']}/resend")["status"], 200)
        self.assertEqual([d["status"] for d in self.hook_get("events")[-1]["deliveries"]], [500, 200])

    def test_signature_with_rotated_secrets(self):
        import stripe

        self.hook("webhooks", {"url": self.hook_url, "secrets": [SECRET, OLD_SECRET]})
        self.create_pi(5000)
        self.wait_deliveries(1)
        [(headers, body)] = self.receiver.take()
        header = headers["Stripe-Signature"]
        parts = header.split(",")
        self.assertTrue(parts[0].startswith("t="))
        self.assertEqual([p[:3] for p in parts[1:]], ["v1=", "v1="])
        self.assertLessEqual(abs(int(parts[0][2:]) - time.time()), 5)
        self.assertEqual(headers["Content-Type"], "application/json; charset=utf-8")
        for secret in (SECRET, OLD_SECRET):
            event = stripe.Webhook.construct_event(body, header, secret)
            self.assertEqual(event.type, "payment_intent.created")
            self.assertEqual(event.data.object.amount, 5000)
        for bad in (lambda: stripe.Webhook.construct_event(body, header, "whsec_wrong"),
                    lambda: stripe.Webhook.construct_event(body.replace(b"5000", b"5001"), header, SECRET)):
            with self.assertRaises(stripe.SignatureVerificationError):
                bad()
        # A stale timestamp (301 s) fails the library's default 300 s tolerance.
        self.hook("webhooks", {"url": self.hook_url, "secrets": [SECRET], "timestamp_offset": -301})
        self.create_pi(5000)
        self.wait_deliveries(2)
        [(headers, body)] = self.receiver.take()
        with self.assertRaises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)

    def test_through_official_client(self):
        import stripe

        client = stripe.StripeClient(KEY, base_addresses={"api": self.base}, max_network_retries=0)
        pi = client.v1.payment_intents.create(params={
            "amount": 125000, "currency": "usd", "payment_method_types": ["card", "us_bank_account"],
            "metadata": {"lease_id": "lease-7", "period": "2026-03"}, "description": "Rent",
        }, options={"idempotency_key": "official-1"})
        self.assertEqual((pi.object, pi.status, pi.amount, pi.currency), ("payment_intent", "requires_payment_method",
                                                                          125000, "usd"))
        self.assertEqual(pi.payment_method_types, ["card", "us_bank_account"])
        self.assertEqual(pi.metadata.to_dict(), {"lease_id": "lease-7", "period": "2026-03"})
        self.assertEqual(self.hook_get("requests")[0]["idempotency_key"], "official-1")
        self.hook(f"payment_intents/{pi.id}/confirm", {"payment_method": "us_bank_account"})
        self.assertEqual(client.v1.payment_intents.retrieve(pi.id).status, "processing")
        self.hook(f"payment_intents/{pi.id}/succeed")
        got = client.v1.payment_intents.retrieve(pi.id, params={"expand": ["latest_charge.balance_transaction"]})
        self.assertEqual(got.latest_charge.balance_transaction.fee, 500)
        with self.assertRaises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.create(params={"amount": 10, "currency": "usd"})
        self.assertEqual((caught.exception.code, caught.exception.param, caught.exception.http_status),
                         ("amount_too_small", "amount", 400))
        with self.assertRaises(stripe.IdempotencyError):
            client.v1.payment_intents.create(params={"amount": 999, "currency": "usd"},
                                             options={"idempotency_key": "official-1"})
        with self.assertRaises(stripe.PermissionError):
            client.v1.payment_intents.retrieve(pi.id, options={"stripe_account": "acct_nobody"})
        with self.assertRaises(stripe.AuthenticationError):
            stripe.StripeClient("sk_live_nope_nope", base_addresses={"api": self.base}).v1.balance.retrieve()
        acct = self.hook("accounts", {})["id"]
        connected = client.v1.payment_intents.create(params={"amount": 7000, "currency": "usd"},
                                                     options={"stripe_account": acct})
        with self.assertRaises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.retrieve(connected.id)
        self.assertEqual(caught.exception.http_status, 404)
        payout = self.hook("payouts", {})["payout"]
        txns = client.v1.balance_transactions.list(params={"payout": payout["id"], "limit": 100})
        self.assertEqual(sum(t.net for t in txns.data), payout["amount"])
        self.assertEqual(client.v1.payouts.retrieve(payout["id"]).status, "paid")


if __name__ == "__main__":
    unittest.main(verbosity=2)

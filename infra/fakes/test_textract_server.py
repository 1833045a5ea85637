"""Self-check of the Textract fake (`textract_server.py`): starts it on a free port in a thread and
calls it over HTTP with `Document.Bytes`, so no S3 emulator is needed. One test goes through
boto3's own Textract client, to check the wire format against a real SDK.

Usage: .venv/bin/python infra/fakes/test_textract_server.py
"""

import base64
import json
import os
import sys
import threading
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import textract_server as fake  # noqa: E402

RECEIPT = ("ACME PLUMBING LLC", "Vendor: Acme Plumbing", "Date: 2026-03-09", "Subtotal: $1,100.00", "Total: $1,234.56")


class TextractFakeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # S3 is never reached here; a closed port makes any attempt fail loudly.
        cls.server = fake.make_server(0, s3_endpoint="http://127.0.0.1:9", quiet=True)
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        self.post("/_fake/textract/reset", {})

    # -- helpers

    def request(self, path, body=None, headers=None, method="POST"):
        """(status, headers, body bytes) of one request; HTTP errors are answers too."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def post(self, path, body):
        return self.request(path, body, {"Content-Type": "application/json"})

    def analyze(self, document_bytes, target=fake.TARGET):
        body = {"Document": {"Bytes": base64.b64encode(document_bytes).decode()}}
        headers = {"Content-Type": fake.JSON_11, "X-Amz-Target": target}
        status, headers, raw = self.request("/", body, headers)
        return status, headers, json.loads(raw)

    def calls(self):
        return json.loads(self.request("/_fake/textract/calls", method="GET")[2])

    def assert_error(self, answer, status, name):
        got_status, headers, body = answer
        self.assertEqual(got_status, status, body)
        self.assertEqual(headers["x-amzn-ErrorType"], name)
        self.assertEqual(body["__type"], name)
        self.assertTrue(body["message"])

    # -- tests

    def test_health(self):
        status, _, body = self.request("/_fake/textract/health", method="GET")
        self.assertEqual((status, body), (200, b"ok"))

    def test_readable_pdf(self):
        status, headers, body = self.analyze(fake.sample_pdf(*RECEIPT))
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], fake.JSON_11)
        self.assertEqual(body["DocumentMetadata"], {"Pages": 1})
        [doc] = body["ExpenseDocuments"]
        self.assertEqual(doc["ExpenseIndex"], 1)
        self.assertEqual(doc["LineItemGroups"], [])
        fields = {f["Type"]["Text"]: f for f in doc["SummaryFields"]}
        self.assertEqual(list(fields), ["VENDOR_NAME", "INVOICE_RECEIPT_DATE", "TOTAL"])
        self.assertEqual(fields["VENDOR_NAME"]["ValueDetection"], {"Text": "Acme Plumbing", "Confidence": 97.4})
        self.assertEqual(fields["INVOICE_RECEIPT_DATE"]["ValueDetection"]["Text"], "2026-03-09")
        self.assertEqual(fields["TOTAL"]["ValueDetection"]["Text"], "$1,234.56")  # not the Subtotal
        for f in doc["SummaryFields"]:
            self.assertEqual(f["PageNumber"], 1)
            self.assertGreater(f["Type"]["Confidence"], 99)
        self.assertEqual(self.calls(), [{"bucket": None, "key": None, "outcome": "ok"}])

    def test_deflated_pdf_and_us_date(self):
        # A PDF writer's usual FlateDecode content stream is read too.
        content = fake.zlib.compress(b"BT (Vendor: Bob's Hardware) Tj (Date: 03/09/2026) Tj ET")
        pdf = b"%PDF-1.7\n4 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + content + b"\nendstream\nendobj\n%%EOF\n"
        _, _, body = self.analyze(pdf)
        values = [f["ValueDetection"]["Text"] for f in body["ExpenseDocuments"][0]["SummaryFields"]]
        self.assertEqual(values, ["Bob's Hardware", "03/09/2026"])

    def test_unreadable_png(self):
        status, _, body = self.analyze(fake.sample_png("a photo of a cat"))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["ExpenseDocuments"], [{"ExpenseIndex": 1, "SummaryFields": [], "LineItemGroups": []}])

    def test_png_and_jpeg_text_with_confidence_override(self):
        for document in (fake.sample_png(*RECEIPT, "Confidence: 42.5"), fake.sample_jpeg(*RECEIPT, "Confidence: 42.5")):
            status, _, body = self.analyze(document)
            self.assertEqual(status, 200, body)
            fields = body["ExpenseDocuments"][0]["SummaryFields"]
            self.assertEqual([f["ValueDetection"]["Text"] for f in fields], ["Acme Plumbing", "2026-03-09", "$1,234.56"])
            self.assertEqual({f["ValueDetection"]["Confidence"] for f in fields}, {42.5})

    def test_unsupported_type(self):
        self.assert_error(self.analyze(b"GIF89a Vendor: Acme\n"), 400, "UnsupportedDocumentException")
        self.assert_error(self.analyze(b"%PDF-" + b" " * fake.MAX_DOCUMENT_BYTES), 400, "DocumentTooLargeException")
        self.assertEqual([c["outcome"] for c in self.calls()], ["UnsupportedDocumentException", "DocumentTooLargeException"])

    def test_fail_next(self):
        pdf = fake.sample_pdf(*RECEIPT)
        status, _, _ = self.post("/_fake/textract/fail-next", {"count": 2, "error": "ThrottlingException"})
        self.assertEqual(status, 200)
        self.assert_error(self.analyze(pdf), 400, "ThrottlingException")
        self.assert_error(self.analyze(pdf), 400, "ThrottlingException")
        self.assertEqual(self.analyze(pdf)[0], 200)
        self.post("/_fake/textract/fail-next", {"count": 1, "error": "InternalServerError"})
        self.assert_error(self.analyze(pdf), 500, "InternalServerError")
        self.assertEqual(
            [c["outcome"] for c in self.calls()], ["ThrottlingException", "ThrottlingException", "ok", "InternalServerError"]
        )
        # Scoped to a bucket: a Bytes call (no bucket) does not take it.
        self.post("/_fake/textract/fail-next", {"count": 1, "error": "ThrottlingException", "bucket": "other"})
        self.assertEqual(self.analyze(pdf)[0], 200)
        # reset clears the calls and the pending failures.
        self.post("/_fake/textract/fail-next", {"count": 5})
        self.post("/_fake/textract/reset", {})
        self.assertEqual(self.calls(), [])
        self.assertEqual(self.analyze(pdf)[0], 200)

    def test_unknown_target_and_bad_requests(self):
        self.assert_error(self.analyze(b"%PDF-", target="Textract.DetectDocumentText"), 400, "UnknownOperationException")
        headers = {"Content-Type": fake.JSON_11, "X-Amz-Target": fake.TARGET}
        status, h, raw = self.request("/", {"Document": {}}, headers)
        self.assert_error((status, h, json.loads(raw)), 400, "InvalidParameterException")
        self.assertEqual(self.calls(), [{"bucket": None, "key": None, "outcome": "InvalidParameterException"}])

    def test_through_boto3_client(self):
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        client = boto3.client(
            "textract", endpoint_url=self.base, region_name="us-east-1", aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}),
        )
        out = client.analyze_expense(Document={"Bytes": fake.sample_pdf(*RECEIPT)})
        self.assertEqual(out["ExpenseDocuments"][0]["SummaryFields"][0]["ValueDetection"]["Text"], "Acme Plumbing")
        with self.assertRaises(client.exceptions.UnsupportedDocumentException):
            client.analyze_expense(Document={"Bytes": b"plain text"})
        with self.assertRaises(ClientError) as caught:  # S3 unreachable in this test: a 500
            client.analyze_expense(Document={"S3Object": {"Bucket": "receipts", "Name": "k.pdf"}})
        self.assertEqual(caught.exception.response["Error"]["Code"], "InternalServerError")


if __name__ == "__main__":
    unittest.main(verbosity=2)

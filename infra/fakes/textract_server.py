"""A local fake of Amazon Textract's `AnalyzeExpense`, which moto does not implement.

The Rust code calls it through the real `aws-sdk-textract` client pointed at this server
(`TEXTRACT_ENDPOINT_URL`, exported by `infra/scripts/with-emulator.sh`, `dev.sh` and `fuzz.sh`,
which start it through `infra/scripts/textract-fake.sh`). It is deterministic: what it "reads" from a receipt is fixed by the rules below, so tests craft the
document they need.

Wire protocol (AWS JSON 1.1, as the SDKs send it; the SigV4 signature is not checked):

* `POST /`, header `X-Amz-Target: Textract.AnalyzeExpense`, body
  `{"Document": {"S3Object": {"Bucket": "...", "Name": "...", "Version": "..."}}}` (Version
  optional) or `{"Document": {"Bytes": "<base64>"}}`. Any other target answers 400
  `UnknownOperationException`.
* An error is status 400 (500 for `InternalServerError`) with header `x-amzn-ErrorType: <Name>` and
  body `{"__type": "<Name>", "message": "..."}`, which is what the SDKs parse.
* S3 objects are read from the emulator at `AWS_ENDPOINT_URL` (default http://127.0.0.1:4566;
  path-style, us-east-1, dummy credentials). A missing bucket, key or version is
  `InvalidS3ObjectException`; a document over 10 MiB is `DocumentTooLargeException`; anything but a
  PDF (`%PDF-`), PNG or JPEG by its magic bytes is `UnsupportedDocumentException`; a malformed
  request is `InvalidParameterException` (`SerializationException` if the body is not JSON).

Reading a receipt. The bytes are decoded as latin-1 (uncompressed as they are, plus the inflated
text of any zlib/FlateDecode stream a PDF carries) and searched case-insensitively; the first
match of each rule wins:

    Vendor: <text>              VENDOR_NAME: the text up to the end of the line, a `)`, or any
                                other control character, trimmed (so a name cannot hold `)`)
    Date: <YYYY-MM-DD>          INVOICE_RECEIPT_DATE: the date exactly as written (not checked
    Date: <MM/DD/YYYY>          for being a real day, so tests can feed an impossible one)
    Total: <amount>             TOTAL: the amount as written: an optional `-`, an optional `$`,
                                digits with optional thousands commas and decimals
                                (`$1,234.56`, `1234.5`, `-$3.00`); `Subtotal:` does not count
    Confidence: <0-100>         not a field: sets the value confidence of every field found
                                (e.g. `Confidence: 42.5` to simulate a poor read)

The fields come back in that order (vendor, date, total), each on page 1, with fixed confidences
(type 99.x, value 90-98, see `_FIELDS`). A receipt with none of them is "unreadable": still a 200,
with one expense document and no summary fields. `DocumentMetadata.Pages` is always 1 and
`LineItemGroups` always empty.

So a PDF whose content stream has `(Vendor: Acme Plumbing) Tj (Date: 2026-03-09) Tj (Total:
$1,234.56) Tj` reads as all three, as does a PNG with a `tEXt` chunk (or a JPEG with a COM segment)
holding "Vendor: Acme Plumbing\\nDate: 2026-03-09\\nTotal: $1,234.56\\n" (end each field with a
newline there, so the value does not run into the binary bytes after it). `sample_pdf`,
`sample_png` and `sample_jpeg` below build such documents.

Test hooks (plain HTTP, not AWS-shaped):

* `GET /_fake/textract/health` answers 200 `ok`.
* `GET /_fake/textract/calls` lists every AnalyzeExpense call in the order answered, as
  `{"bucket", "key", "outcome"}` (outcome `ok` or the error name; bucket and key are null for
  `Document.Bytes`). `?bucket=NAME` lists only that bucket's calls.
* `POST /_fake/textract/fail-next` with `{"count": n, "error": "ThrottlingException"}` makes the
  next n calls fail with that error (400; 500 for `InternalServerError`) before anything else is
  checked; it replaces the previous setting (`count: 0` cancels it). Defaults: count 1,
  ThrottlingException; `"message"` is optional. With `"bucket": NAME` it applies only to calls on
  that bucket (and is consumed before an unscoped one), so tests running in parallel, each with
  its own bucket, do not take each other's failures.
* `POST /_fake/textract/reset` forgets the calls and pending failures (`{"bucket": NAME}`: only
  that bucket's).
* `GET /_fake/textract/config` answers `{"s3Endpoint": ...}` (the scripts check it before reusing
  a running fake).

Note that the SDKs retry `ThrottlingException` and `InternalServerError` (3 attempts in all by
default), so one injected failure is usually invisible to the caller: inject as many as attempts.

Usage: python infra/fakes/textract_server.py [--port PORT]   (default $TEXTRACT_FAKE_PORT or 4599)
"""

import argparse
import base64
import binascii
import json
import os
import re
import struct
import sys
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_PORT = 4599
DEFAULT_S3_ENDPOINT = "http://127.0.0.1:4566"
# Textract's limit for a synchronous call's document (and the largest request body read at all).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 16 * 1024 * 1024
TARGET = "Textract.AnalyzeExpense"
JSON_11 = "application/x-amz-json-1.1"


class TextractError(Exception):
    """An error answered the way Textract does: its name is the `__type` and `x-amzn-ErrorType`."""

    def __init__(self, name, message, status=None):
        super().__init__(message)
        self.name = name
        self.message = message
        self.status = status if status is not None else (500 if name == "InternalServerError" else 400)


# --- Reading a document ---------------------------------------------------------------------------

_MAGIC = ((b"%PDF-", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"))


def document_kind(data):
    """PDF, PNG or JPEG by the magic bytes; anything else is refused as Textract would."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    raise TextractError("UnsupportedDocumentException", "Request has unsupported document format")


# A value runs to the end of its line, a `)` (a PDF string's end) or any other control character
# (binary bytes after a PNG/JPEG text chunk).
_VENDOR = re.compile(r"\bvendor:[ \t]*([^\x00-\x1f\x7f)]+)", re.IGNORECASE)
_DATE = re.compile(r"\bdate:[ \t]*(\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})(?!\d)", re.IGNORECASE)
_TOTAL = re.compile(r"\btotal:[ \t]*(-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)", re.IGNORECASE)
_CONFIDENCE = re.compile(r"\bconfidence:[ \t]*(\d{1,3}(?:\.\d+)?)", re.IGNORECASE)
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)

# (Type.Text, rule, Type.Confidence, ValueDetection.Confidence), in the order answered.
_FIELDS = (
    ("VENDOR_NAME", _VENDOR, 99.2, 97.4),
    ("INVOICE_RECEIPT_DATE", _DATE, 99.6, 95.8),
    ("TOTAL", _TOTAL, 99.4, 96.3),
)


def document_text(data, kind):
    """The text the rules search: the bytes as latin-1, and for a PDF also whatever its
    compressed streams inflate to (most PDF writers deflate content streams)."""
    parts = [data.decode("latin-1")]
    if kind == "PDF":
        for stream in _PDF_STREAM.findall(data):
            try:
                parts.append(zlib.decompress(stream).decode("latin-1"))
            except zlib.error:
                pass  # not deflated (already searched as is) or another filter
    return "\n".join(parts)


def summary_fields(text):
    """The SummaryFields the rules find in `text` (see the module docstring)."""
    override = _CONFIDENCE.search(text)
    value_confidence = min(float(override.group(1)), 100.0) if override else None
    fields = []
    for type_text, rule, type_confidence, default_confidence in _FIELDS:
        value = next((m.group(1).strip() for m in rule.finditer(text) if m.group(1).strip()), None)
        if value is None:
            continue
        fields.append({
            "Type": {"Text": type_text, "Confidence": type_confidence},
            "ValueDetection": {
                "Text": value,
                "Confidence": value_confidence if value_confidence is not None else default_confidence,
            },
            "PageNumber": 1,
        })
    return fields


def analyze_expense(data):
    """The AnalyzeExpense response for a document's bytes, or a TextractError."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise TextractError("DocumentTooLargeException", "S3 object size or document bytes exceed the maximum of 10 MB")
    kind = document_kind(data)
    return {
        "DocumentMetadata": {"Pages": 1},
        "ExpenseDocuments": [
            {"ExpenseIndex": 1, "SummaryFields": summary_fields(document_text(data, kind)), "LineItemGroups": []}
        ],
    }


# --- Documents for tests ----------------------------------------------------------------------------


def sample_pdf(*lines):
    """A valid one-page PDF showing each line (one `(line) Tj` each, uncompressed)."""
    def escape(s):
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = "".join(f"({escape(line)}) Tj T* " for line in lines)
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {shown}ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sample_png(*lines):
    """A valid 1x1 white PNG whose `tEXt` chunk ("Comment") holds the lines, each ended by a
    newline (no lines: no text chunk)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    text = [chunk(b"tEXt", b"Comment\x00" + "".join(f"{line}\n" for line in lines).encode("latin-1"))] if lines else []
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)),
        *text,
        chunk(b"IDAT", zlib.compress(b"\x00\xff")),
        chunk(b"IEND", b""),
    ])


def sample_jpeg(*lines):
    """JPEG markers with the lines in a COM segment: right magic bytes and structure, but no image
    data (the fake only looks at the magic bytes and the text)."""
    comment = "".join(f"{line}\n" for line in lines).encode("latin-1")
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    com = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment if lines else b""
    return b"\xff\xd8" + jfif + com + b"\xff\xd9"


# --- State --------------------------------------------------------------------------------------


class FakeState:
    """The calls answered and the failures to inject, shared by the request threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._calls = []
        # bucket (None: any call) -> [remaining count, error name, message]
        self._failures = {}

    def record(self, bucket, key, outcome):
        with self._lock:
            self._calls.append({"bucket": bucket, "key": key, "outcome": outcome})

    def calls(self, bucket=None):
        with self._lock:
            return [dict(c) for c in self._calls if bucket is None or c["bucket"] == bucket]

    def fail_next(self, count, error, message, bucket):
        with self._lock:
            if count > 0:
                self._failures[bucket] = [count, error, message]
            else:
                self._failures.pop(bucket, None)

    def take_failure(self, bucket):
        """The error this call must fail with, if one is pending for its bucket or for any call."""
        with self._lock:
            for scope in ((bucket, None) if bucket is not None else (None,)):
                pending = self._failures.get(scope)
                if pending:
                    pending[0] -= 1
                    if pending[0] <= 0:
                        del self._failures[scope]
                    return TextractError(pending[1], pending[2])
            return None

    def reset(self, bucket=None):
        with self._lock:
            if bucket is None:
                self._calls.clear()
                self._failures.clear()
            else:
                self._calls = [c for c in self._calls if c["bucket"] != bucket]
                self._failures.pop(bucket, None)


class S3Source:
    """Reads documents from the S3 emulator. The boto3 client is made on first use (a session is
    not thread-safe to create; the client is safe to share)."""

    def __init__(self, endpoint):
        self.endpoint = endpoint.rstrip("/")
        self._lock = threading.Lock()
        self._client = None

    def _s3(self):
        with self._lock:
            if self._client is None:
                import boto3
                from botocore.config import Config

                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self.endpoint,
                    region_name="us-east-1",
                    aws_access_key_id="test",
                    aws_secret_access_key="test",
                    # One attempt, short connect timeout: an emulator that is down shows at once.
                    config=Config(
                        s3={"addressing_style": "path"},
                        retries={"total_max_attempts": 1},
                        connect_timeout=2,
                        read_timeout=30,
                    ),
                )
            return self._client

    def read(self, bucket, key, version):
        from botocore.exceptions import BotoCoreError, ClientError

        args = {"Bucket": bucket, "Key": key}
        if version:
            args["VersionId"] = version
        try:
            obj = self._s3().get_object(**args)
        except ClientError as e:
            # NoSuchBucket, NoSuchKey, NoSuchVersion, AccessDenied, ...: Textract says the same for all.
            code = e.response.get("Error", {}).get("Code", "?")
            raise TextractError(
                "InvalidS3ObjectException",
                f"Unable to get object metadata from S3. Check object key, region and/or access permissions. ({code})",
            ) from e
        except BotoCoreError as e:
            raise TextractError("InternalServerError", f"the fake could not read S3 at {self.endpoint}: {e}") from e
        body = obj["Body"]
        try:
            if obj.get("ContentLength", 0) > MAX_DOCUMENT_BYTES:
                raise TextractError("DocumentTooLargeException", "S3 object size exceeds the maximum of 10 MB")
            return body.read()
        finally:
            body.close()


# --- HTTP ---------------------------------------------------------------------------------------


def parse_document(request):
    """(bucket, key, version) for an S3Object or (None, None, bytes) for Bytes; else a TextractError."""
    document = request.get("Document") if isinstance(request, dict) else None
    if not isinstance(document, dict):
        raise TextractError("InvalidParameterException", "Document is required")
    s3_object, raw = document.get("S3Object"), document.get("Bytes")
    if (s3_object is None) == (raw is None):
        raise TextractError("InvalidParameterException", "Document needs exactly one of S3Object and Bytes")
    if raw is not None:
        try:
            data = base64.b64decode(raw, validate=True) if isinstance(raw, str) else b""
        except (binascii.Error, ValueError):
            raise TextractError("InvalidParameterException", "Document.Bytes is not valid base64") from None
        if not data:
            raise TextractError("InvalidParameterException", "Document.Bytes is empty")
        return None, None, data
    if not isinstance(s3_object, dict):
        raise TextractError("InvalidParameterException", "Document.S3Object must be an object")
    bucket, key, version = s3_object.get("Bucket"), s3_object.get("Name"), s3_object.get("Version")
    if not (isinstance(bucket, str) and bucket and isinstance(key, str) and key):
        raise TextractError("InvalidParameterException", "Document.S3Object needs Bucket and Name")
    if version is not None and not isinstance(version, str):
        raise TextractError("InvalidParameterException", "Document.S3Object.Version must be a string")
    return bucket, key, version


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps the SDK's pooled connections open; every answer carries a Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "TextractFake/1"

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
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status, value):
        self._send(status, json.dumps(value).encode(), "application/json")

    def _aws(self, status, value, error=None):
        headers = [("x-amzn-RequestId", str(uuid.uuid4()))]
        if error is not None:
            headers.append(("x-amzn-ErrorType", error))
        self._send(status, json.dumps(value).encode(), JSON_11, headers)

    def _aws_error(self, e):
        self._aws(e.status, {"__type": e.name, "message": e.message}, error=e.name)

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)

    # -- routes

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_fake/textract/health":
            self._send(200, b"ok", "text/plain")
        elif url.path == "/_fake/textract/calls":
            bucket = parse_qs(url.query).get("bucket", [None])[0]
            self._json(200, self.server.state.calls(bucket))
        elif url.path == "/_fake/textract/config":
            self._json(200, {"s3Endpoint": self.server.s3.endpoint})
        else:
            self._json(404, {"message": f"no route GET {url.path}"})

    def do_POST(self):
        body = self._body()
        path = urlsplit(self.path).path
        if path.startswith("/_fake/textract/"):
            return self._hook(path, body)
        if body is None:
            return self._aws_error(TextractError("DocumentTooLargeException", "request larger than 16 MB"))
        target = self.headers.get("X-Amz-Target", "")
        if path != "/" or target != TARGET:
            return self._aws_error(TextractError(
                "UnknownOperationException", f"the Textract fake serves only {TARGET} (got {target or 'no target'!r})"
            ))
        self._analyze_expense(body)

    def _analyze_expense(self, body):
        state = self.server.state
        bucket = key = None
        try:
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                request = None
            # The bucket and key are read before any check, so that a failure scoped to a bucket
            # applies to its calls and every call is listed under what it asked for.
            document = request.get("Document") if isinstance(request, dict) else None
            s3_object = document.get("S3Object") if isinstance(document, dict) else None
            if isinstance(s3_object, dict):
                bucket = s3_object.get("Bucket") if isinstance(s3_object.get("Bucket"), str) else None
                key = s3_object.get("Name") if isinstance(s3_object.get("Name"), str) else None
            injected = state.take_failure(bucket)
            if injected is not None:
                raise injected
            if request is None:
                raise TextractError("SerializationException", "the request body is not JSON")
            bucket, key, source = parse_document(request)
            data = source if bucket is None else self.server.s3.read(bucket, key, source)
            response = analyze_expense(data)
        except TextractError as e:
            state.record(bucket, key, e.name)
            self._log_call(bucket, key, e.name)
            return self._aws_error(e)
        state.record(bucket, key, "ok")
        self._log_call(bucket, key, "ok")
        self._aws(200, response)

    def _log_call(self, bucket, key, outcome):
        if not self.server.quiet:
            where = f"s3://{bucket}/{key}" if bucket is not None else "<bytes>"
            sys.stderr.write(f"AnalyzeExpense {where} -> {outcome}\n")

    def _hook(self, path, body):
        try:
            args = json.loads(body) if body else {}
            if not isinstance(args, dict):
                raise ValueError("the body must be a JSON object")
            bucket = args.get("bucket")
            if bucket is not None and not isinstance(bucket, str):
                raise ValueError("bucket must be a string")
            if path == "/_fake/textract/fail-next":
                count, error = args.get("count", 1), args.get("error", "ThrottlingException")
                if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    raise ValueError("count must be a non-negative integer")
                if not isinstance(error, str) or not error:
                    raise ValueError("error must be an error name")
                message = args.get("message") or f"injected {error} (fake fail-next)"
                self.server.state.fail_next(count, error, str(message), bucket)
                return self._json(200, {"count": count, "error": error, "bucket": bucket})
            if path == "/_fake/textract/reset":
                self.server.state.reset(bucket)
                return self._send(200, b"ok", "text/plain")
        except (ValueError, TypeError) as e:
            return self._json(400, {"message": str(e)})
        self._json(404, {"message": f"no route POST {path}"})


class TextractFake(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, port, s3_endpoint, quiet=False):
        super().__init__((host, port), Handler)
        self.state = FakeState()
        self.s3 = S3Source(s3_endpoint)
        self.quiet = quiet


def make_server(port=0, s3_endpoint=None, quiet=False):
    """A fake on 127.0.0.1 (port 0: a free one, see `server_port`); call `serve_forever()`."""
    endpoint = s3_endpoint or os.environ.get("AWS_ENDPOINT_URL") or DEFAULT_S3_ENDPOINT
    return TextractFake("127.0.0.1", port, endpoint, quiet)


def main():
    parser = argparse.ArgumentParser(description="Local fake of Textract AnalyzeExpense (see the module docstring).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("TEXTRACT_FAKE_PORT") or DEFAULT_PORT))
    args = parser.parse_args()
    server = make_server(args.port)
    print(f"Textract fake on http://127.0.0.1:{server.server_port} (S3 from {server.s3.endpoint})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

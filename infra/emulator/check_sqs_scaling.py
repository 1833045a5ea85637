"""Checks the emulator's SQS patches (see moto_server.py): the queue counts stay right, and the
cost of one message does not grow with the queue's length.

For two queue sizes it sends N messages (batches of 10), reads the queue's counts, receives and
deletes them all, and prints the cost per message of each phase; with the patches the two sizes
cost about the same per message (linear in N overall), without them (`--unpatched`) the larger
queue costs several times more per message (quadratic overall). It also times an idle
`ReceiveMessage` on a queue whose messages are all in flight, which is what every `make dev`
pump does a few times a second. The counts are asserted; the timings are only printed.

Usage: .venv/bin/python infra/emulator/check_sqs_scaling.py [--unpatched] [SMALL LARGE]
"""

import os
import sys
import time

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

args = [a for a in sys.argv[1:] if a != "--unpatched"]
if "--unpatched" not in sys.argv:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import moto_server  # noqa: F401  (applies the patches)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

SMALL, LARGE = (int(args[0]), int(args[1])) if len(args) == 2 else (1000, 5000)


def counts(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (
        int(a["ApproximateNumberOfMessages"]),
        int(a["ApproximateNumberOfMessagesNotVisible"]),
        int(a["ApproximateNumberOfMessagesDelayed"]),
    )


def run(sqs, n):
    url = sqs.create_queue(QueueName=f"scaling-{n}")["QueueUrl"]
    t0 = time.perf_counter()
    for start in range(0, n, 10):
        entries = [{"Id": str(i), "MessageBody": f"message {start + i}"} for i in range(min(10, n - start))]
        out = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert not out.get("Failed"), out
    send = time.perf_counter() - t0
    assert counts(sqs, url) == (n, 0, 0), counts(sqs, url)

    # Receive everything (in flight for an hour), then an idle receive on the all-in-flight queue.
    t0 = time.perf_counter()
    handles = []
    while len(handles) < n:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=3600).get("Messages", [])
        assert got, f"only {len(handles)} of {n} received"
        handles.extend(m["ReceiptHandle"] for m in got)
    receive = time.perf_counter() - t0
    assert counts(sqs, url) == (0, n, 0), counts(sqs, url)
    t0 = time.perf_counter()
    for _ in range(200):
        assert not sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages")
    idle = (time.perf_counter() - t0) / 200

    # One message made visible again comes back; then delete them all.
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handles[0], VisibilityTimeout=0)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=3600).get("Messages", [])
    assert [m["Body"] for m in again] == ["message 0"], again
    handles[0] = again[0]["ReceiptHandle"]
    t0 = time.perf_counter()
    for start in range(0, n, 10):
        entries = [{"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(handles[start : start + 10])]
        out = sqs.delete_message_batch(QueueUrl=url, Entries=entries)
        assert not out.get("Failed"), out
    delete = time.perf_counter() - t0
    assert counts(sqs, url) == (0, 0, 0), counts(sqs, url)
    per = lambda s: s / n * 1e6  # noqa: E731
    print(
        f"{n:>6} messages: send {per(send):7.1f} µs/msg   receive {per(receive):7.1f} µs/msg   "
        f"delete {per(delete):7.1f} µs/msg   idle receive (all in flight) {idle * 1e3:6.2f} ms"
    )
    return per(send), per(receive), per(delete), idle


def main():
    print("moto SQS", "unpatched" if "--unpatched" in sys.argv else "with moto_server.py's patches")
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        small = run(sqs, SMALL)
        large = run(sqs, LARGE)
    names = ["send", "receive", "delete", "idle receive"]
    ratios = "   ".join(f"{name} ×{b / a:.1f}" for name, a, b in zip(names, small, large))
    print(f"cost per message at {LARGE} vs {SMALL} (1.0 = linear overall): {ratios}")


if __name__ == "__main__":
    main()

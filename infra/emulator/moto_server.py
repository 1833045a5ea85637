"""The pinned moto server, as devstack and the tests run it.

Deliberate differences from `moto_server`, both about the emulator rather than AWS:

* Requests are served one at a time (werkzeug `threaded=False`). moto's DynamoDB backend has no
  locks: a failed transaction restores a snapshot of the whole table, which under concurrent
  requests silently drops other requests' writes. Serialized, moto's transactions behave like
  DynamoDB's (serializable), so the concurrency tests test our conditions, not moto's races.
* `TransactWriteItems` checks every condition first and writes only if all pass, instead of
  writing as it goes and restoring a deep copy of the whole table on failure (moto copies the
  table for every action: 100 actions on a 10 000-item table = 100 full-table copies).
* `GET /_emulator/ses/messages` and `/_emulator/sns/sms` list the email and SMS moto recorded as
  sent (moto's own inspection API is Python-only).
* A condition expression is parsed once per distinct (expression, names, values) instead of
  three times for every action of a transaction.
* A base-table `Query` reads only its partition (moto collects and sorts the whole table for
  every query, so each query got slower as the table grew).
* SQS costs O(1) per message instead of O(queue length): moto recomputes every queue attribute,
  counting all messages three times, on each `SendMessage` and twice per message received; lists
  every visible message to receive one; and scans every message (copying its receipt handles) to
  delete or change the visibility of one. Here the attributes are computed when read, receiving
  stops at the batch it needs, receipt handles are indexed, and a queue with nothing visible
  answers an idle poll without scanning until a message can be visible again (`make dev` polls
  each queue a few times a second). The counts and the order of delivery are moto's.
  `check_sqs_scaling.py` measures it.

Usage: python infra/emulator/moto_server.py HOST PORT
"""

import copy
import json
import os
import sys
import time
from collections.abc import Mapping

from moto.core.utils import camelcase_to_underscores, unix_time_millis
from moto.dynamodb import models as ddb_models
from moto.sqs import models as sqs_models
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)

from moto.dynamodb import comparisons as ddb_comparisons
from moto.dynamodb import responses as ddb_responses

_create_condition_parser = ddb_comparisons.create_condition_expression_parser


class _ParsedCondition:
    """A condition expression parsed once, with what callers read from moto's parser: the tree
    and the attribute names and values it used."""

    def __init__(self, parser):
        self._op = parser.parse()
        self._names_found = list(parser.expr_attr_names_found)
        self._values_found = list(parser.expr_attr_values_found)

    def parse(self):
        return self._op

    @property
    def expr_attr_names_found(self):
        return list(self._names_found)  # callers extend it

    @property
    def expr_attr_values_found(self):
        return list(self._values_found)


_conditions = {}


def _parsed_condition(expr, names, values):
    """moto parses a condition expression again for every action that carries one (three times
    per action of a transaction); parsed trees are pure, so each distinct (expression, names,
    values) is parsed once."""
    try:
        key = (expr, json.dumps(names, sort_keys=True), json.dumps(values, sort_keys=True))
    except TypeError:
        return _create_condition_parser(expr, names, values)
    hit = _conditions.get(key)
    if hit is None:
        hit = _ParsedCondition(_create_condition_parser(expr, names, values))
        if len(_conditions) >= 20_000:
            _conditions.clear()
        _conditions[key] = hit
    return hit


ddb_comparisons.create_condition_expression_parser = _parsed_condition
ddb_responses.create_condition_expression_parser = _parsed_condition

_get_filter_expression = ddb_models.get_filter_expression


def _transact_two_phase(self, transact_items):
    """DynamoDB's semantics without moto's whole-table snapshots: every condition is checked
    against the state before the transaction (a transaction touches an item at most once, so that
    is the state each action sees); only if all pass are the writes applied. A write that fails
    while being applied (an invalid update expression) undoes the ones before it item by item."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    seen = set()
    errors = []
    plan = []
    for item in transact_items:
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        original_item = None
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            marker = (str(table_name), str(dict(sorted(key.items()))))
            if marker in seen:
                raise MultipleTransactionsException()
            seen.add(marker)
            current = self.get_item(table_name, key)
            condition = op.get("ConditionExpression")
            if condition is not None:
                check = _get_filter_expression(
                    condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
                )
                if not check.expr(current):
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
            plan.append((op_type, op, table_name, key))
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))
        except Exception as e:  # noqa: BLE001 (reported per action, as moto does)
            errors.append((type(e).__name__, str(e), original_item))
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)

    undo = []
    for index, (op_type, op, table_name, key) in enumerate(plan):
        if op_type == "ConditionCheck":
            continue
        before = self.get_item(table_name, key)
        undo.append((table_name, key, copy.deepcopy(before.to_json()["Attributes"]) if before else None))
        try:
            if op_type == "Put":
                self.put_item(table_name, op["Item"])
            elif op_type == "Delete":
                self.delete_item(table_name, key)
            else:
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=op.get("ExpressionAttributeNames"),
                    expression_attribute_values=op.get("ExpressionAttributeValues"),
                )
        except Exception as e:  # noqa: BLE001
            for t, k, attrs in reversed(undo[:-1]):
                if attrs is None:
                    self.delete_item(t, k)
                else:
                    self.put_item(t, attrs)
            if isinstance(e, MockValidationException):
                raise
            failed = [(None, None, None)] * len(plan)
            failed[index] = (type(e).__name__, str(e), None)
            raise TransactionCanceledException(failed) from e


ddb_models.DynamoDBBackend.transact_write_items = _transact_two_phase

_Table = ddb_models.Table
_original_query = _Table.query


def _query_one_partition(self, hash_key, *args, **kwargs):
    """A base-table query reads its own partition only. moto gathers and sorts every item of the
    table for each query (O(table log table)); the result is the same from the partition alone."""
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    if index_name:
        return _original_query(self, hash_key, *args, **kwargs)
    partition = self.items.get(hash_key, {})

    def partition_items():
        items = list(partition.values()) if self.range_key_attr else [partition]
        return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)

    self.all_items = partition_items
    try:
        return _original_query(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


_Table.query = _query_one_partition



# --- SQS --------------------------------------------------------------------------------------

_SqsQueue = sqs_models.Queue
_SqsMessage = sqs_models.Message
_COUNTS = {
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible",
}


def _now_ms():
    # moto's `unix_time_millis()` (UTC now since the epoch) without its datetime arithmetic, which
    # cost more than the rest of a scan.
    return time.time() * 1000.0


def _is_visible(m, now):
    # moto's `Message.visible` and `not Message.delayed`, with one clock reading per scan.
    return now > m.visible_at and not now < m.delayed_until


class _QueueAttributes(Mapping):
    """`Queue.attributes` with the same keys and values, each computed when read: the message
    counts (a scan of the queue each) only when asked for, not on every send and receive."""

    def __init__(self, queue):
        self._queue = queue
        keys = list(queue.BASE_ATTRIBUTES)
        if queue.fifo_queue:
            keys += queue.FIFO_ATTRIBUTES
        if queue.kms_master_key_id:
            keys += queue.KMS_ATTRIBUTES
        self._keys = keys
        self._values = {}

    def __getitem__(self, key):
        if key not in self._values:
            if key not in self._keys:
                raise KeyError(key)
            q = self._queue
            value = getattr(q, camelcase_to_underscores(key))
            if key == "RedrivePolicy" and q.redrive_policy:
                value = json.dumps(q.redrive_policy)
            if isinstance(value, bool):
                value = str(value).lower()
            self._values[key] = value
        return self._values[key]

    def __contains__(self, key):
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)


class _Visible:
    """`Queue.messages` (the visible, undelayed messages, oldest first) read lazily: receiving 10
    stops after 10 instead of listing the whole queue first."""

    def __init__(self, queue):
        self._queue = queue

    def __iter__(self):
        now = _now_ms()
        for m in self._queue._messages:
            if _is_visible(m, now):
                yield m

    def __bool__(self):
        now = _now_ms()
        return any(_is_visible(m, now) for m in self._queue._messages)

    def __len__(self):
        now = _now_ms()
        return sum(1 for m in self._queue._messages if _is_visible(m, now))


def _count_delayed(self):
    now = _now_ms()
    return sum(1 for m in self._messages if now < m.delayed_until)


def _count_not_visible(self):
    now = _now_ms()
    return sum(1 for m in self._messages if not now > m.visible_at)


def _pending_message_groups(self):
    # Only FIFO queues deliver by group; moto iterates every in-flight message for the others too.
    if not self.fifo_queue:
        return set()
    return {m.group_id for m in self._pending_messages if m.group_id is not None}


_SqsQueue.attributes = property(_QueueAttributes)
_SqsQueue.messages = property(_Visible)
_SqsQueue.approximate_number_of_messages_delayed = property(_count_delayed)
_SqsQueue.approximate_number_of_messages_not_visible = property(_count_not_visible)
_SqsQueue.pending_message_groups = property(_pending_message_groups)

# Receipt handles -> messages, and each message's current queue (a redriven message moves); kept
# outside the messages, which moto deep-copies.
_by_handle = {}
_queue_of = {}
# Bumped whenever a message may have become visible sooner than a queue last computed.
_epoch = [0]
_original_mark_received = _SqsMessage.mark_received
_original_change_visibility = _SqsMessage.change_visibility
_original_add_message = _SqsQueue.add_message
_original_delete_message = _SqsQueue.delete_message
_original_change_message_visibility = sqs_models.SQSBackend.change_message_visibility
_original_receive_message = sqs_models.SQSBackend.receive_message


def _mark_received(self, visibility_timeout=None):
    _original_mark_received(self, visibility_timeout)
    _by_handle[self.receipt_handle] = self


def _change_visibility(self, visibility_timeout):
    _original_change_visibility(self, visibility_timeout)
    _epoch[0] += 1


def _add_message(self, message):
    _original_add_message(self, message)
    if self._messages and self._messages[-1] is message:
        _queue_of[message] = self
    _epoch[0] += 1


def _owned(queue, receipt_handle):
    m = _by_handle.get(receipt_handle)
    return m if m is not None and _queue_of.get(m) is queue else None


def _delete_message(self, receipt_handle):
    if receipt_handle in self.deleted_messages:
        return
    m = _owned(self, receipt_handle)
    if m is None:
        return _original_delete_message(self, receipt_handle)
    try:
        self._messages.remove(m)
    except ValueError:  # gone without a delete (purged): moto's answer
        return _original_delete_message(self, receipt_handle)
    self.pending_messages.discard(m)
    handles = m.all_receipt_handles
    self.deleted_messages.update(handles)
    for h in handles:
        _by_handle.pop(h, None)
    _queue_of.pop(m, None)


def _change_message_visibility(self, queue_name, receipt_handle, visibility_timeout):
    queue = self.get_queue(queue_name)
    m = _owned(queue, receipt_handle)
    if m is None or m not in queue._messages:
        return _original_change_message_visibility(self, queue_name, receipt_handle, visibility_timeout)
    # moto's loop finds the first message that had this handle: the same one, by index.
    given = unix_time_millis() + int(visibility_timeout) * 1000
    if given - m.sent_timestamp > 43200 * 1000:
        raise sqs_models.InvalidParameterValue(
            f"Value {visibility_timeout} for parameter VisibilityTimeout is invalid. Reason: Total "
            "VisibilityTimeout for the message is beyond the limit [43200 seconds]"
        )
    m.change_visibility(visibility_timeout)
    if m.visible and m in queue.pending_messages:
        queue.pending_messages.remove(m)


def _receive_message(self, queue_name, count, wait_seconds_timeout, visibility_timeout, message_attribute_names=None):
    """An idle short poll answers at once while nothing in the queue can be visible yet (no
    message added or made visible since the queue was last found empty, and the earliest time
    one becomes visible again not reached)."""
    queue = self.get_queue(queue_name)
    idle = getattr(queue, "_devstack_idle", None)
    if not wait_seconds_timeout and idle is not None and idle[0] == _epoch[0] and _now_ms() < idle[1]:
        return []
    epoch = _epoch[0]
    out = _original_receive_message(
        self, queue_name, count, wait_seconds_timeout, visibility_timeout, message_attribute_names
    )
    if not out and not wait_seconds_timeout and epoch == _epoch[0]:
        soonest = min((max(m.visible_at, m.delayed_until) for m in queue._messages), default=float("inf"))
        queue._devstack_idle = (epoch, soonest)
    return out


_SqsMessage.mark_received = _mark_received
_SqsMessage.change_visibility = _change_visibility
_SqsQueue.add_message = _add_message
_SqsQueue.delete_message = _delete_message
sqs_models.SQSBackend.change_message_visibility = _change_message_visibility
sqs_models.SQSBackend.receive_message = _receive_message


def _sent(environ):
    """`GET /_emulator/ses/messages` and `/_emulator/sns/sms`: what moto recorded as sent (its
    own inspection API is Python-only), for tests to read over HTTP."""
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    path = environ.get("PATH_INFO", "")
    if path == "/_emulator/ses/messages":
        out = [
            {"id": m.id, "source": m.source, "destinations": m.destinations, "subject": getattr(m, "subject", None),
             "body": getattr(m, "body", None), "region": region}
            for account in ses_backends.values()
            for region, backend in account.items()
            for m in backend.sent_messages
        ]
    elif path == "/_emulator/sns/sms":
        out = [
            {"id": mid, "phoneNumber": phone, "message": text, "region": region}
            for account in sns_backends.values()
            for region, backend in account.items()
            for mid, (phone, text) in backend.sms_messages.items()
        ]
    else:
        return None
    return json.dumps(out).encode()


_STATS = {}


def _timed(moto_app, environ, start_response):
    """Serves one request and adds its time to `_STATS` under its action (`GET /_emulator/stats`
    answers them, so a benchmark can say what the emulator spent its time on)."""
    import time

    target = environ.get("HTTP_X_AMZ_TARGET", "")
    action = target.rsplit(".", 1)[-1] if target else environ.get("REQUEST_METHOD", "") + " " + environ.get("HTTP_HOST", "").split(".")[0]
    start = time.perf_counter()
    try:
        return list(moto_app(environ, start_response))
    finally:
        n, t = _STATS.get(action, (0, 0.0))
        _STATS[action] = (n + 1, t + time.perf_counter() - start)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ["MOTO_PORT"] = str(port)
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_emulator/stats":
            body = json.dumps({k: {"calls": n, "seconds": round(t, 3)} for k, (n, t) in sorted(_STATS.items())}).encode()
        else:
            body = _sent(environ) if path.startswith("/_emulator/") else None
        if body is None:
            return _timed(moto_app, environ, start_response)
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    run_simple(host, port, app, threaded=False, use_reloader=False)


if __name__ == "__main__":
    main()

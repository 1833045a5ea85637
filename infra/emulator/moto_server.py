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
* A base-table `Query` reads only its partition (moto collects and sorts the whole table for
  every query, so each query got slower as the table grew).

Usage: python infra/emulator/moto_server.py HOST PORT
"""

import copy
import os
import sys

from moto.dynamodb import models as ddb_models
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


def _sent(environ):
    """`GET /_emulator/ses/messages` and `/_emulator/sns/sms`: what moto recorded as sent (its
    own inspection API is Python-only), for tests to read over HTTP."""
    import json

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


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ["MOTO_PORT"] = str(port)
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        body = _sent(environ) if environ.get("PATH_INFO", "").startswith("/_emulator/") else None
        if body is None:
            return moto_app(environ, start_response)
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    run_simple(host, port, app, threaded=False, use_reloader=False)


if __name__ == "__main__":
    main()

"""The pinned moto server, as devstack and the tests run it.

Two deliberate differences from `moto_server`, both about the emulator rather than AWS:

* Requests are served one at a time (werkzeug `threaded=False`). moto's DynamoDB backend has no
  locks: a failed transaction restores a snapshot of the whole table, which under concurrent
  requests silently drops other requests' writes. Serialized, moto's transactions behave like
  DynamoDB's (serializable), so the concurrency tests test our conditions, not moto's races.
* `TransactWriteItems` snapshots each table once per call instead of once per action (moto
  deep-copies the table for every item in the request: 100 actions = 100 full-table copies).

Usage: python infra/emulator/moto_server.py HOST PORT
"""

import copy
import os
import sys
import types

from moto.dynamodb import models as ddb_models
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

_original_transact = ddb_models.DynamoDBBackend.transact_write_items


def _transact_snapshotting_once(self, transact_items):
    snapshots = {}

    def deepcopy_once(obj, memo=None):
        if id(obj) not in snapshots:
            snapshots[id(obj)] = copy.deepcopy(obj, memo)
        return snapshots[id(obj)]

    ddb_models.copy = types.SimpleNamespace(deepcopy=deepcopy_once)
    try:
        return _original_transact(self, transact_items)
    finally:
        ddb_models.copy = copy


ddb_models.DynamoDBBackend.transact_write_items = _transact_snapshotting_once


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ["MOTO_PORT"] = str(port)
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, app, threaded=False, use_reloader=False)


if __name__ == "__main__":
    main()

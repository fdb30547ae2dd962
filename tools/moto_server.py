"""moto in server mode, strictly one request at a time.

moto is not safe for concurrent access: a conditional write or a transaction is a
read-check-write inside moto, so two concurrent requests could both pass their condition.
`moto_server` serves on several threads; this launcher serves moto's own WSGI application
(the one `moto_server` uses) from a single-threaded werkzeug server AND holds a lock around
each request, including the production of the response body.

Usage: python tools/moto_server.py PORT [HOST]   (PORT 0 picks a free port)
Prints one line `moto ready on http://HOST:PORT` once it accepts connections.
"""
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


class SerializedApp:
    """Runs the wrapped WSGI app under one lock, body included."""

    def __init__(self, app):
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/local/outbox":
            with self._lock:
                body = outbox_json(environ.get("QUERY_STRING", ""))
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        status = []

        def recording_start_response(code, headers, exc_info=None):
            status.append(code)
            return start_response(code, headers, exc_info)

        with self._lock:
            result = self._app(environ, recording_start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        if status and not status[0].startswith(("2", "3")) and b"ConditionalCheckFailed" not in body:
            # The AWS error the client got, for the log (moto's access log shows only the status).
            target = environ.get("HTTP_X_AMZ_TARGET", environ.get("PATH_INFO", ""))
            print(f"error {status[0]} {target}: {body[:500].decode('utf-8', 'replace')}", file=sys.stderr, flush=True)
        return [body]


def cheap_transaction_rollback():
    """moto 5.2.5 backs up a transaction by deep-copying every table it touches, so one
    TransactWriteItems costs O(table size): 4 ms on an empty table, 65 ms at 2,000 items, 330 ms at
    10,000 (measured here). Back up only the items the transaction names instead, and restore exactly
    those if it fails. Same all-or-nothing outcome (EmulatorTransactionIT checks it), O(items in it). A failed
    transaction also leaves no record in the table's stream."""
    import copy

    import moto.dynamodb.models as backend_module
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    class TablesAreNotCopied:
        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    backend_module.copy = TablesAreNotCopied
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        backups = []
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName"))
            attrs = op.get("Item") if op_type == "Put" else op.get("Key")
            if table is None or not attrs or table.hash_key_attr not in attrs:
                continue
            hash_value = DynamoType(attrs[table.hash_key_attr])
            range_value = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr and table.range_key_attr in attrs else None
            if table.range_key_attr and range_value is None:
                continue
            backups.append((table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))))
        # moto records each write of the transaction in the table's stream as it applies it: a transaction that
        # fails after some writes would leave stream records of writes that never happened. Drop them too.
        stream_lengths = {id(t): (t, len(t.stream_shard.items)) for t, _, _, _ in backups if t.stream_shard is not None}
        try:
            return original(self, transact_items)
        except Exception:
            for table, length in stream_lengths.values():
                del table.stream_shard.items[length:]
            for table, hash_value, range_value, item in backups:
                if range_value is not None:
                    table.items[hash_value].pop(range_value, None)
                    if item is not None:
                        table.items[hash_value][range_value] = item
                else:
                    table.items.pop(hash_value, None)
                    if item is not None:
                        table.items[hash_value] = item
            raise

    DynamoDBBackend.transact_write_items = transact_write_items


OUTBOX = []


def capture_sesv2_outbox():
    """moto keeps an SES v2 SendEmail's message in its SES backend, but of a Simple message only the HTML body
    (or the text one when there is no HTML). Keep every accepted message whole as well - sender, recipients,
    subject, text, HTML, configuration set, time - for the local outbox (GET /local/outbox?to=ADDRESS)."""
    from moto.sesv2.responses import SESV2Response

    original = SESV2Response.send_email

    def send_email(self):
        result = original(self)
        params = json.loads(self.body)
        simple = params.get("Content", {}).get("Simple", {})
        body = simple.get("Body", {})
        destination = params.get("Destination", {})
        OUTBOX.append({
            "messageId": json.loads(result).get("MessageId"),
            "from": params.get("FromEmailAddress"),
            "to": destination.get("ToAddresses", []) + destination.get("CcAddresses", []) + destination.get("BccAddresses", []),
            "subject": simple.get("Subject", {}).get("Data"),
            "text": body.get("Text", {}).get("Data"),
            "html": body.get("Html", {}).get("Data"),
            "configurationSet": params.get("ConfigurationSetName"),
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        })
        return result

    SESV2Response.send_email = send_email


def outbox_json(query):
    """The captured messages, oldest first; ?to=ADDRESS keeps those sent to it (case-insensitive)."""
    to = parse_qs(query).get("to", [None])[0]
    messages = [m for m in OUTBOX if to is None or to.lower() in (a.lower() for a in m["to"])]
    return json.dumps({"messages": messages}).encode("utf-8")


def partition_direct_query():
    """moto 5.2.5 answers every Query by sorting the WHOLE table (`Table.all_items()`: every item, sorted by its
    keys with Python comparisons), then keeping the items of the partition (a table Query) or of the index's
    partition (a GSI Query), then sorting those again. So a Query's cost grows with everything else in the table,
    O(N log N) in Python: at 10^4 ledger entries a usage report of one ~500-item partition took 40-139 s, the
    first sort being all of it. DynamoDB reads only the partition's key range.

    The first sort is wasted work in both cases: the matches are sorted again afterwards by a total order (a
    table Query by the sort key, unique in a partition; a GSI Query by the index keys then the table keys). So
    during a Query `all_items()` is replaced by: for a table Query, the items of the hash key's partition only
    (`Table.items[hash]`, the dict moto keeps anyway); for a GSI Query, every item unsorted (moto keeps no index,
    it must still walk the table, but with plain comparisons of the hash key's raw value: O(N), no longer
    O(N log N) in Python). The matches come back already in the order moto sorts them into next, by the raw
    values it compares (`DynamoType.cast_value`), so that sort is linear. A table Query that continues from an
    `ExclusiveStartKey` starts right after that key (a bisection of the sorted partition) where moto compared
    every item of the earlier pages in Python: a page of a 10^5-entry ledger took ~40 s. Same results, same
    order, same pages, same `Count`/`ScannedCount`."""
    import bisect

    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = Table.query

    def sort_key(value):
        return (False, value.cast_value) if value is not None else (True, None)

    def query(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name")
        if index_name is None and len(args) >= 7:
            index_name = args[6]
        if index_name:
            conditions = [(name, value.type, value.value) for name, value in kwargs.get("hash_key_conditions") or []]
            index = {i.name: i for i in self.all_indexes()}.get(index_name)
            order = [key["AttributeName"] for key in index.schema] if index is not None else []
            order += [self.hash_key_attr] + ([self.range_key_attr] if self.range_key_attr else [])

            def index_partition_items():
                walk = (item for partition in self.items.values() for item in partition.values()) \
                    if self.range_key_attr else iter(self.items.values())
                matches = []
                for item in walk:
                    attrs = item.attrs
                    for name, type_, raw in conditions:
                        value = attrs.get(name)
                        if value is None or value.type != type_ or value.value != raw:
                            break
                    else:
                        matches.append(item)
                # Already in the order moto sorts them into next (its sort is then linear).
                matches.sort(key=lambda item: tuple(sort_key(item.attrs.get(name)) for name in order))
                return matches
            self.all_items = index_partition_items
        elif hash_key is not None:
            start_key = args[3] if len(args) > 3 else kwargs.get("exclusive_start_key")
            forward = args[4] if len(args) > 4 else kwargs.get("scan_index_forward", True)

            def partition_items():
                partition = self.items.get(hash_key)
                if partition is None:
                    return []
                if not self.range_key_attr:
                    return [partition]
                items = sorted(partition.values(), key=lambda item: item.range_key.cast_value)
                if start_key and self.range_key_attr in start_key:
                    # The pages before: moto would skip them one Python comparison at a time (O(N) a page).
                    start = DynamoType(start_key[self.range_key_attr]).cast_value
                    values = [item.range_key.cast_value for item in items]
                    items = items[bisect.bisect_right(values, start):] if forward is not False else items[:bisect.bisect_left(values, start)]
                return items
            self.all_items = partition_items
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            self.__dict__.pop("all_items", None)

    Table.query = query


def exit_with_parent():
    """No orphan even if the orchestrator is killed with SIGKILL: exit once re-parented."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def main(argv):
    # Switch threads as often as possible: should a second thread ever serve requests again, the
    # lost updates show up in EmulatorLinearizabilityIT instead of hiding behind the GIL's 5 ms.
    sys.setswitchinterval(1e-6)
    port = int(argv[1]) if len(argv) > 1 else 4566
    host = argv[2] if len(argv) > 2 else "127.0.0.1"
    cheap_transaction_rollback()
    capture_sesv2_outbox()
    partition_direct_query()
    app = SerializedApp(DomainDispatcherApplication(create_backend_app))
    # threaded=False: one connection at a time (werkzeug then also answers with HTTP/1.0,
    # closing each connection, so no client can hold the server with an idle keep-alive).
    server = make_server(host, port, app, threaded=False, request_handler=MotoRequestHandler)
    actual_port = server.server_address[1]
    os.environ.setdefault("MOTO_PORT", str(actual_port))
    exit_with_parent()
    print(f"moto ready on http://{host}:{actual_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv)

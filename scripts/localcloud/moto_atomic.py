"""Make moto's DynamoDB writes atomic, as DynamoDB's are: moto's server answers requests on many threads and its
conditional writes read, check and write without a lock, so two concurrent conditional updates could both pass.

It also honours TransactWriteItems' ClientRequestToken as DynamoDB does (moto ignores it): a repeat of a committed
transaction with the same token within 10 minutes succeeds without applying it again, so an SDK retry after a lost
response does not fail its own conditions; the same token with other items is IdempotentParameterMismatchException."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from typing import Any

__all__ = ["make_dynamodb_writes_atomic"]

_WRITE_METHODS = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_lock = threading.RLock()
TOKEN_WINDOW_SECONDS = 600  # DynamoDB keeps a ClientRequestToken idempotent for 10 minutes
_tokens: dict[str, tuple[float, str]] = {}  # token -> (deadline, digest of the request's items)


def _atomic(method: Any) -> Any:
    @functools.wraps(method)
    def atomic(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(self, *args, **kwargs)

    atomic._radar_atomic = True  # type: ignore[attr-defined]
    return atomic


def _idempotent_transactions(handler: Any) -> Any:
    """DynamoHandler.transact_write_items honouring ClientRequestToken (check, apply and record under the lock)."""

    @functools.wraps(handler)
    def transact_write_items(self: Any) -> Any:
        token = self.body.get("ClientRequestToken")
        if not token:
            return handler(self)
        digest = hashlib.sha256(json.dumps(self.body.get("TransactItems"), sort_keys=True).encode()).hexdigest()
        with _lock:
            now = time.monotonic()
            for stale in [t for t, (deadline, _) in _tokens.items() if deadline <= now]:
                del _tokens[stale]
            seen = _tokens.get(token)
            if seen is not None:
                if seen[1] != digest:
                    from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException

                    raise DynamodbException(
                        ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
                        "The request uses the same client token as a previous, but non-identical request.",
                    )
                from moto.core.responses import ActionResult

                return ActionResult({"ConsumedCapacity": [], "ItemCollectionMetrics": {}})
            result = handler(self)
            _tokens[token] = (now + TOKEN_WINDOW_SECONDS, digest)
            return result

    transact_write_items._radar_atomic = True  # type: ignore[attr-defined]
    return transact_write_items


def make_dynamodb_writes_atomic() -> None:
    """Serialize moto's DynamoDB writes behind one lock (idempotent). DynamoDB is atomic per item; one lock is
    coarser, and locally that costs nothing measurable. Transactions honour ClientRequestToken."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    if not getattr(DynamoDBBackend.transact_write_items, "_radar_item_rollback", False):
        DynamoDBBackend.transact_write_items = _with_item_rollback(  # type: ignore[method-assign]
            DynamoDBBackend.transact_write_items
        )
    for name in _WRITE_METHODS:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_radar_atomic", False):
            setattr(DynamoDBBackend, name, _atomic(method))
    handler = DynamoHandler.transact_write_items
    if not getattr(handler, "_radar_atomic", False):
        setattr(DynamoHandler, "transact_write_items", _idempotent_transactions(handler))  # noqa: B010 - a patch


def _with_item_rollback(method: Any) -> Any:
    """moto backs a transaction up by deep-copying every table it touches, so each transaction costs time in
    proportion to the table's size (seconds, once an e2e session has written thousands of items). DynamoDB's cost
    does not grow with the table: back up only the items the transaction names, and restore them if it fails.
    Runs under the write lock (applied after this wrapper), so nothing else writes meanwhile."""
    import copy

    from moto.dynamodb import models as moto_models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    def no_table_copy(value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    shim = type("copy", (), {"deepcopy": staticmethod(no_table_copy), "copy": staticmethod(copy.copy)})

    @functools.wraps(method)
    def transact(self: Any, transact_items: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
        backups = []
        for entry in transact_items:
            op = next(iter(entry.values())) if entry else {}
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            if table.hash_key_attr not in key:
                continue
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            if range_value is None:
                before = table.items.get(hash_value)
            else:
                before = table.items[hash_value].get(range_value) if hash_value in table.items else None
            backups.append((table, hash_value, range_value, copy.deepcopy(before)))
        moto_models.copy = shim  # type: ignore[assignment]
        try:
            return method(self, transact_items, *args, **kwargs)
        except Exception:
            for table, hash_value, range_value, before in reversed(backups):
                if range_value is None:
                    if before is None:
                        table.items.pop(hash_value, None)
                    else:
                        table.items[hash_value] = before
                else:
                    ranges = table.items[hash_value]
                    if before is None:
                        ranges.pop(range_value, None)
                    else:
                        ranges[range_value] = before
                    if not ranges:
                        table.items.pop(hash_value, None)
            raise
        finally:
            moto_models.copy = copy

    transact._radar_item_rollback = True  # type: ignore[attr-defined]
    return transact

"""Make moto's DynamoDB writes atomic, as DynamoDB's are: moto's server answers requests on many threads and its
conditional writes read, check and write without a lock, so two concurrent conditional updates could both pass."""

from __future__ import annotations

import functools
import threading
from typing import Any

__all__ = ["make_dynamodb_writes_atomic"]

_WRITE_METHODS = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_lock = threading.RLock()


def _atomic(method: Any) -> Any:
    @functools.wraps(method)
    def atomic(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(self, *args, **kwargs)

    atomic._radar_atomic = True  # type: ignore[attr-defined]
    return atomic


def make_dynamodb_writes_atomic() -> None:
    """Serialize moto's DynamoDB writes behind one lock (idempotent). DynamoDB is atomic per item; one lock is
    coarser, and locally that costs nothing measurable."""
    from moto.dynamodb.models import DynamoDBBackend

    if not getattr(DynamoDBBackend.transact_write_items, "_radar_item_rollback", False):
        DynamoDBBackend.transact_write_items = _with_item_rollback(  # type: ignore[method-assign]
            DynamoDBBackend.transact_write_items
        )
    for name in _WRITE_METHODS:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_radar_atomic", False):
            setattr(DynamoDBBackend, name, _atomic(method))


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

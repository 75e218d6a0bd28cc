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

    for name in _WRITE_METHODS:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_radar_atomic", False):
            setattr(DynamoDBBackend, name, _atomic(method))

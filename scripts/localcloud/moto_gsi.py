"""Eventually consistent global secondary indexes in moto, as DynamoDB's are: with a lag set, a Query or Scan on a
GSI sees the table as it was `lag` ago (a fresh item is missing, an updated one shows its old version, a deleted one
is still there); base-table reads, and local secondary indexes, stay strongly consistent.

How: every write records the item's previous version with the time of the write (inside the atomic-write lock of
moto_atomic, so the record and the write cannot be interleaved). An index read runs on a shallow view of the table in
which each key written within the lag shows the version it had before its first write in that window. Records older
than the lag are dropped as writes arrive, so the cost is bounded by the write rate times the lag. The records live on
moto's Table object, so a cancelled transaction (moto restores a deep copy of the table) drops its records too.
"""

from __future__ import annotations

import collections
import copy
import functools
import inspect
import time
from typing import Any

from scripts.localcloud.moto_atomic import _lock

__all__ = ["gsi_lag_seconds", "make_gsi_reads_lag", "set_gsi_lag"]

_ABSENT = object()
_state = {"lag": 0.0}


def gsi_lag_seconds() -> float:
    return _state["lag"]


def set_gsi_lag(milliseconds: float) -> None:
    """Change the lag of an in-process moto at any time (0 turns it off); the patch must be installed."""
    if milliseconds < 0:
        raise ValueError("the GSI lag cannot be negative")
    _state["lag"] = milliseconds / 1000.0


class _History:
    """Per table: the previous version of every key written within the lag, oldest first."""

    def __init__(self) -> None:
        self.order: collections.deque[tuple[float, Any]] = collections.deque()  # (time, key) in write order
        self.by_key: dict[Any, list[tuple[float, Any]]] = {}  # key -> [(time, version before that write)]

    def record(self, key: Any, before: Any, now: float, lag: float) -> None:
        while self.order and self.order[0][0] <= now - lag:
            _, old_key = self.order.popleft()
            entries = self.by_key.get(old_key)
            if entries:
                entries.pop(0)
                if not entries:
                    del self.by_key[old_key]
        self.order.append((now, key))
        self.by_key.setdefault(key, []).append((now, before))

    def visible(self, key: Any, cutoff: float) -> Any:
        """The version an index shows at `cutoff`: the one before the first later write, or _ABSENT (= current)."""
        for written_at, before in self.by_key.get(key, ()):
            if written_at > cutoff:
                return before
        return _ABSENT


def _history(table: Any) -> _History:
    history = getattr(table, "_radar_gsi_history", None)
    if history is None:
        history = _History()
        table._radar_gsi_history = history
    return history


def _lagged_view(table: Any, lag: float) -> Any:
    history: _History | None = getattr(table, "_radar_gsi_history", None)
    if history is None or not history.by_key:
        return table
    cutoff = time.monotonic() - lag
    items = dict(table.items)
    copied: set[Any] = set()
    for key in list(history.by_key):
        version = history.visible(key, cutoff)
        if version is _ABSENT:
            continue
        hash_key, range_key = key
        if table.range_key_attr is None:
            if version is None:
                items.pop(hash_key, None)
            else:
                items[hash_key] = version
            continue
        if hash_key not in copied:
            items[hash_key] = dict(items.get(hash_key, {}))
            copied.add(hash_key)
        if version is None:
            items[hash_key].pop(range_key, None)
        else:
            items[hash_key][range_key] = version
    view = copy.copy(table)
    view.items = items
    return view


def _key_of(backend: Any, method: str, bound: inspect.BoundArguments) -> tuple[Any, Any, Any]:
    """(table, hash key, range key) of one backend write."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    table = backend.get_table(bound.arguments["table_name"])
    if method == "put_item":
        attrs = bound.arguments["item_attrs"]
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
        return table, hash_key, range_key
    hash_key, range_key = backend.get_keys_value(table, bound.arguments["key"])
    return table, hash_key, range_key


def _recorded(method_name: str, method: Any) -> Any:
    signature = inspect.signature(method)

    @functools.wraps(method)
    def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        lag = _state["lag"]
        if lag <= 0:
            return method(self, *args, **kwargs)
        with _lock:
            try:
                table, hash_key, range_key = _key_of(self, method_name, signature.bind(self, *args, **kwargs))
                before = copy.deepcopy(table.get_item(hash_key, range_key))
            except Exception:  # an invalid request: moto itself answers it with the right error
                return method(self, *args, **kwargs)
            result = method(self, *args, **kwargs)
            _history(table).record((hash_key, range_key), before, time.monotonic(), lag)
            return result

    recorded._radar_gsi = True  # type: ignore[attr-defined]
    return recorded


def _lagged(method: Any) -> Any:
    signature = inspect.signature(method)

    @functools.wraps(method)
    def lagged(self: Any, *args: Any, **kwargs: Any) -> Any:
        lag = _state["lag"]
        if lag <= 0:
            return method(self, *args, **kwargs)
        index_name = signature.bind(self, *args, **kwargs).arguments.get("index_name")
        if not index_name or index_name not in {index.name for index in (self.global_indexes or [])}:
            return method(self, *args, **kwargs)
        with _lock:
            view = _lagged_view(self, lag)
        return method(view, *args, **kwargs)

    lagged._radar_gsi = True  # type: ignore[attr-defined]
    return lagged


def make_gsi_reads_lag(milliseconds: float = 0.0) -> None:
    """Install the patch (idempotent) and set the lag; with 0 the patch passes every call straight through."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    for name in ("put_item", "update_item", "delete_item"):
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_radar_gsi", False):
            setattr(DynamoDBBackend, name, _recorded(name, method))
    for name in ("query", "scan"):
        method = getattr(Table, name)
        if not getattr(method, "_radar_gsi", False):
            setattr(Table, name, _lagged(method))
    set_gsi_lag(milliseconds)

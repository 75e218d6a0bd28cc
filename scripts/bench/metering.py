"""Meter AWS calls made in this process: DynamoDB request units from real item sizes, other services by count."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CallMeter", "item_size", "metered"]

_WRITE_OPS = {"PutItem", "UpdateItem", "DeleteItem"}


def _value_size(value: dict[str, Any]) -> int:
    (kind, raw), = value.items()
    if kind == "S":
        return len(str(raw).encode())
    if kind == "N":
        digits = str(raw).lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(raw) if isinstance(raw, bytes | bytearray) else len(str(raw))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in raw.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in raw)
    if kind == "SS":
        return sum(len(s.encode()) for s in raw)
    if kind == "NS":
        return sum(_value_size({"N": n}) for n in raw)
    if kind == "BS":
        return sum(len(b) for b in raw)
    return 0


def item_size(item: dict[str, dict[str, Any]]) -> int:
    """DynamoDB's item size in bytes: attribute names plus values (low-level wire format)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _read_units(size: int, consistent: bool) -> float:
    units = float(max(1, math.ceil(size / 4096)))
    return units if consistent else units / 2


def _write_units(size: int) -> float:
    return float(max(1, math.ceil(size / 1024)))


@dataclass
class CallMeter:
    calls: Counter[str] = field(default_factory=Counter)  # "service.Operation" -> count
    read_units: float = 0.0
    write_units: float = 0.0
    item_bytes: dict[str, list[int]] = field(default_factory=dict)  # key prefix -> sizes written

    def reset(self) -> None:
        self.calls.clear()
        self.read_units = 0.0
        self.write_units = 0.0

    def count(self, service: str) -> int:
        return sum(n for name, n in self.calls.items() if name.startswith(service + "."))

    def _note_size(self, key: dict[str, Any] | None, size: int) -> None:
        pk = str((key or {}).get("pk", {}).get("S", "")) if key else ""
        sk = str((key or {}).get("sk", {}).get("S", "")) if key else ""
        label = (sk or pk).split("#", 1)[0] or "item"
        self.item_bytes.setdefault(label, []).append(size)

    def record(self, client: Any, original: Any, operation: str, params: dict[str, Any], response: Any) -> None:
        service = client.meta.service_model.service_name
        self.calls[f"{service}.{operation}"] += 1
        if service != "dynamodb":
            return
        consistent = bool(params.get("ConsistentRead"))
        if operation == "GetItem":
            self.read_units += _read_units(item_size(response.get("Item", {})), consistent)
        elif operation in ("Query", "Scan"):
            size = sum(item_size(item) for item in response.get("Items", []))
            self.read_units += _read_units(size, consistent)
        elif operation == "BatchGetItem":
            for items in response.get("Responses", {}).values():
                self.read_units += sum(_read_units(item_size(i), False) for i in items)
        elif operation == "PutItem":
            size = item_size(params["Item"])
            self.write_units += _write_units(size)
            self._note_size(params["Item"], size)
        elif operation in ("UpdateItem", "DeleteItem"):
            size = params.pop("_bench_size", None)
            if size is None:  # measure the item as it is now (after the update), with an unmetered read
                stored = original(client, "GetItem", {"TableName": params["TableName"], "Key": params["Key"]})
                size = item_size(stored.get("Item", {})) or item_size(params["Key"])
            self.write_units += _write_units(size)
            self._note_size(params["Key"], size)
        elif operation == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                (kind, body), = entry.items()
                size = item_size(body["Item"]) if kind == "Put" else item_size(body.get("Key", {}))
                self.write_units += 2 * _write_units(size)  # transactions cost two units per item
        elif operation == "BatchWriteItem":
            for requests in params.get("RequestItems", {}).values():
                for request in requests:
                    body = request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {}).get("Key")
                    self.write_units += _write_units(item_size(body or {}))


@contextmanager
def metered() -> Iterator[CallMeter]:
    """Every botocore API call (boto3 and pynamodb both go through BaseClient._make_api_call) is metered."""
    from botocore.client import BaseClient

    meter = CallMeter()
    original = getattr(BaseClient, "_make_api_call")  # noqa: B009  (private in the stubs)

    def wrapper(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation == "DeleteItem" and self.meta.service_model.service_name == "dynamodb":
            before = original(self, "GetItem", {"TableName": params["TableName"], "Key": params["Key"]})
            params = {**params, "_bench_size": item_size(before.get("Item", {}))}
            call_params = {k: v for k, v in params.items() if k != "_bench_size"}
        else:
            call_params = params
        try:
            response = original(self, operation, call_params)
        except Exception:
            # A refused call (a conditional check that failed) is a round trip too.
            meter.calls[f"{self.meta.service_model.service_name}.{operation}"] += 1
            raise
        meter.record(self, original, operation, dict(params), response)
        return response

    setattr(BaseClient, "_make_api_call", wrapper)  # noqa: B010
    try:
        yield meter
    finally:
        setattr(BaseClient, "_make_api_call", original)  # noqa: B010

"""Shared DynamoDB plumbing for the coordination items: the shared client, SDK-error translation, attributes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from radar.aws import client, is_conditional_failure
from radar.coordination.errors import CoordinationUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "PREFETCHED",
    "Clock",
    "attr_number",
    "attr_string",
    "breaker_key",
    "bucket_key",
    "dynamodb_client",
    "forget",
    "held_by",
    "hold",
    "lease_key",
    "lease_release",
    "now_seconds",
    "read_items",
    "recall",
    "remember",
    "sdk_errors_as_domain",
]

Clock = Callable[[], float]


def dynamodb_client() -> DynamoDBClient:
    """The shared DynamoDB client (radar.aws): coordination sits on the request path of every check."""
    found: DynamoDBClient = client("dynamodb")
    return found


@contextmanager
def sdk_errors_as_domain(action: str) -> Iterator[None]:
    """Re-raise any SDK failure except a conditional-check failure as CoordinationUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        if is_conditional_failure(exc):
            raise
        code = exc.response.get("Error", {}).get("Code", "unknown")
        raise CoordinationUnavailable(f"DynamoDB {action} failed: {code}") from exc
    except BotoCoreError as exc:
        raise CoordinationUnavailable(f"DynamoDB {action} failed: {type(exc).__name__}") from exc


def now_seconds(clock: Clock | None) -> float:
    return (clock or time.time)()


def attr_number(item: dict[str, Any], name: str, default: float = 0.0) -> float:
    value = item.get(name, {})
    return float(value["N"]) if isinstance(value, dict) and "N" in value else default


def attr_string(item: dict[str, Any], name: str, default: str = "") -> str:
    value = item.get(name, {})
    return str(value["S"]) if isinstance(value, dict) and "S" in value else default


def bucket_key(provider: str) -> str:
    return f"BUCKET#{provider}"


def breaker_key(provider: str) -> str:
    return f"BREAKER#{provider}"


# Items this thread just read or wrote, so the next step of the same lookup does not read them again (a provider's
# breaker and bucket are read together; a bucket refused a moment ago is not re-read to say when it frees up).
# Per thread: the worker runs one record per thread. Only a guess to start from: every write that depends on it is
# conditioned on the version it saw, so a stale item costs a lost race and a real read, never a wrong answer.
_recent = threading.local()
PREFETCHED = "ahead:"


def remember(table: str, pk: str, item: dict[str, Any]) -> None:
    store: dict[tuple[str, str], tuple[float, dict[str, Any]]] = getattr(_recent, "items", None) or {}
    store[(table, pk)] = (time.monotonic(), item)
    _recent.items = store


def recall(table: str, pk: str, max_age: float, *, once: bool = False) -> dict[str, Any] | None:
    """The item remembered for `pk` if it is at most `max_age` seconds old, else None; `once`: forget it then."""
    store = getattr(_recent, "items", None) or {}
    found = store.pop((table, pk), None) if once else store.get((table, pk))
    if found is None or time.monotonic() - found[0] > max_age:
        return None
    return found[1]


def forget(table: str, pk: str) -> None:
    store = getattr(_recent, "items", None) or {}
    store.pop((table, pk), None)


def read_items(table: str, pks: Sequence[str], *, attempts: int = 5, ahead: bool = False) -> dict[str, dict[str, Any]]:
    """Consistent reads of several items of `table` (keyed by `pk`) in one BatchGetItem; absent ones are left out.
    Each item read is remembered for this thread; `ahead`: also as read ahead (`PREFETCHED + pk`), for one later
    step to take once instead of reading it."""
    found: dict[str, dict[str, Any]] = {}
    request: dict[str, Any] = {table: {"Keys": [{"pk": {"S": pk}} for pk in pks], "ConsistentRead": True}}
    with sdk_errors_as_domain("BatchGetItem"):
        for _ in range(attempts):
            answer = dynamodb_client().batch_get_item(RequestItems=request)
            for item in answer.get("Responses", {}).get(table, []):
                found[str(item["pk"]["S"])] = item
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
        else:
            raise CoordinationUnavailable("DynamoDB BatchGetItem left keys unread")
    for pk in pks:
        remember(table, pk, found.get(pk, {}))
        if ahead:
            remember(table, PREFETCHED + pk, found.get(pk, {}))
    return found


# The single-flight lease this thread holds while it computes (table, key) -> owner: the cache write of the result
# releases it in the same transaction, so a fetch costs one write for both.
_leases = threading.local()


def lease_key(key: str) -> str:
    return f"LEASE#{key}"


def lease_release(table: str, key: str, owner: str, now: float) -> dict[str, Any]:
    """UpdateItem arguments that free `owner`'s lease on `key`, leaving it stamped `released_at` (its TTL removes it
    later), so the next holder can tell that a result may have just been written."""
    return {
        "TableName": table,
        "Key": {"pk": {"S": lease_key(key)}},
        "UpdateExpression": "SET expires_at = :free, released_at = :now",
        "ConditionExpression": "#owner = :owner",
        "ExpressionAttributeNames": {"#owner": "owner"},
        "ExpressionAttributeValues": {":owner": {"S": owner}, ":free": {"N": str(int(now))}, ":now": {"N": repr(now)}},
    }


def hold(table: str, key: str, owner: str | None) -> None:
    """Say this thread holds (`owner`) or no longer holds (None) the lease on `key`."""
    held: dict[tuple[str, str], str] = getattr(_leases, "held", None) or {}
    if owner is None:
        held.pop((table, key), None)
    else:
        held[(table, key)] = owner
    _leases.held = held


def held_by(table: str, key: str) -> str | None:
    held: dict[tuple[str, str], str] = getattr(_leases, "held", None) or {}
    return held.get((table, key))

"""Single-flight on DynamoDB: concurrent misses for one key, across processes, make one upstream call."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from radar.aws import is_conditional_failure
from radar.coordination._dynamo import (
    Clock,
    attr_number,
    dynamodb_client,
    held_by,
    hold,
    lease_key,
    lease_release,
    now_seconds,
    sdk_errors_as_domain,
)
from radar.coordination.errors import CoordinationUnavailable
from radar.coordination.models import CacheEntry

__all__ = ["DynamoSingleFlight"]

# Clock skew tolerated between two callers' hosts when telling whether a release came after a caller's cache miss.
_SKEW_SECONDS = 1.0


class DynamoSingleFlight:
    """SingleFlight with a lease item `LEASE#<key>` taken by conditional put.

    The lease winner looks once more when the lease item it replaced says a previous winner may have just finished,
    computes, then releases its lease (only if it still owns it; the item stays, stamped `released_at`, until its
    TTL). The others poll `lookup`
    every `poll_interval` for up to `wait_seconds`. If the lease disappears without a result (the winner
    failed), a waiter takes the lease and computes, so the upstream still sees one call at a time. If the wait
    times out the waiter computes by itself: a bounded wait beats a failed check. A lease outlives a crashed
    winner by at most `lease_seconds` (expires_at), so keep it above the longest provider chain.
    """

    def __init__(
        self,
        table_name: str,
        lease_seconds: float = 30.0,
        wait_seconds: float = 8.0,
        poll_interval: float = 0.2,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if lease_seconds <= 0 or wait_seconds < 0 or poll_interval <= 0:
            raise ValueError("lease_seconds and poll_interval must be positive, wait_seconds not negative")
        self.table_name = table_name
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self.poll_interval = poll_interval
        self._clock = clock
        self._sleep = sleep

    # --- the lease taken ahead, in the caller's own transaction ---
    def lease_item_key(self, key: str) -> tuple[str, dict[str, Any]]:
        """(table, key) of the lease item, for a caller that reads it with its own items (`take_ahead`)."""
        return self.table_name, {"pk": {"S": _lease_key(key)}}

    def take_ahead(self, key: str, seen: dict[str, Any] | None, seen_at: float) -> tuple[dict[str, Any], str] | None:
        """A TransactWriteItems `Put` entry taking the lease on `key` in the caller's own transaction, and its owner;
        None when the item as the caller read it (`seen`, at `seen_at`) shows the lease held. The put is conditioned
        on the item being exactly as seen (absent, or the same holder's same expiry) and free: if anyone took or
        released it since, it fails and `run` takes the lease as usual. After the transaction, `taken_ahead` says
        whether it landed; the next `run` of `key` on this thread then starts as the holder."""
        now = now_seconds(self._clock)
        if seen and attr_number(seen, "expires_at") > int(now):
            return None  # held: the waiters' path, in run()
        owner = uuid.uuid4().hex
        item = {
            "pk": {"S": _lease_key(key)},
            "owner": {"S": owner},
            "expires_at": {"N": str(int(now + self.lease_seconds) + 1)},
        }
        put: dict[str, Any] = {"TableName": self.table_name, "Item": item}
        if not seen:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "#owner = :owner AND expires_at = :expires AND expires_at <= :now"
            put["ExpressionAttributeNames"] = {"#owner": "owner"}
            put["ExpressionAttributeValues"] = {
                ":owner": seen.get("owner", {"S": ""}),
                ":expires": seen.get("expires_at", {"N": "0"}),
                ":now": {"N": str(int(now))},
            }
        _ahead.pending = (self.table_name, key, owner, dict(seen or {}) or None, seen_at)
        return {"Put": put}, owner

    def taken_ahead(self, key: str, landed: bool) -> None:
        """Whether the caller's transaction with the `take_ahead` entry committed: if so this thread holds the lease
        (its next `run` of `key` computes at once); if not, nothing is held."""
        pending = getattr(_ahead, "pending", None)
        _ahead.pending = None
        if landed and pending is not None and pending[:2] == (self.table_name, key):
            _ahead.held = pending

    def release_ahead(self, key: str) -> None:
        """Free a lease taken ahead that no `run` used (the caller's lookup never started): else it would hold the
        CNPJ's other callers back until it expires."""
        held = getattr(_ahead, "held", None)
        if held is not None and held[:2] == (self.table_name, key):
            _ahead.held = None
            hold(self.table_name, key, held[2])
            self._release(key, held[2])

    def run(self, key: str, compute: Callable[[], CacheEntry], lookup: Callable[[], CacheEntry | None]) -> CacheEntry:
        held = getattr(_ahead, "held", None)
        if held is not None and held[:2] == (self.table_name, key):
            # Taken ahead in the caller's transaction, from the item it read with its cache miss.
            _ahead.held = None
            return self._lookup_or_compute(key, held[2], compute, lookup, held[3], held[4])
        owner = uuid.uuid4().hex
        started = now_seconds(self._clock)
        won, before = self._acquire(key, owner)
        if won:
            return self._lookup_or_compute(key, owner, compute, lookup, before, started)
        _count_wait()
        deadline = now_seconds(self._clock) + self.wait_seconds
        while now_seconds(self._clock) < deadline:
            self._sleep(self.poll_interval)
            found = lookup()
            if found is not None:
                return found
            # The winner let go without writing a result: take over rather than wait for nothing.
            won, _ = self._acquire(key, owner)
            if won:
                return self._lookup_or_compute(key, owner, compute, lookup, {"released_at": {"N": "0"}}, 0.0)
        return compute()

    def _lookup_or_compute(
        self,
        key: str,
        owner: str,
        compute: Callable[[], CacheEntry],
        lookup: Callable[[], CacheEntry | None],
        before: dict[str, Any] | None,
        started: float,
    ) -> CacheEntry:
        """Holding the lease: a previous holder may have finished between our cache miss and now. The lease item it
        left says so (a release stamps it instead of deleting it): only then is the cache read again. No lease
        item, or one released before this caller started, means nobody finished in between."""
        hold(self.table_name, key, owner)
        try:
            if before is not None and _maybe_finished(before, started):
                found = lookup()
                if found is not None:
                    return found
            return compute()
        finally:
            self._release(key, owner)

    def _acquire(self, key: str, owner: str) -> tuple[bool, dict[str, Any] | None]:
        """(whether this caller holds the lease now, the lease item it replaced: None when there was none)."""
        now = now_seconds(self._clock)
        try:
            with sdk_errors_as_domain("PutItem"):
                answer = dynamodb_client().put_item(
                    TableName=self.table_name,
                    Item={
                        "pk": {"S": _lease_key(key)},
                        "owner": {"S": owner},
                        "expires_at": {"N": str(int(now + self.lease_seconds) + 1)},
                    },
                    # Free when absent, released, or when a crashed holder's lease has expired.
                    ConditionExpression="attribute_not_exists(pk) OR expires_at <= :now",
                    ExpressionAttributeValues={":now": {"N": str(int(now))}},
                    ReturnValues="ALL_OLD",
                )
        except Exception as exc:
            if is_conditional_failure(exc):
                return False, None
            raise
        return True, answer.get("Attributes") or None

    def _release(self, key: str, owner: str) -> None:
        """Free the lease, unless the cache write of the result already did (in the same transaction)."""
        if held_by(self.table_name, key) != owner:
            return
        hold(self.table_name, key, None)
        try:
            with sdk_errors_as_domain("UpdateItem"):
                dynamodb_client().update_item(**lease_release(self.table_name, key, owner, now_seconds(self._clock)))
        except CoordinationUnavailable:
            # The result is already computed; an unreleased lease just expires after lease_seconds.
            from radar.observability import logger

            logger.warning("single-flight lease not released", extra={"lease_key": _lease_key(key)})
        except Exception as exc:
            # Someone took over an expired lease of ours: it is theirs to release now.
            if not is_conditional_failure(exc):
                raise


# The lease this thread is taking (`take_ahead`: table, key, owner, the item seen, when) or holds (`taken_ahead`).
_ahead = threading.local()


def _maybe_finished(before: dict[str, Any], started: float) -> bool:
    """Whether the lease item a caller replaced says a result may have been written after it started: released
    then (within the clocks' skew), or never released (its holder crashed, perhaps after writing)."""
    if "released_at" not in before:
        return True
    return attr_number(before, "released_at") >= started - _SKEW_SECONDS


def _count_wait() -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    from radar.observability import metrics

    metrics.add_metric(name="SingleFlightWaits", unit=MetricUnit.Count, value=1)


def _lease_key(key: str) -> str:
    return lease_key(key)

"""The shared CNPJ report cache on DynamoDB: reports fresh for a day by default (kept longer for stale-if-error),
confirmed not-founds briefly."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from radar.coordination._dynamo import (
    PREFETCHED,
    Clock,
    attr_number,
    attr_string,
    dynamodb_client,
    held_by,
    hold,
    lease_release,
    now_seconds,
    recall,
    remember,
    sdk_errors_as_domain,
)
from radar.coordination.models import CacheEntry
from radar.timestamps import epoch_iso, parse_iso

__all__ = ["DynamoReportCache", "decode_report", "encode_report"]

_DECIMAL_TAG = "$decimal"
# How old an entry read ahead by the caller (`read_ahead`) may be for `peek` to answer from it.
_AHEAD_SECONDS = 1.0


def _encode_default(value: Any) -> Any:
    # Decimals travel as tagged strings so they come back as the same Decimal, digit for digit.
    if isinstance(value, Decimal):
        return {_DECIMAL_TAG: str(value)}
    raise TypeError(f"report value of type {type(value).__name__} is not JSON serializable")


def _decode_object(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DECIMAL_TAG in obj:
        return Decimal(obj[_DECIMAL_TAG])
    return obj


def encode_report(report: dict[str, Any]) -> str:
    """The report as compact JSON; Decimal values are kept exact (tagged) instead of turned into floats."""
    return json.dumps(report, default=_encode_default, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode_report(text: str) -> dict[str, Any]:
    decoded = json.loads(text, object_hook=_decode_object)
    if not isinstance(decoded, dict):
        raise ValueError("cached report is not a JSON object")
    return decoded


def _count(name: str) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    from radar.observability import metrics

    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


class DynamoReportCache:
    """ReportCache on the cache table, item `CNPJ#<cnpj>`; an item whose expires_at has passed is a miss.

    `put_*` count CacheWrite. Hits and misses are counted by the caller that decides what a lookup is (the
    provider chain counts CacheHit/CacheMiss once per check), so `get` stays free of metrics and polling it (the
    single-flight waiters) cannot inflate them. `peek` is the same read, kept for callers that look for it.
    """

    def __init__(
        self,
        table_name: str,
        ttl_seconds: int = 86400,
        negative_ttl_seconds: int = 900,
        *,
        keep_seconds: int = 0,
        clock: Clock | None = None,
    ) -> None:
        if ttl_seconds <= 0 or negative_ttl_seconds <= 0 or keep_seconds < 0:
            raise ValueError("cache TTLs must be positive")
        self.table_name = table_name
        self.ttl_seconds = int(ttl_seconds)
        self.negative_ttl_seconds = int(negative_ttl_seconds)
        # A report stays readable by last_good() this long after its fetch (stale-if-error), though it is served as
        # fresh only for ttl_seconds: the item's expires_at (the table's TTL) is the later of the two.
        self.keep_seconds = int(keep_seconds)
        self._clock = clock

    def get(self, cnpj: str) -> CacheEntry | None:
        return self.peek(cnpj)

    def item_key(self, cnpj: str) -> tuple[str, dict[str, Any]]:
        """(table, key) of the entry, for a caller that reads it together with its own items (`read_ahead`)."""
        return self.table_name, {"pk": {"S": _key(cnpj)}}

    def read_ahead(self, cnpj: str, item: dict[str, Any] | None) -> None:
        """The entry as the caller just read it (consistently; None or {} when absent): the next `peek` of this
        thread, within a second, takes it instead of reading again."""
        remember(self.table_name, PREFETCHED + _key(cnpj), item or {})

    def peek(self, cnpj: str) -> CacheEntry | None:
        """The fresh entry, or None when absent or past its freshness (a report kept only for stale-if-error)."""
        entry = self._read(cnpj, ahead=True)
        if entry is None or entry.expires_at <= now_seconds(self._clock):
            return None
        return entry

    def last_good(self, cnpj: str, max_age_seconds: float) -> CacheEntry | None:
        """The last report fetched for `cnpj` if it is at most `max_age_seconds` old, fresh or not (stale-if-error);
        None for a not-found, an absent item or an older report."""
        entry = self._read(cnpj)
        if entry is None or entry.negative or entry.report is None:
            return None
        try:
            age = now_seconds(self._clock) - parse_iso(entry.fetched_at).timestamp()
        except ValueError:
            return None
        return entry if age <= max_age_seconds else None

    def _read(self, cnpj: str, *, ahead: bool = False) -> CacheEntry | None:
        """The item while the table keeps it (expires_at, the TTL), its freshness in the entry's expires_at.
        `ahead`: from the item a caller read ahead (`read_ahead`) if there is one."""
        item = recall(self.table_name, PREFETCHED + _key(cnpj), _AHEAD_SECONDS, once=True) if ahead else None
        if item is None:
            with sdk_errors_as_domain("GetItem"):
                # Consistent read: a waiter must see the winner's write as soon as it lands.
                response = dynamodb_client().get_item(
                    TableName=self.table_name, Key={"pk": {"S": _key(cnpj)}}, ConsistentRead=True
                )
            item = response.get("Item")
        if not item:
            return None
        kept_until = int(attr_number(item, "expires_at"))
        # DynamoDB deletes expired items lazily (moto never does): expiry is enforced here, on every read.
        if kept_until <= now_seconds(self._clock):
            return None
        expires_at = int(attr_number(item, "fresh_until", kept_until))  # items from before freshness: one time
        negative = bool(item.get("negative", {}).get("BOOL", False))
        report_text = attr_string(item, "report")
        return CacheEntry(
            cnpj=cnpj,
            report=None if negative or not report_text else decode_report(report_text),
            negative=negative,
            source=attr_string(item, "source") or None,
            fetched_at=attr_string(item, "fetched_at"),
            expires_at=expires_at,
        )

    def put_report(self, cnpj: str, report: dict[str, Any], source: str) -> CacheEntry:
        return self._put(cnpj, report, source, negative=False, ttl=self.ttl_seconds)

    def put_negative(self, cnpj: str) -> CacheEntry:
        return self._put(cnpj, None, None, negative=True, ttl=self.negative_ttl_seconds)

    def invalidate(self, cnpj: str) -> None:
        """Drop the entry (a forced refresh)."""
        with sdk_errors_as_domain("DeleteItem"):
            dynamodb_client().delete_item(TableName=self.table_name, Key={"pk": {"S": _key(cnpj)}})

    def _put(
        self, cnpj: str, report: dict[str, Any] | None, source: str | None, *, negative: bool, ttl: int
    ) -> CacheEntry:
        now = now_seconds(self._clock)
        entry = CacheEntry(
            cnpj=cnpj,
            report=report,
            negative=negative,
            source=source,
            fetched_at=epoch_iso(now),
            expires_at=int(now) + ttl,
        )
        kept_until = entry.expires_at if negative else max(entry.expires_at, int(now) + self.keep_seconds)
        item: dict[str, Any] = {
            "pk": {"S": _key(cnpj)},
            "negative": {"BOOL": negative},
            "fetched_at": {"S": entry.fetched_at},
            "fresh_until": {"N": str(entry.expires_at)},
            "expires_at": {"N": str(kept_until)},
        }
        if report is not None:
            item["report"] = {"S": encode_report(report)}
        if source:
            item["source"] = {"S": source}
        owner = held_by(self.table_name, cnpj)
        if owner is None or not self._put_releasing(item, cnpj, owner, now):
            with sdk_errors_as_domain("PutItem"):
                dynamodb_client().put_item(TableName=self.table_name, Item=item)
        _count("CacheWrite")
        return entry

    def _put_releasing(self, item: dict[str, Any], cnpj: str, owner: str, now: float) -> bool:
        """The result and the release of this thread's single-flight lease on it, in one transaction. False (nothing
        written) when the lease is no longer ours: someone took it over after it expired."""
        from botocore.exceptions import ClientError

        items: Any = [
            {"Put": {"TableName": self.table_name, "Item": item}},
            {"Update": lease_release(self.table_name, cnpj, owner, now)},
        ]
        with sdk_errors_as_domain("TransactWriteItems"):
            try:
                dynamodb_client().transact_write_items(TransactItems=items)
            except ClientError as exc:
                if _cancelled(exc):
                    # The lease is someone else's now, or a conflict: the result goes alone, and the single-flight
                    # still releases the lease if it is ours.
                    return False
                raise
        hold(self.table_name, cnpj, None)  # released with the result: the single-flight has nothing left to free
        return True


def _cancelled(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    return isinstance(response, dict) and response.get("Error", {}).get("Code") == "TransactionCanceledException"


def _key(cnpj: str) -> str:
    return f"CNPJ#{cnpj}"

"""Report cache on a real (moto) DynamoDB table: round trip, TTL expiry on read, negative entries, metrics."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import boto3
import pytest

from radar.coordination import DynamoReportCache
from radar.observability import metrics
from tests.support.aws import AwsResources


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _cnpj() -> str:
    return uuid.uuid4().hex[:14].upper()


@pytest.fixture(autouse=True)
def _fresh_metrics() -> None:
    metrics.clear_metrics()


def _counts() -> dict[str, float]:
    return {name: sum(data["Value"]) for name, data in metrics.metric_set.items()}


def test_report_round_trips_exactly_with_nested_decimals(aws: AwsResources) -> None:
    cache = DynamoReportCache(aws.cache_table)
    cnpj = _cnpj()
    report: dict[str, Any] = {
        "cnpj": cnpj,
        "capital_social": Decimal("6983568523.86"),
        "activities": [{"code": "6021700", "share": Decimal("0.1")}],
        "ratio": 0.5,
        "name": "ACME S.A. — ÇÃO",
        "trade_name": None,
    }

    written = cache.put_report(cnpj, report, "cnpjws")
    read = cache.get(cnpj)

    assert read is not None
    assert read == written
    assert read.report == report
    assert isinstance(read.report["capital_social"], Decimal)
    assert read.report["activities"][0]["share"] == Decimal("0.1")
    assert read.source == "cnpjws" and read.negative is False


def test_item_layout_follows_the_architecture_contract(aws: AwsResources) -> None:
    clock = FakeClock()
    cache = DynamoReportCache(aws.cache_table, ttl_seconds=3600, clock=clock)
    cnpj = _cnpj()
    cache.put_report(cnpj, {"cnpj": cnpj}, "brasilapi")

    item = boto3.client("dynamodb").get_item(TableName=aws.cache_table, Key={"pk": {"S": f"CNPJ#{cnpj}"}})["Item"]

    assert item["expires_at"] == {"N": str(int(clock.now) + 3600)}
    assert item["report"]["S"].startswith("{")
    assert item["source"] == {"S": "brasilapi"}
    assert item["negative"] == {"BOOL": False}
    assert item["fetched_at"]["S"].endswith("Z")


def test_default_ttl_is_one_day_and_expired_items_are_misses(aws: AwsResources) -> None:
    clock = FakeClock()
    cache = DynamoReportCache(aws.cache_table, clock=clock)
    cnpj = _cnpj()
    entry = cache.put_report(cnpj, {"cnpj": cnpj}, "receitaws")
    assert entry.expires_at == int(clock.now) + 86400

    clock.now += 86399
    assert cache.get(cnpj) is not None
    clock.now += 1  # expires_at <= now: absent, even though the item is still in the table
    assert cache.get(cnpj) is None


def test_a_report_past_its_freshness_is_kept_for_stale_if_error_and_gone_after_the_keep(aws: AwsResources) -> None:
    clock = FakeClock()
    cache = DynamoReportCache(aws.cache_table, ttl_seconds=86400, keep_seconds=30 * 86400, clock=clock)
    cnpj = _cnpj()
    cache.put_report(cnpj, {"cnpj": cnpj}, "cnpjws")
    item = boto3.client("dynamodb").get_item(TableName=aws.cache_table, Key={"pk": {"S": f"CNPJ#{cnpj}"}})["Item"]
    # The table's TTL attribute is the keep; the freshness is its own attribute.
    assert item["expires_at"] == {"N": str(int(clock.now) + 30 * 86400)}
    assert item["fresh_until"] == {"N": str(int(clock.now) + 86400)}

    clock.now += 2 * 86400
    assert cache.get(cnpj) is None  # no longer fresh: a lookup asks the providers
    kept = cache.last_good(cnpj, 3 * 86400)
    assert kept is not None and kept.report == {"cnpj": cnpj} and kept.source == "cnpjws"
    assert cache.last_good(cnpj, 86400) is None  # older than that caller accepts

    clock.now += 28 * 86400
    assert cache.last_good(cnpj, 365 * 86400) is None  # past the keep: gone for good


def test_a_not_found_is_never_a_last_good_report(aws: AwsResources) -> None:
    cache = DynamoReportCache(aws.cache_table, keep_seconds=30 * 86400)
    cnpj = _cnpj()
    cache.put_negative(cnpj)
    assert cache.get(cnpj) is not None and cache.last_good(cnpj, 86400) is None


def test_negative_entries_are_cached_briefly(aws: AwsResources) -> None:
    clock = FakeClock()
    cache = DynamoReportCache(aws.cache_table, ttl_seconds=7200, negative_ttl_seconds=900, clock=clock)
    cnpj = _cnpj()
    cache.put_negative(cnpj)

    hit = cache.get(cnpj)
    assert hit is not None
    assert hit.negative is True and hit.report is None and hit.source is None
    assert hit.expires_at == int(clock.now) + 900

    clock.now += 900
    assert cache.get(cnpj) is None


def test_a_report_replaces_a_negative_entry(aws: AwsResources) -> None:
    cache = DynamoReportCache(aws.cache_table)
    cnpj = _cnpj()
    cache.put_negative(cnpj)
    cache.put_report(cnpj, {"cnpj": cnpj, "status": "ATIVA"}, "cnpjws")

    entry = cache.get(cnpj)
    assert entry is not None and entry.negative is False and entry.report == {"cnpj": cnpj, "status": "ATIVA"}


def test_writes_are_counted_and_reads_are_left_to_the_connector(aws: AwsResources) -> None:
    cache = DynamoReportCache(aws.cache_table)
    cnpj = _cnpj()

    assert cache.get(cnpj) is None
    cache.put_report(cnpj, {"cnpj": cnpj}, "cnpjws")
    cache.put_negative(_cnpj())
    assert cache.get(cnpj) is not None
    assert cache.get(cnpj) is not None
    assert cache.peek(cnpj) is not None
    assert cache.peek(_cnpj()) is None

    # The connector counts CacheHit/CacheMiss once per check; counting here too would double them.
    assert _counts() == {"CacheWrite": 2}
    assert "tenant_id" not in metrics.dimension_set


def test_invalidate_drops_the_entry(aws: AwsResources) -> None:
    cache = DynamoReportCache(aws.cache_table)
    cnpj = _cnpj()
    cache.put_report(cnpj, {"cnpj": cnpj}, "cnpjws")
    cache.invalidate(cnpj)
    assert cache.peek(cnpj) is None


def test_nonpositive_ttl_is_refused() -> None:
    with pytest.raises(ValueError):
        DynamoReportCache("t", ttl_seconds=0)

"""Metering against the moto server: the conditional counter never overshoots, even under concurrent requests."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from radar.errors import AllowanceExceeded
from radar.metering.service import UsageMeter, UsageTag
from radar.tiers import load_tiers
from tests.support.aws import AwsResources


@pytest.fixture
def meter(aws: AwsResources) -> UsageMeter:
    return UsageMeter(aws.main_table)


def test_concurrent_single_checks_stop_exactly_at_the_allowance(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    allowance = load_tiers().get("free").monthly_checks
    meter.reserve(tenant_id, "free", allowance - 5)

    def one() -> bool:
        try:
            meter.reserve(tenant_id, "free", 1)
        except AllowanceExceeded:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: one(), range(20)))
    assert outcomes.count(True) == 5
    assert meter.used(tenant_id) == allowance


def test_concurrent_partial_batches_share_what_is_left(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    allowance = load_tiers().get("free").monthly_checks
    meter.reserve(tenant_id, "free", allowance - 30)

    def batch() -> int:
        try:
            return meter.reserve(tenant_id, "free", 12, partial=True)
        except AllowanceExceeded:
            return 0

    with ThreadPoolExecutor(max_workers=4) as pool:
        granted = list(pool.map(lambda _: batch(), range(4)))
    assert sum(granted) == 30
    assert meter.used(tenant_id) == allowance


def test_all_or_nothing_for_a_single_request(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    meter.reserve(tenant_id, "free", 99)
    with pytest.raises(AllowanceExceeded) as caught:
        meter.reserve(tenant_id, "free", 2)
    assert caught.value.details["used"] == 99
    assert meter.used(tenant_id) == 99


def test_months_are_counted_separately_and_per_day(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    meter.reserve(tenant_id, "pro", 3, now=datetime(2026, 10, 31, 23, 0, tzinfo=UTC))
    meter.reserve(tenant_id, "pro", 2, now=datetime(2026, 11, 1, 1, 0, tzinfo=UTC))
    meter.reserve(tenant_id, "pro", 1, now=datetime(2026, 11, 3, 1, 0, tzinfo=UTC))
    october = meter.summary(tenant_id, "pro", now=datetime(2026, 10, 31, tzinfo=UTC))
    november = meter.summary(tenant_id, "pro", now=datetime(2026, 11, 15, tzinfo=UTC))
    assert (october.used, october.by_day) == (3, {"2026-10-31": 3})
    assert (november.used, november.allowance, november.remaining) == (3, 5000, 4997)
    assert november.by_day == {"2026-11-01": 2, "2026-11-03": 1}
    assert november.resets_at == "2026-12-01T00:00:00Z"


def test_release_gives_checks_back(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    meter.reserve(tenant_id, "free", 4)
    meter.release(tenant_id, 3)
    assert meter.summary(tenant_id, "free").used == 1


def test_report_counters_move_with_the_allowance_and_go_back_to_the_day_counted(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    tag = UsageTag("async", "api_key:k1")
    meter.reserve(tenant_id, "pro", 2, now=datetime(2026, 10, 31, 23, 0, tzinfo=UTC), tag=tag)
    # Given back a day later, in the next month: it lands on the day it was counted.
    meter.release(tenant_id, 1, now=datetime(2026, 11, 1, 1, 0, tzinfo=UTC), period="2026-10", day="31", tag=tag)
    report = meter.report(tenant_id, "2026-10", now=datetime(2026, 11, 15, tzinfo=UTC))
    last = report.days[-1]
    assert (last.date, last.checks, last.by_mode["async"], last.unattributed) == ("2026-10-31", 1, 1, 0)
    assert report.totals.checks == meter.summary(tenant_id, "pro", now=datetime(2026, 10, 31, tzinfo=UTC)).used


def test_a_refused_reservation_counts_nothing_on_the_report(meter: UsageMeter) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    allowance = load_tiers().get("free").monthly_checks
    tag = UsageTag("sync", "user:u1")
    meter.reserve(tenant_id, "free", allowance - 1, tag=tag)
    meter.reserve(tenant_id, "free", 5, partial=True, tag=UsageTag("batch", "user:u1"))  # 1 of 5 fits
    with pytest.raises(AllowanceExceeded):
        meter.reserve(tenant_id, "free", 1, tag=tag)
    report = meter.report(tenant_id, datetime.now(UTC).strftime("%Y-%m"))
    assert report.totals.checks == allowance == meter.used(tenant_id)
    assert report.totals.by_mode == {"sync": allowance - 1, "async": 0, "batch": 1}

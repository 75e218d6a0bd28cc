"""Single-flight on moto DynamoDB: one upstream call across processes, bounded waits, takeover."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import uuid
from typing import Any

import boto3
import pytest

from radar.coordination import CacheEntry, DynamoReportCache, DynamoSingleFlight
from radar.observability import metrics
from tests.support.aws import AwsResources


class FakeTime:
    """A clock whose sleep advances it, so waits are bounded without real waiting."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now
        self.on_sleep: list[Any] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        for hook in self.on_sleep:
            hook()


def _key() -> str:
    return uuid.uuid4().hex[:14].upper()


def _upstream_calls(table: str, key: str) -> int:
    item = boto3.client("dynamodb").get_item(TableName=table, Key={"pk": {"S": f"TEST#CALLS#{key}"}}).get("Item")
    return int(item["calls"]["N"]) if item else 0


def _count_upstream_call(table: str, key: str) -> None:
    boto3.client("dynamodb").update_item(
        TableName=table,
        Key={"pk": {"S": f"TEST#CALLS#{key}"}},
        UpdateExpression="ADD calls :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


def _lease(table: str, key: str) -> dict[str, Any] | None:
    """The lease item while someone holds it; None when there is none or it was released (stamped `released_at`)."""
    item = boto3.client("dynamodb").get_item(TableName=table, Key={"pk": {"S": f"LEASE#{key}"}}).get("Item")
    return None if item is None or "released_at" in item else item


def _hold_lease(table: str, key: str, expires_at: float) -> None:
    boto3.client("dynamodb").put_item(
        TableName=table,
        Item={
            "pk": {"S": f"LEASE#{key}"},
            "owner": {"S": "someone-else"},
            "expires_at": {"N": str(int(expires_at))},
        },
    )


def _check_in_process(table: str, key: str, barrier: Any, results: Any) -> None:
    """One worker process (spawned child): a cache miss for `key`, resolved through single-flight."""
    cache = DynamoReportCache(table)
    flight = DynamoSingleFlight(table, lease_seconds=30, wait_seconds=20, poll_interval=0.05)

    def compute() -> CacheEntry:
        _count_upstream_call(table, key)
        time.sleep(0.8)  # the upstream call; long enough that every sibling arrives while it is in flight
        return cache.put_report(key, {"cnpj": key, "fetched_by": os.getpid()}, "cnpjws")

    cache.peek("warm-up")  # create the client before the race, so start-up cost does not skew arrival
    barrier.wait()
    # As the connector does: a cache hit needs no flight; a miss goes through single-flight.
    entry = cache.get(key) or flight.run(key, compute, lambda: cache.peek(key))
    results.put(entry.report)


def test_concurrent_misses_across_processes_make_one_upstream_call(aws: AwsResources) -> None:
    key = _key()
    ctx = multiprocessing.get_context("spawn")
    workers = 4
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_check_in_process, args=(aws.cache_table, key, barrier, results)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=40) for _ in range(workers)]
    for process in processes:
        process.join(timeout=10)

    assert all(process.exitcode == 0 for process in processes)
    assert _upstream_calls(aws.cache_table, key) == 1
    assert len({report["fetched_by"] for report in reports}) == 1
    assert _lease(aws.cache_table, key) is None


def test_concurrent_misses_across_threads_make_one_upstream_call(aws: AwsResources) -> None:
    key = _key()
    cache = DynamoReportCache(aws.cache_table)
    flight = DynamoSingleFlight(aws.cache_table, wait_seconds=10, poll_interval=0.02)
    calls: list[int] = []
    start = threading.Barrier(8)
    release_upstream = threading.Event()
    results: list[CacheEntry] = []

    def compute() -> CacheEntry:
        calls.append(1)
        release_upstream.wait(timeout=10)
        return cache.put_report(key, {"cnpj": key}, "brasilapi")

    def worker() -> None:
        start.wait()
        results.append(flight.run(key, compute, lambda: cache.peek(key)))

    metrics.clear_metrics()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    # Let the upstream answer only once all eight callers have arrived and seven are waiting.
    deadline = time.monotonic() + 10
    while sum(metrics.metric_set.get("SingleFlightWaits", {}).get("Value", [])) < 7 and time.monotonic() < deadline:
        time.sleep(0.01)
    release_upstream.set()
    for thread in threads:
        thread.join(timeout=10)

    assert len(calls) == 1
    assert len(results) == 8 and all(entry.report == {"cnpj": key} for entry in results)
    assert sum(metrics.metric_set["SingleFlightWaits"]["Value"]) == 7


def test_a_waiter_computes_itself_when_the_wait_times_out(aws: AwsResources) -> None:
    key = _key()
    clock = FakeTime()
    _hold_lease(aws.cache_table, key, clock.now + 600)  # a live winner that never answers in time
    flight = DynamoSingleFlight(aws.cache_table, wait_seconds=2, poll_interval=0.5, clock=clock, sleep=clock.sleep)
    polls: list[float] = []
    fallback = CacheEntry(key, {"cnpj": key}, False, "receitaws", "2026-01-01T00:00:00Z", 0)

    def lookup() -> CacheEntry | None:
        polls.append(clock.now)
        return None

    metrics.clear_metrics()
    entry = flight.run(key, lambda: fallback, lookup)

    assert entry is fallback
    assert len(polls) == 4  # bounded: wait_seconds / poll_interval polls, no more
    assert sum(metrics.metric_set["SingleFlightWaits"]["Value"]) == 1
    assert _lease(aws.cache_table, key) is not None  # the other holder's lease is left alone


def test_a_waiter_returns_the_winners_result(aws: AwsResources) -> None:
    key = _key()
    clock = FakeTime()
    _hold_lease(aws.cache_table, key, clock.now + 600)
    cache = DynamoReportCache(aws.cache_table)
    flight = DynamoSingleFlight(aws.cache_table, wait_seconds=5, poll_interval=0.5, clock=clock, sleep=clock.sleep)
    clock.on_sleep.append(lambda: cache.put_report(key, {"cnpj": key, "by": "winner"}, "cnpjws"))

    def must_not_compute() -> CacheEntry:
        raise AssertionError("the waiter must not call upstream")

    entry = flight.run(key, must_not_compute, lambda: cache.peek(key))
    assert entry.report == {"cnpj": key, "by": "winner"}


def test_a_waiter_takes_over_when_the_winner_fails(aws: AwsResources) -> None:
    key = _key()
    clock = FakeTime()
    _hold_lease(aws.cache_table, key, clock.now + 600)
    flight = DynamoSingleFlight(aws.cache_table, wait_seconds=5, poll_interval=0.5, clock=clock, sleep=clock.sleep)
    # The winner fails and releases its lease without writing a result.
    clock.on_sleep.append(
        lambda: boto3.client("dynamodb").delete_item(TableName=aws.cache_table, Key={"pk": {"S": f"LEASE#{key}"}})
    )
    seen_lease: list[dict[str, Any] | None] = []

    def compute() -> CacheEntry:
        seen_lease.append(_lease(aws.cache_table, key))
        return CacheEntry(key, {"cnpj": key}, False, "cnpjws", "2026-01-01T00:00:00Z", 0)

    entry = flight.run(key, compute, lambda: None)

    assert entry.report == {"cnpj": key}
    assert seen_lease[0] is not None and seen_lease[0]["owner"]["S"] != "someone-else"  # computed holding it
    assert _lease(aws.cache_table, key) is None  # and released it


def test_an_expired_lease_of_a_crashed_winner_is_taken(aws: AwsResources) -> None:
    key = _key()
    clock = FakeTime()
    _hold_lease(aws.cache_table, key, clock.now - 1)
    flight = DynamoSingleFlight(aws.cache_table, clock=clock, sleep=clock.sleep)
    metrics.clear_metrics()

    entry = flight.run(key, lambda: CacheEntry(key, None, True, None, "t", 0), lambda: None)

    assert entry.negative is True
    assert "SingleFlightWaits" not in metrics.metric_set
    assert _lease(aws.cache_table, key) is None


def test_the_lease_is_released_when_compute_raises(aws: AwsResources) -> None:
    key = _key()
    flight = DynamoSingleFlight(aws.cache_table)

    def failing() -> CacheEntry:
        raise RuntimeError("every provider failed")

    with pytest.raises(RuntimeError):
        flight.run(key, failing, lambda: None)
    assert _lease(aws.cache_table, key) is None


def test_a_lease_winner_uses_a_result_that_landed_after_its_miss(aws: AwsResources) -> None:
    key = _key()
    cache = DynamoReportCache(aws.cache_table)
    flight = DynamoSingleFlight(aws.cache_table)
    # The previous winner finishes (writes the result, releases its lease) after this caller's miss.
    flight.run(key, lambda: cache.put_report(key, {"cnpj": key, "by": "previous winner"}, "cnpjws"), lambda: None)

    def must_not_compute() -> CacheEntry:
        raise AssertionError("the result is already there")

    entry = flight.run(key, must_not_compute, lambda: cache.peek(key))
    assert entry.report == {"cnpj": key, "by": "previous winner"}
    assert _lease(aws.cache_table, key) is None


def test_a_lease_winner_reads_the_cache_again_only_when_someone_may_have_just_finished(aws: AwsResources) -> None:
    key = _key()
    clock = FakeTime()
    flight = DynamoSingleFlight(aws.cache_table, clock=clock, sleep=clock.sleep)
    looked: list[int] = []

    def lookup() -> CacheEntry | None:
        looked.append(1)
        return None

    def compute() -> CacheEntry:
        return CacheEntry(key, {"cnpj": key}, False, "brasilapi", "t", 0)

    flight.run(key, compute, lookup)  # no lease item before: nobody can have finished, no second read
    assert looked == []
    clock.sleep(600)  # released long before the next caller's miss
    flight.run(key, compute, lookup)
    assert looked == []
    _hold_lease(aws.cache_table, key, clock.now - 1)  # a holder that crashed (perhaps after writing): look first
    flight.run(key, compute, lookup)
    assert looked == [1]

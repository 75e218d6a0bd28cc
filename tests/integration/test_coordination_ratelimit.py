"""Token buckets on moto DynamoDB: exact under multi-process contention, and never over a provider's window."""

from __future__ import annotations

import multiprocessing
import random
import threading
import uuid
from typing import Any

import pytest

from radar.coordination import DynamoRateLimiter, bucket_spec
from scripts.sandbox.limits import SlidingWindowLimiter
from tests.support.aws import AwsResources


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _provider() -> str:
    return f"prov-{uuid.uuid4().hex[:8]}"


def _take_tokens(table: str, provider: str, frozen_at: float, attempts: int, barrier: Any, results: Any) -> None:
    """One worker process (spawned child): four threads racing for tokens at a frozen instant."""
    limiter = DynamoRateLimiter(table, {provider: 60}, burst={provider: 20}, clock=lambda: frozen_at)
    granted: list[bool] = []

    def worker() -> None:
        for _ in range(attempts):
            granted.append(limiter.try_acquire(provider))

    barrier.wait()
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(sum(granted))


def test_bucket_is_exact_under_contention_across_processes(aws: AwsResources) -> None:
    provider = _provider()
    ctx = multiprocessing.get_context("spawn")
    workers, attempts = 3, 5  # 3 processes x 4 threads x 5 = 60 attempts for 20 tokens, no refill
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_take_tokens, args=(aws.cache_table, provider, 1_800_000_000.0, attempts, barrier, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    granted = sum(results.get(timeout=40) for _ in range(workers))
    for process in processes:
        process.join(timeout=10)

    assert granted == 20
    assert DynamoRateLimiter(aws.cache_table, {provider: 60}, burst={provider: 20}).tokens(provider) < 1


@pytest.mark.parametrize(("per_minute", "minutes"), [(3, 10), (60, 2)])
def test_no_sixty_second_window_ever_exceeds_the_provider_limit(
    aws: AwsResources, per_minute: int, minutes: int
) -> None:
    """Callers hammer the bucket at random instants (about four times the supply) for some simulated minutes; every
    granted request is then replayed into the sandbox's own sliding-window limiter, which must admit all."""
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: per_minute}, clock=clock)
    provider_window = SlidingWindowLimiter(60.0)
    rng = random.Random(per_minute)
    start = clock.now
    granted_at: list[float] = []
    while clock.now < start + 60 * minutes:
        clock.now += rng.uniform(0.0, 30.0 / per_minute)
        if limiter.try_acquire(provider):
            granted_at.append(clock.now)

    assert all(provider_window.try_admit(provider, per_minute, t) for t in granted_at)
    assert max(sum(1 for t in granted_at if s <= t <= s + 60) for s in granted_at) <= per_minute
    # And it is not needlessly stingy: close to the limit over the whole run.
    assert len(granted_at) >= 0.8 * per_minute * minutes


def test_an_empty_bucket_refuses_then_refills(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 3}, clock=clock)

    assert limiter.try_acquire(provider) is True
    assert limiter.try_acquire(provider) is False
    wait = limiter.seconds_until_available(provider)
    assert wait == pytest.approx(21.0)
    clock.now += wait - 0.5
    assert limiter.try_acquire(provider) is False
    clock.now += 0.5
    assert limiter.try_acquire(provider) is True


def test_a_clock_running_behind_never_creates_tokens(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 3}, clock=clock)
    assert limiter.try_acquire(provider) is True
    clock.now -= 120  # another worker's clock is two minutes behind
    assert limiter.try_acquire(provider) is False


def test_buckets_are_per_provider_and_unknown_providers_are_unlimited(aws: AwsResources) -> None:
    a, b = _provider(), _provider()
    limiter = DynamoRateLimiter(aws.cache_table, {a: 3, b: 3}, clock=FakeClock())
    assert limiter.try_acquire(a) is True
    assert limiter.try_acquire(a) is False
    assert limiter.try_acquire(b) is True
    assert all(limiter.try_acquire("not-configured") for _ in range(10))


def test_state_is_shared_between_limiter_instances(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    first = DynamoRateLimiter(aws.cache_table, {provider: 3}, clock=clock)
    second = DynamoRateLimiter(aws.cache_table, {provider: 3}, clock=clock)
    assert first.try_acquire(provider) is True
    assert second.try_acquire(provider) is False


def test_bucket_sizing() -> None:
    assert bucket_spec(3).capacity == 1
    assert bucket_spec(3).max_in_window() == 3
    assert bucket_spec(60).capacity == 6
    assert 55 <= bucket_spec(60).max_in_window() <= 60
    assert 55 <= bucket_spec(60, burst=30).max_in_window() <= 60
    with pytest.raises(ValueError):
        bucket_spec(3, burst=4)
    with pytest.raises(ValueError):
        bucket_spec(0)

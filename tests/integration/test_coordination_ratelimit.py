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


@pytest.mark.parametrize(
    ("per_minute", "minutes", "time_scale", "skew"), [(3, 10, 1.0, 1.0), (60, 2, 1.0, 1.0), (60, 20, 10.0, 0.25)]
)
def test_no_window_ever_exceeds_the_provider_limit_even_with_network_skew(
    aws: AwsResources, per_minute: int, minutes: int, time_scale: float, skew: float
) -> None:
    """Callers hammer the schedule at random instants (about four times the supply) for some simulated minutes, each
    waiting up to a few slots for its reservation; every request then reaches the sandbox's own sliding-window
    limiter up to `skew` seconds late (random per request), and the limiter must admit all of them."""
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(
        aws.cache_table, {provider: per_minute}, clock=clock, time_scale=time_scale, skew_seconds=skew
    )
    window = 60.0 / time_scale
    provider_window = SlidingWindowLimiter(window)
    rng = random.Random(per_minute)
    start = clock.now
    sent_at: list[float] = []
    while clock.now < start + window * minutes:
        clock.now += rng.uniform(0.0, window / per_minute / 2)
        wait = limiter.reserve(provider, max_wait=3 * window / per_minute)
        if wait is not None:
            sent_at.append(clock.now + wait)

    arrivals = sorted(t + rng.uniform(0.0, skew) for t in sent_at)
    assert all(provider_window.try_admit(provider, per_minute, t) for t in arrivals)
    # Not needlessly stingy: the schedule hands out N per (window + skew) over the whole run.
    assert len(sent_at) >= 0.98 * per_minute * minutes * window / (window + skew) - 1


def test_an_empty_bucket_refuses_then_refills(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 3}, clock=clock)

    assert limiter.try_acquire(provider) is True
    assert limiter.try_acquire(provider) is False
    wait = limiter.seconds_until_available(provider)
    assert wait == pytest.approx(61.0 / 3)
    clock.now += wait - 0.5
    assert limiter.try_acquire(provider) is False
    clock.now += 0.5
    assert limiter.try_acquire(provider) is True


def test_a_reservation_holds_a_future_slot_and_the_next_caller_gets_the_one_after(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 6}, clock=clock, time_scale=10.0, skew_seconds=0.0)
    # 6 per 6 s: one slot a second.
    assert limiter.reserve(provider, max_wait=5) == pytest.approx(0.0)
    assert limiter.reserve(provider, max_wait=5) == pytest.approx(1.0)
    assert limiter.reserve(provider, max_wait=5) == pytest.approx(2.0)
    assert limiter.reserve(provider, max_wait=2.5) is None  # the next one starts in 3 s: nothing reserved
    assert limiter.seconds_until_available(provider) == pytest.approx(3.0)


def test_the_slots_left_by_a_reservation_are_known_without_reading_the_schedule_again(aws: AwsResources) -> None:
    """What the chain reports as ProviderSlotsFree: computed from the item the reservation read and wrote."""
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 60}, burst={provider: 3}, clock=clock, skew_seconds=0.0)
    first = limiter.reserve_slot(provider)
    assert first.granted and first.wait == pytest.approx(0.0)
    assert first.slots_free == pytest.approx(2.0, abs=1e-3)
    assert limiter.tokens(provider) == pytest.approx(2.0, abs=1e-3)
    assert limiter.try_acquire(provider) and limiter.acquire_slot(provider).slots_free == pytest.approx(0.0, abs=1e-3)
    refused = limiter.acquire_slot(provider)
    assert not refused.granted and refused.wait is None and refused.slots_free == 0.0
    clock.now += 1.5  # a slot refills every 60/58 s: 1.45 slots back, one taken
    later = limiter.reserve_slot(provider)
    left = 1.5 / bucket_spec(60, 3, skew_seconds=0.0).interval - 1
    assert later.granted and later.slots_free == pytest.approx(left, abs=1e-3)
    assert later.slots_free == pytest.approx(limiter.tokens(provider), abs=1e-3)
    unlimited = limiter.reserve_slot("not-configured")
    assert unlimited.granted and unlimited.slots_free is None


def test_each_thread_sees_the_slots_left_by_its_own_reservation_not_another_threads(aws: AwsResources) -> None:
    """A worker's record threads share one limiter: what one reports must not be another's reservation (a shared
    last-observed value made thread A's gauge read thread B's later count)."""
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 60}, burst={provider: 3}, clock=clock, skew_seconds=0.0)
    first_reserved, second_done = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def first() -> None:
        reservation = limiter.reserve_slot(provider)
        first_reserved.set()
        second_done.wait(10)  # the other thread reserves before this one reports
        seen["first"] = reservation

    def second() -> None:
        first_reserved.wait(10)
        seen["second"] = limiter.reserve_slot(provider)
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert seen["first"].slots_free == pytest.approx(2.0, abs=1e-3)
    assert seen["second"].slots_free == pytest.approx(1.0, abs=1e-3)
    assert not hasattr(limiter, "observed_slots")  # no per-limiter "last seen" state left to race on


def test_a_pause_holds_every_slot_until_the_retry_after(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 60}, clock=clock, skew_seconds=0.0)
    limiter.pause(provider, 12.0)
    assert limiter.try_acquire(provider) is False
    assert limiter.seconds_until_available(provider) == pytest.approx(12.0)
    clock.now += 12.0
    assert limiter.try_acquire(provider) is True
    limiter.pause(provider, None)  # no Retry-After: one whole window
    assert limiter.seconds_until_available(provider) == pytest.approx(60.0)


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
    assert bucket_spec(3).burst == 1
    assert bucket_spec(3).max_in_window() == 3
    assert bucket_spec(3).per_minute == pytest.approx(3 * 60 / 61)
    assert bucket_spec(60).max_in_window() == 60
    assert bucket_spec(60, burst=30).max_in_window() == 60
    # Time-scaled: the window shrinks, the absolute skew does not.
    scaled = bucket_spec(60, time_scale=10, skew_seconds=0.25)
    assert scaled.window_seconds == pytest.approx(6.0)
    assert scaled.per_minute == pytest.approx(600 * 6 / 6.25)
    with pytest.raises(ValueError):
        bucket_spec(3, burst=4)
    with pytest.raises(ValueError):
        bucket_spec(0)


def _prefetch(table: str, provider: str) -> None:
    """What the walk does first on each worker thread: the provider's bucket read in the one BatchGetItem of every
    breaker and schedule, remembered for the reservation that follows."""
    from radar.coordination import DynamoCircuitBreaker

    DynamoCircuitBreaker(table).prefetch([provider], [provider])


@pytest.mark.parametrize("taken_since_read", [0, 2])
def test_reservations_from_a_prefetched_bucket_never_grant_more_than_its_capacity(
    aws: AwsResources, taken_since_read: int
) -> None:
    """N threads each prefetch the same bucket (one version), then all reserve at once from that snapshot, at a frozen
    instant: only the slots the schedule holds within the wait are granted, however stale the snapshot. With
    `taken_since_read`, another worker takes slots between the prefetch and the reservations: a snapshot that no
    longer matches the bucket must lose its conditional write and read again, never reserve from the old state."""
    provider = _provider()
    frozen = 1_800_000_000.0
    # 6 per 6 s at time scale 10, no skew: one slot a second, burst 1. A wait of up to 3.5 s holds 4 slots (0..3 s).
    limiter = DynamoRateLimiter(
        aws.cache_table, {provider: 6}, clock=lambda: frozen, time_scale=10.0, skew_seconds=0.0, max_attempts=200
    )
    max_wait, capacity = 3.5, 4
    threads_count = 12
    barrier = threading.Barrier(threads_count + 1)
    slots: list[float] = []
    lock = threading.Lock()

    def reserver() -> None:
        _prefetch(aws.cache_table, provider)
        barrier.wait()  # every thread holds its snapshot: the other worker (main thread) goes now
        barrier.wait()
        for _ in range(2):
            wait = limiter.reserve(provider, max_wait=max_wait)
            if wait is not None:
                with lock:
                    slots.append(round(wait, 6))

    threads = [threading.Thread(target=reserver) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    other = DynamoRateLimiter(aws.cache_table, {provider: 6}, clock=lambda: frozen, time_scale=10.0, skew_seconds=0.0)
    taken = [other.reserve(provider, max_wait=max_wait) for _ in range(taken_since_read)]
    assert all(wait is not None for wait in taken)
    barrier.wait()
    for thread in threads:
        thread.join(timeout=60)

    assert len(slots) == capacity - taken_since_read
    # Each granted slot is its own: one a second, after the ones the other worker took.
    assert sorted(slots) == [float(s) for s in range(taken_since_read, capacity)]
    assert limiter.reserve(provider, max_wait=max_wait) is None


def test_a_slot_reached_too_late_moves_the_schedule_or_is_left_unused_for_the_next(aws: AwsResources) -> None:
    """A request sent well after its slot (an oversleep on a busy host, a slow write) would reach the provider within
    one window of the requests of the next slots. acquire shifts the schedule by the delay when nobody reserved after
    that slot; when someone did, it leaves the slot unused and waits for the next one, so requests stay an interval
    apart as they really leave."""
    provider = _provider()
    clock = FakeClock()
    start = clock.now
    others: list[float] = []  # slots another worker reserves while this one oversleeps
    oversleeps: list[tuple[float, bool]] = []  # (overrun, whether another worker reserves meanwhile)

    def sleep(seconds: float) -> None:
        clock.now += seconds
        if oversleeps:
            overrun, contended = oversleeps.pop(0)
            clock.now += overrun
            if contended:
                wait = other.reserve(provider, max_wait=10)
                assert wait is not None
                others.append(clock.now + wait)

    # 6 per 6 s with 1 s skew: a slot every 7/6 s.
    limiter = DynamoRateLimiter(aws.cache_table, {provider: 6}, clock=clock, time_scale=10.0, sleep=sleep)
    other = DynamoRateLimiter(aws.cache_table, {provider: 6}, clock=clock, time_scale=10.0)
    interval = 7.0 / 6.0
    assert limiter.late_seconds == pytest.approx(1.0)
    assert limiter.acquire(provider, max_wait=5) is True  # slot 0, now

    # Slot 1 reached 1.05 s late, nobody after it: the schedule moves, the next slot is an interval after now.
    oversleeps.append((1.05, False))
    assert limiter.acquire(provider, max_wait=5) is True
    sent = clock.now
    assert sent == pytest.approx(start + interval + 1.05)
    assert limiter.seconds_until_available(provider) == pytest.approx(interval)

    # Slot 2 reached 1.05 s late while another worker took slot 3: slot 2 stays unused, this request waits for slot 4.
    oversleeps.append((1.05, True))
    assert limiter.acquire(provider, max_wait=5) is True
    assert len(others) == 1 and clock.now - others[0] >= interval - 1e-6
    assert clock.now - sent >= interval - 1e-6

    # Late again and no next slot inside the budget: nothing is sent.
    oversleeps.append((1.05, True))
    assert limiter.acquire(provider, max_wait=interval + 0.1) is False

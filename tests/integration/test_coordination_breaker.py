"""Circuit breakers on moto DynamoDB: open after consecutive failures, one half-open probe, close or reopen."""

from __future__ import annotations

import threading
import uuid

from radar.coordination import DynamoCircuitBreaker
from radar.coordination.breaker import CLOSED, HALF_OPEN, OPEN
from radar.observability import metrics
from tests.support.aws import AwsResources


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _provider() -> str:
    return f"prov-{uuid.uuid4().hex[:8]}"


def _open_breaker(breaker: DynamoCircuitBreaker, provider: str) -> None:
    for _ in range(breaker.failure_threshold):
        breaker.record_failure(provider)


def test_closed_by_default_and_opens_after_consecutive_failures(aws: AwsResources) -> None:
    provider = _provider()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=3, open_seconds=30, clock=FakeClock())
    assert breaker.allow(provider) is True

    breaker.record_failure(provider)
    breaker.record_failure(provider)
    assert breaker.allow(provider) is True
    metrics.clear_metrics()
    breaker.record_failure(provider)

    assert breaker.state(provider) == OPEN
    assert breaker.allow(provider) is False
    assert sum(metrics.metric_set["CircuitOpened"]["Value"]) == 1


def test_a_success_resets_the_consecutive_count(aws: AwsResources) -> None:
    provider = _provider()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=3, clock=FakeClock())
    breaker.record_failure(provider)
    breaker.record_failure(provider)
    breaker.record_success(provider)
    breaker.record_failure(provider)
    breaker.record_failure(provider)
    assert breaker.state(provider) == CLOSED


def test_only_one_concurrent_caller_gets_the_half_open_probe(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=2, open_seconds=30, clock=clock)
    _open_breaker(breaker, provider)
    clock.now += 29.9
    assert breaker.allow(provider) is False
    clock.now += 0.1

    start = threading.Barrier(10)
    answers: list[bool] = []

    def caller() -> None:
        start.wait()
        answers.append(breaker.allow(provider))

    threads = [threading.Thread(target=caller) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [False] * 9 + [True]
    assert breaker.state(provider) == HALF_OPEN
    assert breaker.allow(provider) is False  # the probe is still out


def test_probe_success_closes_the_breaker(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=1, open_seconds=30, clock=clock)
    _open_breaker(breaker, provider)
    clock.now += 31
    assert breaker.allow(provider) is True
    breaker.record_success(provider)

    assert breaker.state(provider) == CLOSED
    assert breaker.allow(provider) is True
    breaker.record_failure(provider)  # threshold 1: the count restarted from zero, so one failure reopens
    assert breaker.state(provider) == OPEN


def test_probe_failure_reopens_for_another_period(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=5, open_seconds=30, clock=clock)
    _open_breaker(breaker, provider)
    clock.now += 30
    assert breaker.allow(provider) is True
    breaker.record_failure(provider)

    assert breaker.state(provider) == OPEN
    clock.now += 29
    assert breaker.allow(provider) is False
    clock.now += 1
    assert breaker.allow(provider) is True


def test_a_silent_probe_is_replaced_after_an_open_period(aws: AwsResources) -> None:
    provider = _provider()
    clock = FakeClock()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=1, open_seconds=30, clock=clock)
    _open_breaker(breaker, provider)
    clock.now += 30
    assert breaker.allow(provider) is True  # the probe's worker then dies without reporting
    clock.now += 29
    assert breaker.allow(provider) is False
    clock.now += 1
    assert breaker.allow(provider) is True


def test_breakers_are_independent_per_provider(aws: AwsResources) -> None:
    down, up = _provider(), _provider()
    breaker = DynamoCircuitBreaker(aws.cache_table, failure_threshold=1, clock=FakeClock())
    breaker.record_failure(down)
    assert breaker.allow(down) is False
    assert breaker.allow(up) is True


def test_success_on_a_healthy_breaker_writes_nothing(aws: AwsResources) -> None:
    import boto3

    provider = _provider()
    DynamoCircuitBreaker(aws.cache_table).record_success(provider)
    item = boto3.client("dynamodb").get_item(TableName=aws.cache_table, Key={"pk": {"S": f"BREAKER#{provider}"}})
    assert "Item" not in item

"""The real connector and providers on DynamoDB coordination against the sandbox: limits hold, one call per CNPJ."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest

from radar.cnpj import Cnpj, check_digits
from radar.coordination import DynamoCircuitBreaker, DynamoRateLimiter, DynamoReportCache, DynamoSingleFlight
from radar.lookup import ProvidersUnavailable
from radar.lookup.chain import ProviderChain
from radar.providers.brasilapi import BrasilApiProvider
from radar.providers.cnpjws import CnpjWsProvider
from radar.providers.receitaws import ReceitaWsProvider
from scripts.sandbox import SandboxServer, start_sandbox
from tests.support.aws import AwsResources

LIMITS = {"cnpjws": 3.0, "brasilapi": 6.0, "receitaws": 3.0}


@pytest.fixture
def sandbox() -> Iterator[tuple[SandboxServer, str]]:
    server, url = start_sandbox(rate_limits=True, limits_per_min=LIMITS)
    yield server, url
    server.stop()


def _connector(table: str, url: str, limits: dict[str, float] = LIMITS) -> ProviderChain:
    """cnpj.ws, BrasilAPI and ReceitaWS on the sandbox at `url`, coordinated on `table` under `limits`."""
    return ProviderChain(
        providers=[
            CnpjWsProvider(base_url=f"{url}/cnpjws", commercial_base_url=f"{url}/cnpjws"),
            BrasilApiProvider(base_url=f"{url}/brasilapi/api/cnpj/v1"),
            ReceitaWsProvider(base_url=f"{url}/receitaws/v1"),
        ],
        cache=DynamoReportCache(table),
        single_flight=DynamoSingleFlight(table, wait_seconds=10, poll_interval=0.05),
        limiter=DynamoRateLimiter(table, per_minute=limits),
        breaker=DynamoCircuitBreaker(table),
        allow_mock=False,
    )


def _fresh_cnpjs(count: int) -> list[Cnpj]:
    cnpjs: list[Cnpj] = []
    while len(cnpjs) < count:
        body = f"{uuid.uuid4().int % 10**8:08d}0001"
        cnpjs.append(Cnpj(body + check_digits(body)))
    return cnpjs


def _clear_coordination(table: str) -> None:
    """Start from full buckets and closed breakers (the session table is shared with other tests)."""
    import boto3

    ddb = boto3.client("dynamodb")
    for provider in LIMITS:
        for prefix in ("BUCKET#", "BREAKER#"):
            ddb.delete_item(TableName=table, Key={"pk": {"S": f"{prefix}{provider}"}})


def test_a_burst_of_distinct_cnpjs_never_exceeds_any_provider_limit(
    aws: AwsResources, sandbox: tuple[SandboxServer, str]
) -> None:
    _clear_coordination(aws.cache_table)
    connector = _connector(aws.cache_table, sandbox[1])
    outcomes: list[str] = []

    def check(cnpj: Cnpj) -> None:
        try:
            outcomes.append(connector.lookup(cnpj).source or "none")
        except ProvidersUnavailable:
            outcomes.append("unavailable")  # the async path retries these later through message visibility

    threads = [threading.Thread(target=check, args=(cnpj,)) for cnpj in _fresh_cnpjs(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    stats = httpx.get(f"{sandbox[1]}/_sandbox/stats").json()
    assert stats["violations"] == 0 and set(stats["rate_limited"].values()) == {0}
    assert all(stats["requests"][p] <= LIMITS[p] for p in LIMITS)
    assert len(outcomes) == 40
    assert outcomes.count("unavailable") == 40 - sum(stats["by_status"][p].get("200", 0) for p in stats["by_status"])


def test_concurrent_checks_of_one_cnpj_make_one_upstream_call(
    aws: AwsResources, sandbox: tuple[SandboxServer, str]
) -> None:
    _clear_coordination(aws.cache_table)
    connector = _connector(aws.cache_table, sandbox[1])
    httpx.post(f"{sandbox[1]}/_sandbox/config", json={"latency_ms": 300}).raise_for_status()
    cnpj = _fresh_cnpjs(1)[0]
    sources: list[str | None] = []

    threads = [threading.Thread(target=lambda: sources.append(connector.lookup(cnpj).source)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    stats = httpx.get(f"{sandbox[1]}/_sandbox/stats").json()
    assert stats["by_cnpj"] == {cnpj.value: 1}
    assert sources == ["cnpjws"] * 6


def test_a_forced_refresh_right_after_a_lookup_asks_upstream_again(
    aws: AwsResources, sandbox: tuple[SandboxServer, str]
) -> None:
    # The single-flight winner looks in the cache once more before computing; a forced refresh must not take the
    # entry written a moment earlier (same second) for its own result.
    _clear_coordination(aws.cache_table)
    connector = _connector(aws.cache_table, sandbox[1])
    cnpj = _fresh_cnpjs(1)[0]
    first = connector.lookup(cnpj)
    refreshed = connector.lookup(cnpj, force_refresh=True)
    assert (first.cached, refreshed.cached) == (False, False)
    assert httpx.get(f"{sandbox[1]}/_sandbox/stats").json()["by_cnpj"] == {cnpj.value: 2}

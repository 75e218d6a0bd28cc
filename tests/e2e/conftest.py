"""End-to-end fixtures: one real local cloud (with the provider sandbox) for the whole e2e session."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cloud import RunningCloud, Tenant, running_cloud

# BrasilAPI documents no rate limit, so its token bucket is configurable: the e2e cloud gives it room for batches.
# cnpj.ws and ReceitaWS keep their real 3/min limits, enforced by the sandbox with their real 429s.
BRASILAPI_PER_MIN = 6000
# The template's authorizer decision cache is 60 s (README); the e2e cloud shortens it so revocation tests are quick.
AUTH_CACHE_TTL_SECONDS = 5
# The e2e checks finish in well under a second: a short running lease lets killed-worker tests take over quickly.
CHECK_LEASE_SECONDS = 8
# The tenant purge in small steps (3 items a page, one page per message, a 3 s lease), so a deletion takes many
# messages and tests/e2e/test_tenant_deletion.py can kill the purge while it runs.
PURGE_ENV = {"PURGE_PAGE_SIZE": "3", "PURGE_PAGES_PER_INVOCATION": "1", "PURGE_LEASE_SECONDS": "3"}


SHARED_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "providers"


@pytest.fixture(scope="session")
def sandbox_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the provider fixtures the sandbox serves, so a test can change a company between checks."""
    directory = tmp_path_factory.mktemp("fixtures")
    source = Path(os.environ.get("RADAR_SANDBOX_FIXTURES", SHARED_FIXTURES))
    for path in source.glob("*.json"):
        shutil.copy(path, directory / path.name)
    return directory


@pytest.fixture(scope="session")
def cloud(tmp_path_factory: pytest.TempPathFactory, sandbox_fixtures: Path) -> Iterator[RunningCloud]:
    with running_cloud(
        tmp_path_factory.mktemp("localcloud"),
        extra_env={
            "RADAR_SANDBOX_FIXTURES": str(sandbox_fixtures),
            "RADAR_FUNCTION_ENV": json.dumps(
                {
                    "RATE_LIMIT_BRASILAPI_PER_MIN": str(BRASILAPI_PER_MIN),
                    "AUTH_CACHE_TTL_SECONDS": str(AUTH_CACHE_TTL_SECONDS),
                    # A killed worker's check is taken over when its running lease ends (90 s by default).
                    "CHECK_LEASE_SECONDS": str(CHECK_LEASE_SECONDS),
                    **PURGE_ENV,
                }
            )
        },
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def _calm_sandbox(cloud: RunningCloud) -> None:
    """Each test starts from a sandbox with no injected faults or latency, and with the providers' breakers closed:
    a test that made every provider fail opens them (for 30 s, as it should), and the next test must not inherit
    that (BrasilAPI and minha-receita share one breaker, so it opens twice as fast)."""
    cloud.sandbox(fault_rate=0.0, latency_ms=0, rate_limits=True, limits_per_min={"brasilapi": BRASILAPI_PER_MIN})
    close_breakers(cloud)


def close_breakers(cloud: RunningCloud) -> None:
    import boto3

    from radar.lookup.registry import PROVIDERS, outage_group

    dynamodb = boto3.client("dynamodb", endpoint_url=cloud.endpoint, region_name="us-east-1")
    table = cloud.resource("CacheTable")["ref"]
    for group in sorted({outage_group(entry.name) for entry in PROVIDERS}):
        dynamodb.delete_item(TableName=table, Key={"pk": {"S": f"BREAKER#{group}"}})


@pytest.fixture
def tenant(cloud: RunningCloud) -> Tenant:
    return cloud.signup()


@pytest.fixture
def other_tenant(cloud: RunningCloud) -> Tenant:
    return cloud.signup()


@pytest.fixture
def big_tenant(cloud: RunningCloud) -> Tenant:
    """A tenant on the business plan: room for bursts and for hundreds of checks."""
    tenant = cloud.signup()
    tenant.upgrade("business")
    return tenant

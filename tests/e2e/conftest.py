"""End-to-end fixtures: one real local cloud (with the provider sandbox) for the whole e2e session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.cloud import RunningCloud, Tenant, start_cloud, stop_cloud


@pytest.fixture(scope="session")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    running = start_cloud(tmp_path_factory.mktemp("localcloud"))
    yield running
    stop_cloud(running)


@pytest.fixture(autouse=True)
def _calm_sandbox(cloud: RunningCloud) -> None:
    """Each test starts from a sandbox with no injected faults or latency."""
    cloud.sandbox(fault_rate=0.0, latency_ms=0)


@pytest.fixture
def tenant(cloud: RunningCloud) -> Tenant:
    return cloud.signup()


@pytest.fixture
def other_tenant(cloud: RunningCloud) -> Tenant:
    return cloud.signup()

"""Freshness per request, over the gateway (issue 15): `max_age` decides whether the cached report may answer, and
with every provider down a check is answered from the last good report, flagged stale, unless `max_stale` refuses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


@pytest.fixture
def providers_down(cloud: RunningCloud) -> Iterator[None]:
    cloud.sandbox(fault_rate=1.0, faults=["5xx"])  # every provider answers 5xx
    yield
    cloud.sandbox(fault_rate=0.0)


def _target(tenant: Tenant, seed: int) -> str:
    with tenant.client() as client:
        created = client.post("/targets", json={"cnpj": random_cnpjs(1, seed=seed, alphanumeric_share=0.0)[0]})
        assert created.status_code == 201, created.text
        return str(created.json()["id"])


def test_max_age_picks_between_the_cached_report_and_the_providers(cloud: RunningCloud) -> None:
    tenant = cloud.signup()
    tenant.upgrade("pro")
    target = _target(tenant, 1501)
    with tenant.client(timeout=60) as client:
        first = client.post(f"/targets/{target}/checks")
        assert first.status_code == 201 and first.json()["cached"] is False, first.text
        assert first.json()["age_seconds"] < 60 and first.json()["stale"] is None
        young = client.post(f"/targets/{target}/checks", params={"max_age": "1h"}).json()
        assert young["cached"] is True and young["report"]["fetched_at"] == first.json()["report"]["fetched_at"]
        fresh = client.post(f"/targets/{target}/checks", params={"max_age": "0"}).json()
        assert fresh["cached"] is False and fresh["report"]["fetched_at"] > first.json()["report"]["fetched_at"]
        bad = client.post(f"/targets/{target}/checks", params={"max_age": "7 weeks"})
        assert bad.status_code == 422, bad.text
        assert "max_age" in bad.text


def test_every_provider_down_serves_the_last_good_report_stale_unless_max_stale_refuses(
    cloud: RunningCloud, providers_down: None
) -> None:
    tenant = cloud.signup()
    tenant.upgrade("pro")
    target = _target(tenant, 1502)
    with tenant.client(timeout=60) as client:
        cloud.sandbox(fault_rate=0.0)
        good = client.post(f"/targets/{target}/checks")
        assert good.status_code == 201, good.text
        cloud.sandbox(fault_rate=1.0, faults=["5xx"])
        used = client.get("/usage").json()["used"]
        # max_age=0 sends it to the providers, which all fail: the last good report answers, flagged.
        stale = client.post(f"/targets/{target}/checks", params={"max_age": "0"})
        assert stale.status_code == 201, stale.text
        body = stale.json()
        assert body["status"] == "succeeded" and body["stale"] is True and body["cached"] is True
        assert body["report"]["fetched_at"] == good.json()["report"]["fetched_at"] and body["age_seconds"] >= 0
        unheard = {"transient", "error", "circuit_open", "rate_limited"}
        assert body["errors"] and {e["outcome"] for e in body["errors"]} <= unheard
        assert client.get("/usage").json()["used"] == used + 1  # an answer was delivered: it counts
        refused = client.post(f"/targets/{target}/checks", params={"max_age": "0", "max_stale": "0"})
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "providers_unavailable"
        assert client.get("/usage").json()["used"] == used + 1  # the refused one is not charged

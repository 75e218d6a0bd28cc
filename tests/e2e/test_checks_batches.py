"""Batches end to end over the local gateway: a 10,000-line CSV accepted in one request with its invalid lines named;
cached CNPJs answered without a provider call, the batch's checks listed and its results downloaded."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from radar.cnpj import format_cnpj
from tests.support.cloud import RunningCloud, Tenant, running_cloud
from tests.support.cnpjs import random_cnpjs


def _wait_done(tenant: Tenant, batch_id: str, deadline_s: float) -> dict[str, object]:
    deadline = time.time() + deadline_s
    while True:
        progress = httpx.get(f"{tenant.api_url}/checks/batch/{batch_id}", headers=tenant.key(), timeout=30).json()
        if progress["done"] or time.time() > deadline:
            return dict(progress)
        time.sleep(0.5)


def _requests(cloud: RunningCloud) -> int:
    return sum(cloud.sandbox_stats()["requests"].values())


@pytest.fixture(scope="module")
def private_cloud(tmp_path_factory: pytest.TempPathFactory, sandbox_fixtures: Path) -> Iterator[RunningCloud]:
    """A cloud of this test's own: the fan-out of ~10,000 uncached CNPJs it starts (and any purge of them) would
    otherwise keep the shared e2e cloud and the machine busy for the rest of the session. It stops with the module."""
    with running_cloud(
        tmp_path_factory.mktemp("batches-cloud"), extra_env={"RADAR_SANDBOX_FIXTURES": str(sandbox_fixtures)}
    ) as running:
        yield running


def test_a_10000_line_csv_with_37_invalid_lines_is_accepted_and_counts_only_the_valid(
    private_cloud: RunningCloud,
) -> None:
    cloud = private_cloud
    tenant = cloud.signup()
    tenant.upgrade("business")
    valid = random_cnpjs(10_000 - 37, seed=int(time.time()))
    lines = ["cnpj;empresa"] + [f"{format_cnpj(c)};Empresa {i}" for i, c in enumerate(valid[:-1])]
    bad_lines = sorted({(i * 271 + 5) % (len(lines) - 1) + 2 for i in range(37)})
    for number in bad_lines:
        lines.insert(number - 1, f"{format_cnpj(valid[0])[:-2]}XY;broken")
    assert len(lines) == 10_000
    body = "\n".join(lines) + "\n"
    started = time.monotonic()
    response = httpx.post(
        f"{tenant.api_url}/checks/batch",
        content=body.encode(),
        headers={**tenant.key("analyst"), "Content-Type": "text/csv"},
        timeout=60,
    )
    accept_s = time.monotonic() - started
    assert response.status_code == 202, response.text
    batch = response.json()
    assert batch["submitted"] == 9_999 and batch["accepted"] == 9_999 - 37
    assert [p["line"] for p in batch["invalid"]] == bad_lines
    assert {p["reason"] for p in batch["invalid"]} == {"non_numeric_check_digits"}
    # Counted once per valid CNPJ when accepted (like any queued check); the invalid lines are not counted.
    usage = httpx.get(f"{tenant.api_url}/usage", headers=tenant.key(), timeout=30).json()
    assert usage["used"] == batch["accepted"]
    progress = httpx.get(f"{tenant.api_url}/checks/batch/{batch['batch_id']}", headers=tenant.key(), timeout=30).json()
    assert [p["line"] for p in progress["invalid"]] == bad_lines and progress["eta_seconds"] > 0
    print(f"accepted 10,000 lines in {accept_s:.2f} s")


def test_cached_cnpjs_are_answered_without_a_provider_call_and_the_results_download(
    cloud: RunningCloud, big_tenant: Tenant
) -> None:
    warm = random_cnpjs(15, seed=int(time.time()) + 7)
    first = httpx.post(
        f"{big_tenant.api_url}/checks/batch", json=warm, headers=big_tenant.key("analyst"), timeout=60
    ).json()
    assert _wait_done(big_tenant, first["batch_id"], 120)["done"]  # the shared cache has these 15 now

    fresh = random_cnpjs(5, seed=int(time.time()) + 8)
    text = "CNPJ;nome\n" + "".join(f"{format_cnpj(c)};x\n" for c in warm + fresh) + "nope;x\n" + f"{warm[0]};again\n"
    before = _requests(cloud)
    response = httpx.post(
        f"{big_tenant.api_url}/checks/batch",
        content=text,
        headers={**big_tenant.key("analyst"), "Content-Type": "text/csv; charset=utf-8"},
        timeout=60,
    )
    assert response.status_code == 202, response.text
    batch = response.json()
    assert [(p["line"], p["reason"]) for p in batch["invalid"]] == [(22, "wrong_length"), (23, "duplicate")]
    final = _wait_done(big_tenant, batch["batch_id"], 120)
    assert final["done"] and final["counts"] == {"queued": 0, "running": 0, "succeeded": 20, "failed": 0}
    assert isinstance(final["throughput_per_min"], float) and final["eta_seconds"] == 0
    assert _requests(cloud) - before <= len(fresh)  # the 15 cached ones made no provider call

    checks = httpx.get(
        f"{big_tenant.api_url}/checks/batch/{batch['batch_id']}/checks",
        params={"status": "succeeded", "limit": 100},
        headers=big_tenant.key("viewer"),
        timeout=30,
    ).json()
    assert [c["cnpj"] for c in checks["items"]] == warm + fresh and checks["next_cursor"] is None
    assert all(c["cached"] for c in checks["items"][:15])
    results = httpx.get(
        f"{big_tenant.api_url}/checks/batch/{batch['batch_id']}/results",
        params={"format": "csv"},
        headers=big_tenant.key("viewer"),
        timeout=30,
    )
    assert results.status_code == 200 and results.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(results.text)))
    assert [r["cnpj"] for r in rows] == warm + fresh
    assert all(r["status"] == "succeeded" and r["legal_name"] and r["situation"] for r in rows)
    assert [r["check_id"] for r in rows] == [c["id"] for c in checks["items"]]

"""Targets, checks and batches end to end: gateway, authorizer, functions, SQS worker, tables and the sandbox."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs

FINAL = {"succeeded", "failed"}


def create_target(tenant: Tenant, cnpj: str) -> dict[str, Any]:
    response = httpx.post(f"{tenant.api_url}/targets", json={"cnpj": cnpj}, headers=tenant.key("analyst"), timeout=30)
    assert response.status_code == 201, response.text
    return dict(response.json())


def wait_check(tenant: Tenant, check_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        response = httpx.get(f"{tenant.api_url}/checks/{check_id}", headers=tenant.key("viewer"), timeout=30)
        if response.status_code == 429:  # polling faster than the free plan's 2 requests a second
            time.sleep(1.0)
            continue
        body = response.json()
        if body["status"] in FINAL or time.time() > deadline:
            return dict(body)
        time.sleep(0.5)


def test_async_check_ends_succeeded_with_a_report(cloud: RunningCloud, big_tenant: Tenant) -> None:
    tenant = big_tenant  # polling a check faster than the free plan's 2 requests a second would be throttled
    target = create_target(tenant, "19.131.243/0001-97")
    response = httpx.post(
        f"{tenant.api_url}/targets/{target['id']}/checks", params={"async": "true"}, headers=tenant.key("analyst")
    )
    assert response.status_code == 202, response.text
    check = response.json()
    assert response.headers["Location"] == f"/checks/{check['id']}"
    assert check["status"] == "queued"
    final = wait_check(tenant, check["id"])
    assert final["status"] == "succeeded", final
    assert final["report"]["cnpj"] == "19131243000197"
    assert final["report"]["source"] in {"cnpjws", "brasilapi", "receitaws"}
    timings = final["timings"]
    assert timings["queued_at"] <= timings["started_at"] <= timings["finished_at"]
    history = httpx.get(f"{tenant.api_url}/targets/{target['id']}/checks", headers=tenant.key("viewer")).json()
    assert check["id"] in [c["id"] for c in history["items"]]


def test_sync_check_returns_201_with_the_normalized_report(cloud: RunningCloud, tenant: Tenant) -> None:
    target = create_target(tenant, "00000000E08G12")  # the first real alphanumeric CNPJ
    response = httpx.post(f"{tenant.api_url}/targets/{target['id']}/checks", headers=tenant.key("analyst"), timeout=30)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["report"]["cnpj"] == "00000000E08G12"
    assert body["report"]["cnpj_formatted"] == "00.000.000/E08G-12"


def test_idempotency_key_returns_the_same_check(cloud: RunningCloud, big_tenant: Tenant) -> None:
    tenant = big_tenant
    target = create_target(tenant, random_cnpjs(1, seed=11)[0])
    url = f"{tenant.api_url}/targets/{target['id']}/checks"
    key = str(uuid.uuid4())
    headers = tenant.key("analyst") | {"Idempotency-Key": key}
    first = httpx.post(url, params={"async": "true"}, headers=headers, timeout=30)
    second = httpx.post(url, params={"async": "true"}, headers=headers, timeout=30)
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    other = httpx.post(url, params={"async": "true"}, headers=tenant.key("analyst") | {"Idempotency-Key": "x" + key})
    assert other.json()["id"] != first.json()["id"]
    usage = httpx.get(f"{tenant.api_url}/usage", headers=tenant.key("viewer")).json()
    assert usage["used"] == 2  # the retry was not counted again


def test_batch_of_200_reaches_final_states_and_reports_invalid_ones(cloud: RunningCloud, big_tenant: Tenant) -> None:
    valid = random_cnpjs(200, seed=200)
    before = cloud.sandbox_stats()
    invalid = ["12345678000100", "11.111.111/1111-11", "ABC"]
    response = httpx.post(
        f"{big_tenant.api_url}/checks/batch",
        json={"cnpjs": valid + invalid},
        headers=big_tenant.key("analyst"),
        timeout=60,
    )
    assert response.status_code == 202, response.text
    batch = response.json()
    assert {item["input"] for item in batch["invalid"]} == set(invalid)
    deadline = time.time() + 240
    while True:
        progress = httpx.get(
            f"{big_tenant.api_url}/checks/batch/{batch['batch_id']}", headers=big_tenant.key(), timeout=30
        ).json()
        counts = progress["counts"]
        if counts["queued"] + counts["running"] == 0 or time.time() > deadline:
            break
        time.sleep(1)
    assert counts["succeeded"] + counts["failed"] == 200, counts
    assert counts["succeeded"] >= 190, counts  # the sandbox answers every valid CNPJ; BrasilAPI has room
    assert sum(cloud.sandbox_stats()["rate_limited"].values()) == sum(before["rate_limited"].values())


def test_twenty_concurrent_checks_of_one_uncached_cnpj_make_one_upstream_call(
    cloud: RunningCloud, big_tenant: Tenant
) -> None:
    cnpj = random_cnpjs(1, seed=int(time.time()))[0]
    target = create_target(big_tenant, cnpj)
    before = cloud.sandbox_stats()
    url = f"{big_tenant.api_url}/targets/{target['id']}/checks"
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: httpx.post(url, headers=big_tenant.key("analyst"), timeout=60), range(20)))
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses if r.status_code != 201]
    after = cloud.sandbox_stats()
    upstream = sum(after["requests"].values()) - sum(before["requests"].values())
    assert upstream == 1
    assert len({r.json()["report"]["legal_name"] for r in responses}) == 1


def test_a_burst_of_100_distinct_cnpjs_never_exceeds_a_provider_limit(cloud: RunningCloud, big_tenant: Tenant) -> None:
    cnpjs = random_cnpjs(100, seed=int(time.time()) + 1)
    targets = [create_target(big_tenant, c) for c in cnpjs]
    before = cloud.sandbox_stats()
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(
            pool.map(
                lambda t: httpx.post(
                    f"{big_tenant.api_url}/targets/{t['id']}/checks", headers=big_tenant.key("analyst"), timeout=60
                ),
                targets,
            )
        )
    after = cloud.sandbox_stats()
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 503}, statuses
    limited = {p: after["rate_limited"].get(p, 0) - before["rate_limited"].get(p, 0) for p in after["requests"]}
    assert sum(limited.values()) == 0, limited

"""The consumption report end to end: checks of every mode through the gateway, the authorizer, the SQS worker and
the provider sandbox, then GET /usage/report as JSON and CSV, held to GET /usage; its role floor and its 422."""

from __future__ import annotations

import csv
import io
import time

import httpx

from tests.e2e.test_checks_flow import create_target, wait_check
from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


def _key_ids(tenant: Tenant) -> dict[str, str]:
    """The tenant's API key ids by name (`analyst-key`, ...): what the report names a key's checks by."""
    response = httpx.get(f"{tenant.api_url}/api-keys", headers=tenant.bearer(), timeout=30)
    assert response.status_code == 200, response.text
    return {key["name"]: key["key_id"] for key in response.json()["items"]}


def test_the_report_over_http_splits_modes_and_principals_and_agrees_with_usage(
    cloud: RunningCloud, big_tenant: Tenant
) -> None:
    tenant = big_tenant
    first, second, *batch = random_cnpjs(4, seed=2314)
    target = create_target(tenant, first)
    url = f"{tenant.api_url}/targets/{target['id']}/checks"
    looked_up = httpx.post(url, headers=tenant.key("analyst"), timeout=60)
    assert looked_up.status_code == 201 and looked_up.json()["cached"] is False, looked_up.text
    cached = httpx.post(url, headers=tenant.key("analyst"), timeout=60)
    assert cached.status_code == 201 and cached.json()["cached"] is True, cached.text
    queued = httpx.post(
        f"{tenant.api_url}/targets/{create_target(tenant, second)['id']}/checks",
        params={"async": "true"},
        headers=tenant.key("analyst"),
        timeout=60,
    )
    assert queued.status_code == 202, queued.text
    assert wait_check(tenant, queued.json()["id"], timeout=120)["status"] == "succeeded"
    submitted = httpx.post(f"{tenant.api_url}/checks/batch", json={"cnpjs": batch}, headers=tenant.bearer(), timeout=60)
    assert submitted.status_code == 202, submitted.text
    deadline = time.time() + 180
    while True:
        progress = httpx.get(
            f"{tenant.api_url}/checks/batch/{submitted.json()['batch_id']}", headers=tenant.key("viewer"), timeout=30
        ).json()
        if progress.get("done") or time.time() > deadline:
            break
        time.sleep(1)
    assert progress["counts"]["succeeded"] == len(batch), progress

    admin = tenant.key("admin")
    response = httpx.get(f"{tenant.api_url}/usage/report", headers=admin, timeout=30)
    assert response.status_code == 200, response.text
    report = response.json()
    usage = httpx.get(f"{tenant.api_url}/usage", headers=admin, timeout=30).json()
    assert report["period"] == usage["period"]
    assert report["totals"]["checks"] == usage["used"] == 5
    assert report["totals"]["by_mode"] == {"sync": 2, "async": 1, "batch": 2}
    assert report["totals"]["cached"] >= 1 and report["totals"]["unattributed"] == 0
    assert {d["date"]: d["checks"] for d in report["days"] if d["checks"]} == usage["by_day"]
    principals = {(p["principal_type"], p["principal_id"]): p for p in report["principals"]}
    analyst = principals[("api_key", _key_ids(tenant)["analyst-key"])]
    assert analyst["by_mode"] == {"sync": 2, "async": 1, "batch": 0} and analyst["cached"] >= 1
    [user] = [p for (kind, _), p in principals.items() if kind == "user"]
    assert user["by_mode"] == {"sync": 0, "async": 0, "batch": 2}

    as_csv = httpx.get(f"{tenant.api_url}/usage/report", headers=admin | {"Accept": "text/csv"}, timeout=30)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert sum(int(r["checks"]) for r in rows) == usage["used"]
    assert sum(int(r["cached"]) for r in rows) == report["totals"]["cached"]
    assert sorted((r["principal_type"], r["principal_id"], int(r["checks"])) for r in rows) == sorted(
        (r["principal_type"], r["principal_id"], r["checks"]) for r in report["rows"]
    )


def test_the_report_is_admin_only_and_names_a_bad_period(cloud: RunningCloud, tenant: Tenant) -> None:
    for role in ("analyst", "viewer"):
        refused = httpx.get(f"{tenant.api_url}/usage/report", headers=tenant.key(role), timeout=30)
        assert refused.status_code == 403, refused.text
    time.sleep(1.0)  # the free plan's 2 requests a second
    bad = httpx.get(f"{tenant.api_url}/usage/report", params={"period": "2026-13"}, headers=tenant.bearer(), timeout=30)
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "period"
    empty = httpx.get(
        f"{tenant.api_url}/usage/report", params={"period": "2024-02"}, headers=tenant.bearer(), timeout=30
    )
    assert empty.status_code == 200 and empty.json()["totals"]["checks"] == 0 and len(empty.json()["days"]) == 29

"""The Python SDK and the `radar` CLI end to end: real HTTP through the local gateway, the authorizer, the queue,
the worker and the provider sandbox at its real limits (time-scaled; BrasilAPI's configurable bucket as in
conftest). The CLI runs as its own process, as a user would run it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from radar_sdk import Client, ConflictError, QuotaExceededError, RetryPolicy, ValidationError
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs

pytestmark = pytest.mark.e2e
RADAR = str(Path(sys.executable).parent / "radar")


def _signup(cloud: RunningCloud, plan: str | None = None) -> tuple[Client, str, str]:
    suffix = uuid.uuid4().hex[:10]
    email, password = f"sdk-{suffix}@example.com", f"Correct-Horse-{suffix}!"
    client, body = Client.signup(cloud.api_url, f"SDK {suffix}", email, password)
    assert body.tenant.plan == "free" and client.tokens is not None
    if plan:  # a tenant cannot upgrade itself without paying: the operator's grant, as tests/support/cloud.py does
        from scripts.grant_plan import grant_plan

        assert grant_plan(body.tenant.tenant_id, plan, "test setup", state_file=cloud.state_file)["plan"] == plan
        time.sleep(1.5)  # the local gateway re-reads usage plans every second
    return client, email, password


def test_the_sdk_signs_up_keys_targets_checks_and_batches(cloud: RunningCloud) -> None:
    admin, _, _ = _signup(cloud, plan="business")
    key = admin.create_api_key("sdk-e2e", "analyst")
    machine = Client(cloud.api_url, api_key=key.key)
    assert machine.get_usage().plan == "business"

    first, second, third, *batch_cnpjs = random_cnpjs(9, seed=1601)
    target, created = machine.ensure_target(first, label="SDK first", tags=["sdk"])
    again, created_again = machine.ensure_target(first)
    assert created and not created_again and again.id == target.id

    done = machine.create_check(target.id)
    assert done.status == "succeeded" and done.report is not None and done.report.cnpj == first
    assert done.diff is not None and done.diff.baseline
    queued = machine.create_check(target.id, run_async=True)
    assert queued.status in ("queued", "running", "succeeded")
    polled = machine.wait_for_check(queued, timeout_s=240, poll_s=0.5)
    assert polled.status == "succeeded" and polled.diff is not None and not polled.diff.baseline

    for cnpj in (second, third):
        machine.create_target(cnpj)
    assert {t.cnpj for t in machine.iter_targets(page_size=2)} == {first, second, third}
    assert [c.id for c in machine.iter_checks(target.id, page_size=1)] == [polled.id, done.id]

    with pytest.raises(ValidationError) as invalid:
        machine.create_target("11.111.111/1111-11")
    assert invalid.value.status == 422 and invalid.value.field == "cnpj"
    with pytest.raises(ConflictError):
        machine.create_target(first)

    batch = machine.create_batch([*batch_cnpjs, "not-a-cnpj"])
    assert batch.accepted == len(batch_cnpjs) and [p.input for p in batch.invalid] == ["not-a-cnpj"]
    seen: list[int] = []
    final = machine.wait_for_batch(batch, timeout_s=300, poll_s=1.0,
                                   on_progress=lambda b: seen.append(b.counts.succeeded + b.counts.failed))
    assert final.done and final.counts.succeeded == len(batch_cnpjs) and seen[-1] == len(batch_cnpjs)
    assert seen == sorted(seen)
    checks = list(machine.iter_batch_checks(batch))
    assert sorted(c.cnpj for c in checks) == sorted(batch_cnpjs)
    assert all(c.batch_id == batch.batch_id and c.report is not None for c in checks)

    events = list(admin.iter_audit_events(action="target.created", page_size=2))
    assert len(events) >= 3 and {e.action for e in events} == {"target.created"}
    assert f"target/{target.id}" in {e.resource for e in events}
    admin.revoke_api_key(key.key_id)
    admin.close()


def test_a_session_survives_a_refreshed_token_and_a_free_plan_gets_the_friendly_429(cloud: RunningCloud) -> None:
    client, _, _ = _signup(cloud)
    assert client.tokens is not None
    old = client.tokens.refresh_token
    client.tokens.expires_at = 0.1  # the access token counts as expired: the next call refreshes first
    assert client.get_tenant().plan == "free"
    assert client.tokens.refresh_token != old
    allowance = client.get_usage().allowance
    cnpjs = random_cnpjs(allowance + 3, seed=1602)
    batch = client.create_batch(cnpjs[:allowance])
    assert batch.accepted == allowance
    with pytest.raises(QuotaExceededError) as caught:
        client.create_batch(cnpjs[allowance:])
    assert caught.value.code == "allowance_exceeded" and caught.value.upgrade_plan == "pro"
    assert caught.value.detail("allowance") == allowance and caught.value.upgrade_url


def test_the_gateways_rate_limit_is_waited_out_as_its_retry_after_says(cloud: RunningCloud) -> None:
    admin, _, _ = _signup(cloud)
    key = admin.create_api_key("burst", "viewer").key
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    from concurrent.futures import ThreadPoolExecutor

    with Client(cloud.api_url, api_key=key, sleep=sleep, retry=RetryPolicy(max_retries=20)) as client:
        time.sleep(1.5)  # the gateway re-reads usage plans every second: the new key's plan applies from then
        with ThreadPoolExecutor(10) as pool:  # 30 requests, 10 at a time: the free plan allows 2 a second (burst 5)
            answers = list(pool.map(lambda _: client.get_usage(), range(30)))
    assert all(a.plan == "free" for a in answers)
    assert slept and set(slept) == {1.0}  # the gateway's 429 says Retry-After: 1, and the client waited that


def _radar(config_dir: Path, api_url: str, *args: str, env: dict[str, str] | None = None,
           timeout: float = 400) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RADAR_")}
    full_env.update({"RADAR_CONFIG_DIR": str(config_dir), "RADAR_API_URL": api_url, **(env or {})})
    return subprocess.run([RADAR, *args], env=full_env, capture_output=True, text=True, timeout=timeout, check=False)


def test_the_cli_logs_in_imports_a_csv_runs_a_batch_with_progress_and_writes_results(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    admin, email, password = _signup(cloud, plan="business")
    config_dir = tmp_path / "config"
    url = cloud.api_url

    login = _radar(config_dir, url, "login", "--email", email, env={"RADAR_PASSWORD": password})
    assert login.returncode == 0, login.stderr
    credentials = config_dir / "credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert json.loads(credentials.read_text())["refresh_token"]

    created = _radar(config_dir, url, "keys", "create", "cli-e2e", "--role", "analyst", "--json")
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)
    listed = json.loads(_radar(config_dir, url, "keys", "list", "--json").stdout)
    assert key["key_id"] in {k["key_id"] for k in listed} and all("key" not in k for k in listed)
    table = _radar(config_dir, url, "keys", "list")
    assert "cli-e2e" in table.stdout and key["key"] not in table.stdout

    valid = random_cnpjs(6, seed=1603)
    companies = tmp_path / "companies.csv"
    companies.write_text("cnpj;label;tags\n" + "".join(f"{c};Company {i};cli|e2e\n" for i, c in enumerate(valid))
                         + "11.111.111/1111-11;Bad;\n", encoding="utf-8")
    imported = _radar(config_dir, url, "targets", "import", str(companies), "--json")
    assert imported.returncode == 5, imported.stderr  # one row rejected: documented exit code 5
    summary = json.loads(imported.stdout)
    assert len(summary["created"]) == 6 and summary["existing"] == []
    assert [(r["line"], r["field"]) for r in summary["rejected"]] == [(8, "cnpj")]
    again = json.loads(_radar(config_dir, url, "targets", "import", str(companies), "--json").stdout)
    assert len(again["existing"]) == 6 and again["created"] == []
    targets = json.loads(_radar(config_dir, url, "targets", "list", "--json").stdout)
    assert {t["cnpj"] for t in targets} == set(valid) and all(t["tags"] == ["cli", "e2e"] for t in targets)

    # The API key from `keys create`, through the environment: a machine's way to run the CLI.
    machine = {"RADAR_API_KEY": key["key"]}
    check = _radar(config_dir, url, "check", valid[0], "--json", env=machine)
    assert check.returncode == 0, check.stderr
    body = json.loads(check.stdout)
    assert body["status"] == "succeeded" and body["report"]["cnpj"] == valid[0]
    queued = _radar(config_dir, url, "check", valid[1], "--async", "--wait", "--json", env=machine)
    assert queued.returncode == 0, queued.stderr
    assert json.loads(queued.stdout)["status"] == "succeeded" and json.loads(queued.stdout)["mode"] == "async"

    batch_file = tmp_path / "batch.csv"
    batch_cnpjs = random_cnpjs(12, seed=1604)
    batch_file.write_text("cnpj\n" + "\n".join(batch_cnpjs) + "\n", encoding="utf-8")
    run = _radar(config_dir, url, "batch", "run", str(batch_file), "--poll", "0.5", env={"RADAR_PROGRESS": "plain"})
    assert run.returncode == 0, run.stderr
    progress = [line for line in run.stderr.splitlines() if line.startswith("checks ")]
    assert progress and progress[-1].startswith("checks 12/12 done: 12 ok, 0 failed")
    assert "/min" in progress[-1] and "ETA" in progress[-1]
    [batch_id] = re.findall(r"\bbat_[0-9a-f]+", run.stdout.split("Done")[0])

    results = _radar(config_dir, url, "batch", "results", batch_id, "--format", "csv")
    assert results.returncode == 0, results.stderr
    rows = list(csv.DictReader(io.StringIO(results.stdout)))
    assert sorted(r["cnpj"] for r in rows) == sorted(batch_cnpjs)
    assert {r["status"] for r in rows} == {"succeeded"} and all(r["legal_name"] and r["check_id"] for r in rows)
    as_json = json.loads(_radar(config_dir, url, "batch", "results", batch_id, "--format", "json").stdout)
    assert [c["cnpj"] for c in as_json["items"]] == [r["cnpj"] for r in rows]
    full = json.loads(_radar(config_dir, url, "batch", "results", batch_id, "--status", "succeeded", "--format",
                             "json").stdout)
    assert sorted(c["cnpj"] for c in full) == sorted(batch_cnpjs) and all(c["report"] for c in full)

    usage = json.loads(_radar(config_dir, url, "usage", "--json").stdout)
    assert usage["plan"] == "business" and usage["used"] == 2 + len(batch_cnpjs)
    assert "business plan" in _radar(config_dir, url, "usage").stdout
    report = json.loads(_radar(config_dir, url, "usage-report", "--json").stdout)
    assert report["totals"]["checks"] == usage["used"] and report["totals"]["by_mode"]["batch"] == len(batch_cnpjs)
    report_csv = _radar(config_dir, url, "usage-report", "--csv", "--period", usage["period"])
    assert report_csv.returncode == 0, report_csv.stderr
    assert sum(int(r["checks"]) for r in csv.DictReader(io.StringIO(report_csv.stdout))) == usage["used"]
    assert "Usage report" in _radar(config_dir, url, "usage-report").stdout
    assert _radar(config_dir, url, "usage-report", "--period", "2999-01").returncode == 5

    revoked = _radar(config_dir, url, "keys", "revoke", key["key_id"])
    assert revoked.returncode == 0, revoked.stderr
    missing = _radar(config_dir, url, "check-status", "chk_doesnotexist")
    assert missing.returncode == 4 and "check_not_found" in missing.stderr
    out = _radar(config_dir, url, "logout")
    assert out.returncode == 0 and not credentials.exists()
    assert _radar(config_dir, url, "usage").returncode == 3
    admin.close()


def test_the_gateway_serves_the_spec_with_its_own_url(cloud: RunningCloud) -> None:
    spec = httpx.get(f"{cloud.api_url}/openapi.json", timeout=30).json()
    [server] = spec["servers"]
    assert server["url"] == f"{cloud.api_url}/v1"
    assert httpx.get(f"{server['url']}/health", timeout=30).json() == {"status": "ok"}

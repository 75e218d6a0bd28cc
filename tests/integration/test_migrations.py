"""Migration 0001 (the target success pointer backfill) on the emulator: dry run, up, up again, down, up again, and a
run killed midway that resumes from its checkpoint; every item as the application writes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from scripts.migrate.framework import RECORD_KEY, Runner
from scripts.migrate.versions import for_table
from scripts.migrate.versions.m0001_target_success_pointer import MARKER, TargetSuccessPointer
from tests.support.aws import create_main_table

REPO = Path(__file__).resolve().parents[2]
NOW = time.time()


def s(value: str) -> dict[str, str]:
    return {"S": value}


def put(client: Any, table: str, item: dict[str, Any]) -> None:
    client.put_item(TableName=table, Item=item)


def target(tenant: str, target_id: str, created: str, *, pointer: tuple[str, str] | None = None) -> dict[str, Any]:
    item = {"pk": s(f"TENANT#{tenant}"), "sk": s(f"TARGET#{target_id}"), "gsi1pk": s(f"TENANT#{tenant}#TARGETS"),
            "gsi1sk": s(f"{created}#{target_id}"), "entity": s("target"), "target_id": s(target_id),
            "tenant_id": s(tenant), "cnpj": s("19131243000197"), "tags": {"L": []}, "created_at": s(created),
            "updated_at": s(created)}
    if pointer is not None:
        item["last_success_check_id"], item["last_success_order"] = s(pointer[0]), s(pointer[1])
    return item


def check(tenant: str, target_id: str, check_id: str, created: str, status: str,
          expires_at: float | None = None) -> dict[str, Any]:
    item = {"pk": s(f"TENANT#{tenant}"), "sk": s(f"CHECK#{check_id}"),
            "gsi1pk": s(f"TENANT#{tenant}#TARGET#{target_id}"), "gsi1sk": s(f"{created}#{check_id}"),
            "entity": s("check"), "check_id": s(check_id),
            "tenant_id": s(tenant), "target_id": s(target_id), "cnpj": s("19131243000197"), "mode": s("sync"),
            "status": s(status), "created_at": s(created), "attempts": {"N": "1"}}
    if expires_at is not None:
        item["expires_at"] = {"N": str(int(expires_at))}
    return item


def seed(client: Any, table: str, count: int) -> dict[str, tuple[str | None, str]]:
    """Old targets (no pointer) of four kinds, plus targets written with the pointer; returns the pointer each old
    target must end up with: (newest unexpired success's check id, its order) or (None, "")."""
    expected: dict[str, tuple[str | None, str]] = {}
    for n in range(count):
        tenant, target_id = f"t{n % 3}", f"tg{n:04d}"
        put(client, table, target(tenant, target_id, f"2025-01-01T00:00:{n % 60:02d}Z"))
        kind = n % 4
        if kind == 0:  # successes, the newest one followed by a failure
            put(client, table, check(tenant, target_id, f"c{n}a", "2025-02-01T00:00:00Z", "succeeded"))
            put(client, table, check(tenant, target_id, f"c{n}b", "2025-03-01T00:00:00Z", "succeeded"))
            put(client, table, check(tenant, target_id, f"c{n}c", "2025-04-01T00:00:00Z", "failed"))
            expected[target_id] = (f"c{n}b", f"2025-03-01T00:00:00Z#c{n}b")
        elif kind == 1:  # only failures
            put(client, table, check(tenant, target_id, f"c{n}a", "2025-02-01T00:00:00Z", "failed"))
            expected[target_id] = (None, "")
        elif kind == 2:  # the newest success expired by retention: the one before counts
            put(client, table, check(tenant, target_id, f"c{n}a", "2025-02-01T00:00:00Z", "succeeded"))
            put(client, table, check(tenant, target_id, f"c{n}b", "2025-03-01T00:00:00Z", "succeeded",
                                     expires_at=NOW - 3600))
            expected[target_id] = (f"c{n}a", f"2025-02-01T00:00:00Z#c{n}a")
        else:  # no checks at all
            expected[target_id] = (None, "")
    for n in range(5):  # written by today's code: a pointer already, never touched
        put(client, table, target("t9", f"new{n}", "2026-01-01T00:00:00Z",
                                  pointer=(f"x{n}", f"2026-02-01T00:00:00Z#x{n}")))
    return expected


def snapshot(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    args: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = client.scan(**args)
        items += [i for i in page["Items"] if i["pk"]["S"] != RECORD_KEY]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def pointers(items: list[dict[str, Any]]) -> dict[str, tuple[str | None, str | None]]:
    return {i["target_id"]["S"]: (i.get("last_success_check_id", {}).get("S"), i.get("last_success_order", {}).get("S"))
            for i in items if i["entity"]["S"] == "target"}


@pytest.fixture
def table(moto_endpoint: str) -> str:
    return create_main_table(f"migrate-{uuid.uuid4().hex[:8]}")


def test_the_migration_is_registered_for_the_main_table() -> None:
    assert [m.version for m in for_table("main")] == ["0001"]
    assert isinstance(for_table("main")[0], TargetSuccessPointer)


def test_dry_run_up_down_and_up_again(table: str) -> None:
    client = boto3.client("dynamodb")
    expected = seed(client, table, 40)
    before = snapshot(client, table)
    runner = Runner(client, table, page_size=7)  # many pages: the checkpoint moves on every one
    migration = TargetSuccessPointer()

    dry = runner.run(migration, "up", dry_run=True)
    assert dry.changed == 40 and dry.scanned == len(before)
    assert snapshot(client, table) == before
    assert runner.progress(migration).state == "pending"  # a dry run writes no record either

    applied = runner.run(migration, "up")
    assert (applied.state, applied.changed, applied.skipped) == ("applied", 40, 0)
    assert applied.pages > 5 and applied.last_key is None
    after_up = snapshot(client, table)
    found = pointers(after_up)
    for target_id, (check_id, order) in expected.items():
        assert found[target_id] == (check_id, order), target_id
    assert all(found[f"new{n}"] == (f"x{n}", f"2026-02-01T00:00:00Z#x{n}") for n in range(5))
    assert {i["target_id"]["S"] for i in after_up if MARKER in i} == set(expected)
    untouched = [i for i in before if i["entity"]["S"] == "check" or i["target_id"]["S"].startswith("new")]
    assert all(i in after_up for i in untouched)  # checks and new targets exactly as they were

    again = runner.run(migration, "up")
    assert again.state == "applied" and snapshot(client, table) == after_up  # idempotent: nothing to do

    reverted = runner.run(migration, "down")
    assert (reverted.state, reverted.changed) == ("reverted", 40)
    assert snapshot(client, table) == before  # the exact inverse

    reapplied = runner.run(migration, "up")
    assert (reapplied.state, reapplied.changed) == ("applied", 40)
    assert snapshot(client, table) == after_up


def test_down_keeps_a_pointer_the_application_moved_since(table: str) -> None:
    client = boto3.client("dynamodb")
    seed(client, table, 4)
    runner, migration = Runner(client, table), TargetSuccessPointer()
    runner.run(migration, "up")
    # A newer success arrives after the backfill (the runner's own record_success condition).
    client.update_item(TableName=table, Key={"pk": s("TENANT#t1"), "sk": s("TARGET#tg0001")},
                       UpdateExpression="SET last_success_check_id = :c, last_success_order = :o",
                       ConditionExpression="last_success_order < :o",
                       ExpressionAttributeValues={":c": s("fresh"), ":o": s("2026-06-01T00:00:00Z#fresh")})
    runner.run(migration, "down")
    found = {i["target_id"]["S"]: i for i in snapshot(client, table) if i["entity"]["S"] == "target"}
    assert found["tg0001"]["last_success_check_id"] == s("fresh") and MARKER not in found["tg0001"]
    assert "last_success_order" not in found["tg0000"] and MARKER not in found["tg0000"]


def _cli(table: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "scripts.migrate", *args, "--table-name", table]


def test_a_run_killed_midway_resumes_from_its_checkpoint(table: str, moto_endpoint: str) -> None:
    client = boto3.client("dynamodb")
    expected = seed(client, table, 60)
    env = {**os.environ, "AWS_ENDPOINT_URL": moto_endpoint}
    migration = TargetSuccessPointer()
    runner = Runner(client, table)
    # Paced (a real option: spare an on-demand table's capacity), so the kill lands midway.
    process = subprocess.Popen(_cli(table, "up", "--page-size", "10", "--max-items-per-second", "25"),
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while runner.progress(migration).changed < 10:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        assert time.time() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    crashed = runner.progress(migration)
    assert crashed.state == "running-up" and crashed.last_key is not None
    found = pointers(snapshot(client, table))
    done = [t for t in expected if found[t][1] is not None]
    assert 0 < len(done) < len(expected)  # killed midway: some targets migrated, some not

    resumed = subprocess.run(_cli(table, "up", "--page-size", "10"), cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120, check=False)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "resuming up after page" in resumed.stdout
    final = runner.progress(migration)
    assert final.state == "applied" and final.pages > crashed.pages
    # Only the pages after the checkpoint were scanned again, and together both runs changed every target once
    # (items between the checkpoint and the kill were already migrated: their conditional writes skip).
    assert final.changed + final.skipped <= len(expected)
    found = pointers(snapshot(client, table))
    assert {t: found[t] for t in expected} == expected

    status = subprocess.run(_cli(table, "status"), cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=60, check=True)
    assert "0001 target-success-pointer: applied" in status.stdout

"""The restore drill on the emulator: a main table with real item shapes is exported, destroyed and restored (from
an on-demand backup, or from the export), and comes back whole, with TTL and point-in-time recovery back on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from scripts.restore_drill import drill
from tests.support.aws import create_main_table

REPO = Path(__file__).resolve().parents[2]


def scan(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    args: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = client.scan(**args)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.fixture
def table(moto_endpoint: str) -> str:
    client = boto3.client("dynamodb")
    name = create_main_table(f"drill-{uuid.uuid4().hex[:8]}")
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})
    client.update_continuous_backups(TableName=name,
                                     PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    for n in range(60):  # tenants, targets and checks with nested reports, lists, numbers, booleans
        tenant = f"TENANT#t{n % 4}"
        client.put_item(TableName=name, Item={"pk": {"S": tenant}, "sk": {"S": f"TARGET#tg{n}"},
                                              "gsi1pk": {"S": f"{tenant}#TARGETS"}, "gsi1sk": {"S": f"2025#{n}"},
                                              "entity": {"S": "target"}, "tags": {"L": [{"S": "a"}, {"S": f"n{n}"}]}})
        client.put_item(TableName=name, Item={
            "pk": {"S": tenant}, "sk": {"S": f"CHECK#c{n}"}, "gsi1pk": {"S": f"{tenant}#TARGET#tg{n}"},
            "gsi1sk": {"S": f"2025-02#{n}"}, "entity": {"S": "check"}, "attempts": {"N": str(n % 3)},
            "cached": {"BOOL": n % 2 == 0}, "expires_at": {"N": str(1_900_000_000 + n)},
            "report": {"M": {"cnpj": {"S": "19131243000197"}, "partners": {"L": [{"M": {"name": {"S": f"P{n}"}}}]}}},
        })
    return name


@pytest.mark.parametrize("method", ["backup", "export"])
def test_destroyed_table_comes_back_whole(table: str, method: str, tmp_path: Path) -> None:
    client = boto3.client("dynamodb")
    before = scan(client, table)
    report = drill(client, table, method=method, sample=40, export_dir=tmp_path, seed=7)
    assert report.ok, report
    assert (report.items, report.restored_items, report.sampled) == (120, 120, 40)
    assert report.sample_mismatches == [] and report.missing_indexes == []
    assert set(report.seconds) >= {"export", "destroy", "restore", "verify"}
    # Beyond the drill's own sample: every item is back, byte for byte.
    assert scan(client, table) == before
    described = client.describe_table(TableName=table)["Table"]
    assert {i["IndexName"] for i in described["GlobalSecondaryIndexes"]} == {"gsi1", "gsi2"}
    assert client.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    pitr = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    exported = Path(report.export_file).read_text(encoding="utf-8").splitlines()
    assert len(exported) == 120 and json.loads(exported[0]) in before


def test_restore_as_keeps_the_source_and_verifies_the_copy(table: str, tmp_path: Path) -> None:
    client = boto3.client("dynamodb")
    copy = f"{table}-restored"
    report = drill(client, table, method="backup", restore_as=copy, export_dir=tmp_path)
    assert report.ok and "destroy" not in report.seconds
    assert scan(client, copy) == scan(client, table)


def test_a_restore_that_lost_items_fails_the_drill(table: str, tmp_path: Path) -> None:
    """The export method re-imports what it exported: drop items from the import and the drill must say so."""
    import scripts.restore_drill as module

    client = boto3.client("dynamodb")
    real_import = module._import
    try:
        module._import = lambda c, name, items: real_import(c, name, items[:-3])  # type: ignore[assignment]
        report = drill(client, table, method="export", sample=120, export_dir=tmp_path)
    finally:
        module._import = real_import  # type: ignore[assignment]
    assert not report.ok
    assert (report.items, report.restored_items) == (120, 117)
    assert len(report.sample_mismatches) == 3


def test_the_command_line_drill_and_its_refusal_outside_the_local_cloud(table: str, moto_endpoint: str) -> None:
    env = {**os.environ, "AWS_ENDPOINT_URL": moto_endpoint, "RADAR_STATE_FILE": "/nonexistent"}
    done = subprocess.run([sys.executable, "-m", "scripts.restore_drill", "--table-name", table, "--sample", "10"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True
    remote = {k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL"}
    refused = subprocess.run([sys.executable, "-m", "scripts.restore_drill", "--table-name", table], cwd=REPO,
                             env=remote, capture_output=True, text=True, timeout=120, check=False)
    assert refused.returncode == 2 and "--restore-as" in refused.stderr

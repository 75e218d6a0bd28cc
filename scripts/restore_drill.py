"""Restore drill (`make restore-drill`, docs/runbooks/restore.md): prove a table comes back from its backup.

Against the running local cloud (or `--table-name` on AWS_ENDPOINT_URL): export the table (every item, to a JSON
Lines file), take an on-demand backup, destroy the table, restore it (from the backup, or `--method export` from
the exported items), put back what a restore does not carry (TTL, point-in-time recovery), then check the item
count and a random sample of items against the export. `--restore-as NAME` restores into a new table and
destroys nothing (the way to drill on a real account); destroying needs a local (loopback) endpoint.
Exit 0 when the restored table matches, 1 when it does not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from scripts.migrate.tables import TABLES, resolve_table

__all__ = ["DrillReport", "drill", "main"]

REPO = Path(__file__).resolve().parents[1]


@dataclass
class DrillReport:
    table: str
    restored_as: str
    method: str
    items: int = 0
    restored_items: int = 0
    sampled: int = 0
    sample_mismatches: list[str] = field(default_factory=list)
    missing_indexes: list[str] = field(default_factory=list)
    ttl: str | None = None
    pitr: str | None = None
    export_file: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (self.items == self.restored_items and not self.sample_mismatches and not self.missing_indexes
                and self.ttl in (None, "ENABLED") and self.pitr in (None, "ENABLED"))


def _scan(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    args: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = client.scan(**args)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _wait(check: Any, what: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen in {timeout:.0f} s")
        time.sleep(0.2)


def _status(client: Any, table: str) -> str | None:
    try:
        return str(client.describe_table(TableName=table)["Table"]["TableStatus"])
    except client.exceptions.ResourceNotFoundException:
        return None


def _create_like(client: Any, description: dict[str, Any], name: str) -> None:
    """An empty table with the source's keys and indexes (for `--method export`)."""
    args: dict[str, Any] = {"TableName": name, "AttributeDefinitions": description["AttributeDefinitions"],
                            "KeySchema": description["KeySchema"], "BillingMode": "PAY_PER_REQUEST"}
    indexes = [{"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
               for i in description.get("GlobalSecondaryIndexes", [])]
    if indexes:
        args["GlobalSecondaryIndexes"] = indexes
    client.create_table(**args)


def _import(client: Any, name: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        pending: dict[str, Any] = {name: [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def drill(client: Any, table: str, *, method: str = "backup", restore_as: str | None = None, sample: int = 25,
          export_dir: Path = REPO / ".local" / "drills", seed: int | None = None) -> DrillReport:
    target = restore_as or table
    report = DrillReport(table=table, restored_as=target, method=method)
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        report.seconds[step] = round(time.monotonic() - clock, 3)
        clock = time.monotonic()

    description = client.describe_table(TableName=table)["Table"]
    keys = [k["AttributeName"] for k in description["KeySchema"]]
    ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    ttl_attribute = ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING") else None
    pitr = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    pitr_on = pitr.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"

    exported = _scan(client, table)
    report.items = len(exported)
    export_dir.mkdir(parents=True, exist_ok=True)
    export_file = export_dir / f"{table}-{time.strftime('%Y%m%dT%H%M%S')}.jsonl"
    export_file.write_text("".join(json.dumps(item, sort_keys=True) + "\n" for item in exported), encoding="utf-8")
    report.export_file = str(export_file)
    lap("export")

    backup_arn = None
    if method == "backup":
        backup_arn = client.create_backup(TableName=table, BackupName=f"drill-{int(time.time())}")[
            "BackupDetails"]["BackupArn"]
        lap("backup")

    if restore_as is None:
        client.delete_table(TableName=table)
        _wait(lambda: _status(client, table) is None, f"deleting {table}")
        lap("destroy")

    if method == "backup":
        client.restore_table_from_backup(TargetTableName=target, BackupArn=backup_arn)
        _wait(lambda: _status(client, target) == "ACTIVE", f"restoring {target}")
    else:
        _create_like(client, description, target)
        _wait(lambda: _status(client, target) == "ACTIVE", f"creating {target}")
        _import(client, target, exported)
    lap("restore")

    # A restored table comes back without TTL and point-in-time recovery: put them back, as the runbook says.
    if ttl_attribute:
        client.update_time_to_live(TableName=target,
                                   TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute})
        report.ttl = client.describe_time_to_live(TableName=target)["TimeToLiveDescription"]["TimeToLiveStatus"]
    if pitr_on:
        client.update_continuous_backups(TableName=target,
                                         PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        report.pitr = client.describe_continuous_backups(TableName=target)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    lap("settings")

    restored = client.describe_table(TableName=target)["Table"]
    have = {i["IndexName"] for i in restored.get("GlobalSecondaryIndexes", [])}
    report.missing_indexes = sorted({i["IndexName"] for i in description.get("GlobalSecondaryIndexes", [])} - have)
    report.restored_items = len(_scan(client, target))
    for item in random.Random(seed).sample(exported, min(sample, len(exported))):
        key = {k: item[k] for k in keys}
        found = client.get_item(TableName=target, Key=key, ConsistentRead=True).get("Item")
        if found != item:
            report.sample_mismatches.append(json.dumps(key, sort_keys=True))
    report.sampled = min(sample, len(exported))
    lap("verify")
    return report


def _is_local(endpoint: str | None) -> bool:
    host = urlparse(endpoint or "").hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.restore_drill", description=__doc__)
    parser.add_argument("--table", choices=sorted(TABLES), default="main")
    parser.add_argument("--table-name", help="physical table (else the running local cloud's)")
    parser.add_argument("--method", choices=("backup", "export"), default="backup")
    parser.add_argument("--restore-as", help="restore into this new table and destroy nothing")
    parser.add_argument("--sample", type=int, default=25, help="items compared one by one (plus the count)")
    args = parser.parse_args(argv)

    import boto3

    table = resolve_table(args.table, table_name=args.table_name)
    if args.restore_as is None and not _is_local(os.environ.get("AWS_ENDPOINT_URL")):
        print("refusing to destroy a table outside the local cloud: use --restore-as NEW_NAME", file=sys.stderr)
        return 2
    report = drill(boto3.client("dynamodb"), table, method=args.method, restore_as=args.restore_as,
                   sample=args.sample)
    print(json.dumps({**report.__dict__, "ok": report.ok}, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""The migration runner: paged scans, conditional item updates, a checkpointed record per table and migration."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

__all__ = ["RECORD_KEY", "Change", "Context", "Migration", "Progress", "Runner"]

# Every table keeps its migration records under this partition key value (never a tenant's: those are TENANT#...).
RECORD_KEY = "_MIGRATIONS"
UP, DOWN = "up", "down"


@dataclass(frozen=True)
class Change:
    """One conditional UpdateItem (DynamoDB expression syntax, low-level attribute values)."""

    update: str
    condition: str
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What a migration may read besides the item itself: the low-level client and the table's name."""

    client: Any
    table_name: str
    now: float = field(default_factory=time.time)


class Migration:
    """Subclass with a `version` ("0001", ordering), a `name`, the logical `table` and up/down per item.

    `up` and `down` return the change for one item, or None when the item needs none (not its kind, or already
    migrated). They must be idempotent: a change's condition holds only on an item in the shape it expects.
    """

    version: str = ""
    name: str = ""
    table: str = "main"
    description: str = ""

    def up(self, item: dict[str, Any], context: Context) -> Change | None:
        raise NotImplementedError

    def down(self, item: dict[str, Any], context: Context) -> Change | None:
        raise NotImplementedError


@dataclass
class Progress:
    state: str = "pending"  # pending | running-up | applied | running-down | reverted
    last_key: dict[str, Any] | None = None
    pages: int = 0
    scanned: int = 0
    changed: int = 0
    skipped: int = 0  # a change whose condition no longer held (changed concurrently, or done before a crash)
    started_at: str | None = None
    finished_at: str | None = None

    def summary(self) -> str:
        return (f"{self.state}: {self.pages} pages, {self.scanned} items scanned, {self.changed} changed, "
                f"{self.skipped} skipped")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Runner:
    def __init__(self, client: Any, table_name: str, *, page_size: int = 100, max_items_per_second: float = 0,
                 log: Callable[[str], None] = print) -> None:
        self.client = client
        self.table_name = table_name
        self.page_size = page_size
        # 0 = as fast as DynamoDB answers; a rate keeps a migration from eating an on-demand table's capacity.
        self.max_items_per_second = max_items_per_second
        self.log = log
        schema = client.describe_table(TableName=table_name)["Table"]["KeySchema"]
        self.hash_key = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
        self.range_key = next((k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"), None)

    # -- the record ------------------------------------------------------------------------------------------
    def record_key(self, version: str) -> dict[str, Any]:
        if self.range_key:
            return {self.hash_key: {"S": RECORD_KEY}, self.range_key: {"S": version}}
        return {self.hash_key: {"S": f"{RECORD_KEY}#{version}"}}

    def is_record(self, item: dict[str, Any]) -> bool:
        return str(item.get(self.hash_key, {}).get("S", "")).startswith(RECORD_KEY)

    def progress(self, migration: Migration) -> Progress:
        found = self.client.get_item(TableName=self.table_name, Key=self.record_key(migration.version),
                                     ConsistentRead=True).get("Item")
        if not found:
            return Progress()
        data = json.loads(found["progress"]["S"])
        return Progress(**data)

    def _save(self, migration: Migration, progress: Progress) -> None:
        item = {**self.record_key(migration.version),
                "name": {"S": migration.name}, "state": {"S": progress.state},
                "progress": {"S": json.dumps(progress.__dict__)}, "updated_at": {"S": _now()}}
        self.client.put_item(TableName=self.table_name, Item=item)

    # -- a run -----------------------------------------------------------------------------------------------
    def run(self, migration: Migration, direction: str, *, dry_run: bool = False) -> Progress:
        """Apply (`up`) or revert (`down`) the migration over the whole table; resume an interrupted run."""
        progress = self.progress(migration)
        done, running = ("applied", "running-up") if direction == UP else ("reverted", "running-down")
        if progress.state == done or (direction == DOWN and progress.state == "pending"):
            self.log(f"{migration.version} {migration.name}: nothing to do ({progress.state})")
            return progress
        if progress.state == running:
            self.log(f"{migration.version} {migration.name}: resuming {direction} after page {progress.pages}")
        else:
            progress = Progress(state=running, started_at=_now())
        if dry_run:
            progress = Progress(state=f"dry-run-{direction}", last_key=progress.last_key)
        else:
            self._save(migration, progress)
        context = Context(self.client, self.table_name)
        change_for = migration.up if direction == UP else migration.down
        started, handled = time.monotonic(), 0
        while True:
            args: dict[str, Any] = {"TableName": self.table_name, "Limit": self.page_size, "ConsistentRead": True}
            if progress.last_key:
                args["ExclusiveStartKey"] = progress.last_key
            page = self.client.scan(**args)
            for item in page.get("Items", []):
                if self.is_record(item):
                    continue
                progress.scanned += 1
                change = change_for(item, context)
                if change is None:
                    continue
                if dry_run or self._apply(item, change):
                    progress.changed += 1
                else:
                    progress.skipped += 1
            handled += len(page.get("Items", []))
            progress.pages += 1
            progress.last_key = page.get("LastEvaluatedKey")
            if not dry_run:
                self._save(migration, progress)  # the checkpoint: a crash resumes after this page
            if not progress.last_key:
                break
            self._pace(started, handled)
        if not dry_run:
            progress.state, progress.finished_at = done, _now()
            self._save(migration, progress)
        self.log(f"{migration.version} {migration.name} {direction}: {progress.summary()}")
        return progress

    def _key(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: item[k] for k in (self.hash_key, self.range_key) if k}

    def _apply(self, item: dict[str, Any], change: Change) -> bool:
        try:
            self.client.update_item(
                TableName=self.table_name, Key=self._key(item), UpdateExpression=change.update,
                ConditionExpression=change.condition,
                **({"ExpressionAttributeNames": change.names} if change.names else {}),
                **({"ExpressionAttributeValues": change.values} if change.values else {}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _pace(self, started: float, handled: int) -> None:
        if self.max_items_per_second > 0:
            ahead = handled / self.max_items_per_second - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)

"""0001: give every target written before the success pointer its pointer.

Targets carry `last_success_check_id` / `last_success_order` (the newest succeeded check and its creation-order
key) so that a check diffs against the previous success with two key reads (radar.targets.repository,
radar.checks.runner). Targets created before the pointer have neither attribute, and every check on them still pays
a history query (CheckRunner._previous_success's fallback). This backfills the pointer from each such target's
history: its newest succeeded, unexpired check, or "" (no success yet, as a new target starts).

Up writes only where the pointer is still absent or older (the same condition as the runner's own
record_success), so a check finishing meanwhile is never overwritten. Each backfilled target also gets
`pointer_backfill_0001` = the order written, so down removes exactly the pointers this migration wrote and the
application has not moved since (those it moved stay: they are the application's own).
"""

from __future__ import annotations

from typing import Any

from radar.checks.models import CheckStatus, target_checks_pk
from scripts.migrate.framework import Change, Context, Migration

__all__ = ["MARKER", "TargetSuccessPointer", "newest_success"]

MARKER = "pointer_backfill_0001"


def newest_success(context: Context, tenant_id: str, target_id: str) -> tuple[str | None, str]:
    """(check id, order) of the target's newest succeeded, unexpired check; (None, "") when it has none."""
    args: dict[str, Any] = {
        "TableName": context.table_name, "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "FilterExpression": "#status = :succeeded",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {":pk": {"S": target_checks_pk(tenant_id, target_id)},
                                      ":succeeded": {"S": CheckStatus.SUCCEEDED}},
        "ScanIndexForward": False, "Limit": 25,
    }
    while True:
        page = context.client.query(**args)
        for item in page.get("Items", []):
            expires = item.get("expires_at", {}).get("N")
            if expires is not None and float(expires) <= context.now:
                continue  # expired by retention: DynamoDB deletes it lazily, the application reads it as gone
            return item["check_id"]["S"], item["gsi1sk"]["S"]
        if not page.get("LastEvaluatedKey"):
            return None, ""
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class TargetSuccessPointer(Migration):
    version = "0001"
    name = "target-success-pointer"
    table = "main"
    description = "backfill last_success_check_id/last_success_order on targets from before the pointer"

    @staticmethod
    def _is_target(item: dict[str, Any]) -> bool:
        return item.get("entity", {}).get("S") == "target" and item.get("sk", {}).get("S", "").startswith("TARGET#")

    def up(self, item: dict[str, Any], context: Context) -> Change | None:
        if not self._is_target(item) or "last_success_order" in item:
            return None
        check_id, order = newest_success(context, item["tenant_id"]["S"], item["target_id"]["S"])
        sets = ["last_success_order = :order", f"{MARKER} = :order"]
        values: dict[str, Any] = {":order": {"S": order}}
        if check_id:
            sets.append("last_success_check_id = :check")
            values[":check"] = {"S": check_id}
        return Change(
            update="SET " + ", ".join(sets),
            condition="attribute_exists(pk) AND (attribute_not_exists(last_success_order) "
                      "OR last_success_order < :order)",
            values=values,
        )

    def down(self, item: dict[str, Any], context: Context) -> Change | None:
        if not self._is_target(item) or MARKER not in item:
            return None
        written = item[MARKER]
        if item.get("last_success_order") == written:
            return Change(update=f"REMOVE last_success_order, last_success_check_id, {MARKER}",
                          condition=f"{MARKER} = :written AND last_success_order = :written",
                          values={":written": written})
        # The application moved the pointer since (a newer success): keep its pointer, drop only the marker.
        return Change(update=f"REMOVE {MARKER}", condition=f"attribute_exists({MARKER})")

"""LGPD retention: how long a tenant's checks and reports live (tenant setting, else the plan's default)."""

from __future__ import annotations

import time
from typing import Any

from radar.checks.aws import client
from radar.tiers import TiersConfig, load_tiers

__all__ = ["RetentionPolicy"]

DAY_SECONDS = 86_400


class RetentionPolicy:
    def __init__(self, table_name: str, *, tiers: TiersConfig | None = None, dynamodb: Any = None) -> None:
        self._table = table_name
        self._tiers = tiers or load_tiers()
        self._dynamodb = dynamodb

    def days(self, tenant_id: str, plan: str) -> int:
        """The tenant item's retention_days when set, else the plan's retention_days."""
        item = (self._dynamodb or client("dynamodb")).get_item(
            TableName=self._table,
            Key={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "TENANT"}},
            ProjectionExpression="retention_days",
        ).get("Item") or {}
        configured = item.get("retention_days", {}).get("N")
        if configured and int(configured) > 0:
            return int(configured)
        tier = self._tiers.tiers.get(plan) or self._tiers.get(self._tiers.default_plan)
        return tier.retention_days

    def expires_at(self, tenant_id: str, plan: str, *, now: float | None = None) -> int:
        return int((now if now is not None else time.time()) + self.days(tenant_id, plan) * DAY_SECONDS)

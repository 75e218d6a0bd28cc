"""API shapes of the audit trail (GET /audit, served by the checks function)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from radar.schema import ApiModel

__all__ = ["AuditPage"]


class AuditPage(ApiModel):
    items: list[dict[str, Any]] = Field(description="newest first: time, actor, action, resource, outcome, ...")
    next_cursor: str | None = None

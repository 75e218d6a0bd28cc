"""API shapes of metering (GET /usage, served by the checks function)."""

from __future__ import annotations

from pydantic import Field

from radar.schema import ApiModel

__all__ = ["UsageOut"]


class UsageOut(ApiModel):
    period: str = Field(description="YYYY-MM (UTC)")
    plan: str
    used: int
    allowance: int
    remaining: int
    resets_at: str
    by_day: dict[str, int]

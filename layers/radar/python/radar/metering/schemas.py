"""API shapes of metering (GET /usage, served by the checks function)."""

from __future__ import annotations

from pydantic import Field

from radar.schema import ApiModel

__all__ = [
    "MODES",
    "UsageCounts",
    "UsageOut",
    "UsageReport",
    "UsageReportDay",
    "UsageReportPrincipal",
    "UsageReportRow",
]


class UsageOut(ApiModel):
    period: str = Field(description="YYYY-MM (UTC)")
    plan: str
    used: int
    allowance: int
    remaining: int
    resets_at: str
    by_day: dict[str, int]


MODES = ("sync", "async", "batch")


class UsageCounts(ApiModel):
    checks: int = Field(description="checks counted against the allowance (what GET /usage counts)")
    by_mode: dict[str, int] = Field(description="sync, async and batch")
    cached: int = Field(description="answered from the shared report cache")
    looked_up: int = Field(description="not answered from the cache: a provider lookup, or still in flight")
    unattributed: int = Field(0, description="counted before checks recorded who ran them (no split known)")


class UsageReportDay(UsageCounts):
    date: str = Field(description="YYYY-MM-DD (UTC)")


class UsageReportPrincipal(UsageCounts):
    principal_type: str = Field(description="api_key or user")
    principal_id: str = Field(description="the API key id or the user id")


class UsageReportRow(UsageCounts):
    """One CSV line: a day and a principal (principal_type `unattributed` for counts without one)."""

    date: str
    principal_type: str
    principal_id: str


class UsageReport(ApiModel):
    period: str = Field(description="YYYY-MM (UTC)")
    generated_at: str
    totals: UsageCounts
    days: list[UsageReportDay] = Field(description="every day of the period (up to today for this month)")
    principals: list[UsageReportPrincipal] = Field(description="who ran the checks, most checks first")
    rows: list[UsageReportRow] = Field(description="per day and principal: the CSV's lines")

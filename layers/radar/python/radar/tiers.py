"""Plans as data: the one tiers file, read by the CDK app and by the functions."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from radar.errors import ValidationFailed

__all__ = ["TIERS_FILE", "Tier", "TiersConfig", "UnknownPlan", "load_tiers"]

TIERS_FILE = Path(__file__).with_name("tiers.json")


class UnknownPlan(ValidationFailed):
    code = "unknown_plan"


class Tier(BaseModel):
    rate: float = Field(gt=0, description="steady-state requests per second")
    burst: int = Field(gt=0)
    quota: int = Field(gt=0, description="API requests per quota period")
    quota_period: str = "MONTH"
    monthly_checks: int = Field(gt=0)
    retention_days: int = Field(gt=0)
    display_name: str


class TiersConfig(BaseModel):
    default_plan: str
    upgrade_url: str
    tiers: dict[str, Tier]

    def get(self, plan: str) -> Tier:
        return self.tiers[plan]

    def next_plan_above(self, plan: str) -> str | None:
        names = list(self.tiers)
        index = names.index(plan) if plan in names else -1
        return names[index + 1] if 0 <= index < len(names) - 1 else None


@lru_cache(maxsize=1)
def load_tiers() -> TiersConfig:
    raw = json.loads(TIERS_FILE.read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    return TiersConfig.model_validate(raw)

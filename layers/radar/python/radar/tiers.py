"""Plans as data: the one tiers file, read by the CDK app and by the functions."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from radar.errors import ValidationFailed

__all__ = ["CHECKOUT_ROUTE", "PLANS_ROUTE", "TIERS_FILE", "Price", "Tier", "TiersConfig", "UnknownPlan", "load_tiers"]

TIERS_FILE = Path(__file__).with_name("tiers.json")
# Where an upsell sends the caller (radar.billing serves both).
CHECKOUT_ROUTE = "POST /billing/checkout"
PLANS_ROUTE = "GET /billing/plans"


class UnknownPlan(ValidationFailed):
    code = "unknown_plan"


class Price(BaseModel):
    """A plan's recurring price: `unit_amount` in the currency's smallest unit (centavos for BRL)."""

    unit_amount: int = Field(gt=0)
    currency: str = "brl"
    interval: str = "month"
    lookup_key: str = Field(min_length=1, description="how the billing provider's price is found")

    def display(self) -> str:
        symbol = "R$ " if self.currency.lower() == "brl" else f"{self.currency.upper()} "
        return f"{symbol}{self.unit_amount / 100:.2f} a {self.interval}"


class Tier(BaseModel):
    rate: float = Field(gt=0, description="steady-state requests per second")
    burst: int = Field(gt=0)
    quota: int = Field(gt=0, description="API requests per quota period")
    quota_period: str = "MONTH"
    monthly_checks: int = Field(gt=0)
    retention_days: int = Field(gt=0)
    display_name: str
    price: Price | None = None  # None: not sold (the free plan)

    def limits(self) -> dict[str, float | int | str]:
        return self.model_dump(exclude={"display_name", "price"})


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

    def rank(self, plan: str) -> int:
        """The plan's position, cheapest first (-1 for an unknown plan)."""
        names = list(self.tiers)
        return names.index(plan) if plan in names else -1

    def upsell(self, plan: str) -> dict[str, object] | None:
        """The next plan up from `plan`, for friendly refusals: what it gives, its price, how to buy it."""
        upgrade = self.next_plan_above(plan)
        if upgrade is None:
            return None
        tier = self.get(upgrade)
        return {
            "plan": upgrade,
            "display_name": tier.display_name,
            "gives": {
                "requests_per_second": tier.rate,
                "burst": tier.burst,
                f"requests_per_{tier.quota_period.lower()}": tier.quota,
                "monthly_checks": tier.monthly_checks,
                "retention_days": tier.retention_days,
            },
            "price": tier.price.model_dump() if tier.price else None,
            "price_display": tier.price.display() if tier.price else "free",
            "checkout": {"route": CHECKOUT_ROUTE, "body": {"plan": upgrade}},
            "plans": PLANS_ROUTE,
        }

    def offer(self, plan: str) -> str:
        """The upsell in one sentence without quotes, so a gateway response template can carry it ("" at the top)."""
        upgrade = self.next_plan_above(plan)
        if upgrade is None:
            return ""
        tier = self.get(upgrade)
        price = tier.price.display() if tier.price else "free"
        return (f"{tier.display_name} gives {tier.rate:g} requests a second and {tier.monthly_checks} checks a month "
                f"for {price}: {CHECKOUT_ROUTE} with plan {upgrade}")


@lru_cache(maxsize=1)
def load_tiers() -> TiersConfig:
    raw = json.loads(TIERS_FILE.read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    return TiersConfig.model_validate(raw)

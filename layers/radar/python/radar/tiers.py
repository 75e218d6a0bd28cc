"""Plans as data: the one tiers file, read by the CDK app and by the functions, with the stage's plan prices on top.

`load_tiers()` is the one place a plan's price is resolved: the tiers file's price, then the stage's override
(`PLAN_PRICES`, JSON `{"<plan>": {"unit_amount", "currency", "interval", "lookup_key"}}`, each key optional), which
the CDK app writes into every function's environment from the stage file's `planPrices` (infra_cdk/settings.py)
and validates at synth with `with_prices` (an unknown plan or a bad amount fails the synth naming the field).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from radar.errors import ValidationFailed
from radar.settings import EnvSettings

__all__ = [
    "CHECKOUT_ROUTE", "PLANS_ROUTE", "PLAN_PRICES_ENV", "TIERS_FILE", "Price", "Tier", "TiersConfig", "TiersSettings",
    "UnknownPlan", "load_tiers", "load_tiers_file", "resolve_tiers", "with_prices",
]

TIERS_FILE = Path(__file__).with_name("tiers.json")
# Where an upsell sends the caller (radar.billing serves both).
CHECKOUT_ROUTE = "POST /billing/checkout"
PLANS_ROUTE = "GET /billing/plans"
# The variable that carries the stage's price overrides (set by the CDK app, read by load_tiers()).
PLAN_PRICES_ENV = "PLAN_PRICES"


class UnknownPlan(ValidationFailed):
    code = "unknown_plan"


class Price(BaseModel):
    """A plan's recurring price: `unit_amount` in the currency's smallest unit (centavos for BRL)."""

    unit_amount: int = Field(gt=0)
    currency: str = Field(default="brl", pattern=r"^[a-z]{3}$", description="ISO 4217, lower case (Stripe's)")
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


class TiersSettings(EnvSettings):
    """The stage's price overrides (JSON; empty: the tiers file's prices)."""

    plan_prices: str = Field(default="", alias="PLAN_PRICES")  # PLAN_PRICES_ENV


def with_prices(config: TiersConfig, overrides: Mapping[str, object], *, field: str = PLAN_PRICES_ENV,
                names: Mapping[str, str] | None = None) -> TiersConfig:
    """`config` with each overridden plan's price: the override's keys on top of the plan's own price.

    A ValueError names the field (`<field>.<plan>` or `<field>.<plan>.<key>`, keys shown through `names`): an unknown
    plan, the default plan (it is not sold), a key Price does not have, an amount that is not a positive integer."""
    names = names or {}
    tiers = dict(config.tiers)
    for plan, raw in overrides.items():
        where = f"{field}.{plan}"
        if plan not in tiers:
            raise ValueError(f"{where}: unknown plan {plan!r}; the plans are {', '.join(tiers)}")
        if plan == config.default_plan:
            raise ValueError(f"{where}: the default plan {plan!r} is not sold, so it has no price")
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where}: expected an object of price fields, not {raw!r}")
        unknown = sorted(set(raw) - set(Price.model_fields))
        if unknown:
            shown = {key: value for value, key in names.items()}
            raise ValueError(f"{where}.{shown.get(unknown[0], unknown[0])}: unknown price field")
        current = tiers[plan].price
        try:
            price = Price.model_validate({**(current.model_dump() if current else {}), **raw})
        except ValidationError as exc:
            error = exc.errors()[0]
            key = str(error["loc"][0]) if error["loc"] else ""
            raise ValueError(f"{where}.{names.get(key, key)}: {error['msg']} (got {raw.get(key)!r})") from None
        tiers[plan] = tiers[plan].model_copy(update={"price": price})
    return config.model_copy(update={"tiers": tiers})


@lru_cache(maxsize=1)
def load_tiers_file() -> TiersConfig:
    """The tiers file alone, without the stage's prices."""
    raw = json.loads(TIERS_FILE.read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    return TiersConfig.model_validate(raw)


def resolve_tiers(plan_prices: str) -> TiersConfig:
    """The tiers file with `plan_prices` (a `PLAN_PRICES` value: JSON, empty for none) on top."""
    if not plan_prices.strip():
        return load_tiers_file()
    try:
        overrides = json.loads(plan_prices)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{PLAN_PRICES_ENV}: not JSON ({exc.msg})") from None
    if not isinstance(overrides, dict):
        raise ValueError(f"{PLAN_PRICES_ENV}: expected an object of plans, not {type(overrides).__name__}")
    return with_prices(load_tiers_file(), overrides)


@lru_cache(maxsize=1)
def load_tiers() -> TiersConfig:
    """The plans this function runs with: the tiers file and the stage's price overrides (`PLAN_PRICES`)."""
    return resolve_tiers(TiersSettings.from_environ().plan_prices)

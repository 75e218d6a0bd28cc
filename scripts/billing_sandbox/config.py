"""Billing sandbox settings: the test API key and webhook secret its caller gives it, the webhook endpoint, the
plans' prices to seed, delivery retries, and Stripe's payment-retry schedule (in sandbox-clock days)."""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["BillingSandboxConfig", "PlanPrice", "default_api_version", "generate_api_key", "generate_webhook_secret",
           "load_prices", "prices_from_mapping"]

INTERVALS = ("day", "week", "month", "year")
_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")


def default_api_version() -> str:
    """The API version the pinned SDK speaks (its requests carry it in Stripe-Version); events are rendered in it."""
    try:
        import stripe

        return str(stripe.api_version)
    except ImportError:  # pragma: no cover - stripe is a runtime dependency of the project
        return "2026-10-28.endive"


def generate_api_key() -> str:
    return "sk_test_" + secrets.token_urlsafe(24).replace("-", "").replace("_", "")


def generate_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


@dataclass(frozen=True)
class PlanPrice:
    """One plan's recurring price. `unit_amount` is in the currency's minor unit (centavos for brl)."""

    plan: str
    unit_amount: int
    currency: str = "brl"
    interval: str = "month"
    interval_count: int = 1
    price_id: str | None = None  # None: the sandbox makes a price_... id, as Stripe does
    lookup_key: str | None = None
    product_name: str | None = None

    def __post_init__(self) -> None:
        if not self.plan:
            raise ValueError("plan price: plan name is required")
        if not isinstance(self.unit_amount, int) or isinstance(self.unit_amount, bool) or self.unit_amount < 0:
            raise ValueError(f"plan {self.plan}: unit_amount must be a non-negative integer (minor units)")
        if not re.fullmatch(r"[a-z]{3}", self.currency):
            raise ValueError(f"plan {self.plan}: currency must be a lowercase ISO code such as 'brl'")
        if self.interval not in INTERVALS:
            raise ValueError(f"plan {self.plan}: interval must be one of {', '.join(INTERVALS)}")
        if self.interval_count < 1:
            raise ValueError(f"plan {self.plan}: interval_count must be >= 1")
        if self.price_id is not None and not self.price_id.startswith("price_"):
            raise ValueError(f"plan {self.plan}: price_id must start with price_")


def prices_from_mapping(mapping: Mapping[str, Any]) -> tuple[PlanPrice, ...]:
    """{"pro": {"unit_amount": 4900, "currency": "brl", "interval": "month", "price_id": "price_...",
    "lookup_key": "..."}} -> PlanPrices. Also accepts a tiers document ({"tiers": {plan: {..., "price": {...}}}}):
    tiers without a "price" object (the free plan) are skipped."""
    if "tiers" in mapping and isinstance(mapping["tiers"], Mapping):
        entries = {plan: tier["price"] for plan, tier in mapping["tiers"].items()
                   if isinstance(tier, Mapping) and isinstance(tier.get("price"), Mapping)}
        names = {plan: tier.get("display_name") for plan, tier in mapping["tiers"].items() if isinstance(tier, Mapping)}
    else:
        entries, names = dict(mapping), {}
    prices = []
    allowed = {f.name for f in fields(PlanPrice)} - {"plan"}
    for plan, spec in entries.items():
        if not isinstance(spec, Mapping):
            raise ValueError(f"plan {plan}: price must be an object")
        spec = {("unit_amount" if k in ("amount", "amount_centavos") else k): v for k, v in spec.items()}
        unknown = set(spec) - allowed
        if unknown:
            raise ValueError(f"plan {plan}: unknown price fields {sorted(unknown)}")
        if "unit_amount" not in spec:
            raise ValueError(f"plan {plan}: unit_amount is required")
        spec.setdefault("product_name", names.get(plan))
        prices.append(PlanPrice(plan=str(plan), **spec))
    return tuple(prices)


def load_prices(path: str | Path) -> tuple[PlanPrice, ...]:
    return prices_from_mapping(json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class BillingSandboxConfig:
    api_key: str = field(default_factory=generate_api_key)
    webhook_secret: str = field(default_factory=generate_webhook_secret)
    webhook_url: str | None = None  # the product's POST /billing/webhook; None: events are stored, not sent
    enabled_events: tuple[str, ...] = ("*",)
    prices: tuple[PlanPrice, ...] = ()
    public_url: str | None = None  # base of the pay/portal page URLs handed to browsers (default: the server URL)
    api_version: str = field(default_factory=default_api_version)
    account_name: str = "cnpj-radar (sandbox)"
    # Webhook delivery: wall-clock seconds before each retry of a non-2xx/unreachable delivery (Stripe backs off
    # over hours; scaled down here). One attempt plus len(retry_delays) retries.
    retry_delays: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
    delivery_timeout: float = 10.0
    # Subscription payment retries (Stripe's retry schedule) in sandbox-clock days after the first failure; when
    # the last fails the subscription becomes `after_retries` (Stripe's default setting: canceled).
    payment_retry_days: tuple[float, ...] = (3.0, 5.0, 7.0)
    after_retries: str = "canceled"
    checkout_expires_after: int = 24 * 3600
    search_lag_seconds: float = 0.0  # Stripe's search is eventually consistent (up to ~1 min); 0 = immediate

    def __post_init__(self) -> None:
        if not self.api_key.startswith("sk_test_"):
            raise ValueError("the billing sandbox is test mode only: api_key must start with sk_test_")
        if not self.webhook_secret.startswith("whsec_"):
            raise ValueError("webhook_secret must start with whsec_")
        if self.after_retries not in ("canceled", "unpaid", "past_due"):
            raise ValueError("after_retries must be canceled, unpaid or past_due")
        if not _API_VERSION.match(self.api_version):
            raise ValueError(f"api_version {self.api_version!r} is not a Stripe API version")
        if any(d < 0 for d in self.retry_delays) or any(d <= 0 for d in self.payment_retry_days):
            raise ValueError("retry delays must be positive")
        plans = [p.plan for p in self.prices]
        if len(plans) != len(set(plans)):
            raise ValueError("one price per plan")

    def updated(self, changes: Mapping[str, Any]) -> BillingSandboxConfig:
        """A copy with `changes` (as in POST /_sandbox/config); raises ValueError on an unknown or bad setting."""
        # api_key and webhook_secret: a rolled key (Stripe's "roll key"; the old one is refused from then on).
        settable = {"webhook_url", "enabled_events", "public_url", "retry_delays", "delivery_timeout",
                    "payment_retry_days", "after_retries", "search_lag_seconds", "api_key", "webhook_secret"}
        unknown = set(changes) - settable
        if unknown:
            raise ValueError(f"unknown or read-only settings: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("enabled_events", "retry_delays", "payment_retry_days"):
                if isinstance(value, str):
                    value = [v for v in value.split(",") if v.strip()]
                if not isinstance(value, list | tuple):
                    raise ValueError(f"{key} must be a list")
                values[key] = tuple(str(v).strip() for v in value) if key == "enabled_events" else tuple(
                    float(v) for v in value)
            elif key in ("delivery_timeout", "search_lag_seconds"):
                values[key] = float(value)
            else:
                values[key] = None if value in (None, "") else str(value)
        return replace(self, **values)

    def public_dict(self) -> dict[str, Any]:
        """Settings without the two secrets (GET /_sandbox/config)."""
        return {
            "webhook_url": self.webhook_url,
            "enabled_events": list(self.enabled_events),
            "public_url": self.public_url,
            "api_version": self.api_version,
            "retry_delays": list(self.retry_delays),
            "delivery_timeout": self.delivery_timeout,
            "payment_retry_days": list(self.payment_retry_days),
            "after_retries": self.after_retries,
            "checkout_expires_after": self.checkout_expires_after,
            "search_lag_seconds": self.search_lag_seconds,
            "prices": [{"plan": p.plan, "unit_amount": p.unit_amount, "currency": p.currency,
                        "interval": p.interval, "price_id": p.price_id, "lookup_key": p.lookup_key}
                       for p in self.prices],
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> BillingSandboxConfig:
        """RADAR_BILLING_SANDBOX_WEBHOOK_URL, _PRICES (a JSON file), _PUBLIC_URL; `overrides` win. The API key and
        webhook secret are never read from the environment: the caller passes them, or they are generated."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for var, key in (("WEBHOOK_URL", "webhook_url"), ("PUBLIC_URL", "public_url")):
            if env.get(f"RADAR_BILLING_SANDBOX_{var}"):
                values[key] = env[f"RADAR_BILLING_SANDBOX_{var}"]
        if env.get("RADAR_BILLING_SANDBOX_PRICES"):
            values["prices"] = load_prices(env["RADAR_BILLING_SANDBOX_PRICES"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "prices" in values and isinstance(values["prices"], Mapping):
            values["prices"] = prices_from_mapping(values["prices"])
        for key in ("enabled_events", "retry_delays", "payment_retry_days"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)

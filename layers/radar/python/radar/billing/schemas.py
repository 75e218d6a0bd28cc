"""API shapes of billing: checkout and portal answers, the webhook's acknowledgement, the public plan list."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from radar.schema import ApiModel, RequestBody

__all__ = ["CheckoutOut", "CheckoutRequest", "PlanList", "PlanOut", "PortalOut", "PriceOut", "SweepOut",
           "TierLimits", "WebhookOut"]


class TierLimits(ApiModel):
    rate: float
    burst: int
    quota: int
    quota_period: str
    monthly_checks: int
    retention_days: int


class CheckoutRequest(RequestBody):
    plan: str = Field(min_length=1, max_length=32, description="a paid plan above the tenant's current one")


class CheckoutOut(ApiModel):
    """A first subscription's checkout page (201), or the one subscription moved up, prorated (200)."""

    kind: Literal["checkout", "subscription_update"] = Field(default="checkout", description="which of the two")
    session_id: str | None = Field(default=None, description="the checkout session (checkout)")
    subscription_id: str | None = Field(default=None, description="the subscription (subscription_update)")
    url: str = Field(description="the payment page (checkout), or the page to go back to")
    plan: str = Field(description="moves when the provider confirms it (the webhook)")


class PortalOut(ApiModel):
    url: str = Field(description="the provider's customer portal: card, cancellation, invoices")


class WebhookOut(ApiModel):
    received: bool = True
    event_id: str
    type: str
    outcome: Literal["processed", "duplicate", "ignored"]


class SweepOut(ApiModel):
    """One run of the billing sweep: records found due, settled (a downgrade or a held plan ended), failed."""

    due: int
    settled: int
    failed: int
    more: bool = Field(description="the run stopped at its limit: the next one carries on")


class PriceOut(ApiModel):
    unit_amount: int = Field(description="in the currency's smallest unit (centavos)")
    currency: str
    interval: str
    display: str


class PlanOut(ApiModel):
    plan: str
    display_name: str
    price: PriceOut | None = Field(description="null: free")
    limits: TierLimits
    checkout: str | None = Field(description="how to buy it (null: not sold)")


class PlanList(ApiModel):
    items: list[PlanOut]
    default_plan: str

"""Billing settings: where the provider's secrets live, its API base URL (the sandbox locally), the grace period."""

from __future__ import annotations

from pydantic import Field

from radar.settings import EnvSettings

__all__ = ["BillingSettings"]


class BillingSettings(EnvSettings):
    # JSON {"secret_key": "sk_...", "webhook_secret": "whsec_..."}; empty values: billing is not configured (503).
    billing_secret_arn: str | None = Field(default=None, alias="BILLING_SECRET_ARN")
    # Empty in production (the SDK's own https://api.stripe.com); the billing sandbox's URL locally.
    billing_api_base_url: str | None = Field(default=None, alias="BILLING_API_BASE_URL")
    grace_days: float = Field(default=7.0, ge=0, alias="BILLING_GRACE_DAYS")
    # Where Checkout and the portal send the customer back: the console's plan page (radar.billing.RETURN_PATH), set
    # by the CDK app (the console distribution's domain, or the stage's console.domain) and by the local cloud.
    return_url: str = Field(default="https://cnpj-radar.example/admin/plan", alias="BILLING_RETURN_URL",
                            pattern=r"^https?://[^\s?#]+$")
    webhook_tolerance_seconds: int = Field(default=300, gt=0, alias="BILLING_WEBHOOK_TOLERANCE_SECONDS")
    # A webhook whose signature does not match reads the signing secret again (a rotation) only when the one held is
    # older than this: at most one Secrets Manager read per window per warm container, whatever the public sends.
    webhook_reread_seconds: float = Field(default=30.0, gt=0, alias="BILLING_WEBHOOK_REREAD_SECONDS")

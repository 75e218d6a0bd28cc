"""Billing errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from typing import Any

from radar.errors import BadRequest, Conflict, DependencyUnavailable, RadarError, ValidationFailed

__all__ = ["BillingNotConfigured", "BillingProviderError", "InvalidWebhook", "NoBillingAccount", "PaymentRequired",
           "PlanNotSold"]


class PaymentRequired(RadarError):
    """A move to a higher plan that is not paid for: the answer names the checkout route."""

    status = 402
    code = "upgrade_requires_payment"


class PlanNotSold(ValidationFailed):
    code = "plan_not_sold"


class NoBillingAccount(Conflict):
    code = "no_billing_account"


class InvalidWebhook(BadRequest):
    code = "invalid_webhook"

    def __init__(self, message: str, *, reason: str, field: str = "Stripe-Signature") -> None:
        super().__init__(message, details=[{"field": field, "reason": reason, "message": message}])


class BillingNotConfigured(DependencyUnavailable):
    code = "billing_not_configured"

    def __init__(self, details: Any = None) -> None:
        super().__init__("billing is not configured for this environment", details=details)


class BillingProviderError(DependencyUnavailable):
    code = "billing_provider_unavailable"

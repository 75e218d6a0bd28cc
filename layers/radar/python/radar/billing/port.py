"""The billing provider port: what billing needs from a payment provider (Stripe today, a Brazilian one later).

Adapters turn the provider's objects into these plain records, so the service never sees a provider's types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["ACTIVE_STATUSES", "BillingEvent", "BillingProvider", "SubscriptionState"]

# Subscription statuses whose plan applies (past_due applies during the grace period only).
ACTIVE_STATUSES = frozenset({"active", "trialing"})


@dataclass(frozen=True)
class BillingEvent:
    """A verified provider event: which customer and subscription it is about (the tenant comes from the customer)."""

    id: str
    type: str
    created: int  # epoch seconds, the provider's clock
    customer_id: str | None
    subscription_id: str | None
    metadata_tenant_id: str | None  # what the object's metadata claims; checked against the customer's link


@dataclass(frozen=True)
class SubscriptionState:
    """A subscription as the provider says it is now (the truth an event only announces)."""

    id: str
    customer_id: str
    status: str
    plan: str | None  # the plan of its price, None for a price that is not one of ours
    period_end: int | None
    cancel_at_period_end: bool


class BillingProvider(Protocol):
    def create_customer(self, tenant_id: str, name: str) -> str:
        """A customer for the tenant (idempotent per tenant); its id."""
        ...

    def checkout_url(self, *, customer_id: str, tenant_id: str, plan: str, lookup_key: str, success_url: str,
                     cancel_url: str) -> tuple[str, str]:
        """A hosted checkout for a monthly subscription to `plan`: (session id, URL)."""
        ...

    def portal_url(self, customer_id: str, return_url: str) -> str:
        ...

    def verify_event(self, payload: bytes, signature: str) -> BillingEvent:
        """The event, if the signature over the raw payload verifies (InvalidWebhook otherwise)."""
        ...

    def subscription(self, subscription_id: str) -> SubscriptionState:
        ...

    def change_subscription(self, subscription_id: str, *, plan: str | None, lookup_key: str | None) -> None:
        """At the end of the paid period: cancel (`plan` None) or bill the lower `plan` from the next invoice on."""
        ...

    def upgrade_subscription(self, subscription_id: str, *, lookup_key: str) -> None:
        """Move the subscription's one item to the higher price now and invoice the prorated difference at once
        (the same subscription: a customer never pays two); the provider's subscription.updated event follows."""
        ...

    def cancel_subscription(self, subscription_id: str) -> None:
        """Cancel at once (the tenant is deleted); an already cancelled subscription is fine."""
        ...

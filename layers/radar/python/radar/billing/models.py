"""PynamoDB items of billing: a tenant's billing record, the customer -> tenant link, processed webhook events."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute

from radar.store import MainTableModel

__all__ = ["BILLING_SK", "BillingItem", "CustomerLinkItem", "WebhookEventItem", "customer_pk", "webhook_event_pk"]

BILLING_SK = "BILLING"


def customer_pk(customer_id: str) -> str:
    return f"BILLINGCUSTOMER#{customer_id}"


def webhook_event_pk(event_id: str) -> str:
    return f"BILLINGEVENT#{event_id}"


class BillingItem(MainTableModel):
    """pk TENANT#<tid>, sk BILLING: what the tenant pays for, as the provider last said, and what applies now.

    `clock` is the latest billing time seen (epoch seconds, the provider's event time or the wall clock, whichever
    is later), so a decision taken at one time is never undone by an evaluation at an earlier one."""

    sk = UnicodeAttribute(range_key=True, default=BILLING_SK)
    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute(null=True)
    subscription_id = UnicodeAttribute(null=True)
    subscription_status = UnicodeAttribute(null=True)
    subscription_plan = UnicodeAttribute(null=True)
    period_end = NumberAttribute(null=True)
    cancel_at_period_end = BooleanAttribute(default=False)
    grace_until = NumberAttribute(null=True)  # a failed payment's grace period ends here
    lapsed = BooleanAttribute(default=False)  # the grace period ended unpaid: the subscription's plan no longer applies
    held_plan = UnicodeAttribute(null=True)  # a downgrade keeps the paid-for plan ...
    held_until = NumberAttribute(null=True)  # ... until the end of the paid period
    granted_plan = UnicodeAttribute(null=True)  # an operator's grant (out of band, no payment)
    granted_by = UnicodeAttribute(null=True)
    clock = NumberAttribute(default=0)
    updated_at = UnicodeAttribute(null=True)
    version = VersionAttribute()


class CustomerLinkItem(MainTableModel):
    """pk BILLINGCUSTOMER#<customer id>: which tenant a provider customer is (written once, at the first checkout)."""

    sk = UnicodeAttribute(range_key=True, default="CUSTOMER")
    tenant_id = UnicodeAttribute()
    created_at = UnicodeAttribute()


class WebhookEventItem(MainTableModel):
    """pk BILLINGEVENT#<event id>: an event already processed (conditional put), kept 30 days (TTL)."""

    sk = UnicodeAttribute(range_key=True, default="EVENT")
    type = UnicodeAttribute()
    received_at = UnicodeAttribute()
    expires_at = NumberAttribute()

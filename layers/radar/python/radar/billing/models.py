"""PynamoDB items of billing: a tenant's billing record, the customer -> tenant link, processed webhook events."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute

from radar.store import Gsi2, MainTableModel

__all__ = ["BILLING_SK", "DUE_PK", "BillingItem", "CustomerLinkItem", "WebhookEventItem", "customer_pk", "due_sk",
           "webhook_event_pk"]

BILLING_SK = "BILLING"
# The sparse gsi2 partition of billing deadlines: only a record with something due (a grace period running, a held
# plan) is in it, keyed by when it falls due, so the hourly sweep reads what is due and never scans the table.
DUE_PK = "BILLINGDUE"


def due_sk(at: float, tenant_id: str = "") -> str:
    """gsi2sk of a deadline: epoch seconds, zero-padded so that the strings sort as the times do."""
    return f"{int(at):012d}#{tenant_id}"


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
    # Saved with every change a billing event or the sweep makes, cleared once the tenant is on the plan it implies:
    # a crash in between (or a failed usage-plan move) leaves the record due now, so the next sweep finishes it.
    settle_pending = BooleanAttribute(default=False)
    updated_at = UnicodeAttribute(null=True)
    version = VersionAttribute()
    gsi2pk = UnicodeAttribute(null=True)  # DUE_PK while something is due (BillingRepository.save sets both)
    gsi2sk = UnicodeAttribute(null=True)  # due_sk(due_at(), tenant_id)
    due: Gsi2[BillingItem] = Gsi2()

    def due_at(self) -> float | None:
        """When something falls due without an event: a running grace period's end, a held plan's end, or now for a
        change whose plan move is not confirmed yet."""
        pending = [t for t in (None if self.lapsed else self.grace_until, self.held_until) if t]
        if self.settle_pending:
            pending.append(float(self.clock or 0))  # due at once: the plan move it implies may not have happened
        return float(min(pending)) if pending else None


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

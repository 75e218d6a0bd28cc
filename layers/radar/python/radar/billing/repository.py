"""Billing storage: the tenant's billing record (optimistic locking), customer links and processed event ids."""

from __future__ import annotations

import time

from pynamodb.exceptions import DoesNotExist

from radar.billing.models import (
    BILLING_SK,
    DUE_PK,
    BillingItem,
    CustomerLinkItem,
    WebhookEventItem,
    customer_pk,
    due_sk,
    webhook_event_pk,
)
from radar.store import Gsi2, storage_errors, written
from radar.tables import tenant_pk
from radar.timestamps import utc_iso

__all__ = ["EVENT_KEEP_SECONDS", "BillingRepository"]

EVENT_KEEP_SECONDS = 30 * 86400  # longer than the provider retries an event (Stripe: 3 days)


class BillingRepository:
    def get(self, tenant_id: str) -> BillingItem:
        """The tenant's record, or a new unsaved one."""
        with storage_errors():
            try:
                return BillingItem.get(tenant_pk(tenant_id), BILLING_SK, consistent_read=True)
            except DoesNotExist:
                return BillingItem(tenant_pk(tenant_id), BILLING_SK, tenant_id=tenant_id)

    def save(self, item: BillingItem) -> bool:
        """Save if nobody saved it since it was read (its version); False when someone did (read again)."""
        item.updated_at = utc_iso(timespec="microseconds")
        due = item.due_at()
        item.gsi2pk = DUE_PK if due is not None else None
        item.gsi2sk = due_sk(due, item.tenant_id) if due is not None else None
        return written(item.save)

    def due(self, now: float, limit: int) -> list[str]:
        """Tenants whose record has something due by `now`, earliest first: one query of the sparse deadline
        partition (gsi2 is eventually consistent: the caller decides on a consistent read of each record)."""
        with storage_errors():
            found = BillingItem.due.query(DUE_PK, Gsi2.gsi2sk < due_sk(now + 1), limit=limit)
            return [item.tenant_id for item in found]

    def link_customer(self, customer_id: str, tenant_id: str) -> str:
        """Link a provider customer to a tenant (first link wins); returns the tenant the customer belongs to."""
        link = CustomerLinkItem(customer_pk(customer_id), "CUSTOMER", tenant_id=tenant_id,
                                created_at=utc_iso(timespec="seconds"))
        if written(lambda: link.save(condition=CustomerLinkItem.pk.does_not_exist())):
            return tenant_id
        found = self.tenant_of_customer(customer_id)
        return found or tenant_id

    def tenant_of_customer(self, customer_id: str) -> str | None:
        with storage_errors():
            try:
                return CustomerLinkItem.get(customer_pk(customer_id), "CUSTOMER", consistent_read=True).tenant_id
            except DoesNotExist:
                return None

    def claim_event(self, event_id: str, event_type: str) -> bool:
        """Record an event as being processed; False when it already was (a retry or a duplicate delivery)."""
        now = time.time()
        item = WebhookEventItem(webhook_event_pk(event_id), "EVENT", type=event_type,
                                received_at=utc_iso(timespec="microseconds"), expires_at=int(now + EVENT_KEEP_SECONDS))
        # An expired record (TTL deletion lags) counts as absent, as every read of this table treats it.
        condition = WebhookEventItem.pk.does_not_exist() | (WebhookEventItem.expires_at <= int(now))
        return written(lambda: item.save(condition=condition))

    def release_event(self, event_id: str) -> None:
        """Forget an event whose processing failed, so the provider's retry processes it."""
        with storage_errors():
            WebhookEventItem(webhook_event_pk(event_id), "EVENT").delete()

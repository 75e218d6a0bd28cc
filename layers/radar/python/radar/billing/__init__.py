"""Billing: plans that are paid for. Checkout, the customer portal, verified provider webhooks that move a tenant's
plan, grace periods after a failed payment, downgrades and operator grants, behind a small provider port
(radar.billing.port) with a Stripe adapter (radar.billing.stripe_provider).

The root stays light (no pynamodb, no stripe): the auth function imports it at cold start.
Imports: accounts, audit, context, errors, gateway_keys, observability, schema, settings, store, tables, tiers,
timestamps.
"""

from __future__ import annotations

from radar.billing.settings import BillingSettings

__all__ = ["SWEEP_EVENT", "SWEEP_SCHEDULE_MINUTES", "BillingSettings"]

# The hourly schedule's constant input to the purge function (its scheduled entry), and its rate: the CDK app reads
# both from here, the handler dispatches on the first.
SWEEP_EVENT = {"action": "billing.sweep"}
SWEEP_SCHEDULE_MINUTES = 60

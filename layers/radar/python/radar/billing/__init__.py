"""Billing: plans that are paid for. Checkout, the customer portal, verified provider webhooks that move a tenant's
plan, grace periods after a failed payment, downgrades and operator grants, behind a small provider port
(radar.billing.port) with a Stripe adapter (radar.billing.stripe_provider).

The root stays light (no pynamodb, no stripe): the auth function imports it at cold start.
Imports: accounts, audit, context, errors, gateway_keys, observability, schema, settings, store, tables, tiers,
timestamps.
"""

from __future__ import annotations

from radar.billing.settings import BillingSettings

__all__ = ["RETURN_PATH", "RETURN_QUERIES", "SWEEP_EVENT", "SWEEP_SCHEDULE_MINUTES", "BillingSettings"]

# Where Checkout and the customer portal send the customer back: the console's plan page (BILLING_RETURN_URL is
# its absolute URL, `<console>/admin/plan`), with a query that says what happened. The console
# (console/src/lib/billingReturn.ts) reads the same three words; after a payment the plan bought (`plan=`) and the
# Checkout Session's id ride along.
RETURN_PATH = "/admin/plan"
RETURN_QUERIES = {
    "checkout_success": "checkout=success",  # paid: the plan moves when the verified webhook arrives
    "checkout_cancel": "checkout=cancel",  # left Checkout: nothing was charged
    "portal_return": "portal=return",  # back from the customer portal
}

# The hourly schedule's constant input to the purge function (its scheduled entry), and its rate: the CDK app reads
# both from here, the handler dispatches on the first.
SWEEP_EVENT = {"action": "billing.sweep"}
SWEEP_SCHEDULE_MINUTES = 60

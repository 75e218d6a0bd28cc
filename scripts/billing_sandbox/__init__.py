"""Billing sandbox: a local server speaking Stripe's wire format (API, hosted pay and portal pages, signed
webhooks, a sandbox clock) so the whole billing flow runs and is tested offline with the official SDK."""

from __future__ import annotations

from scripts.billing_sandbox.config import BillingSandboxConfig, PlanPrice, load_prices, prices_from_mapping
from scripts.billing_sandbox.server import BillingSandbox, start_billing_sandbox
from scripts.billing_sandbox.webhooks import sign

__all__ = ["BillingSandbox", "BillingSandboxConfig", "PlanPrice", "load_prices", "prices_from_mapping", "sign",
           "start_billing_sandbox"]

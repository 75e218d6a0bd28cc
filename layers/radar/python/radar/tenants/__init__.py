"""Tenant lifecycle: signup (tenant, admin user, gateway key, first session), the tenant, its plan, its deletion
(a job the purge function runs in pages from a checkpoint: radar.tenants.deletion).

Also the auth and purge functions' environments (radar.tenants.settings) and composition (radar.tenants.wiring).
The root stays light (no pynamodb): the auth function imports it at cold start.
Imports: accounts, apikeys, audit, aws, billing, context, errors, gateway_keys, observability, schema, sessions,
settings, store, tables, tiers, timestamps.
"""

from __future__ import annotations

from radar.tenants.errors import TenantNotFound
from radar.tenants.settings import AuthEnv

__all__ = ["AuthEnv", "TenantNotFound"]

"""The auth function's environment (docs/architecture.md), validated at cold start.

The auth function serves the tenant lifecycle and, through it, sessions, users and API keys.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field, field_validator

from radar.billing.settings import BillingSettings
from radar.sessions.settings import SessionSettings
from radar.settings import EnvSettings, HttpSettings

__all__ = ["AuthEnv", "PurgeEnv", "PurgeSettings"]


def _json_object(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class PurgeSettings(EnvSettings):
    """How the tenant purge pages (radar.tenants.deletion) and where its queue is."""

    purge_queue_url: str = Field(alias="PURGE_QUEUE_URL", min_length=1)
    # Items read per page (a BatchWriteItem takes 25; related items ride along), pages per invocation, and how long
    # an invocation's lease on the job lasts after its last save (a crashed one is taken over after it). The lease
    # is renewed at every step and the job's saves are versioned, so a lease that runs out under a live but slow
    # step costs a duplicate page, never a wrong count: it is kept short, as a crash's takeover waits for it.
    page_size: int = Field(default=25, ge=1, le=100, alias="PURGE_PAGE_SIZE")
    pages_per_run: int = Field(default=20, ge=1, le=1000, alias="PURGE_PAGES_PER_INVOCATION")
    lease_seconds: int = Field(default=30, ge=1, le=900, alias="PURGE_LEASE_SECONDS")


class PurgeEnv(EnvSettings):
    """The purge function's environment: the tables it empties, the usage plans, billing (to cancel)."""

    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    usage_plan_ids: dict[str, str] = Field(alias="USAGE_PLAN_IDS")
    billing: BillingSettings
    purge: PurgeSettings

    _plans = field_validator("usage_plan_ids", mode="before")(_json_object)


class AuthEnv(HttpSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    signing_key_secret_arn: str = Field(alias="SIGNING_KEY_SECRET_ARN", min_length=1)
    public_keys_secret_arn: str = Field(alias="PUBLIC_KEYS_SECRET_ARN", min_length=1)
    # {"free": "<usage plan id>", ...}: where each plan's tenants keep their gateway key (radar.gateway_keys).
    usage_plan_ids: dict[str, str] = Field(alias="USAGE_PLAN_IDS")
    billing: BillingSettings
    sessions: SessionSettings  # ACCESS_TOKEN_TTL_SECONDS
    purge_queue_url: str = Field(alias="PURGE_QUEUE_URL", min_length=1)  # DELETE /tenant queues the purge here

    _plans = field_validator("usage_plan_ids", mode="before")(_json_object)

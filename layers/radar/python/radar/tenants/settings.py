"""The auth function's environment (docs/architecture.md), validated at cold start.

The auth function serves the tenant lifecycle and, through it, sessions, users and API keys.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field, field_validator

from radar.billing.settings import BillingSettings
from radar.sessions.settings import SessionSettings
from radar.settings import HttpSettings

__all__ = ["AuthEnv"]


class AuthEnv(HttpSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    signing_key_secret_arn: str = Field(alias="SIGNING_KEY_SECRET_ARN", min_length=1)
    public_keys_secret_arn: str = Field(alias="PUBLIC_KEYS_SECRET_ARN", min_length=1)
    # {"free": "<usage plan id>", ...}: where each plan's tenants keep their gateway key (radar.gateway_keys).
    usage_plan_ids: dict[str, str] = Field(alias="USAGE_PLAN_IDS")
    billing: BillingSettings
    sessions: SessionSettings  # ACCESS_TOKEN_TTL_SECONDS

    @field_validator("usage_plan_ids", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

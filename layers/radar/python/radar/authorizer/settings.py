"""The authorizer function's environment (docs/architecture.md), validated at cold start."""

from __future__ import annotations

from pydantic import Field

from radar.settings import EnvSettings

__all__ = ["AuthorizerEnv"]


class AuthorizerEnv(EnvSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    public_keys_secret_arn: str = Field(alias="PUBLIC_KEYS_SECRET_ARN", min_length=1)
    # Mirrors the gateway's authorizer result TTL: a revoked key or session stops working within this time.
    auth_cache_ttl_seconds: int = Field(default=60, ge=0, le=60, alias="AUTH_CACHE_TTL_SECONDS")

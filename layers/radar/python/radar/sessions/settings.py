"""Session settings: how long an access token lives (ACCESS_TOKEN_TTL_SECONDS, a test cloud may shorten it)."""

from __future__ import annotations

from pydantic import Field

from radar.sessions.tokens import ACCESS_TOKEN_TTL_SECONDS, MIN_ACCESS_TOKEN_TTL_SECONDS
from radar.settings import EnvSettings

__all__ = ["SessionSettings"]


class SessionSettings(EnvSettings):
    """15 minutes by default; never under a minute, never over the 15 minutes every verifier assumes."""

    access_token_ttl_seconds: int = Field(
        default=ACCESS_TOKEN_TTL_SECONDS,
        ge=MIN_ACCESS_TOKEN_TTL_SECONDS,
        le=ACCESS_TOKEN_TTL_SECONDS,
        alias="ACCESS_TOKEN_TTL_SECONDS",
    )

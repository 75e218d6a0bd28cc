"""The targets function's environment (docs/architecture.md), validated at cold start."""

from __future__ import annotations

from pydantic import Field

from radar.settings import HttpSettings

__all__ = ["TargetsEnv"]


class TargetsEnv(HttpSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cursor_key_secret_arn: str | None = Field(default=None, alias="CURSOR_KEY_SECRET_ARN")

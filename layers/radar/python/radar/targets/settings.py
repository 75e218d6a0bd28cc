"""The targets function's environment (docs/architecture.md), validated at cold start."""

from __future__ import annotations

from pydantic import Field

from radar.settings import EnvSettings

__all__ = ["TargetsEnv"]


class TargetsEnv(EnvSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cursor_key_secret_arn: str | None = Field(default=None, alias="CURSOR_KEY_SECRET_ARN")

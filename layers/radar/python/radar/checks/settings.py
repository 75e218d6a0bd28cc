"""Each function's environment, validated by a pydantic model at cold start (docs/architecture.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ChecksEnv", "TargetsEnv", "WorkerEnv"]


class _Env(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        return cls.model_validate(dict(os.environ if environ is None else environ))


class TargetsEnv(_Env):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cursor_key_secret_arn: str | None = Field(default=None, alias="CURSOR_KEY_SECRET_ARN")


class ChecksEnv(_Env):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cache_table: str = Field(alias="CACHE_TABLE", min_length=1)
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    checks_queue_url: str = Field(alias="CHECKS_QUEUE_URL", min_length=1)
    checks_dlq_url: str | None = Field(default=None, alias="CHECKS_DLQ_URL")
    provider_tokens_secret_arn: str | None = Field(default=None, alias="PROVIDER_TOKENS_SECRET_ARN")
    cursor_key_secret_arn: str | None = Field(default=None, alias="CURSOR_KEY_SECRET_ARN")


class WorkerEnv(_Env):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cache_table: str = Field(alias="CACHE_TABLE", min_length=1)
    checks_dlq_url: str | None = Field(default=None, alias="CHECKS_DLQ_URL")
    checks_queue_url: str | None = Field(default=None, alias="CHECKS_QUEUE_URL")
    provider_tokens_secret_arn: str | None = Field(default=None, alias="PROVIDER_TOKENS_SECRET_ARN")
    max_receive_count: int = Field(default=5, alias="MAX_RECEIVE_COUNT", ge=1)

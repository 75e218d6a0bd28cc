"""The environments of the checks and worker functions (docs/architecture.md), validated at cold start."""

from __future__ import annotations

from pydantic import Field

from radar.lookup.settings import LookupSettings
from radar.settings import EnvSettings, HttpSettings

__all__ = ["ChecksEnv", "WorkerEnv"]


class ChecksEnv(HttpSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cache_table: str = Field(alias="CACHE_TABLE", min_length=1)
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    checks_queue_url: str = Field(alias="CHECKS_QUEUE_URL", min_length=1)
    # Batch items' own lane (unset: the checks queue).
    batch_queue_url: str | None = Field(default=None, alias="BATCH_QUEUE_URL")
    checks_dlq_url: str | None = Field(default=None, alias="CHECKS_DLQ_URL")
    provider_tokens_secret_arn: str | None = Field(default=None, alias="PROVIDER_TOKENS_SECRET_ARN")
    cursor_key_secret_arn: str | None = Field(default=None, alias="CURSOR_KEY_SECRET_ARN")
    # Validated here, at cold start; the chain itself is built from the environment on first use (default_lookup).
    lookup: LookupSettings


class WorkerEnv(EnvSettings):
    main_table: str = Field(alias="MAIN_TABLE", min_length=1)
    cache_table: str = Field(alias="CACHE_TABLE", min_length=1)
    checks_dlq_url: str | None = Field(default=None, alias="CHECKS_DLQ_URL")
    checks_queue_url: str | None = Field(default=None, alias="CHECKS_QUEUE_URL")
    provider_tokens_secret_arn: str | None = Field(default=None, alias="PROVIDER_TOKENS_SECRET_ARN")
    max_receive_count: int = Field(default=5, alias="MAX_RECEIVE_COUNT", ge=1)
    # A check that only waits for provider capacity fails (capacity_timeout, not charged) after this long.
    capacity_budget_seconds: int = Field(default=86_400, alias="CAPACITY_WAIT_BUDGET_SECONDS", ge=1)
    # A running check belongs to the delivery that started it this long (the worker's timeout plus a margin); a
    # duplicate delivery meanwhile drops out, a crashed worker's check is taken over after it.
    check_lease_seconds: int = Field(default=90, alias="CHECK_LEASE_SECONDS", ge=1)
    # Records of one SQS batch run this many at a time (each mostly waits: a provider slot, the provider, DynamoDB).
    record_concurrency: int = Field(default=10, alias="WORKER_RECORD_CONCURRENCY", ge=1, le=10)
    lookup: LookupSettings

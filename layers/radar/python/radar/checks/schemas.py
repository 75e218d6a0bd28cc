"""API shapes of checks, batches and health: request bodies (extra fields rejected) and responses."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from radar.schema import ApiModel, RequestBody

__all__ = [
    "BatchCheckRef",
    "BatchCounts",
    "BatchCreate",
    "BatchItemProblem",
    "BatchOut",
    "CheckOut",
    "CheckPage",
    "CheckTimings",
    "QueueMessage",
    "ReadinessOut",
]

MAX_BATCH = 500


class CheckTimings(ApiModel):
    queued_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    retry_at: str | None = Field(default=None, description="when a check waiting on rate-limited providers runs again")
    duration_ms: int | None = None


class CheckOut(ApiModel):
    id: str
    target_id: str
    cnpj: str
    cnpj_formatted: str
    status: str = Field(description="queued, running, succeeded or failed")
    mode: str = Field(description="sync or async")
    batch_id: str | None = None
    created_at: str
    timings: CheckTimings
    attempts: int = 0
    capacity_waits: int = Field(default=0, description="times it waited for provider capacity (not faults)")
    source: str | None = Field(default=None, description="the provider (or cache) that produced the report")
    cached: bool | None = None
    report: dict[str, Any] | None = None
    diff: dict[str, Any] | None = Field(default=None, description="changes since the previous successful report")
    errors: list[dict[str, Any]] | None = Field(default=None, description="per-provider errors of a failed check")
    failure_reason: str | None = None
    expires_at: str | None = Field(default=None, description="when retention removes this check and its report")
    eta_seconds: float | None = Field(
        default=None, description="a check queued because providers were busy: when it is expected to run"
    )


class CheckPage(ApiModel):
    items: list[CheckOut]
    next_cursor: str | None = None


class BatchCreate(RequestBody):
    cnpjs: list[str] = Field(min_length=1, max_length=MAX_BATCH)


class BatchItemProblem(ApiModel):
    index: int = Field(description="position in the request's cnpjs list")
    input: str = Field(description="the entry as sent (first 32 characters)")
    reason: str
    message: str


class BatchCheckRef(ApiModel):
    cnpj: str
    target_id: str
    check_id: str


class BatchCounts(ApiModel):
    queued: int = 0
    running: int = 0
    succeeded: int = 0
    failed: int = 0


class BatchOut(ApiModel):
    batch_id: str
    created_at: str
    submitted: int = Field(description="CNPJs received")
    accepted: int = Field(description="checks queued (counted against the allowance)")
    counts: BatchCounts
    done: bool
    invalid: list[BatchItemProblem] = Field(default_factory=list, description="not valid CNPJs, not counted")
    rejected: list[BatchItemProblem] = Field(
        default_factory=list, description="valid CNPJs left out because the monthly allowance ran out"
    )
    checks: list[BatchCheckRef] | None = Field(default=None, description="only in the creation response")


class ReadinessOut(ApiModel):
    status: str
    checks: dict[str, str]


class QueueMessage(ApiModel):
    """The checks queue message (docs/architecture.md)."""

    tenant_id: str
    check_id: str
    target_id: str
    cnpj: str
    correlation_id: str | None = None
    batch_id: str | None = None
    enqueued_at: str

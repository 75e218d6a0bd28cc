"""API shapes of checks, batches and health: request bodies (extra fields rejected) and responses."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from radar.lookup.schemas import ProviderStatus
from radar.report import Partner, Report
from radar.schema import ApiModel, RequestBody

__all__ = [
    "BATCH_MAX_BODY_BYTES",
    "MAX_BATCH",
    "BatchCheckPage",
    "BatchCheckRef",
    "BatchCounts",
    "BatchCreate",
    "BatchItemProblem",
    "BatchOut",
    "BatchPageMessage",
    "BatchResultRow",
    "BatchResults",
    "CheckOut",
    "CheckPage",
    "CheckTimings",
    "FieldChange",
    "HealthOut",
    "ProviderAttempt",
    "QueueMessage",
    "ReadinessOut",
    "ReportDiff",
]

MAX_BATCH = 10_000
# POST /checks/batch's own body limit (every other route: MAX_BODY_BYTES, 256 KB): 10,000 masked CNPJs are about
# 190 KB as CSV and 220 KB as JSON; a CSV with a few more columns (a name, a code) fits in 2 MB.
BATCH_MAX_BODY_BYTES = 2 * 1024 * 1024


class CheckTimings(ApiModel):
    queued_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    retry_at: str | None = Field(default=None, description="when a check waiting on rate-limited providers runs again")
    duration_ms: int | None = None


class FieldChange(ApiModel):
    """One report field that changed: its dotted path, the previous value and the new one."""

    model_config = ConfigDict(defer_build=True, populate_by_name=True, serialize_by_alias=True)

    field: str = Field(description="dotted path in the report, e.g. address.city")
    from_: Any = Field(default=None, alias="from", description="the previous value (null when it was absent)")
    to: Any = Field(default=None, description="the new value (null when it is gone)")


class ReportDiff(ApiModel):
    """What changed since the target's previous successful report (radar.checks.diff)."""

    baseline: bool = Field(description="true for a target's first report: nothing to compare with")
    previous_check_id: str | None = None
    changes: list[FieldChange] = Field(default_factory=list)
    partners_in: list[Partner] = Field(default_factory=list)
    partners_out: list[Partner] = Field(default_factory=list)
    changed: bool


class ProviderAttempt(ApiModel):
    """What one provider answered while a check ran (no payload, no personal data)."""

    provider: str | None = None
    outcome: str = Field(description="ok, not_found, invalid, rate_limited, circuit_open, transient or error")
    status: int | None = Field(default=None, description="the provider's HTTP status, when it answered")
    message: str | None = None
    duration_ms: float | None = None


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
    stale: bool | None = Field(
        default=None, description="true: no provider could answer, so this is the last good report (see age_seconds)"
    )
    age_seconds: float | None = Field(
        default=None, description="how old the report's data is now: seconds since its provider was asked"
    )
    report: Report | None = None
    diff: ReportDiff | None = Field(default=None, description="changes since the previous successful report")
    errors: list[ProviderAttempt] | None = Field(default=None, description="per-provider errors of a failed check")
    failure_reason: str | None = None
    expires_at: str | None = Field(default=None, description="when retention removes this check and its report")
    eta_seconds: float | None = Field(
        default=None, description="a check queued because providers were busy: when it is expected to run"
    )


class CheckPage(ApiModel):
    items: list[CheckOut]
    next_cursor: str | None = None


class BatchCreate(RequestBody):
    """A batch as JSON: `{"cnpjs": [...]}` (or the bare array); POST /checks/batch takes a text/csv body too."""

    cnpjs: list[str] = Field(min_length=1, max_length=MAX_BATCH)


class BatchItemProblem(ApiModel):
    index: int = Field(description="position of the entry in the batch (0-based: the cnpjs list, or the CSV's rows)")
    line: int | None = Field(default=None, description="CSV bodies: the 1-based line of the file")
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
    throughput_per_min: float | None = Field(
        default=None, description="checks of this batch finished per minute, measured from its own finishes"
    )
    eta_seconds: float | None = Field(
        default=None, description="seconds until the rest is expected done, from the providers' capacity model"
    )
    invalid: list[BatchItemProblem] = Field(default_factory=list, description="not valid CNPJs, not counted")
    rejected: list[BatchItemProblem] = Field(
        default_factory=list, description="valid CNPJs left out because the monthly allowance ran out"
    )
    checks: list[BatchCheckRef] | None = Field(
        default=None, description="not listed here: GET /checks/batch/{batch_id}/checks pages through them"
    )


class BatchCheckPage(ApiModel):
    """A page of a batch's checks, in the order they were submitted."""

    items: list[CheckOut]
    next_cursor: str | None = None


class BatchResultRow(ApiModel):
    """One valid CNPJ of a batch and its outcome (a row of the results download)."""

    cnpj: str
    status: str = Field(description="queued, running, succeeded or failed")
    legal_name: str = Field(description="the report's legal name (empty until it succeeded)")
    situation: str = Field(description="the registration status (ATIVA, BAIXADA...; empty until it succeeded)")
    failure_reason: str = Field(description="why it failed (empty unless failed)")
    check_id: str


class BatchResults(ApiModel):
    """A batch's results as JSON (format=json): one row per valid CNPJ, in submission order."""

    batch_id: str
    items: list[BatchResultRow]


class HealthOut(ApiModel):
    status: str = Field(description="ok")


class ReadinessOut(ApiModel):
    status: str
    checks: dict[str, str]
    providers: list[ProviderStatus] | None = Field(
        default=None, description="each provider's capacity now and its breaker (absent when the cache is unreachable)"
    )


class QueueMessage(ApiModel):
    """The checks queue message (docs/architecture.md)."""

    tenant_id: str
    check_id: str
    target_id: str
    cnpj: str
    correlation_id: str | None = None
    batch_id: str | None = None
    enqueued_at: str
    # The check's capacity_waits when this message was sent (None: a message from before the field). A copy older
    # than the check's latest wait is stale: the wait sent its own message, which carries the check on.
    wait: int | None = None


class BatchPageMessage(ApiModel):
    """A batch's page of CNPJs to fan out (radar.checks.dispatch), on the batch queue beside the check messages."""

    kind: str = "batch_page"
    tenant_id: str
    batch_id: str
    page: int
    correlation_id: str | None = None

"""Turn stored check and batch items into API responses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from radar.checks.models import FINISHED, BatchModel, CheckModel
from radar.checks.schemas import BatchCounts, BatchItemProblem, BatchOut, CheckOut, CheckTimings
from radar.cnpj import format_cnpj
from radar.timestamps import epoch_iso, parse_iso

__all__ = ["batch_out", "check_out"]


def _duration_ms(check: CheckModel) -> int | None:
    if not (check.started_at and check.finished_at):
        return None
    return int((parse_iso(check.finished_at) - parse_iso(check.started_at)).total_seconds() * 1000)


def _age_seconds(report: Any) -> float | None:
    fetched = report.get("fetched_at") if isinstance(report, dict) else None
    if not fetched:
        return None
    try:
        return round(max(0.0, (datetime.now(UTC) - parse_iso(str(fetched))).total_seconds()), 1)
    except ValueError:
        return None


def check_out(check: CheckModel) -> CheckOut:
    return CheckOut(
        id=str(check.check_id),
        target_id=str(check.target_id),
        cnpj=str(check.cnpj),
        cnpj_formatted=format_cnpj(str(check.cnpj)),
        status=str(check.status),
        mode=str(check.mode),
        batch_id=check.batch_id,
        created_at=str(check.created_at),
        timings=CheckTimings(
            queued_at=check.queued_at,
            started_at=check.started_at,
            finished_at=check.finished_at,
            retry_at=None if check.status in FINISHED else check.retry_at,
            duration_ms=_duration_ms(check),
        ),
        attempts=int(check.attempts or 0),
        capacity_waits=int(check.capacity_waits or 0),
        source=check.source,
        cached=check.cached,
        stale=check.stale,
        age_seconds=_age_seconds(check.report),
        report=check.report,
        diff=check.diff,
        errors=check.errors,
        failure_reason=check.failure_reason,
        expires_at=epoch_iso(float(check.expires_at)) if check.expires_at else None,
    )


def batch_out(batch: BatchModel) -> BatchOut:
    counts = BatchCounts(
        queued=int(batch.queued or 0),
        running=int(batch.running or 0),
        succeeded=int(batch.succeeded or 0),
        failed=int(batch.failed or 0),
    )
    return BatchOut(
        batch_id=str(batch.batch_id),
        created_at=str(batch.created_at),
        submitted=int(batch.submitted or 0),
        accepted=counts.queued + counts.running + counts.succeeded + counts.failed,
        counts=counts,
        done=counts.queued == 0 and counts.running == 0,
        invalid=[BatchItemProblem.model_validate(p) for p in (batch.invalid or [])],
        rejected=[BatchItemProblem.model_validate(p) for p in (batch.rejected or [])],
    )

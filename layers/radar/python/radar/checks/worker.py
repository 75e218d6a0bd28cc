"""The worker's logic for one SQS record: run the queued check once, retry later when providers are busy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from radar.checks.errors import CheckDeferred, RetriesExhausted, StaleTransition
from radar.checks.models import FINISHED, CheckModel, CheckStatus
from radar.checks.queue import CheckQueue
from radar.checks.repository import CheckRepository
from radar.checks.runner import CheckRunner
from radar.checks.schemas import QueueMessage
from radar.errors import DependencyUnavailable
from radar.lookup.schemas import attempt_errors
from radar.lookup.service import Lookup
from radar.observability import logger, metrics
from radar.targets.repository import TargetRepository
from radar.timestamps import parse_iso, utc_iso

__all__ = ["DEFAULT_RETRY_SECONDS", "CheckWorker"]

DEFAULT_RETRY_SECONDS = 60


class CheckWorker:
    def __init__(
        self,
        *,
        checks: CheckRepository,
        targets: TargetRepository,
        lookup: Lookup,
        queue_for_arn: Any,
        max_receive_count: int,
    ) -> None:
        self._checks = checks
        self._runner = CheckRunner(checks, targets, lookup)
        self._queue_for_arn = queue_for_arn  # Callable[[str], CheckQueue]
        self._max_receive_count = max_receive_count

    def handle(self, record: Any, *, remaining_ms: int | None = None) -> str:
        """Process one record (a Powertools SQSRecord); return what happened; raise to have SQS redeliver."""
        message = QueueMessage.model_validate_json(record.body)
        logger.set_correlation_id(message.correlation_id)
        logger.append_keys(tenant_id=message.tenant_id, check_id=message.check_id)
        metrics.add_metadata(key="tenant_id", value=message.tenant_id)
        receive_count = int(record.attributes.approximate_receive_count or 1)
        last_attempt = receive_count >= self._max_receive_count

        check = self._checks.find(message.tenant_id, message.check_id)
        if check is None:
            logger.info("check gone (deleted or expired); dropping the message")
            return "gone"
        if check.status in FINISHED:
            logger.info("check already finished; redelivery ignored", extra={"status": check.status})
            return "already_finished"
        status = str(check.status)
        try:
            # Only from the state just read: a concurrent duplicate that got there first runs it, this one drops out.
            check = self._checks.transition(
                message.tenant_id,
                message.check_id,
                expected=[status],
                to=CheckStatus.RUNNING,
                fields={"started_at": utc_iso(), "retry_at": None},
                count_attempt=True,
                batch=(str(check.batch_id), status) if check.batch_id else None,
                known=check,
            )
        except StaleTransition:
            return "already_finished"
        self._record_queue_time(message)

        try:
            finished = self._runner.execute(check, remaining_ms=remaining_ms)
        except DependencyUnavailable as exc:
            errors = attempt_errors(getattr(exc, "attempts", None))
            if last_attempt:
                self._runner.fail(check, reason="providers_unavailable_after_retries", errors=errors)
                raise RetriesExhausted(message.check_id) from exc
            self._defer(record, message, check, errors, getattr(exc, "retry_after_seconds", None))
            raise CheckDeferred(message.check_id) from exc
        except Exception as exc:
            if last_attempt:
                self._runner.fail(check, reason="internal_error", errors=[])
                raise RetriesExhausted(message.check_id) from exc
            raise
        return str(finished.status)

    def _defer(
        self,
        record: Any,
        message: QueueMessage,
        check: CheckModel,
        errors: list[dict[str, Any]],
        retry_after: int | None,
    ) -> None:
        delay = int(retry_after) if retry_after and retry_after > 0 else DEFAULT_RETRY_SECONDS
        retry_at = utc_iso(datetime.now(UTC) + timedelta(seconds=delay))
        try:
            self._checks.transition(
                message.tenant_id,
                message.check_id,
                expected=[CheckStatus.RUNNING],
                to=CheckStatus.QUEUED,
                fields={"retry_at": retry_at, "errors": errors},
                batch=(str(check.batch_id), CheckStatus.RUNNING) if check.batch_id else None,
                known=check,
            )
        except StaleTransition:
            return
        queue: CheckQueue = self._queue_for_arn(record.event_source_arn)
        queue.delay_redelivery(record.receipt_handle, delay)
        logger.info("providers busy; check retried later", extra={"retry_after_seconds": delay})

    @staticmethod
    def _record_queue_time(message: QueueMessage) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        waited = (datetime.now(UTC) - parse_iso(message.enqueued_at)).total_seconds() * 1000
        metrics.add_metric(name="QueueTime", unit=MetricUnit.Milliseconds, value=max(waited, 0.0))

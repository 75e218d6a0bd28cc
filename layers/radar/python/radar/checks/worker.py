"""The worker's logic for one SQS record: run the queued check once; wait for provider capacity without spending
the message's receives; retry provider faults later."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from radar.checks.errors import CheckDeferred, RetriesExhausted, StaleTransition, UnreadableMessage
from radar.checks.models import FINISHED, CheckModel, CheckStatus
from radar.checks.queue import MAX_DELAY_SECONDS, CheckQueue
from radar.checks.repository import CheckRepository
from radar.checks.runner import CheckRunner
from radar.checks.schemas import QueueMessage
from radar.checks.service import queue_message, release_allowance
from radar.cnpj import Cnpj
from radar.errors import DependencyUnavailable
from radar.lookup.schemas import attempt_errors
from radar.lookup.service import Lookup
from radar.metering.service import UsageMeter
from radar.observability import logger, metrics
from radar.targets.models import TargetModel
from radar.targets.repository import TargetRepository
from radar.timestamps import parse_iso, utc_iso

__all__ = ["DEFAULT_RETRY_SECONDS", "CheckWorker", "process_records"]

DEFAULT_RETRY_SECONDS = 60
# Reasons a check ends failed without delivering a report: its allowance unit goes back.
UNCHARGED_REASONS = frozenset({"capacity_timeout", "providers_unavailable_after_retries", "internal_error"})


class CheckWorker:
    def __init__(
        self,
        *,
        checks: CheckRepository,
        targets: TargetRepository,
        lookup: Lookup,
        queue_for_arn: Any,
        max_receive_count: int,
        meter: UsageMeter | None = None,
        capacity_budget_seconds: float = 86_400,
        lease_seconds: float = 90,
    ) -> None:
        self._checks = checks
        self._lookup = lookup
        self._runner = CheckRunner(checks, targets, lookup)
        self._queue_for_arn = queue_for_arn  # Callable[[str], CheckQueue]
        self._max_receive_count = max_receive_count
        self._meter = meter
        self._capacity_budget = capacity_budget_seconds
        self._lease_seconds = lease_seconds

    def handle(self, record: Any, *, remaining_ms: int | None = None) -> str:
        """Process one record (a Powertools SQSRecord); return what happened; raise to have SQS redeliver."""
        try:
            message = QueueMessage.model_validate_json(record.body)
        except ValidationError as exc:  # its text quotes the input: only the names of our fields it had wrong
            known = set(QueueMessage.model_fields)
            wrong = {e["loc"][0] if e["loc"] else None for e in exc.errors()}
            fields = sorted({str(name) if name in known else "<other>" for name in wrong})
            logger.error("unreadable queue message; it goes to the DLQ", extra={"invalid_fields": fields})
            raise UnreadableMessage(str(getattr(record, "message_id", ""))) from None
        # Records of one invocation run in threads (process_records): keys are per thread.
        logger.thread_safe_append_keys(
            tenant_id=message.tenant_id, check_id=message.check_id, correlation_id=message.correlation_id
        )
        metrics.add_metadata(key="tenant_id", value=message.tenant_id)
        receive_count = int(record.attributes.approximate_receive_count or 1)
        last_attempt = receive_count >= self._max_receive_count

        # One read: the check, its target (the diff's base), and what the lookup reads first (the CNPJ's cache
        # entry, the providers' breakers and schedules).
        cnpj = Cnpj(message.cnpj)
        ahead_keys = getattr(self._lookup, "read_ahead_keys", None)
        ahead = ahead_keys(cnpj) if callable(ahead_keys) else []
        check, target, items = self._checks.find_with_target(
            message.tenant_id, message.check_id, message.target_id, also=ahead
        )
        read_ahead = bool(ahead) and check is not None and not check.bypass_cache
        if read_ahead:
            self._lookup.read_ahead(cnpj, items)  # type: ignore[attr-defined]
        if check is None:
            logger.info("check gone (deleted or expired); dropping the message")
            return "gone"
        if check.status in FINISHED:
            logger.info("check already finished; redelivery ignored", extra={"status": check.status})
            return "already_finished"
        if (
            check.status == CheckStatus.QUEUED
            and message.wait is not None
            and message.wait < int(check.capacity_waits or 0)
        ):
            # A copy (a duplicate delivery, or one that came back) of a message from before the check's latest wait:
            # that wait sent the check's own message. Passing this one on too would double the check's messages.
            logger.info("stale copy of a waiting check's message; dropped", extra={"wait": message.wait})
            return "stale"
        now = time.time()
        if check.status == CheckStatus.QUEUED and check.retry_at and check.capacity_waits:
            # A capacity wait longer than one message's delay: pass the message on until the wait is over.
            left = (parse_iso(str(check.retry_at)) - datetime.now(UTC)).total_seconds()
            if left >= 1:
                self._queue_for_arn(record.event_source_arn).send(message, delay_seconds=int(left))
                return "waiting"
        status = str(check.status)
        lease_ahead = getattr(self._lookup, "lease_ahead", None)
        # A cache miss read ahead: the lookup's single-flight lease is taken in the claim's transaction.
        lease: dict[str, Any] | None = lease_ahead(cnpj) if read_ahead and callable(lease_ahead) else None
        landed: list[dict[str, Any]] = []
        try:
            # From the state just read, and only when no other delivery holds the running lease: a concurrent
            # duplicate drops out; a crashed worker's check is taken over once its lease ends. The CNPJ's
            # single-flight lease rides along when it was free as read (else the lookup takes it itself).
            check = self._checks.transition(
                message.tenant_id,
                message.check_id,
                expected=[status],
                to=CheckStatus.RUNNING,
                fields={"started_at": utc_iso(), "retry_at": None, "lease_until": now + self._lease_seconds},
                count_attempt=True,
                batch=(str(check.batch_id), status) if check.batch_id else None,
                lease_free_at=now,
                known=check,
                also=[lease] if lease is not None else (),
                landed=landed,
            )
        except StaleTransition:
            if lease is not None:
                self._lookup.lease_taken(cnpj, False)  # type: ignore[attr-defined]
            return self._not_claimed(record, message)
        if lease is not None:
            self._lookup.lease_taken(cnpj, bool(landed))  # type: ignore[attr-defined]
        self._record_queue_time(message)

        try:
            finished = self._execute(check, cnpj, remaining_ms, target, lease is not None)
        except DependencyUnavailable as exc:
            errors = attempt_errors(getattr(exc, "attempts", None))
            if getattr(exc, "waiting_for_capacity", False):
                return self._wait_for_capacity(record, message, check, errors, exc)
            if last_attempt:
                self._fail(check, "providers_unavailable_after_retries", errors)
                raise RetriesExhausted(message.check_id) from exc
            self._defer(record, message, check, errors, getattr(exc, "retry_after_seconds", None))
            raise CheckDeferred(message.check_id) from exc
        except Exception as exc:
            if last_attempt:
                self._fail(check, "internal_error", [])
                raise RetriesExhausted(message.check_id) from exc
            raise
        return str(finished.status)

    def _execute(
        self, check: CheckModel, cnpj: Cnpj, remaining_ms: int | None, target: TargetModel | None, ahead: bool
    ) -> CheckModel:
        """Run the claimed check; a lease taken ahead that its lookup did not use is freed (its lookup never ran)."""
        try:
            return self._runner.execute(check, remaining_ms=remaining_ms, target=target)
        finally:
            if ahead:
                self._lookup.release_lease_ahead(cnpj)  # type: ignore[attr-defined]

    def _not_claimed(self, record: Any, message: QueueMessage) -> str:
        """Another delivery moved the check first. Finished, or waiting again: this copy is dropped. Running under a
        live lease (a concurrent duplicate, or a worker that crashed mid-check): this copy comes back when the lease
        ends, so a crashed worker's check is taken over then."""
        check = self._checks.find(message.tenant_id, message.check_id)
        if check is None or check.status != CheckStatus.RUNNING or not check.lease_until:
            logger.info("another delivery moved this check; duplicate dropped")
            return "duplicate"
        left = float(check.lease_until) - time.time()
        if left <= 0:
            raise CheckDeferred(message.check_id)  # the lease just ended: SQS delivers it again for the takeover
        first_receive = int(record.attributes.approximate_receive_count or 1) <= 1
        if first_receive and message.wait is not None and message.wait > int(check.capacity_waits or 0):
            # Sent for a wait the holder is recording right now (the message goes out before the transition): back
            # in a moment, not at the lease's end. Only once, so a holder that died keeps to the lease.
            left = 1.0
        self._queue_for_arn(record.event_source_arn).delay_redelivery(record.receipt_handle, int(left) + 1)
        logger.info("another delivery holds this check; this copy comes back after its lease")
        raise CheckDeferred(message.check_id)

    def _fail(self, check: CheckModel, reason: str, errors: list[dict[str, Any]]) -> None:
        _, landed = self._runner.record_failure(check, reason=reason, errors=errors)
        # Only the delivery whose transition landed gives the unit back (a duplicate's is stale).
        if landed and self._meter is not None and reason in UNCHARGED_REASONS:
            release_allowance(self._meter, check)

    def _wait_for_capacity(
        self, record: Any, message: QueueMessage, check: CheckModel, errors: list[dict[str, Any]], exc: Exception
    ) -> str:
        """No provider has a slot soon: a fresh message comes back when the capacity model predicts one, and this
        one is deleted (the record succeeds), so waiting never spends the receives meant for faults."""
        first = str(check.waiting_since) if check.waiting_since else utc_iso()
        waited = (datetime.now(UTC) - parse_iso(first)).total_seconds()
        if waited >= self._capacity_budget:
            self._fail(check, "capacity_timeout", errors)
            return CheckStatus.FAILED
        eta = float(getattr(exc, "eta_seconds", None) or getattr(exc, "retry_after_seconds", None) or 1)
        eta = min(eta, self._capacity_budget - waited)
        delay = max(1, int(eta + 0.999))
        queue: CheckQueue = self._queue_for_arn(record.event_source_arn)
        # The fresh message first, stamped with the wait it is for: once the check counts that wait, every older copy
        # of its message is stale. If this send fails the record fails and nothing moved: SQS redelivers the old
        # message after the running lease. If the transition then fails (another delivery moved the check), the
        # fresh message is one more copy, which the claim and the lease make harmless.
        queue.send(
            queue_message(check, wait=int(check.capacity_waits or 0) + 1), delay_seconds=min(delay, MAX_DELAY_SECONDS)
        )
        if not self._back_to_queue(check, delay, errors, count_wait=True, waiting_since=first):
            return "duplicate"
        from aws_lambda_powertools.metrics import MetricUnit

        metrics.add_metric(name="ChecksWaitingForCapacity", unit=MetricUnit.Count, value=1)
        logger.info("no provider capacity yet; check comes back later", extra={"delay_seconds": delay})
        return "waiting"

    def _defer(
        self,
        record: Any,
        message: QueueMessage,
        check: CheckModel,
        errors: list[dict[str, Any]],
        retry_after: int | None,
    ) -> None:
        delay = int(retry_after) if retry_after and retry_after > 0 else DEFAULT_RETRY_SECONDS
        if not self._back_to_queue(check, delay, errors):
            return
        queue: CheckQueue = self._queue_for_arn(record.event_source_arn)
        queue.delay_redelivery(record.receipt_handle, delay)
        logger.info("providers failing; check retried later", extra={"retry_after_seconds": delay})

    def _back_to_queue(self, check: CheckModel, delay: int, errors: list[dict[str, Any]], **wait: Any) -> bool:
        """running -> queued, due again in `delay` seconds (the batch counter moves with it); False if another
        delivery moved the check first."""
        try:
            self._checks.transition(
                str(check.tenant_id),
                str(check.check_id),
                expected=[CheckStatus.RUNNING],
                to=CheckStatus.QUEUED,
                fields={
                    "retry_at": utc_iso(datetime.now(UTC) + timedelta(seconds=delay)),
                    "errors": errors,
                    "lease_until": None,
                },
                batch=(str(check.batch_id), CheckStatus.RUNNING) if check.batch_id else None,
                known=check,
                **wait,
            )
        except StaleTransition:
            return False
        return True

    @staticmethod
    def _record_queue_time(message: QueueMessage) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        waited = (datetime.now(UTC) - parse_iso(message.enqueued_at)).total_seconds() * 1000
        metrics.add_metric(name="QueueTime", unit=MetricUnit.Milliseconds, value=max(waited, 0.0))


def process_records(records: list[Any], handle: Any, *, concurrency: int) -> dict[str, Any]:
    """Run `handle(record)` for an SQS batch's records, `concurrency` at a time (a record mostly waits on a provider
    slot, the provider or DynamoDB), and answer SQS's partial batch response: the records that raised come back."""
    from concurrent.futures import ThreadPoolExecutor

    from radar.observability import tracer

    provider: Any = tracer.provider  # the X-Ray recorder: its context is per thread
    entity = _trace_entity(provider)

    def one(record: Any) -> bool:
        if entity is not None:
            provider.set_trace_entity(entity)  # the invocation's segment, so subsegments have a parent
        try:
            handle(record)
        except Exception as exc:
            if not isinstance(exc, CheckDeferred | RetriesExhausted | UnreadableMessage):
                logger.exception("record failed; SQS delivers it again")
            return False
        finally:
            logger.thread_safe_clear_keys()
        return True

    workers = max(1, min(concurrency, len(records)))
    if workers == 1:
        results = [one(record) for record in records]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="record") as pool:
            results = list(pool.map(one, records))
    failed = [record for record, ok in zip(records, results, strict=True) if not ok]
    return {"batchItemFailures": [{"itemIdentifier": record.message_id} for record in failed]}


def _trace_entity(provider: Any) -> Any:
    try:
        return provider.get_trace_entity()
    except Exception:  # tracing disabled or no segment: nothing to hand on
        return None

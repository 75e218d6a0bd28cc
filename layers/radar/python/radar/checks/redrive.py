"""Redrive the checks DLQ: reopen each dead check (failed -> queued) and send it back to the checks queue."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pydantic import ValidationError

from radar.checks.errors import StaleTransition
from radar.checks.models import CheckStatus
from radar.checks.repository import CheckRepository
from radar.checks.schemas import QueueMessage
from radar.observability import logger
from radar.timestamps import utc_iso

__all__ = ["REOPENABLE_REASONS", "RedriveResult", "redrive_dlq"]

# Failures that a later attempt can fix; a not-found CNPJ is final and is not reopened.
REOPENABLE_REASONS = frozenset({"providers_unavailable_after_retries", "internal_error"})


@dataclass
class RedriveResult:
    redriven: int = 0
    dropped: int = 0  # check gone, finished for good, or not reopenable: removed from the DLQ
    unreadable: int = 0  # left in the DLQ for a person to look at
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def redrive_dlq(
    *,
    sqs: Any,
    dlq_url: str,
    queue_url: str,
    checks: CheckRepository,
    max_messages: int | None = None,
    dry_run: bool = False,
) -> RedriveResult:
    result = RedriveResult(dry_run=dry_run)
    handled = 0
    while max_messages is None or handled < max_messages:
        want = 10 if max_messages is None else min(10, max_messages - handled)
        # A dry run only looks: the messages stay visible for the real run.
        messages = sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=want, WaitTimeSeconds=0, VisibilityTimeout=0 if dry_run else 60
        ).get("Messages", [])
        if not messages:
            break
        for raw in messages:
            handled += 1
            outcome = _redrive_one(sqs, raw, queue_url, checks, dry_run)
            setattr(result, outcome, getattr(result, outcome) + 1)
            if outcome != "unreadable" and not dry_run:
                sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=raw["ReceiptHandle"])
        if dry_run:
            break  # visible messages would come back in every receive: one look is the whole dry run
    logger.info("dlq redrive finished", extra=result.as_dict())
    return result


def _redrive_one(
    sqs: Any,
    raw: dict[str, Any],
    queue_url: str,
    checks: CheckRepository,
    dry_run: bool,
) -> str:
    try:
        message = QueueMessage.model_validate_json(raw["Body"])
    except ValidationError:
        return "unreadable"
    check = checks.find(message.tenant_id, message.check_id)
    if check is None or check.status == CheckStatus.SUCCEEDED:
        return "dropped"
    if check.status == CheckStatus.FAILED and check.failure_reason not in REOPENABLE_REASONS:
        return "dropped"
    if dry_run:
        return "redriven"
    if check.status == CheckStatus.FAILED:
        try:
            checks.transition(
                message.tenant_id,
                message.check_id,
                expected=[CheckStatus.FAILED],
                to=CheckStatus.QUEUED,
                fields={"finished_at": None, "failure_reason": None, "retry_at": None},
                batch=(str(check.batch_id), CheckStatus.FAILED) if check.batch_id else None,
                known=check,
            )
        except StaleTransition:
            return "dropped"
    sqs.send_message(
        QueueUrl=queue_url,
        MessageBody=message.model_copy(update={"enqueued_at": utc_iso()}).model_dump_json(),
    )
    return "redriven"

"""Check and batch errors: domain subclasses of radar.errors (mapped by radar.http) and the worker's signals."""

from __future__ import annotations

from typing import Any

from radar.errors import Conflict, DependencyUnavailable, NotFound

__all__ = [
    "BatchNotFound",
    "CheckDeferred",
    "CheckNotFound",
    "CheckProvidersBusy",
    "CheckProvidersUnavailable",
    "IdempotencyConflict",
    "RetriesExhausted",
    "StaleTransition",
]


class CheckNotFound(NotFound):
    code = "check_not_found"

    def __init__(self, check_id: str) -> None:
        super().__init__("no such check", details={"check_id": check_id})


class BatchNotFound(NotFound):
    code = "batch_not_found"

    def __init__(self, batch_id: str) -> None:
        super().__init__("no such batch", details={"batch_id": batch_id})


class CheckProvidersUnavailable(DependencyUnavailable):
    """A sync check found every provider unavailable: it is recorded failed; the client may retry."""

    code = "providers_unavailable"

    def __init__(self, check_id: str, errors: list[dict[str, Any]], retry_after_seconds: int | None) -> None:
        super().__init__(
            "no CNPJ provider could answer now; the check was recorded as failed",
            details={"check_id": check_id, "errors": errors, "retry_after_seconds": retry_after_seconds},
        )
        self.retry_after_seconds = retry_after_seconds


class CheckProvidersBusy(DependencyUnavailable):
    """A sync-only check (`on_busy=fail`) found no provider slot within the sync budget: failed, not charged."""

    code = "providers_busy"

    def __init__(self, check_id: str, retry_after_seconds: int | None) -> None:
        super().__init__(
            "every CNPJ provider is at its rate limit; the check was not run and not charged",
            details={"check_id": check_id, "retry_after_seconds": retry_after_seconds},
        )
        self.retry_after_seconds = retry_after_seconds


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


class CheckDeferred(Exception):
    """Providers are busy: the worker reports the record failed so SQS delivers it again after the retry hint."""


class RetriesExhausted(Exception):
    """The last delivery failed too: the check is recorded failed and the message goes on to the DLQ."""


class UnreadableMessage(Exception):
    """A queue message that is not a check message (a poison message): it fails every delivery until SQS moves it
    to the DLQ. Its content is never logged: it may hold anything, personal data included."""


class StaleTransition(Exception):
    """A conditional status change lost: the check is no longer in the state the caller expected."""

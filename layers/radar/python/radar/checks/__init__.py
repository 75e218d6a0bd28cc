"""Checks: run a target's CNPJ lookup now or queued, store report and diff; batches; the worker."""

from __future__ import annotations

from radar.checks.diff import diff_reports
from radar.checks.errors import BatchNotFound, CheckNotFound, CheckProvidersUnavailable, IdempotencyConflict
from radar.checks.models import CheckStatus

__all__ = [
    "BatchNotFound",
    "CheckNotFound",
    "CheckProvidersUnavailable",
    "CheckStatus",
    "IdempotencyConflict",
    "diff_reports",
]

"""Checks: run a target's CNPJ lookup now or queued, store report and diff; batches; the worker.

The package root stays light (no pynamodb, no boto3): handlers import it at cold start.
"""

from __future__ import annotations

from radar.checks.diff import diff_reports
from radar.checks.errors import BatchNotFound, CheckNotFound, CheckProvidersUnavailable, IdempotencyConflict

__all__ = [
    "BatchNotFound",
    "CheckNotFound",
    "CheckProvidersUnavailable",
    "IdempotencyConflict",
    "diff_reports",
]

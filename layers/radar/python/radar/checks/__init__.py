"""Checks: run a target's CNPJ lookup now or queued, store report and diff; batches; the worker; DLQ redrive.

Also the environments of the checks and worker functions (radar.checks.settings) and the composition of the targets,
checks and worker functions (radar.checks.wiring). The package root stays light (no pynamodb, no boto3): handlers
import it at cold start.
Imports: aws, cnpj, context, errors, lookup, metering, observability, pagination, report, schema, settings, store,
tables, targets, tiers, timestamps.
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

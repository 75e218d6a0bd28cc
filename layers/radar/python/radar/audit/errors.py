"""Audit errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import DependencyUnavailable

__all__ = ["AuditUnavailable"]


class AuditUnavailable(DependencyUnavailable):
    """The audit trail could not be written or read: a mutation it cannot record is reported failed (503)."""

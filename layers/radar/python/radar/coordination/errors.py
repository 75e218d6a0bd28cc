"""Coordination errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import DependencyUnavailable

__all__ = ["CoordinationUnavailable"]


class CoordinationUnavailable(DependencyUnavailable):
    """The cache table could not be read or written (throttling, network, permissions)."""

    code = "coordination_unavailable"

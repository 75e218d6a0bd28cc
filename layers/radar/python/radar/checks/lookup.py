"""The seam to the CNPJ connector: the shape relied on, and how provider attempts become errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from radar.cnpj import Cnpj

__all__ = [
    "Connector",
    "ConnectorFactory",
    "LookupResult",
    "attempt_errors",
    "default_connector",
    "report_json",
]


class LookupResult(Protocol):
    report: Any
    source: str
    cached: bool
    attempts: list[Any]


class Connector(Protocol):
    def lookup(self, cnpj: Cnpj, *, remaining_ms: int | None = None, force_refresh: bool = False) -> Any: ...


ConnectorFactory = Callable[[], Connector]


def default_connector() -> Connector:
    """The real connector (radar.connector), which it builds once per execution environment from env vars."""
    from radar.connector import build_connector_from_env

    connector: Connector = build_connector_from_env()
    return connector


def report_json(report: Any) -> dict[str, Any]:
    if hasattr(report, "model_dump"):
        return dict(report.model_dump(mode="json"))
    return dict(report)


_ATTEMPT_FIELDS = ("provider", "outcome", "status", "message", "duration_ms")


def attempt_errors(attempts: Any) -> list[dict[str, Any]]:
    """Per-provider attempts as plain JSON (provider, outcome, status, message, duration_ms)."""
    errors: list[dict[str, Any]] = []
    for attempt in attempts or []:
        if hasattr(attempt, "model_dump"):
            raw = attempt.model_dump(mode="json")
        elif dataclasses.is_dataclass(attempt) and not isinstance(attempt, type):
            raw = dataclasses.asdict(attempt)
        elif isinstance(attempt, dict):
            raw = attempt
        else:
            raw = {name: getattr(attempt, name, None) for name in _ATTEMPT_FIELDS}
        errors.append({name: raw.get(name) for name in _ATTEMPT_FIELDS})
    return errors

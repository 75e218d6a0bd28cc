"""What a lookup returns: the report and how it was obtained, and its provider attempts as plain JSON."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, Field

from radar.providers.errors import Outcome
from radar.report import Report

__all__ = ["LookupResult", "ProviderAttempt", "ProviderStatus", "attempt_errors", "report_json"]

_ATTEMPT_FIELDS = ("provider", "outcome", "status", "message", "duration_ms")


class ProviderAttempt(BaseModel):
    """What one provider did for one lookup (no payload, no personal data)."""

    provider: str
    outcome: Outcome
    status: int | None = None
    message: str = ""
    duration_ms: float = 0.0


class ProviderStatus(BaseModel):
    """One provider of the chain as the capacity model and its breaker see it now (readiness, ops)."""

    name: str = Field(description="provider, in the chain's order of preference")
    per_minute: float | None = Field(description="sustained requests a real minute its schedule allows (null: none)")
    slots_now: float | None = Field(description="requests that could start at once (null: unlimited)")
    next_slot_seconds: float = Field(description="seconds until its next free request slot (0: now)")
    breaker: str = Field(description="closed, open or half_open (shared with the source it proxies)")
    outage_group: str = Field(description="the source whose outage takes this provider down")
    # Declared (DATA_LAG_<NAME>): a check whose max_age is below it tries this provider after those that meet it.
    data_lag_seconds: float = Field(description="how old its answers can be, in seconds (dump cycle; 0: live lookup)")


class LookupResult(BaseModel):
    """A report and how it was obtained: from the shared cache, or by walking the chain (attempts)."""

    report: Report
    source: str
    cached: bool
    attempts: list[ProviderAttempt] = Field(default_factory=list)
    # No provider could answer: the last good report of the CNPJ, within the caller's max_stale (stale if error).
    stale: bool = False


def report_json(report: Any) -> dict[str, Any]:
    """A lookup's report as stored and returned (a Report model, or already its JSON)."""
    if hasattr(report, "model_dump"):
        return dict(report.model_dump(mode="json"))
    return dict(report)


def attempt_errors(attempts: Any) -> list[dict[str, Any]]:
    """Per-provider attempts as plain JSON (provider, outcome, status, message, duration_ms), whatever their type."""
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

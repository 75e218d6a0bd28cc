"""What the coordination items hold for their callers: a cached lookup outcome, a slot reservation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CacheEntry", "Reservation"]


@dataclass(frozen=True)
class CacheEntry:
    """A cached lookup outcome: a report (dict) or a confirmed not-found (negative=True, report=None)."""

    cnpj: str
    report: dict[str, Any] | None
    negative: bool
    source: str | None
    fetched_at: str
    expires_at: int


@dataclass(frozen=True)
class Reservation:
    """One attempt to reserve a provider's request slot, as the caller that made it saw it.

    `wait`: seconds until the reserved slot (0 = now), None when nothing was reserved (no slot within the wait).
    `slots_free`: slots the provider's schedule had left right after this attempt (0 when it found none), from the
    item the attempt read and wrote; None when unknown or the provider is unlimited. A value of the call, never
    state on the limiter: a worker's record threads each see their own reservation.
    """

    wait: float | None
    slots_free: float | None = None

    @property
    def granted(self) -> bool:
        return self.wait is not None

"""What the coordination items hold for their callers: a cached lookup outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CacheEntry"]


@dataclass(frozen=True)
class CacheEntry:
    """A cached lookup outcome: a report (dict) or a confirmed not-found (negative=True, report=None)."""

    cnpj: str
    report: dict[str, Any] | None
    negative: bool
    source: str | None
    fetched_at: str
    expires_at: int

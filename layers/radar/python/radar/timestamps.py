"""UTC timestamps as the API and the tables write them (ISO 8601 with a Z), and reading them back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

__all__ = ["Timespec", "epoch_iso", "parse_duration", "parse_iso", "utc_iso"]

Timespec = Literal["seconds", "milliseconds", "microseconds"]


def utc_iso(now: datetime | None = None, *, timespec: Timespec = "milliseconds") -> str:
    """`now` (an aware UTC time, default: the current time) as `2026-01-31T12:00:00.000Z`, milliseconds by default."""
    return (now or datetime.now(UTC)).isoformat(timespec=timespec).replace("+00:00", "Z")


def epoch_iso(epoch: float, *, timespec: Timespec = "milliseconds") -> str:
    """Epoch seconds as an ISO 8601 UTC time."""
    return utc_iso(datetime.fromtimestamp(epoch, tz=UTC), timespec=timespec)


def parse_iso(value: str) -> datetime:
    """An ISO 8601 time (`Z` or an offset) as an aware datetime; a time without a zone is taken as UTC.

    Raises ValueError when `value` is not such a time.
    """
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str | int) -> int:
    """Seconds from `3600`, `45s`, `30m`, `12h` or `7d` (a whole number, optionally one unit). ValueError otherwise."""
    text = str(value).strip().lower()
    unit = text[-1:] if text[-1:] in _DURATION_UNITS else "s"
    number = text[:-1] if text[-1:] in _DURATION_UNITS else text
    if not number.isdigit() or not number.isascii():
        raise ValueError(f"not a duration: {value!r} (seconds, or a number with s, m, h or d: 7d)")
    return int(number) * _DURATION_UNITS[unit]

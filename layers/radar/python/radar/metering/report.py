"""The consumption report (GET /usage/report): a month's checks per day, mode, cache and principal, shaped from the
month's counter item and its day items (never from the checks themselves); JSON and CSV from the same rows."""

from __future__ import annotations

import calendar
import csv
import io
import re
from datetime import datetime

from radar.errors import ValidationFailed
from radar.metering.schemas import (
    MODES,
    UsageCounts,
    UsageReport,
    UsageReportDay,
    UsageReportPrincipal,
    UsageReportRow,
)
from radar.timestamps import utc_iso

__all__ = ["CSV_COLUMNS", "build_report", "parse_period", "report_csv", "wants_csv"]

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CSV_COLUMNS = (
    "date",
    "principal_type",
    "principal_id",
    "checks",
    "sync",
    "async",
    "batch",
    "cached",
    "looked_up",
    "unattributed",
)
UNATTRIBUTED = "unattributed"


def parse_period(raw: str | None, now: datetime) -> str:
    """`YYYY-MM`, not after the current month (UTC); None is the current month. Anything else is a 422 naming
    `period`. A month before the tenant existed is a valid, empty report."""
    if raw is None:
        return now.strftime("%Y-%m")
    match = _PERIOD.match(raw)
    if not match or int(match.group(1)) < 2000:
        raise _bad_period("the period must be a month written YYYY-MM (2026-03)", "invalid_format")
    if raw > now.strftime("%Y-%m"):
        raise _bad_period("the period is in the future; the report covers months that have started", "future")
    return raw


def wants_csv(accept: str) -> bool:
    """True when the Accept header prefers `text/csv` over JSON (by q-value, then order). Anything else, missing or
    unknown media types included, gets JSON: the documented default, never a 406."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, *params = [piece.strip().lower() for piece in part.split(";")]
        if media not in ("text/csv", "application/json", "*/*", "application/*", "text/*"):
            continue
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        rank = (q, -position, media)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best is not None and best[2] in ("text/csv", "text/*")


def _bad_period(message: str, reason: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "period", "reason": reason, "message": message}])


def _split_counter(name: str) -> tuple[str, str, str] | None:
    """`n#<kind>#<principal_type>:<principal_id>` -> (kind, type, id); kind is a mode or `cached`."""
    parts = name.split("#", 2)
    if len(parts) != 3 or parts[0] != "n" or ":" not in parts[2]:
        return None
    principal_type, principal_id = parts[2].split(":", 1)
    return parts[1], principal_type, principal_id


def _counts(by_mode: dict[str, int], cached: int, unattributed: int = 0) -> dict[str, object]:
    attributed = sum(by_mode.values())
    return {
        "checks": attributed + unattributed,
        "by_mode": {mode: by_mode.get(mode, 0) for mode in MODES},
        "cached": cached,
        "looked_up": attributed - cached,
        "unattributed": unattributed,
    }


def build_report(period: str, month: dict[str, int], days: dict[str, dict[str, int]], *, now: datetime) -> UsageReport:
    """Pure. `month`: the month item's numbers (`d<dd>` per day, what GET /usage shows); `days`: dd -> the day item's
    counters. A day's `checks` is the month's `d<dd>`; what its day item does not split (checks counted before the
    split existed) is `unattributed`, so every total agrees with GET /usage."""
    year, month_no = int(period[:4]), int(period[5:])
    last = calendar.monthrange(year, month_no)[1]
    if period == now.strftime("%Y-%m"):
        last = now.day
    rows: list[UsageReportRow] = []
    day_out: list[UsageReportDay] = []
    for day in range(1, last + 1):
        dd = f"{day:02d}"
        date = f"{period}-{dd}"
        per_principal: dict[tuple[str, str], dict[str, int]] = {}
        for name, value in days.get(dd, {}).items():
            split = _split_counter(name)
            if split is None or value == 0:
                continue
            kind, principal_type, principal_id = split
            per_principal.setdefault((principal_type, principal_id), {})[kind] = value
        day_modes = {mode: 0 for mode in MODES}
        day_cached = 0
        for (principal_type, principal_id), numbers in sorted(per_principal.items()):
            modes = {mode: numbers.get(mode, 0) for mode in MODES}
            cached = numbers.get("cached", 0)
            if not any(modes.values()) and not cached:
                continue
            rows.append(
                UsageReportRow.model_validate(
                    {
                        "date": date,
                        "principal_type": principal_type,
                        "principal_id": principal_id,
                        **_counts(modes, cached),
                    }
                )
            )
            for mode in MODES:
                day_modes[mode] += modes[mode]
            day_cached += cached
        unattributed = max(month.get(f"d{dd}", 0) - sum(day_modes.values()), 0)
        if unattributed:
            rows.append(
                UsageReportRow.model_validate(
                    {"date": date, "principal_type": UNATTRIBUTED, "principal_id": "", **_counts({}, 0, unattributed)}
                )
            )
        day_out.append(UsageReportDay.model_validate({"date": date, **_counts(day_modes, day_cached, unattributed)}))
    principals: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        if row.principal_type == UNATTRIBUTED:
            continue
        sums = principals.setdefault((row.principal_type, row.principal_id), {"cached": 0})
        for mode in MODES:
            sums[mode] = sums.get(mode, 0) + row.by_mode[mode]
        sums["cached"] += row.cached
    principal_out = sorted(
        (
            UsageReportPrincipal.model_validate(
                {
                    "principal_type": principal_type,
                    "principal_id": principal_id,
                    **_counts({mode: sums.get(mode, 0) for mode in MODES}, sums["cached"]),
                }
            )
            for (principal_type, principal_id), sums in principals.items()
        ),
        key=lambda p: (-p.checks, p.principal_type, p.principal_id),
    )
    totals_modes = {mode: sum(d.by_mode[mode] for d in day_out) for mode in MODES}
    totals = UsageCounts.model_validate(
        _counts(totals_modes, sum(d.cached for d in day_out), sum(d.unattributed for d in day_out))
    )
    return UsageReport(
        period=period,
        generated_at=utc_iso(now, timespec="seconds"),
        totals=totals,
        days=day_out,
        principals=principal_out,
        rows=rows,
    )


def report_csv(report: UsageReport) -> str:
    """The report's rows as CSV with a header line (one line per day and principal that ran checks)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow(
            [
                row.date,
                row.principal_type,
                row.principal_id,
                row.checks,
                row.by_mode["sync"],
                row.by_mode["async"],
                row.by_mode["batch"],
                row.cached,
                row.looked_up,
                row.unattributed,
            ]
        )
    return out.getvalue()

"""The consumption report's shaping (radar.metering.report): per day, mode, cache and principal from the counters;
periods, Accept and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from radar.errors import ValidationFailed
from radar.metering.report import CSV_COLUMNS, build_report, parse_period, report_csv, wants_csv
from radar.metering.service import UsageTag, principal_of

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


def test_days_modes_cache_and_principals_add_up() -> None:
    key, user = UsageTag("sync", "api_key:k1"), UsageTag("batch", "user:u1")
    days = {
        "01": {key.counter: 3, key.cached_counter: 1, "n#async#api_key:k1": 2, user.counter: 5, user.cached_counter: 4},
        "02": {user.counter: 1, "used": 99, "n#sync#user:u1": 0},
    }
    month = {"used": 11, "d01": 10, "d02": 1}
    report = build_report("2026-12", month, days, now=NOW)
    assert [d.date for d in report.days] == ["2026-12-01", "2026-12-02"]  # this month: up to today
    first = report.days[0]
    assert (first.checks, first.by_mode, first.cached, first.looked_up) == (
        10,
        {"sync": 3, "async": 2, "batch": 5},
        5,
        5,
    )
    assert report.totals.checks == 11 == month["used"] and report.totals.unattributed == 0
    assert [(p.principal_id, p.checks, p.cached, p.looked_up) for p in report.principals] == [
        ("u1", 6, 4, 2),
        ("k1", 5, 1, 4),
    ]
    assert [(r.date, r.principal_id, r.checks) for r in report.rows] == [
        ("2026-12-01", "k1", 5),
        ("2026-12-01", "u1", 5),
        ("2026-12-02", "u1", 1),
    ]


def test_what_the_day_items_do_not_split_is_unattributed_and_a_past_month_has_every_day() -> None:
    report = build_report("2026-02", {"used": 7, "d03": 7}, {"03": {"n#sync#user:u1": 2}}, now=NOW)
    assert len(report.days) == 28
    third = report.days[2]
    assert (third.checks, third.unattributed, third.looked_up) == (7, 5, 2)
    assert report.totals.checks == 7 and report.totals.unattributed == 5
    assert [(r.principal_type, r.unattributed) for r in report.rows] == [("user", 0), ("unattributed", 5)]
    assert [p.principal_id for p in report.principals] == ["u1"]


def test_csv_has_a_header_and_one_line_per_row() -> None:
    report = build_report("2026-12", {"d01": 2}, {"01": {"n#sync#api_key:k1": 2, "n#cached#api_key:k1": 1}}, now=NOW)
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1:] == [["2026-12-01", "api_key", "k1", "2", "2", "0", "0", "1", "1", "0"]]


def test_principal_names_are_ids() -> None:
    assert principal_of("api_key", "k1") == "api_key:k1"
    assert principal_of("", "") == "unknown:unknown"


@pytest.mark.parametrize(
    "raw", ["2026", "2026-1", "2026-00", "2026-13", "1999-12", "2026-12-01", " 2026-12", "abcd-ef"]
)
def test_a_malformed_period_is_refused_naming_it(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_period(raw, NOW)
    assert caught.value.details[0]["field"] == "period"


def test_future_months_are_refused_and_this_month_is_the_default() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_period("2027-01", NOW)
    assert caught.value.details[0]["reason"] == "future"
    assert parse_period(None, NOW) == "2026-12"
    assert parse_period("2026-12", NOW) == "2026-12"
    assert parse_period("2020-01", NOW) == "2020-01"


@pytest.mark.parametrize(
    ("accept", "csv_wanted"),
    [
        ("text/csv", True),
        ("text/csv; charset=utf-8", True),
        ("application/json, text/csv", False),
        ("text/csv, application/json", True),
        ("application/json;q=0.5, text/csv", True),
        ("text/csv;q=0, application/json", False),
        ("*/*", False),
        ("", False),
        ("application/xml", False),
        ("text/*", True),
    ],
)
def test_accept_picks_csv_only_when_it_is_preferred(accept: str, csv_wanted: bool) -> None:
    assert wants_csv(accept) is csv_wanted

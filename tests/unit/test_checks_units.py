"""Unit tests of the pure parts of radar.checks: batch splitting, views, attempts, readiness, env, periods."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from radar.checks.batchinput import Entry, split_entries
from radar.checks.models import CheckModel
from radar.checks.readiness import check_readiness, dependencies_from_env
from radar.checks.repository import is_expired
from radar.checks.settings import ChecksEnv, WorkerEnv
from radar.checks.views import check_out
from radar.lookup.schemas import ProviderAttempt, attempt_errors, report_json
from radar.metering.service import month_period, period_resets_at


def test_split_cnpjs_reports_invalid_and_repeated_entries_by_index() -> None:
    raw = ["19.131.243/0001-97", "123", "19131243000197", "12abc34501de35", "11222333000182"]
    valid, problems = split_entries([Entry(index=i, line=None, raw=r) for i, r in enumerate(raw)])
    assert [(v.index, v.cnpj) for v in valid] == [(0, "19131243000197"), (3, "12ABC34501DE35")]
    assert [(p["index"], p["reason"]) for p in problems] == [
        (1, "wrong_length"),
        (2, "duplicate"),
        (4, "wrong_check_digits"),
    ]


def test_check_out_formats_cnpj_timings_and_retention() -> None:
    check = CheckModel(
        "TENANT#t",
        "CHECK#c",
        check_id="c",
        tenant_id="t",
        target_id="tg",
        cnpj="12ABC34501DE35",
        mode="sync",
        status="succeeded",
        created_at="2026-11-01T00:00:00.000Z",
        queued_at="2026-11-01T00:00:00.000Z",
        started_at="2026-11-01T00:00:00.000Z",
        finished_at="2026-11-01T00:00:01.250Z",
        expires_at=1_800_000_000,
        retry_at="2026-11-01T00:05:00.000Z",
    )
    out = check_out(check)
    assert out.cnpj_formatted == "12.ABC.345/01DE-35"
    assert out.timings.duration_ms == 1250
    assert out.timings.retry_at is None  # a finished check is not waiting for anything
    assert out.expires_at == "2027-01-15T08:00:00.000Z"


def test_attempt_errors_accepts_models_dicts_and_objects() -> None:
    model = ProviderAttempt(provider="cnpjws", outcome="rate_limited", status=429, message="slow down")
    errors = attempt_errors([model, {"provider": "brasilapi", "outcome": "transient", "status": 504}])
    assert errors[0] == {
        "provider": "cnpjws",
        "outcome": "rate_limited",
        "status": 429,
        "message": "slow down",
        "duration_ms": 0.0,
    }
    assert errors[1]["provider"] == "brasilapi" and errors[1]["message"] is None
    assert attempt_errors(None) == []


def test_report_json_dumps_models_in_json_mode() -> None:
    class _Model:
        def model_dump(self, mode: str) -> dict[str, Any]:
            return {"mode": mode}

    assert report_json(_Model()) == {"mode": "json"}


def test_readiness_names_the_failed_dependency() -> None:
    def broken() -> None:
        raise RuntimeError("no such table")

    ready, report = check_readiness({"main_table": lambda: None, "checks_queue": broken})
    assert ready is False
    assert report == {"status": "unavailable", "checks": {"main_table": "ok", "checks_queue": "unavailable"}}


def test_readiness_probes_only_configured_dependencies() -> None:
    probes = dependencies_from_env({"MAIN_TABLE": "m", "CHECKS_QUEUE_URL": "http://q", "CACHE_TABLE": ""})
    assert sorted(probes) == ["checks_queue", "main_table"]


def test_env_models_reject_missing_variables_and_parse_numbers() -> None:
    with pytest.raises(ValidationError):
        ChecksEnv.from_environ({"MAIN_TABLE": "m"})
    worker_env = WorkerEnv.from_environ({"MAIN_TABLE": "m", "CACHE_TABLE": "c", "MAX_RECEIVE_COUNT": "4"})
    assert worker_env.max_receive_count == 4


def test_expired_means_at_or_before_now() -> None:
    assert is_expired(100, now=100) is True
    assert is_expired(101, now=100) is False
    assert is_expired(None, now=100) is False


def test_period_and_reset_date() -> None:
    now = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    assert month_period(now) == "2026-12"
    assert period_resets_at(now) == datetime(2027, 1, 1, tzinfo=UTC)

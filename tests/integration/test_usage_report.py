"""The consumption report against the moto server: checks of every mode (sync looked up, sync cached, async through
the worker, a batch through its fan-out and the worker, a failed one whose unit is given back) by two principals;
the report's JSON and CSV agree with each other, with GET /usage and with the metering counters."""

from __future__ import annotations

# ruff: noqa: F811 (the worker tests' fixtures are imported by name, and tests take them as parameters)
import csv
import io
import os
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from radar.cnpj import Cnpj
from radar.lookup.schemas import LookupResult
from radar.metering.service import UsageMeter
from tests.integration.test_checks_api import ACME, OTHER, Api, FakeConnector, rate_limited
from tests.integration.test_worker_checks import Sqs, api, connector, functions, queues, sqs  # noqa: F401

THIRD = "11222333000181"
KEY = ("api_key", "key_report_a")
USER = ("user", "usr_report_b")


@pytest.fixture
def caching(connector: FakeConnector, monkeypatch: pytest.MonkeyPatch) -> FakeConnector:
    """The worker tests' fake chain with a cache: a CNPJ answered before is answered again from the cache
    (cached=True), as the shared report cache does within its TTL."""
    seen: set[str] = set()
    plain = connector.lookup

    def lookup(cnpj: Cnpj, *, remaining_ms: Any = None, force_refresh: bool = False) -> LookupResult:
        result = plain(cnpj, remaining_ms=remaining_ms, force_refresh=force_refresh)
        cached = cnpj.value in seen and not force_refresh
        seen.add(cnpj.value)
        return LookupResult(report=result.report, source=result.source, cached=cached, attempts=[])

    monkeypatch.setattr(connector, "lookup", lookup)
    return connector


def acting(api: Api, principal: tuple[str, str]) -> Api:
    api.principal = principal
    return api


def run_every_mode(api: Api, sqs: Sqs, caching: FakeConnector) -> None:
    """5 counted checks and 1 given back: KEY runs a sync lookup and an async check, USER a sync cache hit and a
    batch of two (one cached, one looked up); KEY's sync check with every provider down is released."""
    acme, other = api.target(ACME), api.target(OTHER)
    assert acting(api, KEY)("POST", f"/targets/{acme}/checks")[1]["cached"] is False
    assert acting(api, USER)("POST", f"/targets/{acme}/checks")[1]["cached"] is True
    status, _, _ = acting(api, KEY)("POST", f"/targets/{other}/checks", query={"async": "true"})
    assert status == 202
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    status, _, _ = acting(api, USER)("POST", "/checks/batch", {"cnpjs": [ACME, THIRD]})
    assert status == 202
    sqs.dispatch()
    messages, failed = sqs.poll()
    assert len(messages) == 2 and failed == []
    caching.will(OTHER, rate_limited(30))
    status, _, _ = acting(api, KEY)("POST", f"/targets/{other}/checks", query={"refresh": "true"})
    assert status == 503  # failed with every provider down: its unit goes back


def test_the_report_splits_every_mode_and_agrees_with_usage_and_the_counters(
    api: Api, sqs: Sqs, caching: FakeConnector
) -> None:
    run_every_mode(api, sqs, caching)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    status, body, headers = acting(api, KEY)("GET", "/usage/report", role="admin")
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    assert body["period"] == today[:7]
    assert body["totals"] == {
        "checks": 5,
        "by_mode": {"sync": 2, "async": 1, "batch": 2},
        "cached": 2,
        "looked_up": 3,
        "unattributed": 0,
    }
    [day] = [d for d in body["days"] if d["checks"]]
    assert day["date"] == today and day["by_mode"] == {"sync": 2, "async": 1, "batch": 2}
    assert [d["date"] for d in body["days"]] == [f"{today[:8]}{n:02d}" for n in range(1, int(today[8:]) + 1)]
    principals = {(p["principal_type"], p["principal_id"]): p for p in body["principals"]}
    assert principals[KEY]["by_mode"] == {"sync": 1, "async": 1, "batch": 0}
    assert (principals[KEY]["cached"], principals[KEY]["looked_up"]) == (0, 2)
    assert principals[USER]["by_mode"] == {"sync": 1, "async": 0, "batch": 2}
    assert (principals[USER]["cached"], principals[USER]["looked_up"]) == (2, 1)

    # GET /usage and the metering counter say the same.
    _, usage, _ = api("GET", "/usage", role="viewer")
    assert usage["used"] == body["totals"]["checks"] == 5
    assert usage["by_day"] == {d["date"]: d["checks"] for d in body["days"] if d["checks"]}
    assert UsageMeter(os.environ["MAIN_TABLE"]).month_numbers(api.tenant_id, today[:7])["used"] == 5

    # The CSV holds the same rows.
    status, text, headers = api("GET", "/usage/report", role="admin", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert f"usage-{today[:7]}.csv" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["date"] == today for r in rows)
    by_principal = Counter()
    for row in rows:
        assert int(row["checks"]) == int(row["sync"]) + int(row["async"]) + int(row["batch"]) + int(row["unattributed"])
        for column in ("checks", "sync", "async", "batch", "cached", "looked_up"):
            by_principal[(row["principal_type"], row["principal_id"], column)] += int(row[column])
    for (ptype, pid), p in principals.items():
        assert by_principal[(ptype, pid, "checks")] == p["checks"]
        assert by_principal[(ptype, pid, "cached")] == p["cached"]
        assert by_principal[(ptype, pid, "looked_up")] == p["looked_up"]
        for mode, count in p["by_mode"].items():
            assert by_principal[(ptype, pid, mode)] == count
    assert sum(int(r["checks"]) for r in rows) == usage["used"]
    assert [r["principal_id"] for r in rows] == [r["principal_id"] for r in body["rows"]]


def test_a_duplicate_delivery_counts_a_cache_hit_once(api: Api, sqs: Sqs, caching: FakeConnector) -> None:
    acme = api.target(ACME)
    acting(api, KEY)("POST", f"/targets/{acme}/checks")  # looked up: the next answer comes from the cache
    assert acting(api, KEY)("POST", f"/targets/{acme}/checks", query={"async": "true"})[0] == 202
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    again = sqs.worker_fn.lambda_handler(sqs.event(messages), sqs.context)  # SQS delivers the message again
    assert again["batchItemFailures"] == []
    _, body, _ = api("GET", "/usage/report", role="admin")
    assert (body["totals"]["checks"], body["totals"]["cached"], body["totals"]["looked_up"]) == (2, 1, 1)


def test_a_cache_hit_counts_only_with_the_success_transition_that_lands(api: Api) -> None:
    """Two deliveries finish the same running check from the cache: the one whose transition lands counts the hit,
    in its own transaction; the other's transition is stale and counts nothing."""
    import time

    from radar.checks.errors import StaleTransition
    from radar.checks.repository import CheckRepository
    from radar.checks.service import new_check
    from radar.context import TenantContext
    from radar.metering.service import UsageTag

    ctx = TenantContext(
        tenant_id=api.tenant_id, principal_id="k9", principal_type="api_key", role="analyst", plan="free"
    )
    check = new_check(
        ctx,
        target_id="tgt_x",
        cnpj=ACME,
        mode="sync",
        status="running",
        expires_at=int(time.time()) + 3600,
        correlation_id=None,
    )
    UsageMeter(os.environ["MAIN_TABLE"]).reserve(api.tenant_id, "free", 1, tag=UsageTag("sync", "api_key:k9"))
    repository = CheckRepository()
    repository.create(check)
    finish = {"expected": ["running"], "to": "succeeded", "fields": {"cached": True, "source": "cnpjws"}}
    repository.transition(api.tenant_id, str(check.check_id), **finish, known=check)  # type: ignore[arg-type]
    with pytest.raises(StaleTransition):
        repository.transition(api.tenant_id, str(check.check_id), **finish, known=check)  # type: ignore[arg-type]
    _, body, _ = api("GET", "/usage/report", role="admin")
    assert (body["totals"]["checks"], body["totals"]["cached"], body["totals"]["looked_up"]) == (1, 1, 0)
    assert body["principals"][0]["principal_id"] == "k9"


def test_a_batch_the_queue_refused_gives_its_units_back_to_the_report(
    api: Api, caching: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from radar.checks.queue import CheckQueue
    from radar.errors import DependencyUnavailable

    def refuse(self: CheckQueue, *args: Any, **kwargs: Any) -> None:
        raise DependencyUnavailable("queue down", details={"dependency": "checks_queue"})

    monkeypatch.setattr(CheckQueue, "send", refuse)
    status, _, _ = acting(api, USER)("POST", "/checks/batch", {"cnpjs": [ACME, THIRD]})
    assert status == 503
    _, body, _ = api("GET", "/usage/report", role="admin")
    assert body["totals"]["checks"] == 0 and body["totals"]["by_mode"] == {"sync": 0, "async": 0, "batch": 0}
    assert body["rows"] == []
    assert api("GET", "/usage", role="viewer")[1]["used"] == 0


def test_checks_counted_before_the_split_show_as_unattributed(api: Api) -> None:
    """A month counted before checks recorded their principal: the report still totals what GET /usage shows."""
    UsageMeter(os.environ["MAIN_TABLE"]).reserve(api.tenant_id, "free", 3)
    _, body, _ = api("GET", "/usage/report", role="admin")
    assert body["totals"]["checks"] == 3 and body["totals"]["unattributed"] == 3
    assert [r["principal_type"] for r in body["rows"]] == ["unattributed"]
    assert api("GET", "/usage", role="viewer")[1]["used"] == 3


@pytest.mark.parametrize(
    ("period", "reason"), [("2026-13", "invalid_format"), ("26-01", "invalid_format"), ("2999-01", "future")]
)
def test_a_bad_period_is_a_422_naming_it(api: Api, period: str, reason: str) -> None:
    status, body, _ = api("GET", "/usage/report", role="admin", query={"period": period})
    assert status == 422
    assert body["error"]["details"][0]["field"] == "period"
    assert body["error"]["details"][0]["reason"] == reason


def test_a_month_before_the_tenant_is_empty_and_non_admins_are_refused(api: Api) -> None:
    status, body, _ = api("GET", "/usage/report", role="admin", query={"period": "2024-02"})
    assert status == 200
    assert [d["date"] for d in body["days"]][-1] == "2024-02-29" and len(body["days"]) == 29
    assert body["totals"]["checks"] == 0 and body["principals"] == [] and body["rows"] == []
    for role in ("analyst", "viewer"):
        status, body, _ = api("GET", "/usage/report", role=role)
        assert status == 403 and body["error"]["details"]["required_role"] == "admin"

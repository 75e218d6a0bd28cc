"""The SDK client's retries, session refresh, pages and errors, against respx (one client's behaviour, no cloud)."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx
import pytest
import respx

from radar_sdk import models
from radar_sdk.client import NOT_FOR_CLIENTS, Client, RetryPolicy, Tokens
from radar_sdk.errors import (
    AuthenticationError,
    ConflictError,
    QuotaExceededError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    ValidationError,
)

URL = "http://radar.test"
TARGET: dict[str, Any] = {
    "id": "tgt_1", "cnpj": "19131243000197", "cnpj_formatted": "19.131.243/0001-97", "label": None, "tags": [],
    "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
}
USAGE = {"period": "2026-12", "plan": "free", "used": 1, "allowance": 100, "remaining": 99,
         "resets_at": "2027-01-01T00:00:00Z", "by_day": {"01": 1}}


def _error(status: int, code: str, details: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"error": {"code": code, "message": f"{code} happened", "details": details}}
    return httpx.Response(status, json=body, headers=headers or {})


def _check(status: str = "succeeded", **extra: Any) -> dict[str, Any]:
    return {"id": "chk_1", "target_id": "tgt_1", "cnpj": "19131243000197", "cnpj_formatted": "19.131.243/0001-97",
            "status": status, "mode": "async", "created_at": "2026-12-01T00:00:00Z", "timings": {}, **extra}


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def _client(sleeps: Sleeps, **options: Any) -> Client:
    options.setdefault("api_key", "rdr_test")
    return Client(URL, sleep=sleeps, retry=RetryPolicy(max_retries=3, backoff_s=0.1), **options)


@respx.mock
def test_rate_limited_429_is_retried_after_the_servers_retry_after(sleeps: Sleeps) -> None:
    route = respx.get(f"{URL}/usage").mock(side_effect=[
        _error(429, "rate_limited", {"plan": "free"}, {"Retry-After": "2"}),
        httpx.Response(200, json=USAGE),
    ])
    usage = _client(sleeps).get_usage()
    assert usage.remaining == 99 and route.call_count == 2
    assert sleeps == [2.0]
    assert route.calls[0].request.headers["x-api-key"] == "rdr_test"


@respx.mock
def test_quota_and_allowance_429s_are_not_retried_and_carry_the_friendly_details(sleeps: Sleeps) -> None:
    details = {"plan": "free", "upgrade_plan": "pro", "upgrade_url": "https://radar.test/pricing"}
    route = respx.post(f"{URL}/checks/batch").mock(return_value=_error(429, "allowance_exceeded", details))
    with pytest.raises(QuotaExceededError) as caught:
        _client(sleeps).create_batch(["19131243000197"])
    assert route.call_count == 1 and sleeps == []
    assert (caught.value.plan, caught.value.upgrade_plan, caught.value.upgrade_url) == (
        "free", "pro", "https://radar.test/pricing"
    )


@respx.mock
def test_a_retry_after_longer_than_the_policy_allows_raises_instead_of_sleeping(sleeps: Sleeps) -> None:
    respx.get(f"{URL}/usage").mock(return_value=_error(429, "rate_limited", None, {"Retry-After": "3600"}))
    with pytest.raises(RateLimitedError) as caught:
        _client(sleeps).get_usage()
    assert caught.value.retry_after == 3600 and sleeps == []


@respx.mock
def test_retries_give_up_after_max_retries_with_the_last_error(sleeps: Sleeps) -> None:
    route = respx.get(f"{URL}/usage").mock(return_value=_error(503, "dependency_unavailable"))
    with pytest.raises(ServiceUnavailableError) as caught:
        _client(sleeps).get_usage()
    assert route.call_count == 4 and len(sleeps) == 3 and caught.value.code == "dependency_unavailable"
    assert sleeps[0] <= sleeps[1] * 2 + 1e-9 and all(0 < s <= 8 for s in sleeps)


@respx.mock
def test_a_503_on_a_post_without_idempotency_key_is_not_retried(sleeps: Sleeps) -> None:
    route = respx.post(f"{URL}/targets").mock(return_value=_error(503, "dependency_unavailable"))
    with pytest.raises(ServiceUnavailableError):
        _client(sleeps).create_target("19131243000197")
    assert route.call_count == 1


@respx.mock
def test_create_check_sends_one_idempotency_key_so_its_retries_are_safe(sleeps: Sleeps) -> None:
    route = respx.post(f"{URL}/targets/tgt_1/checks").mock(side_effect=[
        _error(503, "dependency_unavailable"),
        httpx.ConnectError("reset"),
        httpx.Response(202, json=_check("queued")),
    ])
    check = _client(sleeps).create_check("tgt_1", run_async=True)
    assert check.status == "queued" and route.call_count == 3
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert len(keys) == 1 and re.fullmatch(r"[0-9a-f-]{36}", keys.pop())
    assert route.calls[0].request.url.params["async"] == "true"


@respx.mock
def test_a_final_503_of_a_check_is_not_asked_again(sleeps: Sleeps) -> None:
    route = respx.post(f"{URL}/targets/tgt_1/checks").mock(return_value=_error(503, "providers_unavailable"))
    with pytest.raises(ServiceUnavailableError):
        _client(sleeps).create_check("tgt_1")
    assert route.call_count == 1


@respx.mock
def test_network_errors_on_reads_are_retried_then_raised_as_transport_errors(sleeps: Sleeps) -> None:
    route = respx.get(f"{URL}/usage").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransportError):
        _client(sleeps).get_usage()
    assert route.call_count == 4


@respx.mock
def test_a_401_refreshes_the_session_once_and_replays_the_request(sleeps: Sleeps) -> None:
    seen: list[Tokens] = []
    usage = respx.get(f"{URL}/usage").mock(side_effect=[
        _error(401, "unauthorized"), httpx.Response(200, json=USAGE),
    ])
    refresh = respx.post(f"{URL}/auth/refresh").mock(return_value=httpx.Response(200, json={
        "access_token": "at-2", "refresh_token": "rt-2", "expires_in": 900, "token_type": "Bearer",
    }))
    client = _client(sleeps, api_key=None, tokens=Tokens("at-1", "rt-1", time.time() + 900), on_tokens=seen.append)
    assert client.get_usage().used == 1
    assert [c.request.headers["Authorization"] for c in usage.calls] == ["Bearer at-1", "Bearer at-2"]
    assert json.loads(refresh.calls[0].request.content) == {"refresh_token": "rt-1"}
    assert "Authorization" not in refresh.calls[0].request.headers
    assert [(t.access_token, t.refresh_token) for t in seen] == [("at-2", "rt-2")]


@respx.mock
def test_a_session_near_expiry_is_refreshed_before_the_request(sleeps: Sleeps) -> None:
    usage = respx.get(f"{URL}/usage").mock(return_value=httpx.Response(200, json=USAGE))
    respx.post(f"{URL}/auth/refresh").mock(return_value=httpx.Response(200, json={
        "access_token": "at-2", "refresh_token": "rt-2", "expires_in": 900,
    }))
    client = _client(sleeps, api_key=None, tokens=Tokens("at-1", "rt-1", time.time() + 5))
    client.get_usage()
    assert usage.calls[0].request.headers["Authorization"] == "Bearer at-2"
    assert client.tokens is not None and client.tokens.expires_at > time.time() + 800


@respx.mock
def test_a_refused_refresh_is_an_authentication_error(sleeps: Sleeps) -> None:
    respx.get(f"{URL}/usage").mock(return_value=_error(401, "unauthorized"))
    respx.post(f"{URL}/auth/refresh").mock(return_value=_error(401, "unauthorized"))
    client = _client(sleeps, api_key=None, tokens=Tokens("at-1", "rt-1", time.time() + 900))
    with pytest.raises(AuthenticationError):
        client.get_usage()


@respx.mock
def test_iterators_follow_the_cursor_through_every_page(sleeps: Sleeps) -> None:
    pages = {
        None: {"items": [TARGET | {"id": "t1"}, TARGET | {"id": "t2"}], "next_cursor": "c1"},
        "c1": {"items": [TARGET | {"id": "t3"}], "next_cursor": "c2"},
        "c2": {"items": [], "next_cursor": None},
    }

    def page(request: httpx.Request) -> httpx.Response:
        assert request.url.params["limit"] == "2"
        return httpx.Response(200, json=pages[request.url.params.get("cursor")])

    route = respx.get(f"{URL}/targets").mock(side_effect=page)
    assert [t.id for t in _client(sleeps).iter_targets(page_size=2)] == ["t1", "t2", "t3"]
    assert route.call_count == 3


@respx.mock
def test_validation_errors_name_the_field(sleeps: Sleeps) -> None:
    details = [{"field": "cnpj", "reason": "check_digits", "message": "check digits do not match"}]
    respx.post(f"{URL}/targets").mock(return_value=_error(422, "invalid_cnpj", details))
    with pytest.raises(ValidationError) as caught:
        _client(sleeps).create_target("19131243000198")
    assert (caught.value.status, caught.value.code, caught.value.field) == (422, "invalid_cnpj", "cnpj")


@respx.mock
def test_ensure_target_reuses_the_existing_target_of_a_cnpj(sleeps: Sleeps) -> None:
    respx.post(f"{URL}/targets").mock(return_value=_error(409, "target_exists", {"existing_id": "tgt_1"}))
    respx.get(f"{URL}/targets/tgt_1").mock(return_value=httpx.Response(200, json=TARGET))
    target, created = _client(sleeps).ensure_target("19.131.243/0001-97")
    assert (target.id, created) == ("tgt_1", False)
    respx.post(f"{URL}/targets").mock(return_value=_error(409, "conflict", {}))
    with pytest.raises(ConflictError):
        _client(sleeps).ensure_target("19.131.243/0001-97")


@respx.mock
def test_wait_for_check_polls_until_final(sleeps: Sleeps) -> None:
    route = respx.get(f"{URL}/checks/chk_1").mock(side_effect=[
        httpx.Response(200, json=_check("queued")),
        httpx.Response(200, json=_check("running", timings={"retry_at": "2026-12-01T00:01:00Z"})),
        httpx.Response(200, json=_check("succeeded")),
    ])
    done = _client(sleeps).wait_for_check("chk_1", poll_s=0.5)
    assert done.status == "succeeded" and route.call_count == 3
    assert sleeps == [0.5, 5.0]  # slower while the check waits on rate-limited providers


def test_every_operation_of_the_contract_has_a_client_method() -> None:
    for operation_id in models.OPERATIONS:
        if operation_id in NOT_FOR_CLIENTS:
            continue
        name = re.sub(r"(?<!^)([A-Z])", r"_\1", operation_id).lower()
        assert callable(getattr(Client, name, None)), f"{operation_id}: no Client.{name}"


@respx.mock
def test_batch_checks_are_paged_from_the_batch_route_and_csv_bodies_sent_as_they_are(sleeps: Sleeps) -> None:
    client = _client(sleeps)
    pages = respx.get(f"{URL}/checks/batch/bat_1/checks").mock(
        side_effect=[
            httpx.Response(200, json={"items": [_check("succeeded")], "next_cursor": "c2"}),
            httpx.Response(200, json={"items": [_check("succeeded")], "next_cursor": None}),
        ]
    )
    assert [c.id for c in client.iter_batch_checks("bat_1", status="succeeded")] == ["chk_1", "chk_1"]
    assert [call.request.url.params.get("cursor") for call in pages.calls] == [None, "c2"]
    assert pages.calls[0].request.url.params["status"] == "succeeded"
    created = respx.post(f"{URL}/checks/batch").mock(
        return_value=httpx.Response(
            202,
            json={"batch_id": "bat_2", "created_at": "2026-01-01T00:00:00Z", "submitted": 2, "accepted": 1,
                  "counts": {"queued": 1}, "done": False,
                  "invalid": [{"index": 1, "line": 3, "input": "x", "reason": "wrong_length", "message": "m"}]},
        )
    )
    batch = client.create_batch_csv("cnpj\n19131243000197\nx\n")
    sent = created.calls[0].request
    assert sent.headers["content-type"].startswith("text/csv") and sent.content == b"cnpj\n19131243000197\nx\n"
    assert batch.invalid[0].line == 3
    respx.get(f"{URL}/checks/batch/bat_2/results").mock(
        return_value=httpx.Response(200, text='{"items": []}', headers={"Content-Type": "application/json"})
    )
    assert client.download_batch_results("bat_2", fmt="json") == '{"items": []}'


@respx.mock
def test_reports_and_diffs_parse_into_the_contract_models(sleeps: Sleeps) -> None:
    report = {"cnpj": "19131243000197", "cnpj_formatted": "19.131.243/0001-97", "source": "brasilapi",
              "fetched_at": "2026-12-01T00:00:00Z", "opened_on": "2013-10-03", "partners": [{"name": "X"}],
              "a_field_of_a_newer_api": 1}
    diff = {"baseline": False, "changed": True, "changes": [{"field": "address.city", "from": "A", "to": "B"}]}
    respx.get(f"{URL}/checks/chk_1").mock(return_value=httpx.Response(200, json=_check(report=report, diff=diff)))
    check = _client(sleeps).get_check("chk_1")
    assert check.report is not None and check.report.opened_on.isoformat() == "2013-10-03"  # type: ignore[union-attr]
    assert check.report.partners[0].name == "X"
    assert check.diff is not None and check.diff.changes[0].from_ == "A"
    assert check.diff.changes[0].model_dump(by_alias=True)["from"] == "A"


@respx.mock
def test_the_usage_report_is_parsed_and_its_csv_asked_for_with_accept(sleeps: Sleeps) -> None:
    counts = {"checks": 2, "by_mode": {"sync": 2, "async": 0, "batch": 0}, "cached": 1, "looked_up": 1,
              "unattributed": 0}
    body = {"period": "2026-11", "generated_at": "2026-12-01T00:00:00Z", "totals": counts,
            "days": [{"date": "2026-11-01", **counts}],
            "principals": [{"principal_type": "api_key", "principal_id": "k1", **counts}],
            "rows": [{"date": "2026-11-01", "principal_type": "api_key", "principal_id": "k1", **counts}]}
    as_csv = respx.get(f"{URL}/usage/report", headers={"Accept": "text/csv"})
    as_csv.mock(return_value=httpx.Response(200, text="date,principal_type\r\n", headers={"Content-Type": "text/csv"}))
    as_json = respx.get(f"{URL}/usage/report", params={"period": "2026-11"})
    as_json.mock(return_value=httpx.Response(200, json=body))
    report = _client(sleeps).get_usage_report("2026-11")
    assert report.totals.checks == 2 and report.principals[0].principal_id == "k1"
    assert as_json.call_count == 1 and as_csv.call_count == 0
    assert _client(sleeps).download_usage_report().startswith("date,principal_type")
    assert as_csv.call_count == 1 and "period" not in str(as_csv.calls.last.request.url)

"""Checks and worker with the real connector against the provider sandbox (no fake): sync and async checks,
the shared cache, and providers that all answer 429 being retried later instead of failing the check."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import httpx
import pytest

from scripts.sandbox import start_sandbox
from tests.integration.test_checks_api import Api, load_function, make_queues
from tests.integration.test_worker_checks import Sqs
from tests.support.aws import AwsResources

MAX_RECEIVES = 3
GENERATED = "11222333000181"  # no fixture: the sandbox generates the same company for it every time


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    server, url = start_sandbox(port=0, rate_limits=False)
    yield url
    server.stop()


@pytest.fixture(scope="module")
def cache_table(aws: AwsResources) -> str:
    # The connector's own cache, buckets and breakers: this module's 429 storms must not open anyone else's breaker.
    name = f"t-sandbox-cache-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    return name


@pytest.fixture(scope="module")
def queues(aws: AwsResources) -> dict[str, str]:
    return make_queues(f"t-sandbox-{uuid.uuid4().hex[:8]}", max_receive_count=MAX_RECEIVES)


@pytest.fixture(scope="module")
def functions(queues: dict[str, str]) -> tuple[ModuleType, ModuleType]:
    env = {
        "CHECKS_QUEUE_URL": queues["CHECKS_QUEUE_URL"],
        "CHECKS_DLQ_URL": queues["CHECKS_DLQ_URL"],
        "MAX_RECEIVE_COUNT": str(MAX_RECEIVES),
    }
    return (
        load_function("checks", "fn_checks_app_sandbox_tests", env),
        load_function("worker", "fn_worker_app_sandbox_tests", env),
    )


def sandbox_config(url: str, **config: Any) -> None:
    assert httpx.post(f"{url}/_sandbox/config", json=config, timeout=5).status_code == 200


@pytest.fixture
def real_connector(
    sandbox: str, cache_table: str, functions: tuple[ModuleType, ModuleType], monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The real radar.lookup, built from the environment, pointed at the sandbox."""
    from radar.lookup import reset_lookup

    for name, value in {
        "CACHE_TABLE": cache_table,
        "PROVIDER_ORDER": "cnpjws,brasilapi,receitaws",
        "CNPJWS_BASE_URL": f"{sandbox}/cnpjws",
        "CNPJWS_COMMERCIAL_BASE_URL": f"{sandbox}/cnpjws",
        "BRASILAPI_BASE_URL": f"{sandbox}/brasilapi/api/cnpj/v1",
        "RECEITAWS_BASE_URL": f"{sandbox}/receitaws/v1",
        "ALLOW_MOCK_FALLBACK": "false",
        "RATE_LIMIT_CNPJWS_PER_MIN": "600",
        "RATE_LIMIT_BRASILAPI_PER_MIN": "600",
        "RATE_LIMIT_RECEITAWS_PER_MIN": "600",
    }.items():
        monkeypatch.setenv(name, value)
    reset_lookup()
    functions[1].worker.cache_clear()
    sandbox_config(sandbox, fault_rate=0.0)
    # Each test starts with fresh schedules and breakers: a 429 storm pauses its providers for a whole window.
    client = boto3.client("dynamodb")
    for item in client.scan(TableName=cache_table, ProjectionExpression="pk")["Items"]:
        if item["pk"]["S"].startswith(("BUCKET#", "BREAKER#")):
            client.delete_item(TableName=cache_table, Key={"pk": item["pk"]})
    yield sandbox
    sandbox_config(sandbox, fault_rate=0.0, time_scale=1)
    functions[1].worker.cache_clear()
    reset_lookup()


@pytest.fixture
def api(functions: tuple[ModuleType, ModuleType], lambda_context: Any, real_connector: str) -> Api:
    return Api(functions[0], lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")


def test_sync_check_with_the_real_connector_then_served_from_the_cache(api: Api) -> None:
    target_id = api.target(GENERATED)
    status, first, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 201, first
    assert first["status"] == "succeeded" and first["report"]["cnpj"] == GENERATED
    assert first["source"] in ("cnpjws", "brasilapi", "receitaws") and first["cached"] is False
    status, second, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 201 and second["cached"] is True
    assert second["diff"]["previous_check_id"] == first["id"] and second["diff"]["changed"] is False


def test_all_providers_rate_limited_is_retried_later_then_succeeds(
    api: Api,
    functions: tuple[ModuleType, ModuleType],
    queues: dict[str, str],
    lambda_context: Any,
    real_connector: str,
) -> None:
    sqs = Sqs(functions[1], queues, lambda_context)
    target_id = api.target("27865757000102")
    # Time scale 30: the providers' windows (and so their 429s' Retry-After) last 2 s.
    sandbox_config(real_connector, fault_rate=1.0, faults=["429"], time_scale=30)
    _, queued, _ = api("POST", f"/targets/{target_id}/checks", query={"async": "true"})

    messages, failed = sqs.poll()
    assert failed == [messages[0]["MessageId"]]
    _, waiting, _ = api("GET", f"/checks/{queued['id']}")
    assert waiting["status"] == "queued" and waiting["timings"]["retry_at"]
    assert {e["outcome"] for e in waiting["errors"]} <= {"rate_limited", "circuit_open"}
    assert "rate_limited" in {e["outcome"] for e in waiting["errors"]}

    sandbox_config(real_connector, fault_rate=0.0)
    time.sleep(2.2)  # each 429 paused its provider's schedule for its Retry-After
    sqs.make_visible(messages)
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    _, done, _ = api("GET", f"/checks/{queued['id']}")
    assert done["status"] == "succeeded" and done["report"]["cnpj"] == "27865757000102"
    assert done["attempts"] == 2


def test_sync_check_when_every_provider_answers_429_is_a_503_with_their_errors(api: Api, real_connector: str) -> None:
    target_id = api.target("19131243000197")
    sandbox_config(real_connector, fault_rate=1.0, faults=["429"])
    status, body, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 503 and body["error"]["code"] == "providers_unavailable"
    errors = body["error"]["details"]["errors"]
    assert {e["provider"] for e in errors} == {"cnpjws", "brasilapi", "receitaws"}
    assert {e["status"] for e in errors if e["outcome"] == "rate_limited"} == {429}
    _, check, _ = api("GET", f"/checks/{body['error']['details']['check_id']}")
    assert check["status"] == "failed" and check["failure_reason"] == "providers_unavailable"


def test_cnpj_no_provider_knows_is_a_finished_failed_check(api: Api) -> None:
    status, body, _ = api("POST", f"/targets/{api.target('12ABC34501DE35')}/checks")
    assert status == 201
    assert body["status"] == "failed" and body["failure_reason"] == "cnpj_not_found"
    assert {e["outcome"] for e in body["errors"]} == {"not_found"}

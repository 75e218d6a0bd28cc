"""DynamoDB round trips of an uncached async check with the real provider chain (cache, single-flight lease, rate
limits, breakers on moto, the providers against the sandbox): where each call goes, and that the cuts keep the
single-flight lease (one upstream call per CNPJ) and the rate limit."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import httpx
import pytest

from radar.cnpj import check_digits
from radar.lookup.chain import ProviderChain
from scripts.sandbox import SandboxServer, start_sandbox
from tests.integration.test_checks_api import Api, load_function, make_queues, receive_all
from tests.integration.test_coordination_chain import _connector
from tests.support.aws import AwsResources

LIMITS = {"cnpjws": 60.0, "brasilapi": 60.0, "receitaws": 60.0}


@pytest.fixture(scope="module")
def queues(aws: AwsResources) -> dict[str, str]:
    return make_queues(f"t-trips-{uuid.uuid4().hex[:8]}", max_receive_count=3)


@pytest.fixture(scope="module")
def functions(queues: dict[str, str]) -> tuple[ModuleType, ModuleType]:
    env = {
        "CHECKS_QUEUE_URL": queues["CHECKS_QUEUE_URL"],
        "BATCH_QUEUE_URL": queues["CHECKS_QUEUE_URL"],
        "CHECKS_DLQ_URL": queues["CHECKS_DLQ_URL"],
        "MAX_RECEIVE_COUNT": "3",
    }
    return (
        load_function("checks", "fn_checks_app_trips_tests", env),
        load_function("worker", "fn_worker_app_trips_tests", env),
    )


@pytest.fixture
def sandbox() -> Iterator[tuple[SandboxServer, str]]:
    server, url = start_sandbox(rate_limits=True, limits_per_min=LIMITS)
    yield server, url
    server.stop()


@pytest.fixture
def chain(
    aws: AwsResources,
    sandbox: tuple[SandboxServer, str],
    functions: tuple[ModuleType, ModuleType],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[ProviderChain]:
    connector = _connector(aws.cache_table, sandbox[1], LIMITS)
    for fn in functions:
        monkeypatch.setattr(fn, "get_lookup", lambda: connector)
    functions[1].worker.cache_clear()
    yield connector
    functions[1].worker.cache_clear()


def _cnpj() -> str:
    body = f"{uuid.uuid4().int % 10**8:08d}0001"
    return body + check_digits(body)


def _records(queues: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": m["Attributes"],
            "messageAttributes": {},
            "md5OfBody": m["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": queues["QUEUE_ARN"],
            "awsRegion": "us-east-1",
        }
        for m in receive_all(queues["CHECKS_QUEUE_URL"])
    ]


def _lease(table: str, cnpj: str) -> dict[str, Any]:
    item: dict[str, Any] = boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"LEASE#{cnpj}"}}, ConsistentRead=True
    )["Item"]
    return item


def test_an_uncached_async_check_is_two_calls_to_queue_and_five_to_run(
    aws: AwsResources,
    functions: tuple[ModuleType, ModuleType],
    queues: dict[str, str],
    chain: ProviderChain,
    sandbox: tuple[SandboxServer, str],
    lambda_context: Any,
) -> None:
    """Request: target + settings (BatchGetItem), unit + check + audit event (TransactWriteItems). Worker: check,
    target, cache entry, lease, breakers and schedules (BatchGetItem); the claim with the single-flight lease
    (TransactWriteItems); the provider's slot (PutItem); the report with the lease's release (TransactWriteItems); the
    success with the target's pointer (TransactWriteItems)."""
    from scripts.bench.metering import metered

    checks_fn, worker_fn = functions
    receive_all(queues["CHECKS_QUEUE_URL"])
    api = Api(checks_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")
    cnpj = _cnpj()
    target_id = api.target(cnpj)
    with metered() as request:
        status, queued, _ = api("POST", f"/targets/{target_id}/checks", query={"async": "true"})
    assert status == 202
    assert request.count("dynamodb") == 2
    records = _records(queues)
    assert len(records) == 1
    with metered() as run:
        answer = worker_fn.lambda_handler({"Records": records}, lambda_context)
    assert answer["batchItemFailures"] == []
    assert run.count("dynamodb") == 5, run.calls
    assert run.calls["dynamodb.BatchGetItem"] == 1 and run.calls["dynamodb.TransactWriteItems"] == 3
    assert run.calls["dynamodb.PutItem"] == 1  # the slot; the lease rode in the claim

    _, done, _ = api("GET", f"/checks/{queued['id']}")
    assert done["status"] == "succeeded" and done["cached"] is False
    stats = httpx.get(f"{sandbox[1]}/_sandbox/stats").json()
    assert stats["by_cnpj"] == {cnpj: 1} and stats["violations"] == 0
    # The lease taken in the claim was released with the report (stamped, free).
    lease = _lease(aws.cache_table, cnpj)
    assert "released_at" in lease and int(lease["expires_at"]["N"]) <= time.time()


def test_checks_of_one_cnpj_delivered_together_make_one_upstream_call(
    aws: AwsResources,
    functions: tuple[ModuleType, ModuleType],
    queues: dict[str, str],
    chain: ProviderChain,
    sandbox: tuple[SandboxServer, str],
    lambda_context: Any,
) -> None:
    """Four tenants check one uncached CNPJ and the worker runs their messages at once (one thread each): every
    claim tries to take the CNPJ's lease from the same read, one lands it, the others wait for its report. One
    provider call, four succeeded checks."""
    checks_fn, worker_fn = functions
    receive_all(queues["CHECKS_QUEUE_URL"])
    httpx.post(f"{sandbox[1]}/_sandbox/config", json={"latency_ms": 400}).raise_for_status()
    cnpj = _cnpj()
    tenants = [Api(checks_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}") for _ in range(4)]
    ids = []
    for api in tenants:
        status, queued, _ = api("POST", f"/targets/{api.target(cnpj)}/checks", query={"async": "true"})
        assert status == 202
        ids.append(queued["id"])
    records = _records(queues)
    assert len(records) == 4
    barrier = threading.Barrier(len(records))
    answers: list[dict[str, Any]] = []

    def deliver(record: dict[str, Any]) -> None:
        barrier.wait()
        answers.append(worker_fn.lambda_handler({"Records": [record]}, lambda_context))

    threads = [threading.Thread(target=deliver, args=(record,)) for record in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [a["batchItemFailures"] for a in answers] == [[], [], [], []]
    assert [api("GET", f"/checks/{i}")[1]["status"] for api, i in zip(tenants, ids, strict=True)] == ["succeeded"] * 4
    stats = httpx.get(f"{sandbox[1]}/_sandbox/stats").json()
    assert stats["by_cnpj"] == {cnpj: 1}

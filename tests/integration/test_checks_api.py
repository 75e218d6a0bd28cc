"""Checks function against the moto server: sync and async checks, idempotency, reports and diffs, batches,
metering, retention, usage, audit and health."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import pytest

from radar.cnpj import Cnpj, format_cnpj
from radar.lookup import CnpjNotFound, ProvidersUnavailable
from radar.lookup.schemas import LookupResult, ProviderAttempt
from radar.report import Partner, Report
from radar.tiers import load_tiers
from tests.support.aws import AwsResources

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "events" / "checks" / "get_usage.json"
ACME = "19131243000197"
OTHER = "33683111000280"


def load_function(name: str, module_name: str, env: dict[str, str] | None = None) -> ModuleType:
    """Import functions/<name>/app.py under a unique name, with `env` in place while its cold start runs."""
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "functions" / name / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, env or {}):
        spec.loader.exec_module(module)
    return module


def make_queues(prefix: str, *, max_receive_count: int) -> dict[str, str]:
    """A checks queue and DLQ of the test's own (the session's queue is shared with other tests)."""
    import boto3

    sqs = boto3.client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"{prefix}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(
        QueueName=prefix,
        Attributes={
            "VisibilityTimeout": "360",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}),
        },
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {"CHECKS_QUEUE_URL": url, "BATCH_QUEUE_URL": url, "CHECKS_DLQ_URL": dlq_url, "QUEUE_ARN": arn}


def receive_all(queue_url: str, *, visibility: int = 360) -> list[dict[str, Any]]:
    import boto3

    sqs: Any = boto3.client("sqs")
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=10,
        WaitTimeSeconds=0,
        VisibilityTimeout=visibility,
        AttributeNames=["All"],
    ).get("Messages", []):
        messages.extend(batch)
    return messages


def report(cnpj: str = ACME, *, status: str = "ATIVA", partners: tuple[tuple[str, str], ...] = ()) -> Report:
    return Report(
        cnpj=cnpj,
        cnpj_formatted=format_cnpj(cnpj),
        legal_name="ACME COMERCIO LTDA",
        status=status,  # type: ignore[arg-type]
        partners=[Partner(name=n, document=d, kind="PF") for n, d in partners],
        source="cnpjws",
        fetched_at=datetime.now(UTC),
    )


class FakeConnector:
    """Stands in for radar.lookup.chain.ProviderChain (no provider sandbox yet): scripted outcomes per CNPJ, raising the
    connector's real exception types."""

    def __init__(self) -> None:
        self.outcomes: dict[str, list[Report | Exception]] = {}
        self.calls: list[str] = []

    def will(self, cnpj: str, *outcomes: Report | Exception) -> None:
        self.outcomes[cnpj] = list(outcomes)

    def lookup(self, cnpj: Cnpj, *, remaining_ms: Any = None, force_refresh: bool = False) -> LookupResult:
        self.calls.append(cnpj.value)
        queue = self.outcomes.get(cnpj.value) or [report(cnpj.value)]
        outcome = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(outcome, Exception):
            raise outcome
        return LookupResult(report=outcome, source=outcome.source, cached=False, attempts=[])


def rate_limited(retry_after: int = 30) -> ProvidersUnavailable:
    return ProvidersUnavailable(
        [
            ProviderAttempt(provider="cnpjws", outcome="rate_limited", status=429, message="too many requests"),
            ProviderAttempt(provider="brasilapi", outcome="rate_limited", status=429, message="too many requests"),
            ProviderAttempt(provider="receitaws", outcome="transient", status=504, message="gateway timeout"),
        ],
        retry_after,
    )


class Api:
    """Calls a handler in-process with API Gateway REST proxy events shaped like events/checks/*.json."""

    def __init__(
        self, module: ModuleType, context: Any, tenant_id: str, role: str = "analyst", plan: str = "free"
    ) -> None:
        self.module, self.context, self.tenant_id, self.role, self.plan = module, context, tenant_id, role, plan
        self.last_request_id = ""
        self.principal: tuple[str, str] | None = None  # (principal_type, principal_id); None: the event file's

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: dict[str, str] | None = None,
        role: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, dict[str, str]]:
        event = json.loads(TEMPLATE.read_text())
        self.last_request_id = str(uuid.uuid4())
        event.update(
            httpMethod=method,
            path=path,
            resource=path,
            queryStringParameters=query,
            multiValueQueryStringParameters={k: [v] for k, v in query.items()} if query else None,
            body=None if body is None else json.dumps(body),
        )
        event["headers"].update(headers or {})
        event["multiValueHeaders"].update({k: [v] for k, v in (headers or {}).items()})
        event["requestContext"].update(httpMethod=method, requestId=self.last_request_id)
        event["requestContext"]["authorizer"].update(tenant_id=self.tenant_id, role=role or self.role, plan=self.plan)
        if self.principal is not None:
            event["requestContext"]["authorizer"].update(
                principal_type=self.principal[0], principal_id=self.principal[1]
            )
        response = self.module.lambda_handler(event, self.context)
        merged = dict(response.get("headers") or {})
        merged.update({k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v})
        body = response.get("body")
        is_json = "json" in merged.get("Content-Type", "application/json")  # a CSV download is kept as text
        payload = (json.loads(body) if is_json else body) if body else None
        return response["statusCode"], payload, merged

    def target(self, cnpj: str = ACME) -> str:
        from radar.targets.repository import TargetRepository

        return str(TargetRepository().create(self.tenant_id, cnpj, label=None, tags=[]).target_id)


@pytest.fixture(scope="module")
def queues(aws: AwsResources) -> dict[str, str]:
    return make_queues(f"t-checks-{uuid.uuid4().hex[:8]}", max_receive_count=3)


@pytest.fixture(scope="module")
def checks_fn(queues: dict[str, str]) -> ModuleType:
    return load_function("checks", "fn_checks_app_tests", {k: v for k, v in queues.items() if k != "QUEUE_ARN"})


@pytest.fixture
def connector(checks_fn: ModuleType, monkeypatch: pytest.MonkeyPatch) -> FakeConnector:
    fake = FakeConnector()
    monkeypatch.setattr(checks_fn, "get_lookup", lambda: fake)
    return fake


@pytest.fixture
def api(checks_fn: ModuleType, lambda_context: Any, connector: FakeConnector) -> Iterator[Api]:
    yield Api(checks_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the shared Powertools logger writes during the test (its handler stream, swapped for a buffer)."""
    from radar.observability import logger

    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in logger.handlers if hasattr(handler, "setStream")]
    yield buffer
    for handler, stream in zip([h for h in logger.handlers if hasattr(h, "setStream")], previous, strict=True):
        handler.setStream(stream)


def set_used(tenant_id: str, used: int) -> None:
    import boto3

    period = datetime.now(UTC).strftime("%Y-%m")
    boto3.client("dynamodb").put_item(
        TableName=os.environ["MAIN_TABLE"],
        Item={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"USAGE#{period}"}, "used": {"N": str(used)}},
    )


def test_sync_check_answers_201_with_the_report(api: Api) -> None:
    target_id = api.target()
    status, body, headers = api("POST", f"/targets/{target_id}/checks")
    assert status == 201
    assert body["status"] == "succeeded" and body["mode"] == "sync"
    assert body["report"]["cnpj"] == ACME and body["report"]["status"] == "ATIVA"
    assert body["source"] == "cnpjws" and body["cached"] is False
    assert body["diff"]["baseline"] is True
    assert body["timings"]["queued_at"] and body["timings"]["started_at"] and body["timings"]["finished_at"]
    assert headers["Location"] == f"/checks/{body['id']}"
    status, fetched, _ = api("GET", f"/checks/{body['id']}", role="viewer")
    assert status == 200 and fetched["report"] == body["report"]


def test_second_report_carries_the_diff_and_logs_no_partner_names(
    api: Api, connector: FakeConnector, log_output: io.StringIO
) -> None:
    target_id = api.target()
    connector.will(
        ACME,
        report(partners=(("MARIA SILVA", "***123456**"), ("JOAO SOUZA", "***654321**"))),
        report(status="BAIXADA", partners=(("MARIA SILVA", "***123456**"), ("ANA COSTA", "***111222**"))),
    )
    _, first, _ = api("POST", f"/targets/{target_id}/checks")
    status, second, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 201
    diff = second["diff"]
    assert diff["previous_check_id"] == first["id"]
    assert {"field": "status", "from": "ATIVA", "to": "BAIXADA"} in diff["changes"]
    assert [p["name"] for p in diff["partners_in"]] == ["ANA COSTA"]
    assert [p["name"] for p in diff["partners_out"]] == ["JOAO SOUZA"]

    _, history, _ = api("GET", f"/targets/{target_id}/checks", role="viewer")
    assert [c["id"] for c in history["items"]] == [second["id"], first["id"]]
    logs = log_output.getvalue()
    assert "check succeeded" in logs  # the log lines were captured...
    for secret in ("MARIA", "JOAO", "ANA COSTA", "***111222**"):
        assert secret not in logs  # ...and carry no partner data


def test_sync_check_with_every_provider_unavailable_is_a_503_and_a_failed_check(
    api: Api, connector: FakeConnector
) -> None:
    target_id = api.target()
    connector.will(ACME, rate_limited(45))
    status, body, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 503
    assert body["error"]["code"] == "providers_unavailable"
    details = body["error"]["details"]
    assert [e["provider"] for e in details["errors"]] == ["cnpjws", "brasilapi", "receitaws"]
    assert details["errors"][0]["status"] == 429 and details["retry_after_seconds"] == 45
    _, check, _ = api("GET", f"/checks/{details['check_id']}")
    assert check["status"] == "failed" and check["failure_reason"] == "providers_unavailable"
    assert check["errors"][2]["outcome"] == "transient"


def test_unknown_cnpj_is_a_finished_failed_check(api: Api, connector: FakeConnector) -> None:
    target_id = api.target()
    connector.will(
        ACME, CnpjNotFound(Cnpj(ACME), [ProviderAttempt(provider="cnpjws", outcome="not_found", status=404)])
    )
    status, body, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 201
    assert body["status"] == "failed" and body["failure_reason"] == "cnpj_not_found"
    assert body["errors"][0]["provider"] == "cnpjws"


def test_async_check_is_queued_with_the_contract_message(
    api: Api, queues: dict[str, str], connector: FakeConnector
) -> None:
    target_id = api.target()
    receive_all(queues["CHECKS_QUEUE_URL"])  # start from an empty queue
    status, body, headers = api("POST", f"/targets/{target_id}/checks", query={"async": "true"})
    assert status == 202
    assert headers["Location"] == f"/checks/{body['id']}"
    assert body["status"] == "queued" and body["report"] is None
    assert connector.calls == []
    [message] = receive_all(queues["CHECKS_QUEUE_URL"])
    payload = json.loads(message["Body"])
    assert set(payload) == {
        "tenant_id", "check_id", "target_id", "cnpj", "correlation_id", "batch_id", "enqueued_at", "wait"
    }
    assert payload["wait"] == 0  # a new check has not waited for capacity yet
    assert payload["tenant_id"] == api.tenant_id and payload["check_id"] == body["id"]
    assert payload["target_id"] == target_id and payload["cnpj"] == ACME and payload["batch_id"] is None
    assert payload["correlation_id"] == api.last_request_id
    _, fetched, _ = api("GET", f"/checks/{body['id']}")
    assert fetched["status"] == "queued"


def test_idempotency_key_returns_the_same_check_once_per_tenant(
    api: Api, queues: dict[str, str], checks_fn: ModuleType, lambda_context: Any
) -> None:
    target_id = api.target()
    receive_all(queues["CHECKS_QUEUE_URL"])
    key = {"Idempotency-Key": "retry-me-123"}
    first = api("POST", f"/targets/{target_id}/checks", query={"async": "true"}, headers=key)
    again = api("POST", f"/targets/{target_id}/checks", query={"async": "true"}, headers=key)
    assert first[0] == again[0] == 202
    assert first[1]["id"] == again[1]["id"]
    assert again[2]["Location"] == f"/checks/{first[1]['id']}"
    assert len(receive_all(queues["CHECKS_QUEUE_URL"])) == 1
    assert api("GET", "/usage")[1]["used"] == 1

    # The same key for another request is refused, not replayed.
    status, body, _ = api("POST", f"/targets/{target_id}/checks", headers=key)
    assert status == 409 and body["error"]["code"] == "idempotency_conflict"

    # Keys are scoped per tenant: another tenant's identical key runs its own check.
    other = Api(checks_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")
    status, theirs, _ = other("POST", f"/targets/{other.target()}/checks", query={"async": "true"}, headers=key)
    assert status == 202 and theirs["id"] != first[1]["id"]


def test_unknown_target_is_a_404_and_costs_nothing(api: Api) -> None:
    status, body, _ = api("POST", "/targets/tgt_nope/checks")
    assert status == 404 and body["error"]["code"] == "target_not_found"
    assert api("GET", "/usage")[1]["used"] == 0
    assert api("GET", "/targets/tgt_nope/checks")[0] == 404
    assert api("GET", "/checks/chk_nope")[0] == 404


def test_viewer_cannot_run_checks(api: Api) -> None:
    status, body, _ = api("POST", f"/targets/{api.target()}/checks", role="viewer")
    assert status == 403 and body["error"]["details"]["required_role"] == "analyst"


def test_over_the_allowance_is_a_friendly_429_before_any_work(
    api: Api, queues: dict[str, str], connector: FakeConnector
) -> None:
    target_id = api.target()
    set_used(api.tenant_id, 100)  # the free plan's monthly_checks
    receive_all(queues["CHECKS_QUEUE_URL"])
    for query in (None, {"async": "true"}):
        status, body, _ = api("POST", f"/targets/{target_id}/checks", query=query)
        assert status == 429
        details = body["error"]["details"]
        assert details["limit"] == "monthly_checks" and details["used"] == 100 and details["allowance"] == 100
        assert details["upgrade_plan"] == "pro" and details["upgrade_url"].startswith("https://")
        assert details["resets_at"].endswith("T00:00:00Z")
        assert "Pro" in body["error"]["message"]
        # The upsell: the next plan up, what it gives, its price, and the checkout route.
        pro = load_tiers().get("pro")
        assert pro.price is not None
        assert details["upgrade"]["gives"]["monthly_checks"] == pro.monthly_checks
        assert details["upgrade"]["price"]["unit_amount"] == pro.price.unit_amount
        assert details["upgrade"]["checkout"] == {"route": "POST /billing/checkout", "body": {"plan": "pro"}}
        assert pro.price.display() in body["error"]["message"] and "POST /billing/checkout" in body["error"]["message"]
    assert connector.calls == []
    assert receive_all(queues["CHECKS_QUEUE_URL"]) == []
    assert api("GET", f"/targets/{target_id}/checks")[1]["items"] == []


def test_usage_shows_period_used_remaining_and_days(api: Api) -> None:
    target_id = api.target()
    api("POST", f"/targets/{target_id}/checks")
    api("POST", f"/targets/{target_id}/checks", query={"async": "true"})
    status, usage, _ = api("GET", "/usage", role="viewer")
    now = datetime.now(UTC)
    assert status == 200
    assert usage["period"] == now.strftime("%Y-%m") and usage["plan"] == "free"
    assert (usage["used"], usage["allowance"], usage["remaining"]) == (2, 100, 98)
    assert usage["by_day"] == {now.strftime("%Y-%m-%d"): 2}


def test_retention_follows_the_tenant_setting_and_expired_checks_read_as_gone(api: Api) -> None:
    import boto3

    ddb = boto3.client("dynamodb")
    ddb.put_item(
        TableName=os.environ["MAIN_TABLE"],
        Item={"pk": {"S": f"TENANT#{api.tenant_id}"}, "sk": {"S": "TENANT"}, "retention_days": {"N": "7"}},
    )
    target_id = api.target()
    _, kept, _ = api("POST", f"/targets/{target_id}/checks")
    _, old, _ = api("POST", f"/targets/{target_id}/checks")
    expires = datetime.fromisoformat(kept["expires_at"].replace("Z", "+00:00")).timestamp()
    assert abs(expires - (time.time() + 7 * 86400)) < 120

    ddb.update_item(
        TableName=os.environ["MAIN_TABLE"],
        Key={"pk": {"S": f"TENANT#{api.tenant_id}"}, "sk": {"S": f"CHECK#{old['id']}"}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": "1000"}},
    )
    assert api("GET", f"/checks/{old['id']}")[0] == 404
    _, history, _ = api("GET", f"/targets/{target_id}/checks")
    assert [c["id"] for c in history["items"]] == [kept["id"]]


def test_plan_default_retention_without_a_tenant_setting(api: Api) -> None:
    _, check, _ = api("POST", f"/targets/{api.target()}/checks")
    expires = datetime.fromisoformat(check["expires_at"].replace("Z", "+00:00")).timestamp()
    assert abs(expires - (time.time() + 30 * 86400)) < 120  # free plan: 30 days


def test_history_pages_with_a_cursor(api: Api) -> None:
    target_id = api.target()
    ids = [api("POST", f"/targets/{target_id}/checks")[1]["id"] for _ in range(3)]
    _, page1, _ = api("GET", f"/targets/{target_id}/checks", query={"limit": "2"})
    _, page2, _ = api("GET", f"/targets/{target_id}/checks", query={"limit": "2", "cursor": page1["next_cursor"]})
    assert [c["id"] for c in page1["items"] + page2["items"]] == ids[::-1]
    assert api("GET", f"/targets/{target_id}/checks", query={"cursor": "bogus"})[0] == 400


def test_batch_queues_valid_cnpjs_reuses_targets_and_reports_invalid_ones(api: Api, queues: dict[str, str]) -> None:
    existing = api.target(OTHER)
    receive_all(queues["CHECKS_QUEUE_URL"])
    cnpjs = ["19.131.243/0001-97", "not a cnpj", OTHER, "19131243000197", "12ABC34501DE35"]
    status, batch, headers = api("POST", "/checks/batch", {"cnpjs": cnpjs})
    assert status == 202
    assert headers["Location"] == f"/checks/batch/{batch['batch_id']}"
    assert batch["submitted"] == 5 and batch["accepted"] == 3
    assert [(p["index"], p["reason"]) for p in batch["invalid"]] == [(1, "wrong_length"), (3, "duplicate")]
    # The accept stores the batch and sends its first page; the fan-out (radar.checks.dispatch) does the rest.
    messages = [json.loads(m["Body"]) for m in receive_all(queues["CHECKS_QUEUE_URL"])]
    assert messages == [
        {
            "kind": "batch_page",
            "tenant_id": api.tenant_id,
            "batch_id": batch["batch_id"],
            "page": 0,
            "correlation_id": messages[0]["correlation_id"],
        }
    ]
    assert api("GET", "/usage")[1]["used"] == 3  # invalid and repeated CNPJs are not counted
    assert existing  # the fan-out reuses it (tests/integration/test_checks_batches.py)

    status, progress, _ = api("GET", f"/checks/batch/{batch['batch_id']}", role="viewer")
    assert status == 200
    assert progress["counts"] == {"queued": 3, "running": 0, "succeeded": 0, "failed": 0}
    assert progress["done"] is False and progress["checks"] is None
    assert progress["eta_seconds"] > 0 and progress["throughput_per_min"] is None


def test_batch_takes_as_many_as_fit_in_the_allowance(api: Api, queues: dict[str, str]) -> None:
    set_used(api.tenant_id, 98)
    status, batch, _ = api("POST", "/checks/batch", {"cnpjs": [ACME, OTHER, "12ABC34501DE35", "27865757000102"]})
    assert status == 202
    assert batch["accepted"] == 2
    assert [(p["index"], p["reason"]) for p in batch["rejected"]] == [
        (2, "allowance_exceeded"),
        (3, "allowance_exceeded"),
    ]
    assert api("GET", "/usage")[1]["used"] == 100
    status, body, _ = api("POST", "/checks/batch", {"cnpjs": ["27865757000102"]})
    assert status == 429 and body["error"]["details"]["limit"] == "monthly_checks"


def test_batch_limits_and_all_invalid(api: Api) -> None:
    status, body, _ = api("POST", "/checks/batch", {"cnpjs": [ACME] * 10_001})
    assert status == 422 and body["error"]["details"][0]["reason"] == "too_many"
    assert api("POST", "/checks/batch", {"cnpjs": []})[0] == 422
    status, body, _ = api("POST", "/checks/batch", {"cnpjs": ["x", "00000000000001"]})
    assert status == 422 and [d["field"] for d in body["error"]["details"]] == ["cnpjs.0", "cnpjs.1"]
    assert api("GET", "/checks/batch/bat_nope")[0] == 404


def test_check_requests_and_batches_are_audited_and_audit_is_admin_only(api: Api) -> None:
    _, check, _ = api("POST", f"/targets/{api.target()}/checks")
    _, batch, _ = api("POST", "/checks/batch", {"cnpjs": [OTHER]})
    assert api("GET", "/audit")[0] == 403
    status, page, _ = api("GET", "/audit", query={"start": "2000-01-01"}, role="admin")
    assert status == 200
    assert sorted(e["action"] for e in page["items"]) == ["batch.created", "check.requested"]
    resources = {e["resource"] for e in page["items"]}
    assert resources == {f"check/{check['id']}", f"batch/{batch['batch_id']}"}
    assert api("GET", "/audit", query={"start": "2999-01-01"}, role="admin")[1]["items"] == []
    status, only_checks, _ = api("GET", "/audit", query={"action": "check.requested"}, role="admin")
    assert status == 200
    assert [e["resource"] for e in only_checks["items"]] == [f"check/{check['id']}"]


def test_health_and_readiness(checks_fn: ModuleType, lambda_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    public = Api(checks_fn, lambda_context, tenant_id="unused")
    status, body, _ = public("GET", "/health")
    assert (status, body) == (200, {"status": "ok"})
    status, body, _ = public("GET", "/health/ready")
    assert status == 200 and body["status"] == "ok"
    assert set(body["checks"]) >= {
        "main_table",
        "cache_table",
        "idempotency_table",
        "checks_queue",
        "provider_tokens_secret",
    }
    assert set(body["checks"].values()) == {"ok"}
    from radar.coordination import DynamoCircuitBreaker
    from radar.lookup.settings import LookupSettings

    settings = LookupSettings.from_environ()
    providers = {p["name"]: p for p in body["providers"]}
    assert list(providers) == settings.provider_order  # the chain's order of preference
    assert {p["breaker"] for p in providers.values()} == {"closed"}
    assert all(p["next_slot_seconds"] == 0 for p in providers.values())
    # Each provider's declared data lag (DATA_LAG_<NAME>, the registry's figure by default): dump-based sources lag.
    assert {name: p["data_lag_seconds"] for name, p in providers.items()} == {
        name: settings.data_lag_seconds[name] for name in settings.provider_order
    }
    assert providers["cnpjws"]["data_lag_seconds"] == 0 and providers["brasilapi"]["data_lag_seconds"] == 45 * 86400
    # minha-receita's outage opens the breaker BrasilAPI shares with it: readiness shows both open.
    breaker = DynamoCircuitBreaker(settings.cache_table)
    for _ in range(breaker.failure_threshold):
        breaker.record_failure("minhareceita")
    _, body, _ = public("GET", "/health/ready")
    states = {p["name"]: p["breaker"] for p in body["providers"]}
    assert states["brasilapi"] == states["minhareceita"] == "open" and states["cnpjws"] == "closed"

    monkeypatch.setenv("CACHE_TABLE", "no-such-table")
    status, body, _ = public("GET", "/health/ready")
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache_table"] == "unavailable" and body["checks"]["main_table"] == "ok"
    assert body.get("providers") is None  # their state lives in the cache table


def test_an_audit_failure_after_a_keyed_check_does_not_bill_the_retry_twice(
    api: Api, queues: dict[str, str], checks_fn: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caught: record_event ran inside the idempotent operation; its failure deleted the idempotency record, so the
    client's retry with the same key ran and billed a second check. (Tenancy, issue 13: the minimal change here.)
    The audit event now commits in the check's own transaction: its failure stores and bills nothing, so the retry's
    check is the only one."""
    target_id = api.target()
    receive_all(queues["CHECKS_QUEUE_URL"])
    original = checks_fn.event_write
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls["n"] += 1
        entry: dict[str, Any] = original(*args, **kwargs)
        if calls["n"] == 1:
            entry["Put"]["ConditionExpression"] = "attribute_exists(pk)"  # the store refuses it, as a failure would
        return entry

    monkeypatch.setattr(checks_fn, "event_write", flaky)
    key = {"Idempotency-Key": f"audit-{uuid.uuid4().hex}"}
    first = api("POST", f"/targets/{target_id}/checks", query={"async": "true"}, headers=key)
    assert first[0] == 503 and api("GET", "/usage")[1]["used"] == 0  # nothing counted with the failed event
    again = api("POST", f"/targets/{target_id}/checks", query={"async": "true"}, headers=key)

    assert again[0] == 202
    assert len(receive_all(queues["CHECKS_QUEUE_URL"])) == 1  # one check queued
    assert api("GET", "/usage")[1]["used"] == 1  # and billed once
    assert _audited_checks(api) == [again[1]["id"]]


def test_sync_retry_with_the_same_key_reads_the_first_check_and_the_key_store_holds_no_report(
    api: Api, connector: FakeConnector, aws: AwsResources
) -> None:
    import boto3

    target_id = api.target()
    connector.will(ACME, report(partners=(("MARIA SILVA", "***123456**"),)))
    key = {"Idempotency-Key": f"sync-{uuid.uuid4().hex}"}
    first = api("POST", f"/targets/{target_id}/checks", headers=key)
    again = api("POST", f"/targets/{target_id}/checks", headers=key)
    assert first[0] == again[0] == 201
    assert again[1]["id"] == first[1]["id"] and again[1]["report"]["partners"][0]["name"] == "MARIA SILVA"
    assert connector.calls == [ACME]
    stored = boto3.client("dynamodb").scan(TableName=aws.idempotency_table)["Items"]
    assert any(first[1]["id"] in json.dumps(item) for item in stored)
    assert not any("MARIA" in json.dumps(item) for item in stored)


def _target_item(tenant_id: str, target_id: str) -> dict[str, Any]:
    import boto3

    item = boto3.client("dynamodb").get_item(
        TableName=os.environ["MAIN_TABLE"], Key={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"TARGET#{target_id}"}}
    )["Item"]
    return {k: v.get("S") for k, v in item.items()}


def _pointer(tenant_id: str, target_id: str) -> dict[str, Any]:
    return {k: v for k, v in _target_item(tenant_id, target_id).items() if k.startswith("last_success")}


def test_diff_follows_the_targets_pointer_to_the_newest_success_without_a_history_query(
    api: Api, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from radar.checks.repository import CheckRepository

    target_id = api.target()
    assert _pointer(api.tenant_id, target_id) == {"last_success_order": ""}  # a new target: no success yet
    connector.will(ACME, report(), report(status="SUSPENSA"), report(status="BAIXADA"))

    def no_history(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the history was queried although the target points at its newest success")

    monkeypatch.setattr(CheckRepository, "previous_success", no_history)
    _, first, _ = api("POST", f"/targets/{target_id}/checks")
    _, second, _ = api("POST", f"/targets/{target_id}/checks")
    _, third, _ = api("POST", f"/targets/{target_id}/checks")
    assert first["diff"]["baseline"] is True
    assert second["diff"]["previous_check_id"] == first["id"]
    assert third["diff"]["previous_check_id"] == second["id"]
    assert {"field": "status", "from": "SUSPENSA", "to": "BAIXADA"} in third["diff"]["changes"]
    assert _pointer(api.tenant_id, target_id)["last_success_check_id"] == third["id"]
    # The pointer is bookkeeping: the target's own updated_at does not move.
    target = _target_item(api.tenant_id, target_id)
    assert target["updated_at"] == target["created_at"]


def test_a_failed_check_leaves_the_pointer_on_the_last_success(api: Api, connector: FakeConnector) -> None:
    target_id = api.target()
    connector.will(ACME, report(), CnpjNotFound(Cnpj(ACME)), report(status="BAIXADA"))
    _, first, _ = api("POST", f"/targets/{target_id}/checks")
    _, failed, _ = api("POST", f"/targets/{target_id}/checks")
    _, third, _ = api("POST", f"/targets/{target_id}/checks")
    assert failed["status"] == "failed"
    assert _pointer(api.tenant_id, target_id)["last_success_check_id"] == third["id"]
    assert third["diff"]["previous_check_id"] == first["id"]


def test_a_target_without_the_pointer_falls_back_to_its_history(api: Api, connector: FakeConnector) -> None:
    import boto3

    target_id = api.target()
    connector.will(ACME, report(), report(status="BAIXADA"))
    _, first, _ = api("POST", f"/targets/{target_id}/checks")
    # As a target written before the pointer existed.
    boto3.client("dynamodb").update_item(
        TableName=os.environ["MAIN_TABLE"],
        Key={"pk": {"S": f"TENANT#{api.tenant_id}"}, "sk": {"S": f"TARGET#{target_id}"}},
        UpdateExpression="REMOVE last_success_check_id, last_success_order",
    )
    _, second, _ = api("POST", f"/targets/{target_id}/checks")
    assert second["diff"]["previous_check_id"] == first["id"]
    assert _pointer(api.tenant_id, target_id)["last_success_check_id"] == second["id"]


def test_a_newer_success_recorded_first_sends_an_older_check_to_the_history(api: Api, connector: FakeConnector) -> None:
    from radar.targets.repository import TargetRepository

    repository = TargetRepository()
    target_id = api.target()
    connector.will(ACME, report(), report(status="BAIXADA"))
    _, first, _ = api("POST", f"/targets/{target_id}/checks")
    # A check created later than the next one finished first (concurrent checks of one target).
    assert repository.record_success(api.tenant_id, target_id, check_id="chk_newer", order="9999-12-31T00:00:00Z#x")
    _, second, _ = api("POST", f"/targets/{target_id}/checks")
    assert second["diff"]["previous_check_id"] == first["id"]
    # ...and the pointer never moves back to an older check.
    assert _pointer(api.tenant_id, target_id)["last_success_check_id"] == "chk_newer"
    assert not repository.record_success(api.tenant_id, target_id, check_id=second["id"], order="2000-01-01T00:00:00Z")
    assert not repository.record_success(api.tenant_id, "tgt_gone", check_id=second["id"], order="9999-12-31T23:59:59Z")


class CachingConnector(FakeConnector):
    """A connector whose shared cache already holds the CNPJ's report (the chain's `cached`): no lookup may run."""

    def __init__(self, cached: Report | None) -> None:
        super().__init__()
        self.report = cached

    def cached(self, cnpj: Cnpj, *, max_age: float | None = None) -> LookupResult | None:
        if self.report is None or max_age == 0:
            return None
        return LookupResult(report=self.report, source=self.report.source, cached=True, attempts=[])

    def lookup(self, cnpj: Cnpj, *, remaining_ms: Any = None, force_refresh: bool = False) -> LookupResult:
        self.calls.append(cnpj.value)
        return super().lookup(cnpj, remaining_ms=remaining_ms, force_refresh=force_refresh)


def _used(tenant_id: str) -> int:
    from radar.metering.service import UsageMeter

    return UsageMeter(os.environ["MAIN_TABLE"]).used(tenant_id)


def test_a_cached_cnpj_is_counted_stored_and_pointed_at_in_one_transaction(
    api: Api, checks_fn: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts.bench.metering import metered

    cached = CachingConnector(report())
    monkeypatch.setattr(checks_fn, "get_lookup", lambda: cached)
    target_id = api.target()
    with metered() as meter:
        status, first, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 201 and first["status"] == "succeeded" and first["cached"] is True
    assert first["diff"]["baseline"] is True and cached.calls == []
    # Target + tenant settings, one transaction (usage, check, pointer, audit event); the cache read is the
    # connector's (on DynamoDB the third call).
    assert meter.count("dynamodb") == 2
    assert meter.calls["dynamodb.TransactWriteItems"] == 1
    assert _audited_checks(api) == [first["id"]]
    assert _used(api.tenant_id) == 1
    pointer = _pointer(api.tenant_id, target_id)
    assert pointer["last_success_check_id"] == first["id"] and pointer["last_success_digest"]

    # The same report again: unchanged against the first check, told by the digest without reading that check.
    from radar.checks.repository import CheckRepository

    def no_read(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the previous check was read although the target's digest says it is unchanged")

    monkeypatch.setattr(CheckRepository, "find", no_read)
    monkeypatch.setattr(CheckRepository, "previous_success", no_read)
    _, second, _ = api("POST", f"/targets/{target_id}/checks")
    assert second["diff"] == {**first["diff"], "baseline": False, "previous_check_id": first["id"], "changed": False}
    assert _used(api.tenant_id) == 2 and cached.calls == []
    monkeypatch.undo()

    # A changed report is diffed against the old check's report.
    monkeypatch.setattr(checks_fn, "get_lookup", lambda: cached)
    cached.report = report(status="BAIXADA")
    _, third, _ = api("POST", f"/targets/{target_id}/checks")
    assert third["diff"]["previous_check_id"] == second["id"]
    assert {"field": "status", "from": "ATIVA", "to": "BAIXADA"} in third["diff"]["changes"]


def test_a_cached_check_over_the_allowance_is_a_429_that_stores_nothing(
    api: Api, checks_fn: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks_fn, "get_lookup", lambda: CachingConnector(report()))
    target_id = api.target()
    set_used(api.tenant_id, 100)  # the free plan's monthly_checks
    status, body, _ = api("POST", f"/targets/{target_id}/checks")
    assert status == 429 and body["error"]["details"]["used"] == 100
    assert _used(api.tenant_id) == 100
    assert api("GET", f"/targets/{target_id}/checks")[1]["items"] == []
    assert _pointer(api.tenant_id, target_id) == {"last_success_order": ""}


@pytest.mark.parametrize("query", [None, {"async": "true"}], ids=["sync", "async"])
def test_a_check_that_cannot_be_stored_is_never_counted(
    api: Api, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch, query: dict[str, str] | None
) -> None:
    """The allowance unit and the check are one transaction: when storing the check fails after the unit was
    reserved in the same request, the unit is not spent (no release step that a crash could skip)."""
    from radar.checks.repository import CheckRepository

    real_put = CheckRepository.put_write

    def refused_put(self: CheckRepository, check: Any) -> dict[str, Any]:
        entry = real_put(self, check)
        entry["Put"]["ConditionExpression"] = "attribute_exists(pk)"  # the store refuses it, as a failure would
        entry["Put"].pop("ExpressionAttributeNames", None)
        return entry

    monkeypatch.setattr(CheckRepository, "put_write", refused_put)
    target_id = api.target()
    status, body, _ = api("POST", f"/targets/{target_id}/checks", query=query)
    assert status == 503 and body["error"]["details"]["dependency"] == "main_table"
    assert _used(api.tenant_id) == 0
    assert _audited_checks(api) == []  # the event commits with the check or not at all
    assert api("GET", f"/targets/{target_id}/checks")[1]["items"] == []
    assert connector.calls == []


def _audited_checks(api: Api) -> list[str]:
    """The checks the tenant's audit trail says were requested."""
    _, page, _ = api("GET", "/audit", query={"action": "check.requested"}, role="admin")
    return [str(event["resource"]).removeprefix("check/") for event in page["items"]]


def test_an_async_check_request_is_one_read_and_one_transaction_with_its_audit_event(
    api: Api, connector: FakeConnector
) -> None:
    """Queueing a check: the target and the tenant's settings in one BatchGetItem, then the allowance unit, the check
    and its audit event in one TransactWriteItems; nothing else touches DynamoDB (the queue is SQS)."""
    from scripts.bench.metering import metered

    target_id = api.target()
    with metered() as meter:
        status, queued, _ = api("POST", f"/targets/{target_id}/checks", query={"async": "true"})
    assert status == 202 and queued["status"] == "queued"
    assert meter.count("dynamodb") == 2
    assert meter.calls["dynamodb.BatchGetItem"] == 1 and meter.calls["dynamodb.TransactWriteItems"] == 1
    assert _audited_checks(api) == [queued["id"]] and _used(api.tenant_id) == 1

"""The local cloud's gateway behaves like API Gateway: authorizer and its cache, API keys, usage plans, responses."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest

from scripts.localcloud.cloud import LocalCloud
from tests.support.mini_template import USAGE_KEYS, mini_cloud


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, moto_endpoint: str) -> Iterator[LocalCloud]:
    with mini_cloud(tmp_path_factory.mktemp("mini"), "Mini", endpoint=moto_endpoint) as local:
        yield local


def token(name: str) -> dict[str, str]:
    return {"x-token": f"allow:{name}:{USAGE_KEYS[name]}"}


def test_protected_route_gets_path_parameters_and_authorizer_context(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/items/abc-1", headers=token("quota"))
    assert response.status_code == 200
    body = response.json()
    assert body["resource"] == "/items/{item_id}"
    assert body["pathParameters"] == {"item_id": "abc-1"}
    assert body["authorizer"]["tenant_id"] == "quota"
    assert body["authorizer"]["principalId"] == "user-quota"
    assert body["apiKeyId"]  # the usage key the authorizer named
    assert body["env"] == "hello-v1"  # template environment, references resolved
    assert 0 < body["remaining_ms"] <= 2000  # the template's timeout


def test_literal_segment_beats_path_parameter_and_stage_prefix_is_accepted(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/v1/items/special", headers=token("quota"))
    assert response.json()["resource"] == "/items/special"


def test_missing_identity_source_is_401_with_the_template_default_4xx_body(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/items")
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "UNAUTHORIZED", "message": "Unauthorized"}}
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000"


def test_authorizer_exception_unauthorized_is_401_and_deny_is_403(cloud: LocalCloud) -> None:
    assert httpx.get(f"{cloud.api_url}/items", headers={"x-token": "garbage"}).status_code == 401
    denied = httpx.get(f"{cloud.api_url}/items", headers={"x-token": "deny"})
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "ACCESS_DENIED"


def test_unknown_usage_key_is_403_invalid_api_key(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/items", headers={"x-token": "allow:ghost:not-a-registered-key-000"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "INVALID_API_KEY"


def test_route_not_in_template_is_missing_authentication_token(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/nowhere")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Missing Authentication Token"


def test_public_route_needs_no_credentials(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/public")
    assert response.status_code == 200
    assert response.json()["authorizer"] is None


def test_authorizer_cache_honours_its_ttl(cloud: LocalCloud) -> None:
    authorizer = next(rt for rt in cloud.runtimes.values() if rt.spec.code_paths[0].endswith("authorizer"))
    identity = {"x-token": f"allow:cachetest:{USAGE_KEYS['quota']}"}
    before = authorizer.invocations
    first = httpx.get(f"{cloud.api_url}/public", headers=identity)  # public: never calls the authorizer
    assert first.status_code == 200 and authorizer.invocations == before
    statuses = [httpx.get(f"{cloud.api_url}/items/{n}", headers=identity).status_code for n in ("one", "two")]
    # The second call is another resource: the cached (wildcard) policy still allows it, with no new invocation.
    assert authorizer.invocations == before + 1, statuses
    time.sleep(2.2)  # the template's AuthorizerResultTtlInSeconds is 2
    httpx.get(f"{cloud.api_url}/items/three", headers=identity)
    assert authorizer.invocations == before + 2


def test_burst_past_the_plan_gets_the_friendly_429(cloud: LocalCloud) -> None:
    statuses = [httpx.get(f"{cloud.api_url}/items", headers=token("bursty")) for _ in range(4)]
    assert [r.status_code for r in statuses[:2]] == [200, 200]  # burst 2
    throttled = [r for r in statuses if r.status_code == 429]
    assert throttled, [r.status_code for r in statuses]
    assert throttled[0].json()["error"] == {
        "code": "throttled",
        "plan": "mini",
        "request": throttled[0].headers["x-amzn-RequestId"],
    }
    assert throttled[0].headers["X-Content-Type-Options"] == "nosniff"


def test_exhausted_quota_gets_429_with_the_quota_body(cloud: LocalCloud) -> None:
    # The quota plan allows 3 requests a day per key; earlier tests in this module used some of them.
    responses = [httpx.get(f"{cloud.api_url}/items", headers=token("quota")) for _ in range(4)]
    codes = [r.status_code for r in responses]
    assert codes[-1] == 429, codes
    assert responses[-1].json() == {"error": {"code": "quota_exceeded", "plan": "mini"}}


def test_crashed_worker_answers_502_and_is_replaced(cloud: LocalCloud) -> None:
    echo = next(rt for rt in cloud.runtimes.values() if rt.spec.code_paths[0].endswith("echo"))
    crashes_before = echo.crashes
    crashed = httpx.get(f"{cloud.api_url}/public/crash")
    assert crashed.status_code == 502
    assert crashed.json() == {"message": "Internal server error"}
    assert echo.crashes == crashes_before + 1
    assert httpx.get(f"{cloud.api_url}/public/after-crash").status_code == 200


def test_function_timeout_answers_502(cloud: LocalCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/public/slow", timeout=10)  # the function's template timeout is 2 s
    assert response.status_code == 502


def test_function_logs_reach_the_template_log_group(cloud: LocalCloud) -> None:
    httpx.get(f"{cloud.api_url}/public")
    echo = next(rt for rt in cloud.runtimes.values() if rt.spec.code_paths[0].endswith("echo"))
    logs = boto3.client("logs")
    deadline = time.time() + 5
    messages: list[str] = []
    while time.time() < deadline:
        streams = logs.describe_log_streams(logGroupName=echo.spec.log_group).get("logStreams", [])
        messages = [
            e["message"]
            for s in streams
            for e in logs.get_log_events(logGroupName=echo.spec.log_group, logStreamName=s["logStreamName"])["events"]
        ]
        if any(m.startswith("REPORT RequestId") for m in messages):
            break
        time.sleep(0.2)
    assert any(m.startswith("START RequestId") for m in messages)
    assert any(m.startswith("REPORT RequestId") for m in messages)


def test_resources_come_from_the_template_properties(cloud: LocalCloud) -> None:
    state = cloud.state()
    table = state["resources"]["Table"]["ref"]
    ddb = boto3.client("dynamodb")
    ttl = ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    secret_arn = state["resources"]["Secret"]["ref"]
    value = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    assert value["user"] == "x" and len(value["password"]) == 24
    queue_url = state["resources"]["Queue"]["ref"]
    attrs = boto3.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert json.loads(attrs["RedrivePolicy"])["maxReceiveCount"] == 2
    assert json.loads(Path(cloud.config.state_file).read_text())["api_url"] == cloud.api_url

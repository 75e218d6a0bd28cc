"""The real template's API through the local gateway: credentials, gateway responses, usage plans, headers."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import httpx

from tests.support.cloud import RunningCloud, Tenant

SECURITY_HEADERS = ("Strict-Transport-Security", "X-Content-Type-Options", "Content-Security-Policy")


def test_missing_credentials_get_the_template_401_with_security_headers(cloud: RunningCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/targets")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthorized"
    assert error["details"]["request_id"] == response.headers["x-amzn-RequestId"]
    for header in SECURITY_HEADERS:
        assert header in response.headers


def test_unknown_and_malformed_credentials_are_rejected_alike(cloud: RunningCloud) -> None:
    attempts = [
        {"x-api-key": "rdr_" + "A" * 43},
        {"x-api-key": "not-a-key"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ]
    bodies = []
    for headers in attempts:
        response = httpx.get(f"{cloud.api_url}/targets", headers=headers)
        assert response.status_code == 401
        bodies.append(response.json()["error"]["message"])
    assert len(set(bodies)) == 1  # never says which part was wrong


def test_route_outside_the_template_gets_the_template_404(cloud: RunningCloud, tenant: Tenant) -> None:
    response = httpx.get(f"{cloud.api_url}/no/such/route", headers=tenant.key())
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "route_not_found"


def test_burst_past_the_free_plan_gets_the_friendly_429(cloud: RunningCloud, tenant: Tenant) -> None:
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(
            pool.map(lambda _: httpx.get(f"{cloud.api_url}/usage", headers=tenant.key(), timeout=60), range(24))
        )
    codes = [r.status_code for r in responses]
    assert 200 in codes and 429 in codes, codes
    throttled = next(r for r in responses if r.status_code == 429)
    error = throttled.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"]["plan"] == "free"
    assert error["details"]["upgrade_url"].startswith("https://")
    assert "free plan" in error["message"]
    # The upsell: the next plan up, its price and the checkout route, from the authorizer's context.
    assert error["details"]["upgrade_plan"] == "pro" and error["details"]["checkout"] == "POST /billing/checkout"
    assert error["details"]["upgrade_offer"] in error["message"] and "Pro" in error["details"]["upgrade_offer"]
    for header in SECURITY_HEADERS:
        assert header in throttled.headers


def test_a_usage_key_on_no_plan_gets_403_invalid_api_key(cloud: RunningCloud) -> None:
    tenant = cloud.signup(plan_roles=("admin",))
    assert httpx.get(f"{cloud.api_url}/usage", headers=tenant.key()).status_code == 200
    apigw = boto3.client("apigateway")
    removed = 0
    for plan in apigw.get_usage_plans()["items"]:
        for key in apigw.get_usage_plan_keys(usagePlanId=plan["id"])["items"]:
            if tenant.tenant_id in key["name"]:
                apigw.delete_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"])
                removed += 1
    assert removed == 1
    # API Gateway applies usage-plan changes within seconds, not instantly; so does the local gateway (1 s).
    deadline = time.time() + 10
    response = httpx.get(f"{cloud.api_url}/usage", headers=tenant.key())
    while response.status_code != 403 and time.time() < deadline:
        time.sleep(0.5)
        response = httpx.get(f"{cloud.api_url}/usage", headers=tenant.key())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_public_routes_need_no_credentials(cloud: RunningCloud) -> None:
    assert httpx.get(f"{cloud.api_url}/health").json() == {"status": "ok"}
    ready = httpx.get(f"{cloud.api_url}/health/ready")
    assert ready.status_code == 200
    assert set(ready.json()["checks"].values()) == {"ok"}
    # Each provider of the deployed order with its capacity and breaker; `make ops` prints the same.
    providers = ready.json()["providers"]
    assert [p["name"] for p in providers] == ["cnpjws", "brasilapi", "receitaws", "minhareceita", "opencnpj", "cnpja"]
    assert {p["breaker"] for p in providers} <= {"closed", "open", "half_open"}
    from scripts.localcloud.opsview import provider_lines

    lines = provider_lines(cloud.refresh_state())
    assert len(lines) == 1 + len(providers) and lines[1].split()[0] == "cnpjws" and "breaker" in lines[1], lines
    # And each one's declared data lag: cnpj.ws looks records up live, BrasilAPI serves minha-receita's monthly dump.
    assert providers[0]["data_lag_seconds"] == 0 and providers[1]["data_lag_seconds"] == 45 * 86400
    assert lines[1].endswith("lag live") and lines[2].endswith("lag 45 d"), lines


def test_gateway_throttles_reach_the_access_log_and_the_throttled_requests_metric(cloud: RunningCloud) -> None:
    import json

    tenant = cloud.signup()  # a free plan of its own: 2 req/s, burst 5
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(
            lambda _: httpx.get(f"{cloud.api_url}/usage", headers=tenant.key(), timeout=60).status_code, range(24)
        ))
    assert 429 in codes, codes
    logs = boto3.client("logs")
    group = cloud.resource("ApiAccessLogGroup")["ref"]
    deadline = time.time() + 15
    mine: list[dict[str, str]] = []
    while time.time() < deadline and len(mine) < len(codes):
        lines = [json.loads(e["message"]) for e in logs.filter_log_events(logGroupName=group)["events"]]
        # (signup's own key creation, with a bearer token, is logged under this tenant too)
        mine = [line for line in lines if line["tenantId"] == tenant.tenant_id and line["resourcePath"] == "/usage"]
        time.sleep(0.5)
    assert sorted(int(line["status"]) for line in mine) == sorted(codes)
    throttled = [line for line in mine if line["status"] == "429"]
    assert throttled and all(line["errorType"] == "THROTTLED" for line in throttled)
    assert all(line["integrationLatency"] == "-" for line in throttled)  # never reached a function
    assert all(line["plan"] == "free" and line["principalType"] == "api_key" for line in mine)
    assert not any(tenant.api_key in json.dumps(line) for line in mine)  # who, not with what
    # The template's metric filter counts them into ThrottledRequests (no dimensions, beside the functions' own).
    cloudwatch = boto3.client("cloudwatch")
    deadline = time.time() + 15
    while not [m for m in cloudwatch.list_metrics(Namespace="CnpjRadar", MetricName="ThrottledRequests")["Metrics"]
               if not m.get("Dimensions")]:
        assert time.time() < deadline, "gateway throttles never reached the ThrottledRequests metric"
        time.sleep(0.5)

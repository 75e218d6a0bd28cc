"""The template's 429 gateway responses, rendered as the (local) gateway renders them: valid, friendly JSON."""

from __future__ import annotations

import json

import pytest

from radar.tiers import load_tiers
from scripts.localcloud.apispec import load_api_spec
from scripts.localcloud.gateway import Gateway, Request
from scripts.localcloud.synth import synth
from scripts.localcloud.template import Template


@pytest.fixture(scope="module")
def gateway() -> Gateway:
    template = Template.load(synth()[0])
    # No emulator here: every resource resolves to a placeholder id (responses only reference the API itself).
    template.refs.update({logical_id: logical_id for logical_id in template.resources})
    template.attrs.update(
        {lid: {"Arn": f"arn:aws:local:::{lid}", "RootResourceId": "root"} for lid in template.resources}
    )
    spec = load_api_spec(template)
    assert spec is not None
    return Gateway(spec, runtimes={})


@pytest.mark.parametrize(
    ("response_type", "limit"), [("THROTTLED", "requests_per_second"), ("QUOTA_EXCEEDED", "request_quota")]
)
def test_429_names_the_limit_the_reset_the_plan_and_every_plans_limits(
    gateway: Gateway, response_type: str, limit: str
) -> None:
    request = Request(method="GET", path="/targets", query=[], headers=[], body=b"", source_ip="127.0.0.1")
    response = gateway.gateway_response(response_type, request, {"authorizer": {"plan": "pro"}})
    assert response.status == 429
    error = json.loads(response.body)["error"]
    details = error["details"]
    assert details["plan"] == "pro" and "pro plan" in error["message"]
    assert details["limit"] == limit and details["resets"]
    assert details["usage"] == "GET /usage"
    tiers = load_tiers().tiers
    assert set(details["plans"]) == set(tiers)
    assert details["plans"]["enterprise"]["requests_per_second"] == tiers["enterprise"].rate
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")

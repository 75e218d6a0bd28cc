"""The ops dashboard's provider panels (issue 15 point 2) read the chain's gauges as the local cloud's CloudWatch
holds them: one series per emitting function (checks, worker: Powertools' `service`), reduced to one line per
provider (the fewest slots free, the breaker open if any function saw it open), with the capacity line drawn from
the limits the stage deploys."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk.assertions import Template

from infra_cdk.monitoring import NAMESPACE, provider_widgets
from infra_cdk.settings import PROVIDER_NAMES
from scripts.localcloud.ops import render_dashboard
from tests.infra.helpers import render


def dashboard_body(limits: dict[str, int]) -> dict[str, Any]:
    """The provider panels as the template deploys them (synthesized, intrinsics resolved)."""
    stack = Stack(App(), f"Panels{uuid.uuid4().hex[:6]}", env=Environment(account="123456789012", region="us-east-1"))
    cloudwatch.Dashboard(stack, "Ops", widgets=provider_widgets(limits))
    [dashboard] = Template.from_stack(stack).find_resources("AWS::CloudWatch::Dashboard").values()
    return dict(json.loads(render(dashboard["Properties"]["DashboardBody"])))


def put(metric: str, value: float, **dimensions: str) -> None:
    boto3.client("cloudwatch").put_metric_data(Namespace=NAMESPACE, MetricData=[{
        "MetricName": metric, "Value": value, "Unit": "Count", "Timestamp": datetime.now(UTC),
        "Dimensions": [{"Name": name, "Value": dim} for name, dim in dimensions.items()],
    }])


def widget(rendered: dict[str, Any], title: str) -> dict[str, Any]:
    return next(w for w in rendered["widgets"] if w["title"] == title)


def values(rendered: dict[str, Any], title: str) -> dict[str, list[float]]:
    return {s["label"]: [point[1] for point in s["points"]] for s in widget(rendered, title)["series"]}


def test_provider_panels_show_each_providers_gauges_reduced_over_the_functions_that_emit_them(
    moto_endpoint: str,
) -> None:
    provider = "opencnpj"  # one provider's series; the others stay empty
    limits = {name: 60 + index for index, name in enumerate(PROVIDER_NAMES)}
    body = dashboard_body(limits)
    put("ProviderSlotsFree", 2.5, provider=provider, service="checks")
    put("ProviderSlotsFree", 0.0, provider=provider, service="worker")
    put("ProviderBreakerOpen", 0, provider=provider, service="checks")
    put("ProviderBreakerOpen", 1, provider=provider, service="worker")
    for outcome in ("ok", "ok", "rate_limited"):
        boto3.client("cloudwatch").put_metric_data(Namespace=NAMESPACE, MetricData=[{
            "MetricName": "ProviderLatency", "Value": 120.0, "Unit": "Milliseconds", "Timestamp": datetime.now(UTC),
            "Dimensions": [{"Name": "provider", "Value": provider}, {"Name": "outcome", "Value": outcome},
                           {"Name": "service", "Value": "worker"}],
        }])
    put("ProviderErrors", 1, provider=provider, outcome="rate_limited", service="worker")
    put("ProviderErrors", 1, provider=provider, outcome="transient", service="worker")  # not a 429
    put("FreshnessUnmet", 1, provider=provider, service="checks")
    put("FreshnessUnmet", 1, provider=provider, service="worker")
    put("ProviderSlotsFree", 9.0, provider="cnpja", service="worker")  # another provider's panel

    deadline = time.monotonic() + 10
    rendered = render_dashboard(body, range_s=900, period=60)
    while not values(rendered, f"{provider}: slots free and breaker").get("slots free (min)"):
        assert time.monotonic() < deadline, rendered
        time.sleep(0.3)
        rendered = render_dashboard(body, range_s=900, period=60)

    state = values(rendered, f"{provider}: slots free and breaker")
    assert state["slots free (min)"][-1] == 0.0  # the worker saw its schedule empty
    assert state["breaker open (1)"][-1] == 1.0  # and its breaker refusing
    calls = values(rendered, f"{provider}: calls a minute and 429s")
    assert calls["calls"][-1] == 3.0 and calls["429s"][-1] == 1.0
    assert calls["answers older than max_age"][-1] == 2.0  # summed over both functions
    assert values(rendered, "cnpja: slots free and breaker")["slots free (min)"][-1] == 9.0
    [capacity] = next(w for w in body["widgets"] if w["properties"]["title"].startswith(f"{provider}: calls"))[
        "properties"]["annotations"]["horizontal"]
    assert capacity["value"] == limits[provider]

"""The ops side of a real (mini) local cloud: platform metrics, dashboards with data over HTTP, `make ops` output."""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import httpx
import pytest

from scripts.localcloud import opsview
from scripts.localcloud.cloud import LocalCloud
from scripts.localcloud.ops import OpsServer, dashboard_names, render_dashboard, start_ops_server
from tests.support.aws import free_port
from tests.support.mini_template import mini_cloud

ALARM_ARN_PREFIX = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, moto_endpoint: str) -> Iterator[LocalCloud]:
    with mini_cloud(tmp_path_factory.mktemp("opsmini"), "OpsMini", endpoint=moto_endpoint) as local:
        yield local


@pytest.fixture(scope="module")
def dashboard(cloud: LocalCloud) -> dict[str, Any]:
    """A dashboard in the CloudWatch body format, over the metrics the mini cloud's traffic produces."""
    echo = cloud.runtimes["EchoFn"].spec.name
    alarm_name = f"OpsMini-EchoErrors-{uuid.uuid4().hex[:6]}"
    cloudwatch = boto3.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=alarm_name, Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum", Period=300,
        EvaluationPeriods=1, Threshold=0, ComparisonOperator="GreaterThanThreshold",
        Dimensions=[{"Name": "FunctionName", "Value": echo}], TreatMissingData="notBreaching",
    )
    body = {
        "widgets": [
            {"type": "text", "x": 0, "y": 0, "width": 24, "height": 1, "properties": {"markdown": "# Mini ops"}},
            {"type": "alarm", "x": 0, "y": 1, "width": 24, "height": 2,
             "properties": {"title": "Alarms", "alarms": [f"{ALARM_ARN_PREFIX}{alarm_name}"]}},
            {"type": "metric", "x": 0, "y": 3, "width": 12, "height": 6, "properties": {
                "title": "API", "view": "timeSeries", "metrics": [
                    ["AWS/ApiGateway", "Count", "ApiName", "mini", {"label": "requests", "stat": "Sum"}],
                    [".", "4XXError", ".", ".", {"label": "4XX", "stat": "Sum"}],
                ]}},
            {"type": "metric", "x": 12, "y": 3, "width": 12, "height": 6, "properties": {
                "title": "Echo", "view": "timeSeries", "metrics": [
                    [{"label": "error rate %", "expression": "100 * e / i"}],
                    ["AWS/Lambda", "Errors", "FunctionName", echo, {"id": "e", "stat": "Sum", "visible": False}],
                    ["AWS/Lambda", "Invocations", "FunctionName", echo, {"id": "i", "stat": "Sum", "visible": False}],
                    ["AWS/Lambda", "Duration", "FunctionName", echo, {"label": "p99 ms", "stat": "p99"}],
                ]}},
        ]
    }
    name = f"OpsMini-{uuid.uuid4().hex[:6]}"
    cloudwatch.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body))
    return {"name": name, "body": body, "alarm": alarm_name}


@pytest.fixture(scope="module")
def traffic(cloud: LocalCloud) -> None:
    """Requests through the gateway; the platform metrics publisher flushes them within about a second."""
    for _ in range(3):
        assert httpx.get(f"{cloud.api_url}/public", timeout=30).status_code == 200
    assert httpx.get(f"{cloud.api_url}/items", timeout=30).status_code == 401
    assert httpx.get(f"{cloud.api_url}/nowhere", timeout=30).status_code == 403
    cloudwatch = boto3.client("cloudwatch")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        data = cloudwatch.get_metric_statistics(
            Namespace="AWS/ApiGateway", MetricName="Count", Dimensions=[{"Name": "ApiName", "Value": "mini"}],
            StartTime=datetime.now(UTC) - timedelta(minutes=10), EndTime=datetime.now(UTC) + timedelta(minutes=1),
            Period=600, Statistics=["Sum"],
        )["Datapoints"]
        if data and data[0]["Sum"] >= 5:
            return
        time.sleep(0.2)
    raise AssertionError("gateway metrics never reached the emulator")


def _series(rendered: dict[str, Any], title: str) -> dict[str, list[list[float]]]:
    widget = next(w for w in rendered["widgets"] if w.get("title") == title)
    return {s["label"]: s["points"] for s in widget["series"]}


def test_platform_metrics_and_dashboard_rendering(cloud: LocalCloud, dashboard: dict[str, Any], traffic: None) -> None:
    # Platform metrics are published once a second, off the request path: wait until the function's are in too.
    deadline = time.time() + 15
    rendered = render_dashboard(dashboard["body"], range_s=900, period=60)
    while not _series(rendered, "Echo").get("p99 ms") and time.time() < deadline:
        time.sleep(0.5)
        rendered = render_dashboard(dashboard["body"], range_s=900, period=60)

    api = _series(rendered, "API")
    assert sum(v for _, v in api["requests"]) >= 5
    assert sum(v for _, v in api["4XX"]) >= 2  # 401 without a token, 403 for an unknown route
    echo = _series(rendered, "Echo")
    assert set(echo) == {"error rate %", "p99 ms"}  # ids marked invisible are inputs only
    assert all(v == 0 for _, v in echo["error rate %"])
    assert echo["p99 ms"] and all(v > 0 for _, v in echo["p99 ms"])
    alarms = next(w for w in rendered["widgets"] if w["type"] == "alarm")["alarms"]
    assert [a["name"] for a in alarms] == [dashboard["alarm"]]
    assert [(w["x"], w["y"], w["width"], w["height"]) for w in rendered["widgets"]] == [
        (w["x"], w["y"], w["width"], w["height"]) for w in dashboard["body"]["widgets"]
    ]


def test_the_page_and_its_json_over_http(cloud: LocalCloud, dashboard: dict[str, Any], traffic: None) -> None:
    page = httpx.get(f"{cloud.ops_url}/", timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "<script src" not in page.text and "https://" not in page.text  # works offline: nothing fetched

    names = httpx.get(f"{cloud.ops_url}/api/dashboards", timeout=10).json()["dashboards"]
    assert dashboard["name"] in names
    body = httpx.get(
        f"{cloud.ops_url}/api/dashboard", params={"name": dashboard["name"], "range": 900}, timeout=30
    ).json()
    assert body["name"] == dashboard["name"]
    assert sum(v for _, v in _series(body, "API")["requests"]) >= 5

    boto3.client("cloudwatch").set_alarm_state(
        AlarmName=dashboard["alarm"], StateValue="ALARM", StateReason="forced by the test"
    )
    alarms = {a["name"]: a["state"] for a in httpx.get(f"{cloud.ops_url}/api/alarms", timeout=10).json()["alarms"]}
    assert alarms[dashboard["alarm"]] == "ALARM"
    status = httpx.get(f"{cloud.ops_url}/api/status", timeout=10).json()
    assert status["platform_metrics_published"] > 0
    assert status["evaluator"]["last_error"] is None
    assert httpx.get(f"{cloud.ops_url}/nope", timeout=10).status_code == 404


def test_make_ops_prints_alarms_and_latest_values(cloud: LocalCloud, dashboard: dict[str, Any], traffic: None) -> None:
    out = io.StringIO()

    code = opsview.main(
        ["--state", str(cloud.config.state_file), "--dashboard", dashboard["name"], "--range", "900"], out=out
    )

    text = out.getvalue()
    assert code == 0
    assert dashboard["alarm"] in text
    assert f"Dashboard {dashboard['name']}" in text
    requests_line = next(line for line in text.splitlines() if line.strip().startswith("requests"))
    assert int(requests_line.split()[1]) >= 1


def test_make_ops_without_a_running_cloud_says_so(tmp_path: Path) -> None:
    assert opsview.main(["--state", str(tmp_path / "missing.json")], out=io.StringIO()) == 1


def test_shutdown_stops_the_evaluator_the_relay_and_the_publisher(moto_endpoint: str) -> None:
    server, port = start_ops_server(SimpleNamespace(template=None, gateway=None, runtimes={}), free_port())
    assert isinstance(server, OpsServer)
    assert httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=10).status_code == 200
    threads = [server.evaluator._thread, server.relay._thread, server.platform._thread]  # type: ignore[union-attr]

    server.shutdown()
    server.server_close()

    assert not any(thread is not None and thread.is_alive() for thread in threads)


def _widget(rendered: dict[str, Any], title: str) -> dict[str, Any]:
    return next(w for w in rendered["widgets"] if w.get("title") == title)


def test_a_widgets_own_period_wins_over_the_pages(cloud: LocalCloud, dashboard: dict[str, Any], traffic: None) -> None:
    body = {"widgets": [
        {"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {
            "title": "hourly", "view": "timeSeries", "period": 3600, "metrics": [
                ["AWS/ApiGateway", "Count", "ApiName", "mini", {"label": "requests", "stat": "Sum"}]]}},
        {"type": "metric", "x": 12, "y": 0, "width": 12, "height": 6, "properties": {
            "title": "hourly search", "view": "timeSeries", "metrics": [[{
                "label": "requests", "period": 3600,
                "expression": "SUM(SEARCH('{AWS/ApiGateway,ApiName} MetricName=\"Count\"', 'Sum', 3600))"}]]}},
        {"type": "metric", "x": 0, "y": 6, "width": 12, "height": 6, "properties": {
            "title": "no period", "view": "timeSeries", "metrics": [
                ["AWS/ApiGateway", "Count", "ApiName", "mini", {"label": "requests", "stat": "Sum"}]]}},
    ]}
    rendered = render_dashboard(body, range_s=7200, period=60)
    for title in ("hourly", "hourly search"):
        widget = _widget(rendered, title)
        assert widget["period"] == 3600
        points = widget["series"][0]["points"]
        assert points and all(int(t) % 3600 == 0 for t, _ in points)  # hourly buckets, not the page's minutes
        assert sum(v for _, v in points) >= 5
    assert _widget(rendered, "no period")["period"] == 60  # the page's period where the template sets none
    assert _widget(render_dashboard(body, range_s=7200, period=None), "no period")["period"] == 300


def test_threshold_lines_come_from_the_alarms_watching_a_widget(
    cloud: LocalCloud, dashboard: dict[str, Any], traffic: None
) -> None:
    rendered = render_dashboard(dashboard["body"], range_s=900, period=60)
    lines = _widget(rendered, "Echo")["thresholds"]
    assert [(line["alarm"], line["threshold"], line["comparison"]) for line in lines] == [
        (dashboard["alarm"], 0.0, ">")
    ]
    assert lines[0]["detail"] == "Sum per 300 s"
    assert _widget(rendered, "API")["thresholds"] == []  # no alarm watches the API's count

    cloudwatch = boto3.client("cloudwatch")
    rate = f"OpsMini-ApiCountAverage-{uuid.uuid4().hex[:4]}"
    busy = f"OpsMini-ApiCountSum-{uuid.uuid4().hex[:4]}"
    for name, stat, threshold in ((rate, "Average", 0.5), (busy, "Sum", 50.0)):
        cloudwatch.put_metric_alarm(
            AlarmName=name, Namespace="AWS/ApiGateway", MetricName="Count", Statistic=stat, Period=300,
            EvaluationPeriods=1, Threshold=threshold, ComparisonOperator="GreaterThanOrEqualToThreshold",
            Dimensions=[{"Name": "ApiName", "Value": "mini"}],
        )
    try:
        per_minute = {line["alarm"]: line for line in
                      _widget(render_dashboard(dashboard["body"], range_s=900, period=60), "API")["thresholds"]}
        assert set(per_minute) == {busy}  # an Average threshold is not drawn over a widget of Sums
        assert per_minute[busy]["value"] == 10.0 and per_minute[busy]["scaled"]  # 50 per 300 s = 10 per 60 s
        as_template = _widget(render_dashboard(dashboard["body"], range_s=900, period=None), "API")["thresholds"]
        assert [(line["value"], line["scaled"]) for line in as_template] == [(50.0, False)]
    finally:
        cloudwatch.delete_alarms(AlarmNames=[rate, busy])


def test_alarm_chips_are_worst_first_and_link_their_runbooks(cloud: LocalCloud, moto_endpoint: str) -> None:
    cloudwatch = boto3.client("cloudwatch")
    names = [f"OpsMini-Order-{n}-{uuid.uuid4().hex[:4]}" for n in ("a", "b", "c")]
    for name in names:
        cloudwatch.put_metric_alarm(
            AlarmName=name, Namespace="Mini", MetricName="M", Statistic="Sum", Period=60, EvaluationPeriods=1,
            Threshold=1, ComparisonOperator="GreaterThanThreshold",
        )
    for name, state in zip(names, ("OK", "INSUFFICIENT_DATA", "ALARM"), strict=True):  # set by hand: held
        cloudwatch.set_alarm_state(AlarmName=name, StateValue=state, StateReason="set by the test")
    body = {"widgets": [{"type": "alarm", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {
        "title": "Alarms", "alarms": [f"{ALARM_ARN_PREFIX}{n}" for n in [*names, "CnpjRadar-Worker-Errors"]]}}]}
    chips = render_dashboard(body)["widgets"][0]["alarms"]
    assert [c["name"] for c in chips] == [names[2], names[1], "CnpjRadar-Worker-Errors", names[0]]
    assert [c["state"] for c in chips] == ["ALARM", "INSUFFICIENT_DATA", "UNKNOWN", "OK"]
    worker = next(c for c in chips if c["name"] == "CnpjRadar-Worker-Errors")  # not in this emulator: UNKNOWN
    assert worker["runbook"] == "/runbooks/CnpjRadar-Worker-Errors" and names[0] not in str(worker)
    assert all(c["runbook"] is None for c in chips if c["name"] in names)  # no docs/runbooks page for these

    page = httpx.get(f"{cloud.ops_url}/runbooks/CnpjRadar-Worker-Errors", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<h1>CnpjRadar-Worker-Errors</h1>" in page.text and "<h2>What to do</h2>" in page.text
    assert "<pre><code>fields @timestamp" in page.text  # the Logs Insights query, as code
    index = httpx.get(f"{cloud.ops_url}/runbooks/README", timeout=10).text
    assert '<a href="/runbooks/CnpjRadar-Api-5xxRate">' in index
    for bad in ("..%2F..%2Fpyproject.toml", "nope", "%2Fetc%2Fpasswd"):
        assert httpx.get(f"{cloud.ops_url}/runbooks/{bad}", timeout=10).status_code == 404


def test_a_series_that_stopped_reporting_is_marked_stale(cloud: LocalCloud) -> None:
    cloudwatch = boto3.client("cloudwatch")
    metric = f"Stale{uuid.uuid4().hex[:6]}"
    now = time.time()
    cloudwatch.put_metric_data(Namespace="Mini", MetricData=[
        {"MetricName": metric, "Value": 7.0, "Timestamp": datetime.fromtimestamp(now - 1200, tz=UTC)},
        {"MetricName": f"{metric}Live", "Value": 3.0, "Timestamp": datetime.fromtimestamp(now - 5, tz=UTC)},
    ])
    body = {"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {
        "title": "stale", "view": "timeSeries", "metrics": [
            ["Mini", f"{metric}Missing", {"label": "never", "stat": "Sum"}],
            ["Mini", metric, {"label": "old", "stat": "Sum"}],
            ["Mini", f"{metric}Live", {"label": "live", "stat": "Sum"}]]}}]}
    series = {s["label"]: s for s in render_dashboard(body, now=now, range_s=3600, period=60)["widgets"][0]["series"]}
    assert list(series) == ["never", "old", "live"]  # every row keeps its place (and so its colour), empty or not
    assert series["never"]["points"] == [] and series["never"]["last"] is None
    assert series["old"]["last"]["value"] == 7.0 and series["old"]["last"]["stale"] is True
    assert series["live"]["last"]["stale"] is False


def test_the_templates_dashboards_come_first(moto_endpoint: str) -> None:
    cloudwatch = boto3.client("cloudwatch")
    suffix = uuid.uuid4().hex[:6]
    for name in (f"A-{suffix}", f"Z-{suffix}"):
        cloudwatch.put_dashboard(DashboardName=name, DashboardBody=json.dumps({"widgets": []}))
    names = dashboard_names(first=[f"Z-{suffix}", "not-there"])
    assert names[0] == f"Z-{suffix}" and f"A-{suffix}" in names[1:] and "not-there" not in names

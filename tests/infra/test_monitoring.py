"""Alarms (each named, on the SNS topic, with a runbook file) and the ops and business dashboards."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from infra_cdk.app import REPO_ROOT
from infra_cdk.monitoring import PROVIDER_ERRORS_QUERY
from tests.infra.helpers import Synthesized, render

RUNBOOKS = REPO_ROOT / "docs" / "runbooks"
FUNCTIONS = ("Authorizer", "Auth", "Targets", "Checks", "Worker", "Purge")
EXPECTED_ALARMS = {
    "CnpjRadar-Api-5xxRate", "CnpjRadar-Api-LatencyP99", "CnpjRadar-Api-Deploy5xxRate", "CnpjRadar-ChecksDlq-Messages",
    "CnpjRadar-ChecksQueue-OldestMessageAge", "CnpjRadar-Providers-Errors", "CnpjRadar-DynamoDB-Throttles",
    "CnpjRadar-PurgeDlq-Messages", "CnpjRadar-ProviderTokens-Broken",
    *(f"CnpjRadar-{f}-{kind}" for f in FUNCTIONS
      for kind in ("Errors", "Throttles", "DeployErrors", "DeployLatencyP99")),
}


def alarms(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {a["Properties"]["AlarmName"]: a["Properties"]
            for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()}


def dashboard(synthesized: Synthesized, logical_id: str) -> dict[str, Any]:
    body = render(synthesized.props(logical_id)["DashboardBody"])
    return dict(json.loads(body))


def expressions(body: dict[str, Any]) -> list[str]:
    """Metric math and SEARCH expressions of every widget (metrics rows end with an options dict)."""
    return [row[-1]["expression"] for w in body["widgets"] for row in w["properties"].get("metrics", [])
            if isinstance(row[-1], dict) and "expression" in row[-1]]


def widget_titles(body: dict[str, Any]) -> list[str]:
    return [w["properties"].get("title", "") for w in body["widgets"]]


def test_every_required_alarm_exists_with_an_explicit_name(synthesized: Synthesized) -> None:
    assert set(alarms(synthesized)) == EXPECTED_ALARMS


@pytest.mark.parametrize("name", sorted(EXPECTED_ALARMS))
def test_alarm_notifies_the_topic_and_links_its_runbook(synthesized: Synthesized, name: str) -> None:
    alarm = alarms(synthesized)[name]
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert alarm["OKActions"] == [{"Ref": "AlarmTopic"}]
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmDescription"].endswith(f"Runbook: docs/runbooks/{name}.md")


@pytest.mark.parametrize("name", sorted(EXPECTED_ALARMS))
def test_every_alarm_has_a_runbook_that_explains_it(name: str) -> None:
    runbook = RUNBOOKS / f"{name}.md"
    assert runbook.is_file(), f"missing runbook {runbook}"
    text = runbook.read_text(encoding="utf-8")
    assert text.startswith(f"# {name}\n")
    for section in ("## What it means", "## Where to look", "## What to do"):
        assert section in text, (name, section)


def test_no_runbook_without_an_alarm(synthesized: Synthesized) -> None:
    pages = {p.stem for p in RUNBOOKS.glob("CnpjRadar-*.md")}
    assert pages == set(alarms(synthesized))
    index = (RUNBOOKS / "README.md").read_text(encoding="utf-8")
    assert all(f"({name}.md)" in index for name in pages)


def test_queue_alarms_watch_the_right_queues(synthesized: Synthesized) -> None:
    by_name = alarms(synthesized)
    dlq = by_name["CnpjRadar-ChecksDlq-Messages"]
    assert dlq["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert render(dlq["Dimensions"][0]["Value"]) == "<ChecksDlq.QueueName>"
    assert (dlq["Threshold"], dlq["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    oldest = by_name["CnpjRadar-ChecksQueue-OldestMessageAge"]
    assert oldest["MetricName"] == "ApproximateAgeOfOldestMessage"
    assert render(oldest["Dimensions"][0]["Value"]) == "<ChecksQueue.QueueName>"


def test_function_alarms_watch_their_own_function(synthesized: Synthesized) -> None:
    by_name = alarms(synthesized)
    for function in FUNCTIONS:
        for kind in ("Errors", "Throttles"):
            alarm = by_name[f"CnpjRadar-{function}-{kind}"]
            assert alarm["Namespace"] == "AWS/Lambda" and alarm["MetricName"] == kind
            assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": f"{function}Function"}}]


def test_api_alarms_use_rate_and_p99(synthesized: Synthesized) -> None:
    by_name = alarms(synthesized)
    five_xx = by_name["CnpjRadar-Api-5xxRate"]
    assert (five_xx["MetricName"], five_xx["Statistic"]) == ("5XXError", "Average")
    assert 0 < five_xx["Threshold"] < 1
    latency = by_name["CnpjRadar-Api-LatencyP99"]
    assert (latency["MetricName"], latency["ExtendedStatistic"]) == ("Latency", "p99")


def test_provider_alarm_sums_every_provider_error_series(synthesized: Synthesized) -> None:
    alarm = alarms(synthesized)["CnpjRadar-Providers-Errors"]
    [query] = alarm["Metrics"]
    assert query["Expression"] == PROVIDER_ERRORS_QUERY
    assert re.fullmatch(r"SELECT SUM\(ProviderErrors\) FROM CnpjRadar", query["Expression"])
    assert query["Period"] == 300


def test_dynamodb_alarm_covers_reads_and_writes_of_every_table(synthesized: Synthesized) -> None:
    alarm = alarms(synthesized)["CnpjRadar-DynamoDB-Throttles"]
    metrics = [m for m in alarm["Metrics"] if "MetricStat" in m]
    watched = {(render(m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]), m["MetricStat"]["Metric"]["MetricName"])
               for m in metrics}
    assert watched == {(f"<{t}>", f"{k}ThrottleEvents") for t in ("MainTable", "CacheTable", "IdempotencyTable")
                       for k in ("Read", "Write")}
    [expression] = [m for m in alarm["Metrics"] if "Expression" in m]
    assert expression["Expression"].count("FILL(") == 6


def test_ops_dashboard_covers_api_functions_queue_tables_and_providers(synthesized: Synthesized) -> None:
    body = dashboard(synthesized, "OpsDashboard")
    titles = " | ".join(widget_titles(body))
    for expected in ("API requests", "API errors", "API latency", "Invocations", "Errors", "Throttles",
                     "Duration p99", "Checks queue", "Dead-letter queue", "Oldest message age", "Tables",
                     "Provider latency", "Provider errors", "Rate limited by provider", "Alarms"):
        assert expected in titles, expected
    alarm_widget = next(w for w in body["widgets"] if w["type"] == "alarm")
    assert len(alarm_widget["properties"]["alarms"]) == len(EXPECTED_ALARMS)


def test_business_dashboard_shows_checks_success_cache_and_plans(synthesized: Synthesized) -> None:
    body = dashboard(synthesized, "BusinessDashboard")
    titles = " | ".join(widget_titles(body))
    for expected in ("Checks per hour", "success rate", "Cache hit rate", "by plan"):
        assert expected.lower() in titles.lower(), expected
    searched = " ".join(expressions(body))
    for metric in ("ChecksSucceeded", "ChecksFailed", "CacheHit", "CacheMiss", "CacheWrite", "ChecksByPlan"):
        assert f'Namespace="CnpjRadar" MetricName="{metric}"' in searched, metric


def test_dashboards_have_stable_names(synthesized: Synthesized) -> None:
    assert synthesized.props("OpsDashboard")["DashboardName"] == "CnpjRadar-Ops"
    assert synthesized.props("BusinessDashboard")["DashboardName"] == "CnpjRadar-Business"


def test_gateway_throttles_are_counted_from_the_access_log(synthesized: Synthesized) -> None:
    from scripts.localcloud.filterpattern import compile_pattern
    from scripts.localcloud.gateway import _render

    props = synthesized.props("GatewayThrottlesMetricFilter")
    assert props["LogGroupName"] == {"Ref": "ApiAccessLogGroup"}
    assert props["MetricTransformations"] == [
        {"MetricName": "ThrottledRequests", "MetricNamespace": "CnpjRadar", "MetricValue": "1"}
    ]
    # The pattern reads the field the stage's access-log format really writes.
    line_format = synthesized.props("ApiStage")["AccessLogSetting"]["Format"]
    matches = compile_pattern(props["FilterPattern"])
    for response_type, counted in (("THROTTLED", True), ("QUOTA_EXCEEDED", True), ("UNAUTHORIZED", False), ("", False)):
        line = _render(line_format, {"status": "429", "error.responseType": response_type}, {}, missing="-")
        assert json.loads(line)["errorType"] == (response_type or "-")
        assert matches(line) is counted


def test_a_broken_provider_tokens_secret_alarms_on_the_first_failure(synthesized: Synthesized) -> None:
    """Fail closed (issue 13): the metric radar.lookup.tokens emits when the secret is unreadable has an alarm."""
    alarm = alarms(synthesized)["CnpjRadar-ProviderTokens-Broken"]
    [query] = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    assert query == "SELECT SUM(ProviderTokenSecretBroken) FROM CnpjRadar"
    assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"


@pytest.mark.parametrize("stage", ["dev", "staging", "prod"])
def test_the_ops_dashboard_shows_each_providers_capacity_slots_breaker_and_429s(
    stages: dict[str, Synthesized], stage: str
) -> None:
    """Issue 15 point 2: per provider of the order, its calls a minute against its deployed capacity (a constant
    annotation from the stage's providerLimits), its 429s, its slots free and its breaker, by the `provider`
    dimension the chain's gauges carry (reduced over the functions that emit them)."""
    from infra_cdk.settings import PROVIDER_NAMES
    from infra_cdk.stages import load_stage

    limits = load_stage(stage)["providerLimits"]
    body = dashboard(stages[stage], "OpsDashboard")
    by_title = {w["properties"].get("title"): w for w in body["widgets"]}
    for name in PROVIDER_NAMES:
        calls = by_title[f"{name}: calls a minute and 429s"]["properties"]
        queries = [row[-1]["expression"] for row in calls["metrics"]]
        assert queries == [
            f"SUM(SEARCH('Namespace=\"CnpjRadar\" MetricName=\"ProviderLatency\" provider=\"{name}\"', "
            "'SampleCount', 60))",
            f"SUM(SEARCH('Namespace=\"CnpjRadar\" MetricName=\"ProviderErrors\" provider=\"{name}\" "
            "outcome=\"rate_limited\"', 'Sum', 60))",
            f"SUM(SEARCH('Namespace=\"CnpjRadar\" MetricName=\"FreshnessUnmet\" provider=\"{name}\"', 'Sum', 60))",
        ]
        [capacity] = calls["annotations"]["horizontal"]
        assert capacity["value"] == limits[name] and capacity["label"] == f"capacity {limits[name]}/min"
        state = by_title[f"{name}: slots free and breaker"]["properties"]
        rows = {row[-1]["label"]: row[-1] for row in state["metrics"]}
        assert rows["slots free (min)"]["expression"] == (
            f"MIN(SEARCH('Namespace=\"CnpjRadar\" MetricName=\"ProviderSlotsFree\" provider=\"{name}\"', "
            "'Minimum', 60))"
        )
        assert rows["breaker open (1)"]["expression"] == (
            f"MAX(SEARCH('Namespace=\"CnpjRadar\" MetricName=\"ProviderBreakerOpen\" provider=\"{name}\"', "
            "'Maximum', 60))"
        )
        assert rows["breaker open (1)"].get("yAxis") == "right"
        assert state["yAxis"]["right"] == {"min": 0, "max": 1}


"""Metric filter patterns as the local log sink evaluates them (moto stores filters but never applies them)."""

from __future__ import annotations

import json

import pytest

from scripts.localcloud.filterpattern import MetricFilter, UnsupportedPattern, compile_pattern


def line(**fields: object) -> str:
    return json.dumps(fields)


@pytest.mark.parametrize(
    ("pattern", "document", "expected"),
    [
        ('{ $.errorType = "THROTTLED" }', {"errorType": "THROTTLED"}, True),
        ('{ $.errorType = "THROTTLED" }', {"errorType": "QUOTA_EXCEEDED"}, False),
        ('{ $.errorType = "THROTTLED" }', {"other": "THROTTLED"}, False),
        ('{ ($.errorType = "THROTTLED") || ($.errorType = "QUOTA_EXCEEDED") }', {"errorType": "QUOTA_EXCEEDED"}, True),
        ('{ $.status = 429 && $.plan = "free" }', {"status": "429", "plan": "free"}, True),
        ('{ $.status = 429 && $.plan = "free" }', {"status": "429", "plan": "pro"}, False),
        ('{ $.status >= 500 }', {"status": 503}, True),
        ('{ $.status >= 500 }', {"status": "-"}, False),
        ('{ $.status != 200 }', {"status": 200}, False),
        ('{ $.path = "/targets/*" }', {"path": "/targets/tgt_1"}, True),
        ('{ $.a.b = "x" }', {"a": {"b": "x"}}, True),
        ('{ $.items[1] = "y" }', {"items": ["x", "y"]}, True),
        ('{ $.errorType EXISTS }', {"errorType": "-"}, True),
        ('{ $.errorType NOT EXISTS }', {"errorType": "-"}, False),
        ('{ $.a = "x" || $.b = "y" && $.c = "z" }', {"b": "y", "c": "nope"}, False),  # && binds tighter
    ],
)
def test_json_patterns(pattern: str, document: dict[str, object], expected: bool) -> None:
    assert compile_pattern(pattern)(json.dumps(document)) is expected


def test_a_json_pattern_never_matches_a_plain_text_line() -> None:
    assert compile_pattern('{ $.status = 429 }')("429 Too Many Requests") is False


@pytest.mark.parametrize("pattern", ["ERROR", '{ $.a = }', '{ $.a < "x" }', '{ ($.a = "x" }'])
def test_patterns_it_cannot_evaluate_fail_loudly(pattern: str) -> None:
    with pytest.raises(UnsupportedPattern):
        compile_pattern(pattern)


def test_a_matching_line_adds_one_datapoint_per_transformation_and_others_add_none() -> None:
    metric_filter = MetricFilter(
        "/aws/apigateway/access",
        '{ $.errorType = "THROTTLED" }',
        [{"MetricNamespace": "CnpjRadar", "MetricName": "ThrottledRequests", "MetricValue": "1"}],
    )
    [(namespace, datum)] = metric_filter.metric_data(line(errorType="THROTTLED"), 1_795_000_000_000)
    assert namespace == "CnpjRadar"
    assert datum["MetricName"] == "ThrottledRequests" and datum["Value"] == 1.0 and datum["Dimensions"] == []
    assert metric_filter.metric_data(line(errorType="-"), 1_795_000_000_000) == []


def test_values_taken_from_the_line_are_refused_rather_than_ignored() -> None:
    with pytest.raises(UnsupportedPattern):
        MetricFilter("/g", "", [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "$.latency"}])

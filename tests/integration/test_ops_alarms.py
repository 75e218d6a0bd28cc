"""Alarm evaluation on a real moto server: put metric data, evaluate, read the state back through describe_alarms."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from scripts.localcloud.alarms import (
    EVALUATOR_MARK,
    AlarmEvaluator,
    MetricQueries,
    MetricSpec,
    UnsupportedExpression,
    Window,
    evaluate_alarm,
)

PERIOD = 60


@pytest.fixture
def cloudwatch(moto_endpoint: str) -> Any:
    return boto3.client("cloudwatch")


@pytest.fixture
def namespace() -> str:
    return f"Test/{uuid.uuid4().hex[:8]}"  # the moto server lives for the session: every test writes its own metrics


@pytest.fixture
def now() -> float:
    """A fixed evaluation time 30 s into a period, so "the last N periods" are known exactly."""
    current = datetime.now(UTC).timestamp()
    return current - current % PERIOD + 30


def _put(cloudwatch: Any, namespace: str, name: str, values: list[float], at: float, **dims: str) -> None:
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": name,
                "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                "Values": values,
                "Timestamp": datetime.fromtimestamp(at, tz=UTC),
            }
        ],
    )


def _alarm(cloudwatch: Any, **props: Any) -> str:
    name = f"alarm-{uuid.uuid4().hex[:8]}"
    base = {"EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold", "Threshold": 5.0}
    cloudwatch.put_metric_alarm(AlarmName=name, **(base | props))
    return name


def _state(cloudwatch: Any, name: str) -> dict[str, Any]:
    return dict(cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0])


def test_a_breaching_sum_moves_the_alarm_to_alarm_with_a_reason(cloudwatch: Any, namespace: str, now: float) -> None:
    name = _alarm(cloudwatch, Namespace=namespace, MetricName="Errors", Statistic="Sum", Period=PERIOD)
    _put(cloudwatch, namespace, "Errors", [4, 3], now - 10)

    AlarmEvaluator(alarm_names=[name]).evaluate_all(now)

    alarm = _state(cloudwatch, name)
    assert alarm["StateValue"] == "ALARM"
    assert alarm["StateReason"].startswith(EVALUATOR_MARK)
    assert "[7]" in alarm["StateReason"]


def test_data_below_the_threshold_leaves_it_ok_and_says_why(cloudwatch: Any, namespace: str, now: float) -> None:
    name = _alarm(cloudwatch, Namespace=namespace, MetricName="Errors", Statistic="Sum", Period=PERIOD)
    _put(cloudwatch, namespace, "Errors", [2], now - 10)

    AlarmEvaluator(alarm_names=[name]).evaluate_all(now)

    alarm = _state(cloudwatch, name)
    assert alarm["StateValue"] == "OK"
    assert "0 out of the last 1 datapoints [2]" in alarm["StateReason"]


@pytest.mark.parametrize(
    ("treat", "expected"),
    [("missing", "INSUFFICIENT_DATA"), ("notBreaching", "OK"), ("breaching", "ALARM")],
)
def test_treat_missing_data(cloudwatch: Any, namespace: str, now: float, treat: str, expected: str) -> None:
    name = _alarm(
        cloudwatch, Namespace=namespace, MetricName="Nothing", Statistic="Sum", Period=PERIOD, TreatMissingData=treat
    )

    AlarmEvaluator(alarm_names=[name]).evaluate_all(now)

    assert _state(cloudwatch, name)["StateValue"] == expected


def test_m_out_of_n_counts_breaching_periods(cloudwatch: Any, namespace: str, now: float) -> None:
    props = {
        "Namespace": namespace,
        "MetricName": "Latency",
        "Statistic": "Maximum",
        "Period": PERIOD,
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 2,
        "Threshold": 100.0,
        "TreatMissingData": "notBreaching",
    }
    name = _alarm(cloudwatch, **props)
    _put(cloudwatch, namespace, "Latency", [150], now - 2 * PERIOD)  # oldest of the three periods
    _put(cloudwatch, namespace, "Latency", [50], now - PERIOD)

    evaluator = AlarmEvaluator(alarm_names=[name])
    evaluator.evaluate_all(now)
    assert _state(cloudwatch, name)["StateValue"] == "OK"  # one breaching datapoint of the two needed
    assert evaluator.outcomes[name].datapoints == [150, 50, None]

    _put(cloudwatch, namespace, "Latency", [101], now - 5)
    evaluator.evaluate_all(now)
    assert _state(cloudwatch, name)["StateValue"] == "ALARM"

    evaluator.evaluate_all(now + 2 * PERIOD)  # the breaching datapoints age out of the window
    assert _state(cloudwatch, name)["StateValue"] == "OK"


def test_extended_statistic_percentile(cloudwatch: Any, namespace: str, now: float) -> None:
    name = _alarm(
        cloudwatch, Namespace=namespace, MetricName="Duration", ExtendedStatistic="p99", Period=PERIOD, Threshold=90.0
    )
    _put(cloudwatch, namespace, "Duration", [float(v) for v in range(1, 101)], now - 10)

    outcome = evaluate_alarm(_state(cloudwatch, name), MetricQueries(), now)

    assert outcome.state == "ALARM"
    assert outcome.datapoints[0] is not None
    assert 95 <= outcome.datapoints[0] <= 100  # p99 of 1..100, rebuilt from moto's aggregates


def test_dimensions_select_the_series(cloudwatch: Any, namespace: str, now: float) -> None:
    name = _alarm(
        cloudwatch,
        Namespace=namespace,
        MetricName="Errors",
        Statistic="Sum",
        Period=PERIOD,
        Dimensions=[{"Name": "FunctionName", "Value": "quiet"}],
        TreatMissingData="notBreaching",
    )
    _put(cloudwatch, namespace, "Errors", [50], now - 10, FunctionName="noisy")

    AlarmEvaluator(alarm_names=[name]).evaluate_all(now)

    assert _state(cloudwatch, name)["StateValue"] == "OK"


def test_metric_math_ratio(cloudwatch: Any, namespace: str, now: float) -> None:
    def stat(metric: str) -> dict[str, Any]:
        return {"Metric": {"Namespace": namespace, "MetricName": metric}, "Period": PERIOD, "Stat": "Sum"}

    name = _alarm(
        cloudwatch,
        Threshold=10.0,
        Metrics=[
            {"Id": "e1", "Expression": "m1 / m2 * 100", "ReturnData": True},
            {"Id": "m1", "MetricStat": stat("Failed"), "ReturnData": False},
            {"Id": "m2", "MetricStat": stat("Total"), "ReturnData": False},
        ],
    )
    _put(cloudwatch, namespace, "Failed", [3], now - 10)
    _put(cloudwatch, namespace, "Total", [20], now - 10)

    evaluator = AlarmEvaluator(alarm_names=[name])
    evaluator.evaluate_all(now)

    assert evaluator.outcomes[name].datapoints == [15.0]
    assert _state(cloudwatch, name)["StateValue"] == "ALARM"


def test_fill_keeps_a_quiet_series_in_a_sum(cloudwatch: Any, namespace: str, now: float) -> None:
    def stat(metric: str) -> dict[str, Any]:
        return {"Metric": {"Namespace": namespace, "MetricName": metric}, "Period": PERIOD, "Stat": "Sum"}

    name = _alarm(
        cloudwatch,
        Threshold=0.0,
        Metrics=[
            {"Id": "e1", "Expression": "FILL(r0, 0) + FILL(w0, 0)", "ReturnData": True},
            {"Id": "r0", "MetricStat": stat("ReadThrottles"), "ReturnData": False},
            {"Id": "w0", "MetricStat": stat("WriteThrottles"), "ReturnData": False},
        ],
    )
    _put(cloudwatch, namespace, "WriteThrottles", [2], now - 10)

    evaluator = AlarmEvaluator(alarm_names=[name])
    evaluator.evaluate_all(now)

    assert evaluator.outcomes[name].datapoints == [2.0]
    assert _state(cloudwatch, name)["StateValue"] == "ALARM"


def test_metrics_insights_sums_every_series(cloudwatch: Any, namespace: str, now: float) -> None:
    name = _alarm(
        cloudwatch,
        Threshold=20.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        Metrics=[{"Id": "q", "Expression": f'SELECT SUM(ProviderErrors) FROM "{namespace}"',  # noqa: S608 - a metrics query
                  "Period": PERIOD}],
    )
    _put(cloudwatch, namespace, "ProviderErrors", [12], now - 10, provider="cnpjws", outcome="timeout")
    _put(cloudwatch, namespace, "ProviderErrors", [8], now - 10, provider="receitaws", outcome="error")

    evaluator = AlarmEvaluator(alarm_names=[name])
    evaluator.evaluate_all(now)

    assert evaluator.outcomes[name].datapoints == [20.0]
    assert _state(cloudwatch, name)["StateValue"] == "ALARM"


def test_an_unsupported_expression_is_insufficient_data_with_a_reason(cloudwatch: Any, now: float) -> None:
    name = _alarm(cloudwatch, Metrics=[{"Id": "e1", "Expression": "IF(m1 > 1, 1, 0)", "Period": PERIOD}])

    AlarmEvaluator(alarm_names=[name]).evaluate_all(now)

    alarm = _state(cloudwatch, name)
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    assert "not evaluated locally" in alarm["StateReason"]


def test_a_forced_state_is_held_then_reevaluated(cloudwatch: Any, namespace: str, now: float) -> None:
    name = _alarm(
        cloudwatch, Namespace=namespace, MetricName="Quiet", Statistic="Sum", Period=PERIOD,
        TreatMissingData="notBreaching",
    )
    AlarmEvaluator(alarm_names=[name]).evaluate_all(now)
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="forced by a test")

    AlarmEvaluator(alarm_names=[name], manual_hold=600).evaluate_all()
    assert _state(cloudwatch, name)["StateValue"] == "ALARM"

    AlarmEvaluator(alarm_names=[name], manual_hold=0).evaluate_all()
    assert _state(cloudwatch, name)["StateValue"] == "OK"


def test_the_evaluator_thread_evaluates_and_stops(cloudwatch: Any, namespace: str) -> None:
    name = _alarm(cloudwatch, Namespace=namespace, MetricName="Nothing", Statistic="Sum", Period=PERIOD)
    evaluator = AlarmEvaluator(alarm_names=[name], interval=0.05).start()
    try:
        for _ in range(200):
            if evaluator.evaluations >= 2:
                break
            evaluator._stop.wait(0.05)
    finally:
        evaluator.stop()
    assert evaluator.evaluations >= 2
    assert evaluator.last_error is None
    assert _state(cloudwatch, name)["StateValue"] == "INSUFFICIENT_DATA"


def test_search_lists_every_series_of_a_metric(cloudwatch: Any, namespace: str, now: float) -> None:
    _put(cloudwatch, namespace, "CheckDuration", [100], now - 10, service="checks")
    _put(cloudwatch, namespace, "CheckDuration", [300], now - 10, service="worker")
    _put(cloudwatch, namespace, "Other", [1], now - 10, service="checks")
    window = Window(now - PERIOD, now, PERIOD)
    queries = MetricQueries()

    # A bare {namespace} schema matches only dimensionless metrics, as in CloudWatch; a Namespace term matches all.
    assert queries.search(f'{{{namespace}}} MetricName="CheckDuration"', "Maximum", window) == []
    found = dict(queries.search(f'Namespace="{namespace}" MetricName="CheckDuration"', "Maximum", window))
    narrowed = queries.search(f'{{{namespace},service}} MetricName="CheckDuration" service="worker"', "Sum", window)
    total = queries.expression(
        f"SUM(SEARCH('Namespace=\"{namespace}\" MetricName=\"CheckDuration\"', 'Sum', 60))",
        window,
        lambda _: {},
        period_override=False,
    )

    assert {label: list(points.values()) for label, points in found.items()} == {"checks": [100], "worker": [300]}
    assert [(label, list(points.values())) for label, points in narrowed] == [("worker", [300])]
    assert isinstance(total, dict)
    assert list(total.values()) == [400]


def test_a_render_lists_a_metric_once_and_the_evaluator_sees_new_series(
    cloudwatch: Any, namespace: str, now: float
) -> None:
    listings: list[dict[str, Any]] = []

    class Counting:
        def __getattr__(self, name: str) -> Any:
            return getattr(cloudwatch, name)

        def list_metrics(self, **args: Any) -> Any:
            listings.append(args)
            return cloudwatch.list_metrics(**args)

    _put(cloudwatch, namespace, "ProviderLatency", [1], now - 10, provider="cnpjws")
    window = Window(now - PERIOD, now, PERIOD)
    query = f'Namespace="{namespace}" MetricName="ProviderLatency"'
    render = MetricQueries(cloudwatch=lambda: Counting(), memoize_listings=True)
    first = render.search(query + ' provider="cnpjws"', "SampleCount", window)
    _put(cloudwatch, namespace, "ProviderLatency", [1], now - 10, provider="brasilapi")
    second = render.search(query + ' provider="brasilapi"', "SampleCount", window)
    assert len(listings) == 1  # one listing for the whole render
    assert [label for label, _ in first] == ["cnpjws"] and second == []  # a series born mid-render waits for the next

    evaluator = MetricQueries(cloudwatch=lambda: Counting())
    assert [label for label, _ in evaluator.search(query + ' provider="brasilapi"', "SampleCount", window)] == [
        "brasilapi"]
    assert len(listings) == 2  # a long-lived instance lists again


def test_unknown_statistics_and_free_text_search_are_refused(moto_endpoint: str, namespace: str, now: float) -> None:
    queries = MetricQueries()
    window = Window(now - PERIOD, now, PERIOD)
    with pytest.raises(UnsupportedExpression):
        queries.series(MetricSpec(namespace, "X", (), "tm90"), window)
    with pytest.raises(UnsupportedExpression):
        queries.search(f"{{{namespace}}} Errors", "Sum", window)


def _math(text: str, **series: dict[int, float]) -> Any:
    """Metric math over given series (no emulator involved: ids resolve to the series passed in)."""

    def resolve(query_id: str) -> dict[int, float]:
        if query_id not in series:
            raise UnsupportedExpression(f"unknown id {query_id}")
        return series[query_id]

    window = Window(0, 180, PERIOD)
    return MetricQueries(cloudwatch=lambda: None).expression(text, window, resolve, period_override=True)


def test_metric_math_arithmetic_precedence_and_missing_timestamps() -> None:
    a = {0: 1.0, 60: 2.0, 120: 3.0}
    b = {0: 4.0, 120: 0.0}

    assert _math("(a + b) * 2 - -1", a=a, b=b) == {0: 11.0, 120: 7.0}  # 60 is missing in b, so in the result
    assert _math("a / b", a=a, b=b) == {0: 0.25}  # division by zero leaves a gap, like CloudWatch
    assert _math("100 * a / (a + FILL(b, 0))", a=a, b=b) == {0: 20.0, 60: 100.0, 120: 100.0}
    assert _math("2 * 3") == {0: 6.0, 60: 6.0, 120: 6.0}  # a number is a flat line over the window
    assert _math("ABS(0 - a)", a=a) == a


def test_metric_math_refuses_what_it_cannot_evaluate() -> None:
    for text in ("a +", "unknown_id * 2", "ANOMALY_DETECTION_BAND(a)", "a > 1", "FILL(a, REPEAT)"):
        with pytest.raises(UnsupportedExpression):
            _math(text, a={0: 1.0})

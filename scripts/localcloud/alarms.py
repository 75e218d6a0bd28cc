"""Metric queries (stats, SEARCH, Metrics Insights, metric math) on the emulator's CloudWatch, and alarm evaluation."""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scripts.localcloud.aws import client

__all__ = [
    "EVALUATOR_MARK",
    "AlarmEvaluator",
    "AlarmOutcome",
    "MetricQueries",
    "MetricSpec",
    "Series",
    "UnsupportedExpression",
    "Window",
    "evaluate_alarm",
]

# Every state this evaluator sets starts with this mark, so a state set by someone else (set_alarm_state) is known.
EVALUATOR_MARK = "Local evaluation: "
INITIAL_REASON = "Unchecked"
Series = dict[int, float]  # bucket start (epoch seconds) -> value
LabeledSeries = list[tuple[str, Series]]
_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)$")
_BASIC_STATS = ("Sum", "SampleCount", "Average", "Minimum", "Maximum")


class UnsupportedExpression(Exception):
    """An expression or statistic the local evaluator does not implement (the alarm goes to INSUFFICIENT_DATA)."""


@dataclass(frozen=True)
class Window:
    """A time range cut into buckets of `period` seconds counted from `origin` (0 = CloudWatch's aligned periods)."""

    start: float
    end: float
    period: int
    origin: float = 0.0

    def bucket(self, timestamp: float) -> int:
        return int(self.origin + math.floor((timestamp - self.origin) / self.period) * self.period)

    def buckets(self) -> list[int]:
        first, last = self.bucket(self.start), self.bucket(self.end - 1e-6)
        return list(range(first, last + 1, self.period))

    def with_period(self, period: int) -> Window:
        return Window(self.start, self.end, period, self.origin)


@dataclass(frozen=True)
class MetricSpec:
    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str = "Average"

    @property
    def label(self) -> str:
        return " ".join(value for _, value in self.dimensions) or self.metric_name


@dataclass
class _Bucket:
    """Per-bucket aggregates, plus fine-grained samples so percentiles can be approximated."""

    count: float = 0.0
    total: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    samples: list[tuple[float, float, float, float]] = field(default_factory=list)  # (count, sum, min, max)

    def add(self, count: float, total: float, low: float, high: float) -> None:
        self.count += count
        self.total += total
        self.low = min(self.low, low)
        self.high = max(self.high, high)
        self.samples.append((count, total, low, high))

    def statistic(self, stat: str) -> float:
        if stat == "Sum":
            return self.total
        if stat == "SampleCount":
            return self.count
        if stat == "Average":
            return self.total / self.count if self.count else math.nan
        if stat == "Minimum":
            return self.low
        if stat == "Maximum":
            return self.high
        match = _PERCENTILE.match(stat)
        if match:
            return self._percentile(float(match.group(1)))
        raise UnsupportedExpression(f"statistic {stat} is not evaluated locally")

    def _percentile(self, rank: float) -> float:
        # moto keeps raw values but only serves aggregates. Each fine bucket is rebuilt as its min, its max and,
        # between them, a power-law spread whose mean is the bucket's mean: exact for one or two samples per fine
        # bucket (the usual local traffic), close for evenly or skewed spread latencies.
        values: list[tuple[float, float]] = []  # (value, weight)
        for count, total, low, high in self.samples:
            if count <= 1:
                values.append((total, count or 1))
                continue
            values += [(low, 1), (high, 1)]
            if count > 2:
                values += _interior(count - 2, (total - low - high) / (count - 2), low, high)
        values.sort()
        needed = rank / 100 * sum(weight for _, weight in values)
        running = 0.0
        for value, weight in values:
            running += weight
            if running >= needed - 1e-9:
                return value
        return values[-1][0]


def _interior(count: float, mean: float, low: float, high: float, steps: int = 200) -> list[tuple[float, float]]:
    """`count` values in [low, high] spread as low + (high - low) * q**k, k chosen so that their mean is `mean`."""
    if high <= low or not low < mean < high:
        return [(mean, count)]
    exponent = (high - low) / (mean - low) - 1  # the mean of q**k over q in (0, 1) is 1 / (k + 1)
    steps = max(1, min(steps, int(count)))
    weight = count / steps
    return [(low + (high - low) * ((i + 0.5) / steps) ** exponent, weight) for i in range(steps)]


class MetricQueries:
    """Reads the emulator's CloudWatch the way dashboards and alarms do."""

    def __init__(self, cloudwatch: Callable[[], Any] | None = None, *, memoize_listings: bool = False) -> None:
        self._cloudwatch = cloudwatch or (lambda: client("cloudwatch"))
        # One dashboard render asks for the same listing many times (a SEARCH per provider panel over one metric
        # name), and moto answers ListMetrics by scanning every datapoint it holds: a render keeps its listings.
        # Off for long-lived instances (the alarm evaluator), which must see metrics that appear later.
        self._listings: dict[tuple[str, str | None], list[dict[str, Any]]] | None = {} if memoize_listings else None

    # -- one metric ---------------------------------------------------------------------------------------------
    def series(self, spec: MetricSpec, window: Window) -> Series:
        stat = spec.stat
        if stat not in _BASIC_STATS and not _PERCENTILE.match(stat):
            raise UnsupportedExpression(f"statistic {stat} is not evaluated locally")
        # Fine buckets (moto anchors buckets at the first datapoint, not at period boundaries): re-bucketing them
        # into aligned periods keeps every series on the same timestamps, so metric math can line them up.
        fine = max(1, window.period // 60)
        response = self._cloudwatch().get_metric_statistics(
            Namespace=spec.namespace,
            MetricName=spec.metric_name,
            Dimensions=[{"Name": name, "Value": value} for name, value in spec.dimensions],
            StartTime=datetime.fromtimestamp(window.start, tz=UTC),
            EndTime=datetime.fromtimestamp(window.end + 1, tz=UTC),
            Period=fine,
            Statistics=["SampleCount", "Sum", "Minimum", "Maximum"],
        )
        buckets: dict[int, _Bucket] = {}
        for point in response.get("Datapoints", []):
            timestamp = point["Timestamp"].timestamp()
            if not window.start - fine < timestamp < window.end + 1:
                continue
            bucket = buckets.setdefault(window.bucket(max(timestamp, window.start)), _Bucket())
            bucket.add(point["SampleCount"], point["Sum"], point["Minimum"], point["Maximum"])
        result = {start: bucket.statistic(stat) for start, bucket in sorted(buckets.items())}
        return {start: value for start, value in result.items() if not math.isnan(value)}

    # -- SEARCH ---------------------------------------------------------------------------------------------------
    def search(self, query: str, stat: str, window: Window) -> LabeledSeries:
        """SEARCH('{Namespace[,Dim...]} MetricName="X" [Dim="v"]', stat): one series per matching metric.

        As in CloudWatch, a `{Namespace[,Dim...]}` schema matches only metrics with exactly the dimensions it names
        (none, for a bare namespace); a `Namespace="X"` term instead matches the metric whatever its dimensions.
        """
        schema = re.match(r"\s*\{([^}]*)\}\s*(.*)$", query)
        body = schema.group(2) if schema else query
        terms = dict(re.findall(r'(\w[\w.-]*)\s*=\s*"([^"]*)"', body))
        leftover = re.sub(r'(\w[\w.-]*)\s*=\s*"([^"]*)"', "", body).strip()
        if schema:
            parts = [part.strip().strip('"') for part in schema.group(1).split(",")]
            namespace, schema_dims = parts[0], set(parts[1:])
        elif "Namespace" in terms:
            namespace, schema_dims = terms.pop("Namespace"), None
        else:
            raise UnsupportedExpression(f"SEARCH needs a {{namespace}} schema or a Namespace term: {query!r}")
        if leftover:
            raise UnsupportedExpression(f"SEARCH free-text terms are not evaluated locally: {leftover!r}")
        metric_name = terms.pop("MetricName", None)
        found: LabeledSeries = []
        for metric in self.list_metrics(namespace, metric_name):
            dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
            if schema_dims is not None and set(dims) != schema_dims:
                continue
            if any(dims.get(name) != value for name, value in terms.items()):
                continue
            spec = MetricSpec(namespace, metric["MetricName"], tuple(sorted(dims.items())), stat)
            points = self.series(spec, window)
            if points:
                found.append((spec.label, points))
        return found

    def list_metrics(self, namespace: str, metric_name: str | None = None) -> list[dict[str, Any]]:
        if self._listings is None:
            return self._list_metrics(namespace, metric_name)
        key = (namespace, metric_name)
        if key not in self._listings:
            self._listings[key] = self._list_metrics(namespace, metric_name)
        return self._listings[key]

    def _list_metrics(self, namespace: str, metric_name: str | None) -> list[dict[str, Any]]:
        args: dict[str, Any] = {"Namespace": namespace}
        if metric_name:
            args["MetricName"] = metric_name
        metrics: list[dict[str, Any]] = []
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        while True:
            page = self._cloudwatch().list_metrics(**args)
            for metric in page.get("Metrics", []):
                dims = tuple(sorted((d["Name"], d["Value"]) for d in metric.get("Dimensions", [])))
                key = (metric["MetricName"], dims)
                if key not in seen:
                    seen.add(key)
                    metrics.append(metric)
            if not page.get("NextToken"):
                return metrics
            args["NextToken"] = page["NextToken"]

    # -- Metrics Insights -----------------------------------------------------------------------------------------
    def insights(self, query: str, window: Window) -> Series:
        """SELECT SUM|AVG|MIN|MAX|COUNT(metric) FROM namespace [WHERE dim = 'v' [AND ...]] (no GROUP BY)."""
        match = re.fullmatch(
            r"\s*SELECT\s+(SUM|AVG|MIN|MAX|COUNT)\(\s*(\w+)\s*\)\s+FROM\s+([\w/.\-\"]+)(?:\s+WHERE\s+(.+?))?\s*",
            query,
            flags=re.IGNORECASE,
        )
        if not match:
            raise UnsupportedExpression(f"Metrics Insights query not evaluated locally: {query!r}")
        function, metric_name, namespace, where = match.groups()
        dimensions: list[tuple[str, str]] = []
        for condition in re.split(r"\s+AND\s+", where or "", flags=re.IGNORECASE):
            if not condition.strip():
                continue
            pair = re.fullmatch(r"\s*\"?(\w+)\"?\s*=\s*'([^']*)'\s*", condition)
            if not pair:
                raise UnsupportedExpression(f"Metrics Insights condition not evaluated locally: {condition!r}")
            dimensions.append((pair.group(1), pair.group(2)))
        stat = {"SUM": "Sum", "AVG": "Average", "MIN": "Minimum", "MAX": "Maximum", "COUNT": "SampleCount"}[
            function.upper()
        ]
        # moto matches dimensions as a subset, which is exactly "every series with these dimension values".
        return self.series(MetricSpec(namespace.strip('"'), metric_name, tuple(dimensions), stat), window)

    # -- metric math ------------------------------------------------------------------------------------------------
    def expression(
        self, text: str, window: Window, resolve: Callable[[str], Series | LabeledSeries], *, period_override: bool
    ) -> Series | LabeledSeries:
        if text.lstrip().upper().startswith("SELECT"):
            return self.insights(text, window)
        value = _Parser(text, self, window, resolve, period_override).parse()
        if isinstance(value, float):
            return {bucket: value for bucket in window.buckets()}
        return value


Value = float | Series | LabeledSeries


def _combine(left: Value, right: Value, operate: Callable[[float, float], float]) -> Value:
    if isinstance(left, list):
        return [(label, _as_series(_combine(points, right, operate))) for label, points in left]
    if isinstance(right, list):
        return [(label, _as_series(_combine(left, points, operate))) for label, points in right]
    if isinstance(left, float) and isinstance(right, float):
        return operate(left, right)
    if isinstance(left, float):
        assert isinstance(right, dict)
        return _apply({k: left for k in right}, right, operate)
    if isinstance(right, float):
        return _apply(left, {k: right for k in left}, operate)
    return _apply(left, right, operate)


def _apply(left: Series, right: Series, operate: Callable[[float, float], float]) -> Series:
    result: Series = {}
    for bucket in sorted(left.keys() & right.keys()):  # a timestamp missing on either side is missing in the result
        try:
            result[bucket] = operate(left[bucket], right[bucket])
        except ZeroDivisionError:
            continue
    return result


def _as_series(value: Value) -> Series:
    if isinstance(value, dict):
        return value
    raise UnsupportedExpression("nested series lists")


def _reduce(value: Value, combine: Callable[[list[float]], float]) -> Series:
    """SUM/AVG/MIN/MAX across series, timestamp by timestamp (a single series passes through)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, float):
        raise UnsupportedExpression("an aggregate of a number")
    buckets: dict[int, list[float]] = {}
    for _, points in value:
        for bucket, number in points.items():
            buckets.setdefault(bucket, []).append(number)
    return {bucket: combine(numbers) for bucket, numbers in sorted(buckets.items())}


_FUNCTIONS = frozenset({"SEARCH", "FILL", "SUM", "AVG", "MIN", "MAX", "ABS"})
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|('(?:[^'\\]|\\.)*')|(\S))")


class _Parser:
    """Recursive descent over CloudWatch metric math: + - * /, parentheses, ids, numbers, a few functions."""

    def __init__(
        self,
        text: str,
        queries: MetricQueries,
        window: Window,
        resolve: Callable[[str], Series | LabeledSeries],
        period_override: bool,
    ) -> None:
        self.text = text
        self.queries = queries
        self.window = window
        self.resolve = resolve
        self.period_override = period_override
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                break
            position = match.end()
            number, name, string, symbol = match.groups()
            if number:
                self.tokens.append(("number", number))
            elif name:
                self.tokens.append(("name", name))
            elif string:
                self.tokens.append(("string", string[1:-1].replace("\\'", "'")))
            elif symbol:
                self.tokens.append(("symbol", symbol))
        self.index = 0

    def parse(self) -> Value:
        value = self._sum()
        if self.index != len(self.tokens):
            raise UnsupportedExpression(f"unexpected {self.tokens[self.index][1]!r} in {self.text!r}")
        return value

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _take(self, symbol: str | None = None) -> tuple[str, str]:
        token = self._peek()
        if token is None or (symbol is not None and token != ("symbol", symbol)):
            raise UnsupportedExpression(f"expected {symbol or 'a term'} in {self.text!r}")
        self.index += 1
        return token

    def _sum(self) -> Value:
        value = self._product()
        while (token := self._peek()) in (("symbol", "+"), ("symbol", "-")):
            self._take()
            right = self._product()
            value = _combine(value, right, (lambda a, b: a + b) if token == ("symbol", "+") else (lambda a, b: a - b))
        return value

    def _product(self) -> Value:
        value = self._unary()
        while (token := self._peek()) in (("symbol", "*"), ("symbol", "/")):
            self._take()
            right = self._unary()
            value = _combine(value, right, (lambda a, b: a * b) if token == ("symbol", "*") else (lambda a, b: a / b))
        return value

    def _unary(self) -> Value:
        if self._peek() == ("symbol", "-"):
            self._take()
            return _combine(-1.0, self._unary(), lambda a, b: a * b)
        return self._atom()

    def _atom(self) -> Value:
        kind, text = self._take()
        if kind == "number":
            return float(text)
        if (kind, text) == ("symbol", "("):
            value = self._sum()
            self._take(")")
            return value
        if kind == "name" and self._peek() == ("symbol", "("):
            return self._call(text.upper())
        if kind == "name":
            return self.resolve(text)
        raise UnsupportedExpression(f"unexpected {text!r} in {self.text!r}")

    def _arguments(self) -> list[Value | str]:
        self._take("(")
        arguments: list[Value | str] = []
        while self._peek() != ("symbol", ")"):
            token = self._peek()
            if token is not None and token[0] == "string":
                self._take()
                arguments.append(token[1])
            else:
                arguments.append(self._sum())
            if self._peek() == ("symbol", ","):
                self._take()
        self._take(")")
        return arguments

    def _call(self, function: str) -> Value:
        if function not in _FUNCTIONS:
            raise UnsupportedExpression(f"function {function} is not evaluated locally")
        arguments = self._arguments()
        if function == "SEARCH":
            if len(arguments) < 2 or not all(isinstance(a, str) for a in arguments[:2]):
                raise UnsupportedExpression("SEARCH needs a query and a statistic")
            window = self.window
            if len(arguments) > 2 and isinstance(arguments[2], float) and not self.period_override:
                window = window.with_period(int(arguments[2]))
            return self.queries.search(str(arguments[0]), str(arguments[1]), window)
        if function == "FILL":
            if len(arguments) != 2 or not isinstance(arguments[1], float):
                raise UnsupportedExpression("FILL(series, number) only")
            target, filler = arguments[0], arguments[1]
            if isinstance(target, str):
                raise UnsupportedExpression("FILL of a string")

            def fill(points: Series) -> Series:
                return {bucket: points.get(bucket, filler) for bucket in self.window.buckets()}

            if isinstance(target, list):
                return [(label, fill(points)) for label, points in target]
            if isinstance(target, float):
                return fill({})
            return fill(target)
        reducers: dict[str, Callable[[list[float]], float]] = {
            "SUM": sum,
            "AVG": lambda numbers: sum(numbers) / len(numbers),
            "MIN": min,
            "MAX": max,
        }
        if function in reducers and len(arguments) == 1 and not isinstance(arguments[0], str):
            return _reduce(arguments[0], reducers[function])
        if function == "ABS" and len(arguments) == 1 and not isinstance(arguments[0], str):
            return _combine(arguments[0], 0.0, lambda a, _: abs(a))
        raise UnsupportedExpression(f"function {function} is not evaluated locally")


# -- alarms ---------------------------------------------------------------------------------------------------------

_COMPARISONS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "GreaterThanThreshold": ("greater than", lambda v, t: v > t),
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda v, t: v >= t),
    "LessThanThreshold": ("less than", lambda v, t: v < t),
    "LessThanOrEqualToThreshold": ("less than or equal to", lambda v, t: v <= t),
}


@dataclass
class AlarmOutcome:
    name: str
    state: str
    reason: str
    datapoints: list[float | None] = field(default_factory=list)  # oldest first, one per evaluation period
    threshold: float | None = None

    def reason_data(self, now: float) -> str:
        return json.dumps(
            {
                "version": "1.0",
                "queryDate": datetime.fromtimestamp(now, tz=UTC).isoformat(),
                "recentDatapoints": [v for v in self.datapoints if v is not None],
                "threshold": self.threshold,
                "evaluator": "localcloud",
            }
        )


def _alarm_period(alarm: dict[str, Any]) -> int:
    if alarm.get("Period"):
        return int(alarm["Period"])
    for query in alarm.get("Metrics") or []:
        if query.get("ReturnData", True):
            if query.get("Period"):
                return int(query["Period"])
            if query.get("MetricStat", {}).get("Period"):
                return int(query["MetricStat"]["Period"])
    for query in alarm.get("Metrics") or []:
        if query.get("MetricStat", {}).get("Period"):
            return int(query["MetricStat"]["Period"])
    return 60


def alarm_series(alarm: dict[str, Any], queries: MetricQueries, window: Window) -> Series:
    """The one time series an alarm watches: a single metric, or the ReturnData query of its metric math."""
    if alarm.get("MetricName"):
        stat = alarm.get("ExtendedStatistic") or alarm.get("Statistic") or "Average"
        dims = tuple((d["Name"], d["Value"]) for d in alarm.get("Dimensions") or [])
        return queries.series(MetricSpec(alarm["Namespace"], alarm["MetricName"], dims, stat), window)
    metrics = alarm.get("Metrics") or []
    if not metrics:
        raise UnsupportedExpression("the alarm has neither a metric nor metric queries")
    by_id = {query["Id"]: query for query in metrics}
    cache: dict[str, Series | LabeledSeries] = {}

    def resolve(query_id: str) -> Series | LabeledSeries:
        if query_id not in cache:
            if query_id not in by_id:
                raise UnsupportedExpression(f"unknown id {query_id}")
            query = by_id[query_id]
            if "MetricStat" in query:
                stat = query["MetricStat"]
                metric = stat["Metric"]
                dims = tuple((d["Name"], d["Value"]) for d in metric.get("Dimensions") or [])
                spec = MetricSpec(metric["Namespace"], metric["MetricName"], dims, stat["Stat"])
                cache[query_id] = queries.series(spec, window)
            else:
                cache[query_id] = queries.expression(query["Expression"], window, resolve, period_override=True)
        return cache[query_id]

    returned = [query for query in metrics if query.get("ReturnData", True)]
    if len(returned) != 1:
        raise UnsupportedExpression("an alarm needs exactly one query with ReturnData")
    value = resolve(returned[0]["Id"])
    if isinstance(value, list):
        raise UnsupportedExpression("the alarm's expression returns several series")
    return value


def evaluate_alarm(alarm: dict[str, Any], queries: MetricQueries, now: float | None = None) -> AlarmOutcome:
    """What CloudWatch would decide now: M of the last N periods (the current one included) against the threshold."""
    now = time.time() if now is None else now
    name = alarm["AlarmName"]
    period = _alarm_period(alarm)
    periods = int(alarm.get("EvaluationPeriods") or 1)
    needed = int(alarm.get("DatapointsToAlarm") or periods)
    threshold = alarm.get("Threshold")
    comparison = _COMPARISONS.get(str(alarm.get("ComparisonOperator")))
    if comparison is None or threshold is None:
        reason = f"comparison {alarm.get('ComparisonOperator')} (anomaly bands) is not evaluated locally"
        return AlarmOutcome(name, "INSUFFICIENT_DATA", EVALUATOR_MARK + reason)
    words, breaches = comparison
    current = Window(0, now, period).bucket(now)
    window = Window(current - (periods - 1) * period, now, period)
    try:
        points = alarm_series(alarm, queries, window)
    except UnsupportedExpression as exc:
        return AlarmOutcome(name, "INSUFFICIENT_DATA", f"{EVALUATOR_MARK}{exc}", threshold=threshold)
    values: list[float | None] = [points.get(bucket) for bucket in window.buckets()][-periods:]
    treat = str(alarm.get("TreatMissingData") or "missing")
    present = [v for v in values if v is not None]
    breaching = sum(1 for v in present if breaches(v, float(threshold)))
    if treat == "breaching":
        breaching += len(values) - len(present)
    shown = ", ".join("missing" if v is None else f"{v:g}" for v in values)
    if not present and treat in ("missing", "ignore"):
        state = "INSUFFICIENT_DATA" if treat == "missing" else str(alarm.get("StateValue", "OK"))
        reason = f"no datapoints in the last {periods} period(s) of {period} s (TreatMissingData={treat})"
        return AlarmOutcome(name, state, EVALUATOR_MARK + reason, values, float(threshold))
    state = "ALARM" if breaching >= needed else "OK"
    reason = (
        f"{breaching} out of the last {len(values)} datapoints [{shown}] were {words} the threshold ({threshold:g})"
        f" (minimum {needed} for ALARM; TreatMissingData={treat})"
    )
    return AlarmOutcome(name, state, EVALUATOR_MARK + reason, values, float(threshold))


class AlarmEvaluator:
    """Every `interval` seconds, evaluates each alarm in the emulator and sets its state when it changes.

    A state set by someone else (set_alarm_state, to test notifications or the dashboard) is left alone for
    `manual_hold` seconds; CloudWatch would overwrite it at its next evaluation, a minute later at most.
    """

    def __init__(
        self,
        queries: MetricQueries | None = None,
        *,
        interval: float | None = None,
        manual_hold: float | None = None,
        alarm_names: Iterable[str] | None = None,
    ) -> None:
        self.queries = queries or MetricQueries()
        self.interval = interval if interval is not None else float(os.environ.get("RADAR_ALARM_INTERVAL", "10"))
        self.manual_hold = (
            manual_hold if manual_hold is not None else float(os.environ.get("RADAR_ALARM_MANUAL_HOLD", "120"))
        )
        self.alarm_names = list(alarm_names) if alarm_names is not None else None
        self.outcomes: dict[str, AlarmOutcome] = {}
        self.evaluations = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def describe(self) -> list[dict[str, Any]]:
        cloudwatch = self.queries._cloudwatch()
        alarms: list[dict[str, Any]] = []
        args: dict[str, Any] = {}
        if self.alarm_names is not None:
            args["AlarmNames"] = self.alarm_names
        while True:
            page = cloudwatch.describe_alarms(**args)
            alarms += page.get("MetricAlarms", [])
            if not page.get("NextToken"):
                return alarms
            args["NextToken"] = page["NextToken"]

    def _held(self, alarm: dict[str, Any], now: float) -> bool:
        reason = str(alarm.get("StateReason", ""))
        if reason.startswith(EVALUATOR_MARK) or reason.startswith(INITIAL_REASON):
            return False
        updated = alarm.get("StateUpdatedTimestamp")
        return isinstance(updated, datetime) and now - updated.timestamp() < self.manual_hold

    def evaluate_all(self, now: float | None = None) -> dict[str, AlarmOutcome]:
        now = time.time() if now is None else now
        cloudwatch = self.queries._cloudwatch()
        for alarm in self.describe():
            outcome = evaluate_alarm(alarm, self.queries, now)
            self.outcomes[outcome.name] = outcome
            unchanged = outcome.state == alarm.get("StateValue")
            if self._held(alarm, now) or (unchanged and not str(alarm.get("StateReason")).startswith(INITIAL_REASON)):
                continue  # only transitions are recorded (and the first evaluation, so the reason says why)
            cloudwatch.set_alarm_state(
                AlarmName=outcome.name,
                StateValue=outcome.state,
                StateReason=outcome.reason[:1023],
                StateReasonData=outcome.reason_data(now),
            )
        self.evaluations += 1
        return self.outcomes

    def start(self) -> AlarmEvaluator:
        self._thread = threading.Thread(target=self._run, name="alarm-evaluator", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.evaluate_all()
                self.last_error = None
            except Exception as exc:  # the emulator going away must not kill the thread mid-shutdown
                self.last_error = f"{type(exc).__name__}: {exc}"
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

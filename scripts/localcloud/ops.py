"""The local cloud's operations side: platform metrics, alarm evaluation, X-Ray relay and the dashboard web page."""

from __future__ import annotations

import contextlib
import html
import json
import math
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from botocore.exceptions import BotoCoreError, ClientError

from scripts.localcloud.alarms import (
    AlarmEvaluator,
    LabeledSeries,
    MetricQueries,
    MetricSpec,
    Series,
    UnsupportedExpression,
    Window,
)
from scripts.localcloud.aws import client
from scripts.localcloud.ports import PortTaken
from scripts.localcloud.xray import XRayRelay

__all__ = [
    "DEFAULT_PERIOD",
    "DEFAULT_RANGE",
    "OpsServer",
    "PlatformMetrics",
    "alarm_states",
    "dashboard_names",
    "load_dashboard",
    "render_dashboard",
    "start_ops_server",
]

STATIC = Path(__file__).resolve().parent / "static"
RUNBOOKS = Path(__file__).resolve().parents[2] / "docs" / "runbooks"  # one page per alarm, named after it
DEFAULT_RANGE = 3600  # seconds of history on the page
# Local traffic lives minutes, not hours: one-minute buckets for widgets whose template sets no period (a widget's own
# period, such as "Checks per hour", always wins).
DEFAULT_PERIOD = 60
# Alarm chips and lists, worst first.
STATE_ORDER = {"ALARM": 0, "INSUFFICIENT_DATA": 1, "UNKNOWN": 2, "OK": 3}
_COMPARISON = {
    "GreaterThanThreshold": ">",
    "GreaterThanOrEqualToThreshold": ">=",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "<=",
}


# -- platform metrics -----------------------------------------------------------------------------------------------


class _Buffer:
    """Datapoints for one put_metric_data namespace, accumulated off the request path."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, tuple[tuple[str, str], ...], str], list[float]] = defaultdict(list)
        self.lock = threading.Lock()

    def add(self, metric: str, dimensions: tuple[tuple[str, str], ...], value: float, unit: str = "Count") -> None:
        with self.lock:
            self.values[(metric, dimensions, unit)].append(value)

    def drain(self) -> list[dict[str, Any]]:
        with self.lock:
            values, self.values = self.values, defaultdict(list)
        now = datetime.now(UTC)
        data = []
        for (metric, dimensions, unit), numbers in values.items():
            counted: dict[float, int] = defaultdict(int)
            for number in numbers:
                counted[number] += 1
            data.append(
                {
                    "MetricName": metric,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in dimensions],
                    "Timestamp": now,
                    "Unit": unit,
                    "Values": list(counted),
                    "Counts": [float(c) for c in counted.values()],
                }
            )
        return data


class PlatformMetrics:
    """What AWS publishes by itself and moto does not: AWS/Lambda, AWS/ApiGateway and AWS/SQS metrics.

    Observes each function runtime's invoke and the gateway's handle (wrapping them; behaviour unchanged) and
    samples queue depths, then publishes once a second with the dimensions the template's alarms and dashboards use.
    """

    def __init__(self, cloud: Any, interval: float = 1.0, queue_interval: float = 5.0) -> None:
        self.cloud = cloud
        self.interval = interval
        self.queue_interval = queue_interval
        self.buffers: dict[str, _Buffer] = defaultdict(_Buffer)
        self.published = 0
        self._local = threading.local()
        self._restore: list[tuple[Any, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="platform-metrics", daemon=True)
        self.api_name = self._api_name()
        self.queues = self._queues()

    def _api_name(self) -> str:
        template = self.cloud.template
        if template is None:
            return ""
        for _, resource in template.of_type("AWS::ApiGateway::RestApi"):
            return str(template.try_resolve(resource.get("Properties", {}).get("Name")) or "")
        return ""

    def _queues(self) -> dict[str, str]:
        """Queue name -> URL for every queue of the template."""
        template = self.cloud.template
        if template is None:
            return {}
        found = {}
        for logical_id, _ in template.of_type("AWS::SQS::Queue"):
            url = template.refs.get(logical_id)
            name = template.attrs.get(logical_id, {}).get("QueueName") or (str(url).rsplit("/", 1)[-1] if url else None)
            if url and name:
                found[str(name)] = str(url)
        return found

    def install(self) -> PlatformMetrics:
        authorizer_functions = set()
        gateway = self.cloud.gateway
        if gateway is not None:
            authorizer_functions = {a.function_logical_id for a in gateway.spec.authorizers.values()}
            self._wrap(gateway, "handle", self._observe_request)
        for logical_id, runtime in self.cloud.runtimes.items():
            self._wrap(runtime, "invoke", self._observe_invoke(runtime.spec.name, logical_id in authorizer_functions))
        self._thread.start()
        return self

    def _wrap(self, target: Any, attribute: str, make: Any) -> None:
        original = getattr(target, attribute)
        setattr(target, attribute, make(original))
        self._restore.append((target, attribute))

    def _observe_request(self, handle: Any) -> Any:
        extra_routes = tuple(getattr(self.cloud.gateway, "extra_routes", {}) or {})

        def observed(request: Any) -> Any:
            if any(request.path == p or request.path.startswith(p.rstrip("/") + "/") for p in extra_routes):
                return handle(request)  # docs and other local pages are not API traffic
            self._local.integration_ms = None
            started = time.perf_counter()
            response = handle(request)
            latency = (time.perf_counter() - started) * 1000
            dims = (("ApiName", self.api_name),)
            buffer = self.buffers["AWS/ApiGateway"]
            buffer.add("Count", dims, 1.0)
            buffer.add("4XXError", dims, 1.0 if 400 <= response.status < 500 else 0.0)
            buffer.add("5XXError", dims, 1.0 if response.status >= 500 else 0.0)
            buffer.add("Latency", dims, round(latency, 3), "Milliseconds")
            if self._local.integration_ms is not None:
                buffer.add("IntegrationLatency", dims, round(self._local.integration_ms, 3), "Milliseconds")
            return response

        return observed

    def _observe_invoke(self, function_name: str, is_authorizer: bool) -> Any:
        def make(invoke: Any) -> Any:
            def observed(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                result = invoke(*args, **kwargs)
                elapsed = (time.perf_counter() - started) * 1000
                dims = (("FunctionName", function_name),)
                buffer = self.buffers["AWS/Lambda"]
                error_type = (result.error or {}).get("errorType")
                if error_type == "TooManyRequestsException":
                    buffer.add("Throttles", dims, 1.0)
                    return result
                buffer.add("Invocations", dims, 1.0)
                buffer.add("Errors", dims, 0.0 if result.ok else 1.0)
                buffer.add("Throttles", dims, 0.0)
                buffer.add("Duration", dims, round(result.duration_ms or elapsed, 3), "Milliseconds")
                if not is_authorizer and hasattr(self._local, "integration_ms"):
                    self._local.integration_ms = (self._local.integration_ms or 0.0) + elapsed
                return result

            return observed

        return make

    def _sample_queues(self) -> None:
        sqs = client("sqs")
        for name, url in self.queues.items():
            try:
                attributes = sqs.get_queue_attributes(
                    QueueUrl=url,
                    AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
                )["Attributes"]
            except (BotoCoreError, ClientError):
                continue
            dims = (("QueueName", name),)
            buffer = self.buffers["AWS/SQS"]
            buffer.add("ApproximateNumberOfMessagesVisible", dims, float(attributes["ApproximateNumberOfMessages"]))
            in_flight = float(attributes["ApproximateNumberOfMessagesNotVisible"])
            buffer.add("ApproximateNumberOfMessagesNotVisible", dims, in_flight)

    def flush(self) -> None:
        cloudwatch = client("cloudwatch")
        for namespace, buffer in list(self.buffers.items()):
            data = buffer.drain()
            for start in range(0, len(data), 500):
                with contextlib.suppress(BotoCoreError, ClientError):
                    cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start : start + 500])
                    self.published += len(data[start : start + 500])

    def _run(self) -> None:
        last_sample = 0.0
        while not self._stop.wait(self.interval):
            if time.monotonic() - last_sample >= self.queue_interval:
                self._sample_queues()
                last_sample = time.monotonic()
            self.flush()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for target, attribute in self._restore:
            with contextlib.suppress(AttributeError):
                delattr(target, attribute)  # the instance attribute hides the class's method: drop it
        with contextlib.suppress(BotoCoreError, ClientError):
            self.flush()


# -- dashboards -----------------------------------------------------------------------------------------------------


def dashboard_names(first: list[str] | None = None) -> list[str]:
    """The emulator's dashboards: those named in `first` in that order (the template's), then the rest by name."""
    entries = client("cloudwatch").list_dashboards().get("DashboardEntries", [])
    names = sorted(entry["DashboardName"] for entry in entries)
    preferred = [name for name in first or [] if name in names]
    return preferred + [name for name in names if name not in preferred]


def load_dashboard(name: str) -> dict[str, Any]:
    return dict(json.loads(client("cloudwatch").get_dashboard(DashboardName=name)["DashboardBody"]))


def describe_alarms(names: list[str] | None = None) -> list[dict[str, Any]]:
    cloudwatch = client("cloudwatch")
    args: dict[str, Any] = {"AlarmNames": names} if names else {}
    alarms: list[dict[str, Any]] = []
    while True:
        page = cloudwatch.describe_alarms(**args)
        alarms += page.get("MetricAlarms", [])
        if not page.get("NextToken"):
            break
        args["NextToken"] = page["NextToken"]
    return alarms


def runbook_url(alarm_name: str) -> str | None:
    """The page's link to an alarm's runbook (docs/runbooks/<alarm>.md), when there is one."""
    return f"/runbooks/{alarm_name}" if (RUNBOOKS / f"{alarm_name}.md").is_file() else None


def alarm_sort_key(alarm: dict[str, Any]) -> tuple[int, str]:
    return STATE_ORDER.get(str(alarm.get("state")), len(STATE_ORDER)), str(alarm.get("name"))


def alarm_states(names: list[str] | None = None, alarms: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Name, state, reason, last change and runbook of each alarm, ALARM first, then INSUFFICIENT_DATA, then OK."""
    found = [
        {
            "name": alarm["AlarmName"],
            "state": alarm["StateValue"],
            "reason": alarm.get("StateReason", ""),
            "updated": alarm["StateUpdatedTimestamp"].isoformat() if alarm.get("StateUpdatedTimestamp") else None,
            "runbook": runbook_url(alarm["AlarmName"]),
        }
        for alarm in (describe_alarms(names) if alarms is None else alarms)
    ]
    return sorted(found, key=alarm_sort_key)


# -- which alarm watches which widget --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MetricKey:
    """A metric a widget plots or an alarm reads: dimensions and statistic None when an expression leaves them open."""

    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...] | None = None
    stat: str | None = None

    def same_quantity(self, other: MetricKey) -> bool:
        """The same metric (dimensions and statistic equal wherever both say), so one's threshold means the other."""
        return (
            (self.namespace, self.metric) == (other.namespace, other.metric)
            and (self.dimensions is None or other.dimensions is None or self.dimensions == other.dimensions)
            and (self.stat is None or other.stat is None or self.stat.lower() == other.stat.lower())
        )


_SEARCH = re.compile(r"SEARCH\(\s*'([^']*)'\s*(?:,\s*'(\w+)')?")
_SEARCH_METRIC = re.compile(r'MetricName\s*=\s*"([^"]+)"')
_SEARCH_NAMESPACE = re.compile(r'Namespace\s*=\s*"([^"]+)"|\{\s*"?([^,}"]+)')
_INSIGHTS = re.compile(r"SELECT\s+(\w+)\(\s*(\w+)\s*\)\s+FROM\s+(?:SCHEMA\(\s*)?\"?([\w/.:-]+)", re.IGNORECASE)
_INSIGHTS_STATS = {"SUM": "Sum", "AVG": "Average", "MIN": "Minimum", "MAX": "Maximum", "COUNT": "SampleCount"}
_ADDITIVE = ("Sum", "SampleCount")  # statistics that grow with the period


def _expression_keys(expression: str) -> list[MetricKey]:
    """The metrics a SEARCH or Metrics Insights expression reads (any dimensions), with its statistic."""
    keys = [MetricKey(namespace, metric, None, _INSIGHTS_STATS.get(function.upper()))
            for function, metric, namespace in _INSIGHTS.findall(expression)]
    for search, stat in _SEARCH.findall(expression):
        namespace = next((a or b for a, b in _SEARCH_NAMESPACE.findall(search)), "")
        keys += [MetricKey(namespace.strip(), metric, None, stat or None) for metric in _SEARCH_METRIC.findall(search)]
    return keys


def _dims(dimensions: list[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(d["Name"]), str(d["Value"])) for d in dimensions))


def _alarm_keys(alarm: dict[str, Any]) -> list[MetricKey]:
    if alarm.get("MetricName"):
        stat = alarm.get("ExtendedStatistic") or alarm.get("Statistic")
        return [MetricKey(str(alarm.get("Namespace")), str(alarm["MetricName"]), _dims(alarm.get("Dimensions", [])),
                          stat)]
    keys: list[MetricKey] = []
    for query in alarm.get("Metrics", []):
        stat_query = query.get("MetricStat") or {}
        metric = stat_query.get("Metric")
        if metric:
            keys.append(MetricKey(str(metric.get("Namespace")), str(metric["MetricName"]),
                                  _dims(metric.get("Dimensions", [])), stat_query.get("Stat")))
        elif query.get("Expression"):
            keys += _expression_keys(str(query["Expression"]))
    return keys


def _alarm_period(alarm: dict[str, Any]) -> int | None:
    if alarm.get("Period"):
        return int(alarm["Period"])
    periods = [int(q.get("Period") or (q.get("MetricStat") or {}).get("Period") or 0) for q in alarm.get("Metrics", [])]
    return max(periods) if any(periods) else None


def thresholds(widget_keys: list[MetricKey], alarms: list[dict[str, Any]], period: int) -> list[dict[str, Any]]:
    """A threshold line for each alarm that watches a quantity the widget plots. A threshold on a sum over the
    alarm's period is drawn at the same rate over the widget's period (5 per 300 s is 1 per 60 s)."""
    lines = []
    for alarm in alarms:
        keys = _alarm_keys(alarm)
        matched = [k for k in keys if any(k.same_quantity(mine) for mine in widget_keys)]
        if alarm.get("Threshold") is None or not matched:
            continue
        stat = next((k.stat for k in matched if k.stat), None) or next((m.stat for m in widget_keys if m.stat), "")
        alarm_period = _alarm_period(alarm)
        value = float(alarm["Threshold"])
        scaled = bool(alarm_period and stat in _ADDITIVE and alarm_period != period)
        lines.append({
            "alarm": alarm["AlarmName"],
            "threshold": value,
            "value": value * period / alarm_period if scaled and alarm_period else value,
            "scaled": scaled,
            "period": alarm_period,
            "state": alarm.get("StateValue", "UNKNOWN"),
            "comparison": _COMPARISON.get(str(alarm.get("ComparisonOperator")), "?"),
            "detail": " ".join(part for part in (stat, f"per {alarm_period} s" if alarm_period else "") if part),
            "runbook": runbook_url(alarm["AlarmName"]),
        })
    return sorted(lines, key=lambda line: (line["value"], line["alarm"]))


def _metric_entries(properties: dict[str, Any]) -> list[tuple[dict[str, Any], MetricSpec | None]]:
    """A metric widget's `metrics` rows: (options, metric) with `"."` meaning "same as the row above"."""
    rows: list[tuple[dict[str, Any], MetricSpec | None]] = []
    previous: list[Any] = []
    for row in properties.get("metrics", []):
        options = row[-1] if row and isinstance(row[-1], dict) else {}
        fields = list(row[:-1] if options else row)
        if not fields:
            rows.append((options, None))  # an expression row
            continue
        fields = [previous[i] if value == "." and i < len(previous) else value for i, value in enumerate(fields)]
        previous = fields
        namespace, metric_name, *pairs = fields
        dims = tuple((str(pairs[i]), str(pairs[i + 1])) for i in range(0, len(pairs) - 1, 2))
        stat = str(options.get("stat") or properties.get("stat") or "Average")
        rows.append((options, MetricSpec(str(namespace), str(metric_name), dims, stat)))
    return rows


def _points(series: Series) -> list[list[float]]:
    return [[bucket, round(value, 6)] for bucket, value in sorted(series.items())]


def _last_value(points: list[list[float]], period: int, now: float, single: bool) -> dict[str, Any] | None:
    """The latest datapoint, and whether it is stale: older than the bucket before the one `now` is in (a series
    that stopped reporting shows its last value, marked, instead of looking current)."""
    if not points:
        return None
    bucket, value = points[-1]
    current = math.floor(now / period) * period
    return {"t": bucket, "value": value, "stale": not single and bucket < current - period}


def _metric_widget(
    properties: dict[str, Any],
    queries: MetricQueries,
    now: float,
    range_s: int,
    period: int | None,
    alarms: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A metric widget's series. Each row's own period (or the widget's) wins; `period` applies to rows the template
    gives none, and None means the template's default (300 s)."""
    single = bool(properties.get("view") == "singleValue" and properties.get("setPeriodToTimeRange"))
    rows = _metric_entries(properties)
    cache: dict[str, Series | LabeledSeries] = {}
    by_id = {options["id"]: (options, spec) for options, spec in rows if options.get("id")}
    errors: list[str] = []

    def own_period(options: dict[str, Any]) -> int | None:
        value = options.get("period") or properties.get("period")
        return int(value) if value else None

    def window_for(options: dict[str, Any]) -> Window:
        if single:  # one value over the whole range, as CloudWatch's "period = time range"
            return Window(now - range_s, now, range_s, origin=now - range_s)
        return Window(now - range_s, now, own_period(options) or period or 300)

    def compute(options: dict[str, Any], spec: MetricSpec | None) -> Series | LabeledSeries:
        window = window_for(options)
        if spec is not None:
            return queries.series(spec, window)
        # The page's period replaces a SEARCH's own only where the template set no period for the row.
        override = single or (period is not None and own_period(options) is None)
        return queries.expression(str(options.get("expression", "")), window, resolve, period_override=override)

    def resolve(query_id: str) -> Series | LabeledSeries:
        if query_id not in cache:
            if query_id not in by_id:
                raise UnsupportedExpression(f"unknown id {query_id}")
            cache[query_id] = compute(*by_id[query_id])
        return cache[query_id]

    series_out: list[dict[str, Any]] = []
    periods: set[int] = set()
    for options, spec in rows:
        if options.get("visible") is False:
            continue
        label = str(options.get("label") or (spec.label if spec else options.get("expression", "")))
        row_period = window_for(options).period
        try:
            value = resolve(options["id"]) if options.get("id") else compute(options, spec)
        except UnsupportedExpression as exc:
            errors.append(f"{label}: {exc}")
            continue
        periods.add(row_period)
        found = value if isinstance(value, list) else [("", value)]
        for sub_label, series in found:
            points = _points(series)
            series_out.append({
                "label": f"{label} {sub_label}".strip(),
                "points": points,
                "period": row_period,
                "last": _last_value(points, row_period, now, single),
            })
    widget_keys: list[MetricKey] = []
    for options, spec in rows:
        if spec is not None:
            widget_keys.append(MetricKey(spec.namespace, spec.metric_name, tuple(sorted(spec.dimensions)), spec.stat))
        elif options.get("expression"):
            widget_keys += _expression_keys(str(options["expression"]))
    widget_period = max(periods) if periods else (period or 300)
    return {
        "view": "singleValue" if properties.get("view") == "singleValue" else "timeSeries",
        "stacked": bool(properties.get("stacked")),
        "yAxis": properties.get("yAxis", {}),
        "period": widget_period,
        "series": series_out,
        "thresholds": thresholds(widget_keys, alarms or [], widget_period),
        "errors": errors,
    }


def render_dashboard(
    body: dict[str, Any],
    queries: MetricQueries | None = None,
    *,
    now: float | None = None,
    range_s: int = DEFAULT_RANGE,
    period: int | None = DEFAULT_PERIOD,
) -> dict[str, Any]:
    """A dashboard body with data: each widget keeps its grid place; charts get series, alarm widgets get states."""
    queries = queries or MetricQueries(memoize_listings=True)  # one render: its listings do not change under it
    now = time.time() if now is None else now
    described = describe_alarms()
    states = {alarm["name"]: alarm for alarm in alarm_states(alarms=described)}
    widgets = []
    for widget in body.get("widgets", []):
        properties = widget.get("properties", {})
        rendered: dict[str, Any] = {
            "type": widget.get("type"),
            "x": int(widget.get("x", 0)),
            "y": int(widget.get("y", 0)),
            "width": int(widget.get("width", 6)),
            "height": int(widget.get("height", 6)),
            "title": properties.get("title", ""),
        }
        if widget.get("type") == "text":
            rendered["markdown"] = properties.get("markdown", "")
        elif widget.get("type") == "alarm":
            names = [str(arn).rsplit(":alarm:", 1)[-1] for arn in properties.get("alarms", [])]
            missing = {"state": "UNKNOWN", "reason": "not in the emulator", "updated": None}
            chips = [states.get(name, {"name": name, **missing, "runbook": runbook_url(name)}) for name in names]
            rendered["alarms"] = sorted(chips, key=alarm_sort_key)
        elif widget.get("type") == "metric":
            rendered.update(_metric_widget(properties, queries, now, range_s, period, described))
        widgets.append(rendered)
    return {
        "generated_at": datetime.fromtimestamp(now, tz=UTC).isoformat(),
        "now": now,
        "range": range_s,
        "period": period,
        "widgets": widgets,
        "alarms": list(states.values()),
    }


# -- runbooks ---------------------------------------------------------------------------------------------------------

_RUNBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _inline(text: str) -> str:
    """Escaped text with the inline Markdown runbooks use: `code`, **bold**, [links](other-runbook.md)."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)

    def link(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.endswith(".md") and "/" not in target:
            target = "/runbooks/" + target.removesuffix(".md")
        elif not target.startswith(("http://", "https://", "/")):
            return match.group(1)  # a repository path: no page here
        return f'<a href="{html.escape(target)}">{match.group(1)}</a>'

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, out)


def render_runbook(markdown: str, title: str) -> str:
    """A runbook as a small offline HTML page: headings, paragraphs, lists, code blocks, inline code and links."""
    body: list[str] = []
    lists: list[str] = []  # open list tags
    code: list[str] | None = None
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            body.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_lists() -> None:
        while lists:
            body.append(f"</{lists.pop()}>")

    indent = 0  # of the open code fence: its lines lose that much
    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            if code is None:
                flush_paragraph()
                code, indent = [], len(raw) - len(raw.lstrip())
                continue
            block = "<pre><code>" + html.escape("\n".join(code)) + "</code></pre>"
            if lists and indent:  # a code block inside a list item belongs to that item
                body[-1] = body[-1].removesuffix("</li>") + block + "</li>"
            else:
                body.append(block)
            code = None
            continue
        if code is not None:
            code.append(raw[min(indent, len(raw) - len(raw.lstrip())):].rstrip())
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        item = re.match(r"^(-|\d+\.)\s+(.*)$", line)
        if heading:
            flush_paragraph()
            close_lists()
            level = len(heading.group(1))
            body.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif item:
            flush_paragraph()
            kind = "ul" if item.group(1) == "-" else "ol"
            if lists and lists[-1] != kind:
                close_lists()
            if not lists:
                body.append(f"<{kind}>")
                lists.append(kind)
            body.append(f"<li>{_inline(item.group(2))}</li>")
        elif not line:
            flush_paragraph()
            close_lists()
        elif lists and raw.startswith("  "):
            body[-1] = body[-1].removesuffix("</li>") + " " + _inline(line) + "</li>"
        else:
            close_lists()
            paragraph.append(line)
    flush_paragraph()
    close_lists()
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} runbook</title>"
        "<style>body{font:14px/1.5 system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px;"
        "color:#16191f}code{background:#f2f3f3;padding:1px 4px;border-radius:3px}pre{background:#f2f3f3;"
        "padding:8px;overflow:auto}pre code{padding:0}</style></head><body>"
        '<p><a href="/">&larr; dashboards</a></p>' + "\n".join(body) + "</body></html>"
    )


def runbook_page(name: str) -> str | None:
    """The runbook docs/runbooks/<name>.md as HTML (None if there is none; only plain file names are served)."""
    name = name.removesuffix(".md")
    if not _RUNBOOK_NAME.match(name):
        return None
    path = RUNBOOKS / f"{name}.md"
    if not path.is_file():
        return None
    return render_runbook(path.read_text(encoding="utf-8"), name)


# -- web page -------------------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: OpsServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # the page polls every few seconds: keep the terminal quiet

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, value: Any, status: int = 200) -> None:
        self._send(status, json.dumps(value, default=str).encode(), "application/json")

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            if url.path == "/":
                self._send(200, (STATIC / "ops.html").read_bytes(), "text/html; charset=utf-8")
            elif url.path == "/api/dashboards":
                self._json({"dashboards": self.server.dashboards()})
            elif url.path == "/api/dashboard":
                self._json(self.server.dashboard(params))
            elif url.path == "/api/alarms":
                self._json({"alarms": alarm_states()})
            elif url.path == "/api/traces":
                self._json(self.server.traces())
            elif url.path == "/api/status":
                self._json(self.server.status())
            elif url.path.startswith("/runbooks/"):
                page = runbook_page(url.path.removeprefix("/runbooks/"))
                if page is None:
                    self._json({"error": "no such runbook"}, 404)
                else:
                    self._send(200, page.encode(), "text/html; charset=utf-8")
            else:
                self._json({"error": "not found"}, 404)
        except (BotoCoreError, ClientError, ValueError, KeyError) as exc:
            self._json({"error": f"{type(exc).__name__}: {exc}"}, 502)


class OpsServer(ThreadingHTTPServer):
    """The dashboard page and its JSON; shutting it down also stops the evaluator, the relay and the publisher."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        evaluator: AlarmEvaluator | None = None,
        relay: XRayRelay | None = None,
        platform: PlatformMetrics | None = None,
        queries: MetricQueries | None = None,
        first_dashboards: list[str] | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.first_dashboards = first_dashboards or []  # the template's dashboards, in its order (Ops first)
        self.evaluator = evaluator
        self.relay = relay
        self.platform = platform
        self.queries = queries or MetricQueries()
        self._cache: dict[tuple[str, int, int | None], tuple[float, dict[str, Any]]] = {}
        self._cache_lock = threading.Lock()
        self._stopped = False

    def dashboards(self) -> list[str]:
        return dashboard_names(self.first_dashboards)

    def dashboard(self, params: dict[str, str]) -> dict[str, Any]:
        names = self.dashboards()
        if not names:
            return {"name": None, "dashboards": [], "widgets": [], "alarms": alarm_states()}
        name = params.get("name") if params.get("name") in names else names[0]
        range_s = max(60, min(int(params.get("range") or DEFAULT_RANGE), 7 * 86400))
        period_param = params.get("period") or str(DEFAULT_PERIOD)
        period = None if period_param == "template" else max(1, int(period_param))
        key = (str(name), range_s, period)
        with self._cache_lock:  # several open tabs share one computation every two seconds
            cached = self._cache.get(key)
            if cached and time.monotonic() - cached[0] < 2.0:
                return cached[1]
            rendered = render_dashboard(load_dashboard(str(name)), self.queries, range_s=range_s, period=period)
            rendered |= {"name": name, "dashboards": names}
            self._cache[key] = (time.monotonic(), rendered)
            return rendered

    def traces(self) -> dict[str, Any]:
        if self.relay is None:
            return {"traces": []}
        ids = list(reversed(self.relay.trace_ids[-20:]))
        traces = []
        if ids:
            response = client("xray").batch_get_traces(TraceIds=ids)
            for trace in response.get("Traces", []):
                documents = [json.loads(s["Document"]) for s in trace.get("Segments", [])]
                names = sorted({d.get("name", "") for d in documents if d.get("type") != "subsegment"})
                traces.append({"id": trace["Id"], "segments": len(documents), "functions": names})
        return {"traces": traces, "relay": self.relay.stats()}

    def status(self) -> dict[str, Any]:
        return {
            "relay": self.relay.stats() if self.relay else None,
            "evaluator": {
                "evaluations": self.evaluator.evaluations,
                "interval": self.evaluator.interval,
                "last_error": self.evaluator.last_error,
            }
            if self.evaluator
            else None,
            "platform_metrics_published": self.platform.published if self.platform else 0,
        }

    def shutdown(self) -> None:
        super().shutdown()
        if self._stopped:
            return
        self._stopped = True
        for part in (self.evaluator, self.platform, self.relay):
            if part is not None:
                part.stop()


def start_ops_server(cloud: Any, port: int) -> tuple[OpsServer, int]:
    """Start the ops side of a LocalCloud (called by cloud.py after the gateway): returns (server, actual port)."""
    relay = XRayRelay().start()
    # Workers start lazily (first invocation), so pointing the shared base environment at the relay's actual port
    # here reaches every worker; cloud.py's default (127.0.0.1:2000) is right whenever port 2000 was free.
    for runtime in getattr(cloud, "runtimes", {}).values():
        runtime.base_env["AWS_XRAY_DAEMON_ADDRESS"] = relay.address
    platform = PlatformMetrics(cloud).install()
    evaluator = AlarmEvaluator().start()
    template = getattr(cloud, "template", None)
    first = template.physical_ids("AWS::CloudWatch::Dashboard") if template else []
    try:
        server = OpsServer(("127.0.0.1", port), evaluator=evaluator, relay=relay, platform=platform,
                           first_dashboards=first)
    except OSError:
        for part in (evaluator, platform, relay):
            part.stop()
        raise PortTaken(port, "RADAR_OPS_PORT") from None
    threading.Thread(target=server.serve_forever, name="ops", daemon=True).start()
    return server, int(server.server_address[1])

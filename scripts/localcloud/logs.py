"""Function output and access logs -> CloudWatch Logs in the emulator (and .local/logs/); EMF lines and the
template's metric filters -> CloudWatch metrics."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from scripts.localcloud.aws import client
from scripts.localcloud.filterpattern import MetricFilter

__all__ = ["LogSink", "emf_to_metric_data"]


def emf_to_metric_data(document: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Translate one Embedded Metric Format document into put_metric_data calls: [(namespace, metric_data)]."""
    meta = document.get("_aws")
    if not isinstance(meta, dict):
        return []
    timestamp = datetime.fromtimestamp(float(meta.get("Timestamp", time.time() * 1000)) / 1000, tz=UTC)
    calls: list[tuple[str, list[dict[str, Any]]]] = []
    for directive in meta.get("CloudWatchMetrics", []):
        namespace = directive.get("Namespace", "aws-embedded-metrics")
        dimension_sets = directive.get("Dimensions") or [[]]
        data: list[dict[str, Any]] = []
        for metric in directive.get("Metrics", []):
            name = metric.get("Name")
            if name not in document:
                continue
            raw = document[name]
            values = [float(v) for v in (raw if isinstance(raw, list) else [raw])]
            for dimension_names in dimension_sets:
                dimensions = [{"Name": d, "Value": str(document[d])} for d in dimension_names if d in document]
                datum: dict[str, Any] = {
                    "MetricName": name,
                    "Dimensions": dimensions,
                    "Timestamp": timestamp,
                    "Unit": metric.get("Unit", "None"),
                }
                if len(values) == 1:
                    datum["Value"] = values[0]
                else:
                    datum["Values"] = values
                data.append(datum)
        if data:
            calls.append((namespace, data))
    return calls


class LogSink:
    """Collects every function's output; ships it to the log groups and metrics in batches off the request path."""

    def __init__(self, log_groups: dict[str, str], local_dir: Path, flush_interval: float = 0.5) -> None:
        self.log_groups = log_groups  # function name -> log group
        self.local_dir = local_dir
        self.local_dir.mkdir(parents=True, exist_ok=True)
        self.flush_interval = flush_interval
        self.lines: queue.SimpleQueue[tuple[str, str, str, int]] = queue.SimpleQueue()
        self.metric_filters: dict[str, list[MetricFilter]] = {}  # log group -> its filters
        self.streams: set[tuple[str, str]] = set()
        self.metrics_published = 0
        self.lines_shipped = 0
        self._stop = threading.Event()
        self._files: dict[str, Any] = {}
        # Called with every line as it arrives (function name, stream, line): `make invoke` shows its function's.
        self.taps: list[Callable[[str, str, str], None]] = []
        self._thread = threading.Thread(target=self._run, name="log-sink", daemon=True)
        self._thread.start()

    def __call__(self, function_name: str, stream: str, line: str) -> None:
        self.lines.put((function_name, stream, line, int(time.time() * 1000)))
        for tap in list(self.taps):
            tap(function_name, stream, line)

    def write_to_group(self, group: str, stream: str, line: str) -> None:
        """A line for a log group of no function (the API's access log); kept locally as <group>.log too."""
        self.log_groups.setdefault(group, group)
        self(group, stream, line)

    def add_metric_filters(self, filters: list[MetricFilter]) -> None:
        for metric_filter in filters:
            self.metric_filters.setdefault(metric_filter.log_group, []).append(metric_filter)

    def _file(self, function_name: str) -> Any:
        if function_name not in self._files:
            local_name = function_name.strip("/").replace("/", "-")  # a log group name has slashes
            self._files[function_name] = open(  # noqa: SIM115 - kept open for the life of the sink
                self.local_dir / f"{local_name}.log", "a", encoding="utf-8", buffering=1
            )
        return self._files[function_name]

    def _run(self) -> None:
        while not self._stop.wait(self.flush_interval):
            try:
                self.flush()
            except (BotoCoreError, ClientError, OSError, ValueError):  # the emulator gone: keep the thread quiet
                continue

    def flush(self) -> None:
        batches: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        metric_calls: list[tuple[str, list[dict[str, Any]]]] = []
        while True:
            try:
                function_name, stream, line, ts = self.lines.get_nowait()
            except queue.Empty:
                break
            self._file(function_name).write(line + "\n")
            group = self.log_groups.get(function_name, f"/aws/lambda/{function_name}")
            batches[(group, stream)].append({"timestamp": ts, "message": line})
            if line.startswith("{") and '"_aws"' in line:
                with contextlib.suppress(ValueError, TypeError):
                    metric_calls.extend(emf_to_metric_data(json.loads(line)))
            for metric_filter in self.metric_filters.get(group, ()):
                metric_calls.extend((namespace, [datum]) for namespace, datum in metric_filter.metric_data(line, ts))
        for (group, stream), events in batches.items():
            self._put_events(group, stream, events)
        for namespace, data in metric_calls:
            for start in range(0, len(data), 500):
                try:
                    client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=data[start : start + 500])
                    self.metrics_published += len(data[start : start + 500])
                except (BotoCoreError, ClientError):
                    pass

    def _put_events(self, group: str, stream: str, events: list[dict[str, Any]]) -> None:
        logs = client("logs")
        if (group, stream) not in self.streams:
            for create in (
                lambda: logs.create_log_group(logGroupName=group),
                lambda: logs.create_log_stream(logGroupName=group, logStreamName=stream),
            ):
                try:
                    create()
                except ClientError as exc:
                    if exc.response["Error"]["Code"] != "ResourceAlreadyExistsException":
                        raise
            self.streams.add((group, stream))
        events.sort(key=lambda e: e["timestamp"])
        for start in range(0, len(events), 5000):
            try:
                logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events[start : start + 5000])
                self.lines_shipped += len(events[start : start + 5000])
            except (BotoCoreError, ClientError):
                pass

    def close(self) -> None:
        """Stop the shipping thread, ship what is left (the emulator must still run), close the local files."""
        self._stop.set()
        self._thread.join(timeout=10)
        with contextlib.suppress(BotoCoreError, ClientError):
            self.flush()
        for handle in self._files.values():
            handle.close()

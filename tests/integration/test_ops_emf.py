"""EMF lines from function output become CloudWatch metrics in moto (logs.emf_to_metric_data and the LogSink)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from scripts.localcloud.logs import LogSink, emf_to_metric_data


def _emf(namespace: str, **fields: Any) -> dict[str, Any]:
    """The document Powertools Metrics prints on flush: one metric directive with the `service` dimension."""
    return {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": namespace,
                    "Dimensions": [["service", "provider"]],
                    "Metrics": [
                        {"Name": "ProviderLatency", "Unit": "Milliseconds"},
                        {"Name": "ProviderErrors", "Unit": "Count"},
                    ],
                }
            ],
        },
        "service": "cnpj-radar-checks",
        "provider": "cnpjws",
        **fields,
    }


def test_emf_translation_keeps_names_units_dimensions_and_values() -> None:
    document = _emf("CnpjRadar", ProviderLatency=[120.5, 80.0], ProviderErrors=1)

    calls = emf_to_metric_data(document)

    assert [namespace for namespace, _ in calls] == ["CnpjRadar"]
    latency, errors = calls[0][1]
    assert latency["MetricName"] == "ProviderLatency"
    assert latency["Unit"] == "Milliseconds"
    assert latency["Values"] == [120.5, 80.0]
    assert latency["Dimensions"] == [
        {"Name": "service", "Value": "cnpj-radar-checks"},
        {"Name": "provider", "Value": "cnpjws"},
    ]
    assert errors["Value"] == 1.0
    assert abs(latency["Timestamp"].timestamp() - time.time()) < 60


def test_emf_translation_skips_metrics_without_values_and_non_emf_documents() -> None:
    assert emf_to_metric_data({"message": "hello", "level": "INFO"}) == []
    only_latency = emf_to_metric_data(_emf("CnpjRadar", ProviderLatency=5))
    assert [d["MetricName"] for d in only_latency[0][1]] == ["ProviderLatency"]


def test_emf_translation_writes_one_datum_per_dimension_set() -> None:
    document = _emf("CnpjRadar", ProviderErrors=2)
    document["_aws"]["CloudWatchMetrics"][0]["Dimensions"] = [["service"], ["service", "provider"]]

    (_, data), = emf_to_metric_data(document)

    assert [len(d["Dimensions"]) for d in data] == [1, 2]


def test_log_sink_ships_emf_lines_to_metrics_and_lines_to_the_log_group(moto_endpoint: str, tmp_path: Path) -> None:
    namespace = f"Emf/{uuid.uuid4().hex[:8]}"
    group = f"/aws/lambda/emf-{uuid.uuid4().hex[:8]}"
    sink = LogSink({"fn": group}, tmp_path, flush_interval=60)  # flushed by hand below
    try:
        sink("fn", "2026/01/01/[$LATEST]abc", "START RequestId: 1")
        sink("fn", "2026/01/01/[$LATEST]abc", json.dumps(_emf(namespace, ProviderLatency=[10, 30], ProviderErrors=1)))
        sink.flush()
    finally:
        sink.close()

    cloudwatch = boto3.client("cloudwatch")
    now = datetime.now(UTC)
    stats = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName="ProviderLatency",
        Dimensions=[{"Name": "service", "Value": "cnpj-radar-checks"}, {"Name": "provider", "Value": "cnpjws"}],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=1),
        Period=600,
        Statistics=["Sum", "SampleCount"],
    )["Datapoints"]
    assert [(p["Sum"], p["SampleCount"]) for p in stats] == [(40.0, 2.0)]
    assert sink.metrics_published == 2
    events = boto3.client("logs").get_log_events(logGroupName=group, logStreamName="2026/01/01/[$LATEST]abc")
    assert events["events"][0]["message"] == "START RequestId: 1"
    assert (tmp_path / "fn.log").read_text().startswith("START RequestId: 1\n")

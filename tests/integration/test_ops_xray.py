"""The X-Ray relay: UDP datagrams in, trace segments in moto out; and a real function worker emitting segments."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from scripts.localcloud import xray
from scripts.localcloud.aws import emulator_env
from scripts.localcloud.ports import PortTaken
from scripts.localcloud.runtime import FunctionRuntime, FunctionSpec
from scripts.localcloud.xray import XRayRelay, parse_datagram

REPO = Path(__file__).resolve().parents[2]
HEADER = b'{"format":"json","version":1}\n'


@pytest.fixture
def relay(moto_endpoint: str) -> Iterator[XRayRelay]:
    running = XRayRelay(port=0, flush_interval=0.05).start()
    yield running
    running.stop()


def _trace_id() -> str:
    return f"1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"


def _send(relay: XRayRelay, payload: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(payload, ("127.0.0.1", relay.port))


def _wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _documents(trace_id: str) -> list[dict[str, Any]]:
    traces = boto3.client("xray").batch_get_traces(TraceIds=[trace_id])["Traces"]
    return [json.loads(segment["Document"]) for trace in traces for segment in trace["Segments"]]


def test_parse_datagram_accepts_the_daemon_format_only() -> None:
    document = {"id": "a1", "trace_id": "1-2-3", "name": "x"}
    assert parse_datagram(HEADER + json.dumps(document).encode()) == document
    assert parse_datagram(b'{"format":"text"}\n{"id":"a"}') is None
    assert parse_datagram(b"not json at all") is None
    assert parse_datagram(HEADER + b'{"name":"no ids"}') is None


def test_relayed_segments_can_be_listed_with_a_function_segment(relay: XRayRelay) -> None:
    trace_id, parent = _trace_id(), uuid.uuid4().hex[:16]
    started = time.time()
    handler = {
        "id": uuid.uuid4().hex[:16], "name": "## lambda_handler", "type": "subsegment", "parent_id": parent,
        "trace_id": trace_id, "start_time": started, "end_time": started + 0.2,
        "annotations": {"ColdStart": True, "Service": "cnpj-radar-checks", "check_id": "chk_1"},
    }

    _send(relay, HEADER + json.dumps(handler).encode())
    _send(relay, b"garbage")
    _wait_for(lambda: relay.relayed >= 2)

    now = datetime.now(UTC)
    summaries = boto3.client("xray").get_trace_summaries(
        StartTime=now - timedelta(minutes=5), EndTime=now + timedelta(minutes=5)
    )["TraceSummaries"]
    assert trace_id in [s["Id"] for s in summaries]
    documents = {d["id"]: d for d in _documents(trace_id)}
    assert documents[parent]["name"] == "cnpj-radar-checks"
    assert documents[parent]["origin"] == "AWS::Lambda::Function"
    assert documents[handler["id"]]["annotations"]["check_id"] == "chk_1"
    assert relay.rejected == 1
    assert trace_id in relay.trace_ids


def test_a_busy_default_port_falls_back_but_a_requested_one_is_an_error(
    relay: XRayRelay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RADAR_XRAY_PORT", raising=False)
    monkeypatch.setattr(xray, "DEFAULT_XRAY_PORT", relay.port)  # the default is taken (by the fixture's relay)
    second = XRayRelay()
    try:
        assert second.port != relay.port
        assert second.address == f"127.0.0.1:{second.port}"
    finally:
        second.stop()
    with pytest.raises(PortTaken, match=f"port {relay.port} \\(RADAR_XRAY_PORT\\)"):
        XRayRelay(port=relay.port)
    monkeypatch.setenv("RADAR_XRAY_PORT", str(relay.port))
    with pytest.raises(PortTaken, match="RADAR_XRAY_PORT"):
        XRayRelay()


HANDLER = '''
from radar.observability import tracer

@tracer.capture_method(capture_response=False)
def lookup():
    return 1

@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event, context):
    tracer.put_annotation(key="check_id", value=event["check_id"])
    return {"value": lookup()}
'''


def test_a_function_worker_emits_segments_through_the_relay(relay: XRayRelay, tmp_path: Path) -> None:
    """Powertools' Tracer is live inside a local worker (AWS_LAMBDA_FUNCTION_NAME set, tracing not disabled)."""
    (tmp_path / "app.py").write_text(HANDLER)
    spec = FunctionSpec(
        logical_id="TracedFunction", name="traced", arn="arn:aws:lambda:us-east-1:123456789012:function:traced",
        handler="app.lambda_handler", runtime="python3.11", timeout=30, memory_mb=256,
        environment={"POWERTOOLS_SERVICE_NAME": "cnpj-radar-traced", "POWERTOOLS_METRICS_NAMESPACE": "CnpjRadar"},
        code_paths=[str(tmp_path), str(REPO / "layers" / "radar" / "python")], log_group="/aws/lambda/traced",
        concurrency=1, tracing=True,
    )
    lines: list[str] = []
    runtime = FunctionRuntime(
        spec,
        emulator_env(boto3.client("xray").meta.endpoint_url) | {"AWS_XRAY_DAEMON_ADDRESS": relay.address},
        lambda _name, _stream, line: lines.append(line),
    )
    try:
        result = runtime.invoke({"check_id": "chk_traced"})
    finally:
        runtime.shutdown()
    assert result.ok, (result.error, lines[-5:])

    _wait_for(lambda: any(tid for tid in relay.trace_ids if any(
        d.get("annotations", {}).get("check_id") == "chk_traced" for d in _documents(tid)
    )))
    trace_id = next(tid for tid in relay.trace_ids if any(
        d.get("annotations", {}).get("check_id") == "chk_traced" for d in _documents(tid)
    ))
    names = {d["name"] for d in _documents(trace_id)}
    assert {"## lambda_handler", "## app.lookup", "cnpj-radar-traced"} <= names

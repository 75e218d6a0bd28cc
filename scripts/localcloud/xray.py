"""A small X-Ray daemon: take the SDK's UDP segment datagrams and relay them to the emulator's X-Ray."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from scripts.localcloud.aws import client
from scripts.localcloud.ports import PortTaken

__all__ = ["DEFAULT_XRAY_PORT", "XRayRelay", "parse_datagram"]

DEFAULT_XRAY_PORT = 2000
_BATCH = 50  # segment documents per put_trace_segments call


def parse_datagram(data: bytes) -> dict[str, Any] | None:
    """`{"format":"json","version":1}\\n<segment document>` -> the document, or None when it is not one."""
    header, _, body = data.partition(b"\n")
    try:
        if json.loads(header).get("format") != "json":
            return None
        document = json.loads(body)
    except (ValueError, AttributeError):
        return None
    return document if isinstance(document, dict) and "id" in document and "trace_id" in document else None


def _function_segment(subsegment: dict[str, Any]) -> dict[str, Any] | None:
    """The AWS::Lambda::Function segment the Lambda service would record around a handler subsegment.

    Inside Lambda the SDK only sends subsegments (their parent is the service's segment, whose id travels in
    _X_AMZN_TRACE_ID). Powertools' handler subsegment is the one carrying the ColdStart annotation.
    """
    annotations = subsegment.get("annotations") or {}
    if subsegment.get("type") != "subsegment" or "ColdStart" not in annotations or not subsegment.get("parent_id"):
        return None
    return {
        "name": str(annotations.get("Service") or "function"),
        "id": subsegment["parent_id"],
        "trace_id": subsegment["trace_id"],
        "start_time": subsegment.get("start_time", time.time()),
        "end_time": subsegment.get("end_time", time.time()),
        "origin": "AWS::Lambda::Function",
        "annotations": {k: v for k, v in annotations.items() if k in ("ColdStart", "Service")},
    }


class XRayRelay:
    """Listens on UDP like the X-Ray daemon; a background thread batches documents into put_trace_segments."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, flush_interval: float = 0.3) -> None:
        requested = os.environ.get("RADAR_XRAY_PORT")
        wanted = port if port is not None else int(requested or DEFAULT_XRAY_PORT)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.socket.bind((host, wanted))
        except OSError:
            if port is not None or requested:  # asked for: an error naming it, never a silent move
                self.socket.close()
                raise PortTaken(wanted, "RADAR_XRAY_PORT") from None
            # The default, which nobody connects to (the workers are told the address): any free port will do.
            self.socket.bind((host, 0))
        self.flush_interval = flush_interval
        self.socket.settimeout(flush_interval)
        self.host = host
        self.port = int(self.socket.getsockname()[1])
        self.received = 0
        self.relayed = 0
        self.rejected = 0
        self.trace_ids: list[str] = []  # most recent last, capped
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="xray-relay", daemon=True)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> XRayRelay:
        self._thread.start()
        return self

    def _run(self) -> None:
        last_flush = time.monotonic()
        while not self._stop.is_set():
            try:
                data, _ = self.socket.recvfrom(65535)
                self._accept(data)
            except TimeoutError:
                pass
            except OSError:
                if self._stop.is_set():
                    break
            if time.monotonic() - last_flush >= self.flush_interval:
                self.flush()
                last_flush = time.monotonic()
        self.flush()

    def _accept(self, data: bytes) -> None:
        document = parse_datagram(data)
        with self._lock:
            if document is None:
                self.rejected += 1
                return
            self.received += 1
            self._pending.append(document)
            parent = _function_segment(document)
            if parent is not None:
                self._pending.append(parent)

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        for start in range(0, len(pending), _BATCH):
            batch = pending[start : start + _BATCH]
            try:
                response = client("xray").put_trace_segments(TraceSegmentDocuments=[json.dumps(d) for d in batch])
            except (BotoCoreError, ClientError):
                self.rejected += len(batch)
                continue
            failed = len(response.get("UnprocessedTraceSegments", []))
            self.rejected += failed
            self.relayed += len(batch) - failed
            with self._lock:
                for document in batch:
                    if document["trace_id"] not in self.trace_ids[-200:]:
                        self.trace_ids.append(document["trace_id"])
                del self.trace_ids[:-200]

    def stats(self) -> dict[str, Any]:
        return {"address": self.address, "received": self.received, "relayed": self.relayed, "rejected": self.rejected}

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        with contextlib.suppress(OSError):
            self.socket.close()

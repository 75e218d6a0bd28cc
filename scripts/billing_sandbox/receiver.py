"""A minimal webhook endpoint that verifies each delivery with the official SDK
(`stripe.Webhook.construct_event`: signature and timestamp tolerance), as the product's POST /billing/webhook
must: for the sandbox's tests, and to try the sandbox without the product."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Delivery", "WebhookReceiver"]


@dataclass(frozen=True)
class Delivery:
    event: Any  # stripe.Event
    raw: bytes
    signature: str
    received_at: float


class WebhookReceiver(ThreadingHTTPServer):
    """POST / -> 200 when the signature verifies, 400 when not; `fail_next(n)` answers 500 to the next n
    deliveries (before verifying), to exercise the sender's retries."""

    daemon_threads = True

    def __init__(self, secret: str, tolerance: int = 300, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _ReceiverHandler)
        self.secret = secret
        self.tolerance = tolerance
        self.deliveries: list[Delivery] = []
        self.rejected: list[str] = []
        self.failures_left = 0
        self.statuses: list[int] = []
        self._cond = threading.Condition()
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{self.server_address[0]!s}:{self.server_address[1]}/billing/webhook"

    def fail_next(self, count: int) -> None:
        with self._cond:
            self.failures_left = count

    def types(self) -> list[str]:
        with self._cond:
            return [d.event.type for d in self.deliveries]

    def wait_for(self, predicate: Callable[[list[Delivery]], bool], timeout: float = 10.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.deliveries):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"webhook deliveries so far: {[d.event.type for d in self.deliveries]}")
                self._cond.wait(remaining)
            return list(self.deliveries)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def _receive(self, raw: bytes, signature: str | None) -> int:
        import stripe

        with self._cond:
            if self.failures_left > 0:
                self.failures_left -= 1
                self.statuses.append(500)
                return 500
        try:
            event = stripe.Webhook.construct_event(raw, signature, self.secret, tolerance=self.tolerance)
        except (ValueError, stripe.SignatureVerificationError) as exc:
            with self._cond:
                self.rejected.append(str(exc))
                self.statuses.append(400)
                self._cond.notify_all()
            return 400
        with self._cond:
            self.deliveries.append(Delivery(event, raw, signature or "", time.time()))
            self.statuses.append(200)
            self._cond.notify_all()
        return 200


class _ReceiverHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: WebhookReceiver

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = self.server._receive(raw, self.headers.get("Stripe-Signature"))
        body = b'{"received": true}' if status == 200 else b'{"error": "rejected"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

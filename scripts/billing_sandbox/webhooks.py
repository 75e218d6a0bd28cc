"""Webhook delivery as Stripe does it: the event JSON POSTed to the endpoint with a `Stripe-Signature` header
(`t=<unix ts>,v1=<hex HMAC-SHA256 of "t.payload" with the whsec_ secret>`), re-signed on every attempt, retried
with backoff on a non-2xx answer or a connection error. Events are delivered independently (a retried one does not
hold back the next), so order is not guaranteed, as with Stripe. Test hooks: hold and release in any order,
duplicate every delivery, redeliver one event, wait until nothing is pending."""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from scripts.billing_sandbox.config import BillingSandboxConfig

__all__ = ["DeliveryAttempt", "WebhookDispatcher", "sign"]

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def sign(payload: str, secret: str, timestamp: int) -> str:
    """The Stripe-Signature header value for `payload` (the exact body bytes, as text) at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class DeliveryAttempt:
    event_id: str
    event_type: str
    attempt: int
    url: str
    status: int | None  # None: no HTTP answer (connection refused, timeout)
    error: str | None
    at: float  # wall clock
    signature_timestamp: int
    succeeded: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    event_id: str
    event_type: str
    payload: str
    attempt: int


class WebhookDispatcher:
    """One delivery thread; jobs ordered by due time then publication order."""

    def __init__(self, config: Callable[[], BillingSandboxConfig]) -> None:
        self._config = config
        self._cond = threading.Condition()
        self._jobs: list[_Job] = []
        self._held: list[_Job] = []
        self._seq = 0
        self._in_flight = 0
        self._hold = False
        self._duplicate = False
        self._stopped = False
        self.attempts: list[DeliveryAttempt] = []
        self._thread = threading.Thread(target=self._run, name="billing-sandbox-webhooks", daemon=True)
        self._thread.start()

    # --- publishing -------------------------------------------------------------------------------------------
    def wants(self, event_type: str) -> bool:
        config = self._config()
        if not config.webhook_url:
            return False
        return "*" in config.enabled_events or event_type in config.enabled_events

    def publish(self, event: dict[str, Any]) -> None:
        """Queue `event` for the endpoint (no-op when no endpoint is configured or the type is not enabled)."""
        if not self.wants(event["type"]):
            return
        payload = json.dumps(event, indent=2)  # Stripe pretty-prints; signatures are over these exact bytes
        with self._cond:
            copies = 2 if self._duplicate else 1
            for _ in range(copies):
                job = self._job(event["id"], event["type"], payload, time.time())
                (self._held if self._hold else self._jobs).append(job)
            heapq.heapify(self._jobs)
            self._cond.notify_all()

    def redeliver(self, event: dict[str, Any], times: int = 1) -> None:
        """Send `event` again now (as a Stripe-side retry or a duplicate would), `times` times."""
        if not self._config().webhook_url:
            raise ValueError("no webhook endpoint is configured")
        payload = json.dumps(event, indent=2)
        with self._cond:
            for _ in range(times):
                heapq.heappush(self._jobs, self._job(event["id"], event["type"], payload, time.time()))
            self._cond.notify_all()

    def _job(self, event_id: str, event_type: str, payload: str, due: float, attempt: int = 1) -> _Job:
        self._seq += 1
        return _Job(due, self._seq, event_id, event_type, payload, attempt)

    # --- test hooks -------------------------------------------------------------------------------------------
    def hold(self) -> None:
        with self._cond:
            self._hold = True

    def release(self, order: str = "fifo", seed: int | None = None) -> list[str]:
        """Stop holding; queue the held deliveries in `order` (fifo, reverse or shuffle). Returns their event ids."""
        if order not in ("fifo", "reverse", "shuffle"):
            raise ValueError("order must be fifo, reverse or shuffle")
        with self._cond:
            held, self._held, self._hold = self._held, [], False
            if order == "reverse":
                held.reverse()
            elif order == "shuffle":
                random.Random(seed).shuffle(held)
            now = time.time()
            for job in held:
                heapq.heappush(self._jobs, self._job(job.event_id, job.event_type, job.payload, now))
            self._cond.notify_all()
            return [job.event_id for job in held]

    def set_duplicate(self, on: bool) -> None:
        with self._cond:
            self._duplicate = on

    def status(self) -> dict[str, Any]:
        with self._cond:
            return {"pending": len(self._jobs) + self._in_flight, "held": len(self._held), "hold": self._hold,
                    "duplicate": self._duplicate, "attempts": len(self.attempts)}

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until no delivery is queued or in flight (held ones excepted); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._jobs or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))
            return True

    def reset(self) -> None:
        with self._cond:
            self._jobs.clear()
            self._held.clear()
            self._hold = self._duplicate = False
            self.attempts.clear()
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=5)

    # --- the delivery thread ------------------------------------------------------------------------------------
    def _run(self) -> None:
        with httpx.Client(follow_redirects=False) as client:
            while True:
                with self._cond:
                    while not self._stopped and (not self._jobs or self._jobs[0].due > time.time()):
                        wait = (self._jobs[0].due - time.time()) if self._jobs else 0.5
                        self._cond.wait(max(0.005, min(wait, 0.5)))
                    if self._stopped:
                        return
                    job = heapq.heappop(self._jobs)
                    self._in_flight += 1
                try:
                    self._deliver(client, job)
                finally:
                    with self._cond:
                        self._in_flight -= 1
                        self._cond.notify_all()

    def _deliver(self, client: httpx.Client, job: _Job) -> None:
        config = self._config()
        url = config.webhook_url
        if not url:
            return
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Accept": "*/*; q=0.5, application/xml",
            "Cache-Control": "no-cache",
            "Stripe-Signature": sign(job.payload, config.webhook_secret, timestamp),
        }
        status: int | None = None
        error: str | None = None
        try:
            response = client.post(url, content=job.payload.encode(), headers=headers,
                                   timeout=config.delivery_timeout)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        succeeded = status is not None and 200 <= status < 300
        attempt = DeliveryAttempt(job.event_id, job.event_type, job.attempt, url, status, error, time.time(),
                                  timestamp, succeeded)
        with self._cond:
            self.attempts.append(attempt)
            if not succeeded and job.attempt <= len(config.retry_delays):
                delay = config.retry_delays[job.attempt - 1]
                retry = self._job(job.event_id, job.event_type, job.payload, time.time() + delay, job.attempt + 1)
                heapq.heappush(self._jobs, retry)
            self._cond.notify_all()

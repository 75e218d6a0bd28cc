"""Talking to a running local cloud for chaos/load/bench: targets by CNPJ, check states, queues, logs, tenants."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from radar.lookup.registry import PROVIDERS
from scripts.bench.workload import LatencyTable
from scripts.localcloud.aws import client
from tests.support.cloud import RunningCloud, Tenant, attach_cloud, running_cloud, signup

# The local gateway re-reads usage-plan keys every second (API Gateway takes a moment too).
PLAN_PROPAGATION_S = 2.0

# Provider token buckets lifted for a run (a deploy-time setting): at the public 3-60/min, hundreds of distinct
# CNPJs alone take many minutes. Every registered provider's (a provider left at its limit would still pace a walk
# that reaches it). The sandbox decides what a provider answers.
LIFTED_PROVIDER_LIMITS = {f"RATE_LIMIT_{entry.name.upper()}_PER_MIN": "1000000" for entry in PROVIDERS}

__all__ = [
    "LIFTED_PROVIDER_LIMITS",
    "TargetBook",
    "check_items",
    "check_states",
    "dlq_check_ids",
    "limits_lifted",
    "local_cloud",
    "log_bytes_per_invocation",
    "queue_counts",
    "set_visibility_timeout",
    "submit_batches",
    "tenant_on_plan",
    "timed_request",
    "wait_until",
]


def timed_request(
    http: httpx.Client, table: LatencyTable | None, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """One request, its latency recorded under its route template (transport errors are recorded as status 0)."""
    started = time.perf_counter()
    try:
        response = http.request(method, path, **kwargs)
    except httpx.HTTPError:
        if table is not None:
            table.add(method, path, 0, (time.perf_counter() - started) * 1000)
        raise
    if table is not None:
        table.add(method, path, response.status_code, (time.perf_counter() - started) * 1000)
    return response


def tenant_on_plan(api_url: str, plan: str) -> tuple[Tenant, httpx.Client]:
    """A new tenant on `plan`, signed up over the API, with an admin API key made after the plan change.

    The authorizer caches its decision (with the plan in its context) per key for 60 s, so a key used before an
    upgrade keeps the old plan's monthly allowance for up to a minute; a key created afterwards starts fresh.
    """
    tenant = signup(api_url, plan_roles=())
    with httpx.Client(base_url=tenant.api_url, headers=tenant.bearer(), timeout=60) as admin:
        if plan != "free":
            tenant.upgrade(plan, settle_s=0)  # PLAN_PROPAGATION_S below covers the gateway's re-read
        created = admin.post("/api-keys", json={"name": "bench-admin", "role": "admin"})
        if created.status_code != 201:
            raise RuntimeError(f"api key: {created.status_code} {created.text[:200]}")
    tenant.api_key = str(created.json()["key"])
    tenant.keys["admin"] = tenant.api_key
    time.sleep(PLAN_PROPAGATION_S)
    return tenant, tenant.client(timeout=60)


class TargetBook:
    """One target per CNPJ per tenant, created on first use over HTTP and shared by the client threads.

    Creation is serialized per CNPJ: two clients racing to create the same target is not the workload we measure
    (and moto answers such racing transactions with an internal error, which the API rightly turns into a 503).
    """

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._lock = threading.Lock()
        self._creating: dict[str, threading.Lock] = {}

    def target_id(self, http: httpx.Client, cnpj: str, table: LatencyTable | None = None) -> str:
        with self._lock:
            known = self._ids.get(cnpj)
            creating = self._creating.setdefault(cnpj, threading.Lock())
        if known:
            return known
        with creating:
            with self._lock:
                known = self._ids.get(cnpj)
            if known:
                return known
            response = timed_request(http, table, "POST", "/targets", json={"cnpj": cnpj})
            if response.status_code == 201:
                found = str(response.json()["id"])
            elif response.status_code == 409:  # created before this book knew it
                found = str(response.json()["error"]["details"]["existing_id"])
            else:
                raise RuntimeError(f"POST /targets {cnpj}: {response.status_code} {response.text[:200]}")
            with self._lock:
                self._ids[cnpj] = found
            return found


def check_states(main_table: str) -> dict[str, str]:
    """check_id -> status of every check item in the main table (read straight from DynamoDB)."""
    states: dict[str, str] = {}
    paginator = client("dynamodb").get_paginator("scan")
    pages = paginator.paginate(
        TableName=main_table,
        FilterExpression="begins_with(sk, :check)",
        ExpressionAttributeValues={":check": {"S": "CHECK#"}},
        ProjectionExpression="sk, #s",
        ExpressionAttributeNames={"#s": "status"},
    )
    for page in pages:
        for item in page["Items"]:
            states[item["sk"]["S"].removeprefix("CHECK#")] = item.get("status", {}).get("S", "")
    return states


def check_items(main_table: str) -> list[dict[str, Any]]:
    """Every check item (plain values), for timings."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    items: list[dict[str, Any]] = []
    pages = client("dynamodb").get_paginator("scan").paginate(
        TableName=main_table,
        FilterExpression="begins_with(sk, :check)",
        ExpressionAttributeValues={":check": {"S": "CHECK#"}},
    )
    for page in pages:
        items.extend({k: deserializer.deserialize(v) for k, v in item.items()} for item in page["Items"])
    return items


def queue_counts(queue_url: str) -> tuple[int, int]:
    """(visible, in flight) messages of a queue; delayed messages count as visible-to-come."""
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    visible = int(attributes.get("ApproximateNumberOfMessages", 0)) + int(
        attributes.get("ApproximateNumberOfMessagesDelayed", 0)
    )
    return visible, int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0))


def dlq_check_ids(dlq_url: str, *, hide_seconds: int = 60, max_rounds: int = 200) -> list[str]:
    """check_id of every DLQ message, read without deleting (each is hidden for `hide_seconds` so it is seen once)."""
    sqs = client("sqs")
    found: list[str] = []
    for _ in range(max_rounds):
        messages = sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=hide_seconds, WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            break
        for message in messages:
            try:
                found.append(str(json.loads(message["Body"])["check_id"]))
            except (ValueError, KeyError):
                found.append("<unreadable>")
    return found


def log_bytes_per_invocation(log_group: str) -> float:
    """Bytes a function logs per invocation (its log group's events over its START lines), as CloudWatch ingests."""
    total = 0
    invocations = 0
    paginator = client("logs").get_paginator("filter_log_events")
    for page in paginator.paginate(logGroupName=log_group):
        for event in page["events"]:
            total += len(event["message"].encode()) + 26  # CloudWatch bills 26 bytes of metadata per event
            if event["message"].startswith("START RequestId"):
                invocations += 1
    return total / invocations if invocations else 0.0


def set_visibility_timeout(queue_url: str, seconds: int) -> int:
    """Lower (or restore) a queue's visibility timeout at run time; returns the previous value."""
    sqs = client("sqs")
    previous = int(sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])[
        "Attributes"]["VisibilityTimeout"])
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(seconds)})
    return previous


def wait_until(predicate: Any, *, timeout: float, interval: float = 2.0) -> bool:
    """Poll `predicate()` until it is truthy or `timeout` seconds pass (bounded, for scripts that must stop)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def batch_check_ids(batch: dict[str, Any], cnpjs: list[str]) -> list[str]:
    """The check ids of a batch's accepted CNPJs (a batch item's id follows from its batch and CNPJ; the fan-out
    writes the checks after the answer)."""
    from radar.checks.models import batch_check_id
    from radar.cnpj import parse_cnpj

    left_out = {int(p["index"]) for p in [*batch.get("invalid", []), *batch.get("rejected", [])]}
    return [batch_check_id(str(batch["batch_id"]), parse_cnpj(c).value)
            for i, c in enumerate(cnpjs) if i not in left_out]


def submit_batches(
    http: httpx.Client, cnpjs: list[str], size: int, on_batch: Any = None
) -> tuple[list[str], list[str]]:
    """POST /checks/batch `size` CNPJs at a time: (accepted check ids, batch ids). A refused batch raises.
    `on_batch(n)` is told how many CNPJs each accepted batch carried (for progress)."""
    accepted: list[str] = []
    batch_ids: list[str] = []
    for start in range(0, len(cnpjs), size):
        chunk = cnpjs[start:start + size]
        response = http.post("/checks/batch", json={"cnpjs": chunk}, timeout=120)
        if response.status_code != 202:
            raise RuntimeError(f"batch refused: {response.status_code} {response.text[:300]}")
        body = response.json()
        accepted.extend(batch_check_ids(body, chunk))
        batch_ids.append(str(body["batch_id"]))
        if on_batch is not None:
            on_batch(len(chunk))
    return accepted, batch_ids


@contextmanager
def local_cloud(api_url: str | None, state_file: Path | None, directory: Path, **start: Any) -> Iterator[RunningCloud]:
    """The running local cloud at `api_url` (found through its state file, left running), or a private one started
    in `directory` with `start_cloud(**start)` and stopped at the end."""
    if api_url:
        yield attach_cloud(api_url, state_file)
        return
    with running_cloud(directory, **start) as cloud:
        yield cloud


def limits_lifted(cloud: RunningCloud) -> bool:
    """Whether every function of the cloud runs with the provider token buckets lifted (LIFTED_PROVIDER_LIMITS)."""
    functions = cloud.state.get("functions", {}).values()
    lifted = {name: float(value) for name, value in LIFTED_PROVIDER_LIMITS.items()}
    return all(
        float(function["environment"].get(name, 0) or 0) >= value
        for function in functions
        for name, value in lifted.items()
        if name in function["environment"]
    ) and any(name in f["environment"] for f in functions for name in lifted)

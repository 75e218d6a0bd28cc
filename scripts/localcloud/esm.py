"""SQS event source mappings: poll the template's queues and invoke the template's functions, like Lambda's pollers."""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError

from scripts.localcloud.aws import client
from scripts.localcloud.runtime import FunctionRuntime
from scripts.localcloud.template import REGION, Template

__all__ = ["MappingSpec", "SqsPoller", "mapping_concurrency", "mapping_specs"]

logger = logging.getLogger("localcloud.esm")


@dataclass
class MappingSpec:
    logical_id: str
    function_logical_id: str
    queue_arn: str
    queue_url: str
    batch_size: int
    batching_window: float
    report_failures: bool
    enabled: bool
    max_concurrency: int | None


def mapping_specs(template: Template) -> list[MappingSpec]:
    queues_by_arn = {
        attrs.get("Arn"): attrs.get("QueueUrl") for attrs in template.attrs.values() if attrs.get("QueueUrl")
    }
    specs = []
    for logical_id, resource in template.of_type("AWS::Lambda::EventSourceMapping"):
        raw = resource["Properties"]
        props = template.resolve(raw)
        arn = props.get("EventSourceArn", "")
        if ":sqs:" not in arn:
            continue
        function_id = template.function_behind(raw.get("FunctionName"))  # the function, or its `live` alias
        specs.append(
            MappingSpec(
                logical_id=logical_id,
                function_logical_id=function_id or "",
                queue_arn=arn,
                queue_url=str(queues_by_arn.get(arn) or ""),
                batch_size=int(props.get("BatchSize", 10)),
                batching_window=float(props.get("MaximumBatchingWindowInSeconds", 0)),
                report_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
                enabled=bool(props.get("Enabled", True)),
                max_concurrency=(props.get("ScalingConfig") or {}).get("MaximumConcurrency"),
            )
        )
    return specs


def mapping_concurrency(mappings: list[MappingSpec], *, duplicate_rate: float = 0.0) -> dict[str, int]:
    """Invocations each function needs at once so that every one of its mappings can run its MaximumConcurrency
    batches, as Lambda's pollers do (the account's pool, not a local default of a few workers, is their ceiling):
    the sum over its mappings, twice that with duplicate delivery on (a batch's twin runs beside it). Mappings
    without MaximumConcurrency add nothing (their pollers follow the function's own concurrency)."""
    needed: dict[str, int] = {}
    copies = 2 if duplicate_rate > 0 else 1
    for mapping in mappings:
        if mapping.enabled and mapping.max_concurrency:
            needed[mapping.function_logical_id] = (
                needed.get(mapping.function_logical_id, 0) + int(mapping.max_concurrency) * copies
            )
    return needed


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    records = []
    for message in messages:
        attributes = message.get("Attributes", {})
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message.get("Body", ""),
                "attributes": {
                    "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
                    "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
                    "SenderId": attributes.get("SenderId", "AIDAIENQZJOLO23YVJ4VO"),
                    "ApproximateFirstReceiveTimestamp": attributes.get(
                        "ApproximateFirstReceiveTimestamp", str(int(time.time() * 1000))
                    ),
                },
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value.get("DataType", "String"),
                    }
                    for name, value in (message.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
        )
    return {"Records": records}


class SqsPoller:
    """Pollers for one mapping: long-poll, gather up to the batch size within the window, invoke, delete successes.

    With `duplicate_rate` > 0 that share of the messages received is delivered twice, at the same time, as SQS's
    at-least-once delivery can: a second invocation gets the same records (message id, body, receipt handle; both
    handles work for delete and visibility changes, as two receipts of one message do).
    """

    # Lambda's pollers long-poll 20 s. Locally 5 s: moto reads the queue's visibility timeout when a receive
    # *starts*, so a shorter wait makes attribute changes apply promptly (and stopping is quicker).
    def __init__(
        self,
        spec: MappingSpec,
        runtime: FunctionRuntime,
        pollers: int | None = None,
        wait_seconds: int = 5,
        duplicate_rate: float = 0.0,
        rng: random.Random | None = None,
    ) -> None:
        if not 0.0 <= duplicate_rate <= 1.0:
            raise ValueError(f"duplicate_rate must be between 0 and 1, got {duplicate_rate}")
        self.spec = spec
        self.runtime = runtime
        self.pollers = pollers or min(spec.max_concurrency or runtime.spec.concurrency, runtime.spec.concurrency)
        self.wait_seconds = wait_seconds
        self.duplicate_rate = duplicate_rate
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._delivering = 0  # batches being delivered right now
        self.batches = 0
        self.deleted = 0
        self.delete_failures = 0
        self.failed_records = 0
        self.duplicated = 0  # messages delivered a second time on purpose

    def start(self) -> None:
        if not self.spec.enabled:
            return
        for index in range(self.pollers):
            thread = threading.Thread(target=self._loop, name=f"esm-{self.spec.logical_id}-{index}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self, timeout: float | None = None) -> None:
        """Stop polling; with a timeout, wait up to that long for the batches being delivered to finish (a receive
        still waiting is left alone: what it gets now is not delivered, and comes back after its visibility)."""
        self.stop_event.set()
        if timeout is not None:
            with self._idle:
                self._idle.wait_for(lambda: self._delivering == 0, timeout)

    def _receive(self, max_messages: int, wait: int) -> list[dict[str, Any]]:
        response = client("sqs").receive_message(
            QueueUrl=self.spec.queue_url,
            MaxNumberOfMessages=max(1, min(10, max_messages)),
            WaitTimeSeconds=wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        return list(response.get("Messages", []))

    def _gather(self) -> list[dict[str, Any]]:
        messages = self._receive(self.spec.batch_size, self.wait_seconds)
        if not messages:
            return []
        deadline = time.monotonic() + self.spec.batching_window
        while len(messages) < self.spec.batch_size and time.monotonic() < deadline and not self.stop_event.is_set():
            more = self._receive(self.spec.batch_size - len(messages), 0)
            if not more:
                time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
                continue
            messages.extend(more)
        return messages

    def _loop(self) -> None:
        while not self.stop_event.is_set():
            try:
                messages = self._gather()
                if messages and not self.stop_event.is_set():
                    self.process(messages)
            except (ClientError, EndpointConnectionError, OSError):
                time.sleep(0.5)
            except Exception:  # a poller must outlive any one batch, or the queue silently stops draining
                logger.exception("SQS poller error; continuing")
                time.sleep(0.5)

    def duplicates(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The messages to deliver a second time: each one with probability `duplicate_rate`."""
        if self.duplicate_rate <= 0:
            return []
        with self._lock:
            return [m for m in messages if self._rng.random() < self.duplicate_rate]

    def process(self, messages: list[dict[str, Any]]) -> None:
        """Deliver one batch (and, concurrently, its duplicates when duplicate delivery is on)."""
        twins = self.duplicates(messages)
        with self._lock:
            self._delivering += 1
            self.duplicated += len(twins)
        try:
            if not twins:
                self._deliver(messages)
                return
            second = threading.Thread(target=self._deliver, args=(twins,), name=f"esm-{self.spec.logical_id}-dup")
            second.start()
            self._deliver(messages)
            second.join()
        finally:
            with self._idle:
                self._delivering -= 1
                self._idle.notify_all()

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        """Invoke the function with one batch; delete what succeeded; leave failures to visibility and redrive."""
        with self._lock:
            self.batches += 1
        result = self.runtime.invoke(sqs_event(messages, self.spec.queue_arn), wait_for_slot=900.0)
        if not result.ok:
            with self._lock:
                self.failed_records += len(messages)
            return  # the whole batch becomes visible again after the visibility timeout
        failed_ids: set[str] = set()
        if self.spec.report_failures and isinstance(result.payload, dict):
            items = result.payload.get("batchItemFailures") or []
            failed_ids = {str(item.get("itemIdentifier")) for item in items if isinstance(item, dict)}
            known = {m["MessageId"] for m in messages}
            if any(item not in known for item in failed_ids):
                failed_ids = known  # an unknown id fails the whole batch, as Lambda does
        done = [m for m in messages if m["MessageId"] not in failed_ids]
        deleted = failures = 0
        for start in range(0, len(done), 10):
            chunk = done[start : start + 10]
            try:
                answer = client("sqs").delete_message_batch(
                    QueueUrl=self.spec.queue_url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
                )
            except ClientError:
                failures += len(chunk)
                continue
            deleted += len(answer.get("Successful", []))
            failures += len(answer.get("Failed", []))
        with self._lock:
            self.failed_records += len(failed_ids)
            self.deleted += deleted
            self.delete_failures += failures

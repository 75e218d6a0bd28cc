"""Duplicate SQS delivery on demand (RADAR_SQS_DUPLICATE_RATE): the share asked for is delivered twice, at once."""

from __future__ import annotations

import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from scripts.localcloud.cloud import CloudConfig, LocalCloud
from scripts.localcloud.esm import MappingSpec, SqsPoller
from tests.support.mini_template import mini_cloud

RATE = 0.3
MESSAGES = 200


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, moto_endpoint: str) -> Iterator[LocalCloud]:
    directory = tmp_path_factory.mktemp("mini-dup")
    with mini_cloud(directory, "MiniDup", endpoint=moto_endpoint, sqs_duplicate_rate=RATE) as local:
        yield local


def _deliveries(cloud: LocalCloud) -> list[dict[str, Any]]:
    log = Path(cloud.config.state_file).parent / "deliveries.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines() if line] if log.exists() else []


def test_the_configured_share_is_delivered_twice_concurrently_and_both_receipts_work(cloud: LocalCloud) -> None:
    queue_url = cloud.state()["resources"]["Queue"]["ref"]
    sqs = boto3.client("sqs")
    for start in range(0, MESSAGES, 10):
        sqs.send_message_batch(
            QueueUrl=queue_url,
            # A short pause: a batch of 10 runs its records one after another, and 10 x 0.3 s came within a loaded
            # machine's reach of the queue's 4 s visibility (a success was then redelivered: a third copy).
            Entries=[{"Id": str(n), "MessageBody": json.dumps({"id": f"m{n}", "pause": 0.05})}
                     for n in range(start, start + 10)],
        )
    deadline = time.time() + 60
    while time.time() < deadline and len({d["id"] for d in _deliveries(cloud)}) < MESSAGES:
        time.sleep(0.3)
    time.sleep(5)  # past the queue's 4 s visibility: a message whose deletes had failed would come back now

    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for delivery in _deliveries(cloud):
        by_id[delivery["id"]].append(delivery)
    assert len(by_id) == MESSAGES
    twice = {message: copies for message, copies in by_id.items() if len(copies) == 2}
    assert all(len(copies) in (1, 2) for copies in by_id.values())
    # A binomial count: 4 standard deviations either side of the expected share.
    spread = 4 * math.sqrt(MESSAGES * RATE * (1 - RATE))
    assert abs(len(twice) - MESSAGES * RATE) <= spread, len(twice)
    poller = cloud.pollers[0]
    assert poller.duplicated == len(twice)

    for copies in twice.values():
        first, second = copies
        assert first["message_id"] == second["message_id"] and first["receipt"] == second["receipt"]
        assert first["count"] == second["count"] == "1"  # the same receive, not a redelivery
    assert all(d["count"] == "1" for d in _deliveries(cloud))  # every message deleted: nothing came back
    assert poller.delete_failures == 0  # both copies' receipt handles were accepted by DeleteMessageBatch
    attrs = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    assert attrs == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}
    assert cloud.state()["weaker_guarantees"] == {"sqs_duplicate_rate": RATE}


def test_the_two_copies_run_at_the_same_time(cloud: LocalCloud) -> None:
    """With function concurrency to spare, a message's two deliveries overlap in time (not one after the other)."""
    queue_url = cloud.state()["resources"]["Queue"]["ref"]
    poller = cloud.pollers[0]
    poller.duplicate_rate = 1.0  # every message, for this test only
    try:
        for n in range(3):
            ident = f"overlap-{n}"
            boto3.client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps({"id": ident, "pause": 1.0}))
            deadline = time.time() + 30
            copies: list[dict[str, Any]] = []
            while time.time() < deadline and len(copies) < 2:
                time.sleep(0.2)
                copies = [d for d in _deliveries(cloud) if d["id"] == ident]
            assert len(copies) == 2, copies
            first, second = copies
            assert first["started"] < second["ended"] and second["started"] < first["ended"]
    finally:
        poller.duplicate_rate = RATE


def test_the_duplicate_share_follows_the_rate_and_is_off_by_default() -> None:
    spec = MappingSpec("M", "F", "arn", "url", 10, 0, True, True, None)
    runtime: Any = type("Runtime", (), {"spec": type("Spec", (), {"concurrency": 1})()})()
    messages = [{"MessageId": str(n)} for n in range(10_000)]
    for rate in (0.1, 0.3, 0.9):
        chosen = SqsPoller(spec, runtime, duplicate_rate=rate, rng=random.Random(5)).duplicates(messages)
        assert abs(len(chosen) / len(messages) - rate) < 0.02
    assert SqsPoller(spec, runtime).duplicates(messages) == []
    with pytest.raises(ValueError, match="between 0 and 1"):
        SqsPoller(spec, runtime, duplicate_rate=1.5)
    with pytest.raises(ValueError, match="RADAR_SQS_DUPLICATE_RATE"):
        CloudConfig(sqs_duplicate_rate=-0.1)

"""SQS event source mappings in the local cloud: partial batch failures and redrive to the DLQ by queue config."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from scripts.localcloud.cloud import LocalCloud
from tests.support.mini_template import mini_cloud


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, moto_endpoint: str) -> Iterator[LocalCloud]:
    with mini_cloud(tmp_path_factory.mktemp("mini-sqs"), "MiniSqs", endpoint=moto_endpoint) as local:
        yield local


def deliveries(cloud: LocalCloud) -> list[dict[str, str]]:
    log = Path(cloud.config.state_file).parent / "deliveries.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line]


def wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_partial_failure_redelivers_only_the_failed_record_then_redrives_it(cloud: LocalCloud) -> None:
    resources = cloud.state()["resources"]
    queue_url, dlq_url = resources["Queue"]["ref"], resources["Dlq"]["ref"]
    sqs = boto3.client("sqs")
    sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "ok", "MessageBody": json.dumps({"id": "good"})},
            {"Id": "bad", "MessageBody": json.dumps({"id": "poison", "fail": True})},
        ],
    )

    def dlq_has_poison() -> bool:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        return any(json.loads(m["Body"])["id"] == "poison" for m in messages)

    # Visibility is 4 s and maxReceiveCount is 2 in the template: two deliveries, then the DLQ.
    assert wait_for(dlq_has_poison, timeout=30.0), deliveries(cloud)
    seen = deliveries(cloud)
    assert [d["count"] for d in seen if d["id"] == "good"] == ["1"]  # succeeded once, deleted, never redelivered
    assert [d["count"] for d in seen if d["id"] == "poison"] == ["1", "2"]
    attrs = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"

"""Checks at the providers' real limits (issue 12), time-scaled: a cloud of this module's own with the sandbox at its
default limits, RADAR_SANDBOX_TIME_SCALE=10 (the product's schedules follow it) and 30 % duplicate SQS delivery."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.support.cloud import RunningCloud, Tenant, running_cloud
from tests.support.cnpjs import random_cnpjs

TIME_SCALE = 10
# A lookup waits at most this long for a provider's slot; beyond it a sync check is queued (202).
CAPACITY_WAIT_SECONDS = 2


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, sandbox_fixtures: Any) -> Iterator[RunningCloud]:
    with running_cloud(
        tmp_path_factory.mktemp("capacity-cloud"),
        extra_env={
            "RADAR_SANDBOX_FIXTURES": str(sandbox_fixtures),
            "RADAR_SANDBOX_TIME_SCALE": str(TIME_SCALE),
            "RADAR_SQS_DUPLICATE_RATE": "0.3",
            "RADAR_FUNCTION_ENV": json.dumps({"CAPACITY_WAIT_SECONDS": str(CAPACITY_WAIT_SECONDS)}),
        },
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def _calm_sandbox(cloud: RunningCloud) -> None:
    """Real limits (the sandbox's defaults), no injected faults (overrides the e2e package's lifted BrasilAPI)."""
    cloud.sandbox(fault_rate=0.0, latency_ms=0, rate_limits=True)


def _queue_depths(cloud: RunningCloud) -> dict[str, int]:
    sqs = boto3.client("sqs")
    depths = {}
    for name in ("ChecksQueue", "BatchQueue", "ChecksDlq"):
        attributes = sqs.get_queue_attributes(
            QueueUrl=cloud.resource(name)["ref"],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        depths[name] = sum(int(v) for v in attributes.values())
    return depths


def _queue_details(cloud: RunningCloud) -> dict[str, Any]:
    """What a queue that did not empty holds: its counts by kind and the visible messages' bodies (peeked)."""
    sqs = boto3.client("sqs")
    details: dict[str, Any] = {}
    for name in ("ChecksQueue", "BatchQueue", "ChecksDlq"):
        url = cloud.resource(name)["ref"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        peeked = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                     AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
        details[name] = {
            "counts": {k: v for k, v in attributes.items() if k.startswith("ApproximateNumber")},
            "visible": [(m["Body"][:160], m["Attributes"].get("ApproximateReceiveCount")) for m in peeked],
        }
    return details


@pytest.mark.timeout(900)
def test_a_300_cnpj_batch_at_real_limits_all_succeed_with_no_429_and_a_single_check_goes_first(
    cloud: RunningCloud,
) -> None:
    batch_tenant, single_tenant = cloud.signup(), cloud.signup()
    batch_tenant.upgrade("business")
    before = cloud.sandbox_stats()["violations"]
    cnpjs = random_cnpjs(300, seed=1212, alphanumeric_share=0.0)
    with batch_tenant.client(timeout=120) as client:
        created = client.post("/checks/batch", json={"cnpjs": cnpjs})
        assert created.status_code == 202, created.text
        batch_id = created.json()["batch_id"]
    # A second tenant's single async check, submitted while the batch runs.
    time.sleep(2)
    with single_tenant.client(timeout=60) as client:
        target = client.post("/targets", json={"cnpj": random_cnpjs(1, seed=4242, alphanumeric_share=0.0)[0]})
        assert target.status_code == 201, target.text
        queued = client.post(f"/targets/{target.json()['id']}/checks", params={"async": "true"})
        assert queued.status_code == 202, queued.text
        single_id = queued.json()["id"]
        deadline = time.time() + 120
        while (single := client.get(f"/checks/{single_id}").json())["status"] not in ("succeeded", "failed"):
            assert time.time() < deadline, single
            time.sleep(0.2)
    assert single["status"] == "succeeded", single
    with batch_tenant.client(timeout=60) as client:
        at_single = client.get(f"/checks/batch/{batch_id}").json()
        # Order, not timing: when the single check was done, most of the batch was still to do.
        finished_then = at_single["counts"]["succeeded"] + at_single["counts"]["failed"]
        assert finished_then < 0.75 * len(cnpjs), at_single
        deadline = time.time() + 780
        while not (batch := client.get(f"/checks/batch/{batch_id}").json())["done"]:
            assert time.time() < deadline, batch
            time.sleep(1)
    assert batch["counts"] == {"queued": 0, "running": 0, "succeeded": 300, "failed": 0}
    stats = cloud.sandbox_stats()
    # Not one request over a provider's limit; if there was, which provider and the window it met.
    overflow = {key: stats[key] for key in ("violations_by_kind", "violation_log", "requests")}
    assert stats["violations"] == before, json.dumps(overflow)
    # Waiting for capacity spent no receives: nothing dead-lettered, nothing left behind.
    deadline = time.time() + 30
    while (depths := _queue_depths(cloud)) != {"ChecksQueue": 0, "BatchQueue": 0, "ChecksDlq": 0}:
        assert time.time() < deadline, (depths, _queue_details(cloud))
        time.sleep(1)


def _usage(tenant: Tenant) -> int:
    with tenant.client() as client:
        return int(client.get("/usage").json()["used"])


def test_a_sync_check_with_no_slot_in_its_budget_is_queued_and_with_on_busy_fail_is_a_free_503(
    cloud: RunningCloud,
) -> None:
    tenant = cloud.signup()
    tenant.upgrade("pro")  # the test's own calls stay under the plan's request rate (free: 2 a second)
    cnpjs = random_cnpjs(3, seed=777, alphanumeric_share=0.0)
    with tenant.client(timeout=60) as client:
        targets = [client.post("/targets", json={"cnpj": c}).json()["id"] for c in cnpjs]
        # Every provider answers 429 once: each pauses its schedule for its Retry-After (one scaled window, 6 s). The
        # checks under test go right after it, with nothing in between (the usage reads come after them): their
        # premise is that every schedule is still paused beyond the 2 s sync budget.
        cloud.sandbox(fault_rate=1.0, faults=["429"])
        storm = client.post(f"/targets/{targets[0]}/checks")
        cloud.sandbox(fault_rate=0.0)
        refused = client.post(f"/targets/{targets[1]}/checks", params={"on_busy": "fail"})
        queued = client.post(f"/targets/{targets[2]}/checks")
        assert storm.status_code == 503 and "Retry-After" in storm.headers, storm.text
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "providers_busy"
        assert int(refused.headers["Retry-After"]) >= 1
        assert queued.status_code == 202, queued.text
        body = queued.json()
        assert body["status"] == "queued" and body["eta_seconds"] > CAPACITY_WAIT_SECONDS
        assert queued.headers["Location"] == f"/checks/{body['id']}" and int(queued.headers["Retry-After"]) >= 1
        # The storm's failed check gave its unit back, the refused one was not charged, the queued one is counted.
        assert _usage(tenant) == 1
        deadline = time.time() + 60
        while (check := client.get(f"/checks/{body['id']}").json())["status"] not in ("succeeded", "failed"):
            assert time.time() < deadline, check
            time.sleep(0.3)
    assert check["status"] == "succeeded", check
    assert _usage(tenant) == 1

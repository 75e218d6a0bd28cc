"""Faults and races end to end: worker processes killed mid-batch, and concurrent checks at the allowance edge."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import boto3
import httpx

from radar.tiers import load_tiers
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs


def test_killed_workers_lose_no_check(cloud: RunningCloud) -> None:
    tenant = cloud.signup()
    tenant.upgrade("business")
    sqs = boto3.client("sqs")
    queue_url = cloud.state["resources"]["BatchQueue"]["ref"]  # batch items' lane
    dlq_url = cloud.state["resources"]["ChecksDlq"]["ref"]
    template_visibility = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    # A killed batch comes back after the visibility timeout (360 s in the template, as in AWS): shorten it here.
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "5"})
    time.sleep(6)  # receives already long-polling keep the old timeout (moto reads it when a receive starts)
    cloud.sandbox(latency_ms=300)
    try:
        cnpjs = random_cnpjs(40, seed=4040)
        created = httpx.post(
            f"{cloud.api_url}/checks/batch", json={"cnpjs": cnpjs}, headers=tenant.key("analyst"), timeout=60
        )
        assert created.status_code == 202, created.text
        batch = created.json()
        killed = 0
        for _ in range(3):
            time.sleep(1.5)
            for pid in cloud.function_pids().get("WorkerFunction", []):
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except ProcessLookupError:
                    pass
        assert killed > 0
        deadline = time.time() + 150
        while True:
            counts = httpx.get(
                f"{cloud.api_url}/checks/batch/{batch['batch_id']}", headers=tenant.key(), timeout=30
            ).json()["counts"]
            if counts["queued"] + counts["running"] == 0 or time.time() > deadline:
                break
            time.sleep(1)
        assert counts["succeeded"] + counts["failed"] == 40, counts
        statuses = [
            check["status"]
            for check in httpx.get(
                f"{cloud.api_url}/checks/batch/{batch['batch_id']}/checks",
                params={"limit": 100},
                headers=tenant.key(),
                timeout=30,
            ).json()["items"]
        ]
        assert len(statuses) == 40
        assert all(s in {"succeeded", "failed"} for s in statuses)
        assert statuses.count("succeeded") == counts["succeeded"]  # each check counted once, in one final state
        # A duplicate of a killed page's message may still be on its way back (held for the lease, then dropped as
        # done): the lane empties within a lease or two, with nothing left to run.
        drained = time.time() + 30
        while (attrs := sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]) != {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}:
            assert time.time() < drained, attrs
            time.sleep(1)
        in_dlq = int(
            sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
                "ApproximateNumberOfMessages"
            ]
        )
        assert in_dlq <= statuses.count("failed")  # whatever reached the DLQ was marked failed
    finally:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=template_visibility["Attributes"])
        cloud.sandbox(latency_ms=0)


def test_concurrent_checks_at_the_allowance_edge_accept_exactly_what_is_left(cloud: RunningCloud) -> None:
    tenant = cloud.signup()
    tenant.upgrade("pro")
    allowance = load_tiers().get("pro").monthly_checks
    period = datetime.now(UTC).strftime("%Y-%m")
    boto3.client("dynamodb").update_item(  # test setup: this month has 5 checks left
        TableName=cloud.state["resources"]["MainTable"]["ref"],
        Key={"pk": {"S": f"TENANT#{tenant.tenant_id}"}, "sk": {"S": f"USAGE#{period}"}},
        UpdateExpression="SET used = :used",
        ExpressionAttributeValues={":used": {"N": str(allowance - 5)}},
    )
    target = httpx.post(
        f"{cloud.api_url}/targets", json={"cnpj": "19131243000197"}, headers=tenant.key("analyst"), timeout=30
    ).json()
    url = f"{cloud.api_url}/targets/{target['id']}/checks"
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(
            pool.map(
                lambda _: httpx.post(url, params={"async": "true"}, headers=tenant.key("analyst"), timeout=60),
                range(20),
            )
        )
    codes = sorted(r.status_code for r in responses)
    assert codes == [202] * 5 + [429] * 15, codes
    refused = next(r for r in responses if r.status_code == 429).json()["error"]
    assert refused["code"] == "allowance_exceeded"
    assert refused["details"]["allowance"] == allowance
    usage = httpx.get(f"{cloud.api_url}/usage", headers=tenant.key("viewer"), timeout=30).json()
    assert usage["used"] == allowance and usage["remaining"] == 0
    # The refusals are counted as a metric (EMF -> CloudWatch), for the business dashboard.
    cloudwatch = boto3.client("cloudwatch")
    deadline = time.time() + 10
    while not cloudwatch.list_metrics(Namespace="CnpjRadar", MetricName="ThrottledRequests")["Metrics"]:
        assert time.time() < deadline, "ThrottledRequests never reached CloudWatch"
        time.sleep(0.5)


def test_an_upgrade_lifts_the_allowance_at_once_despite_the_cached_authorizer_context(cloud: RunningCloud) -> None:
    tenant = cloud.signup()
    free = load_tiers().get("free").monthly_checks
    boto3.client("dynamodb").update_item(  # test setup: the free allowance is used up
        TableName=cloud.state["resources"]["MainTable"]["ref"],
        Key={"pk": {"S": f"TENANT#{tenant.tenant_id}"}, "sk": {"S": f"USAGE#{datetime.now(UTC):%Y-%m}"}},
        UpdateExpression="SET used = :used",
        ExpressionAttributeValues={":used": {"N": str(free)}},
    )
    target = httpx.post(
        f"{cloud.api_url}/targets", json={"cnpj": "19131243000197"}, headers=tenant.key("analyst"), timeout=30
    ).json()
    url = f"{cloud.api_url}/targets/{target['id']}/checks"
    refused = httpx.post(url, params={"async": "true"}, headers=tenant.key("analyst"), timeout=30)
    assert refused.status_code == 429 and refused.json()["error"]["details"]["upgrade_plan"] == "pro"
    tenant.upgrade("pro")  # the analyst key's authorizer decision (plan: free) is still cached
    accepted = httpx.post(url, params={"async": "true"}, headers=tenant.key("analyst"), timeout=30)
    assert accepted.status_code == 202, accepted.text
    usage = httpx.get(f"{cloud.api_url}/usage", headers=tenant.key("viewer"), timeout=30).json()
    assert usage["plan"] == "pro" and usage["allowance"] == load_tiers().get("pro").monthly_checks

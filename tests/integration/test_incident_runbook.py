"""The incident runbook's provider pause, as an operator types it, really stops the breaker from allowing calls."""

from __future__ import annotations

import time

import boto3

from radar.coordination.breaker import DynamoCircuitBreaker
from tests.support.aws import AwsResources


def test_pausing_a_provider_by_hand_opens_its_breaker_until_the_given_time(aws: AwsResources) -> None:
    breaker = DynamoCircuitBreaker(aws.cache_table)
    provider = f"paused-{int(time.time() * 1000)}"
    assert breaker.allow(provider)
    until = time.time() + 3600
    # docs/runbooks/incident.md, "Pause a provider" (the aws CLI put-item, in boto3's words).
    boto3.client("dynamodb").put_item(TableName=aws.cache_table, Item={
        "pk": {"S": f"BREAKER#{provider}"}, "state": {"S": "open"}, "failures": {"N": "0"},
        "opened_at": {"N": str(int(until))}})
    assert not breaker.allow(provider)
    assert breaker.state(provider) == "open"
    boto3.client("dynamodb").delete_item(TableName=aws.cache_table, Key={"pk": {"S": f"BREAKER#{provider}"}})
    assert breaker.allow(provider)  # resumed

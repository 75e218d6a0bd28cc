"""The emulator's conditional writes are atomic under concurrency, as DynamoDB's are (moto's are not by itself)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.exceptions import ClientError

from tests.support.aws import AwsResources


def test_concurrent_conditional_adds_never_pass_the_limit(aws: AwsResources) -> None:
    ddb = boto3.client("dynamodb")
    key = {"pk": {"S": f"ATOMIC#{uuid.uuid4().hex}"}, "sk": {"S": "COUNTER"}}

    def take() -> bool:
        try:
            ddb.update_item(
                TableName=aws.main_table,
                Key=key,
                UpdateExpression="ADD used :one",
                ConditionExpression="attribute_not_exists(used) OR used < :limit",
                ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": "25"}},
            )
        except ClientError as exc:
            assert exc.response["Error"]["Code"] == "ConditionalCheckFailedException"
            return False
        return True

    with ThreadPoolExecutor(max_workers=16) as pool:
        granted = sum(pool.map(lambda _: take(), range(200)))
    assert granted == 25
    assert ddb.get_item(TableName=aws.main_table, Key=key)["Item"]["used"] == {"N": "25"}


def test_a_read_waits_for_a_write_in_progress(aws: AwsResources) -> None:
    """moto updates items in place: a scan that ran during an update could see half of it (or fail with a 500).
    Reads take the writers' lock, so while a write holds it a scan waits, then sees the item whole."""
    from scripts.localcloud.moto_atomic import _lock

    ddb = boto3.client("dynamodb")
    done = threading.Event()

    def scan() -> None:
        ddb.scan(TableName=aws.cache_table, Limit=1)
        done.set()

    with _lock:  # as a write in progress would
        reader = threading.Thread(target=scan)
        reader.start()
        assert not done.wait(0.5)  # blocked on the lock, not answered with a half-written item
    assert done.wait(10)
    reader.join()

"""The emulator's conditional writes are atomic under concurrency, as DynamoDB's are (moto's are not by itself)."""

from __future__ import annotations

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

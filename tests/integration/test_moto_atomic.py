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


def test_a_cancelled_transaction_leaves_every_item_as_it_was(aws: AwsResources) -> None:
    """The emulator backs up only the items a transaction names (moto copied whole tables): a transaction whose last
    condition fails must still undo its earlier updates and puts."""
    ddb = boto3.client("dynamodb")
    base = f"ROLLBACK#{uuid.uuid4().hex}"
    counter = {"pk": {"S": base}, "sk": {"S": "COUNTER"}}
    fresh = {"pk": {"S": base}, "sk": {"S": "NEW"}}
    ddb.put_item(TableName=aws.main_table, Item={**counter, "used": {"N": "1"}})
    try:
        ddb.transact_write_items(
            TransactItems=[
                {"Update": {"TableName": aws.main_table, "Key": counter, "UpdateExpression": "ADD used :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                {"Put": {"TableName": aws.main_table, "Item": {**fresh, "v": {"S": "x"}}}},
                {"Update": {"TableName": aws.main_table, "Key": {"pk": {"S": base}, "sk": {"S": "MISSING"}},
                            "UpdateExpression": "SET v = :v", "ConditionExpression": "attribute_exists(pk)",
                            "ExpressionAttributeValues": {":v": {"S": "y"}}}},
            ]
        )
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "TransactionCanceledException"
    else:
        raise AssertionError("the transaction should have been cancelled")
    assert ddb.get_item(TableName=aws.main_table, Key=counter)["Item"]["used"] == {"N": "1"}
    assert "Item" not in ddb.get_item(TableName=aws.main_table, Key=fresh)
    assert "Item" not in ddb.get_item(TableName=aws.main_table, Key={"pk": {"S": base}, "sk": {"S": "MISSING"}})

"""GSI lag on demand (RADAR_GSI_LAG_MS): index reads see writes only after the lag; base-table reads at once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from scripts.localcloud.moto_gsi import gsi_lag_seconds, set_gsi_lag

LAG_MS = 1500


@pytest.fixture
def lagging(moto_endpoint: str) -> Iterator[None]:
    set_gsi_lag(LAG_MS)
    yield
    set_gsi_lag(0)


@pytest.fixture
def table(moto_endpoint: str) -> str:
    name = f"gsi-lag-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "email")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    return name


def _key(pk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": "A"}}


def _by_email(table: str, email: str) -> list[str]:
    items = boto3.client("dynamodb").query(
        TableName=table,
        IndexName="by_email",
        KeyConditionExpression="email = :e",
        ExpressionAttributeValues={":e": {"S": email}},
    )["Items"]
    return sorted(item["pk"]["S"] for item in items)


def _wait_past_lag(since: float) -> None:
    time.sleep(max(0.0, since + LAG_MS / 1000 + 0.1 - time.monotonic()))


def test_a_fresh_item_is_missing_from_the_index_until_the_lag_has_passed(lagging: None, table: str) -> None:
    ddb = boto3.client("dynamodb")
    written = time.monotonic()
    ddb.put_item(TableName=table, Item=_key("u1") | {"email": {"S": "a@example.com"}})
    assert _by_email(table, "a@example.com") == []  # the index has not caught up
    assert ddb.get_item(TableName=table, Key=_key("u1"))["Item"]["email"]["S"] == "a@example.com"  # the table has
    assert ddb.query(
        TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "u1"}},
        ConsistentRead=True,
    )["Count"] == 1
    assert ddb.scan(TableName=table, IndexName="by_email")["Count"] == 0
    _wait_past_lag(written)
    assert _by_email(table, "a@example.com") == ["u1"]
    assert ddb.scan(TableName=table, IndexName="by_email")["Count"] == 1


def test_updates_and_deletes_reach_the_index_late_too(lagging: None, table: str) -> None:
    ddb = boto3.client("dynamodb")
    ddb.put_item(TableName=table, Item=_key("u2") | {"email": {"S": "old@example.com"}})
    _wait_past_lag(time.monotonic())
    changed = time.monotonic()
    ddb.update_item(
        TableName=table, Key=_key("u2"), UpdateExpression="SET email = :e",
        ExpressionAttributeValues={":e": {"S": "new@example.com"}},
    )
    assert _by_email(table, "old@example.com") == ["u2"]  # the index still has the old version
    assert _by_email(table, "new@example.com") == []
    _wait_past_lag(changed)
    assert (_by_email(table, "old@example.com"), _by_email(table, "new@example.com")) == ([], ["u2"])
    deleted = time.monotonic()
    ddb.delete_item(TableName=table, Key=_key("u2"))
    assert _by_email(table, "new@example.com") == ["u2"]  # deleted, still in the index for a while
    assert "Item" not in ddb.get_item(TableName=table, Key=_key("u2"))
    _wait_past_lag(deleted)
    assert _by_email(table, "new@example.com") == []


def test_a_cancelled_transaction_leaves_the_index_as_it_was(lagging: None, table: str) -> None:
    ddb = boto3.client("dynamodb")
    ddb.put_item(TableName=table, Item=_key("u3") | {"email": {"S": "c@example.com"}})
    _wait_past_lag(time.monotonic())
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ddb.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": table, "Key": _key("u3")}},
                {"ConditionCheck": {"TableName": table, "Key": _key("nobody"),
                                    "ConditionExpression": "attribute_exists(pk)"}},
            ]
        )
    assert _by_email(table, "c@example.com") == ["u3"]
    assert "Item" in ddb.get_item(TableName=table, Key=_key("u3"))


def test_without_a_lag_the_index_is_read_at_once(table: str) -> None:
    assert gsi_lag_seconds() == 0
    boto3.client("dynamodb").put_item(TableName=table, Item=_key("u4") | {"email": {"S": "d@example.com"}})
    assert _by_email(table, "d@example.com") == ["u4"]
    with pytest.raises(ValueError):
        set_gsi_lag(-1)

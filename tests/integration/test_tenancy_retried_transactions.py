"""Retried transactions are safe: an SDK retry of a committed TransactWriteItems is the same transaction, not a new one.

botocore retries a request whose response it did not get (a read timeout after DynamoDB committed). Without a
ClientRequestToken the retry runs the transaction again and fails its own conditions: a fresh signup answered 409
email_taken (seen under load by several engineers). The emulator honours the token as DynamoDB does (10 minutes).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from radar.store import main_table_connection
from radar.tables import bind_main_table
from tests.integration.test_auth_api import PASSWORD, call, rest_event, unique_email, use_cheap_argon2
from tests.support.aws import AwsResources


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


@pytest.fixture
def lost_first_transaction_response(aws: AwsResources) -> Iterator[list[str]]:
    """The first TransactWriteItems response is "lost" after it committed: botocore retries it at once, as after a
    read timeout. Yields the ClientRequestToken of each attempt."""
    bind_main_table(aws.main_table)
    client: Any = main_table_connection().client
    attempts: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        attempts.append(str(params.get("ClientRequestToken", "")))

    def lose_first(attempts: int, caught_exception: Any, response: Any, **_: Any) -> float | None:
        committed = caught_exception is None and response is not None and response[0].status_code == 200
        return 0 if attempts == 1 and committed else None

    client.meta.events.register("provide-client-params.dynamodb.TransactWriteItems", record)
    client.meta.events.register_first("needs-retry.dynamodb.TransactWriteItems", lose_first)
    yield attempts
    client.meta.events.unregister("needs-retry.dynamodb.TransactWriteItems", lose_first)
    client.meta.events.unregister("provide-client-params.dynamodb.TransactWriteItems", record)


def test_signup_whose_commit_response_was_lost_still_succeeds(
    aws: AwsResources, lambda_context: Any, lost_first_transaction_response: list[str]
) -> None:
    """Caught: without a ClientRequestToken the retried signup transaction failed its e-mail claim condition and a
    fresh e-mail got 409 email_taken (while its tenant had been created)."""
    email = unique_email("retried")
    status, body, _ = call(
        rest_event("POST", "/auth/signup", {"tenant_name": "Retry Co", "email": email, "password": PASSWORD}),
        lambda_context,
    )
    assert status == 201, body
    assert body["user"]["email"] == email
    # Each transaction (the account, then the first session) is one API call with its own token; botocore's retry
    # of the first reused its parameters, token included.
    assert all(len(token) >= 16 for token in lost_first_transaction_response)
    assert len(set(lost_first_transaction_response)) == len(lost_first_transaction_response) >= 1


def _put(table: str, pk: str, sk: str) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": table,
            "Item": {"pk": {"S": pk}, "sk": {"S": sk}},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def test_emulator_honours_client_request_tokens(aws: AwsResources):
    """Caught: moto ignored ClientRequestToken, so a repeated token ran the transaction again (and failed its
    condition) and a reused token with other items was accepted."""
    ddb: Any = boto3.client("dynamodb")
    pk, token = f"RETRY#{uuid.uuid4().hex}", uuid.uuid4().hex
    items = [_put(aws.main_table, pk, "A")]
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    ddb.delete_item(TableName=aws.main_table, Key={"pk": {"S": pk}, "sk": {"S": "A"}})

    ddb.transact_write_items(TransactItems=items, ClientRequestToken=token)  # the same transaction: not applied again
    assert "Item" not in ddb.get_item(TableName=aws.main_table, Key={"pk": {"S": pk}, "sk": {"S": "A"}})

    with pytest.raises(ddb.exceptions.IdempotentParameterMismatchException):
        ddb.transact_write_items(TransactItems=[_put(aws.main_table, pk, "B")], ClientRequestToken=token)
    # Without a token, a repeat is a new transaction, whose condition is checked again.
    ddb.transact_write_items(TransactItems=items)
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=items)

"""The local cloud's own emulator: its state kept across restarts (0600), GSI lag passed to it, ports never moved."""

from __future__ import annotations

import json
import os
import socket
import stat
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from scripts.localcloud.ports import PortTaken, port_is_free
from tests.support.aws import free_port
from tests.support.mini_template import USAGE_KEYS, mini_cloud


@pytest.fixture(autouse=True)
def _own_emulator_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These clouds point the process at their own emulator; the session's moto is back for the next module."""
    for name in ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
    yield


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _usage_plan_key_ids(plan_name: str) -> set[str]:
    apigw = boto3.client("apigateway")
    plan = next(p for p in apigw.get_usage_plans()["items"] if p["name"] == plan_name)
    return {key["id"] for key in apigw.get_usage_plan_keys(usagePlanId=plan["id"])["items"]}


def _quota(api_url: str) -> int:
    return httpx.get(f"{api_url}/items", headers={"x-token": f"allow:quota:{USAGE_KEYS['quota']}"}).status_code


def test_a_restart_keeps_tables_secrets_keys_plans_queues_and_quota_counts(tmp_path: Path) -> None:
    key_value = f"tenant-key-{uuid.uuid4().hex}"
    with mini_cloud(tmp_path, "Keep", endpoint=None, moto_port=free_port(), persist=True) as first:
        resources = first.state()["resources"]
        table, secret, queue, dlq = (resources[n]["ref"] for n in ("Table", "Secret", "Queue", "Dlq"))
        assert first.restored["restored"] is False
        ddb, sqs, apigw = boto3.client("dynamodb"), boto3.client("sqs"), boto3.client("apigateway")
        for n in range(30):
            ddb.put_item(TableName=table, Item={"pk": {"S": f"item-{n}"}, "n": {"N": str(n)}})
        secret_value = boto3.client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"]
        key = apigw.create_api_key(name="tenant-x", value=key_value, enabled=True)
        plan_id = next(p["id"] for p in apigw.get_usage_plans()["items"] if p["name"] == "bursty")
        apigw.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"id": "later"}), DelaySeconds=600)
        sqs.send_message(QueueUrl=dlq, MessageBody="dead")
        assert [_quota(first.api_url) for _ in range(2)] == [200, 200]  # 2 of the plan's 3 a day
        state_file = first.config.state_file
        assert _mode(state_file) == 0o600
    saved = tmp_path / "emulator-state.pickle"
    assert _mode(saved) == 0o600 and _mode(tmp_path / "gateway-quotas.json") == 0o600

    with mini_cloud(tmp_path, "Keep", endpoint=None, moto_port=free_port(), persist=True) as second:
        assert second.restored["restored"] is True
        assert second.restored["counts"]["items"] >= 30 and second.restored["counts"]["api_keys"] >= 3
        ddb, sqs, apigw = boto3.client("dynamodb"), boto3.client("sqs"), boto3.client("apigateway")
        assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 30
        assert boto3.client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"] == secret_value
        kept = next(k for k in apigw.get_api_keys(includeValues=True)["items"] if k["name"] == "tenant-x")
        assert (kept["id"], kept["value"], kept["enabled"]) == (key["id"], key_value, True)
        assert key["id"] in _usage_plan_key_ids("bursty")
        assert second.state()["resources"]["BurstyPlan"]["ref"] == plan_id  # the same ids, as AWS keeps them
        delayed = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
        assert delayed["Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"  # a delayed message survives
        assert sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1)["Messages"][0]["Body"] == "dead"
        assert [_quota(second.api_url) for _ in range(2)] == [200, 429]  # the quota counted across the restart


def test_without_persistence_a_restart_starts_fresh(tmp_path: Path) -> None:
    for _ in range(2):
        with mini_cloud(tmp_path, "Fresh", endpoint=None, moto_port=free_port(), persist=False) as cloud:
            table = cloud.state()["resources"]["Table"]["ref"]
            assert boto3.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"] == 0
            boto3.client("dynamodb").put_item(TableName=table, Item={"pk": {"S": "x"}})
            assert cloud.restored == {"restored": False, "reason": "not kept (RADAR_PERSIST=0)"}
    assert not (tmp_path / "emulator-state.pickle").exists()


def test_a_state_file_from_another_emulator_is_set_aside_not_loaded(tmp_path: Path) -> None:
    (tmp_path / "emulator-state.pickle").write_bytes(b"not a pickle of ours")
    with mini_cloud(tmp_path, "Aside", endpoint=None, moto_port=free_port(), persist=True) as cloud:
        assert cloud.restored["restored"] is False
        assert Path(cloud.restored["set_aside"]).read_bytes() == b"not a pickle of ours"
    assert (tmp_path / "emulator-state.pickle").exists()  # and this run's state was saved in its place


def test_gsi_lag_reaches_the_clouds_own_emulator(tmp_path: Path) -> None:
    with mini_cloud(tmp_path, "Lag", endpoint=None, moto_port=free_port(), persist=False, gsi_lag_ms=800) as cloud:
        ddb = boto3.client("dynamodb", endpoint_url=cloud.endpoint)
        ddb.create_table(
            TableName="lagged",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "g")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}],
        )
        written = time.monotonic()
        ddb.put_item(TableName="lagged", Item={"pk": {"S": "a"}, "g": {"S": "x"}})

        def query() -> int:
            return int(ddb.query(TableName="lagged", IndexName="by_g", KeyConditionExpression="g = :g",
                                 ExpressionAttributeValues={":g": {"S": "x"}})["Count"])

        assert query() == 0
        assert "Item" in ddb.get_item(TableName="lagged", Key={"pk": {"S": "a"}})
        time.sleep(max(0.0, written + 0.9 - time.monotonic()))
        assert query() == 1
        assert cloud.state()["weaker_guarantees"] == {"gsi_lag_ms": 800}


def test_a_taken_requested_port_is_an_error_naming_it(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        for settings, name in (({"moto_port": taken}, "RADAR_MOTO_PORT"), ({"port": taken}, "RADAR_PORT"),
                               ({"service_ports": {"ops": taken}}, "RADAR_OPS_PORT")):
            with pytest.raises(PortTaken, match=f"port {taken} \\({name}\\)"), \
                    mini_cloud(tmp_path, "Taken", endpoint=None, persist=False, **_fill(settings)):
                pass


def _fill(settings: dict[str, Any]) -> dict[str, Any]:
    return {"moto_port": free_port(), "port": free_port(), "service_ports": {"ops": free_port()}} | settings


def test_a_port_in_time_wait_is_free_again() -> None:
    """The port of a cloud that just stopped (its connections in TIME_WAIT) can be used at once, as servers set
    SO_REUSEADDR; the check says so too, instead of moving the cloud to another port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    caller = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    accepted.close()  # the server side closes first: its end of the connection waits in TIME_WAIT
    time.sleep(0.1)
    caller.close()
    listener.close()
    plain = socket.socket()
    with pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # without SO_REUSEADDR the port still looks taken
    plain.close()
    assert port_is_free(port)

"""A moto server for integration tests, and the project's resources created in it (schema per docs/architecture.md)."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AwsResources", "create_main_table", "free_port", "provision_resources", "start_moto"]


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A loopback port free now and not handed out before by this process: the OS may give a just-released port
    again, and a cloud started with two equal ports refuses to start."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def start_moto() -> tuple[Any, str]:
    """Start an in-process moto server on a free loopback port; point boto3/pynamodb at it via the environment."""
    from moto.server import ThreadedMotoServer

    from scripts.localcloud.moto_atomic import make_dynamodb_writes_atomic
    from scripts.localcloud.moto_gsi import make_gsi_reads_lag

    make_dynamodb_writes_atomic()  # as DynamoDB: concurrent conditional writes never both pass
    # GSI reads lag writes by RADAR_GSI_LAG_MS (default 0); a test can change it with moto_gsi.set_gsi_lag.
    make_gsi_reads_lag(float(os.environ.get("RADAR_GSI_LAG_MS", "0")))

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1",
            "POWERTOOLS_METRICS_NAMESPACE": "CnpjRadar",
        }
    )
    return server, endpoint


@dataclass
class AwsResources:
    main_table: str
    cache_table: str
    idempotency_table: str
    queue_url: str
    dlq_url: str
    secrets: dict[str, str]
    usage_plan_ids: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)
    purge_queue_url: str = ""


def create_main_table(name: str) -> str:
    """The main table as the template defines it: pk/sk, GSIs gsi1 and gsi2 (all keys strings), on demand."""
    import boto3

    attrs = [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")]
    ddb: Any = boto3.client("dynamodb")
    ddb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=attrs,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": f"{index}pk", "KeyType": "HASH"},
                    {"AttributeName": f"{index}sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in ("gsi1", "gsi2")
        ],
    )
    return name


def provision_resources(prefix: str = "test") -> AwsResources:
    """Create tables, queues, secrets and usage plans like the template does; export their names as function env."""
    import boto3

    from radar.tiers import load_tiers

    ddb: Any = boto3.client("dynamodb")
    main, cache, idem = f"{prefix}-main", f"{prefix}-cache", f"{prefix}-idempotency"
    create_main_table(main)
    ddb.create_table(
        TableName=cache,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    ddb.create_table(
        TableName=idem,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    sqs = boto3.client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"{prefix}-checks-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(
        QueueName=f"{prefix}-checks",
        Attributes={
            "VisibilityTimeout": "360",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
        },
    )["QueueUrl"]
    purge_queue_url = sqs.create_queue(QueueName=f"{prefix}-purge", Attributes={"VisibilityTimeout": "360"})["QueueUrl"]
    sm = boto3.client("secretsmanager")
    secrets = {}
    for name, value in {
        "signing": "placeholder",
        "public": "placeholder",
        "providers": json.dumps({"cnpjws": "", "receitaws": ""}),
        "cursor": "cursor-key-for-tests-0123456789abcdef",
    }.items():
        secrets[name] = sm.create_secret(Name=f"{prefix}-{name}", SecretString=value)["ARN"]
    apigw: Any = boto3.client("apigateway")
    api_id = apigw.create_rest_api(name=f"{prefix}-api")["id"]
    usage_plan_ids = {}
    for plan, tier in load_tiers().tiers.items():
        usage_plan_ids[plan] = apigw.create_usage_plan(
            name=f"{prefix}-{plan}",
            throttle={"rateLimit": tier.rate, "burstLimit": tier.burst},
            quota={"limit": tier.quota, "period": tier.quota_period},
            apiStages=[{"apiId": api_id, "stage": "v1"}],
        )["id"]
    env = {
        "MAIN_TABLE": main,
        "CACHE_TABLE": cache,
        "IDEMPOTENCY_TABLE": idem,
        "CHECKS_QUEUE_URL": queue_url,
        "BATCH_QUEUE_URL": queue_url,  # one queue for both lanes in integration tests
        "CHECKS_DLQ_URL": dlq_url,
        "SIGNING_KEY_SECRET_ARN": secrets["signing"],
        "PUBLIC_KEYS_SECRET_ARN": secrets["public"],
        "PROVIDER_TOKENS_SECRET_ARN": secrets["providers"],
        "CURSOR_KEY_SECRET_ARN": secrets["cursor"],
        "USAGE_PLAN_IDS": json.dumps(usage_plan_ids),
        "MAX_RECEIVE_COUNT": "5",
        "PURGE_QUEUE_URL": purge_queue_url,
    }
    os.environ.update(env)
    return AwsResources(main, cache, idem, queue_url, dlq_url, secrets, usage_plan_ids, env, purge_queue_url)

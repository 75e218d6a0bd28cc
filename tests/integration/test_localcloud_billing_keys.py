"""The local cloud's billing sandbox and the billing secret: a second cloud on the same emulator (or a restored one)
keeps the keys the functions already read, so no function is ever refused by its own sandbox."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace
from typing import Any

import boto3
import httpx

from scripts.localcloud.services import _start_billing_sandbox
from tests.support.aws import AwsResources


def _cloud_with_secret(value: str) -> Any:
    arn = boto3.client("secretsmanager").create_secret(Name=f"billing-{uuid.uuid4().hex[:8]}",
                                                       SecretString=value)["ARN"]
    return SimpleNamespace(template=SimpleNamespace(refs={"BillingSecret": arn})), arn


def _secret(arn: str) -> dict[str, str]:
    return dict(json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]))


def _customers(url: str, key: str) -> int:
    return httpx.post(f"{url}/v1/customers", data={"name": "x"}, headers={"Authorization": f"Bearer {key}"},
                      timeout=10).status_code


def test_a_fresh_secret_gets_the_sandboxs_keys_and_a_second_sandbox_keeps_them(aws: AwsResources) -> None:
    cloud, arn = _cloud_with_secret("generated-by-the-template")  # what CloudFormation's generated string holds
    first = _start_billing_sandbox(cloud, 0)
    try:
        written = _secret(arn)
        assert written["secret_key"].startswith("sk_test_") and written["webhook_secret"].startswith("whsec_")
        assert _customers(first.url, written["secret_key"]) == 200
        second = _start_billing_sandbox(cloud, 0)
        try:
            assert _secret(arn) == written  # not replaced under the first cloud's functions
            assert second.handle.config.api_key == written["secret_key"]
            assert second.handle.config.webhook_secret == written["webhook_secret"]
            assert _customers(second.url, written["secret_key"]) == 200
            assert _customers(second.url, "sk_test_" + "x" * 24) == 401  # it still checks the key
        finally:
            second.stop()
    finally:
        first.stop()


def test_a_secret_without_sandbox_keys_is_replaced(aws: AwsResources) -> None:
    cloud, arn = _cloud_with_secret(json.dumps({"secret_key": "rk_live_not_a_test_key", "webhook_secret": ""}))
    running = _start_billing_sandbox(cloud, 0)
    try:
        assert _secret(arn)["secret_key"] == running.handle.config.api_key != "rk_live_not_a_test_key"
    finally:
        running.stop()

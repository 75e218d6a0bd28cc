"""Provider tokens come from Secrets Manager (a real moto server) through Powertools Parameters, cached."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import httpx
import pytest
import respx
from aws_lambda_powertools.utilities.parameters import base as parameters_base

from radar.cnpj import parse_cnpj
from radar.lookup.tokens import provider_token, provider_tokens, token_source
from radar.providers.base import LazyClient
from radar.providers.cnpjws import CnpjWsProvider
from tests.support.aws import free_port
from tests.unit.fakes import fixture


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def secrets(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # Powertools keeps a module-level client and value cache: start clean so this endpoint is used.
    parameters_base.clear_caches()
    parameters_base.DEFAULT_PROVIDERS.clear()
    yield boto3.client("secretsmanager")
    parameters_base.clear_caches()
    parameters_base.DEFAULT_PROVIDERS.clear()


def test_without_the_env_var_there_are_no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVIDER_TOKENS_SECRET_ARN", raising=False)
    assert provider_tokens() == {}
    assert provider_token("cnpjws") is None


def test_tokens_are_read_and_empty_values_mean_public_tier(secrets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = secrets.create_secret(Name="tokens-read", SecretString=json.dumps({"cnpjws": "cw-token", "receitaws": ""}))[
        "ARN"
    ]
    monkeypatch.setenv("PROVIDER_TOKENS_SECRET_ARN", arn)
    assert provider_tokens() == {"cnpjws": "cw-token"}
    assert provider_token("receitaws") is None
    assert token_source("cnpjws")() == "cw-token"


def test_tokens_are_cached_between_invocations(secrets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = secrets.create_secret(Name="tokens-cached", SecretString=json.dumps({"cnpjws": "first"}))["ARN"]
    monkeypatch.setenv("PROVIDER_TOKENS_SECRET_ARN", arn)
    assert provider_token("cnpjws") == "first"
    secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"cnpjws": "rotated"}))
    # Within max_age the cached value is served: no Secrets Manager call per lookup.
    assert provider_token("cnpjws") == "first"
    parameters_base.clear_caches()
    assert provider_token("cnpjws") == "rotated"


def test_missing_secret_degrades_to_public_tiers(secrets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "PROVIDER_TOKENS_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist"
    )
    assert provider_tokens() == {}


def test_non_object_secret_degrades_to_public_tiers(secrets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = secrets.create_secret(Name="tokens-list", SecretString=json.dumps(["cnpjws"]))["ARN"]
    monkeypatch.setenv("PROVIDER_TOKENS_SECRET_ARN", arn)
    assert provider_tokens() == {}


@respx.mock
def test_a_provider_picks_the_commercial_endpoint_when_the_secret_has_a_token(
    secrets: Any, monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
) -> None:
    arn = secrets.create_secret(Name="tokens-provider", SecretString=json.dumps({"cnpjws": "paid"}))["ARN"]
    monkeypatch.setenv("PROVIDER_TOKENS_SECRET_ARN", arn)
    # boto3 talks to moto over urllib3, so only the provider call goes through respx.
    route = respx_mock.get("https://comercial.cnpj.test/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("cnpjws_27865757000102.json"))
    )
    provider = CnpjWsProvider(
        base_url="https://publica.cnpj.test",
        commercial_base_url="https://comercial.cnpj.test",
        token_source=token_source("cnpjws"),
        client=LazyClient(),
    )
    provider.lookup(parse_cnpj("27865757000102"))
    assert route.calls.last.request.url.params["token"] == "paid"

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
from radar.lookup.tokens import TokenSecretBroken, provider_token, provider_tokens, token_source
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


def test_a_missing_secret_is_an_error_and_a_metric_never_the_public_tier(
    secrets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed (issue 13): before, an unreadable secret silently sent the paid providers to their public tiers."""
    from radar.observability import metrics

    metrics.clear_metrics()
    monkeypatch.setenv(
        "PROVIDER_TOKENS_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist"
    )
    with pytest.raises(TokenSecretBroken) as caught:
        provider_token("cnpjws")
    assert caught.value.provider == "cnpjws" and caught.value.outcome == "error"
    assert "unreadable" in caught.value.message
    assert sum(metrics.metric_set["ProviderTokenSecretBroken"]["Value"]) == 1
    with pytest.raises(TokenSecretBroken):
        provider_tokens()


@pytest.mark.parametrize("content", [["cnpjws"], {"cnpjws": 123}, "not json {"])
def test_a_malformed_secret_is_an_error_naming_no_value(
    secrets: Any, monkeypatch: pytest.MonkeyPatch, content: Any
) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    arn = secrets.create_secret(Name=f"tokens-bad-{abs(hash(text))}", SecretString=text)["ARN"]
    monkeypatch.setenv("PROVIDER_TOKENS_SECRET_ARN", arn)
    with pytest.raises(TokenSecretBroken) as caught:
        token_source("receitaws")()
    assert "123" not in caught.value.message and "not json" not in caught.value.message


@respx.mock
def test_with_the_secret_broken_a_paid_provider_is_not_asked_on_its_public_tier(
    secrets: Any, monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
) -> None:
    arn = secrets.create_secret(Name="tokens-broken-provider", SecretString="[]")["ARN"]
    monkeypatch.setenv("PROVIDER_TOKENS_SECRET_ARN", arn)
    public = respx_mock.get(url__startswith="https://publica.cnpj.test/").mock(return_value=httpx.Response(200))
    provider = CnpjWsProvider(
        base_url="https://publica.cnpj.test",
        commercial_base_url="https://comercial.cnpj.test",
        token_source=token_source("cnpjws"),
        client=LazyClient(),
    )
    with pytest.raises(TokenSecretBroken):
        provider.lookup(parse_cnpj("27865757000102"))
    assert not public.called


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

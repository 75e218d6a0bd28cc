"""A stage's plan prices at run time (issue 18 point 1): the `PLAN_PRICES` the CDK app writes for a stage whose file
overrides prices changes what the auth function's GET /billing/plans answers, and what the local cloud seeds its
billing sandbox with when it runs that stage's template."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from radar.tiers import PLAN_PRICES_ENV, load_tiers, load_tiers_file
from scripts.localcloud.services import _start_billing_sandbox
from tests.infra.test_plan_prices import PROD_PRICES, patch_stage
from tests.integration.test_auth_api import call, load_function, rest_event
from tests.support.aws import AwsResources


def _prod_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The variable every prod function gets when prod's stage file holds PROD_PRICES (infra_cdk/functions.py)."""
    from infra_cdk.settings import Settings

    patch_stage(monkeypatch, "prod", PROD_PRICES)
    env = Settings.for_stage("prod").plan_prices_environment()
    assert set(env) == {PLAN_PRICES_ENV}
    return env


@pytest.fixture
def prod_prices(aws: AwsResources, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    auth = load_function("auth")
    env = _prod_env(monkeypatch)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    load_tiers.cache_clear()
    auth.services.cache_clear()  # a cold start: the function resolves its plans once
    yield env
    load_tiers.cache_clear()
    auth.services.cache_clear()


def _plans(lambda_context: Any) -> dict[str, dict[str, Any]]:
    status, body, _ = call(rest_event("GET", "/billing/plans"), lambda_context)
    assert status == 200, body
    return {item["plan"]: item for item in body["items"]}


def test_billing_plans_answers_the_stages_prices(prod_prices: dict[str, str], lambda_context: Any) -> None:
    plans = _plans(lambda_context)
    assert plans["pro"]["price"] == {"unit_amount": 24900, "currency": "brl", "interval": "month",
                                     "display": "R$ 249.00 a month"}
    assert plans["business"]["price"]["unit_amount"] == 15900 and plans["business"]["price"]["currency"] == "usd"
    enterprise = load_tiers_file().get("enterprise").price
    assert enterprise is not None and plans["enterprise"]["price"]["unit_amount"] == enterprise.unit_amount
    assert plans["free"]["price"] is None


def test_without_an_override_billing_plans_answers_the_tiers_file(aws: AwsResources, lambda_context: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PLAN_PRICES_ENV, raising=False)
    load_tiers.cache_clear()
    load_function("auth").services.cache_clear()
    pro = load_tiers_file().get("pro").price
    assert pro is not None and _plans(lambda_context)["pro"]["price"]["unit_amount"] == pro.unit_amount != 24900


def _sandbox_prices(variables: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What the local cloud's billing sandbox holds when the template's functions carry `variables`."""
    function = {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {
        "POWERTOOLS_SERVICE_NAME": "cnpj-radar-auth", **variables}}}}
    template = SimpleNamespace(refs={}, resources={"AuthFunction": function, "ChecksFunction": function})
    running = _start_billing_sandbox(SimpleNamespace(template=template), 0)
    try:
        listed = httpx.get(f"{running.url}/v1/prices", params={"limit": 100}, timeout=10,
                           headers={"Authorization": f"Bearer {running.handle.config.api_key}"})
        assert listed.status_code == 200, listed.text
        return {price["lookup_key"]: price for price in listed.json()["data"]}
    finally:
        running.stop()


def test_the_local_billing_sandbox_is_seeded_with_the_stages_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    seeded = _sandbox_prices(_prod_env(monkeypatch))
    assert seeded["radar_pro_monthly_prod"]["unit_amount"] == 24900
    business = load_tiers_file().get("business").price
    assert business is not None
    assert (seeded[business.lookup_key]["unit_amount"], seeded[business.lookup_key]["currency"]) == (15900, "usd")
    assert "radar_pro_monthly" not in seeded  # the file's Pro key is not what this stage sells
    # dev (no override): the tiers file's prices, as before.
    file_prices = {t.price.lookup_key: t.price.unit_amount for t in load_tiers_file().tiers.values() if t.price}
    assert {key: price["unit_amount"] for key, price in _sandbox_prices({}).items()} == file_prices

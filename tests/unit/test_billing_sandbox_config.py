"""Billing sandbox settings: plan prices from a mapping or a tiers document, test-mode secrets, updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.billing_sandbox.config import BillingSandboxConfig, PlanPrice, load_prices, prices_from_mapping


def test_prices_from_a_plain_mapping() -> None:
    prices = prices_from_mapping({
        "pro": {"unit_amount": 4900, "lookup_key": "radar_pro_monthly"},
        "business": {"amount_centavos": 19900, "currency": "brl", "interval": "month", "price_id": "price_biz"},
    })
    assert prices == (
        PlanPrice("pro", 4900, lookup_key="radar_pro_monthly"),
        PlanPrice("business", 19900, price_id="price_biz"),
    )


def test_prices_from_a_tiers_document_skip_tiers_without_a_price(tmp_path: Path) -> None:
    tiers = {"default_plan": "free", "tiers": {
        "free": {"rate": 2, "display_name": "Free"},
        "pro": {"rate": 10, "display_name": "Pro", "price": {"unit_amount": 4900, "currency": "brl"}},
        "enterprise": {"display_name": "Enterprise", "price": {"unit_amount": 99000, "interval": "year"}},
    }}
    path = tmp_path / "tiers.json"
    path.write_text(json.dumps(tiers), encoding="utf-8")

    prices = load_prices(path)

    assert [(p.plan, p.unit_amount, p.interval, p.product_name) for p in prices] == [
        ("pro", 4900, "month", "Pro"), ("enterprise", 99000, "year", "Enterprise")]


@pytest.mark.parametrize("spec", [{"currency": "brl"}, {"unit_amount": -1}, {"unit_amount": 10.5},
                                  {"unit_amount": 1, "currency": "BRL"}, {"unit_amount": 1, "interval": "fortnight"},
                                  {"unit_amount": 1, "price_id": "plan_x"}, {"unit_amount": 1, "colour": "red"}])
def test_bad_prices_are_refused(spec: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="pro"):
        prices_from_mapping({"pro": spec})


def test_secrets_are_generated_in_test_mode_and_validated() -> None:
    config = BillingSandboxConfig()
    other = BillingSandboxConfig()
    assert config.api_key.startswith("sk_test_") and config.webhook_secret.startswith("whsec_")
    assert config.api_key != other.api_key and config.webhook_secret != other.webhook_secret
    with pytest.raises(ValueError, match="sk_test_"):
        BillingSandboxConfig(api_key="sk_live_123")
    with pytest.raises(ValueError, match="whsec_"):
        BillingSandboxConfig(webhook_secret="secret")
    assert "api_key" not in config.public_dict() and "webhook_secret" not in config.public_dict()


def test_environment_gives_urls_and_prices_never_secrets(tmp_path: Path) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"pro": {"unit_amount": 4900}}), encoding="utf-8")
    env = {"RADAR_BILLING_SANDBOX_WEBHOOK_URL": "http://127.0.0.1:3000/billing/webhook",
           "RADAR_BILLING_SANDBOX_PRICES": str(prices),
           "RADAR_BILLING_SANDBOX_API_KEY": "sk_test_from_env", "RADAR_BILLING_SANDBOX_WEBHOOK_SECRET": "whsec_env"}

    config = BillingSandboxConfig.from_env(env, api_key="sk_test_given")

    assert config.webhook_url == "http://127.0.0.1:3000/billing/webhook"
    assert [p.plan for p in config.prices] == ["pro"]
    assert config.api_key == "sk_test_given" and config.webhook_secret != "whsec_env"


def test_runtime_updates_are_partial_and_checked() -> None:
    config = BillingSandboxConfig().updated({"webhook_url": "http://x/hook", "retry_delays": "0.1,0.2",
                                             "enabled_events": ["invoice.paid"]})
    assert config.webhook_url == "http://x/hook" and config.retry_delays == (0.1, 0.2)
    assert config.enabled_events == ("invoice.paid",)
    rolled = config.updated({"api_key": "sk_test_rolled"})  # a rolled key: the old one is refused from then on
    assert rolled.api_key == "sk_test_rolled" and rolled.webhook_secret == config.webhook_secret
    for bad in ({"api_key": "sk_live_x"}, {"webhook_secret": "nope"}, {"nope": 1}, {"after_retries": "forever"},
                {"retry_delays": 3}):
        with pytest.raises(ValueError):
            config.updated(bad)

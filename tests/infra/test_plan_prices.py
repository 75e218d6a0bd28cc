"""Plan prices per stage (issue 18 point 1): a stage file's `planPrices` overrides the tiers file's prices; the synth
validates it (a bad override fails naming the field) and writes the resolved prices into every function's
environment (`PLAN_PRICES`), where radar.tiers.load_tiers() reads them, and into the gateway's 429 answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra_cdk.settings import Settings
from infra_cdk.stages import STAGES, load_stage
from radar.tiers import PLAN_PRICES_ENV, load_tiers_file, resolve_tiers
from tests.infra.helpers import Synthesized

# A prod override: a dearer Pro with its own Stripe lookup key, Business billed in dollars.
PROD_PRICES = {"pro": {"unitAmount": 24900, "lookupKey": "radar_pro_monthly_prod"},
               "business": {"unitAmount": 15900, "currency": "usd"}}


def stage_with(stage: str, plan_prices: Any) -> dict[str, Any]:
    return {**load_stage(stage), "planPrices": plan_prices}


def patch_stage(monkeypatch: pytest.MonkeyPatch, stage: str, plan_prices: Any) -> None:
    data = stage_with(stage, plan_prices)
    monkeypatch.setattr("infra_cdk.settings.load_stage", lambda name: data if name == stage else load_stage(name))


@pytest.fixture(scope="module")
def prod_with_prices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict[str, Any]]]:
    """prod synthesized with PROD_PRICES in its stage file."""
    outdir = tmp_path_factory.mktemp("cdk.out.prices")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("RADAR_STAGE", "CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION", "CDK_CLI_VERSION", PLAN_PRICES_ENV):
            patch.delenv(name, raising=False)
        patch_stage(patch, "prod", PROD_PRICES)
        from infra_cdk.app import build_stages

        app, built = build_stages(str(outdir), stages=("prod",), nag=False, bundle=False)
        app.synth()
        stacks = built["prod"]
        template = json.loads((Path(outdir) / f"{stacks.main.stack_name}.template.json").read_text(encoding="utf-8"))
        yield stacks.settings, template


def function_envs(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {logical_id: resource["Properties"].get("Environment", {}).get("Variables", {})
            for logical_id, resource in template["Resources"].items() if resource["Type"] == "AWS::Lambda::Function"}


def test_every_stage_file_keeps_the_tiers_files_prices_today(stages: dict[str, Synthesized]) -> None:
    for stage in STAGES:
        assert load_stage(stage)["planPrices"] == {}
        assert Settings.for_stage(stage).tiers() == load_tiers_file()
        envs = function_envs(stages[stage].template)
        assert envs and all(PLAN_PRICES_ENV not in env for env in envs.values()), stage


def test_a_prod_override_reaches_every_function_as_the_resolved_prices(
    prod_with_prices: tuple[Settings, dict[str, Any]],
) -> None:
    settings, template = prod_with_prices
    envs = function_envs(template)
    assert {"AuthFunction", "AuthorizerFunction", "ChecksFunction", "WorkerFunction"} <= set(envs)
    values = {env.get(PLAN_PRICES_ENV) for env in envs.values() if "POWERTOOLS_SERVICE_NAME" in env}
    assert len(values) == 1 and None not in values, values
    [value] = values
    assert value == settings.plan_prices_environment()[PLAN_PRICES_ENV]
    # What load_tiers() makes of that variable: the overridden keys, the file's values for the rest.
    tiers = resolve_tiers(str(value))
    base = load_tiers_file()
    pro, business = tiers.get("pro").price, tiers.get("business").price
    assert pro is not None and business is not None
    assert (pro.unit_amount, pro.currency, pro.lookup_key) == (24900, "brl", "radar_pro_monthly_prod")
    assert (business.unit_amount, business.currency) == (15900, "usd")
    assert business.lookup_key == base.get("business").price.lookup_key  # type: ignore[union-attr]
    assert tiers.get("enterprise") == base.get("enterprise") and tiers.get("free").price is None


def test_the_gateways_429s_name_the_stages_prices(prod_with_prices: tuple[Settings, dict[str, Any]]) -> None:
    _, template = prod_with_prices
    quota = next(r["Properties"] for r in template["Resources"].values()
                 if r["Type"] == "AWS::ApiGateway::GatewayResponse"
                 and r["Properties"]["ResponseType"] == "QUOTA_EXCEEDED")
    body = quota["ResponseTemplates"]["application/json"]
    assert "R$ 249.00 a month" in body and "USD 159.00 a month" in body
    assert "R$ 199.00" not in body  # the tiers file's Pro price is not what prod sells


@pytest.mark.parametrize(("plan_prices", "field"), [
    ({"platinum": {"unitAmount": 100}}, "planPrices.platinum"),
    ({"pro": {"unitAmount": -100}}, "planPrices.pro.unitAmount"),
    ({"pro": {"unitAmount": 0}}, "planPrices.pro.unitAmount"),
    ({"pro": {"unitAmount": "lots"}}, "planPrices.pro.unitAmount"),
    ({"pro": {"currency": "R$"}}, "planPrices.pro.currency"),
    ({"pro": {"lookupKey": ""}}, "planPrices.pro.lookupKey"),
    ({"pro": {"amount": 100}}, "planPrices.pro.amount"),
    ({"free": {"unitAmount": 100}}, "planPrices.free"),
    ({"pro": 24900}, "planPrices.pro"),
    (["pro"], "planPrices"),
])
def test_a_bad_override_fails_the_synth_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, plan_prices: Any, field: str
) -> None:
    patch_stage(monkeypatch, "prod", plan_prices)
    with pytest.raises(ValueError) as raised:
        Settings.for_stage("prod")
    message = str(raised.value)
    assert message.startswith(f"stage prod: {field}:"), message
    # The app fails the same way before writing anything.
    from infra_cdk.app import build_stages

    with pytest.raises(ValueError, match=f"^stage prod: {field.replace('.', '[.]')}:"):
        build_stages(str(tmp_path), stages=("prod",), nag=False, bundle=False)
    assert not list(tmp_path.glob("*.template.json"))

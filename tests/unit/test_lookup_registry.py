"""The provider registry: six providers in their default order, their documented limits, and the shared outage of
BrasilAPI and minha-receita as data."""

from __future__ import annotations

import pytest

from radar.lookup.registry import DEFAULT_PROVIDER_ORDER, PROVIDERS, build_providers, outage_group, shares_outages
from radar.lookup.settings import LookupSettings
from radar.providers.base import HttpProvider


def test_each_provider_has_its_documented_or_stated_default_limit() -> None:
    limits = {entry.name: entry.per_minute for entry in PROVIDERS}
    # cnpj.ws, ReceitaWS 3/min (documented), BrasilAPI 60 (none documented), minha-receita 30 (none documented:
    # our conservative choice), OpenCNPJ 60 sustained (no fixed quota), CNPJá open 5/min (documented).
    assert limits == {"cnpjws": 3, "brasilapi": 60, "receitaws": 3, "minhareceita": 30, "opencnpj": 60, "cnpja": 5}
    assert sum(limits.values()) == 161


def test_limits_are_overridable_per_provider() -> None:
    settings = LookupSettings.from_environ(
        {"CACHE_TABLE": "t", "RATE_LIMIT_MINHARECEITA_PER_MIN": "12", "RATE_LIMIT_CNPJA_PER_MIN": "2"}
    )
    assert settings.rate_limits_per_minute["minhareceita"] == 12.0
    assert settings.rate_limits_per_minute["cnpja"] == 2.0
    assert settings.rate_limits_per_minute["opencnpj"] == 60.0


def test_only_tokened_tiers_read_tokens() -> None:
    assert [entry.name for entry in PROVIDERS if entry.uses_token] == ["cnpjws", "receitaws"]


def test_brasilapi_and_minhareceita_share_one_outage_group() -> None:
    assert outage_group("brasilapi") == outage_group("minhareceita") == "minhareceita"
    assert shares_outages("brasilapi", "minhareceita") and shares_outages("minhareceita", "brasilapi")
    for other in ("cnpjws", "receitaws", "opencnpj", "cnpja"):
        assert outage_group(other) == other
        assert not shares_outages("brasilapi", other)
    assert outage_group("not-registered") == "not-registered"


def test_every_provider_builds_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, path in (("MINHARECEITA", "/minhareceita"), ("OPENCNPJ", "/opencnpj"), ("CNPJA", "/cnpja")):
        monkeypatch.setenv(f"{name}_BASE_URL", f"http://127.0.0.1:9{path}")
    monkeypatch.setenv("PROVIDER_READ_TIMEOUT", "3.5")
    providers = build_providers(DEFAULT_PROVIDER_ORDER)
    assert [p.name for p in providers] == list(DEFAULT_PROVIDER_ORDER)
    by_name = {p.name: p for p in providers if isinstance(p, HttpProvider)}
    assert by_name["minhareceita"].base_url == "http://127.0.0.1:9/minhareceita"
    assert by_name["opencnpj"].base_url == "http://127.0.0.1:9/opencnpj"
    assert by_name["cnpja"].base_url == "http://127.0.0.1:9/cnpja"
    assert {p.read_timeout for p in by_name.values()} == {3.5}

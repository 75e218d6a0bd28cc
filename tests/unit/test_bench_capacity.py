"""`provider_capacity_per_min` sums every registered provider's default limit, whatever the environment says."""

from __future__ import annotations

import pytest

from radar.lookup.registry import PROVIDERS
from scripts.bench.capacity import provider_capacity_per_min, provider_limits_per_min


def test_capacity_is_the_sum_of_every_registered_providers_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_CNPJWS_PER_MIN", "1000")  # a deployment's override is not the default
    limits = provider_limits_per_min()
    assert set(limits) == {entry.name for entry in PROVIDERS}
    # 3 + 60 + 3 (the first three: 66) + minha-receita 30 + OpenCNPJ 60 + CNPJá 5
    assert limits == {"cnpjws": 3, "brasilapi": 60, "receitaws": 3, "minhareceita": 30, "opencnpj": 60, "cnpja": 5}
    assert provider_capacity_per_min() == 161.0

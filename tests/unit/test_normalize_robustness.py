"""Other real payloads will differ: any field missing, null or of another type must not break normalization."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from radar.normalize import (
    MalformedPayload,
    normalize_brasilapi,
    normalize_cnpja,
    normalize_cnpjws,
    normalize_minhareceita,
    normalize_opencnpj,
    normalize_receitaws,
)
from radar.report import Report
from tests.unit.fakes import fixture, fixture_names

NORMALIZERS: dict[str, Callable[..., Report]] = {
    "cnpjws": normalize_cnpjws,
    "brasilapi": normalize_brasilapi,
    "receitaws": normalize_receitaws,
    "minhareceita": normalize_minhareceita,
    "opencnpj": normalize_opencnpj,
    "cnpja": normalize_cnpja,
}
# Samples under a provider's prefix that are not company records.
_NOT_RECORDS = ("error", "datasets", "updated")
REPLACEMENTS: tuple[Any, ...] = (None, "", "********", 0, [], {}, "x", True)


def _success_fixtures() -> list[tuple[str, str]]:
    cases = []
    for provider in NORMALIZERS:
        for name in fixture_names(provider):
            if not any(marker in name for marker in _NOT_RECORDS):
                cases.append((provider, name))
    return cases


def _field_paths(payload: dict[str, Any]) -> Iterator[tuple[str, ...]]:
    for key, value in payload.items():
        yield (key,)
        if isinstance(value, dict):
            for inner in value:
                yield (key, inner)


def _replace(payload: dict[str, Any], path: tuple[str, ...], value: Any, *, delete: bool = False) -> dict[str, Any]:
    mutated = copy.deepcopy(payload)
    target = mutated
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return mutated


@pytest.mark.parametrize(("provider", "name"), _success_fixtures())
def test_every_field_missing_or_replaced_still_normalizes_or_fails_typed(provider: str, name: str) -> None:
    payload = fixture(name)
    normalize = NORMALIZERS[provider]
    expected_cnpj = normalize(payload).cnpj
    tried = 0
    for path in _field_paths(payload):
        variants = [_replace(payload, path, None, delete=True)] + [_replace(payload, path, v) for v in REPLACEMENTS]
        for variant in variants:
            tried += 1
            try:
                report = normalize(variant, expected_cnpj=expected_cnpj)
            except MalformedPayload:
                # Only the structural keys may make a body unreadable (the establishment block, the status).
                assert path[0] in ("estabelecimento", "status", "razao_social", "cnpj"), path
                continue
            assert report.cnpj == expected_cnpj
            report.model_dump(mode="json")
    assert tried > 50

"""Contract fuzzing on the local cloud (small budget; `make fuzz` runs >= 1000 requests): no 5xx, no violation."""

from __future__ import annotations

import json

import pytest

from scripts.fuzz import (
    ACCEPTED_REJECTIONS,
    DISABLED_CHECKS,
    EXCLUDED_OPERATIONS,
    SPEC,
    FuzzCredentials,
    FuzzTenant,
    FuzzTotals,
    fuzz_config,
    prepare_tenant,
    run_fuzz,
    undeclared_method_answers,
)
from tests.support.cloud import RunningCloud

__all__: list[str] = []

# Per operation and phase; with both credential kinds this stays well under a minute on the local cloud.
MAX_EXAMPLES = 3
SEED = 20261129  # a fixed seed keeps `make test` reproducible; `make fuzz` explores with fresh seeds


@pytest.fixture(scope="module")
def fuzz_tenant(cloud: RunningCloud) -> FuzzTenant:
    return prepare_tenant(cloud.api_url)


def _report(totals: FuzzTotals) -> str:
    return "\n".join([*totals.lines(), *totals.failures[:40]])


def test_every_builtin_check_is_on_but_the_documented_ones() -> None:
    from schemathesis.checks import load_all_checks
    from schemathesis.config import ChecksConfig

    load_all_checks()
    config = fuzz_config(base_url="http://127.0.0.1:1", credentials=FuzzCredentials("k", api_key="k"), max_examples=1)
    checks = config.projects.get_default().checks
    names = [name for name in getattr(ChecksConfig, "__slots__", ()) if not name.startswith("_")]
    builtin = [name for name in names if hasattr(getattr(checks, name), "enabled")]
    assert {"not_a_server_error", "response_schema_conformance", "ignored_auth", "use_after_free"} <= set(builtin)
    off = {name for name in builtin if getattr(checks, name).enabled is False}
    assert off == set(DISABLED_CHECKS), off
    assert all(reason for reason in DISABLED_CHECKS.values())


def test_exclusions_name_real_operations_with_reasons() -> None:
    paths = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]
    for method, path in [*EXCLUDED_OPERATIONS, *ACCEPTED_REJECTIONS]:
        assert method.lower() in paths[path], (method, path)
    assert all(reason for _, reason in ACCEPTED_REJECTIONS.values())
    assert all(reason for reason in EXCLUDED_OPERATIONS.values())


@pytest.mark.parametrize("kind", ["api_key", "bearer"])
def test_fuzz_finds_no_server_error_and_no_violation(cloud: RunningCloud, fuzz_tenant: FuzzTenant, kind: str) -> None:
    credentials = (
        FuzzCredentials(kind, api_key=fuzz_tenant.api_key)
        if kind == "api_key"
        else FuzzCredentials(kind, bearer=fuzz_tenant.access_token)
    )
    totals = run_fuzz(base_url=cloud.api_url, credentials=credentials, max_examples=MAX_EXAMPLES, seed=SEED)
    spec_operations = sum(len(item) for item in json.loads(SPEC.read_text(encoding="utf-8"))["paths"].values())
    # Every operation but the excluded ones was reached, with several requests each.
    assert len(totals.operations) == spec_operations - len(EXCLUDED_OPERATIONS), sorted(totals.operations)
    assert totals.requests >= 5 * len(totals.operations), _report(totals)
    assert totals.server_errors == 0, _report(totals)
    assert totals.violations == 0, _report(totals)
    # engine_errors are Schemathesis' own generation crashes (printed in the report), not answers of the API.


def test_undeclared_methods_get_the_gateway_not_found(cloud: RunningCloud, fuzz_tenant: FuzzTenant) -> None:
    """What `unsupported_method` would have checked, asserted as the gateway really answers (see DISABLED_CHECKS)."""
    assert undeclared_method_answers(cloud.api_url, FuzzCredentials("api_key", api_key=fuzz_tenant.api_key)) == []

"""One synthesis of the CDK app per test session, shared by every infra test (a synth costs seconds)."""

from __future__ import annotations

import json
import os

import pytest

from tests.infra.helpers import Synthesized

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

# Settings the app reads from the environment: a developer's shell must not change what the tests see.
_SETTINGS_ENV = (
    "CORS_ALLOWED_ORIGINS", "RADAR_BUNDLE", "RADAR_NAG", "RADAR_LOG_LEVEL", "RADAR_LOG_RETENTION_DAYS",
    "RADAR_STAGE_RATE_LIMIT", "RADAR_STAGE_BURST_LIMIT", "RADAR_ALARM_EMAIL", "RADAR_RUNBOOK_BASE_URL",
    "RADAR_ALLOW_MOCK_FALLBACK", "CDK_CLI_VERSION",
)


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    outdir = tmp_path_factory.mktemp("cdk.out")
    with pytest.MonkeyPatch.context() as patch:  # restored before any other test runs
        for name in _SETTINGS_ENV:
            patch.delenv(name, raising=False)
        from infra_cdk.app import build_app

        app, stack = build_app(str(outdir), nag=False, bundle=False)
        app.synth()
    template = json.loads((outdir / "CnpjRadar.template.json").read_text(encoding="utf-8"))
    return Synthesized(stack=stack, template=template, outdir=outdir)


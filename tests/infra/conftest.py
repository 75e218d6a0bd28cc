"""One synthesis of the CDK app per test session, with every stage in it, shared by every infra test."""

from __future__ import annotations

import json
import os

import pytest

from tests.infra.helpers import Synthesized

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

# Settings the app reads from the environment: a developer's shell (or CI's) must not change what the tests see.
_SETTINGS_ENV = (
    "CORS_ALLOWED_ORIGINS", "RADAR_BUNDLE", "RADAR_NAG", "RADAR_LOG_LEVEL", "RADAR_LOG_RETENTION_DAYS",
    "RADAR_STAGE_RATE_LIMIT", "RADAR_STAGE_BURST_LIMIT", "RADAR_ALARM_EMAIL", "RADAR_RUNBOOK_BASE_URL",
    "RADAR_ALLOW_MOCK_FALLBACK", "CDK_CLI_VERSION", "RADAR_STAGE", "GITHUB_REPOSITORY", "CDK_DEFAULT_ACCOUNT",
    "CDK_DEFAULT_REGION",
)


@pytest.fixture(scope="session")
def stages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Synthesized]:
    """dev, staging and prod from one app and one synth (their assets are the same, bundled once)."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    with pytest.MonkeyPatch.context() as patch:  # restored before any other test runs
        for name in _SETTINGS_ENV:
            patch.delenv(name, raising=False)
        from infra_cdk.app import build_stages
        from infra_cdk.stages import STAGES

        app, built = build_stages(str(outdir), stages=STAGES, nag=False, bundle=False)
        app.synth()

    def template(stack_name: str) -> dict:
        return dict(json.loads((outdir / f"{stack_name}.template.json").read_text(encoding="utf-8")))

    return {
        stage: Synthesized(stack=stacks.main, template=template(stacks.main.stack_name), outdir=outdir,
                           account_stack=stacks.account, account_template=template(stacks.account.stack_name),
                           edge_stack=stacks.edge, edge_template=template(stacks.edge.stack_name))
        for stage, stacks in built.items()
    }


@pytest.fixture(scope="session")
def synthesized(stages: dict[str, Synthesized]) -> Synthesized:
    """The dev stage: what the local cloud runs."""
    return stages["dev"]

"""The real CLIs people deploy with: the pinned CDK CLI synthesizes every stage (cdk-nag on, no feature flag left
unset) and `sam validate --lint` passes with the shipped samconfig.toml and .cfnlintrc. `make tools` installs both
(make test does it first)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from infra_cdk.app import REPO_ROOT
from infra_cdk.stages import STAGES, stack_name

CDK = REPO_ROOT / "infra_cdk" / "cli" / "node_modules" / ".bin" / "cdk"
SAM = REPO_ROOT / ".venv" / "sam" / "bin" / "sam"
_CLEAN_ENV = ("RADAR_STAGE", "RADAR_NAG", "CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION", "GITHUB_REPOSITORY",
              "CORS_ALLOWED_ORIGINS")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV}
    return {**env, "RADAR_BUNDLE": "0", "CDK_DISABLE_CLI_TELEMETRY": "true", "SAM_CLI_TELEMETRY": "0", **extra}


@pytest.fixture(scope="module")
def cli_synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    assert CDK.exists(), "the pinned CDK CLI is missing: make tools"
    outdir = tmp_path_factory.mktemp("cdk-cli.out")
    completed = subprocess.run(
        [str(CDK), "synth", "-c", "radar:stage=all", "--output", str(outdir), "--no-notices", "--quiet"],
        cwd=REPO_ROOT, env=_env(), capture_output=True, text=True, timeout=600, check=False,
    )
    return outdir, completed


def test_the_pinned_cdk_cli_is_the_locked_one() -> None:
    lock = json.loads((REPO_ROOT / "infra_cdk/cli/package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/aws-cdk"]["version"]
    package = json.loads((REPO_ROOT / "infra_cdk/cli/package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["aws-cdk"] == pinned  # an exact version, not a range
    version = subprocess.run([str(CDK), "--version"], capture_output=True, text=True, timeout=120, check=True)
    assert version.stdout.split()[0] == pinned


def test_cdk_cli_synthesizes_every_stage_with_nag_and_every_feature_flag_set(
    cli_synth: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    outdir, completed = cli_synth
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    assert "feature flags are not configured" not in output
    assert "AwsSolutions" not in output  # cdk-nag runs under the CLI: no finding unacknowledged
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    stacks = {name for name, artifact in manifest["artifacts"].items()
              if artifact["type"] == "aws:cloudformation:stack"}
    expected = {stack_name(stage) for stage in STAGES}
    # Each stage: its stack, its account stack and its us-east-1 edge stack (the console's web ACL).
    assert stacks == expected | {f"{name}-Account" for name in expected} | {f"{name}-Edge" for name in expected}
    for name in expected:
        assert manifest["artifacts"][f"{name}-Edge"]["environment"].endswith("/us-east-1")
        assert f"{name}-Edge" in manifest["artifacts"][name]["dependencies"]


def test_sam_validate_lint_passes_with_the_shipped_config() -> None:
    # Without .cfnlintrc this fails on five W3005 warnings (issue 16); test_cfn_lint.py checks each ignore's reason.
    assert SAM.exists(), "the SAM CLI is missing: make tools"
    from scripts.localcloud.synth import synth

    synth()  # cdk.out/CnpjRadar.template.json, the template samconfig.toml names
    completed = subprocess.run([str(SAM), "validate", "--lint"], cwd=REPO_ROOT, env=_env(), capture_output=True,
                               text=True, timeout=300, check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    assert "is a valid SAM Template" in output


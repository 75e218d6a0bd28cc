"""The app's entry points and files: bundling switch, deps layer bundling, cdk.json, samconfig, requirements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

from infra_cdk.app import REPO_ROOT
from infra_cdk.bundling import (
    BUNDLE_DEPS_CONTEXT,
    compile_bytecode,
    compiled_code,
    deps_layer_code,
    pip_install_command,
    runtime_python,
)
from infra_cdk.functions import log_retention
from infra_cdk.settings import PYTHON_VERSION, Settings
from tests.infra.helpers import Synthesized


def test_local_synth_skips_pip_and_records_asset_metadata(synthesized: Synthesized) -> None:
    app = synthesized.stack.node.scope
    assert app.node.try_get_context(BUNDLE_DEPS_CONTEXT) is False
    assert app.node.try_get_context("aws:cdk:enable-asset-metadata") is True
    # Without pip the deps layer stages its source folder: the requirements file, not a pip tree.
    deps = synthesized.outdir / synthesized.resources["DepsLayer"]["Metadata"]["aws:asset:path"]
    assert (deps / "requirements.txt").is_file()
    assert not (deps / "python").exists()


def _asset(synthesized: Synthesized, logical_id: str) -> Path:
    return synthesized.outdir / synthesized.resources[logical_id]["Metadata"]["aws:asset:path"]


def test_function_and_layer_assets_ship_bytecode_and_no_local_caches(synthesized: Synthesized) -> None:
    tag = sys.implementation.cache_tag
    handler = _asset(synthesized, "AuthFunction")
    assert (handler / "app.py").is_file()
    assert (handler / "__pycache__" / f"app.{tag}.pyc").is_file()
    radar = _asset(synthesized, "RadarLayer") / "python" / "radar"
    assert (radar / "__pycache__" / f"http.{tag}.pyc").is_file()
    assert (radar / "tiers.json").is_file()
    assert not list(radar.parent.glob("*.egg-info"))
    # Unchecked-hash bytecode: zip files round timestamps to 2 s, which would make timestamp-checked .pyc stale.
    flags = int.from_bytes((handler / "__pycache__" / f"app.{tag}.pyc").read_bytes()[4:8], "little")
    assert flags == 0b01


def test_bytecode_for_the_runtime_python_when_this_machine_has_one(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text("VALUE = 1\n")
    calls: list[Sequence[str]] = []
    tags = compile_bytecode(tmp_path, calls.append, version="9.99")  # no such Python anywhere
    assert tags == [sys.implementation.cache_tag] and calls == []
    runtime = runtime_python(PYTHON_VERSION)
    tags = compile_bytecode(tmp_path, calls.append, version=PYTHON_VERSION)
    if runtime is None or runtime == sys.executable:
        assert tags == [sys.implementation.cache_tag]
    else:
        assert tags[-1] == "cpython-" + PYTHON_VERSION.replace(".", "")
        assert calls == [[runtime, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", str(tmp_path)]]


def test_compiled_code_copies_the_source_without_its_caches(tmp_path: Path) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_lambda as lambda_

    source = tmp_path / "fn"
    (source / "__pycache__").mkdir(parents=True)
    (source / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (source / "__pycache__" / "stale.cpython-39.pyc").write_bytes(b"stale")
    app = cdk.App(outdir=str(tmp_path / "out"), builtin_cloud_formation_validation=False)
    lambda_.LayerVersion(cdk.Stack(app, "CompileProbe"), "Layer", code=compiled_code(source, run=lambda _c: None))
    app.synth()
    [asset] = [p for p in (tmp_path / "out").glob("asset.*") if p.is_dir()]
    assert (asset / "app.py").is_file()
    assert sorted(p.name for p in (asset / "__pycache__").iterdir()) == [f"app.{sys.implementation.cache_tag}.pyc"]


def test_pip_command_targets_the_lambda_platform(tmp_path: Path) -> None:
    command = pip_install_command(tmp_path / "requirements.txt", str(tmp_path / "out"))
    joined = " ".join(command)
    # Amazon Linux 2023 (glibc 2.34): every manylinux tag up to 2.34, named one by one (pip does not widen them).
    for platform in ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64"):
        assert f"--platform {platform}" in joined
    assert "--only-binary=:all:" in command
    assert f"--python-version {PYTHON_VERSION}" in joined
    assert f"--target {tmp_path / 'out' / 'python'}" in joined
    assert f"--requirement {tmp_path / 'requirements.txt'}" in joined


def test_cdk_calls_the_local_bundler_instead_of_docker(tmp_path: Path) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_lambda as lambda_

    source = tmp_path / "deps"
    source.mkdir()
    (source / "requirements.txt").write_text("httpx\n")
    commands: list[Sequence[str]] = []

    def fake_pip(command: Sequence[str]) -> None:
        # Stands in for pip (no network in tests): record the call, leave a package where pip would.
        commands.append(command)
        if "--target" not in command:
            return  # the runtime Python's compile step, when this machine has one
        target = Path(command[command.index("--target") + 1])
        target.mkdir(parents=True)
        (target / "marker.py").write_text("VALUE = 1\n")

    # Bundling enabled (no bundling-stacks context); the built-in template validation only costs time here.
    app = cdk.App(outdir=str(tmp_path / "out"), builtin_cloud_formation_validation=False)
    lambda_.LayerVersion(cdk.Stack(app, "BundlingProbe"), "Layer", code=deps_layer_code(source, run=fake_pip))
    app.synth()
    assert len(commands) == (1 if runtime_python() in (None, sys.executable) else 2)
    assert commands[0][:3] == [sys.executable, "-m", "pip"]
    assert "--no-compile" in commands[0]  # pip would compile for this Python, not the runtime's
    assert len(list((tmp_path / "out").glob("asset.*/python/marker.py"))) == 1
    bytecode = f"asset.*/python/__pycache__/marker.{sys.implementation.cache_tag}.pyc"
    assert len(list((tmp_path / "out").glob(bytecode))) == 1


def test_cdk_json_runs_the_app() -> None:
    config = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))
    assert config["app"].endswith("infra_cdk/app.py")
    assert config["app"].split()[0] in (".venv/bin/python", "python3")


def test_samconfig_points_sam_at_the_synthesized_template() -> None:
    config = tomllib.loads((REPO_ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    assert config["default"]["global"]["parameters"]["stack_name"] == "CnpjRadar"
    assert deploy["stack_name"] == "CnpjRadar"
    assert "CAPABILITY_IAM" in deploy["capabilities"].split()
    for command in ("validate", "build", "local_invoke"):
        assert config["default"][command]["parameters"]["template_file"] == "cdk.out/CnpjRadar.template.json"
    from infra_cdk.stages import stack_name

    for stage in ("staging", "prod"):
        for command in ("validate", "local_invoke"):
            assert config[stage][command]["parameters"]["template_file"] == f"cdk.out/{stack_name(stage)}.template.json"
        assert config[stage]["validate"]["parameters"]["lint"] is True


@pytest.mark.parametrize(("requested", "days"), [(1, "ONE_DAY"), (30, "ONE_MONTH"), (45, "TWO_MONTHS"),
                                                 (10_000, "FIVE_YEARS")])
def test_log_retention_rounds_up_to_an_allowed_value(requested: int, days: str) -> None:
    assert log_retention(requested).name == days


def test_settings_from_context_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import aws_cdk as cdk

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("RADAR_LOG_RETENTION_DAYS", "90")
    settings = Settings.from_scope(cdk.App(context={"radar:logRetentionDays": 14, "radar:allowMockFallback": "true"}))
    assert settings.cors_allowed_origins == ("https://a.example", "https://b.example")
    assert settings.log_retention_days == 14  # context wins over the environment
    assert settings.allow_mock_fallback is True
    defaults = Settings.from_scope(cdk.App())
    assert defaults.log_retention_days == 90
    assert defaults.allow_mock_fallback is False
    assert defaults.runbook_url("CnpjRadar-Api-5xxRate") == "docs/runbooks/CnpjRadar-Api-5xxRate.md"


def test_app_py_imports_as_a_plain_script() -> None:
    # `python infra_cdk/app.py` (cdk.json, the local cloud) runs outside the package: its path setup must hold.
    # run_name is not __main__, so this loads everything the script needs without a second synth.
    probe = (
        "import runpy, sys; sys.path = [p for p in sys.path if p not in ('', '.')]; "
        "ns = runpy.run_path('infra_cdk/app.py', run_name='script_probe'); "
        "print(ns['STACK_ID'], callable(ns['main']))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["CnpjRadar", "True"]


def test_runtime_and_deps_layer_wheels_use_the_same_python() -> None:
    from infra_cdk.functions import RUNTIME

    assert RUNTIME.name == f"python{PYTHON_VERSION}"


def _recommended_flags() -> dict[str, object]:
    """The feature flags `cdk init` writes for the installed aws-cdk-lib (its recommended-feature-flags.json)."""
    import tarfile
    from importlib import resources

    import aws_cdk

    [tgz] = [p for p in resources.files(aws_cdk).joinpath("_jsii").iterdir() if p.name.endswith(".jsii.tgz")]
    with tarfile.open(str(tgz)) as archive:
        member = archive.extractfile("package/recommended-feature-flags.json")
        assert member is not None
        return dict(json.load(member))


def test_cdk_json_sets_every_recommended_feature_flag() -> None:
    context = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    recommended = _recommended_flags()
    assert len(recommended) > 50
    assert {flag: context.get(flag) for flag in recommended} == recommended


def test_the_api_stack_leaves_the_account_wide_logging_role_to_the_account_stack(synthesized: Synthesized) -> None:
    # @aws-cdk/aws-apigateway:disableCloudWatchRole is on, and the API sets cloud_watch_role=False explicitly.
    assert not synthesized.of_type("AWS::ApiGateway::Account")
    assert synthesized.account_template is not None
    assert "ApiGatewayAccount" in synthesized.account_template["Resources"]


def test_local_synth_runs_the_requested_stage_with_its_own_cache(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.localcloud.synth import synth

    monkeypatch.setenv("RADAR_STAGE", "staging")
    template, ran = synth(tmp_path)
    assert ran and template.name == "CnpjRadar-staging.template.json"
    body = json.loads(template.read_text(encoding="utf-8"))
    assert "AuthDeploymentGroup" in body["Resources"]  # staging shifts traffic; dev has no groups
    # The app writes the stage's edge stack (us-east-1) beside it; the local cloud still runs the main stack only.
    edge = json.loads((tmp_path / "CnpjRadar-staging-Edge.template.json").read_text(encoding="utf-8"))
    assert {r["Type"] for r in edge["Resources"].values()} >= {"AWS::WAFv2::WebACL", "AWS::SSM::Parameter"}
    assert "ApiWafWebAcl" in body["Resources"] and "ConsoleWafWebAcl" not in body["Resources"]
    assert not [r for r in body["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL"
                and r["Properties"]["Scope"] == "CLOUDFRONT"]
    assert (tmp_path / ".source-hash.staging").is_file() and not (tmp_path / ".source-hash").exists()
    assert synth(tmp_path) == (template, False)  # cached per stage
    monkeypatch.setenv("RADAR_STAGE", "qa")
    with pytest.raises(ValueError, match="dev, staging, prod"):
        synth(tmp_path)

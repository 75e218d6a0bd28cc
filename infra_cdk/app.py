"""Entry point: `python infra_cdk/app.py` (or `cdk synth`) writes cdk.out/CnpjRadar.template.json."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

# Before aws_cdk loads: Node 20 prints an end-of-life banner on every jsii start.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
if __package__ in (None, ""):
    # Run as a script: make `infra_cdk` and `radar` importable from the repository root.
    _root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(_root), str(_root / "layers" / "radar" / "python")]

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra_cdk.bundling import BUNDLE_DEPS_CONTEXT
from infra_cdk.settings import STACK_ID
from infra_cdk.stack import CnpjRadarStack

__all__ = ["build_app", "cdk_json_context", "main"]

REPO_ROOT = Path(__file__).resolve().parents[1]
# What the CDK CLI turns on by default; SAM and the local cloud find each function's code through it.
CLI_DEFAULT_CONTEXT: dict[str, Any] = {"aws:cdk:enable-asset-metadata": True, "aws:cdk:enable-path-metadata": True}


def _under_cdk_cli() -> bool:
    return bool(os.environ.get("CDK_CLI_VERSION"))


def cdk_json_context() -> dict[str, Any]:
    """cdk.json's context, which the CLI passes itself; a plain `python infra_cdk/app.py` reads it here."""
    if _under_cdk_cli():
        return {}
    cdk_json = REPO_ROOT / "cdk.json"
    return dict(json.loads(cdk_json.read_text(encoding="utf-8")).get("context", {})) if cdk_json.exists() else {}


def build_app(
    outdir: str = "cdk.out",
    *,
    context: dict[str, Any] | None = None,
    nag: bool | None = None,
    bundle: bool | None = None,
) -> tuple[cdk.App, CnpjRadarStack]:
    """The app and its one stack.

    `bundle` (pip-install the deps layer: network, slow) defaults to on under the CDK CLI or with RADAR_BUNDLE=1,
    and off for a plain local synth, whose local cloud runs on the project's virtualenv. The functions' own code
    is always bundled with its bytecode (offline, under a second).
    `nag` defaults to on under the CDK CLI (`cdk synth/deploy`) or with
    RADAR_NAG=1, and off for a plain local synth (the local cloud's), which it would slow by ~2 s;
    tests/infra runs the same checks on every test run.
    """
    if bundle is None:
        bundle = os.environ.get("RADAR_BUNDLE") == "1" or _under_cdk_cli()
    if nag is None:
        nag = os.environ.get("RADAR_NAG", "1" if _under_cdk_cli() else "0") == "1"
    defaults: dict[str, Any] = {**CLI_DEFAULT_CONTEXT, **cdk_json_context()}
    defaults[BUNDLE_DEPS_CONTEXT] = bundle
    # The built-in CloudFormation validation (a WebAssembly linter) triples synth time here; tests/infra runs
    # cfn-lint on the template instead, with the same rules and more.
    app = cdk.App(outdir=outdir, context={**defaults, **(context or {})}, builtin_cloud_formation_validation=False)
    stack = CnpjRadarStack(app, STACK_ID)
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack


def main() -> None:
    app, _ = build_app(os.environ.get("CDK_OUTDIR", "cdk.out"))
    app.synth()


if __name__ == "__main__":
    main()

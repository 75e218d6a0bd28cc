"""Entry point: `python infra_cdk/app.py` (or `cdk synth`) writes the selected stage's templates into cdk.out.

The stage comes from `-c radar:stage=<dev|staging|prod|all>` (a comma list works too), else RADAR_STAGE, else dev:
dev writes cdk.out/CnpjRadar.template.json, staging CnpjRadar-staging.template.json, prod CnpjRadar-prod.template.json,
each beside its account stack (<stack>-Account: the GitHub deploy role and the account-wide API Gateway logging role)
and its edge stack (<stack>-Edge, in us-east-1: the console distribution's CLOUDFRONT web ACL; the main stack
depends on it, so `cdk deploy --all` or `cdk deploy <stack>` deploys it first).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
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

from infra_cdk.account import AccountStack
from infra_cdk.bundling import BUNDLE_DEPS_CONTEXT
from infra_cdk.edge import EdgeStack, edge_stack_name
from infra_cdk.settings import STACK_ID, Settings
from infra_cdk.stack import CnpjRadarStack
from infra_cdk.stages import STAGES, requested_stage

__all__ = ["STACK_ID", "StageStacks", "build_app", "build_stages", "cdk_json_context", "main", "selected_stages"]

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


@dataclass(frozen=True)
class StageStacks:
    settings: Settings
    main: CnpjRadarStack
    account: AccountStack
    edge: EdgeStack


def selected_stages(value: object = None) -> tuple[str, ...]:
    """`all`, one stage or a comma list (`-c radar:stage=...`, else RADAR_STAGE, else dev), in STAGES order."""
    raw = str(value or os.environ.get("RADAR_STAGE") or "dev")
    if raw.strip().lower() == "all":
        return STAGES
    wanted = {requested_stage(part) for part in raw.split(",") if part.strip()}
    return tuple(stage for stage in STAGES if stage in wanted)


def _environment() -> cdk.Environment:
    # The CDK CLI sets both from the deploying credentials; a plain local synth leaves the stacks environment-agnostic.
    return cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION"))


def build_app(
    outdir: str = "cdk.out",
    *,
    stage: str | None = None,
    context: dict[str, Any] | None = None,
    nag: bool | None = None,
    bundle: bool | None = None,
) -> tuple[cdk.App, CnpjRadarStack]:
    """The app with one stage (default: the selected one) and that stage's main stack."""
    app, stacks = build_stages(outdir, stages=(stage,) if stage else None, context=context, nag=nag, bundle=bundle)
    return app, next(iter(stacks.values())).main


def build_stages(
    outdir: str = "cdk.out",
    *,
    stages: tuple[str, ...] | None = None,
    context: dict[str, Any] | None = None,
    nag: bool | None = None,
    bundle: bool | None = None,
) -> tuple[cdk.App, dict[str, StageStacks]]:
    """The app and, per stage (default: `radar:stage` context or RADAR_STAGE, else dev), its main and account stacks.

    `bundle` (pip-install the deps layer: network, slow) defaults to on under the CDK CLI or with RADAR_BUNDLE=1,
    and off for a plain local synth, whose local cloud runs on the project's virtualenv. The functions' own code
    is always bundled with its bytecode (offline, under a second).
    `nag` defaults to on under the CDK CLI (`cdk synth/deploy`) or with
    RADAR_NAG=1, and off for a plain local synth (the local cloud's), which it would slow by ~2 s;
    tests/infra runs the same checks on every test run.
    """
    if bundle is None:
        # RADAR_BUNDLE=0 keeps a CDK CLI synth offline too (the CLI check in make test); deploys bundle.
        switch = os.environ.get("RADAR_BUNDLE", "")
        bundle = switch == "1" or (switch != "0" and _under_cdk_cli())
    if nag is None:
        nag = os.environ.get("RADAR_NAG", "1" if _under_cdk_cli() else "0") == "1"
    defaults: dict[str, Any] = {**CLI_DEFAULT_CONTEXT, **cdk_json_context()}
    defaults[BUNDLE_DEPS_CONTEXT] = bundle
    # The built-in CloudFormation validation (a WebAssembly linter) triples synth time here; tests/infra runs
    # cfn-lint on the template instead, with the same rules and more.
    app = cdk.App(outdir=outdir, context={**defaults, **(context or {})}, builtin_cloud_formation_validation=False)
    built: dict[str, StageStacks] = {}
    for stage in stages or selected_stages(app.node.try_get_context("radar:stage")):
        settings = Settings.from_scope(app, stage)
        env = _environment()
        main = CnpjRadarStack(app, settings.stack_name, settings=settings, env=env)
        account = AccountStack(app, f"{settings.stack_name}-Account", settings=settings, env=env)
        edge = EdgeStack(app, edge_stack_name(settings), settings=settings, account=env.account)
        # Deploy order only (no reference crosses the regions): the distribution names the edge stack's web ACL.
        main.add_stack_dependency(edge, "the console distribution reads the edge stack's web ACL ARN (SSM, us-east-1)")
        built[stage] = StageStacks(settings=settings, main=main, account=account, edge=edge)
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, built


def main() -> None:
    app, _ = build_stages(os.environ.get("CDK_OUTDIR", "cdk.out"))
    app.synth()


if __name__ == "__main__":
    main()

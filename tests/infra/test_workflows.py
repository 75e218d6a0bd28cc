"""The GitHub workflows: valid against GitHub's workflow schema (check-jsonschema's vendored copy: actionlint is a Go
binary the registries here do not ship), and consistent with the app: deploy jobs run in the GitHub environment the
stage's deploy role trusts, through OIDC only, for the stack the stage names; pull requests run everything."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra_cdk.app import REPO_ROOT
from infra_cdk.stages import load_stage

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
DEPLOYS = {"deploy-staging.yml": "staging", "release.yml": "prod"}


def load(path: Path) -> dict[Any, Any]:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return dict(data)


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_workflows_for_pull_requests_main_and_releases() -> None:
    assert {p.name for p in FILES} == {"ci.yml", "deploy-staging.yml", "release.yml"}


def test_workflows_validate_against_the_github_workflow_schema() -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, FILES)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    step:\n      - run: echo\n")
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(broken)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_jobs_reference_what_exists_and_actions_are_pinned(path: Path) -> None:
    workflow = load(path)
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in jobs, (name, need)
        if "uses" in job:  # a reusable workflow
            called = REPO_ROOT / job["uses"].removeprefix("./")
            assert called.is_file(), job["uses"]
            assert "workflow_call" in load(called)["on"]
    for step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v?\d[\w.]*|[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    text = path.read_text(encoding="utf-8")
    assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text  # no long-lived keys
    assert workflow.get("permissions") == {"contents": "read"}  # least privilege by default


def test_pull_requests_run_lint_typecheck_tests_synth_lint_and_audits() -> None:
    ci = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in ci["on"] and "workflow_call" in ci["on"]
    runs = "\n".join(str(step.get("run", "")) for step in steps(ci))
    for command in ("make lint", "make typecheck", "bash .ci/run", "make cdk-synth STAGE=all", ".venv/bin/cfn-lint",
                    "sam validate --lint", "make audit", "npm audit --omit=dev"):
        assert command in runs, command
    guarded = [s for s in steps(ci) if "npm audit" in str(s.get("run", ""))]
    assert all(s.get("if") == "hashFiles('console/package-lock.json') != ''" for s in guarded)


@pytest.mark.parametrize(("file", "stage"), sorted(DEPLOYS.items()))
def test_deploys_run_in_the_environment_the_stage_role_trusts(file: str, stage: str) -> None:
    workflow = load(WORKFLOWS / file)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "ci" and workflow["jobs"]["ci"]["uses"] == "./.github/workflows/ci.yml"
    assert deploy["environment"]["name"] == load_stage(stage)["githubEnvironment"]
    assert deploy["permissions"] == {"contents": "read", "id-token": "write"}
    assert deploy["env"]["STACK"] == load_stage(stage)["stackName"]
    oidc = "aws-actions/configure-aws-credentials@"
    credentials = [s for s in deploy["steps"] if str(s.get("uses", "")).startswith(oidc)]
    assert len(credentials) == 1 and set(credentials[0]["with"]) >= {"role-to-assume", "aws-region"}
    runs = "\n".join(str(s.get("run", "")) for s in deploy["steps"])
    assert f"-c radar:stage={stage}" in runs and 'cdk deploy "$STACK"' in runs
    assert "scripts.migrate up" in runs and "scripts.smoke --api-url" in runs
    assert workflow["concurrency"]["cancel-in-progress"] is False  # never two deploys of a stage at once


def test_staging_deploys_from_main_and_production_from_release_tags() -> None:
    assert load(WORKFLOWS / "deploy-staging.yml")["on"] == {"push": {"branches": ["main"]}}
    assert load(WORKFLOWS / "release.yml")["on"] == {"push": {"tags": ["v*"]}}

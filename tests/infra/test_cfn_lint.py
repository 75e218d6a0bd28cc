"""cfn-lint passes on every synthesized template with the repository's .cfnlintrc (the one `cfn-lint` and
`sam validate --lint` read), and every rule it ignores carries a written reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from infra_cdk.app import REPO_ROOT
from infra_cdk.stages import STAGES
from tests.infra.helpers import Synthesized

CONFIG = REPO_ROOT / ".cfnlintrc"


def config() -> dict[str, Any]:
    return dict(yaml.safe_load(CONFIG.read_text(encoding="utf-8")))


def test_every_ignored_rule_has_a_written_reason() -> None:
    lines = CONFIG.read_text(encoding="utf-8").splitlines()
    ignored = config()["ignore_checks"]
    assert ignored, "nothing ignored: drop the section instead"
    for rule in ignored:
        index = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*-\s*{rule}\s*", line))
        reason = []
        for line in reversed(lines[:index]):
            if not line.strip().startswith("#"):
                break
            reason.append(line)
        assert any(rule in line for line in reason) and len(" ".join(reason)) > 60, f"{rule}: no reason above it"


@pytest.mark.parametrize("stage", STAGES)
def test_cfn_lint_passes_on_every_stage(stages: dict[str, Synthesized], stage: str) -> None:
    from cfnlint.api import ManualArgs, lint_file

    settings = config()
    synth = stages[stage]
    for stack in (synth.stack, synth.account_stack, synth.edge_stack):
        template = synth.outdir / f"{stack.stack_name}.template.json"
        matches = lint_file(template, config=ManualArgs(ignore_checks=settings["ignore_checks"],
                                                        regions=settings["regions"]))
        assert [str(m) for m in matches] == [], template.name

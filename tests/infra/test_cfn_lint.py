"""cfn-lint passes on the synthesized template."""

from __future__ import annotations

from tests.infra.helpers import Synthesized

# W3005: CDK makes each function DependsOn its role although the Role GetAtt already orders them.
IGNORED = ["W3005"]


def test_cfn_lint_passes(synthesized: Synthesized) -> None:
    from cfnlint.api import ManualArgs, lint_file

    template = synthesized.outdir / "CnpjRadar.template.json"
    matches = lint_file(template, config=ManualArgs(ignore_checks=IGNORED, regions=["us-east-1", "sa-east-1"]))
    assert [str(m) for m in matches] == []

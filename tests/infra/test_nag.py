"""cdk-nag AwsSolutions passes; every acknowledged finding carries a written reason."""

from __future__ import annotations

import pytest

from infra_cdk.nag import acknowledge
from tests.infra.helpers import Synthesized


def test_aws_solutions_checks_pass(synthesized: Synthesized) -> None:
    from cdk_nag import AwsSolutionsChecks

    # validate_scope runs the same rules as the synth-time plugin and honours Validations.acknowledge().
    report = AwsSolutionsChecks().validate_scope(synthesized.stack)
    findings = [
        f"{violation.rule_name}: {violation.description} at "
        + ", ".join(str(r.construct_path) for r in violation.violating_resources)
        for violation in report.violations
    ]
    assert report.success, "\n".join(findings)
    assert findings == []


def test_every_acknowledgement_has_a_reason(synthesized: Synthesized) -> None:
    from aws_cdk import Validations

    # Recorded as construct metadata: {"<source>::<rule id>": "<reason>"} per acknowledging construct.
    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    reasons = {
        f"{construct.node.path} {rule}": reason
        for construct in synthesized.stack.node.find_all()
        for entry in construct.node.metadata
        if entry.type == key
        for rule, reason in dict(entry.data).items()
    }
    assert any("AwsSolutions-IAM5[Resource::*]" in rule for rule in reasons)
    assert all(len(str(reason).strip()) >= 20 for reason in reasons.values()), reasons


def test_acknowledge_refuses_an_empty_reason(synthesized: Synthesized) -> None:
    with pytest.raises(ValueError, match="real reason"):
        acknowledge(synthesized.stack, "AwsSolutions-IAM4", "ok")

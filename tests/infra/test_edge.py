"""The console distribution's web ACL (issue 18 point 3): a CLOUDFRONT-scope ACL in each stage's us-east-1 edge stack
(infra_cdk/edge.py), with the API's managed rule groups, the per-IP rate rules and logging in us-east-1, and the
distribution naming it (its WebACLId read from the edge stack's SSM parameter by a custom resource)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra_cdk.edge import EDGE_REGION, edge_web_acl_parameter
from infra_cdk.settings import Settings
from infra_cdk.stages import STAGES, load_stage
from infra_cdk.waf import REDACTED_HEADERS
from tests.infra.helpers import Synthesized, assert_waf_rules, render
from tests.infra.test_console import distribution, nested, of_type, one


def edge(synth: Synthesized) -> dict[str, Any]:
    assert synth.edge_template is not None
    return synth.edge_template


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_an_edge_stack_in_us_east_1_that_its_stack_depends_on(
    stages: dict[str, Synthesized], stage: str
) -> None:
    synth = stages[stage]
    assert synth.edge_stack.region == EDGE_REGION == "us-east-1"
    assert synth.edge_stack.stack_name == f"{load_stage(stage)['stackName']}-Edge"
    # Deploy order: `cdk deploy --all` (or the stage's stack alone) creates the ACL before the distribution.
    assert synth.edge_stack in synth.stack.dependencies
    manifest = json.loads((synth.outdir / "manifest.json").read_text(encoding="utf-8"))
    main = manifest["artifacts"][synth.stack.artifact_id]
    assert synth.edge_stack.artifact_id in main["dependencies"]
    assert manifest["artifacts"][synth.edge_stack.artifact_id]["environment"].endswith("/us-east-1")


@pytest.mark.parametrize("stage", STAGES)
def test_edge_acl_has_cloudfront_scope_the_managed_groups_and_a_rate_rule_per_ip(
    stages: dict[str, Synthesized], stage: str
) -> None:
    template = edge(stages[stage])
    [(logical_id, acl)] = [(k, v["Properties"]) for k, v in of_type(template, "AWS::WAFv2::WebACL").items()]
    assert logical_id == "ConsoleWafWebAcl"
    assert acl["Scope"] == "CLOUDFRONT"
    # The browser's paths on the distribution: /v1/* is the API (infra_cdk/console.py API_PATH_PREFIX).
    assert_waf_rules(acl, load_stage(stage)["waf"], "CLOUDFRONT")
    # A CLOUDFRONT ACL is named by the distribution, never associated like a regional one.
    assert not of_type(template, "AWS::WAFv2::WebACLAssociation")


@pytest.mark.parametrize("stage", STAGES)
def test_edge_acl_logs_in_us_east_1_with_the_stages_retention_and_no_credentials(
    stages: dict[str, Synthesized], stage: str
) -> None:
    template = edge(stages[stage])
    _, group = one(template, "AWS::Logs::LogGroup")
    assert group["LogGroupName"] == f"aws-waf-logs-{load_stage(stage)['stackName']}-console"
    assert group["RetentionInDays"] == Settings.for_stage(stage).waf_log_retention_days
    _, logging = one(template, "AWS::WAFv2::LoggingConfiguration")
    assert render(logging["ResourceArn"]) == "<ConsoleWafWebAcl.Arn>"
    [destination] = logging["LogDestinationConfigs"]
    # The stack's own region (us-east-1, concrete here), not a pseudo parameter.
    assert render(destination).endswith(f":logs:us-east-1:<AWS::AccountId>:log-group:{group['LogGroupName']}")
    assert {field["SingleHeader"]["Name"] for field in logging["RedactedFields"]} == set(REDACTED_HEADERS)


@pytest.mark.parametrize("stage", STAGES)
def test_distribution_names_the_edge_acl_read_from_its_parameter_in_us_east_1(
    stages: dict[str, Synthesized], stage: str
) -> None:
    synth = stages[stage]
    settings = Settings.for_stage(stage)
    parameter_name = edge_web_acl_parameter(settings)
    _, parameter = one(edge(synth), "AWS::SSM::Parameter")
    assert parameter["Name"] == parameter_name and parameter["Value"] == {"Fn::GetAtt": ["ConsoleWafWebAcl", "Arn"]}
    console = nested(synth)[2]
    config = distribution(console)
    reader_id, reader = one(console, "Custom::AWS")
    assert render(config["WebACLId"]) == f"<{reader_id}.Parameter.Value>"
    for call in (json.loads(reader["Create"]), json.loads(reader["Update"])):
        assert (call["service"], call["action"], call["region"]) == ("SSM", "getParameter", "us-east-1")
        assert call["parameters"] == {"Name": parameter_name}
    # Its handler may read that one parameter and nothing else.
    [policy] = [p["Properties"] for p in of_type(console, "AWS::IAM::Policy").values()
                if p["Properties"]["PolicyName"].startswith("WebAclArn")]
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ssm:GetParameter"
    assert render(statement["Resource"]) == (
        f"arn:<AWS::Partition>:ssm:us-east-1:<AWS::AccountId>:parameter{parameter_name}")


def test_the_console_acl_is_not_in_the_stage_stack_the_local_cloud_runs(synthesized: Synthesized) -> None:
    # The local cloud runs the main template (scripts/localcloud/synth.py picks <stack>.template.json): it keeps one
    # REGIONAL ACL, and the console's nested stack stays one AWS::CloudFormation::Stack resource.
    scopes = [acl["Properties"]["Scope"] for acl in synthesized.of_type("AWS::WAFv2::WebACL").values()]
    assert scopes == ["REGIONAL"]
    assert not synthesized.of_type("Custom::AWS")

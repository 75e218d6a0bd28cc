"""The local cloud finds the function behind every way a template names one: the function, a version or the `live`
alias of it, by Ref or GetAtt, inside Fn::Join/Select/Split, or spelled out as an ARN with a qualifier."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.localcloud.template import Template

ALIAS_REF = {"Ref": "WorkerFunctionLiveAlias"}
RESOURCES = {
    "WorkerFunction": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "CnpjRadar-worker"}},
    "WorkerVersion1": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "WorkerFunction"}}},
    "WorkerFunctionLiveAlias": {"Type": "AWS::Lambda::Alias", "Properties": {
        "FunctionName": {"Ref": "WorkerFunction"}, "Name": "live",
        "FunctionVersion": {"Fn::GetAtt": ["WorkerVersion1", "Version"]}}},
    "ChecksQueue": {"Type": "AWS::SQS::Queue", "Properties": {}},
}


@pytest.fixture
def template() -> Template:
    return Template(path=Path("CnpjRadar.template.json"), body={"Resources": RESOURCES}, stack_name="CnpjRadar")


@pytest.mark.parametrize("node", [
    {"Ref": "WorkerFunction"},
    {"Fn::GetAtt": ["WorkerFunction", "Arn"]},
    {"Fn::GetAtt": "WorkerFunction.Arn"},
    ALIAS_REF,
    {"Fn::GetAtt": ["WorkerFunctionLiveAlias", "AliasArn"]},
    {"Ref": "WorkerVersion1"},
    # How CDK writes an event source mapping's FunctionName for an alias.
    {"Fn::Join": ["", [{"Fn::Select": [6, {"Fn::Split": [":", ALIAS_REF]}]}, ":live"]]},
    # How CDK writes an authorizer URI for an alias.
    {"Fn::Join": ["", ["arn:", {"Fn::Select": [1, {"Fn::Split": [":", ALIAS_REF]}]},
                       ":lambda:path/2015-03-31/functions/", ALIAS_REF, "/invocations"]]},
    # An integration URI naming the alias by its fixed name (infra_cdk/api.py).
    {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                       ":lambda:path/2015-03-31/functions/arn:", {"Ref": "AWS::Partition"}, ":lambda:",
                       {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"},
                       ":function:CnpjRadar-worker:live/invocations"]]},
    "arn:aws:lambda:us-east-1:123456789012:function:CnpjRadar-worker:live",
    "CnpjRadar-worker:live",
    "CnpjRadar-worker",
])
def test_every_form_names_the_worker(template: Template, node: object) -> None:
    assert template.function_behind(node) == "WorkerFunction"


@pytest.mark.parametrize("node", [{"Ref": "ChecksQueue"}, "CnpjRadar-other:live", None,
                                  "arn:aws:lambda:us-east-1:1:function:Elsewhere"])
def test_anything_else_names_no_function(template: Template, node: object) -> None:
    assert template.function_behind(node) is None

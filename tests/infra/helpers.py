"""Reading the synthesized template: render intrinsic functions to text, collect policies and routes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Synthesized", "api_methods", "assert_waf_rules", "render", "role_statements"]


@dataclass(frozen=True)
class Synthesized:
    stack: Any  # infra_cdk.stack.CnpjRadarStack
    template: dict[str, Any]
    outdir: Path
    account_stack: Any = None  # infra_cdk.account.AccountStack
    account_template: dict[str, Any] | None = None
    edge_stack: Any = None  # infra_cdk.edge.EdgeStack
    edge_template: dict[str, Any] | None = None

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.template["Resources"])

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == resource_type}

    def props(self, logical_id: str) -> dict[str, Any]:
        return dict(self.template["Resources"][logical_id].get("Properties", {}))


def render(node: Any) -> Any:
    """Intrinsics as readable text: Ref X -> <X>, GetAtt X.Y -> <X.Y>, Join concatenated, Sub kept."""
    if isinstance(node, dict) and len(node) == 1:
        (key, value), = node.items()
        if key == "Ref":
            return f"<{value}>"
        if key == "Fn::GetAtt":
            return f"<{value[0]}.{value[1]}>"
        if key == "Fn::Join":
            separator, parts = value
            return separator.join(str(render(part)) for part in parts)
        if key == "Fn::Sub":
            return value if isinstance(value, str) else value[0]
        if key == "Fn::Select":
            return f"<select {value[0]} of {render(value[1])}>"
        if key == "Fn::Split":
            return f"<split {render(value[1])}>"
    if isinstance(node, dict):
        return {k: render(v) for k, v in node.items()}
    if isinstance(node, list):
        return [render(v) for v in node]
    return node


def role_statements(synth: Synthesized, role_logical_id: str) -> list[dict[str, Any]]:
    """Every statement of every inline policy attached to the role, with actions as lists and rendered."""
    statements: list[dict[str, Any]] = []
    for resource in synth.of_type("AWS::IAM::Policy").values():
        props = resource["Properties"]
        if {"Ref": role_logical_id} not in props.get("Roles", []):
            continue
        for statement in props["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            resources = statement["Resource"]
            statements.append({
                "Effect": statement["Effect"],
                "Action": actions if isinstance(actions, list) else [actions],
                "Resource": [render(r) for r in (resources if isinstance(resources, list) else [resources])],
            })
    return statements


def _resource_path(synth: Synthesized, node: Any) -> str:
    if "Fn::GetAtt" in node:
        return ""  # the API's root resource
    props = synth.props(node["Ref"])
    return _resource_path(synth, props["ParentId"]) + "/" + props["PathPart"]


def api_methods(synth: Synthesized) -> dict[tuple[str, str], dict[str, Any]]:
    """(HTTP method, path) -> the method's resource (Type, Properties, Metadata)."""
    methods = {}
    for resource in synth.of_type("AWS::ApiGateway::Method").values():
        props = resource["Properties"]
        path = _resource_path(synth, props["ResourceId"]) or "/"
        methods[(props["HttpMethod"], path)] = resource
    return methods


def assert_waf_rules(acl: dict[str, Any], waf: dict[str, Any], body_for: str) -> dict[str, dict[str, Any]]:
    """The rules every cnpj-radar web ACL has (infra_cdk/waf.py), with the stage file's `waf` limits, on the /v1/*
    paths; `body_for` is the resource type whose body inspection limit must cover the body rule. Returns the rules."""
    from infra_cdk.waf import MANAGED_RULE_GROUPS, MAX_BODY_BYTES

    assert acl["DefaultAction"] == {"Allow": {}}
    by_name = {rule["Name"]: rule for rule in acl["Rules"]}
    managed = {name: rule["Statement"]["ManagedRuleGroupStatement"] for name, rule in by_name.items()
               if "ManagedRuleGroupStatement" in rule["Statement"]}
    assert set(managed) == {group for _, group, _ in MANAGED_RULE_GROUPS} == {
        "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}
    assert all(group["VendorName"] == "AWS" for group in managed.values())
    assert len({rule["Priority"] for rule in by_name.values()}) == len(by_name)
    rate = by_name["RatePerIp"]["Statement"]["RateBasedStatement"]
    assert (rate["AggregateKeyType"], rate["Limit"], rate["EvaluationWindowSec"]) == (
        "IP", waf["ratePerIpPer5Minutes"], 300)
    auth = by_name["AuthRatePerIp"]["Statement"]["RateBasedStatement"]
    assert auth["Limit"] == waf["authRatePerIpPer5Minutes"]
    assert auth["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/v1/auth/"
    for name in ("RatePerIp", "AuthRatePerIp"):
        assert by_name[name]["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    too_large, not_batch = by_name["BodySize"]["Statement"]["AndStatement"]["Statements"]
    size = too_large["SizeConstraintStatement"]
    assert (size["ComparisonOperator"], size["Size"]) == ("GT", MAX_BODY_BYTES)
    assert size["FieldToMatch"]["Body"]["OversizeHandling"] == "MATCH"
    # The batch route takes up to 10,000 CNPJs (its function holds it to BATCH_MAX_BODY_BYTES).
    batch = not_batch["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert (batch["PositionalConstraint"], batch["SearchString"]) == ("EXACTLY", "/v1/checks/batch")
    inspected = acl["AssociationConfig"]["RequestBody"][body_for]["DefaultSizeInspectionLimit"]
    assert int(inspected.removeprefix("KB_")) * 1024 >= MAX_BODY_BYTES
    return by_name

"""The pre-traffic hook's reading of a deployment and its verdicts (the real handlers answer it in
tests/integration/test_pre_traffic_smoke.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra_cdk.hooks.pre_traffic.app import SMOKE, SmokeFailed, Target, check, smoke_test, target_of


def deployment(content: str) -> dict[str, Any]:
    return {"deploymentInfo": {"revision": {"revisionType": "AppSpecContent",
                                            "appSpecContent": {"content": content, "sha256": "x"}}}}


def test_target_from_a_json_appspec() -> None:
    content = json.dumps({"version": 0.0, "Resources": [{"CnpjRadar-prod-checks": {
        "Type": "AWS::Lambda::Function",
        "Properties": {"Name": "CnpjRadar-prod-checks", "Alias": "live", "CurrentVersion": "7", "TargetVersion": "8"},
    }}]})
    assert target_of(deployment(content)) == Target("CnpjRadar-prod-checks", "live", "8")


def test_target_from_a_yaml_appspec() -> None:
    content = ("version: 0.0\nResources:\n  - checks:\n      Type: AWS::Lambda::Function\n      Properties:\n"
               "        Name: \"CnpjRadar-prod-checks\"\n        Alias: \"live\"\n        CurrentVersion: \"7\"\n"
               "        TargetVersion: \"8\"\n")
    target = target_of(deployment(content))
    assert (target.function_name, target.alias, target.version, target.qualified) == (
        "CnpjRadar-prod-checks", "live", "8", "CnpjRadar-prod-checks:8")


def test_an_appspec_without_a_target_fails_the_check() -> None:
    with pytest.raises(SmokeFailed, match="target version"):
        target_of(deployment("version: 0.0\nResources: []\n"))


def test_verdicts() -> None:
    check("checks", {"statusCode": 200, "body": '{"status": "ok"}'}, None)
    with pytest.raises(SmokeFailed, match="HTTP 200"):
        check("checks", {"statusCode": 500, "body": "{}"}, None)
    with pytest.raises(SmokeFailed, match="not JSON"):
        check("auth", {"statusCode": 401, "body": "<html>"}, None)
    with pytest.raises(SmokeFailed, match="failed"):
        check("targets", {"errorMessage": "No module named 'radar'", "errorType": "Runtime.ImportModuleError"},
              "Unhandled")
    check("authorizer", {"errorMessage": "Unauthorized", "errorType": "Exception"}, "Unhandled")
    with pytest.raises(SmokeFailed, match="Unauthorized"):
        check("authorizer", {"errorMessage": "KeyError: 'MAIN_TABLE'"}, "Unhandled")
    with pytest.raises(SmokeFailed, match="Unauthorized"):
        check("authorizer", {"policyDocument": {}}, None)  # allowing an anonymous call is not healthy
    check("worker", {"batchItemFailures": []}, None)
    with pytest.raises(SmokeFailed):
        check("worker", None, None)


def test_smoke_invokes_exactly_the_target_version_with_its_kinds_event() -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(name: str, event: dict[str, Any]) -> tuple[Any, str | None]:
        calls.append((name, event))
        return {"batchItemFailures": []}, None

    smoke_test(Target("CnpjRadar-staging-worker", "live", "12"), invoke, "CnpjRadar-staging")
    assert calls == [("CnpjRadar-staging-worker:12", SMOKE["worker"].event)]
    with pytest.raises(SmokeFailed, match="no smoke check"):
        smoke_test(Target("Other-worker", "live", "1"), invoke, "CnpjRadar-staging")

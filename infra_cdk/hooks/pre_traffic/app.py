"""CodeDeploy BeforeAllowTraffic hook: smoke-check the version a deployment is about to send traffic to.

CodeDeploy calls this with a deployment id; the deployment's AppSpec names the function, its alias and the target
version. The hook invokes that exact version with a harmless event for its kind of function (the health route,
an unauthenticated request, an empty queue batch), checks the answer, and reports Succeeded or Failed. A Failed
report stops the deployment before any traffic reaches the new version, and CodeDeploy rolls the alias back.

Only boto3 (in the Lambda runtime) and the standard library: the hook must work even when the layers are broken.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["SMOKE", "Smoke", "SmokeFailed", "Target", "check", "http_event", "lambda_handler", "target_of"]


class SmokeFailed(Exception):
    """The new version answered the smoke event wrongly (or not at all)."""


@dataclass(frozen=True)
class Target:
    function_name: str
    alias: str
    version: str

    @property
    def qualified(self) -> str:
        return f"{self.function_name}:{self.version}"


def http_event(method: str, path: str) -> dict[str, Any]:
    """An API Gateway REST proxy event with no credentials and no authorizer context."""
    return {
        "resource": path, "path": path, "httpMethod": method,
        "headers": {"Accept": "application/json", "User-Agent": "cnpj-radar-pre-traffic-hook"},
        "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
        "requestContext": {"resourcePath": path, "httpMethod": method, "path": f"/v1{path}", "stage": "v1",
                           "requestId": "pre-traffic-hook", "identity": {"sourceIp": "127.0.0.1"}},
    }


@dataclass(frozen=True)
class Smoke:
    """A harmless event for one kind of function and how a healthy version answers it."""

    event: dict[str, Any]
    status: int | None = None  # HTTP functions: the statusCode expected
    error_message: str | None = None  # the authorizer: its documented "Unauthorized" error
    result: dict[str, Any] | None = None  # the worker: the exact response


# A queue record for a check that cannot exist (no tenant id is "pre-traffic-hook"): the worker reads the main
# table, finds nothing and drops the message, so the batch succeeds with no failures and nothing is written.
_GONE_CHECK = json.dumps({"tenant_id": "pre-traffic-hook", "check_id": "pre-traffic-hook", "target_id": "none",
                          "cnpj": "00000000000000", "enqueued_at": "2000-01-01T00:00:00.000Z"})
_GONE_JOB = json.dumps({"tenant_id": "pre-traffic-hook", "job_id": "pre-traffic-hook"})
_SQS_RECORD = {
    "messageId": "pre-traffic-hook", "receiptHandle": "pre-traffic-hook", "body": _GONE_CHECK,
    "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0", "SenderId": "pre-traffic-hook",
                   "ApproximateFirstReceiveTimestamp": "0"},
    "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
    "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:pre-traffic-hook", "awsRegion": "us-east-1",
}

# By function (the physical name after "<stack>-"). Nothing here writes, and nothing reads tenant data: the health
# route, routes that answer 401 before any lookup, and a queue record for a check that does not exist.
SMOKE: dict[str, Smoke] = {
    "checks": Smoke(http_event("GET", "/health"), status=200),
    "auth": Smoke(http_event("GET", "/tenant"), status=401),
    "targets": Smoke(http_event("GET", "/targets"), status=401),
    "authorizer": Smoke(
        {"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:000000000000:smoke/v1/GET/targets",
         "resource": "/targets", "path": "/targets", "httpMethod": "GET", "headers": {}, "multiValueHeaders": {},
         "requestContext": {"requestId": "pre-traffic-hook", "identity": {"sourceIp": "127.0.0.1"}}},
        error_message="Unauthorized",
    ),
    "worker": Smoke({"Records": [_SQS_RECORD]}, result={"batchItemFailures": []}),
    # A deletion job that does not exist: the purge finds no record for the tenant and drops the message.
    "purge": Smoke({"Records": [{**_SQS_RECORD, "body": _GONE_JOB}]}, result={"batchItemFailures": []}),
}


def target_of(deployment: dict[str, Any]) -> Target:
    """The function, alias and target version from GetDeployment's AppSpec (JSON, or the YAML CloudFormation
    may write: both carry Name, Alias and TargetVersion)."""
    content = str(deployment["deploymentInfo"]["revision"]["appSpecContent"]["content"])
    try:
        resources = json.loads(content)["Resources"]
        props = next(iter(resources[0].values()))["Properties"]
        return Target(str(props["Name"]), str(props["Alias"]), str(props["TargetVersion"]))
    except (ValueError, KeyError, IndexError, StopIteration, TypeError):
        found = {key: re.search(rf"\b{key}\s*[\"']?\s*:\s*[\"']?([\w$.:-]+)", content) for key in
                 ("Name", "Alias", "TargetVersion")}
        if not all(found.values()):
            raise SmokeFailed("the deployment's AppSpec names no function, alias and target version") from None
        return Target(*(match.group(1) for match in found.values() if match))


def check(kind: str, payload: Any, function_error: str | None) -> None:
    """Raise SmokeFailed unless (payload, function error) is how a healthy `kind` function answers its smoke event."""
    smoke = SMOKE[kind]
    if smoke.error_message is not None:
        message = payload.get("errorMessage") if isinstance(payload, dict) else None
        if function_error and message == smoke.error_message:
            return
        raise SmokeFailed(f"{kind}: expected the {smoke.error_message!r} error, got {function_error}: {payload!r}")
    if function_error:
        raise SmokeFailed(f"{kind}: the function failed ({function_error}): {payload!r}"[:500])
    if smoke.result is not None and payload != smoke.result:
        raise SmokeFailed(f"{kind}: expected {smoke.result!r}, got {payload!r}"[:500])
    if smoke.status is not None:
        status = payload.get("statusCode") if isinstance(payload, dict) else None
        if status != smoke.status:
            raise SmokeFailed(f"{kind}: expected HTTP {smoke.status}, got {status}")
        try:
            json.loads(payload.get("body") or "")
        except ValueError as exc:
            raise SmokeFailed(f"{kind}: the body is not JSON") from exc


def kind_of(function_name: str, stack_name: str) -> str:
    kind = function_name.removeprefix(f"{stack_name}-")
    if kind not in SMOKE:
        raise SmokeFailed(f"no smoke check for {function_name} (stack {stack_name})")
    return kind


def smoke_test(target: Target, invoke: Callable[[str, dict[str, Any]], tuple[Any, str | None]],
               stack_name: str) -> None:
    kind = kind_of(target.function_name, stack_name)
    payload, function_error = invoke(target.qualified, SMOKE[kind].event)
    check(kind, payload, function_error)


def _invoke(qualified_name: str, event: dict[str, Any]) -> tuple[Any, str | None]:
    import boto3

    response = boto3.client("lambda").invoke(FunctionName=qualified_name, Payload=json.dumps(event).encode())
    raw = response["Payload"].read()
    return (json.loads(raw) if raw else None), response.get("FunctionError")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    import boto3

    codedeploy = boto3.client("codedeploy")
    status, reason = "Failed", ""
    try:
        target = target_of(codedeploy.get_deployment(deploymentId=event["DeploymentId"]))
        smoke_test(target, _invoke, os.environ["STACK_NAME"])
        status, reason = "Succeeded", f"{target.qualified} answered its smoke event"
    except SmokeFailed as exc:
        reason = str(exc)
    except Exception as exc:  # any failure to check is a failed check: no traffic for an unverified version
        reason = f"the smoke check could not run: {type(exc).__name__}: {exc}"
    finally:
        codedeploy.put_lifecycle_event_hook_execution_status(
            deploymentId=event["DeploymentId"],
            lifecycleEventHookExecutionId=event["LifecycleEventHookExecutionId"],
            status=status,
        )
    # One structured line for the hook's log group (no payloads: they could carry anything).
    print(json.dumps({"deployment_id": event["DeploymentId"], "status": status, "reason": reason[:500]}))
    return {"status": status}

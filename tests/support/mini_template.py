"""A small CloudFormation template, shaped like CDK's output, for testing the local cloud's mechanisms in isolation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["USAGE_KEYS", "mini_cloud", "write_mini_template"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "localcloud"
# Usage keys registered in the template's usage plans: one tight on burst, one tight on quota.
USAGE_KEYS = {"bursty": "usage-key-bursty-0000000000", "quota": "usage-key-quota-00000000000"}


def _function(folder: str, env: dict[str, str] | None = None, timeout: int = 10) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Handler": "app.handler",
            "Runtime": "python3.12",
            "Timeout": timeout,
            "MemorySize": 256,
            "Code": {"S3Bucket": {"Fn::Sub": "cdk-assets-${AWS::AccountId}"}, "S3Key": f"{folder}.zip"},
            "Environment": {"Variables": env or {}},
            "TracingConfig": {"Mode": "Active"},
        },
        "Metadata": {"aws:asset:path": str(FIXTURES / folder), "aws:asset:property": "Code"},
    }


def _method(http_method: str, resource: dict[str, Any], *, protected: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "HttpMethod": http_method,
        "ResourceId": resource,
        "RestApiId": {"Ref": "Api"},
        "AuthorizationType": "CUSTOM" if protected else "NONE",
        "ApiKeyRequired": protected,
        "Integration": {
            "Type": "AWS_PROXY",
            "IntegrationHttpMethod": "POST",
            "Uri": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":apigateway:",
                        {"Ref": "AWS::Region"},
                        ":lambda:path/2015-03-31/functions/",
                        {"Fn::GetAtt": ["EchoFn", "Arn"]},
                        "/invocations",
                    ],
                ]
            },
        },
    }
    if protected:
        props["AuthorizerId"] = {"Ref": "Authorizer"}
    return {"Type": "AWS::ApiGateway::Method", "Properties": props}


def _usage_plan(name: str, rate: float, burst: int, quota: int) -> dict[str, Any]:
    return {
        "Type": "AWS::ApiGateway::UsagePlan",
        "Properties": {
            "UsagePlanName": name,
            "ApiStages": [{"ApiId": {"Ref": "Api"}, "Stage": {"Ref": "Stage"}}],
            "Throttle": {"RateLimit": rate, "BurstLimit": burst},
            "Quota": {"Limit": quota, "Period": "DAY"},
        },
    }


def write_mini_template(
    directory: Path, *, delivery_log: Path, authorizer_ttl: int = 2, stack_name: str = "Mini",
    extra_resources: dict[str, Any] | None = None,
) -> Path:
    root = {"Fn::GetAtt": ["Api", "RootResourceId"]}
    resources: dict[str, Any] = {
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "mini", "ApiKeySourceType": "AUTHORIZER"}},
        "ItemsResource": {
            "Type": "AWS::ApiGateway::Resource",
            "Properties": {"ParentId": root, "PathPart": "items", "RestApiId": {"Ref": "Api"}},
        },
        "ItemResource": {
            "Type": "AWS::ApiGateway::Resource",
            "Properties": {"ParentId": {"Ref": "ItemsResource"}, "PathPart": "{item_id}", "RestApiId": {"Ref": "Api"}},
        },
        "SpecialResource": {
            "Type": "AWS::ApiGateway::Resource",
            "Properties": {"ParentId": {"Ref": "ItemsResource"}, "PathPart": "special", "RestApiId": {"Ref": "Api"}},
        },
        "PublicResource": {
            "Type": "AWS::ApiGateway::Resource",
            "Properties": {"ParentId": root, "PathPart": "public", "RestApiId": {"Ref": "Api"}},
        },
        "PublicProxyResource": {
            "Type": "AWS::ApiGateway::Resource",
            "Properties": {"ParentId": {"Ref": "PublicResource"}, "PathPart": "{proxy+}", "RestApiId": {"Ref": "Api"}},
        },
        "PublicProxyGet": _method("GET", {"Ref": "PublicProxyResource"}, protected=False),
        "ItemsGet": _method("GET", {"Ref": "ItemsResource"}, protected=True),
        "ItemGet": _method("GET", {"Ref": "ItemResource"}, protected=True),
        "SpecialGet": _method("GET", {"Ref": "SpecialResource"}, protected=True),
        "PublicGet": _method("GET", {"Ref": "PublicResource"}, protected=False),
        "Authorizer": {
            "Type": "AWS::ApiGateway::Authorizer",
            "Properties": {
                "Type": "REQUEST",
                "RestApiId": {"Ref": "Api"},
                "IdentitySource": "method.request.header.x-token",
                "AuthorizerResultTtlInSeconds": authorizer_ttl,
                "AuthorizerUri": {
                    "Fn::Join": [
                        "",
                        [
                            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/",
                            {"Fn::GetAtt": ["AuthFn", "Arn"]},
                            "/invocations",
                        ],
                    ]
                },
            },
        },
        "Deployment": {
            "Type": "AWS::ApiGateway::Deployment",
            "Properties": {"RestApiId": {"Ref": "Api"}},
            "DependsOn": ["ItemsGet", "ItemGet", "PublicGet"],
        },
        "Stage": {
            "Type": "AWS::ApiGateway::Stage",
            "Properties": {
                "RestApiId": {"Ref": "Api"},
                "StageName": "v1",
                "DeploymentId": {"Ref": "Deployment"},
                "MethodSettings": [
                    {"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingRateLimit": 1000, "ThrottlingBurstLimit": 2000}
                ],
            },
        },
        "ThrottledResponse": {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "RestApiId": {"Ref": "Api"},
                "ResponseType": "THROTTLED",
                "StatusCode": "429",
                "ResponseParameters": {"gatewayresponse.header.X-Content-Type-Options": "'nosniff'"},
                "ResponseTemplates": {
                    "application/json": '{"error":{"code":"throttled","plan":"$context.authorizer.plan",'
                    '"request":"$context.requestId"}}'
                },
            },
        },
        "QuotaResponse": {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "RestApiId": {"Ref": "Api"},
                "ResponseType": "QUOTA_EXCEEDED",
                "StatusCode": "429",
                "ResponseTemplates": {
                    "application/json": '{"error":{"code":"quota_exceeded","plan":"$context.authorizer.plan"}}'
                },
            },
        },
        "Default4xx": {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "RestApiId": {"Ref": "Api"},
                "ResponseType": "DEFAULT_4XX",
                "ResponseParameters": {"gatewayresponse.header.Strict-Transport-Security": "'max-age=63072000'"},
                "ResponseTemplates": {
                    "application/json": '{"error":{"code":"$context.error.responseType",'
                    '"message":$context.error.messageString}}'
                },
            },
        },
        "BurstyPlan": _usage_plan("bursty", rate=0.5, burst=2, quota=1000),
        "QuotaPlan": _usage_plan("quota", rate=100, burst=100, quota=3),
        "BurstyKey": {
            "Type": "AWS::ApiGateway::ApiKey",
            "Properties": {"Enabled": True, "Value": USAGE_KEYS["bursty"]},
        },
        "QuotaKey": {"Type": "AWS::ApiGateway::ApiKey", "Properties": {"Enabled": True, "Value": USAGE_KEYS["quota"]}},
        "BurstyPlanKey": {
            "Type": "AWS::ApiGateway::UsagePlanKey",
            "Properties": {"KeyId": {"Ref": "BurstyKey"}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": "BurstyPlan"}},
        },
        "QuotaPlanKey": {
            "Type": "AWS::ApiGateway::UsagePlanKey",
            "Properties": {"KeyId": {"Ref": "QuotaKey"}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": "QuotaPlan"}},
        },
        "EchoFn": _function("echo", {"GREETING": {"Fn::Join": ["-", ["hello", {"Ref": "Stage"}]]}}, timeout=2),
        "AuthFn": _function("authorizer"),
        "ConsumerFn": _function("consumer", {"DELIVERY_LOG": str(delivery_log)}),
        "Dlq": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}},
        "Queue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": 4,  # longer than a cold start under load, or a success is redelivered
                "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 2},
            },
        },
        "Mapping": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "FunctionName": {"Ref": "ConsumerFn"},
                "EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]},
                "BatchSize": 10,
                "MaximumBatchingWindowInSeconds": 0,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            },
        },
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            },
        },
        "Secret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "GenerateSecretString": {
                    "SecretStringTemplate": '{"user":"x"}',
                    "GenerateStringKey": "password",
                    "PasswordLength": 24,
                }
            },
        },
    }
    template = {"Resources": resources | (extra_resources or {})}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stack_name}.template.json"  # physical names derive from it
    path.write_text(json.dumps(template, indent=1))
    return path


@contextmanager
def mini_cloud(directory: Path, stack_name: str, *, endpoint: str | None,
               extra_resources: dict[str, Any] | None = None, **config: Any) -> Iterator[Any]:
    """A LocalCloud running the mini template (its state and deliveries.jsonl in `directory`), stopped on exit.

    `endpoint` is a running emulator to use, or None for the cloud's own; `extra_resources` join the template's;
    `config` sets other CloudConfig fields."""
    from scripts.localcloud.cloud import CloudConfig, LocalCloud
    from tests.support.aws import free_port

    settings: dict[str, Any] = {"port": free_port(), "service_ports": {"ops": free_port()}, "seed": False,
                                "console": False} | config
    cloud = LocalCloud(
        CloudConfig(
            endpoint=endpoint,
            state_file=directory / "state.json",
            template=write_mini_template(directory, delivery_log=directory / "deliveries.jsonl", stack_name=stack_name,
                                         extra_resources=extra_resources),
            **settings,
        )
    )
    try:
        yield cloud.start()
    finally:
        cloud.stop()

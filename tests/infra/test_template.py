"""Template assertions: plans, API, authorizer, queue, tables, functions, environment, grants, outputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from radar.authorizer.service import Identity
from radar.http import SECURITY_HEADERS
from radar.tiers import load_tiers
from tests.infra.helpers import Synthesized, render, role_statements

FUNCTIONS = ("Authorizer", "Auth", "Targets", "Checks", "Worker", "Purge")

# docs/architecture.md, "Function environment": which variables each function gets.
POWERTOOLS = {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "LOG_LEVEL"}
PROVIDERS = {
    "PROVIDER_TOKENS_SECRET_ARN", "PROVIDER_ORDER", "CNPJWS_BASE_URL", "CNPJWS_COMMERCIAL_BASE_URL",
    "BRASILAPI_BASE_URL", "RECEITAWS_BASE_URL", "MINHARECEITA_BASE_URL", "OPENCNPJ_BASE_URL", "CNPJA_BASE_URL",
    "ALLOW_MOCK_FALLBACK", "CACHE_TTL_SECONDS",
    "NEGATIVE_CACHE_TTL_SECONDS", "PROVIDER_CONNECT_TIMEOUT", "PROVIDER_READ_TIMEOUT", "RATE_LIMIT_CNPJWS_PER_MIN",
    "RATE_LIMIT_BRASILAPI_PER_MIN", "RATE_LIMIT_RECEITAWS_PER_MIN", "RATE_LIMIT_MINHARECEITA_PER_MIN",
    "RATE_LIMIT_OPENCNPJ_PER_MIN", "RATE_LIMIT_CNPJA_PER_MIN",
}
EXPECTED_ENV = {
    "Authorizer": POWERTOOLS | {"MAIN_TABLE", "PUBLIC_KEYS_SECRET_ARN", "AUTH_CACHE_TTL_SECONDS"},
    "Auth": POWERTOOLS | {"MAIN_TABLE", "SIGNING_KEY_SECRET_ARN", "PUBLIC_KEYS_SECRET_ARN", "USAGE_PLAN_IDS",
                          "CURSOR_KEY_SECRET_ARN", "CORS_ALLOWED_ORIGINS", "BILLING_SECRET_ARN", "BILLING_API_BASE_URL",
                          "BILLING_GRACE_DAYS", "PURGE_QUEUE_URL", "BILLING_RETURN_URL"},
    "Targets": POWERTOOLS | {"MAIN_TABLE", "CURSOR_KEY_SECRET_ARN", "CORS_ALLOWED_ORIGINS"},
    "Checks": POWERTOOLS | PROVIDERS | {"MAIN_TABLE", "CACHE_TABLE", "IDEMPOTENCY_TABLE", "CHECKS_QUEUE_URL",
                                        "CHECKS_DLQ_URL", "BATCH_QUEUE_URL", "CURSOR_KEY_SECRET_ARN",
                                        "CORS_ALLOWED_ORIGINS"},
    "Worker": POWERTOOLS | PROVIDERS | {"MAIN_TABLE", "CACHE_TABLE", "CHECKS_DLQ_URL", "MAX_RECEIVE_COUNT"},
    "Purge": POWERTOOLS | {"MAIN_TABLE", "IDEMPOTENCY_TABLE", "PURGE_QUEUE_URL", "USAGE_PLAN_IDS", "BILLING_SECRET_ARN",
                           "BILLING_API_BASE_URL"},
}


def env(synthesized: Synthesized, function: str) -> dict[str, Any]:
    return dict(synthesized.props(f"{function}Function")["Environment"]["Variables"])


# Usage plans and the API ------------------------------------------------------------------------------------


def test_one_usage_plan_per_tier_with_the_tiers_file_limits(synthesized: Synthesized) -> None:
    tiers = load_tiers().tiers
    plans = {p["Properties"]["UsagePlanName"]: p["Properties"]
             for p in synthesized.of_type("AWS::ApiGateway::UsagePlan").values()}
    assert set(plans) == {f"CnpjRadar-{name}" for name in tiers}
    for name, tier in tiers.items():
        plan = plans[f"CnpjRadar-{name}"]
        assert plan["Throttle"] == {"RateLimit": tier.rate, "BurstLimit": tier.burst}
        assert plan["Quota"] == {"Limit": tier.quota, "Period": tier.quota_period}
        [stage] = plan["ApiStages"]
        assert (stage["ApiId"], stage["Stage"]) == ({"Ref": "RestApi"}, {"Ref": "ApiStage"})


def test_auth_function_gets_every_usage_plan_id_as_json(synthesized: Synthesized) -> None:
    rendered = render(env(synthesized, "Auth")["USAGE_PLAN_IDS"])
    expected = {name: f"<UsagePlan{name.capitalize()}>" for name in load_tiers().tiers}
    assert json.loads(rendered) == expected


def test_api_takes_the_usage_key_from_the_authorizer(synthesized: Synthesized) -> None:
    api = synthesized.props("RestApi")
    assert api["ApiKeySourceType"] == "AUTHORIZER"
    assert api["EndpointConfiguration"] == {"Types": ["REGIONAL"]}


def test_stage_throttles_traces_and_logs_without_bodies(synthesized: Synthesized) -> None:
    stage = synthesized.props("ApiStage")
    assert stage["StageName"] == "v1"
    assert stage["TracingEnabled"] is True
    # The log group's ARN without `:*` (feature flag @aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
    assert render(stage["AccessLogSetting"]["DestinationArn"]).endswith(":log-group:<ApiAccessLogGroup>")
    access_format = json.loads(stage["AccessLogSetting"]["Format"])
    assert access_format["requestId"] == "$context.requestId"
    assert not any("body" in value.lower() or "header" in value.lower() for value in access_format.values())
    settings = {s["ResourcePath"]: s for s in stage["MethodSettings"]}
    every_method = settings["/*"]
    assert every_method["ThrottlingRateLimit"] > max(t.rate for t in load_tiers().tiers.values())
    assert every_method["ThrottlingBurstLimit"] > max(t.burst for t in load_tiers().tiers.values())
    assert every_method["DataTraceEnabled"] is False
    assert every_method["LoggingLevel"] == "ERROR"
    assert settings["/~1auth~1login"]["ThrottlingRateLimit"] < every_method["ThrottlingRateLimit"]


def test_request_authorizer_has_no_gateway_cache_and_keeps_its_own(synthesized: Synthesized) -> None:
    authorizer = synthesized.props("ApiAuthorizer")
    assert authorizer["Type"] == "REQUEST"
    assert authorizer["AuthorizerResultTtlInSeconds"] == 0
    assert "IdentitySource" not in authorizer  # either x-api-key or Authorization may be absent
    assert render(authorizer["AuthorizerUri"]).endswith("/functions/<AuthorizerFunctionLiveAlias>/invocations")
    assert env(synthesized, "Authorizer")["AUTH_CACHE_TTL_SECONDS"] == "60"


# Gateway responses ------------------------------------------------------------------------------------------

REQUIRED_RESPONSES = {
    "UNAUTHORIZED": "401", "ACCESS_DENIED": "403", "INVALID_API_KEY": "403", "THROTTLED": "429",
    "QUOTA_EXCEEDED": "429", "MISSING_AUTHENTICATION_TOKEN": "404", "AUTHORIZER_FAILURE": "500",
    "DEFAULT_4XX": None, "DEFAULT_5XX": None,
}


def gateway_responses(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {r["Properties"]["ResponseType"]: r["Properties"]
            for r in synthesized.of_type("AWS::ApiGateway::GatewayResponse").values()}


# What the authorizer puts in a pro tenant's context (radar.authorizer), as API Gateway would substitute it.
PRO_CONTEXT = Identity("t1", "p1", "user", "admin", "pro", "usage-key").context()


def fill_context(template_text: str) -> str:
    # What API Gateway does with $context variables; messageString arrives already quoted.
    return (template_text.replace("$context.error.messageString", '"Missing Authentication Token"')
            .replace("$context.authorizer.plan", "pro").replace("$context.requestId", "req-1")
            .replace("$context.authorizer.upgrade_plan", PRO_CONTEXT["upgrade_plan"])
            .replace("$context.authorizer.upgrade_offer", PRO_CONTEXT["upgrade_offer"])
            .replace("$context.error.responseType", "THROTTLED"))


def test_gateway_responses_cover_every_required_type_with_its_status(synthesized: Synthesized) -> None:
    responses = gateway_responses(synthesized)
    for response_type, status in REQUIRED_RESPONSES.items():
        assert response_type in responses, response_type
        assert responses[response_type].get("StatusCode") == status, response_type


@pytest.mark.parametrize("response_type", sorted(REQUIRED_RESPONSES))
def test_gateway_response_bodies_use_the_api_error_format(synthesized: Synthesized, response_type: str) -> None:
    body = json.loads(fill_context(gateway_responses(synthesized)[response_type]["ResponseTemplates"]
                                   ["application/json"]))
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"].islower() and body["error"]["message"]
    assert body["error"]["details"]["request_id"] == "req-1"


def test_gateway_responses_carry_the_functions_security_headers(synthesized: Synthesized) -> None:
    for response_type, props in gateway_responses(synthesized).items():
        headers = props["ResponseParameters"]
        for name, value in SECURITY_HEADERS.items():
            assert headers[f"gatewayresponse.header.{name}"] == f"'{value}'", (response_type, name)
        # No CORS origin is configured by default, so none is advertised.
        assert "gatewayresponse.header.Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize("response_type", ["THROTTLED", "QUOTA_EXCEEDED"])
def test_429_names_the_plan_and_how_to_upgrade(synthesized: Synthesized, response_type: str) -> None:
    text = gateway_responses(synthesized)[response_type]["ResponseTemplates"]["application/json"]
    body = json.loads(fill_context(text))
    tiers = load_tiers()
    business = tiers.get("business")
    assert business.price is not None
    message, details = body["error"]["message"], body["error"]["details"]
    # The next plan up, what it gives, its price and the checkout route, in the message and in the details.
    assert "pro plan" in message and "Business" in message and business.price.display() in message
    assert f"{business.monthly_checks} checks" in message and "POST /billing/checkout" in message
    assert details["plan"] == "pro" and details["upgrade_plan"] == "business"
    assert details["checkout"] == "POST /billing/checkout" and details["plans_url"] == "GET /billing/plans"
    assert details["plans"]["business"]["price"] == business.price.display()
    assert details["upgrade_url"] == tiers.upgrade_url


# Queue ------------------------------------------------------------------------------------------------------


def test_worker_consumes_the_queue_reporting_partial_batch_failures(synthesized: Synthesized) -> None:
    mapping = synthesized.props("ChecksQueueEventSource")
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BatchSize"] == 10
    assert 0 < mapping["MaximumBatchingWindowInSeconds"] <= 5
    assert render(mapping["EventSourceArn"]) == "<ChecksQueue.Arn>"
    # The worker's live alias (by its name and qualifier: `<function>:live`).
    assert "<WorkerFunctionLiveAlias>" in json.dumps(render(mapping["FunctionName"]))
    assert render(mapping["FunctionName"]).endswith(":live")
    # Providers allow a few calls a minute: the worker never fans out beyond a handful of batches.
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 5}
    # Batch items have their own lane with fewer pollers, so single checks always find a worker.
    lane = synthesized.props("BatchQueueEventSource")
    assert render(lane["EventSourceArn"]) == "<BatchQueue.Arn>"
    assert lane["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert lane["ScalingConfig"] == {"MaximumConcurrency": 3}
    assert synthesized.props("BatchQueue")["RedrivePolicy"]["maxReceiveCount"] == 5
    assert render(env(synthesized, "Checks")["BATCH_QUEUE_URL"]) == "<BatchQueue>"


def test_the_billing_sweep_runs_hourly_on_the_purge_functions_live_alias(synthesized: Synthesized) -> None:
    from radar.billing import SWEEP_EVENT

    rule = synthesized.props("BillingSweepSchedule")
    assert rule["ScheduleExpression"] == "rate(1 hour)" and rule.get("State", "ENABLED") == "ENABLED"
    (target,) = rule["Targets"]
    assert render(target["Arn"]) == "<PurgeFunctionLiveAlias>"  # the alias every caller invokes, never $LATEST
    assert json.loads(target["Input"]) == SWEEP_EVENT  # the purge handler's scheduled entry dispatches on it
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 2
    # EventBridge may invoke that alias, and only from this rule.
    permissions = [r["Properties"] for r in synthesized.template["Resources"].values()
                   if r["Type"] == "AWS::Lambda::Permission"
                   and r["Properties"].get("Principal") == "events.amazonaws.com"]
    assert [(render(p["FunctionName"]), render(p["SourceArn"])) for p in permissions] == [
        ("<PurgeFunctionLiveAlias>", "<BillingSweepSchedule.Arn>")]


def test_queue_redrives_to_the_dlq_with_visibility_six_times_the_worker_timeout(synthesized: Synthesized) -> None:
    queue = synthesized.props("ChecksQueue")
    worker_timeout = synthesized.props("WorkerFunction")["Timeout"]
    assert worker_timeout == 60
    assert queue["VisibilityTimeout"] >= 6 * worker_timeout
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert render(queue["RedrivePolicy"]["deadLetterTargetArn"]) == "<ChecksDlq.Arn>"
    assert env(synthesized, "Worker")["MAX_RECEIVE_COUNT"] == "5"


@pytest.mark.parametrize("queue", ["ChecksQueue", "ChecksDlq"])
def test_queues_are_encrypted_and_tls_only(synthesized: Synthesized, queue: str) -> None:
    assert synthesized.props(queue)["SqsManagedSseEnabled"] is True
    policies = [p["Properties"] for p in synthesized.of_type("AWS::SQS::QueuePolicy").values()
                if {"Ref": queue} in p["Properties"]["Queues"]]
    statements = [s for p in policies for s in p["PolicyDocument"]["Statement"]]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for s in statements)


# Tables -----------------------------------------------------------------------------------------------------


def test_tables_are_on_demand_with_pitr(synthesized: Synthesized) -> None:
    tables = synthesized.of_type("AWS::DynamoDB::Table")
    assert set(tables) == {"MainTable", "CacheTable", "IdempotencyTable"}
    for props in (t["Properties"] for t in tables.values()):
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_main_table_keys_gsis_and_ttl(synthesized: Synthesized) -> None:
    main = synthesized.props("MainTable")
    assert main["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                 {"AttributeName": "sk", "KeyType": "RANGE"}]
    indexes = {i["IndexName"]: i for i in main["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"gsi1", "gsi2"}
    for name, index in indexes.items():
        assert index["KeySchema"] == [{"AttributeName": f"{name}pk", "KeyType": "HASH"},
                                      {"AttributeName": f"{name}sk", "KeyType": "RANGE"}]
    assert all(a["AttributeType"] == "S" for a in main["AttributeDefinitions"])
    assert main["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_cache_table_has_ttl(synthesized: Synthesized) -> None:
    cache = synthesized.props("CacheTable")
    assert cache["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert cache["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_idempotency_table_uses_powertools_defaults(synthesized: Synthesized) -> None:
    table = synthesized.props("IdempotencyTable")
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


# Functions --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", FUNCTIONS)
def test_function_runtime_handler_tracing_layers_and_logs(synthesized: Synthesized, function: str) -> None:
    props = synthesized.props(f"{function}Function")
    family, version = props["Runtime"][:6], props["Runtime"][6:]
    assert family == "python" and tuple(int(p) for p in version.split(".")) >= (3, 12)
    assert props["Handler"] == "app.lambda_handler"
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["Layers"] == [{"Ref": "DepsLayer"}, {"Ref": "RadarLayer"}]
    assert props["LoggingConfig"] == {"LogGroup": {"Ref": f"{function}FunctionLogGroup"}}
    assert synthesized.props(f"{function}FunctionLogGroup")["RetentionInDays"] == 30
    assert render(props["Role"]) == f"<{function}FunctionRole.Arn>"
    assert props["FunctionName"] == f"CnpjRadar-{function.lower()}"


def test_every_log_group_has_a_retention(synthesized: Synthesized) -> None:
    groups = synthesized.of_type("AWS::Logs::LogGroup")
    assert len(groups) == len(FUNCTIONS) + 2  # plus the API access logs and the WAF logs
    assert all(g["Properties"].get("RetentionInDays") for g in groups.values())


def test_timeouts_fit_api_gateway_and_the_queue(synthesized: Synthesized) -> None:
    timeouts = {f: synthesized.props(f"{f}Function")["Timeout"] for f in FUNCTIONS}
    for api_function in ("Authorizer", "Auth", "Targets", "Checks"):
        assert 10 <= timeouts[api_function] <= 29, api_function
    assert timeouts["Checks"] == 28
    assert timeouts["Worker"] == 60


def test_each_function_has_its_own_role_without_managed_policies(synthesized: Synthesized) -> None:
    for function in FUNCTIONS:
        role = synthesized.props(f"{function}FunctionRole")
        assert "ManagedPolicyArns" not in role, function
        principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        assert principal == {"Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_environment_is_exactly_the_documented_one(synthesized: Synthesized, function: str) -> None:
    variables = env(synthesized, function)
    assert set(variables) == EXPECTED_ENV[function]
    assert variables["POWERTOOLS_SERVICE_NAME"] == f"cnpj-radar-{function.lower()}"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "CnpjRadar"


def test_environment_references_the_stack_resources(synthesized: Synthesized) -> None:
    checks = {k: render(v) for k, v in env(synthesized, "Checks").items()}
    assert checks["MAIN_TABLE"] == "<MainTable>"
    assert checks["CACHE_TABLE"] == "<CacheTable>"
    assert checks["IDEMPOTENCY_TABLE"] == "<IdempotencyTable>"
    assert checks["CHECKS_QUEUE_URL"] == "<ChecksQueue>"
    assert checks["CHECKS_DLQ_URL"] == "<ChecksDlq>"
    assert checks["PROVIDER_TOKENS_SECRET_ARN"] == "<ProviderTokensSecret>"
    assert checks["CURSOR_KEY_SECRET_ARN"] == "<CursorKeySecret>"
    assert checks["PROVIDER_ORDER"] == "cnpjws,brasilapi,receitaws,minhareceita,opencnpj,cnpja"
    assert checks["ALLOW_MOCK_FALLBACK"] == "false"
    assert checks["CORS_ALLOWED_ORIGINS"] == ""
    auth = {k: render(v) for k, v in env(synthesized, "Auth").items()}
    assert auth["SIGNING_KEY_SECRET_ARN"] == "<SigningKeySecret>"
    assert auth["PUBLIC_KEYS_SECRET_ARN"] == "<PublicKeysSecret>"
    assert auth["BILLING_SECRET_ARN"] == "<BillingSecret>"
    assert auth["BILLING_API_BASE_URL"] == ""  # Stripe's own API on AWS; the billing sandbox's URL locally


# Least privilege --------------------------------------------------------------------------------------------


def actions_on(statements: list[dict[str, Any]], resource_fragment: str) -> set[str]:
    return {a for s in statements for a in s["Action"] if any(resource_fragment in r for r in s["Resource"])}


def all_actions(statements: list[dict[str, Any]]) -> set[str]:
    return {a for s in statements for a in s["Action"]}


def test_no_function_has_wildcard_actions_or_denies_mixed_in(synthesized: Synthesized) -> None:
    for function in FUNCTIONS:
        statements = role_statements(synthesized, f"{function}FunctionRole")
        assert statements, function
        assert all(s["Effect"] == "Allow" for s in statements)
        assert not any(a == "*" or a.endswith(":*") for a in all_actions(statements)), function
        star = [s for s in statements if "*" in s["Resource"]]
        # Only X-Ray has no resource-level permissions.
        assert all(set(s["Action"]) <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"} for s in star)


def test_authorizer_reads_the_main_table_and_public_keys_and_only_updates_key_usage(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, "AuthorizerFunctionRole")
    # UpdateItem records an API key's last use; nothing else is written.
    assert not any(a in all_actions(statements) for a in ("dynamodb:PutItem", "dynamodb:DeleteItem",
                                                           "dynamodb:BatchWriteItem"))
    assert "dynamodb:UpdateItem" in actions_on(statements, "<MainTable.Arn>")
    assert "dynamodb:Query" in actions_on(statements, "<MainTable.Arn>")
    assert actions_on(statements, "<PublicKeysSecret>") == {"secretsmanager:GetSecretValue",
                                                             "secretsmanager:DescribeSecret"}
    assert not actions_on(statements, "<SigningKeySecret>")


def test_auth_may_replace_exactly_the_two_key_secrets(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, "AuthFunctionRole")
    writers = [s for s in statements if "secretsmanager:PutSecretValue" in s["Action"]]
    assert len(writers) == 1
    assert writers[0]["Action"] == ["secretsmanager:PutSecretValue"]
    assert sorted(writers[0]["Resource"]) == ["<PublicKeysSecret>", "<SigningKeySecret>"]
    assert not actions_on(statements, "<ProviderTokensSecret>")
    # Stripe's keys: read, never written by the function (an operator sets them).
    assert actions_on(statements, "<BillingSecret>") == {"secretsmanager:GetSecretValue",
                                                          "secretsmanager:DescribeSecret"}


def test_auth_manages_api_keys_and_only_our_usage_plans(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, "AuthFunctionRole")
    apigw = [r for s in statements if any(a.startswith("apigateway:") for a in s["Action"]) for r in s["Resource"]]
    assert any(r.endswith("::/apikeys") for r in apigw)
    plan_resources = [r for r in apigw if "/usageplans/" in r]
    assert plan_resources
    assert all(any(f"/usageplans/<UsagePlan{p.capitalize()}>" in r for p in load_tiers().tiers)
               for r in plan_resources)


def test_targets_has_no_access_to_checks_resources(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, "TargetsFunctionRole")
    rendered = json.dumps(statements)
    for other in ("CacheTable", "IdempotencyTable", "ChecksQueue", "ProviderTokensSecret", "SigningKeySecret"):
        assert other not in rendered, other


def test_checks_sends_to_the_queue_and_reads_dlq_depth_only(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, "ChecksFunctionRole")
    assert "sqs:SendMessage" in actions_on(statements, "<ChecksQueue.Arn>")
    assert actions_on(statements, "<ChecksDlq.Arn>") == {"sqs:GetQueueAttributes"}
    for table in ("MainTable", "CacheTable", "IdempotencyTable"):
        assert "dynamodb:PutItem" in actions_on(statements, f"<{table}.Arn>"), table
    assert "secretsmanager:GetSecretValue" in actions_on(statements, "<ProviderTokensSecret>")
    assert "secretsmanager:GetSecretValue" in actions_on(statements, "<CursorKeySecret>")


def test_worker_consumes_both_lanes_resends_waiting_checks_and_skips_idempotency(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, "WorkerFunctionRole")
    for queue in ("ChecksQueue", "BatchQueue"):
        queue_actions = actions_on(statements, f"<{queue}.Arn>")
        assert {"sqs:ReceiveMessage", "sqs:DeleteMessage"} <= queue_actions
        # A check waiting for provider capacity comes back as a fresh delayed message (no receive spent).
        assert "sqs:SendMessage" in queue_actions
    assert not actions_on(statements, "<IdempotencyTable.Arn>")
    assert not actions_on(statements, "<CursorKeySecret>")
    assert "dynamodb:UpdateItem" in actions_on(statements, "<CacheTable.Arn>")


# Secrets, tags, outputs -------------------------------------------------------------------------------------


def test_secrets_are_generated_never_literal(synthesized: Synthesized) -> None:
    secrets = synthesized.of_type("AWS::SecretsManager::Secret")
    assert set(secrets) == {"SigningKeySecret", "PublicKeysSecret", "ProviderTokensSecret", "CursorKeySecret",
                            "BillingSecret"}
    for props in (s["Properties"] for s in secrets.values()):
        assert "SecretString" not in props
        assert "GenerateSecretString" in props
    providers = synthesized.props("ProviderTokensSecret")["GenerateSecretString"]
    assert json.loads(providers["SecretStringTemplate"]) == {"cnpjws": "", "receitaws": ""}
    billing = synthesized.props("BillingSecret")["GenerateSecretString"]
    assert json.loads(billing["SecretStringTemplate"]) == {"secret_key": "", "webhook_secret": ""}


def test_resources_are_tagged(synthesized: Synthesized) -> None:
    tags = {t["Key"]: t["Value"] for t in synthesized.props("MainTable")["Tags"]}
    assert tags["project"] == "cnpj-radar"
    assert tags["managed-by"] == "cdk"


def test_stable_outputs(synthesized: Synthesized) -> None:
    outputs = synthesized.template["Outputs"]
    for output_id in ("ApiUrl", "RestApiId", "MainTableName", "CacheTableName", "IdempotencyTableName",
                      "ChecksQueueUrl", "ChecksDlqUrl", "AlarmTopicArn", "OpsDashboardName", "BusinessDashboardName",
                      "UsagePlanIds"):
        assert output_id in outputs, output_id
    assert render(outputs["ApiUrl"]["Value"]).startswith("https://<RestApi>.execute-api.")
    assert render(outputs["ApiUrl"]["Value"]).endswith("/<ApiStage>/")


def test_assets_carry_metadata_for_sam_and_the_local_cloud(synthesized: Synthesized) -> None:
    for logical_id in [f"{f}Function" for f in FUNCTIONS] + ["RadarLayer", "DepsLayer"]:
        asset_path = synthesized.resources[logical_id]["Metadata"]["aws:asset:path"]
        assert (synthesized.outdir / asset_path).is_dir(), logical_id
    radar_layer = synthesized.outdir / synthesized.resources["RadarLayer"]["Metadata"]["aws:asset:path"]
    assert (radar_layer / "python" / "radar" / "tiers.json").is_file()

"""Per stage: settings as data, live aliases and CodeDeploy groups with their alarms and hook, the WAF, backups,
removal policies, and the account stack's GitHub deploy role."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra_cdk.settings import Settings
from infra_cdk.stages import STAGES, load_stage, requested_stage
from infra_cdk.waf import REDACTED_HEADERS
from radar.tiers import load_tiers
from tests.infra.helpers import Synthesized, assert_waf_rules, render

FUNCTIONS = ("Authorizer", "Auth", "Targets", "Checks", "Worker", "Purge")
CONFIGS = {"dev": None, "staging": "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
           "prod": "CodeDeployDefault.LambdaCanary10Percent5Minutes"}


def alarm_names(synth: Synthesized) -> dict[str, str]:
    """Alarm logical id -> alarm name."""
    return {lid: r["Properties"]["AlarmName"] for lid, r in synth.of_type("AWS::CloudWatch::Alarm").items()}


def test_stage_files_have_every_key_and_distinct_stack_names() -> None:
    keys = set(load_stage("dev"))
    assert keys == set(load_stage("staging")) == set(load_stage("prod"))
    assert len({load_stage(s)["stackName"] for s in STAGES}) == len(STAGES)
    assert load_stage("dev")["stackName"] == "CnpjRadar"  # the local cloud's names, runbooks and samconfig


def test_unknown_stage_is_an_error_naming_the_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_STAGE", "qa")
    with pytest.raises(ValueError, match="dev, staging, prod"):
        requested_stage()
    monkeypatch.delenv("RADAR_STAGE")
    assert requested_stage() == "dev"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_synthesizes_its_own_stack_and_names(stages: dict[str, Synthesized], stage: str) -> None:
    synth = stages[stage]
    name = load_stage(stage)["stackName"]
    assert synth.stack.stack_name == name
    assert synth.props("AuthFunction")["FunctionName"] == f"{name}-auth"
    assert all(alarm.startswith(f"{name}-") for alarm in alarm_names(synth).values())
    settings = Settings.for_stage(stage)
    assert synth.props("AuthFunctionLogGroup")["RetentionInDays"] == settings.log_retention_days
    checks_env = synth.props("ChecksFunction")["Environment"]["Variables"]
    for provider, limit in load_stage(stage)["providerLimits"].items():
        assert checks_env[f"RATE_LIMIT_{provider.upper()}_PER_MIN"] == str(limit)


@pytest.mark.parametrize("stage", STAGES)
def test_alarm_thresholds_come_from_the_stage_file(stages: dict[str, Synthesized], stage: str) -> None:
    limits = load_stage(stage)["alarms"]
    props = {lid: r["Properties"] for lid, r in stages[stage].of_type("AWS::CloudWatch::Alarm").items()}
    assert props["AlarmApi5xxRate"]["Threshold"] == limits["api5xxRate"]
    assert props["AlarmApiLatencyP99"]["Threshold"] == limits["apiLatencyP99Ms"]
    assert props["AlarmChecksErrors"]["Threshold"] == limits["functionErrors"]
    assert props["AlarmChecksDeployErrors"]["Threshold"] == limits["deployErrors"]
    timeout_ms = stages[stage].props("ChecksFunction")["Timeout"] * 1000
    assert props["AlarmChecksDeployLatencyP99"]["Threshold"] == round(
        timeout_ms * limits["deployLatencyFractionOfTimeout"])


# Aliases and deployments ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_is_a_retained_version_behind_a_live_alias(
    stages: dict[str, Synthesized], stage: str, function: str
) -> None:
    synth = stages[stage]
    alias = synth.props(f"{function}FunctionLiveAlias")
    assert alias["Name"] == "live"
    assert alias["FunctionName"] == {"Ref": f"{function}Function"}
    version_id = alias["FunctionVersion"]["Fn::GetAtt"][0]
    version = synth.resources[version_id]
    assert version["Type"] == "AWS::Lambda::Version"
    assert version["Properties"]["FunctionName"] == {"Ref": f"{function}Function"}
    # A rollback moves the alias back to an older version, so CloudFormation must never delete one.
    assert version["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("stage", STAGES)
def test_callers_invoke_the_live_alias_only(stages: dict[str, Synthesized], stage: str) -> None:
    synth = stages[stage]
    for method in synth.of_type("AWS::ApiGateway::Method").values():
        uri = method["Properties"]["Integration"].get("Uri")
        if uri:
            assert render(uri).endswith(":live/invocations"), render(uri)
    assert render(synth.props("ApiAuthorizer")["AuthorizerUri"]).endswith("<AuthorizerFunctionLiveAlias>/invocations")
    mapping = synth.props("ChecksQueueEventSource")
    assert "<WorkerFunctionLiveAlias>" in json.dumps(render(mapping["FunctionName"]))
    for permission in synth.of_type("AWS::Lambda::Permission").values():
        assert render(permission["Properties"]["FunctionName"]).endswith("LiveAlias>")


@pytest.mark.parametrize("stage", STAGES)
def test_deployment_groups_shift_traffic_as_the_stage_says(stages: dict[str, Synthesized], stage: str) -> None:
    synth = stages[stage]
    groups = synth.of_type("AWS::CodeDeploy::DeploymentGroup")
    if CONFIGS[stage] is None:
        assert groups == {}
        assert not synth.of_type("AWS::CodeDeploy::Application")
        assert all("UpdatePolicy" not in synth.resources[f"{f}FunctionLiveAlias"] for f in FUNCTIONS)
        return
    assert set(groups) == {f"{f}DeploymentGroup" for f in FUNCTIONS}
    names = alarm_names(synth)
    for function in FUNCTIONS:
        group = groups[f"{function}DeploymentGroup"]["Properties"]
        assert group["DeploymentConfigName"] == CONFIGS[stage]
        assert group["DeploymentStyle"] == {"DeploymentOption": "WITH_TRAFFIC_CONTROL", "DeploymentType": "BLUE_GREEN"}
        assert group["AutoRollbackConfiguration"]["Enabled"] is True
        assert {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"} <= set(group["AutoRollbackConfiguration"]["Events"])
        alarms = {names[a["Name"]["Ref"]].removeprefix(f"{synth.stack.stack_name}-")
                  for a in group["AlarmConfiguration"]["Alarms"]}
        expected = {f"{function}-DeployErrors", f"{function}-DeployLatencyP99"}
        assert alarms == (expected if function in {"Worker", "Purge"} else expected | {"Api-Deploy5xxRate"})
        assert group["AlarmConfiguration"]["Enabled"] is True
        update = synth.resources[f"{function}FunctionLiveAlias"]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
        assert update["DeploymentGroupName"] == {"Ref": f"{function}DeploymentGroup"}
        assert update["BeforeAllowTrafficHook"] == {"Ref": "PreTrafficHook"}


@pytest.mark.parametrize("stage", ["staging", "prod"])
def test_deploy_alarms_watch_the_live_alias_in_one_minute_periods(stages: dict[str, Synthesized], stage: str) -> None:
    synth = stages[stage]
    for function in FUNCTIONS:
        for kind, metric in (("DeployErrors", "Errors"), ("DeployLatencyP99", "Duration")):
            alarm = synth.props(f"Alarm{function}{kind}")
            assert alarm["MetricName"] == metric and alarm["Period"] == 60
            dims = {d["Name"]: render(d["Value"]) for d in alarm["Dimensions"]}
            name = synth.props(f"{function}Function")["FunctionName"]
            assert dims == {"FunctionName": name, "Resource": f"{name}:live"}
    api = synth.props("AlarmApiDeploy5xxRate")
    assert (api["MetricName"], api["Period"], api["Statistic"]) == ("5XXError", 60, "Average")


@pytest.mark.parametrize("stage", ["staging", "prod"])
def test_pre_traffic_hook_reads_its_deployment_and_invokes_only_function_versions(
    stages: dict[str, Synthesized], stage: str
) -> None:
    from tests.infra.helpers import role_statements

    synth = stages[stage]
    hook = synth.props("PreTrafficHook")
    assert hook["Handler"] == "app.lambda_handler" and "Layers" not in hook
    assert hook["Environment"]["Variables"]["STACK_NAME"] == synth.stack.stack_name
    asset = synth.outdir / synth.resources["PreTrafficHook"]["Metadata"]["aws:asset:path"]
    assert (asset / "app.py").is_file()
    statements = role_statements(synth, "PreTrafficHookRole")
    actions = {a for s in statements for a in s["Action"]}
    assert {"codedeploy:GetDeployment", "codedeploy:PutLifecycleEventHookExecutionStatus",
            "lambda:InvokeFunction"} <= actions
    invoke = [r for s in statements if "lambda:InvokeFunction" in s["Action"] for r in s["Resource"]]
    stack_name = synth.stack.stack_name
    assert sorted(invoke) == sorted(f"arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:"
                                    f"{stack_name}-{f.lower()}:*" for f in FUNCTIONS)


# WAF ---------------------------------------------------------------------------------------------------------


def rules(synth: Synthesized) -> dict[str, dict[str, Any]]:
    return {r["Name"]: r for r in synth.props("ApiWafWebAcl")["Rules"]}


@pytest.mark.parametrize("stage", STAGES)
def test_waf_protects_the_api_stage_with_managed_rules_and_rate_limits(
    stages: dict[str, Synthesized], stage: str
) -> None:
    synth = stages[stage]
    acl = synth.props("ApiWafWebAcl")
    assert acl["Scope"] == "REGIONAL"
    association = synth.props("ApiWafAssociation")
    assert render(association["WebACLArn"]) == "<ApiWafWebAcl.Arn>"
    assert render(association["ResourceArn"]).endswith("/restapis/<RestApi>/stages/<ApiStage>")
    by_name = assert_waf_rules(acl, load_stage(stage)["waf"], "API_GATEWAY")
    assert by_name == rules(synth)
    # Above the largest plan's own allowance, so the edge stops only floods beyond any plan.
    rate = by_name["RatePerIp"]["Statement"]["RateBasedStatement"]
    assert rate["Limit"] > max(t.rate for t in load_tiers().tiers.values()) * 300


@pytest.mark.parametrize("stage", STAGES)
def test_waf_logs_to_an_aws_waf_logs_group_with_retention_and_no_credentials(
    stages: dict[str, Synthesized], stage: str
) -> None:
    synth = stages[stage]
    group = synth.props("ApiWafLogGroup")
    assert group["LogGroupName"].startswith("aws-waf-logs-")
    assert group["RetentionInDays"] == Settings.for_stage(stage).waf_log_retention_days
    logging = synth.props("ApiWafLogging")
    assert render(logging["ResourceArn"]) == "<ApiWafWebAcl.Arn>"
    [destination] = logging["LogDestinationConfigs"]
    assert render(destination).endswith(f":log-group:{group['LogGroupName']}")  # no `:*` suffix
    assert {f["SingleHeader"]["Name"] for f in logging["RedactedFields"]} == set(REDACTED_HEADERS)


def test_waf_acl_for_cloudfront_must_live_in_us_east_1() -> None:
    import aws_cdk as cdk

    from infra_cdk.waf import WebAcl

    app = cdk.App()
    kwargs: dict[str, Any] = {"name": "console", "acl_scope": "CLOUDFRONT", "rate_per_ip": 1000,
                              "auth_rate_per_ip": 100, "log_retention_days": 30}
    with pytest.raises(ValueError, match="us-east-1"):
        WebAcl(cdk.Stack(app, "Elsewhere", env=cdk.Environment(region="sa-east-1")), "Waf", **kwargs)
    with pytest.raises(ValueError, match="us-east-1"):
        WebAcl(cdk.Stack(app, "Agnostic"), "Waf", **kwargs)
    edge = WebAcl(cdk.Stack(app, "Edge", env=cdk.Environment(region="us-east-1")), "Waf", **kwargs)
    assert edge.acl.scope == "CLOUDFRONT"
    # CloudFront hands WAF 16 KB of a body by default: the body rule's 32 KB needs the larger inspection limit.
    assert edge.acl.association_config.request_body["CLOUDFRONT"].default_size_inspection_limit == "KB_32"


# Backups and removal policies -------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_backup_plan_covers_main_and_cache_tables_in_a_vault_with_its_own_key(
    stages: dict[str, Synthesized], stage: str
) -> None:
    synth = stages[stage]
    vault = synth.props("BackupVault")
    assert vault["EncryptionKeyArn"] == {"Fn::GetAtt": ["BackupVaultKey", "Arn"]}
    key = synth.resources["BackupVaultKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    sids = {s["Sid"]: s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    assert set(sids) == {"AccountAdministersTheKey", "UseOnlyThroughAwsBackup", "GrantsOnlyForAwsResources"}
    via = render(sids["UseOnlyThroughAwsBackup"]["Condition"]["StringEquals"]["kms:ViaService"])
    assert via == "backup.<AWS::Region>.amazonaws.com"
    plan = synth.props("BackupPlan")["BackupPlan"]
    by_rule = {r["RuleName"]: r for r in plan["BackupPlanRule"]}
    assert by_rule["Daily"]["Lifecycle"]["DeleteAfterDays"] == 35
    assert by_rule["Daily"]["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert all(render(r["TargetBackupVault"]) == "<BackupVault.BackupVaultName>" for r in by_rule.values())
    if stage == "prod":
        assert by_rule["Monthly"]["Lifecycle"]["DeleteAfterDays"] == 365
        assert by_rule["Monthly"]["ScheduleExpression"] == "cron(0 4 1 * ? *)"
    else:
        assert set(by_rule) == {"Daily"}
    selection = synth.props("BackupSelection")["BackupSelection"]
    assert sorted(render(r) for r in selection["Resources"]) == ["<CacheTable.Arn>", "<MainTable.Arn>"]
    # PITR stays on beside the plan.
    for table in ("MainTable", "CacheTable", "IdempotencyTable"):
        assert synth.props(table)["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


@pytest.mark.parametrize("stage", STAGES)
def test_prod_retains_tables_and_secrets_and_other_stages_do_not(stages: dict[str, Synthesized], stage: str) -> None:
    synth = stages[stage]
    retained = stage == "prod"
    expected = "Retain" if retained else "Delete"
    for logical_id, resource in {**synth.of_type("AWS::DynamoDB::Table"),
                                 **synth.of_type("AWS::SecretsManager::Secret")}.items():
        assert resource.get("DeletionPolicy") == expected, logical_id
        assert resource.get("UpdateReplacePolicy") == expected, logical_id
    for table in synth.of_type("AWS::DynamoDB::Table").values():
        assert table["Properties"].get("DeletionProtectionEnabled", False) is retained
    vault_policy = synth.props("BackupVault").get("AccessPolicy")
    if retained:
        [deny] = vault_policy["Statement"]
        assert deny["Effect"] == "Deny" and "backup:DeleteRecoveryPoint" in deny["Action"]
    else:
        assert vault_policy is None


# The account stack ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["staging", "prod"])
def test_github_deploy_role_trusts_only_this_repository_in_the_stages_environment(
    stages: dict[str, Synthesized], stage: str
) -> None:
    template = stages[stage].account_template
    assert template is not None
    resources = template["Resources"]
    provider = resources["GitHubOidcProvider"]["Properties"]
    assert provider["Url"] == "https://token.actions.githubusercontent.com"
    assert provider["ClientIdList"] == ["sts.amazonaws.com"]
    role = resources["GitHubDeployRole"]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Principal"] == {"Federated": {"Fn::GetAtt": ["GitHubOidcProvider", "Arn"]}}
    environment = load_stage(stage)["githubEnvironment"]
    # StringEquals (no wildcards): one repository, one environment, GitHub's audience for AWS.
    assert trust["Condition"] == {"StringEquals": {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": f"repo:cnpj-radar/cnpj-radar:environment:{environment}",
    }}
    assert role["MaxSessionDuration"] == 3600
    policies = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::IAM::Policy"
                and {"Ref": "GitHubDeployRole"} in r["Properties"]["Roles"]]
    statements = {s["Sid"]: s for p in policies for s in p["PolicyDocument"]["Statement"]}
    assert set(statements) == {"AssumeCdkBootstrapRoles", "RunDataMigrations", "ReadStackOutputs"}
    assert sorted(statements["AssumeCdkBootstrapRoles"]["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    assert ":role/cdk-hnb659fds-*-" in render(statements["AssumeCdkBootstrapRoles"]["Resource"])
    stack = load_stage(stage)["stackName"]
    # The migrations touch this stage's tables only, and never delete an item or a table.
    assert render(statements["RunDataMigrations"]["Resource"]).endswith(f":table/{stack}-*")
    assert not any("Delete" in a for a in statements["RunDataMigrations"]["Action"])
    assert render(statements["ReadStackOutputs"]["Resource"]).endswith(f":stack/{stack}/*")


def test_dev_has_no_deploy_role_and_every_stage_has_the_api_gateway_logging_role(
    stages: dict[str, Synthesized]
) -> None:
    for stage, synth in stages.items():
        resources = (synth.account_template or {})["Resources"]
        assert ("GitHubDeployRole" in resources) is (stage != "dev")
        account = resources["ApiGatewayAccount"]["Properties"]
        assert account["CloudWatchRoleArn"] == {"Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]}
        # The main stack no longer owns the account-wide setting.
        assert not synth.of_type("AWS::ApiGateway::Account")


def test_an_existing_oidc_provider_is_reused() -> None:
    import aws_cdk as cdk

    from infra_cdk.account import AccountStack

    arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
    app = cdk.App(context={"radar:githubOidcProviderArn": arn})
    stack = AccountStack(app, "Shared", settings=Settings.for_stage("prod"))
    template = app.synth().get_stack_by_name("Shared").template
    assert "GitHubOidcProvider" not in template["Resources"]
    trust = template["Resources"]["GitHubDeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Federated": arn}
    assert stack.deploy_role is not None


@pytest.mark.parametrize("stage", STAGES)
def test_nag_passes_on_every_stage_account_and_edge_stack(stages: dict[str, Synthesized], stage: str) -> None:
    from cdk_nag import AwsSolutionsChecks

    for stack in (stages[stage].stack, stages[stage].account_stack, stages[stage].edge_stack):
        report = AwsSolutionsChecks().validate_scope(stack)
        assert report.success, [f"{v.rule_name} {[str(r.construct_path) for r in v.violating_resources]}"
                                for v in report.violations]

"""Zero-downtime deploys: a CodeDeploy deployment group per function's `live` alias, rolled back by alarms.

Every function is published as a version behind its `live` alias (infra_cdk/functions.py), which every caller
invokes. Where the stage names a `deploymentConfig` (canary in prod, linear in staging), CodeDeploy shifts the
alias's traffic to the new version step by step; before any traffic moves, the pre-traffic hook smoke-checks the
new version (infra_cdk/hooks/pre_traffic), and the function's deployment alarms (infra_cdk/monitoring.py) roll the
alias back if they fire during the shift. Without a `deploymentConfig` (dev) CloudFormation moves the alias at once.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra_cdk.bundling import compiled_code
from infra_cdk.functions import ARCHITECTURE, REPO_ROOT, RUNTIME, Functions, log_retention
from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id
from infra_cdk.settings import Settings

__all__ = ["DEPLOYMENT_CONFIGS", "Deployments"]

DEPLOYMENT_CONFIGS: dict[str, codedeploy.ILambdaDeploymentConfig] = {
    "CANARY_10PERCENT_5MINUTES": codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES,
    "CANARY_10PERCENT_10MINUTES": codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_10_MINUTES,
    "LINEAR_10PERCENT_EVERY_1MINUTE": codedeploy.LambdaDeploymentConfig.LINEAR_10_PERCENT_EVERY_1_MINUTE,
    "LINEAR_10PERCENT_EVERY_2MINUTES": codedeploy.LambdaDeploymentConfig.LINEAR_10_PERCENT_EVERY_2_MINUTES,
    "ALL_AT_ONCE": codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
}


def _arn(service: str, resource: str) -> str:
    # Pseudo parameters, never literals: the ARN (and the cdk-nag acknowledgements that quote it) reads the same
    # whether the stack's environment is known (under the CDK CLI) or not (a local synth).
    return f"arn:{Aws.PARTITION}:{service}:{Aws.REGION}:{Aws.ACCOUNT_ID}:{resource}"


class Deployments(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Functions,
        deploy_alarms: dict[str, list[cloudwatch.IAlarm]],
        settings: Settings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.groups: dict[str, codedeploy.LambdaDeploymentGroup] = {}
        self.hook: lambda_.Function | None = None
        if settings.deployment_config is None:
            return
        if settings.deployment_config not in DEPLOYMENT_CONFIGS:
            raise ValueError(f"stage {settings.stage}: unknown deploymentConfig {settings.deployment_config!r}; "
                             f"choose one of {', '.join(DEPLOYMENT_CONFIGS)}")
        config = DEPLOYMENT_CONFIGS[settings.deployment_config]
        stack_name = Stack.of(self).stack_name
        self.application = codedeploy.LambdaApplication(self, "Application", application_name=stack_name)
        pin_logical_id(self.application, "DeploymentApplication")
        self.hook = self._pre_traffic_hook(stack_name, settings)
        for fn in functions.all:
            title = fn.spec.name.capitalize()
            group = codedeploy.LambdaDeploymentGroup(
                self,
                f"{title}DeploymentGroup",
                application=self.application,
                deployment_group_name=f"{stack_name}-{fn.spec.name}",
                alias=fn.alias,
                deployment_config=config,
                alarms=deploy_alarms[fn.spec.name],
                pre_hook=self.hook,
                auto_rollback=codedeploy.AutoRollbackConfig(
                    failed_deployment=True, stopped_deployment=True, deployment_in_alarm=True
                ),
            )
            pin_logical_id(group, f"{title}DeploymentGroup")
            acknowledge(group, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        "AWSCodeDeployRoleForLambdaLimited]",
                        "the AWS-managed CodeDeploy role policy for Lambda: alias updates and hook invocations only")
            acknowledge(group, "AwsSolutions-IAM5[Resource::<PreTrafficHook.Arn>:*]",
                        "CDK grants CodeDeploy invoke on the hook function and its versions; the hook is ours alone")
            self.groups[fn.spec.name] = group
        # The hook reads which version a deployment targets, then invokes exactly that version. The functions are
        # named, not referenced: the auth function's environment leads to the API stage, whose authorizer calls
        # the authorizer alias, whose update waits for this hook; a reference would close that cycle.
        self.hook.add_to_role_policy(iam.PolicyStatement(
            actions=["codedeploy:GetDeployment"],
            resources=[_arn("codedeploy", f"deploymentgroup:{stack_name}/*")],
        ))
        self.hook.add_to_role_policy(iam.PolicyStatement(
            actions=["lambda:InvokeFunction"],
            resources=[_arn("lambda", f"function:{fn.function_name}:*") for fn in functions.all],
        ))

    def _pre_traffic_hook(self, stack_name: str, settings: Settings) -> lambda_.Function:
        name = f"{stack_name}-pre-traffic-hook"
        log_group = logs.LogGroup(
            self, "HookLogGroup", log_group_name=f"/aws/lambda/{name}",
            retention=log_retention(settings.log_retention_days), removal_policy=RemovalPolicy.DESTROY,
        )
        pin_logical_id(log_group, "PreTrafficHookLogGroup")
        role = iam.Role(self, "HookRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"{stack_name} pre-traffic hook: read its deployment, invoke the new version")
        pin_logical_id(role, "PreTrafficHookRole")
        log_group.grant_write(role)
        hook = lambda_.Function(
            self, "PreTrafficHook",
            # Each deployment group's role is granted invoke on it (LambdaDeploymentGroup pre_hook).
            function_name=name,
            description=f"{stack_name}: smoke-checks a new version before CodeDeploy sends it traffic",
            runtime=RUNTIME, architecture=ARCHITECTURE,
            code=compiled_code(REPO_ROOT / "infra_cdk" / "hooks" / "pre_traffic"),
            handler="app.lambda_handler", timeout=Duration.seconds(60), memory_size=256,
            role=role, log_group=log_group, environment={"STACK_NAME": stack_name},
        )
        pin_logical_id(hook, "PreTrafficHook")
        acknowledge(hook, "AwsSolutions-L1", f"pinned to {RUNTIME.name}, the runtime of every function here")
        acknowledge(role, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codedeploy:<AWS::Region>:"
                    f"<AWS::AccountId>:deploymentgroup:{stack_name}/*]",
                    "the hook serves every deployment group of this application; its ids are only known at "
                    "deploy time")
        for fn_name in ("authorizer", "auth", "targets", "checks", "worker", "purge"):
            acknowledge(role, f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:"
                        f"<AWS::AccountId>:function:{stack_name}-{fn_name}:*]",
                        "the hook invokes whichever version of the function a deployment targets (a new number "
                        "every deploy)")
        return hook

"""The account stack (`<stack>-Account`), deployed once by an administrator before the first CI deploy:

- the GitHub Actions deploy role, trusted through GitHub's OIDC provider only by this repository's jobs that run in
  the stage's GitHub environment (`staging`, `production`: the environment's own rules pin the branch or tags and
  the required reviewers), allowed only to assume the CDK bootstrap roles (no long-lived keys anywhere);
- the account-wide API Gateway CloudWatch role (API Gateway has one per account and region), here rather than in
  the API stack so that two stages sharing an account do not overwrite, or on deletion remove, each other's.

GitHub's OIDC provider exists once per account: the stack creates it unless `-c radar:githubOidcProviderArn=<arn>`
names an existing one (a second stage in the same account).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws, CfnOutput, Duration, Stack, Tags
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id
from infra_cdk.settings import Settings

__all__ = ["GITHUB_AUDIENCE", "GITHUB_OIDC_URL", "AccountStack", "github_subject"]

GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com"
GITHUB_AUDIENCE = "sts.amazonaws.com"
_ISSUER = "token.actions.githubusercontent.com"
# The roles `cdk bootstrap` creates (default qualifier): deploy, file and image publishing, lookups.
CDK_BOOTSTRAP_QUALIFIER = "hnb659fds"


def github_subject(repository: str, environment: str) -> str:
    """The `sub` claim of a GitHub Actions job that runs in `environment` (GitHub's default claim format)."""
    return f"repo:{repository}:environment:{environment}"


class AccountStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id,
                         description=f"cnpj-radar {settings.stage}: account-level roles (CI deploy, API Gateway logs)",
                         **kwargs)
        self.settings = settings
        self.deploy_role: iam.Role | None = None
        self._api_gateway_logging_role()
        if settings.github_environment:
            self._github_deploy_role(settings.github_repository, settings.github_environment)
        Tags.of(self).add("project", "cnpj-radar")
        Tags.of(self).add("managed-by", "cdk")

    def _api_gateway_logging_role(self) -> None:
        role = iam.Role(
            self, "ApiGatewayCloudWatchRole", assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="API Gateway execution and access logs for every REST API of this account and region",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
        )
        pin_logical_id(role, "ApiGatewayCloudWatchRole")
        account = apigateway.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)
        account.override_logical_id("ApiGatewayAccount")
        acknowledge(role, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                    "AmazonAPIGatewayPushToCloudWatchLogs]",
                    "the account-level API Gateway logging role is the AWS-documented managed policy")

    def _github_deploy_role(self, repository: str, environment: str) -> None:
        existing = self.node.try_get_context("radar:githubOidcProviderArn")
        if existing:
            provider_arn = str(existing)
        else:
            provider = iam.CfnOIDCProvider(self, "GitHubOidcProvider", url=GITHUB_OIDC_URL,
                                           client_id_list=[GITHUB_AUDIENCE])
            provider.override_logical_id("GitHubOidcProvider")
            provider_arn = provider.attr_arn
        self.deploy_role = iam.Role(
            self, "GitHubDeployRole",
            role_name=f"{self.settings.stack_name}-github-deploy",
            description=f"GitHub Actions of {repository}, environment {environment}: cdk deploy only",
            max_session_duration=Duration.hours(1),
            assumed_by=iam.WebIdentityPrincipal(provider_arn, conditions={
                "StringEquals": {f"{_ISSUER}:aud": GITHUB_AUDIENCE,
                                 f"{_ISSUER}:sub": github_subject(repository, environment)},
            }),
        )
        pin_logical_id(self.deploy_role, "GitHubDeployRole")
        # Pseudo parameters, not literals: the ARN (and the acknowledgement below) reads the same in every synth.
        account = Aws.ACCOUNT_ID
        bootstrap = f"arn:{Aws.PARTITION}:iam::{account}:role/cdk-{CDK_BOOTSTRAP_QUALIFIER}-*-{account}-*"
        self.deploy_role.add_to_policy(iam.PolicyStatement(
            sid="AssumeCdkBootstrapRoles", actions=["sts:AssumeRole", "sts:TagSession"], resources=[bootstrap],
        ))
        # The deploy job runs the data migrations (scripts/migrate) after the deploy: this stage's tables only, and
        # the stack's outputs that name them.
        stack = self.settings.stack_name
        region = Aws.REGION
        self.deploy_role.add_to_policy(iam.PolicyStatement(
            sid="RunDataMigrations",
            actions=["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:Query", "dynamodb:GetItem",
                     "dynamodb:PutItem", "dynamodb:UpdateItem"],
            resources=[f"arn:{Aws.PARTITION}:dynamodb:{region}:{account}:table/{stack}-*"],
        ))
        self.deploy_role.add_to_policy(iam.PolicyStatement(
            sid="ReadStackOutputs", actions=["cloudformation:DescribeStacks"],
            resources=[f"arn:{Aws.PARTITION}:cloudformation:{region}:{account}:stack/{stack}/*"],
        ))
        for resource, why in (
            (f"arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/{stack}-*",
             "this stage's tables (and their indexes), whose names CloudFormation generates after the stack name"),
            (f"arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/{stack}/*",
             "this stage's stack: its id suffix is generated at creation"),
        ):
            acknowledge(self.deploy_role, f"AwsSolutions-IAM5[Resource::{resource}]", why)
        acknowledge(self.deploy_role, f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:"
                    f"role/cdk-{CDK_BOOTSTRAP_QUALIFIER}-*-<AWS::AccountId>-*]",
                    "the CDK bootstrap roles of this account (deploy, publishing, lookup), one per region")
        CfnOutput(self, "GitHubDeployRoleArn", value=self.deploy_role.role_arn,
                  description=f"role-to-assume for the {environment} GitHub environment (AWS_DEPLOY_ROLE_ARN)")

"""The edge stack of a stage (`<stack>-Edge`), pinned to us-east-1: the console distribution's web ACL.

A web ACL on a CloudFront distribution must have scope CLOUDFRONT and be created in us-east-1 (so must its log
group: CloudFront-scope WAF logs go to us-east-1), whatever region the stage's stack deploys to. This stack holds
that ACL (the same managed rule groups, per-IP rate rules and body-size rule as the API stage's regional ACL, on the
distribution's paths: /v1/auth/*, /v1/checks/batch), its log group with the stage's WAF log retention, and an SSM
parameter (`EDGE_WEB_ACL_PARAMETER`) holding the ACL's ARN, which the console's nested stack reads with a custom
resource (infra_cdk/console.py) and names in the distribution's WebACLId.

Why a parameter and not `crossRegionReferences=True`: CDK's cross-region references need both stacks to have a
concrete region at synth time, and the stage's stack stays environment-agnostic for a plain local synth (the local
cloud's); they also lock the exported value (the ACL could not be replaced while the distribution uses it). The
parameter costs one read per deploy and keeps the two stacks independent but for the deploy order: the stage's
stack depends on its edge stack, so `cdk deploy --all` (or `cdk deploy <stack>`, which deploys its dependencies
first) creates the ACL before the distribution that names it.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Environment, Stack, Tags
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra_cdk.settings import Settings
from infra_cdk.waf import WebAcl

__all__ = ["EDGE_REGION", "EdgeStack", "edge_stack_name", "edge_web_acl_parameter"]

EDGE_REGION = "us-east-1"


def edge_stack_name(settings: Settings) -> str:
    return f"{settings.stack_name}-Edge"


def edge_web_acl_parameter(settings: Settings) -> str:
    """The SSM parameter (in us-east-1) that holds the console's CLOUDFRONT web ACL ARN."""
    return f"/{settings.stack_name}/edge/console-web-acl-arn"


class EdgeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, account: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(
            scope, construct_id, env=Environment(account=account, region=EDGE_REGION),
            description=f"cnpj-radar {settings.stage}: the console distribution's CLOUDFRONT web ACL (us-east-1)",
            **kwargs,
        )
        self.settings = settings
        self.waf = WebAcl(
            self, "ConsoleWaf", name=f"{settings.stack_name}-console", acl_scope="CLOUDFRONT",
            rate_per_ip=settings.waf_rate_per_ip, auth_rate_per_ip=settings.waf_auth_rate_per_ip,
            log_retention_days=settings.waf_log_retention_days,
            # The distribution's paths: the browser calls /v1/* (the API stage's name, infra_cdk/console.py).
            auth_path_prefix=f"/{settings.stage_name}/auth/",
        )
        self.parameter_name = edge_web_acl_parameter(settings)
        self.parameter = ssm.StringParameter(
            self, "ConsoleWebAclArnParameter", parameter_name=self.parameter_name, string_value=self.waf.arn,
            description=f"{settings.stack_name}: the console distribution's web ACL (read by its stack's deploy)",
        )
        self.parameter.node.default_child.override_logical_id("ConsoleWebAclArnParameter")  # type: ignore[union-attr]
        CfnOutput(self, "ConsoleWebAclArn", value=self.waf.arn, description="CLOUDFRONT web ACL of the console")
        Tags.of(self).add("project", "cnpj-radar")
        Tags.of(self).add("managed-by", "cdk")

"""Edge protection: a WAFv2 web ACL (AWS managed rules, per-IP rate rules, a body-size rule) with its logs.

The same construct serves the API stage (`REGIONAL`, associated here) and the console's CloudFront distribution
(`CLOUDFRONT`: the ACL lives in the stage's us-east-1 edge stack, infra_cdk/edge.py, and the distribution names it
by ARN in its `web_acl_id`). Limits it enforces, besides API Gateway's own (10 MB payload, 10 KB of request line and
headers):
- bodies over MAX_BODY_BYTES (32 KB) are refused with 413, except on POST <stage>/checks/batch (a 10,000-CNPJ
  batch is about 190 KB of CSV): its function holds it to its own limit (radar.checks.schemas.BATCH_MAX_BODY_BYTES);
- the managed common rule set refuses query strings over 2 KB, URI paths over 1 KB and cookies over 10 KB;
- per client IP, `rate_per_ip` requests per 5 minutes on any route and `auth_rate_per_ip` on /auth/* (429).
Logs go to a CloudWatch log group named aws-waf-logs-<name> (WAF requires the prefix), with the credential headers
(authorization, x-api-key) redacted.
"""

from __future__ import annotations

import json

from aws_cdk import ArnFormat, RemovalPolicy, Stack, Token
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra_cdk.functions import log_retention
from infra_cdk.naming import pin_logical_id

__all__ = ["MANAGED_RULE_GROUPS", "MAX_BODY_BYTES", "REDACTED_HEADERS", "WebAcl"]

MAX_BODY_BYTES = 32 * 1024
REDACTED_HEADERS = ("authorization", "x-api-key")
# (priority, rule group, rules counted instead of blocked, and why).
MANAGED_RULE_GROUPS: tuple[tuple[int, str, dict[str, str]], ...] = (
    (0, "AWSManagedRulesAmazonIpReputationList", {}),
    (3, "AWSManagedRulesCommonRuleSet", {
        "SizeRestrictions_BODY": "its 8 KB cap refuses a batch; the BodySize rule caps other routes at 32 KB",
        "NoUserAgent_HEADER": "server-to-server integrators need not send a User-Agent; the API authenticates them",
    }),
    (4, "AWSManagedRulesKnownBadInputsRuleSet", {}),
)
_SCOPES = ("REGIONAL", "CLOUDFRONT")


def _error(code: str, message: str) -> str:
    return json.dumps({"error": {"code": code, "message": message, "details": {"source": "waf"}}})


def _rate(limit: int, scope_down: wafv2.CfnWebACL.StatementProperty | None = None) -> wafv2.CfnWebACL.StatementProperty:
    return wafv2.CfnWebACL.StatementProperty(rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
        limit=limit, aggregate_key_type="IP", evaluation_window_sec=300, scope_down_statement=scope_down))


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


class WebAcl(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        acl_scope: str,
        rate_per_ip: int,
        auth_rate_per_ip: int,
        log_retention_days: int,
        auth_path_prefix: str = "/v1/auth/",
    ) -> None:
        super().__init__(scope, construct_id)
        if acl_scope not in _SCOPES:
            raise ValueError(f"acl_scope must be one of {_SCOPES}, not {acl_scope!r}")
        region = Stack.of(self).region
        if acl_scope == "CLOUDFRONT" and (Token.is_unresolved(region) or region != "us-east-1"):
            raise ValueError("a CLOUDFRONT web ACL must be in a stack whose region is us-east-1")
        self.acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=name,
            scope=acl_scope,
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(name),
            custom_response_bodies={
                "rate_limited": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=_error("rate_limited", "Too many requests from this address; retry in a few minutes."),
                ),
                "too_large": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=_error("payload_too_large", f"The request body exceeds {MAX_BODY_BYTES} bytes."),
                ),
            },
            # API Gateway hands WAF the first 16 KB of a body by default: inspect up to the cap.
            # (CloudFront likewise: without it the body rule would refuse bodies over 16 KB as oversized.)
            association_config=wafv2.CfnWebACL.AssociationConfigProperty(request_body={
                "API_GATEWAY" if acl_scope == "REGIONAL" else "CLOUDFRONT":
                    wafv2.CfnWebACL.RequestBodyAssociatedResourceTypeConfigProperty(
                        default_size_inspection_limit="KB_32"),
            }),
            rules=[*self._managed_rules(), *self._own_rules(rate_per_ip, auth_rate_per_ip, auth_path_prefix)],
        )
        self.acl.override_logical_id(f"{construct_id}WebAcl")
        self.log_group_name = f"aws-waf-logs-{name}"
        self.log_group = logs.LogGroup(
            self, "Logs", log_group_name=self.log_group_name, retention=log_retention(log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        log_group_resource = pin_logical_id(self.log_group, f"{construct_id}LogGroup")
        # WAF wants the log group's ARN without the `:*` suffix CDK's log_group_arn carries.
        destination = Stack.of(self).format_arn(
            service="logs", resource="log-group", resource_name=self.log_group_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        self.logging = wafv2.CfnLoggingConfiguration(
            self, "Logging", resource_arn=self.acl.attr_arn, log_destination_configs=[destination],
            redacted_fields=[wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header})
                             for header in REDACTED_HEADERS],
        )
        self.logging.override_logical_id(f"{construct_id}Logging")
        self.logging.node.add_dependency(log_group_resource)

    @property
    def arn(self) -> str:
        return self.acl.attr_arn

    def associate(self, construct_id: str, resource_arn: str) -> wafv2.CfnWebACLAssociation:
        """Attach the ACL to a regional resource (an API Gateway stage ARN). CloudFront distributions name a
        CLOUDFRONT ACL themselves (`web_acl_id=acl.arn`) instead."""
        association = wafv2.CfnWebACLAssociation(self, construct_id, resource_arn=resource_arn,
                                                  web_acl_arn=self.acl.attr_arn)
        association.override_logical_id(construct_id)
        return association

    @staticmethod
    def _managed_rules() -> list[wafv2.CfnWebACL.RuleProperty]:
        rules = []
        for priority, group, counted in MANAGED_RULE_GROUPS:
            rules.append(wafv2.CfnWebACL.RuleProperty(
                name=group,
                priority=priority,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS", name=group,
                        rule_action_overrides=[
                            wafv2.CfnWebACL.RuleActionOverrideProperty(
                                name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={}))
                            for rule in sorted(counted)
                        ] or None,
                    )
                ),
                visibility_config=_visibility(group),
            ))
        return rules

    @staticmethod
    def _own_rules(
        rate_per_ip: int, auth_rate_per_ip: int, auth_prefix: str
    ) -> list[wafv2.CfnWebACL.RuleProperty]:
        def block(status: int, body: str) -> wafv2.CfnWebACL.RuleActionProperty:
            return wafv2.CfnWebACL.RuleActionProperty(block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=status, custom_response_body_key=body,
                    response_headers=[wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Retry-After", value="300")]
                    if status == 429 else None,
                )))

        auth_paths = wafv2.CfnWebACL.StatementProperty(
            byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                positional_constraint="STARTS_WITH", search_string=auth_prefix,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="LOWERCASE")],
            ))
        # The batch route (auth_prefix is "/<stage>/auth/"): its bodies are held to their limit by its function.
        batch_path = wafv2.CfnWebACL.StatementProperty(
            byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                positional_constraint="EXACTLY", search_string=auth_prefix.removesuffix("auth/") + "checks/batch",
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="LOWERCASE")],
            ))
        too_large = wafv2.CfnWebACL.StatementProperty(
            size_constraint_statement=wafv2.CfnWebACL.SizeConstraintStatementProperty(
                # Bodies past the inspection limit count as over it (MATCH), never as unseen.
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    body=wafv2.CfnWebACL.BodyProperty(oversize_handling="MATCH")),
                comparison_operator="GT", size=MAX_BODY_BYTES,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
            ))
        return [
            wafv2.CfnWebACL.RuleProperty(
                name="RatePerIp", priority=1, action=block(429, "rate_limited"),
                statement=_rate(rate_per_ip),
                visibility_config=_visibility("RatePerIp"),
            ),
            wafv2.CfnWebACL.RuleProperty(
                name="AuthRatePerIp", priority=2, action=block(429, "rate_limited"),
                statement=_rate(auth_rate_per_ip, scope_down=auth_paths),
                visibility_config=_visibility("AuthRatePerIp"),
            ),
            wafv2.CfnWebACL.RuleProperty(
                name="BodySize", priority=5, action=block(413, "too_large"),
                statement=wafv2.CfnWebACL.StatementProperty(and_statement=wafv2.CfnWebACL.AndStatementProperty(
                    statements=[too_large, wafv2.CfnWebACL.StatementProperty(
                        not_statement=wafv2.CfnWebACL.NotStatementProperty(statement=batch_path))],
                )),
                visibility_config=_visibility("BodySize"),
            ),
        ]

"""The tenant console in AWS: a private S3 bucket behind CloudFront (Origin Access Control), `/v1/*` forwarded to
the API stage on the same host, the security headers of console/security-headers.json on every answer.

A nested stack of the stage's stack, so `cdk deploy <stack>` ships it with the API, and the local cloud (which runs
the main template and serves the console itself with scripts/console) sees one AWS::CloudFormation::Stack only.

- Default behaviour: the bucket's files (index.html, /assets/* with hashed names), cached by CloudFront. A viewer
  request function sends the app's routes (a path with no file extension) to /index.html; CloudFront's error
  responses are distribution-wide and would replace the API's 4xx/5xx JSON, so they are not used.
- `/v1/*`: the API stage, every method, no caching, every viewer header but Host (API Gateway routes on its own
  Host), query strings and cookies (the refresh cookie's path is /v1/auth); the API's answers keep their own
  security headers (radar.http), as scripts/console passes them locally. The stage's name is the path prefix,
  so no origin path and no rewrite: /v1/targets reaches stage v1, resource /targets.
- The distribution's web ACL (scope CLOUDFRONT) lives in the stage's edge stack in us-east-1 (infra_cdk/edge.py);
  an AwsCustomResource reads its ARN from the edge stack's SSM parameter and the distribution names it (WebACLId).
- The built files (console/dist, built by the synth when the console's sources changed, cached by their hash) are
  deployed by two BucketDeployments: the hashed assets with a year's immutable caching and no pruning (a tab
  opened before a deploy can still load its chunks), the rest (index.html, favicon) revalidated on every load.
"""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import Aws, Duration, Fn, NestedStack, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra_cdk.account import CDK_BOOTSTRAP_QUALIFIER
from infra_cdk.api import Api
from infra_cdk.functions import log_retention
from infra_cdk.nag import acknowledge
from infra_cdk.settings import Settings

__all__ = ["API_PATH_PREFIX", "HEADERS_FILE", "SPA_REWRITE_CODE", "ConsoleSite", "console_dist", "console_public_url",
           "security_headers"]

REPO_ROOT = Path(__file__).resolve().parents[1]
HEADERS_FILE = REPO_ROOT / "console" / "security-headers.json"
# The path the browser uses for the API; it is also the stage's name (see the module docstring).
API_PATH_PREFIX = "v1"
# The id aws-cdk-lib gives the one Lambda function behind every AwsCustomResource of a stack.
_AWS_CUSTOM_RESOURCE_SINGLETON = "AWS679f53fac002430cb0da5b7982bd2287"
# Build bookkeeping that is not part of the site.
DIST_EXCLUDES = [".source-hash", ".vite", ".vite/*"]

# What CDK's BucketDeployment handler is granted (grantRead on the asset bucket, grantReadWrite on the site bucket,
# invalidations), each wildcard explained for cdk-nag.
_DEPLOYMENT_GRANTS = {
    "Action::s3:GetBucket*": "the BucketDeployment handler reads the CDK asset bucket and the site bucket (grantRead)",
    "Action::s3:GetObject*": "the BucketDeployment handler reads the console's zipped build from the CDK asset bucket",
    "Action::s3:List*": "the BucketDeployment handler lists the site bucket to sync (aws s3 sync) and prune",
    "Action::s3:Abort*": "the BucketDeployment handler aborts its own failed multipart uploads to the site bucket",
    "Action::s3:DeleteObject*": "the BucketDeployment handler prunes files of older builds from the site bucket",
    "Resource::*": "cloudfront:CreateInvalidation/GetInvalidation take no resource-level scoping in CDK's grant; "
                   "the handler invalidates this distribution only (its id is in the custom resource's properties)",
}

# CloudFront Functions run cloudfront-js-2.0 (ES5.1 plus a few later features): keep it plain.
SPA_REWRITE_CODE = """function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (uri.indexOf('/assets/') !== 0 && last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
"""


def security_headers() -> dict[str, str]:
    """The console's response headers (the file scripts/console serves them from too)."""
    data = json.loads(HEADERS_FILE.read_text(encoding="utf-8"))
    return {name: str(value) for name, value in data.items() if not name.startswith("_")}


def console_dist() -> Path:
    """console/dist, built first when the console's sources changed (npm ci when node_modules is stale)."""
    from scripts.console.build import build

    dist, _ = build()
    return dist


def _price_class(name: str) -> cloudfront.PriceClass:
    """`PriceClass_100` (CloudFormation's spelling, as in the stage files) -> PriceClass.PRICE_CLASS_100."""
    return cloudfront.PriceClass[name.upper().replace("PRICECLASS_", "PRICE_CLASS_")]


def _hsts(value: str) -> cloudfront.ResponseHeadersStrictTransportSecurity:
    parts = [part.strip().lower() for part in value.split(";") if part.strip()]
    max_age = next(int(part.split("=", 1)[1]) for part in parts if part.startswith("max-age="))
    return cloudfront.ResponseHeadersStrictTransportSecurity(
        access_control_max_age=Duration.seconds(max_age), include_subdomains="includesubdomains" in parts,
        preload="preload" in parts, override=True,
    )


def headers_policy_props(headers: dict[str, str]) -> dict[str, object]:
    """The security headers CloudFront has typed settings for, and the others as custom headers."""
    typed = {"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
             "Referrer-Policy"}
    frame = headers["X-Frame-Options"].upper()
    return {
        "security_headers_behavior": cloudfront.ResponseSecurityHeadersBehavior(
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=headers["Content-Security-Policy"], override=True),
            strict_transport_security=_hsts(headers["Strict-Transport-Security"]),
            content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
            frame_options=cloudfront.ResponseHeadersFrameOptions(
                frame_option=cloudfront.HeadersFrameOption[frame], override=True),
            referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                referrer_policy=cloudfront.HeadersReferrerPolicy[
                    headers["Referrer-Policy"].upper().replace("-", "_")],
                override=True),
        ),
        "custom_headers_behavior": cloudfront.ResponseCustomHeadersBehavior(custom_headers=[
            cloudfront.ResponseCustomHeader(header=name, value=value, override=True)
            for name, value in headers.items() if name not in typed
        ]),
        "remove_headers": ["Server"],
    }


def _web_acl_arn(scope: Construct, parameter_name: str, region: str) -> tuple[cr.AwsCustomResource, str]:
    """The edge stack's CLOUDFRONT web ACL ARN, read from its SSM parameter in `region` (infra_cdk/edge.py says why
    a parameter). Read when the console stack is created, and again when the parameter's name changes."""
    parameter_arn = f"arn:{Aws.PARTITION}:ssm:{region}:{Aws.ACCOUNT_ID}:parameter/{parameter_name.lstrip('/')}"
    call = cr.AwsSdkCall(
        service="SSM", action="getParameter", parameters={"Name": parameter_name}, region=region,
        physical_resource_id=cr.PhysicalResourceId.of(parameter_name),
    )
    reader = cr.AwsCustomResource(
        scope, "WebAclArn", on_update=call, install_latest_aws_sdk=False,
        policy=cr.AwsCustomResourcePolicy.from_sdk_calls(resources=[parameter_arn]),
    )
    # The singleton function CDK runs every AwsCustomResource of this stack with.
    handler = Stack.of(scope).node.try_find_child(_AWS_CUSTOM_RESOURCE_SINGLETON)
    if handler is not None:
        acknowledge(handler, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                             "AWSLambdaBasicExecutionRole]",
                    "CDK's AwsCustomResource handler: the AWS-managed basic execution role, logs only; its one "
                    "other grant is ssm:GetParameter on the edge stack's web ACL parameter")
    return reader, reader.get_response_field("Parameter.Value")


def console_public_url(settings: Settings, distribution_url: str) -> str:
    """Where people reach the console: the stage's custom domain (`console.domain`) when it names one, else the
    distribution's own https://<id>.cloudfront.net."""
    return f"https://{settings.console_domain}" if settings.console_domain else distribution_url


class ConsoleSite(NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, api: Api, settings: Settings,
                 web_acl_parameter: str, web_acl_region: str, dist: Path | None = None) -> None:
        super().__init__(scope, construct_id, description="cnpj-radar tenant console: S3 behind CloudFront")
        if settings.stage_name != API_PATH_PREFIX:
            raise ValueError(f"the console calls /{API_PATH_PREFIX}/*, which must be the API stage's name "
                             f"(stage {settings.stage_name!r}); add an origin path rewrite before renaming it")
        removal = RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY
        self.logs_bucket = s3.Bucket(
            self, "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED, block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True, versioned=False, removal_policy=removal, auto_delete_objects=False,
            # CloudFront standard logging writes with the bucket ACL (log-delivery): owner-preferred keeps objects ours.
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(settings.console_log_retention_days))],
        )
        acknowledge(self.logs_bucket, "AwsSolutions-S1",
                    "this bucket receives the console's access logs; logging it into itself would loop")
        self.bucket = s3.Bucket(
            self, "Site",
            encryption=s3.BucketEncryption.S3_MANAGED, block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True, versioned=True, removal_policy=RemovalPolicy.DESTROY, auto_delete_objects=False,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs_bucket, server_access_logs_prefix="s3/",
            # Old hashed chunks are kept for open tabs, then expire (noncurrent versions of index.html likewise).
            lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=Duration.days(30))],
        )
        self.headers_policy = cloudfront.ResponseHeadersPolicy(
            self, "SecurityHeaders",
            response_headers_policy_name=f"{settings.stack_name}-console-security-headers",
            comment="cnpj-radar console: strict CSP, HSTS and the other security headers",
            **headers_policy_props(security_headers()),  # type: ignore[arg-type]
        )
        self.spa_rewrite = cloudfront.Function(
            self, "SpaRewrite",
            function_name=f"{settings.stack_name}-console-spa-rewrite",
            comment="the console's routes (paths without a file extension) answer index.html",
            code=cloudfront.FunctionCode.from_inline(SPA_REWRITE_CODE),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        self.web_acl_reader, self.web_acl_arn = _web_acl_arn(self, web_acl_parameter, web_acl_region)
        # The API's host from the RestApi id alone, not from its URL (which names the Stage, and so its deployment,
        # methods and functions): the auth function's BILLING_RETURN_URL names this distribution, which may then not
        # depend on the functions itself (a circular reference).
        api_domain = Fn.join("", [api.rest_api.rest_api_id, ".execute-api.", Aws.REGION, ".", Aws.URL_SUFFIX])
        self.distribution = cloudfront.Distribution(
            self, "Distribution",
            comment=f"{settings.stack_name} console",
            web_acl_id=self.web_acl_arn,
            default_root_object="index.html",
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=_price_class(settings.console_price_class),
            enable_logging=True, log_bucket=self.logs_bucket, log_file_prefix="cloudfront/",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers_policy,
                compress=True,
                function_associations=[cloudfront.FunctionAssociation(
                    function=self.spa_rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)],
            ),
            additional_behaviors={
                f"/{API_PATH_PREFIX}/*": cloudfront.BehaviorOptions(
                    origin=origins.HttpOrigin(
                        api_domain, protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                        origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                    ),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    # No headers policy: the API sends its own security headers (radar.http), as locally.
                    compress=True,
                ),
            },
        )
        self._deploy(dist or console_dist(), settings)
        self._acknowledge_findings()

    @property
    def url(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

    def public_url(self, settings: Settings) -> str:
        return console_public_url(settings, self.url)


    def _deploy(self, dist: Path, settings: Settings) -> None:
        source = s3deploy.Source.asset(str(dist), exclude=DIST_EXCLUDES)
        # One log group for the deployments' shared handler, with the stage's retention.
        self.deploy_logs = logs.LogGroup(
            self, "DeployLogs", retention=log_retention(settings.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        common = {"destination_bucket": self.bucket, "sources": [source], "log_group": self.deploy_logs,
                  "memory_limit": 256}
        self.assets_deployment = s3deploy.BucketDeployment(
            self, "DeployAssets", **common,  # type: ignore[arg-type]
            include=["assets/*"], exclude=["*"], prune=False,
            cache_control=[s3deploy.CacheControl.from_string("public, max-age=31536000, immutable")],
        )
        self.shell_deployment = s3deploy.BucketDeployment(
            self, "DeployShell", **common,  # type: ignore[arg-type]
            exclude=["assets/*"], prune=True,
            cache_control=[s3deploy.CacheControl.no_cache()],
            distribution=self.distribution, distribution_paths=["/*"],
        )
        # index.html names the chunks: it goes up only once they are there.
        self.shell_deployment.node.add_dependency(self.assets_deployment)

    def _acknowledge_findings(self) -> None:
        acknowledge(self.distribution, "AwsSolutions-CFR1",
                    "the console serves tenants wherever their analysts travel; access is by sign-in, not country")
        acknowledge(self.distribution, "AwsSolutions-CFR4",
                    "no custom domain in the stage files yet: with the default *.cloudfront.net certificate "
                    "CloudFront fixes the viewer TLS policy; a domain with an ACM certificate gets TLSv1.2_2021")
        stack = Stack.of(self)
        site = stack.resolve(stack.get_logical_id(self.bucket.node.default_child))  # type: ignore[arg-type]

        def part(value: str) -> str:
            """How cdk-nag prints a value: `<AWS::AccountId>` when the stack has no concrete environment."""
            resolved = stack.resolve(value)
            return f"<{resolved['Ref']}>" if isinstance(resolved, dict) and "Ref" in resolved else str(resolved)

        for node in stack.node.find_all():
            path = node.node.path
            if "Custom::CDKBucketDeployment" not in path:
                continue
            acknowledge(node, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                              "AWSLambdaBasicExecutionRole]",
                        "CDK's BucketDeployment handler: the AWS-managed basic execution role, logs only")
            acknowledge(node, "AwsSolutions-L1",
                        "CDK's BucketDeployment handler: its runtime is chosen and updated by aws-cdk-lib")
            if isinstance(node, iam.Policy):
                for finding, why in _DEPLOYMENT_GRANTS.items():
                    acknowledge(node, f"AwsSolutions-IAM5[{finding}]", why)
                acknowledge(node, f"AwsSolutions-IAM5[Resource::<{site}.Arn>/*]",
                            "the objects of this stage's console bucket, which the deployment writes and prunes")
                acknowledge(node, f"AwsSolutions-IAM5[Resource::arn:{part(stack.partition)}:s3:::cdk-"
                                  f"{CDK_BOOTSTRAP_QUALIFIER}-assets-{part(stack.account)}-{part(stack.region)}/*]",
                            "the CDK bootstrap asset bucket: the console build is uploaded there under a content hash")

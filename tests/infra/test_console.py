"""The tenant console in AWS (infra_cdk/console.py): a private bucket behind CloudFront with Origin Access Control,
`/v1/*` on the same host forwarded to the API stage, the security headers of console/security-headers.json, the SPA
fallback for app routes only, and the built files deployed per stage."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infra_cdk.console import HEADERS_FILE, SPA_REWRITE_CODE, console_public_url
from infra_cdk.settings import Settings, _console_domain
from infra_cdk.stages import STAGES, load_stage
from tests.infra.helpers import Synthesized, render

# CloudFront's managed policies (ids documented by AWS, the same in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def nested(synth: Synthesized) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(logical id of the nested stack resource, that resource, the console's nested template)."""
    stacks = synth.of_type("AWS::CloudFormation::Stack")
    assert len(stacks) == 1, sorted(stacks)
    (logical_id, resource), = stacks.items()
    path = synth.outdir / resource["Metadata"]["aws:asset:path"]
    return logical_id, resource, json.loads(path.read_text(encoding="utf-8"))


def of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def one(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = of_type(template, resource_type)
    assert len(found) == 1, f"{resource_type}: {sorted(found)}"
    (logical_id, resource), = found.items()
    return logical_id, resource.get("Properties", {})


@pytest.fixture(scope="module")
def console(synthesized: Synthesized) -> dict[str, Any]:
    return nested(synthesized)[2]


def distribution(template: dict[str, Any]) -> dict[str, Any]:
    return dict(one(template, "AWS::CloudFront::Distribution")[1]["DistributionConfig"])


def site_bucket(template: dict[str, Any]) -> str:
    """The bucket the distribution's S3 origin reads."""
    s3_origin = next(o for o in distribution(template)["Origins"] if "S3OriginConfig" in o)
    return str(s3_origin["DomainName"]["Fn::GetAtt"][0])


def test_each_stage_has_the_console_as_a_nested_stack_with_its_price_class(stages: dict[str, Synthesized]) -> None:
    assert set(stages) == set(STAGES)
    for stage, synth in stages.items():
        _, resource, template = nested(synth)
        # The API's ids come in as parameters of the nested stack (no exports between stacks).
        # The RestApi's id alone: the stage would tie the distribution to the functions (see the return URL below).
        assert {render(v) for v in resource["Properties"]["Parameters"].values()} == {"<RestApi>"}
        assert distribution(template)["PriceClass"] == load_stage(stage)["console"]["priceClass"]
        outputs = synth.template["Outputs"]
        assert "ConsoleUrl" in outputs and "ConsoleBucketName" in outputs


def test_site_bucket_is_private_encrypted_and_tls_only(console: dict[str, Any]) -> None:
    bucket = console["Resources"][site_bucket(console)]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "WebsiteConfiguration" not in bucket  # served through CloudFront only, never as an S3 website
    assert bucket["LoggingConfiguration"]["LogFilePrefix"] == "s3/"


def test_bucket_policy_lets_only_this_distribution_read_through_oac(console: dict[str, Any]) -> None:
    site = site_bucket(console)
    policies = [p["Properties"] for p in of_type(console, "AWS::S3::BucketPolicy").values()
                if p["Properties"]["Bucket"] == {"Ref": site}]
    assert len(policies) == 1
    statements = policies[0]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    allow = allows[0]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert render(allow["Resource"]) == f"<{site}.Arn>/*"
    source_arn = render(allow["Condition"]["StringEquals"]["AWS:SourceArn"])
    distribution_id = one(console, "AWS::CloudFront::Distribution")[0]
    assert source_arn.endswith(f":distribution/<{distribution_id}>")
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def test_origin_access_control_signs_every_request_to_s3(console: dict[str, Any]) -> None:
    oac_id, oac = one(console, "AWS::CloudFront::OriginAccessControl")
    config = oac["OriginAccessControlConfig"]
    assert (config["OriginAccessControlOriginType"], config["SigningBehavior"], config["SigningProtocol"]) == (
        "s3", "always", "sigv4")
    s3_origin = next(o for o in distribution(console)["Origins"] if "S3OriginConfig" in o)
    assert s3_origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert s3_origin["S3OriginConfig"]["OriginAccessIdentity"] == ""  # OAC, not the legacy OAI


def test_default_behaviour_serves_the_bucket_with_the_spa_rewrite(console: dict[str, Any]) -> None:
    config = distribution(console)
    default = config["DefaultCacheBehavior"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert "S3OriginConfig" in origins[default["TargetOriginId"]]
    assert default["AllowedMethods"] == ["GET", "HEAD"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    function_id, function = one(console, "AWS::CloudFront::Function")
    assert default["FunctionAssociations"] == [
        {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [function_id, "FunctionARN"]}}]
    assert function["FunctionCode"] == SPA_REWRITE_CODE
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert config["DefaultRootObject"] == "index.html"
    # Error responses are distribution-wide: they would turn the API's 403/404 JSON into index.html.
    assert "CustomErrorResponses" not in config


def test_v1_behaviour_forwards_everything_but_host_to_the_api_stage_uncached(console: dict[str, Any]) -> None:
    config = distribution(console)
    behaviours = config["CacheBehaviors"]
    assert [b["PathPattern"] for b in behaviours] == ["/v1/*"]
    api = behaviours[0]
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert api["ViewerProtocolPolicy"] == "https-only"
    assert "FunctionAssociations" not in api  # the API's own answers, errors too, pass unchanged
    origin = next(o for o in config["Origins"] if o["Id"] == api["TargetOriginId"])
    assert origin["CustomOriginConfig"] == {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}
    assert "OriginPath" not in origin or origin["OriginPath"] == ""  # the stage's name is the /v1 prefix
    domain = render(origin["DomainName"])
    assert ".execute-api." in domain and "referencetoCnpjRadarApiRestApi" in domain
    assert "ResponseHeadersPolicyId" not in api  # the API's own security headers (radar.http), as locally


def test_headers_policy_is_the_console_headers_file(console: dict[str, Any]) -> None:
    wanted = {k: v for k, v in json.loads(HEADERS_FILE.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    _, policy = one(console, "AWS::CloudFront::ResponseHeadersPolicy")
    config = policy["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert csp == wanted["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and "unsafe" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert security["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True, "Preload": True, "Override": True}
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert security["ReferrerPolicy"] == {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True}
    custom = {h["Header"]: h["Value"] for h in config["CustomHeadersConfig"]["Items"]}
    assert custom == {k: wanted[k] for k in ("Permissions-Policy", "Cross-Origin-Opener-Policy")}
    assert all(s.get("Override", True) for s in security.values())


def test_local_server_sends_the_same_headers() -> None:
    from scripts.console.server import SECURITY_HEADERS

    on_disk = {k: v for k, v in json.loads(HEADERS_FILE.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    assert on_disk == SECURITY_HEADERS


@pytest.mark.parametrize(("uri", "served"), [
    ("/", "/index.html"),
    ("/targets", "/index.html"),
    ("/targets/12ABC34501DE35", "/index.html"),
    ("/admin/keys", "/index.html"),
    ("/batches/b-1.x/results", "/index.html"),  # a dot in an inner segment is not an extension
    ("/favicon.svg", "/favicon.svg"),
    ("/index.html", "/index.html"),
    ("/assets/index-xar6a-Ey.js", "/assets/index-xar6a-Ey.js"),
    ("/assets/missing", "/assets/missing"),  # a missing chunk is a 403/404 from S3, never the page
])
def test_spa_rewrite_function_sends_app_routes_to_index_html(uri: str, served: str) -> None:
    # The function's own code, run by Node (CloudFront Functions are JavaScript; cloudfront-js-2.0 is ES5.1+).
    script = SPA_REWRITE_CODE + f"\nprocess.stdout.write(handler({{request: {{uri: {json.dumps(uri)}}}}}).uri);\n"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True)
    assert result.stdout == served


def test_built_files_are_deployed_assets_immutable_then_the_shell_revalidated(
    synthesized: Synthesized, console: dict[str, Any]
) -> None:
    deployments = of_type(console, "Custom::CDKBucketDeployment")
    assert len(deployments) == 2
    by_role = {("assets" if "DeployAssets" in k else "shell"): (k, v) for k, v in deployments.items()}
    assets_id, assets = by_role["assets"]
    _, shell = by_role["shell"]
    a, s = assets["Properties"], shell["Properties"]
    site = site_bucket(console)
    assert a["DestinationBucketName"] == s["DestinationBucketName"] == {"Ref": site}
    assert a["Include"] == ["assets/*"] and a["Exclude"] == ["*"]
    assert a["Prune"] is False  # a tab opened before the deploy still loads its chunks
    assert a["SystemMetadata"]["cache-control"] == "public, max-age=31536000, immutable"
    assert s["Exclude"] == ["assets/*"] and s.get("Prune", True) is True
    assert s["SystemMetadata"]["cache-control"] == "no-cache"
    assert s["DistributionId"] == {"Ref": one(console, "AWS::CloudFront::Distribution")[0]}
    assert s["DistributionPaths"] == ["/*"]
    assert assets_id in shell.get("DependsOn", [])  # index.html names chunks that must be there first
    # The deployed build is console/dist as built now, without the build's bookkeeping.
    asset_dirs = [p for p in synthesized.outdir.glob("asset.*") if (p / "index.html").is_file()]
    assert len(asset_dirs) == 1
    staged: Path = asset_dirs[0]
    assert "/assets/" in (staged / "index.html").read_text(encoding="utf-8")
    assert list((staged / "assets").glob("index-*.js"))
    assert not (staged / ".source-hash").exists() and not (staged / ".vite").exists()


def test_console_access_logs_expire_per_stage(stages: dict[str, Synthesized]) -> None:
    for stage, synth in stages.items():
        _, _, template = nested(synth)
        config = distribution(template)
        logs_bucket = config["Logging"]["Bucket"]["Fn::GetAtt"][0]
        rules = template["Resources"][logs_bucket]["Properties"]["LifecycleConfiguration"]["Rules"]
        assert rules[0]["ExpirationInDays"] == load_stage(stage)["console"]["accessLogRetentionDays"]


@pytest.mark.parametrize("stage", STAGES)
def test_cfn_lint_passes_on_the_console_template(stages: dict[str, Synthesized], stage: str) -> None:
    from cfnlint.api import ManualArgs, lint_file

    from tests.infra.test_cfn_lint import config

    settings = config()
    synth = stages[stage]
    path = synth.outdir / nested(synth)[1]["Metadata"]["aws:asset:path"]
    matches = lint_file(path, config=ManualArgs(ignore_checks=settings["ignore_checks"], regions=settings["regions"]))
    assert [str(m) for m in matches] == [], path.name


# --- where Stripe sends the customer back -------------------------------------------------------------------------


def test_the_auth_functions_return_url_is_the_consoles_plan_page_on_its_distribution(
    stages: dict[str, Synthesized]
) -> None:
    for stage, synth in stages.items():
        logical_id, _, template = nested(synth)
        variables = synth.props("AuthFunction")["Environment"]["Variables"]
        url = variables["BILLING_RETURN_URL"]
        parts = url["Fn::Join"][1]
        assert parts[0] == "https://" and parts[-1] == "/admin/plan", (stage, url)
        (getatt,) = [p for p in parts if isinstance(p, dict)]
        stack, output = getatt["Fn::GetAtt"]
        assert stack == logical_id and output.startswith("Outputs.")
        # The nested stack's output is the distribution's own domain name.
        (distribution_id, _), = of_type(template, "AWS::CloudFront::Distribution").items()
        assert template["Outputs"][output.removeprefix("Outputs.")]["Value"] == {
            "Fn::GetAtt": [distribution_id, "DomainName"]}
        # Only the auth function serves the billing routes; the purge cancels, it sends nobody anywhere.
        assert "BILLING_RETURN_URL" not in synth.props("PurgeFunction")["Environment"]["Variables"]


def test_the_distribution_reaches_the_api_by_the_restapi_id_so_the_functions_may_name_it(
    console: dict[str, Any], synthesized: Synthesized
) -> None:
    api_origin = next(o for o in distribution(console)["Origins"] if "CustomOriginConfig" in o)
    assert render(api_origin["DomainName"]).endswith(".execute-api.<AWS::Region>.<AWS::URLSuffix>")
    assert "ApiStage" not in json.dumps(api_origin) and "Deployment" not in json.dumps(console["Parameters"])
    # No cycle: the console's nested stack waits for nothing the functions wait for (it names the RestApi only).
    logical_id, resource, _ = nested(synthesized)
    assert not resource.get("DependsOn")
    assert logical_id in json.dumps(synthesized.props("AuthFunction")["Environment"])


def test_a_stages_custom_console_domain_wins_and_is_checked() -> None:
    distribution_url = "https://d111111abcdef8.cloudfront.net"
    assert console_public_url(Settings(), distribution_url) == distribution_url
    custom = Settings(console_domain=_console_domain("prod", "Console.CNPJ-Radar.com.br"))
    assert console_public_url(custom, distribution_url) == "https://console.cnpj-radar.com.br"
    assert _console_domain("dev", None) is None and _console_domain("dev", "") is None
    for bad in ("https://console.example.com", "console.example.com/admin", "console.example.com:443", "localhost",
                "-x.example.com"):
        with pytest.raises(ValueError, match=r"console\.domain"):
            _console_domain("prod", bad)
    assert all(load_stage(stage)["console"]["domain"] is None for stage in STAGES)

"""With CORS origins configured: preflight methods, CORS on gateway responses, origins in the functions' env."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra_cdk.routes import ROUTES
from tests.infra.helpers import Synthesized, api_methods

ORIGINS = ["https://app.cnpj-radar.example", "https://admin.cnpj-radar.example"]


@pytest.fixture(scope="module")
def with_cors(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    # A second synth (seconds): only this module pays for it.
    from infra_cdk.app import build_app

    outdir: Path = tmp_path_factory.mktemp("cdk.out.cors")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
        app, stack = build_app(str(outdir), nag=False, bundle=False,
                               context={"radar:corsAllowedOrigins": ",".join(ORIGINS)})
        app.synth()
    template = json.loads((outdir / "CnpjRadar.template.json").read_text(encoding="utf-8"))
    return Synthesized(stack=stack, template=template, outdir=outdir)


def test_every_route_path_answers_preflight_without_auth(with_cors: Synthesized) -> None:
    methods = api_methods(with_cors)
    for path in {r.path for r in ROUTES}:
        preflight = methods[("OPTIONS", path)]["Properties"]
        assert preflight["AuthorizationType"] == "NONE"
        assert preflight.get("ApiKeyRequired", False) is False
        assert preflight["Integration"]["Type"] == "MOCK"


def test_gateway_responses_name_the_primary_origin(with_cors: Synthesized) -> None:
    for response in with_cors.of_type("AWS::ApiGateway::GatewayResponse").values():
        headers = response["Properties"]["ResponseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == f"'{ORIGINS[0]}'"
        assert headers["gatewayresponse.header.Vary"] == "'Origin'"


def test_http_functions_get_every_origin(with_cors: Synthesized) -> None:
    for function in ("Auth", "Targets", "Checks"):
        variables = with_cors.props(f"{function}Function")["Environment"]["Variables"]
        assert variables["CORS_ALLOWED_ORIGINS"] == ",".join(ORIGINS)


def test_nag_still_passes_with_preflight_methods(with_cors: Synthesized) -> None:
    from cdk_nag import AwsSolutionsChecks

    report = AwsSolutionsChecks().validate_scope(with_cors.stack)
    assert report.success, [v.rule_name for v in report.violations]

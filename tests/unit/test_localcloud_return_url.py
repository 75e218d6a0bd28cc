"""The local cloud's side of where Stripe sends the customer back: the console's nested stack is not emulated but
its outputs resolve (to never-resolvable `.invalid` names), and the console, which starts after the gateway, has its
port fixed before the functions start so the auth function's BILLING_RETURN_URL is its plan page."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scripts.localcloud.cloud import LocalCloud
from scripts.localcloud.provision import _Provisioner
from scripts.localcloud.services import SERVICES
from scripts.localcloud.template import Template


def test_a_nested_stacks_outputs_resolve_to_names_that_never_leave_the_machine(tmp_path: Path) -> None:
    (tmp_path / "Console.nested.template.json").write_text(json.dumps(
        {"Outputs": {"DistributionDomainName": {"Value": {"Fn::GetAtt": ["Distribution", "DomainName"]}}}}))
    body = {"Resources": {"Console": {"Type": "AWS::CloudFormation::Stack", "Properties": {},
                                      "Metadata": {"aws:asset:path": "Console.nested.template.json"}}}}
    template = Template(path=tmp_path / "CnpjRadar.template.json", body=body, stack_name="CnpjRadar")
    _Provisioner(template).nested_stack("Console", {})
    url = template.resolve({"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["Console", "Outputs.DistributionDomainName"]},
                                              "/admin/plan"]]})
    assert url == "https://distributiondomainname.console.localcloud.invalid/admin/plan"


def _cloud(console_port: int) -> Any:
    config = SimpleNamespace(service_ports={"console": console_port} if console_port else {}, env_overrides={},
                             console=True, providers="real", billing="real")
    cloud = SimpleNamespace(config=config, services={}, planned_urls={},
                            enabled_services=lambda: [s for s in SERVICES if s.enabled(config)])
    return cloud


def test_the_auth_function_is_sent_to_the_consoles_plan_page_before_the_console_starts() -> None:
    for port in (0, 3999):
        cloud = _cloud(port)
        LocalCloud._plan_late_services(cloud)
        planned = cloud.config.service_ports["console"]
        assert planned and (port == 0 or planned == port)  # 0: a free port, fixed now for the console's start
        auth_env = {"BILLING_RETURN_URL": "https://x.console.localcloud.invalid/admin/plan", "MAIN_TABLE": "t"}
        overrides = LocalCloud._function_env_overrides(cloud, auth_env)
        assert overrides["BILLING_RETURN_URL"] == f"http://127.0.0.1:{planned}/admin/plan"
        assert "BILLING_RETURN_URL" not in LocalCloud._function_env_overrides(cloud, {"MAIN_TABLE": "t"})
    # An explicit RADAR_FUNCTION_ENV value wins over the console's.
    cloud = _cloud(3999)
    cloud.config.env_overrides = {"BILLING_RETURN_URL": "https://elsewhere.example/admin/plan"}
    LocalCloud._plan_late_services(cloud)
    assert LocalCloud._function_env_overrides(cloud, {"BILLING_RETURN_URL": "x"})["BILLING_RETURN_URL"] == (
        "https://elsewhere.example/admin/plan")

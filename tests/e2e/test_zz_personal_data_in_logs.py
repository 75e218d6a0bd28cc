"""LGPD: after the e2e run, no partner name, masked CPF or e-mail appears in any function log, error paths included.

Runs last in the e2e session (file name), after every other test has pushed traffic through the functions.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import boto3
import httpx

from tests.support.cloud import RunningCloud, Tenant

PARTNER_KEYS = {"nome_socio", "nome", "nome_representante", "nome_representante_legal", "nome_rep_legal"}
CPF_MASKED = re.compile(r"\*{3}\d{6}\*{2}")


def personal_strings(fixtures: Path) -> set[str]:
    """Partner and representative names, and masked CPFs, found in the fixtures the sandbox served."""
    found: set[str] = set()

    def walk(node: object, partner: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                in_partner = partner or key in {"qsa", "socios"}
                if in_partner and key in PARTNER_KEYS and isinstance(value, str) and len(value) > 6:
                    found.add(value)
                walk(value, in_partner)
        elif isinstance(node, list):
            for item in node:
                walk(item, partner)
        elif isinstance(node, str):
            found.update(m for m in CPF_MASKED.findall(node) if m != "***000000**")

    for path in fixtures.glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")), False)
    return found


def error_paths(cloud: RunningCloud, tenant: Tenant, partner_names: list[str]) -> set[str]:
    """Drive the paths where personal data is most likely to slip into a log line (issue 13): failed logins, 4xx
    answers whose bodies hold an e-mail, every provider failing mid-body, and a worker crashing on a poison message
    that carries an e-mail and partner names. Returns the personal strings they used."""
    import uuid

    tag = uuid.uuid4().hex[:8]
    emails = {kind: f"leak.{kind}.{tag}@example.com" for kind in ("login", "signup", "target", "poison")}
    api = cloud.api_url
    for _ in range(2):
        refused = httpx.post(f"{api}/auth/login", json={"email": emails["login"], "password": "Wrong-Password-9"})
        assert refused.status_code in (401, 429), refused.text
    weak = httpx.post(f"{api}/auth/signup", json={"tenant_name": "Leak", "email": emails["signup"], "password": "x"})
    assert 400 <= weak.status_code < 500, weak.text
    bad_target = httpx.post(f"{api}/targets", json={"cnpj": emails["target"]}, headers=tenant.key("analyst"))
    assert bad_target.status_code == 422, bad_target.text
    # Every provider answers a truncated or HTML body (partner names cut mid-way) for a company with partners.
    target = httpx.post(f"{api}/targets", json={"cnpj": "27865757000102"}, headers=tenant.key("analyst"), timeout=30)
    target_id = target.json().get("id") or target.json()["error"]["details"]["existing_id"]
    cloud.sandbox(fault_rate=1.0, faults=["truncated", "html"])
    try:
        failed = httpx.post(f"{api}/targets/{target_id}/checks", params={"max_age": "0", "max_stale": "0"},
                            headers=tenant.key("analyst"), timeout=60)
        assert failed.status_code == 503, failed.text
    finally:
        cloud.sandbox(fault_rate=0.0)
    # A poison message: the worker cannot read it and fails the record (it comes back, and would reach the DLQ).
    poison = json.dumps({"tenant_id": 7, "check_id": emails["poison"], "partners": partner_names})
    boto3.client("sqs").send_message(QueueUrl=cloud.resource("ChecksQueue")["ref"], MessageBody=poison)
    deadline = time.time() + 30
    logs_dir = Path(cloud.state_file).parent / "logs"
    while "unreadable queue message" not in "".join(p.read_text(errors="replace") for p in logs_dir.glob("*.log")):
        assert time.time() < deadline, "the worker never met the poison message"
        time.sleep(0.5)
    return set(emails.values()) | set(partner_names)


def test_no_partner_name_or_cpf_reaches_the_logs(cloud: RunningCloud, sandbox_fixtures: Path) -> None:
    secrets = personal_strings(sandbox_fixtures)
    assert len(secrets) > 10  # the fixtures do hold partners: the scan below is not vacuous
    tenant = cloud.signup(plan_roles=("analyst",))
    tenant.upgrade("business")  # six calls in a row: more than the free plan's 2 requests a second
    check_ids = []
    for cnpj in ("27865757000102", "19131243000197", "33683111000280"):
        target = httpx.post(f"{cloud.api_url}/targets", json={"cnpj": cnpj}, headers=tenant.key("analyst"), timeout=30)
        assert target.status_code == 201, target.text
        check = httpx.post(
            f"{cloud.api_url}/targets/{target.json()['id']}/checks", headers=tenant.key("analyst"), timeout=60
        )
        assert check.status_code == 201, check.text
        assert check.json()["report"]["partners"]  # personal data did flow through the functions
        check_ids.append(check.json()["id"])
    secrets |= error_paths(cloud, tenant, sorted(s for s in secrets if not CPF_MASKED.fullmatch(s))[:2])
    time.sleep(1.5)  # the log sink flushes every 0.5 s

    logs_dir = Path(cloud.state_file).parent / "logs"
    local_text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs_dir.glob("*.log"))
    assert any(check_id in local_text for check_id in check_ids)  # the checks were logged, by id
    logs = boto3.client("logs")
    cloud_text_parts = []
    for function in cloud.refresh_state()["functions"].values():
        group = function["log_group"]
        for stream in logs.describe_log_streams(logGroupName=group).get("logStreams", []):
            events = logs.get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])["events"]
            cloud_text_parts.extend(e["message"] for e in events)
    cloud_text = "\n".join(cloud_text_parts)
    assert cloud_text
    leaked = sorted(s for s in secrets if s in local_text or s in cloud_text)
    assert not leaked

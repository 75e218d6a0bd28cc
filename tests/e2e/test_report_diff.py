"""Each report carries its diff against the previous successful report of the same target."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


def test_status_change_and_partners_in_and_out_show_in_the_diff(
    cloud: RunningCloud, big_tenant: Tenant, sandbox_fixtures: Path
) -> None:
    tenant = big_tenant  # several checks in a few seconds: more than the free plan's 2 requests a second
    # A company only BrasilAPI knows: a copy of a real BrasilAPI record under a fresh CNPJ.
    cnpj = random_cnpjs(1, seed=int(time.time()), alphanumeric_share=0)[0]
    record = json.loads((sandbox_fixtures / "brasilapi_19131243000197.json").read_text(encoding="utf-8"))
    record["cnpj"] = cnpj
    fixture = sandbox_fixtures / f"brasilapi_{cnpj}_diff-test.json"
    fixture.write_text(json.dumps(record), encoding="utf-8")

    target = httpx.post(f"{cloud.api_url}/targets", json={"cnpj": cnpj}, headers=tenant.key("analyst"), timeout=30)
    url = f"{cloud.api_url}/targets/{target.json()['id']}/checks"
    first = httpx.post(url, headers=tenant.key("analyst"), timeout=60).json()
    assert first["status"] == "succeeded", first
    assert first["report"]["status"] == "ATIVA"
    assert first["report"]["source"] == "brasilapi"
    old_partner = record["qsa"][0]["nome_socio"]

    # The registry changes: the company is closed and one partner leaves while another joins.
    record |= {
        "situacao_cadastral": 8,
        "descricao_situacao_cadastral": "BAIXADA",
        "data_situacao_cadastral": "2026-11-01",
    }
    record["qsa"] = [*record["qsa"][1:], dict(record["qsa"][0], nome_socio="PARCEIRA NOVA DA SILVA")]
    time.sleep(0.05)
    fixture.write_text(json.dumps(record), encoding="utf-8")

    cached = httpx.post(url, headers=tenant.key("analyst"), timeout=60).json()
    assert cached["report"]["status"] == "ATIVA" and cached["cached"] is True  # the 24 h cache still answers
    second = httpx.post(url, params={"refresh": "true"}, headers=tenant.key("analyst"), timeout=60).json()
    assert second["status"] == "succeeded", second
    assert second["cached"] is False
    assert second["report"]["status"] == "BAIXADA"
    diff = second["diff"]
    assert diff["previous_check_id"] == cached["id"]
    changes = {change["field"]: change for change in diff["changes"]}
    assert changes["status"]["from"] == "ATIVA" and changes["status"]["to"] == "BAIXADA"
    assert [p["name"] for p in diff["partners_out"]] == [old_partner]
    assert [p["name"] for p in diff["partners_in"]] == ["PARCEIRA NOVA DA SILVA"]

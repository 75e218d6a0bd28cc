"""Generated provider payloads: deterministic per CNPJ, mostly ATIVA, and in each provider's real shape."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from radar.cnpj import check_digits
from scripts.sandbox.fixtures import default_fixtures_dir
from scripts.sandbox.generator import generate_company, render

# The fixtures closest to today's formats: the generated payloads must carry exactly their keys.
_REFERENCE = {
    "cnpjws": "cnpjws_27865757000102.json",
    "brasilapi": "brasilapi_19131243000197.json",
    "receitaws": "receitaws_27865757000102.json",
}


def _cnpj(n: int, branch: str = "0001") -> str:
    body = f"{n:08d}{branch}"
    return body + check_digits(body)


def _reference(provider: str) -> dict[str, Any]:
    path = Path(default_fixtures_dir()) / _REFERENCE[provider]
    return dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("provider", ["cnpjws", "brasilapi", "receitaws"])
def test_generated_payload_has_the_real_top_level_keys(provider: str) -> None:
    generated = render(provider, _cnpj(11222333))
    assert set(generated) == set(_reference(provider)) - {"_note"}


def test_cnpjws_establishment_and_nested_shapes_match_the_real_ones() -> None:
    real = _reference("cnpjws")
    generated = render("cnpjws", _cnpj(11222333))
    assert set(generated["estabelecimento"]) == set(real["estabelecimento"])
    assert set(generated["estabelecimento"]["atividade_principal"]) == set(
        real["estabelecimento"]["atividade_principal"]
    )
    assert set(generated["estabelecimento"]["cidade"]) == set(real["estabelecimento"]["cidade"])
    if generated["socios"]:
        assert set(generated["socios"][0]) == set(real["socios"][0])


def test_brasilapi_partner_shape_matches_the_real_one() -> None:
    real = _reference("brasilapi")
    partners = next(p for n in range(1, 50) if (p := render("brasilapi", _cnpj(n))["qsa"]))
    assert set(partners[0]) == set(real["qsa"][0])


def test_same_cnpj_same_payload_other_cnpj_other_company() -> None:
    assert render("receitaws", _cnpj(42)) == render("receitaws", _cnpj(42))
    assert generate_company(_cnpj(42)) != generate_company(_cnpj(43))


def test_one_company_behind_the_three_formats() -> None:
    cnpj = _cnpj(55667788, branch="0002")
    cnpjws, brasilapi, receitaws = (render(p, cnpj) for p in ("cnpjws", "brasilapi", "receitaws"))
    assert cnpjws["estabelecimento"]["cnpj"] == brasilapi["cnpj"] == cnpj
    assert receitaws["cnpj"] == f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"
    assert cnpjws["razao_social"] == brasilapi["razao_social"] == receitaws["nome"]
    assert cnpjws["estabelecimento"]["situacao_cadastral"].upper() == brasilapi["descricao_situacao_cadastral"]
    assert brasilapi["descricao_situacao_cadastral"] == receitaws["situacao"]
    assert cnpjws["estabelecimento"]["tipo"] == "Filial" and receitaws["tipo"] == "FILIAL"
    assert brasilapi["identificador_matriz_filial"] == 2
    # Each provider's own conventions.
    assert isinstance(brasilapi["capital_social"], float) and isinstance(cnpjws["capital_social"], str)
    assert isinstance(brasilapi["cnae_fiscal"], int)
    assert receitaws["abertura"].count("/") == 2 and receitaws["status"] == "OK"


def test_status_is_mostly_ativa() -> None:
    statuses = Counter(generate_company(_cnpj(n)).status for n in range(1, 401))
    assert statuses["ATIVA"] / 400 > 0.75
    assert set(statuses) <= {"ATIVA", "BAIXADA", "INAPTA", "SUSPENSA"}


def test_alphanumeric_cnpjs_are_generated_too() -> None:
    body = "12ABC34501DE"
    cnpj = body + check_digits(body)
    assert render("brasilapi", cnpj)["cnpj"] == cnpj
    assert render("cnpjws", cnpj)["estabelecimento"]["cnpj_raiz"] == "12ABC345"
